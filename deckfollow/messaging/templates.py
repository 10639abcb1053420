"""The template library: what to say on a call, a voicemail, a text, an email or a card.

Built-in templates are seeded into the Template table and are **editable in place with a
reset**: a tradesperson changes the words they actually use, and "Restore the original"
brings back the built-in text (kept here in code). Seeding is idempotent and never
overwrites an edited template; a built-in one still holding the words of an earlier
version is brought up to date. Templates the user adds are ordinary rows (`builtin=False`)
that can be deleted; built-in ones cannot.

Words that need a value a customer may legitimately not have yet (a lead has no quote
amount) sit in optional `[[ … ]]` parts, so a script reads naturally without them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from deckfollow.core.enums import Basis, Channel, Stage, TemplateKind
from deckfollow.core.errors import NotFoundError, ValidationError
from deckfollow.core.merge_fields import RenderedText, render_template, sample_context
from deckfollow.core.models import FollowUp, Quote, Template

KIND_LABELS: dict[TemplateKind, str] = {
    TemplateKind.CALL_SCRIPT: "Call script",
    TemplateKind.VOICEMAIL: "Voicemail",
    TemplateKind.TEXT: "Text message",
    TemplateKind.EMAIL: "Email",
    TemplateKind.CARD: "Card",
}

# The kinds of wording each channel uses, the first being the usual one.
KINDS_FOR_CHANNEL: dict[Channel, tuple[TemplateKind, ...]] = {
    Channel.CALL: (TemplateKind.CALL_SCRIPT, TemplateKind.VOICEMAIL),
    Channel.TEXT: (TemplateKind.TEXT,),
    Channel.VIDEO: (TemplateKind.TEXT,),
    Channel.EMAIL: (TemplateKind.EMAIL,),
    Channel.CARD: (TemplateKind.CARD,),
    Channel.VISIT: (TemplateKind.CALL_SCRIPT,),
}

DEFAULT_KEY: dict[TemplateKind, str] = {
    TemplateKind.CALL_SCRIPT: "call_follow_up",
    TemplateKind.VOICEMAIL: "voicemail",
    TemplateKind.TEXT: "text_follow_up",
    TemplateKind.EMAIL: "email_follow_up",
    TemplateKind.CARD: "card_thank_you_quote",
}


@dataclass(frozen=True)
class BuiltinTemplate:
    key: str
    name: str
    kind: TemplateKind
    body: str
    subject: str | None = None


_SIGNATURE = "{owner_name}\n{owner_business}\nCell: {owner_phone}"

BUILTIN_TEMPLATES: tuple[BuiltinTemplate, ...] = (
    BuiltinTemplate(
        "call_follow_up",
        "Call: follow up on a quote",
        TemplateKind.CALL_SCRIPT,
        "Hi {first_name}, it's {owner_first_name} from {owner_business}. "
        "Have you got a couple of minutes?\n\n"
        "The reason I'm calling is {reason}.\n\n"
        "About the quote for {job}[[ ({quote_amount})]]:\n"
        "- What questions came up when you read it?\n"
        "- What matters most to you about the job: timing, materials or price?\n\n"
        "Before you hang up, agree the next step and its reason:\n"
        '"Is it OK if I check in again on ... in case anything else comes up?"\n\n'
        "If {first_name} isn't there: ask who else is involved in the decision, "
        "and when is a good time to call back.",
    ),
    BuiltinTemplate(
        "call_lead",
        "Call: first reply to an enquiry",
        TemplateKind.CALL_SCRIPT,
        "Hi {first_name}, it's {owner_first_name} from {owner_business}. "
        "Thanks for getting in touch about the {job}. Have you got a couple of minutes?\n\n"
        "[[The reason I'm calling is {reason}.\n\n]]"
        "- What would you like done, and by when?\n"
        "- Can I come and measure up? If it's easier, text a few photos to {owner_phone}.\n"
        "- Are you getting other quotes? (No problem either way: it helps me plan.)\n\n"
        "Before you hang up, agree the next step and its reason:\n"
        '"Is it OK if I come by on ... to measure up, and call you the day before?"\n\n'
        "If {first_name} isn't there: ask who else is involved in the decision, "
        "and when is a good time to call back.",
    ),
    BuiltinTemplate(
        "call_agreed",
        "Call: the time we agreed",
        TemplateKind.CALL_SCRIPT,
        "Hi {first_name}, it's {owner_first_name} from {owner_business}. "
        "You asked me to call {agreed_time}, so here I am.\n\n"
        "The reason I'm calling is {reason}.\n\n"
        "- Has anything changed since we last spoke?\n"
        "[[- Anything in quote {quote_number} ({quote_amount}) you'd like me to explain or "
        "adjust?\n]]\n"
        "Agree the next step before you hang up (a time, a channel and a reason), "
        "or ask whether to park it and when to try again.",
    ),
    BuiltinTemplate(
        "call_after_sale",
        "Call: thank you after the sale",
        TemplateKind.CALL_SCRIPT,
        "Hi {first_name}, it's {owner_first_name} from {owner_business}.\n\n"
        "The reason I'm calling is {reason}.\n\n"
        "- Thank them for choosing you for the {job}.\n"
        "- Confirm the start date and anything they need to do before it.\n"
        "- Give your cell number for anything at all: {owner_phone}.",
    ),
    BuiltinTemplate(
        "voicemail",
        "Voicemail",
        TemplateKind.VOICEMAIL,
        "Hi {first_name}, it's {owner_first_name} from {owner_business}. "
        "The reason I'm calling is {reason}. "
        "You can call or text me on my cell, {owner_phone}, whenever suits you. "
        "I'll send you a quick text as well. Thanks, {first_name}.",
    ),
    BuiltinTemplate(
        "text_follow_up",
        "Text: follow up on a quote",
        TemplateKind.TEXT,
        "Hi {first_name}, it's {owner_first_name} from {owner_business}. "
        "The reason I'm texting is {reason}. "
        "Reply here or call me on {owner_phone} if it's easier.",
    ),
    BuiltinTemplate(
        "text_lead",
        "Text: first reply to an enquiry",
        TemplateKind.TEXT,
        "Hi {first_name}, it's {owner_first_name} from {owner_business}. Thanks for getting "
        "in touch about the {job}.[[ The reason I'm texting is {reason}.]] "
        "Reply here or call me on {owner_phone}, whichever suits.",
    ),
    BuiltinTemplate(
        "text_agreed",
        "Text: the time we agreed",
        TemplateKind.TEXT,
        "Hi {first_name}, {owner_first_name} from {owner_business} here, as agreed. "
        "The reason I'm texting is {reason}. "
        "Happy to chat: {owner_phone}.",
    ),
    BuiltinTemplate(
        "email_follow_up",
        "Email: follow up on a quote",
        TemplateKind.EMAIL,
        "Hi {first_name},\n\n"
        "The reason I'm writing is {reason}.\n\n"
        "[[Your quote {quote_number} for {job} comes to {quote_amount}. ]]If anything in the "
        "quote raised a question, reply to this email or call or text me on {owner_phone} "
        "(that's my cell). A two-minute chat usually sorts everything out.\n\n"
        "Thanks,\n" + _SIGNATURE,
        "Your quote[[ {quote_number}]] from {owner_business}",
    ),
    BuiltinTemplate(
        "email_lead",
        "Email: first reply to an enquiry",
        TemplateKind.EMAIL,
        "Hi {first_name},\n\n"
        "Thanks for getting in touch with {owner_business} about the {job}.\n\n"
        "[[The reason I'm writing is {reason}.\n\n]]"
        "The quickest way to a firm price is a short visit to measure up. If you'd rather, "
        "reply with a few photos and rough measurements and I'll come back to you with a "
        "first idea. Call or text me on {owner_phone} (that's my cell) to pick a time.\n\n"
        "Thanks,\n" + _SIGNATURE,
        "Your enquiry about the {job}",
    ),
    BuiltinTemplate(
        "email_saw_this",
        "Email: saw this and thought of you",
        TemplateKind.EMAIL,
        "Hi {first_name},\n\n"
        "I saw this and thought of you and your plans for the {job}.\n\n"
        "No pressure at all. If you'd like to talk it over, reply to this email or call or "
        "text me on {owner_phone}.\n\n"
        "All the best,\n" + _SIGNATURE,
        "Saw this and thought of you, {first_name}",
    ),
    BuiltinTemplate(
        "email_refreshed_quote",
        "Email: refreshed quote after a pause",
        TemplateKind.EMAIL,
        "Hi {first_name},\n\n"
        "The reason I'm writing is {reason}.\n\n"
        "I've brought quote {quote_number} for {job} up to date with today's prices: "
        "{quote_amount}. If the timing suits you now, reply to this email or call me on "
        "{owner_phone} and we'll find a start date.\n\n"
        "Thanks,\n" + _SIGNATURE,
        "Your updated quote from {owner_business}",
    ),
    BuiltinTemplate(
        "card_thank_you_quote",
        "Card: thank you for the chance to quote",
        TemplateKind.CARD,
        "Dear {first_name},\n\n"
        "Thank you for asking us to quote for your {job}. Whatever you decide, it was a "
        "pleasure to meet you. If any question comes up, my cell is {owner_phone}.\n\n"
        "Warm regards,\n{owner_first_name}",
    ),
    BuiltinTemplate(
        "card_after_sale",
        "Card: thank you after the sale",
        TemplateKind.CARD,
        "Dear {first_name},\n\n"
        "Thank you for choosing {owner_business} for your {job}. We'll look after it as if "
        "it were our own. If anything ever needs a look, call me on {owner_phone}.\n\n"
        "With thanks,\n{owner_first_name}",
    ),
    BuiltinTemplate(
        "card_saw_this",
        "Card: saw this and thought of you",
        TemplateKind.CARD,
        "Dear {first_name},\n\n"
        "I saw this and thought of you. No need to reply; I just wanted you to have it. "
        "Whenever the {job} is back on the list, I'm here.\n\n"
        "All the best,\n{owner_first_name}\n{owner_phone}",
    ),
    BuiltinTemplate(
        "card_birthday",
        "Card: happy birthday",
        TemplateKind.CARD,
        "Dear {first_name},\n\n"
        "Happy birthday! Wishing you a wonderful day and a great year ahead.\n\n"
        "Best wishes,\n{owner_first_name} at {owner_business}",
    ),
    BuiltinTemplate(
        "card_holiday",
        "Card: season's greetings",
        TemplateKind.CARD,
        "Dear {first_name},\n\n"
        "Wishing you and yours a happy holiday season and a great new year. "
        "Thank you for being part of our year.\n\n"
        "Warm wishes,\n{owner_first_name} and everyone at {owner_business}",
    ),
)

_BUILTIN_BY_KEY = {t.key: t for t in BUILTIN_TEMPLATES}

# Earlier words of built-in templates (name, subject, body). A row still holding them was
# never edited by the owner, so seeding brings it up to date.
_RETIRED: dict[str, tuple[tuple[str, str | None, str], ...]] = {
    "call_follow_up": (
        (
            "Call: follow up on a quote",
            None,
            "Hi {first_name}, it's {owner_first_name} from {owner_business}. "
            "Have you got a couple of minutes?\n\n"
            "The reason I'm calling is {reason}.\n\n"
            "About the quote for {job} ({quote_amount}):\n"
            "- What questions came up when you read it?\n"
            "- What matters most to you about the job: timing, materials or price?\n\n"
            "Before you hang up, agree the next step and its reason:\n"
            '"Is it OK if I check in again on ... in case anything else comes up?"\n\n'
            "If {first_name} isn't there: ask who else is involved in the decision, "
            "and when is a good time to call back.",
        ),
    ),
    "call_agreed": (
        (
            "Call: the time we agreed",
            None,
            "Hi {first_name}, it's {owner_first_name} from {owner_business}. "
            "You asked me to call {agreed_time}, so here I am.\n\n"
            "The reason I'm calling is {reason}.\n\n"
            "- Has anything changed since we last spoke?\n"
            "- Anything in quote {quote_number} you'd like me to explain or adjust?\n\n"
            "Agree the next step before you hang up (a time, a channel and a reason), "
            "or ask whether to park it and when to try again.",
        ),
    ),
    # A lead's first reply reads naturally without a reason too (Call… from the details).
    "call_lead": (
        (
            "Call: first reply to an enquiry",
            None,
            "Hi {first_name}, it's {owner_first_name} from {owner_business}. "
            "Thanks for getting in touch about the {job}. Have you got a couple of minutes?\n\n"
            "The reason I'm calling is {reason}.\n\n"
            "- What would you like done, and by when?\n"
            "- Can I come and measure up? If it's easier, text a few photos to {owner_phone}.\n"
            "- Are you getting other quotes? (No problem either way: it helps me plan.)\n\n"
            "Before you hang up, agree the next step and its reason:\n"
            '"Is it OK if I come by on ... to measure up, and call you the day before?"\n\n'
            "If {first_name} isn't there: ask who else is involved in the decision, "
            "and when is a good time to call back.",
        ),
    ),
    "text_lead": (
        (
            "Text: first reply to an enquiry",
            None,
            "Hi {first_name}, it's {owner_first_name} from {owner_business}. Thanks for getting "
            "in touch about the {job}. The reason I'm texting is {reason}. "
            "Reply here or call me on {owner_phone}, whichever suits.",
        ),
    ),
    "email_lead": (
        (
            "Email: first reply to an enquiry",
            "Your enquiry about the {job}",
            "Hi {first_name},\n\n"
            "Thanks for getting in touch with {owner_business} about the {job}.\n\n"
            "The reason I'm writing is {reason}.\n\n"
            "The quickest way to a firm price is a short visit to measure up. If you'd rather, "
            "reply with a few photos and rough measurements and I'll come back to you with a "
            "first idea. Call or text me on {owner_phone} (that's my cell) to pick a time.\n\n"
            "Thanks,\n" + _SIGNATURE,
        ),
    ),
    "email_follow_up": (
        (
            "Email: follow up on a quote",
            "Your quote {quote_number} from {owner_business}",
            "Hi {first_name},\n\n"
            "The reason I'm writing is {reason}.\n\n"
            "Your quote {quote_number} for {job} comes to {quote_amount}. If anything in it "
            "raised a question, reply to this email or call or text me on {owner_phone} (that's "
            "my cell). A two-minute chat usually sorts everything out.\n\n"
            "Thanks,\n" + _SIGNATURE,
        ),
    ),
}


@dataclass(frozen=True)
class TemplateInfo:
    """A template as the UI and the senders use it (plain data, safe past the session)."""

    id: int
    key: str
    name: str
    kind: TemplateKind
    subject: str | None
    body: str
    builtin: bool
    modified: bool  # a built-in template whose words differ from the original

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


def _info(row: Template) -> TemplateInfo:
    original = _BUILTIN_BY_KEY.get(row.key) if row.builtin else None
    modified = original is not None and (
        row.body != original.body
        or (row.subject or None) != original.subject
        or row.name != original.name
    )
    return TemplateInfo(
        row.id, row.key, row.name, row.kind, row.subject, row.body, row.builtin, modified
    )


def seed_builtin_templates(session: Session) -> int:
    """Add any built-in template not yet in the database and bring up to date the ones
    still holding an earlier version's words; edited ones are left alone.

    Returns how many were added or brought up to date.
    """
    present = set(session.execute(select(Template.key)).scalars())
    changed = 0
    for t in BUILTIN_TEMPLATES:
        if t.key in present:
            continue
        session.add(
            Template(
                key=t.key, name=t.name, kind=t.kind, subject=t.subject, body=t.body, builtin=True
            )
        )
        changed += 1
    retired = [k for k in _RETIRED if k in present]
    if retired:
        rows = session.execute(
            select(Template).where(Template.key.in_(retired), Template.builtin.is_(True))
        ).scalars()
        for row in rows:
            if (row.name, row.subject or None, row.body) in _RETIRED[row.key]:
                current = _BUILTIN_BY_KEY[row.key]
                row.name, row.subject, row.body = current.name, current.subject, current.body
                changed += 1
    session.flush()
    return changed


def list_templates(session: Session, kind: TemplateKind | None = None) -> list[TemplateInfo]:
    """Templates in a stable order: by kind, built-ins first in their own order, then by name."""
    stmt = select(Template)
    if kind is not None:
        stmt = stmt.where(Template.kind == kind)
    rows = list(session.execute(stmt).scalars())
    kind_order = {k: i for i, k in enumerate(TemplateKind)}
    builtin_order = {t.key: i for i, t in enumerate(BUILTIN_TEMPLATES)}
    rows.sort(
        key=lambda r: (
            kind_order[r.kind],
            builtin_order.get(r.key, len(builtin_order)),
            r.name.lower(),
        )
    )
    return [_info(r) for r in rows]


def _row(session: Session, key: str) -> Template:
    row = session.execute(select(Template).where(Template.key == key)).scalar_one_or_none()
    if row is None:
        raise NotFoundError(f"no template {key!r}")
    return row


def get_template(session: Session, key: str) -> TemplateInfo:
    return _info(_row(session, key))


def template_by_id(session: Session, template_id: int) -> TemplateInfo:
    row = session.get(Template, template_id)
    if row is None:
        raise NotFoundError(f"no template with id {template_id}")
    return _info(row)


def _check_fields(field_name: str, text: str) -> None:
    unknown = render_template(text, sample_context()).unknown
    if unknown:
        names = ", ".join("{" + u + "}" for u in unknown)
        raise ValidationError(
            field_name, f"unknown merge field {names} (use {{{{ and }}}} for a literal brace)"
        )


def _validate(kind: TemplateKind, name: str, subject: str | None, body: str) -> None:
    if not name.strip():
        raise ValidationError("name", "a template needs a name")
    if not body.strip():
        raise ValidationError("words", "a template needs some words")
    if kind is TemplateKind.EMAIL and not (subject and subject.strip()):
        raise ValidationError("subject", "an email template needs a subject")
    _check_fields("words", body)
    if subject:
        _check_fields("subject", subject)


def save_template(
    session: Session, key: str, *, name: str, subject: str | None, body: str
) -> TemplateInfo:
    """Change a template's name and words (built-in ones too: they can be restored)."""
    row = _row(session, key)
    _validate(row.kind, name, subject, body)
    row.name = name.strip()
    row.subject = subject.strip() if subject and subject.strip() else None
    row.body = body
    session.flush()
    return _info(row)


def _free_key(session: Session, base: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", base.lower()).strip("_")[:40] or "template"
    existing = set(session.execute(select(Template.key)).scalars())
    key = f"my_{slug}"
    n = 2
    while key in existing:
        key = f"my_{slug}_{n}"
        n += 1
    return key


def create_template(
    session: Session, *, kind: TemplateKind, name: str, subject: str | None, body: str
) -> TemplateInfo:
    """A new template of the user's own."""
    _validate(kind, name, subject, body)
    row = Template(
        key=_free_key(session, name),
        name=name.strip(),
        kind=kind,
        subject=subject.strip() if subject and subject.strip() else None,
        body=body,
        builtin=False,
    )
    session.add(row)
    session.flush()
    return _info(row)


def copy_template(session: Session, key: str) -> TemplateInfo:
    """A user's own copy of any template, named "… (copy)"."""
    src = _row(session, key)
    return create_template(
        session, kind=src.kind, name=f"{src.name} (copy)", subject=src.subject, body=src.body
    )


def reset_template(session: Session, key: str) -> TemplateInfo:
    """Bring a built-in template back to its original words."""
    row = _row(session, key)
    original = _BUILTIN_BY_KEY.get(key) if row.builtin else None
    if original is None:
        raise ValidationError("template", f"{row.name!r} is your own; there is no original")
    row.name, row.subject, row.body = original.name, original.subject, original.body
    session.flush()
    return _info(row)


def delete_template(session: Session, key: str) -> None:
    """Delete one of the user's own templates (follow-ups using it fall back to the default)."""
    row = _row(session, key)
    if row.builtin:
        raise ValidationError(
            "template", "a built-in template can be edited or restored, not deleted"
        )
    session.execute(
        update(FollowUp)
        .where(FollowUp.template_id == row.id)
        .values(template_id=None)
        .execution_options(synchronize_session=False)
    )
    session.delete(row)
    session.flush()


# Words in a follow-up's reason that say which built-in wording fits, per kind.
_REASON_KEYS: dict[TemplateKind, tuple[tuple[tuple[str, ...], str], ...]] = {
    TemplateKind.CALL_SCRIPT: (
        (("thank you for choosing", "thank-you call", "confirm the start"), "call_after_sale"),
    ),
    TemplateKind.EMAIL: (
        (("saw this", "thought of you", "care guide", "photos of"), "email_saw_this"),
        (("refresh", "updated quote", "current prices", "up to date"), "email_refreshed_quote"),
    ),
    TemplateKind.CARD: (
        (("birthday",), "card_birthday"),
        (("saw this", "saw-this", "thought of you"), "card_saw_this"),
        (("holiday", "season", "christmas", "new year"), "card_holiday"),
        (("choosing us", "after the sale", "anniversary"), "card_after_sale"),
    ),
}

_AGREED_KEY = {TemplateKind.CALL_SCRIPT: "call_agreed", TemplateKind.TEXT: "text_agreed"}
# A lead has asked for a quote and has none yet: "your quote comes to …" would be wrong.
_LEAD_KEY = {
    TemplateKind.CALL_SCRIPT: "call_lead",
    TemplateKind.TEXT: "text_lead",
    TemplateKind.EMAIL: "email_lead",
}


def suggest_template_key(
    kind: TemplateKind,
    *,
    reason: str | None,
    agreed: bool = False,
    won: bool = False,
    lead: bool = False,
) -> str:
    """The built-in wording that fits a follow-up: its reason, whether the time was agreed,
    whether the quote is still a lead (no quote given yet) and whether the job was won."""
    text = (reason or "").lower()
    for words, key in _REASON_KEYS.get(kind, ()):
        if any(w in text for w in words):
            return key
    if agreed and kind in _AGREED_KEY:
        return _AGREED_KEY[kind]
    if lead and kind in _LEAD_KEY:
        return _LEAD_KEY[kind]
    if won and kind is TemplateKind.CALL_SCRIPT:
        return "call_after_sale"
    if won and kind is TemplateKind.CARD:
        return "card_after_sale"
    return DEFAULT_KEY[kind]


def template_for(
    session: Session,
    kind: TemplateKind,
    *,
    template_id: int | None = None,
    template_key: str | None = None,
) -> TemplateInfo | None:
    """The template to start from: the one chosen for the follow-up, else the kind's default."""
    if template_id is not None:
        row = session.get(Template, template_id)
        if row is not None and row.kind is kind:
            return _info(row)
    for key in (template_key, DEFAULT_KEY[kind]):
        if key is None:
            continue
        found = session.execute(select(Template).where(Template.key == key)).scalar_one_or_none()
        if found is not None and found.kind is kind:
            return _info(found)
    rows = list_templates(session, kind)
    return rows[0] if rows else None


# Template keys start with their kind's word, so a cadence step's chosen wording is only
# used for the kind it was written for.
_KEY_PREFIX: dict[TemplateKind, str] = {
    TemplateKind.CALL_SCRIPT: "call",
    TemplateKind.VOICEMAIL: "voicemail",
    TemplateKind.TEXT: "text",
    TemplateKind.EMAIL: "email",
    TemplateKind.CARD: "card",
}


def awaiting_quote(stage: Stage | None, priced: bool) -> bool:
    """A lead nobody has priced yet: words about "your quote" would be wrong."""
    return stage is Stage.LEAD and not priced


def wording_key(
    kind: TemplateKind,
    *,
    reason: str | None,
    basis: Basis | None,
    stage: Stage | None,
    priced: bool = True,
    step_key: str | None = None,
) -> str:
    """The wording to start from for a follow-up: the cadence step's own, else the built-in
    that fits its reason, its basis and where its quote stands (`priced`: it has an amount).
    """
    if step_key and step_key.startswith(_KEY_PREFIX[kind]):
        return step_key
    return suggest_template_key(
        kind,
        reason=reason,
        agreed=basis is Basis.AGREED,
        won=stage is Stage.WON,
        lead=awaiting_quote(stage, priced),
    )


@dataclass(frozen=True)
class Wording:
    """A follow-up's words, rendered for its customer (subject only for an email)."""

    template: TemplateInfo
    body: RenderedText
    subject: RenderedText | None = None


def follow_up_wording(
    session: Session, follow_up_id: int, kind: TemplateKind, *, now: datetime
) -> Wording | None:
    """What to say for a follow-up, chosen as the call, text and email screens choose it.

    None only when there is no template of this kind at all.
    """
    from deckfollow.core.cadence_library import step_template_key
    from deckfollow.core.followups import get_follow_up
    from deckfollow.core.merge_fields import build_merge_context

    fu = get_follow_up(session, follow_up_id)
    quote = session.get(Quote, fu.quote_id) if fu.quote_id is not None else None
    step_key = None
    if fu.cadence_run_id is not None and fu.cadence_step is not None:
        step_key = step_template_key(session, fu.cadence_run_id, fu.cadence_step)
    key = wording_key(
        kind,
        reason=fu.reason,
        basis=fu.basis,
        stage=quote.stage if quote is not None else None,
        priced=quote is not None and quote.amount is not None,
        step_key=step_key,
    )
    template = template_for(session, kind, template_id=fu.template_id, template_key=key)
    if template is None:
        return None
    ctx = build_merge_context(session, customer_id=fu.customer_id, follow_up_id=fu.id, now=now)
    subject = render_template(template.subject, ctx) if template.subject else None
    return Wording(template, render_template(template.body, ctx), subject)
