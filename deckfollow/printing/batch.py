"""The week's cards: every card follow-up due soon, ready to print, then logged as mailed.

Customers who revoked post (or asked for no contact at all) are never printed for: they
are listed as skipped with the reason, as are cards with no postal address to send to.
A printed batch is remembered (in settings) until it is marked as mailed; marking it logs
one *card* touch per card through `log_touch`, each with its next step.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from deckfollow.core.card_kinds import MailedNextStep, step_after_mailing
from deckfollow.core.clock_format import date_text
from deckfollow.core.contact_hours import local_to_utc, zone
from deckfollow.core.contact_snapshot import load_snapshot
from deckfollow.core.enums import (
    Basis,
    CadenceRunStatus,
    Channel,
    ConsentChannel,
    ConsentState,
    Direction,
    FollowUpStatus,
    Outcome,
    Stage,
    TemplateKind,
)
from deckfollow.core.errors import DeckfollowError, ValidationError
from deckfollow.core.followups import FollowUpPlan, planned_times
from deckfollow.core.merge_fields import build_merge_context, pending_agreed, render_template
from deckfollow.core.models import (
    CadenceRun,
    CadenceStep,
    ChannelConsent,
    Customer,
    FollowUp,
    Quote,
    Template,
)
from deckfollow.core.permission import find_slot
from deckfollow.core.settings import get_setting, load_settings, set_setting
from deckfollow.core.touches import (
    CourtesyCard,
    PlanContinues,
    TouchRecord,
    continuing_plan,
    log_touch,
)
from deckfollow.cycle_pause import without_cycle_collection
from deckfollow.messaging.builtin_templates import BUILTIN_TEMPLATES, DEFAULT_KEY
from deckfollow.messaging.template_library import list_templates
from deckfollow.printing.render import Address, CardJob

PRINTED_KEY = "cards.printed_batch"

# A follow-up's reason says which card it is, when no template was chosen for it.
_KEYWORDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("birthday",), "card_birthday"),
    (("saw this", "saw-this", "thought of you"), "card_saw_this"),
    (("holiday", "christmas", "season", "new year"), "card_holiday"),
    (("choosing us", "after the sale", "anniversary", "for the job"), "card_after_sale"),
)

_COUNTRY_NAMES = {
    "AU": "Australia",
    "US": "United States",
    "GB": "United Kingdom",
    "NZ": "New Zealand",
    "CA": "Canada",
    "IE": "Ireland",
}


@dataclass(frozen=True)
class CardTemplate:
    """A card wording the user can pick (plain data)."""

    key: str
    name: str
    body: str


@dataclass(frozen=True)
class DueCard:
    """One card to write: who, why, which words (merged), and where it goes."""

    follow_up_id: int
    customer_id: int
    quote_id: int | None
    customer: str
    due_at: datetime  # UTC
    timezone: str
    reason: str
    template_key: str
    template_name: str
    text: str
    missing: tuple[str, ...]  # merge fields with no value (shown as [label?] in the text)
    recipient: Address | None

    @property
    def seed(self) -> int:
        """Stable per card: a reprint is the same card, the next card is written afresh."""
        return zlib.crc32(f"card:{self.follow_up_id}:{self.customer_id}".encode())

    def job(self) -> CardJob:
        return CardJob(self.text, self.recipient, self.seed, self.customer)


@dataclass(frozen=True)
class SkippedCard:
    follow_up_id: int
    customer_id: int
    customer: str
    reason: str


@dataclass(frozen=True)
class CardBatch:
    cards: list[DueCard] = field(default_factory=list)
    skipped: list[SkippedCard] = field(default_factory=list)

    def jobs(self) -> list[CardJob]:
        return [c.job() for c in self.cards]


def card_templates(session: Session) -> list[CardTemplate]:
    """The card wordings: the user's (edited) ones, or the built-in ones on a new database."""
    rows = list_templates(session, TemplateKind.CARD)
    if rows:
        return [CardTemplate(t.key, t.name, t.body) for t in rows]
    return [
        CardTemplate(t.key, t.name, t.body)
        for t in BUILTIN_TEMPLATES
        if t.kind is TemplateKind.CARD
    ]


def find_card_template(session: Session, name: str) -> CardTemplate:
    """A card template by key (`card_birthday`), short key (`birthday`) or name."""
    wanted = name.strip().lower()
    for t in card_templates(session):
        if wanted in (t.key.lower(), t.key.lower().removeprefix("card_"), t.name.lower()):
            return t
    keys = ", ".join(t.key.removeprefix("card_") for t in card_templates(session))
    raise ValidationError("template", f"no card template {name!r} (choose one of: {keys})")


def _guess_key(reason: str, stage: Stage | None) -> str:
    text = reason.lower()
    for words, key in _KEYWORDS:
        if any(w in text for w in words):
            return key
    return "card_after_sale" if stage is Stage.WON else "card_thank_you_quote"


# Cadence runs whose step wordings are read in one query (well under every database's limit
# on bound parameters).
_RUNS_PER_QUERY = 500


class _BatchTemplates:
    """The wording for each card of a batch, read once for the whole batch.

    Chooses exactly as `_template` does for one card (the follow-up's own template, the
    cadence step's, the one its reason suggests, the default card, the first card wording,
    the built-in ones), from the templates and cadence steps loaded up front rather than
    with a few queries per card.
    """

    def __init__(self, session: Session, follow_ups: list[FollowUp]) -> None:
        rows = list(session.execute(select(Template)).scalars())
        self._by_id = {r.id: r for r in rows}
        self._by_key = {r.key: r for r in rows}
        cards = list_templates(session, TemplateKind.CARD)
        self._first = CardTemplate(cards[0].key, cards[0].name, cards[0].body) if cards else None
        self._fallback = {t.key: t for t in card_templates(session)}
        runs = sorted({f.cadence_run_id for f in follow_ups if f.cadence_run_id is not None})
        self._steps: dict[tuple[int, int], str | None] = {}
        for i in range(0, len(runs), _RUNS_PER_QUERY):
            chunk = runs[i : i + _RUNS_PER_QUERY]
            found = session.execute(
                select(CadenceRun.id, CadenceStep.position, CadenceStep.template_key)
                .join(CadenceStep, CadenceStep.cadence_id == CadenceRun.cadence_id)
                .where(CadenceRun.id.in_(chunk))
            )
            for run_id, position, key in found:
                self._steps[(run_id, position)] = key

    def _card(self, row: Template | None) -> CardTemplate | None:
        if row is None or row.kind is not TemplateKind.CARD:
            return None
        return CardTemplate(row.key, row.name, row.body)

    def for_card(self, fu: FollowUp, stage: Stage | None) -> CardTemplate:
        step_key = None
        if fu.cadence_run_id is not None and fu.cadence_step is not None:
            step_key = self._steps.get((fu.cadence_run_id, fu.cadence_step))
        key = step_key or _guess_key(fu.reason, stage)
        if fu.template_id is not None:
            own = self._card(self._by_id.get(fu.template_id))
            if own is not None:
                return own
        for wanted in (key, DEFAULT_KEY[TemplateKind.CARD]):
            found = self._card(self._by_key.get(wanted))
            if found is not None:
                return found
        if self._first is not None:
            return self._first
        return self._fallback.get(key) or next(iter(self._fallback.values()))


@dataclass(frozen=True)
class CardRecipient:
    """Someone a card can be written to, as the composer lists them."""

    customer_id: int
    name: str
    quote_id: int | None  # their latest quote, for the merge fields
    address: Address | None
    post_revoked: bool


def card_recipient(session: Session, customer_id: int) -> CardRecipient | None:
    """One customer as a card recipient (None if gone or in the trash)."""
    c = session.get(Customer, customer_id)
    if c is None or c.deleted_at is not None:
        return None
    home = load_settings(session).default_country
    refused = session.execute(
        select(ChannelConsent.customer_id).where(
            ChannelConsent.customer_id == customer_id,
            ChannelConsent.channel == ConsentChannel.POST,
            ChannelConsent.state == ConsentState.REVOKED,
        )
    ).first()
    quote = session.execute(
        select(Quote.id)
        .where(Quote.customer_id == customer_id, Quote.deleted_at.is_(None))
        .order_by(Quote.received_at.desc(), Quote.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    return CardRecipient(
        c.id,
        c.display_name,
        quote,
        recipient_address(c, home),
        refused is not None or c.do_not_contact,
    )


def recipient_address(customer: Customer, home_country: str) -> Address | None:
    """How the customer's address is written on the envelope; None without a street."""
    if not (customer.street and customer.street.strip()):
        return None
    place = " ".join(
        p.strip() for p in (customer.suburb, customer.region, customer.postcode) if p and p.strip()
    )
    lines = [ln.strip() for ln in customer.street.splitlines() if ln.strip()]
    if place:
        lines.append(place)
    if customer.country and customer.country.upper() != home_country.upper():
        lines.append(_COUNTRY_NAMES.get(customer.country.upper(), customer.country.upper()))
    name = customer.display_name.strip()
    if customer.company and customer.company.strip() and customer.company.strip() != name:
        lines.insert(0, customer.company.strip())
    return Address(name, tuple(lines))


def return_address(session: Session) -> Address | None:
    """The sender block for envelopes, from the owner's settings (None if not set)."""
    s = load_settings(session)
    name = s.business_name.strip() or s.owner_name.strip()
    if not name or not s.business_address.strip():
        return None
    lines = [p.strip() for p in s.business_address.replace("\n", ",").split(",") if p.strip()]
    return Address(name, tuple(lines))


def _post_revoked(session: Session, customer_ids: list[int]) -> dict[int, datetime]:
    rows = session.execute(
        select(ChannelConsent.customer_id, ChannelConsent.since).where(
            ChannelConsent.customer_id.in_(customer_ids),
            ChannelConsent.channel == ConsentChannel.POST,
            ChannelConsent.state == ConsentState.REVOKED,
        )
    )
    return {cid: since for cid, since in rows}


@without_cycle_collection
def collect_due_cards(
    session: Session,
    *,
    now: datetime,
    within_days: int = 7,
    template_key: str | None = None,
) -> CardBatch:
    """Every pending card follow-up due within `within_days` (overdue ones included)."""
    if within_days < 0:
        raise ValidationError("due within", "the number of days cannot be negative")
    forced = find_card_template(session, template_key) if template_key else None
    until = now + timedelta(days=within_days)
    rows = list(
        session.execute(
            select(FollowUp, Customer, Quote, CadenceRun.status)
            .join(Customer, Customer.id == FollowUp.customer_id)
            .outerjoin(Quote, Quote.id == FollowUp.quote_id)
            .outerjoin(CadenceRun, CadenceRun.id == FollowUp.cadence_run_id)
            .where(
                FollowUp.channel == Channel.CARD,
                FollowUp.due_at <= until,
                Customer.deleted_at.is_(None),
                # A quote in the trash takes its cards with it (until it is restored).
                or_(FollowUp.quote_id.is_(None), Quote.deleted_at.is_(None)),
                or_(
                    FollowUp.status == FollowUpStatus.PENDING,
                    # A revocation cancels the customer's cards: those would-be cards are
                    # listed as skipped so the owner sees why they are not in the batch.
                    and_(
                        FollowUp.status == FollowUpStatus.CANCELLED,
                        FollowUp.due_at >= now - timedelta(days=max(within_days, 7)),
                    ),
                ),
            )
            .order_by(FollowUp.due_at, FollowUp.id)
        )
    )
    revoked = _post_revoked(session, sorted({c.id for _, c, _, _ in rows}))
    settings = load_settings(session)
    home = settings.default_country
    wordings = _BatchTemplates(session, [fu for fu, _, _, _ in rows])
    agreed = pending_agreed(session, sorted({c.id for _, c, _, _ in rows}))
    batch = CardBatch()
    skipped_customers: set[int] = set()

    def skip(fu: FollowUp, customer: Customer, why: str) -> None:
        if customer.id not in skipped_customers:
            skipped_customers.add(customer.id)
            batch.skipped.append(SkippedCard(fu.id, customer.id, customer.display_name, why))

    # The quotes come with the rows (the merge fields read them from the session's map).
    for fu, customer, quote, run_status in rows:
        stage = quote.stage if quote is not None else None
        name = customer.display_name
        if customer.do_not_contact:
            skip(fu, customer, "asked not to be contacted")
            continue
        if customer.id in revoked:
            when = revoked[customer.id].astimezone(zone(customer.timezone))
            skip(fu, customer, f"post revoked on {date_text(when)}")
            continue
        if fu.status is not FollowUpStatus.PENDING:
            continue
        if (
            fu.basis is Basis.PLANNED
            and run_status is not None
            and run_status is not CadenceRunStatus.ACTIVE
        ):
            skip(fu, customer, "its plan is paused")
            continue
        address = recipient_address(customer, home)
        if address is None:
            skip(fu, customer, "no postal address")
            continue
        tpl = forced or wordings.for_card(fu, stage)
        ctx = build_merge_context(
            session,
            customer_id=customer.id,
            follow_up_id=fu.id,
            now=now,
            settings=settings,
            agreed=agreed,
        )
        rendered = render_template(tpl.body, ctx)
        batch.cards.append(
            DueCard(
                follow_up_id=fu.id,
                customer_id=customer.id,
                quote_id=fu.quote_id,
                customer=name,
                due_at=fu.due_at,
                timezone=customer.timezone,
                reason=fu.reason,
                template_key=tpl.key,
                template_name=tpl.name,
                text=rendered.text,
                missing=tuple(rendered.missing),
                recipient=address,
            )
        )
    return batch


# --- the printed batch, until it is mailed -------------------------------------------


@dataclass(frozen=True)
class PrintedBatch:
    printed_at: datetime
    follow_up_ids: tuple[int, ...]
    # Which wording each card was printed with (its kind decides what follows it).
    template_keys: dict[int, str] = field(default_factory=dict)

    def payload(self, ids: tuple[int, ...] | None = None) -> str:
        kept = self.follow_up_ids if ids is None else ids
        return json.dumps(
            {
                "printed_at": self.printed_at.isoformat(),
                "follow_up_ids": list(kept),
                "templates": {str(i): k for i, k in self.template_keys.items() if i in kept},
            }
        )


def remember_printed(session: Session, batch: CardBatch, *, now: datetime) -> PrintedBatch:
    """Keep which cards were printed, so they can be marked as mailed later (even after a
    restart)."""
    printed = PrintedBatch(
        now,
        tuple(c.follow_up_id for c in batch.cards),
        {c.follow_up_id: c.template_key for c in batch.cards},
    )
    set_setting(session, PRINTED_KEY, printed.payload())
    return printed


def printed_batch(session: Session) -> PrintedBatch | None:
    raw = get_setting(session, PRINTED_KEY)
    if not raw:
        return None
    data = json.loads(raw)
    ids = tuple(int(i) for i in data.get("follow_up_ids", []))
    if not ids:
        return None
    keys = {int(i): str(k) for i, k in data.get("templates", {}).items()}
    return PrintedBatch(datetime.fromisoformat(data["printed_at"]), ids, keys)


@dataclass(frozen=True)
class MailedResult:
    logged: list[int] = field(default_factory=list)  # follow-up ids logged as mailed
    problems: list[str] = field(default_factory=list)  # "<customer>: <why not>"
    next_steps: dict[int, datetime] = field(default_factory=dict)  # follow-up id -> when
    courtesy: list[int] = field(default_factory=list)  # logged with nothing planned after


_FALLBACK_CHANNELS = (Channel.CALL, Channel.TEXT, Channel.EMAIL)


def _let_the_plan_continue(
    session: Session, record: TouchRecord, *, now: datetime
) -> datetime | None:
    """Log a card that was a step of an active plan with the plan's own next step; the time
    of that step, or None (not a plan step, or the plan ends here) with nothing logged."""
    assert record.follow_up_id is not None
    if continuing_plan(session, record.follow_up_id) is None:
        return None
    run_id = session.get(FollowUp, record.follow_up_id).cadence_run_id  # type: ignore[union-attr]
    try:
        with session.begin_nested():
            log_touch(session, record, PlanContinues(), now=now)
    except ValidationError:
        return None
    return session.execute(
        select(FollowUp.due_at).where(
            FollowUp.cadence_run_id == run_id, FollowUp.status == FollowUpStatus.PENDING
        )
    ).scalar_one_or_none()


def _printed_template_key(session: Session, fu: FollowUp, printed: PrintedBatch | None) -> str:
    if printed is not None and fu.id in printed.template_keys:
        return printed.template_keys[fu.id]
    stage = session.get(Quote, fu.quote_id).stage if fu.quote_id is not None else None  # type: ignore[union-attr]
    return _BatchTemplates(session, [fu]).for_card(fu, stage).key


def mark_mailed(
    session: Session,
    follow_up_ids: list[int] | tuple[int, ...],
    next_step: MailedNextStep,
    *,
    now: datetime,
    courtesy_too: bool = False,
) -> MailedResult:
    """Log a card touch (outcome: mailed) for every printed card, each with what follows.

    What follows depends on the card's kind (`core.card_kinds`): a thank-you card gets
    `next_step`; a birthday, holiday or "saw this" card plans nothing unless
    `courtesy_too`. A card that was a plan's step lets the plan go on. The next step lands
    at the nearest time the rules allow on the chosen channel, or on the next channel the
    customer still allows. A card that cannot be logged (the customer
    revoked post since printing, no channel left) is reported and the others still go in.
    """
    if not next_step.reason.strip():
        raise ValidationError("what's next", "give the next follow-up a reason")
    if next_step.days_after < 0:
        raise ValidationError("what's next", "the next step cannot be in the past")
    cap = load_settings(session).weekly_cap
    current = printed_batch(session)
    result = MailedResult()
    for fid in follow_up_ids:
        fu = session.get(FollowUp, fid)
        if fu is None:
            result.problems.append(f"follow-up {fid}: no longer exists")
            continue
        customer = session.get(Customer, fu.customer_id)
        name = customer.display_name if customer is not None else f"customer {fu.customer_id}"
        if fu.status is not FollowUpStatus.PENDING:
            why = f" ({fu.cancel_reason})" if fu.cancel_reason else ""
            result.problems.append(f"{name}: this card was already {fu.status.value}{why}")
            continue
        try:
            with session.begin_nested():
                snap = load_snapshot(session, fu.customer_id)
                if snap.consent(ConsentChannel.POST).state is ConsentState.REVOKED:
                    raise ValidationError("post", "post was revoked after the card was printed")
                if snap.do_not_contact:
                    raise ValidationError("contact", "asked not to be contacted")
                record = TouchRecord(
                    customer_id=fu.customer_id,
                    channel=Channel.CARD,
                    direction=Direction.OUTBOUND,
                    outcome=Outcome.MAILED,
                    at=now,
                    quote_id=fu.quote_id,
                    follow_up_id=fu.id,
                    subject="Card mailed",
                    summary=fu.reason,
                )
                following = _let_the_plan_continue(session, record, now=now)
                if following is not None:
                    # A card that was a plan's step: the plan places the next step itself.
                    result.logged.append(fid)
                    result.next_steps[fid] = following
                    continue
                key = _printed_template_key(session, fu, current)
                step = step_after_mailing(key, next_step, courtesy_too=courtesy_too)
                if step is None:
                    log_touch(session, record, CourtesyCard(), now=now)
                    result.logged.append(fid)
                    result.courtesy.append(fid)
                    continue
                local_day = now.astimezone(snap.hours.tz).date() + timedelta(days=step.days_after)
                earliest = max(now, local_to_utc(local_day, step.local_time, snap.hours.tz))
                times = planned_times(session, fu.customer_id, exclude_id=fu.id)
                slot = None
                channel = step.channel
                for ch in (step.channel, *_FALLBACK_CHANNELS):
                    slot = find_slot(snap, ch, earliest, times, cap)
                    if slot is not None:
                        channel = ch
                        break
                if slot is None:
                    raise ValidationError("what's next", "no channel or time left to follow up")
                plan = FollowUpPlan(slot, channel, step.reason.strip())
                log_touch(session, record, plan, now=now)
            result.logged.append(fid)
            result.next_steps[fid] = slot
        except DeckfollowError as exc:
            result.problems.append(f"{name}: {exc}")
    remaining = [i for i in follow_up_ids if i not in result.logged]
    if current is not None:
        left = tuple(i for i in current.follow_up_ids if i in remaining)
        set_setting(session, PRINTED_KEY, current.payload(left))
    return result
