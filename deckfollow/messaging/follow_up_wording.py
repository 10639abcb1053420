"""Which words fit a follow-up: the cadence step's own wording, else the built-in that fits
its reason, whether the time was agreed and where its quote stands; rendered for the
customer as the call, text and email screens show it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from deckfollow.core.enums import Basis, Stage, TemplateKind
from deckfollow.core.merge_fields import RenderedText, render_template
from deckfollow.core.models import Quote
from deckfollow.messaging.builtin_templates import DEFAULT_KEY
from deckfollow.messaging.template_library import TemplateInfo, template_for

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
