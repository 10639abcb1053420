"""Capturing a new lead: the customer and their request, with the time it was received."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import phonenumbers
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from deckfollow.core import limits
from deckfollow.core.changes import Changes
from deckfollow.core.contact_hours import zone
from deckfollow.core.contact_info import (
    country_of_phone,
    normalise_email,
    normalise_phone,
)
from deckfollow.core.contact_snapshot import get_customer, load_snapshot
from deckfollow.core.do_not_contact import is_blocked
from deckfollow.core.due import first_reply_given_at, lead_first_reply, planned_first_reply
from deckfollow.core.due_list import FIRST_REPLY
from deckfollow.core.enums import Basis, Channel, ConsentState, FollowUpStatus, Stage
from deckfollow.core.errors import ValidationError
from deckfollow.core.followups import (
    FollowUpPlan,
    planned_times,
    refit_planned,
    schedule_follow_up,
)
from deckfollow.core.models import Customer, FollowUp, Quote
from deckfollow.core.permission import ContactSnapshot, find_slot
from deckfollow.core.settings import load_settings
from deckfollow.core.timezones import customer_zone


@dataclass(frozen=True)
class NewLead:
    name: str
    phone: str | None = None
    email: str | None = None
    # Where they live, as people say it ("Glebe"): kept as the customer's suburb or city,
    # and it sets their zone where it names one.
    suburb: str | None = None
    note: str | None = None
    job: str | None = None
    source: str | None = None
    country: str | None = None
    timezone: str | None = None
    # They phoned and the owner answered there and then: the enquiry is answered (the
    # speed-to-lead clock stops at once) and no first reply waits on Today.
    answered: bool = False
    # Someone already a customer (offered instead of a duplicate): the lead is theirs.
    customer_id: int | None = None


@dataclass(frozen=True)
class LeadCreated:
    customer_id: int
    quote_id: int
    changes: Changes
    # The first reply, planned at once (None only when no channel could reach them).
    follow_up_id: int | None = None


# The next step after a first reply: the enquiry is answered, and followed up.
FOLLOW_UP_ENQUIRY = "Follow up on their enquiry"
_JOB_IN_REASON = 120
_SUBURB = 100  # the customer's suburb column, as a customer's details keep it


def _split_name(name: str) -> tuple[str, str | None]:
    parts = name.split(maxsplit=1)
    return parts[0], (parts[1] if len(parts) > 1 else None)


def add_lead(session: Session, lead: NewLead, *, now: datetime) -> LeadCreated:
    """Validate every field first (nothing is saved on a bad one), then add customer + lead."""
    name = " ".join(lead.name.split())
    if not name:
        raise ValidationError("name", "a lead needs a name")
    limits.check_length("name", name, limits.NAME)
    limits.check_length("email", lead.email, limits.EMAIL)
    suburb = " ".join((lead.suburb or "").split()) or None
    limits.check_length("suburb", suburb, _SUBURB)
    limits.check_length("job", lead.job and lead.job.strip(), limits.JOB)
    limits.check_length("source", lead.source, limits.SOURCE)
    limits.check_length("note", lead.note, limits.NOTE)
    settings = load_settings(session)
    country = (lead.country or settings.default_country).strip().upper()
    if lead.country and country not in phonenumbers.SUPPORTED_REGIONS:
        raise ValidationError(
            "country", f"{lead.country!r} is not a two-letter country code (e.g. AU, US, GB)"
        )
    phone = normalise_phone(lead.phone, country, "phone") if lead.phone else None
    email = normalise_email(lead.email, "email") if lead.email else None
    if phone and not lead.country:
        country = country_of_phone(phone) or country
    # Where they live first (as a customer added by hand), then the phone, then the owner's.
    tzname = (
        lead.timezone
        or customer_zone(
            country=country,
            region=None,
            city=suburb,
            phones=[phone] if phone else [],
            owner_tz=settings.owner_timezone,
        ).zone
    )
    zone(tzname)
    blocked = is_blocked(session, email=email, phone=phone)
    if blocked:
        # Rule 9: a do-not-contact survives re-entry; the person is not re-added as contactable.
        raise ValidationError("name", f"{name}: this email or phone {blocked}")
    first, last = _split_name(name)
    mobile = phone is not None and _takes_texts(phone)
    customer = _known_customer(session, lead, phone, email, suburb, now=now) or Customer(
        display_name=name,
        first_name=first,
        last_name=last,
        email=email,
        suburb=suburb,
        # A landline is not a cell: nobody would text it, and a call still finds it.
        phone_cell=phone if mobile else None,
        phone_home=phone if phone and not mobile else None,
        country=country,
        timezone=tzname,
        do_not_contact=False,
        created_at=now,
        updated_at=now,
    )
    session.add(customer)
    session.flush()
    quote = Quote(
        customer_id=customer.id,
        job=(lead.job or lead.note or "New enquiry").strip()[:300],
        stage=Stage.LEAD,
        source=lead.source,
        received_at=now,
        first_response_at=now if lead.answered else None,
        stage_changed_at=now,
        notes=lead.note,
        # Quoted in the business's own currency, wherever the customer lives.
        currency=settings.business_currency,
        created_at=now,
        updated_at=now,
    )
    session.add(quote)
    session.flush()
    follow_up_id = None if lead.answered else _plan_first_reply(session, customer, quote, now=now)
    return LeadCreated(
        customer.id,
        quote.id,
        Changes(customers=True, quotes=True, follow_ups=True, created_ids=(quote.id,)).about(
            quotes=(quote.id,), customers=(customer.id,)
        ),
        follow_up_id,
    )


def _known_customer(
    session: Session,
    lead: NewLead,
    phone: str | None,
    email: str | None,
    suburb: str | None,
    *,
    now: datetime,
) -> Customer | None:
    """The existing customer the lead is for, given what they lacked from this enquiry."""
    if lead.customer_id is None:
        return None
    customer = get_customer(session, lead.customer_id)
    if suburb and not customer.suburb:
        _give_suburb(session, customer, suburb, now=now)
    if email and not customer.email:
        customer.email = email
        customer.updated_at = now
    if phone and phone not in (customer.phone_cell, customer.phone_office, customer.phone_home):
        slot = next(
            (k for k in ("phone_cell", "phone_office", "phone_home") if not getattr(customer, k)),
            None,
        )
        if slot is not None:
            setattr(customer, slot, phone)
            customer.updated_at = now
    return customer


def _give_suburb(session: Session, customer: Customer, suburb: str, *, now: datetime) -> None:
    """Keep the suburb they gave; a zone nobody set by hand follows it, as an address
    typed on their details does (`update_customer`)."""
    owner_tz = load_settings(session).owner_timezone
    guessed_before = _zone_of(customer, owner_tz)
    customer.suburb = suburb
    customer.updated_at = now
    if customer.timezone == guessed_before:
        zone_now = _zone_of(customer, owner_tz)
        if zone_now != customer.timezone:
            customer.timezone = zone_now
            session.flush()
            refit_planned(session, customer.id, now=now)


def _zone_of(c: Customer, owner_tz: str) -> str:
    phones = [p for p in (c.phone_cell, c.phone_office, c.phone_home) if p]
    return customer_zone(
        country=c.country, region=c.region, city=c.suburb, phones=phones, owner_tz=owner_tz
    ).zone


def first_reply_reason(job: str | None) -> str:
    """ "First reply to their enquiry about the deck, 5x4 m" (the job as the lead gave it)."""
    text = " ".join((job or "").split())
    if not text or text == "New enquiry":
        return FIRST_REPLY
    if len(text) > _JOB_IN_REASON:
        text = text[: _JOB_IN_REASON - 1].rstrip(" ,.;:") + "…"
    first, _, rest = text.partition(" ")
    # "Deck, 5x4 m" reads "about deck, 5x4 m", and "A new deck" "about a new deck"; "I",
    # acronyms and names in capitals keep theirs.
    article = first == "A" and bool(rest)
    if article or (len(first) > 1 and first[0].isupper() and first[1:].islower()):
        text = text[0].lower() + text[1:]
    return f"{FIRST_REPLY} about {text}"


def next_step_reason(reason: str | None) -> str | None:
    """The reason the step after this follow-up starts from (the owner may change it).

    After a first reply the enquiry is answered, so the next step follows it up: "First
    reply to their enquiry about a deck" gives "Follow up on their enquiry about a deck".
    """
    if reason is None or not reason.startswith(FIRST_REPLY):
        return reason
    return FOLLOW_UP_ENQUIRY + reason[len(FIRST_REPLY) :]


def _takes_texts(e164: str) -> bool:
    """A mobile (or a number that may be one): texts reach it."""
    kind = phonenumbers.number_type(phonenumbers.parse(e164, None))
    return kind not in (
        phonenumbers.PhoneNumberType.FIXED_LINE,
        phonenumbers.PhoneNumberType.TOLL_FREE,
        phonenumbers.PhoneNumberType.PREMIUM_RATE,
        phonenumbers.PhoneNumberType.SHARED_COST,
    )


def first_reply_channel(*, cell: str | None, other_phone: str | None) -> Channel:
    """Text to a cell first (the quickest answer people read), else a call, else an email."""
    if cell:
        return Channel.TEXT
    if other_phone:
        return Channel.CALL
    return Channel.EMAIL


def _plan_first_reply(
    session: Session, customer: Customer, quote: Quote, *, now: datetime
) -> int | None:
    """The first reply (see `first_reply_plan`), scheduled, or the one already waiting for
    the customer; None when none can be planned."""
    snap = load_snapshot(session, customer.id)
    cap = load_settings(session).weekly_cap
    plan = first_reply_plan(
        customer, snap, quote.job, planned_times(session, customer.id), cap, now=now
    )
    if plan is None:
        return None
    already = waiting_first_reply(session, customer.id, None)
    if already is not None:
        # One reply answers the person, and with it every enquiry of theirs (`log_touch`):
        # a second enquiry before the first is answered adds no second first reply.
        return already
    return schedule_follow_up(session, customer.id, quote.id, plan, now=now).id


def first_reply_plan(
    customer: Customer,
    snap: ContactSnapshot,
    job: str | None,
    planned: Iterable[datetime],
    cap: int,
    *,
    now: datetime,
) -> FollowUpPlan | None:
    """The first reply, due now, or at the nearest time the customer may be contacted.

    Text to a cell first (the quickest answer people read), else a call, else an email.
    A returning customer who closed that channel is answered on the next one they left
    open; one who closed every way they can be reached gets none (None). `planned` are
    the customer's planned follow-ups (pending and done), `cap` the owner's weekly cap.
    The first business to answer wins about half the deals: it goes to the top of Today.
    """
    other_phone = customer.phone_home or customer.phone_office
    preferred = first_reply_channel(cell=customer.phone_cell, other_phone=other_phone)
    candidates = [preferred]
    if not snap.do_not_contact:
        # Do-not-contact is refused by the rules below, with their reason, not skipped.
        reachable = [
            c
            for c, there in (
                (Channel.TEXT, customer.phone_cell),
                (Channel.CALL, customer.phone_cell or other_phone),
                (Channel.EMAIL, customer.email),
            )
            if there and c is not preferred
        ]
        candidates = [
            c
            for c in [preferred, *reachable]
            if snap.consent(c.consent_channel).state is not ConsentState.REVOKED
        ]
        if not candidates:
            return None
    channel = candidates[0]
    slot = find_slot(snap, channel, now, planned, cap)
    due = slot if slot is not None else now
    return FollowUpPlan(due, channel, first_reply_reason(job), Basis.PLANNED)


# Built once: a touch logged answers a lead often, and building the statements each time
# costs more than running them. The quote is the caller's to know unanswered until now:
# once its first response is recorded, no follow-up of it is a first reply still to give.
_LEAD_FIRST_REPLY = (
    FollowUp.quote_id == bindparam("answered_quote"),
    FollowUp.status == FollowUpStatus.PENDING,
    lead_first_reply(),
)
_ANY_WAITING = select(FollowUp.id).where(*_LEAD_FIRST_REPLY).limit(1)
_SETTLE_FIRST_REPLY = (
    update(FollowUp)
    .where(*_LEAD_FIRST_REPLY)
    .values(
        status=FollowUpStatus.DONE,
        completed_at=bindparam("done_at"),
        due_at=first_reply_given_at(FollowUp.due_at, bindparam("answered_at")),
    )
    .execution_options(synchronize_session="fetch")
)


def settle_first_reply(
    session: Session, quote: Quote, *, answered_at: datetime, now: datetime
) -> None:
    """The lead was answered at `answered_at` (however it happened): its waiting first
    reply is done, and stands at that moment if it came before the planned one.

    The cap keeps the next planned touch a day clear of the first reply: of the touch that
    answered them, not of a time planned for a reply that was given earlier.
    Call it only while `quote` was still unanswered: a follow-up planned after the answer
    is the next step, not the first reply, whatever its reason says.
    """
    # Most answers find none waiting (an answered call, a quote made at once): a look by
    # index costs less than an update that keeps the session's copies in step.
    if session.execute(_ANY_WAITING, {"answered_quote": quote.id}).first() is None:
        return
    session.execute(
        _SETTLE_FIRST_REPLY,
        {"answered_quote": quote.id, "answered_at": answered_at, "done_at": now},
    )


def waiting_first_reply(session: Session, customer_id: int, quote_id: int | None) -> int | None:
    """The customer's first reply still to give (for that quote), on whatever channel it
    was planned: a call made instead of the planned text is that first reply."""
    stmt = (
        select(FollowUp.id)
        .join(Quote, Quote.id == FollowUp.quote_id)
        .where(
            FollowUp.customer_id == customer_id,
            FollowUp.status == FollowUpStatus.PENDING,
            planned_first_reply(),  # as the due list finds it
        )
        .order_by(FollowUp.due_at, FollowUp.id)
        .limit(1)
    )
    if quote_id is not None:
        stmt = stmt.where(FollowUp.quote_id == quote_id)
    return session.execute(stmt).scalar_one_or_none()


def answer_person(
    session: Session, customer_id: int, at: datetime, *, now: datetime, also: Quote | None = None
) -> None:
    """The person was answered at `at`: every enquiry of theirs still waiting (and `also`,
    the quote the answer was about, if it was still waiting) has its clock stopped and its
    first reply done. An enquiry answered before keeps its first response time."""
    waiting = set(unanswered_leads(session, customer_id))
    if also is not None and also.first_response_at is None:
        waiting.add(also)
    for lead in waiting:
        settle_first_reply(session, lead, answered_at=at, now=now)
        lead.first_response_at = at


def unanswered_leads(session: Session, customer_id: int) -> list[Quote]:
    """The customer's leads still waiting for a first response (the speed-to-lead clock runs)."""
    return list(
        session.execute(
            select(Quote).where(
                Quote.customer_id == customer_id,
                Quote.stage == Stage.LEAD,
                Quote.first_response_at.is_(None),
                Quote.deleted_at.is_(None),
            )
        ).scalars()
    )
