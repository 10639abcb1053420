"""Realistic, deterministic demo data: a trade business's customers, quotes and follow-ups.

The same seed and `now` always give the same database. Rows are built in memory and written
with bulk inserts, because going through the services one quote at a time would take minutes
for a 20,000-quote business; the rules of permission still hold by construction (a test runs
`core.followups.audit_rules` over the result):

- a do-not-contact customer has nothing pending and their open quote is closed;
- a revoked channel carries no pending follow-up;
- planned calls and texts sit inside the customer's allowed hours;
- each customer has at most one pending follow-up, so no week goes over the weekly cap.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, TypeVar

import phonenumbers
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from deckfollow.core.contact_hours import AllowedHours, allowed_hours_for, local_to_utc
from deckfollow.core.enums import (
    Basis,
    Channel,
    ConsentChannel,
    ConsentEventKind,
    ConsentState,
    Direction,
    FollowUpStatus,
    Outcome,
    Stage,
)
from deckfollow.core.errors import ValidationError
from deckfollow.core.models import (
    ChannelConsent,
    ConsentEvent,
    Customer,
    FollowUp,
    Quote,
    Touch,
)
from deckfollow.core.settings import get_setting, set_setting
from deckfollow.demo import vocabulary as V

T = TypeVar("T")

DEMO_OWNER = {
    "business_name": "Harbourside Decks & Outdoor",
    "owner_name": "Sam Carter",
    "owner_phone": "+61 412 555 019",
    "business_address": "14 Wharf Rd, Balmain NSW 2041",
    "default_country": "AU",
    "owner_timezone": "Australia/Sydney",
}

# Where the latest quote of a customer stands (weights); older quotes are all closed.
_LATEST_STAGE_WEIGHTS = {
    Stage.LEAD: 10,
    Stage.QUOTED: 18,
    Stage.FOLLOWING_UP: 30,
    Stage.WON: 22,
    Stage.LOST: 12,
    Stage.PARKED: 8,
}
_FOLLOW_UP_CHANNELS = {Channel.CALL: 45, Channel.TEXT: 20, Channel.EMAIL: 25, Channel.CARD: 10}

_REASONS = {
    Stage.LEAD: (
        "Call back about the {job}: book a site visit",
        "First reply to the {job} enquiry",
        "Ask for photos and measurements of the {job}",
    ),
    Stage.QUOTED: (
        "Check they received the {job} quote and answer questions",
        "Walk through the {job} quote options",
        "Confirm the colour choice for the {job}",
    ),
    Stage.FOLLOWING_UP: (
        "Follow up the {job} quote: they were comparing two quotes",
        "Check if the bank approved the {job} budget",
        "Offer a start date for the {job} before the holidays",
        "See if the revised {job} price works for them",
    ),
    Stage.PARKED: ("Revisit the {job}: they asked to wait",),
}


@dataclass
class DemoSummary:
    """What `generate_demo` wrote."""

    customers: int = 0
    quotes: int = 0
    touches: int = 0
    follow_ups: int = 0
    consent_events: int = 0
    by_stage: dict[Stage, int] = field(default_factory=dict)
    by_country: dict[str, int] = field(default_factory=dict)


@dataclass
class _Person:
    row: dict[str, Any]
    market: V.Market
    hours: AllowedHours
    revoked: set[ConsentChannel]
    dnc: bool
    has_email: bool
    has_post: bool


class _Ids:
    """Next free primary key per table, so rows can refer to each other before insert."""

    def __init__(self, session: Session) -> None:
        self._next: dict[type[Any], int] = {
            m: int(session.execute(select(func.coalesce(func.max(m.id), 0))).scalar_one()) + 1
            for m in (Customer, Quote, FollowUp, ConsentEvent)
        }

    def take(self, model: type[Any]) -> int:
        value = self._next[model]
        self._next[model] = value + 1
        return value


def _weighted(rng: random.Random, weights: dict[T, int]) -> T:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


# Letters that have no accent to strip: NFKD leaves them whole and "ignore" drops them
# ("Łukasz" would mail as "ukasz@").
_PLAIN_LETTERS = str.maketrans({"Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "ß": "ss", "Æ": "AE",
                                "æ": "ae", "Đ": "D", "đ": "d", "Þ": "Th", "þ": "th"})  # fmt: skip


def _ascii(text: str) -> str:
    plain = (
        unicodedata.normalize("NFKD", text.translate(_PLAIN_LETTERS))
        .encode("ascii", "ignore")
        .decode()
    )
    return "".join(ch for ch in plain.lower() if ch.isalnum())


def _phone(rng: random.Random, market: V.Market, place: V.Place, mobile: bool) -> str:
    """A valid local number: landlines (and US mobiles, which are geographic) carry the
    customer's own area code, so a Fremantle customer's home phone starts (08) 9."""
    prefixes = market.mobile_prefixes if mobile else market.landline_prefixes
    rest = market.mobile_rest if mobile else market.landline_rest
    local = not mobile or market.country == "US"
    for _ in range(50):
        drawn = rng.choice(prefixes)  # drawn either way: the same seed keeps the same people
        prefix = (place.area if local else drawn).replace(" ", "")
        digits = "".join(rng.choice("0123456789") for _ in range(rest))
        if market.country == "US":
            digits = str(rng.randint(2, 9)) + digits[1:]
        number = f"+{market.calling_code}{prefix}{digits}"
        parsed = phonenumbers.parse(number)
        # Valid and dialled as the right country (+44 7700 can be Jersey, for one).
        if (
            phonenumbers.is_valid_number(parsed)
            and phonenumbers.region_code_for_number(parsed) == market.country
        ):
            return number
    raise RuntimeError(f"no valid {market.country} number from the demo prefixes")  # a bug here


def _local(day: date, hour: int, minute: int, hours: AllowedHours) -> datetime:
    return local_to_utc(day, time(hour, minute), hours.tz)


def _money(rng: random.Random, job: V.Job, market: V.Market) -> Decimal:
    raw = Decimal(rng.randint(job.low, job.high)) * market.price_factor
    # Trades quote round figures, sometimes with a cents tail from a line-item total.
    rounded = (raw / 50).quantize(Decimal(1)) * 50
    if rng.random() < 0.3:
        rounded += Decimal(rng.randint(1, 99)) / 100
    return rounded.quantize(Decimal("0.01"))


def generate_demo(
    session: Session, *, customers: int, quotes: int, seed: int, now: datetime
) -> DemoSummary:
    """Fill the database with a believable business; the caller owns the transaction."""
    if customers < 1:
        raise ValidationError("--customers", "make at least one customer")
    if quotes < 0:
        raise ValidationError("--quotes", "the number of quotes cannot be negative")
    rng = random.Random(seed)
    ids = _Ids(session)
    summary = DemoSummary()
    for key, value in DEMO_OWNER.items():
        if get_setting(session, key) is None:
            set_setting(session, key, value)

    people = [_make_person(rng, ids, now) for _ in range(customers)]
    owners: list[int] = list(range(customers)) if quotes >= customers else []
    if quotes >= customers:
        owners += [rng.randrange(customers) for _ in range(quotes - customers)]
    else:
        owners = rng.sample(range(customers), quotes)
    per_person: dict[int, int] = {}
    for idx in owners:
        per_person[idx] = per_person.get(idx, 0) + 1

    quote_rows: list[dict[str, Any]] = []
    touch_rows: list[dict[str, Any]] = []
    fu_rows: list[dict[str, Any]] = []
    consent_rows: list[dict[str, Any]] = []
    event_rows: list[dict[str, Any]] = []
    number = _next_quote_number(session)

    for idx, person in enumerate(people):
        _consent_history(rng, ids, person, now, consent_rows, event_rows)
        count = per_person.get(idx, 0)
        for n in range(count):
            latest = n == count - 1
            number += 1
            q = _make_quote(rng, ids, person, now, latest=latest, number=number)
            quote_rows.append(q)
            touch_rows.extend(_touch_history(rng, person, q, now))
            if q["last_touch_at"] is None and touch_rows and touch_rows[-1]["quote_id"] == q["id"]:
                q["last_touch_at"] = touch_rows[-1]["at"]
            if latest:
                fu = _pending_follow_up(rng, ids, person, q, now)
                if fu is not None:
                    fu_rows.append(fu)
                    if fu["basis"] is Basis.AGREED:
                        event_rows.append(_agreed_event(ids, person, q, fu))
        summary.by_country[person.market.country] = (
            summary.by_country.get(person.market.country, 0) + 1
        )

    for q in quote_rows:
        summary.by_stage[q["stage"]] = summary.by_stage.get(q["stage"], 0) + 1

    # Bulk inserts through Core: the ORM unit of work would track 100k objects for nothing.
    for model, rows in (
        (Customer, [p.row for p in people]),
        (Quote, quote_rows),
        (FollowUp, fu_rows),
        (ConsentEvent, event_rows),
        (ChannelConsent, consent_rows),
        (Touch, touch_rows),
    ):
        if rows:
            session.execute(model.__table__.insert(), rows)  # type: ignore[attr-defined]
    session.flush()
    summary.customers = len(people)
    summary.quotes = len(quote_rows)
    summary.touches = len(touch_rows)
    summary.follow_ups = len(fu_rows)
    summary.consent_events = len(event_rows)
    return summary


def _next_quote_number(session: Session) -> int:
    count = session.execute(select(func.count(Quote.id))).scalar_one()
    return 1000 + int(count)


def _make_person(rng: random.Random, ids: _Ids, now: datetime) -> _Person:
    market = rng.choices(V.MARKETS, weights=[m.weight for m in V.MARKETS])[0]
    place = rng.choice(market.places)
    first = rng.choice(V.FIRST_NAMES[market.country])
    last = rng.choice(V.LAST_NAMES[market.country])
    has_email = rng.random() < 0.85
    has_post = rng.random() < 0.9
    rule = rng.choice(V.CONTACT_RULES) if rng.random() < 0.12 else None
    best = rng.choice(V.BEST_TIMES) if rng.random() < 0.1 else None
    created = now - timedelta(days=rng.randint(1, 900), minutes=rng.randint(0, 1439))
    cid = ids.take(Customer)
    company = None
    if rng.random() < 0.08:
        company = f"{last} {rng.choice(('Holdings', 'Property Group', 'Family Trust'))}"
    domain = rng.choice(market.email_domains)
    row: dict[str, Any] = {
        "id": cid,
        "display_name": f"{first} {last}",
        "first_name": first,
        "last_name": last,
        "company": company,
        "email": f"{_ascii(first)}.{_ascii(last)}{cid}@{domain}" if has_email else None,
        "phone_cell": _phone(rng, market, place, mobile=True),
        "phone_office": _phone(rng, market, place, mobile=False) if rng.random() < 0.15 else None,
        "phone_home": _phone(rng, market, place, mobile=False) if rng.random() < 0.2 else None,
        "street": f"{rng.randint(1, 240)} {rng.choice(V.STREET_NAMES)}" if has_post else None,
        "suburb": place.suburb,
        "region": place.region,
        "postcode": place.postcode,
        "country": market.country,
        "timezone": place.timezone,
        "preferred_channel": rng.choice((None, None, Channel.CALL, Channel.TEXT, Channel.EMAIL)),
        "contact_hours": rule,
        "best_times": best,
        "birthday": date(rng.randint(1950, 1998), rng.randint(1, 12), rng.randint(1, 28))
        if rng.random() < 0.3
        else None,
        "family_notes": rng.choice(V.FAMILY_NOTES) if rng.random() < 0.2 else None,
        "notes": None,
        "do_not_contact": False,
        "created_at": created,
        "updated_at": created,
        "deleted_at": None,
        "version": 1,
    }
    hours = allowed_hours_for(market.country, place.region, place.timezone, rule)
    return _Person(row, market, hours, set(), False, has_email, has_post)


def _consent_history(
    rng: random.Random,
    ids: _Ids,
    person: _Person,
    now: datetime,
    consent_rows: list[dict[str, Any]],
    event_rows: list[dict[str, Any]],
) -> None:
    """Grants at first contact; a few later revocations and do-not-contact requests."""
    cid = person.row["id"]
    created = person.row["created_at"]
    state: dict[ConsentChannel, tuple[ConsentState, int, datetime, str, str | None]] = {}
    if rng.random() < 0.9:  # the rest are old contacts with nothing on record
        granted = [ConsentChannel.CALL, ConsentChannel.TEXT]
        if person.has_email:
            granted.append(ConsentChannel.EMAIL)
        if person.has_post:
            granted.append(ConsentChannel.POST)
        words = rng.choice(
            (
                "Call or text me on my mobile, email the quote.",
                "Best to text first, I'm often on the tools.",
                "Happy to hear from you by phone or email.",
            )
        )
        for ch in granted:
            eid = ids.take(ConsentEvent)
            event_rows.append(
                _event(eid, cid, ConsentEventKind.GRANTED, ch, created, "enquiry form", words)
            )
            state[ch] = (ConsentState.GRANTED, eid, created, "enquiry form", words)
    roll = rng.random()
    if roll < 0.02:
        at = now - timedelta(days=rng.randint(1, 120), hours=rng.randint(0, 23))
        at = max(at, created + timedelta(hours=1))
        words = rng.choice(V.DNC_WORDS)
        eid = ids.take(ConsentEvent)
        event_rows.append(
            _event(eid, cid, ConsentEventKind.DO_NOT_CONTACT, None, at, "phone", words)
        )
        for ch in ConsentChannel:
            state[ch] = (ConsentState.REVOKED, eid, at, "phone", words)
        person.dnc = True
        person.revoked = set(ConsentChannel)
        person.row["do_not_contact"] = True
        person.row["updated_at"] = at
    elif roll < 0.08:
        ch = rng.choice((ConsentChannel.TEXT, ConsentChannel.EMAIL, ConsentChannel.CALL))
        at = now - timedelta(days=rng.randint(1, 200), hours=rng.randint(0, 23))
        at = max(at, created + timedelta(hours=1))
        words = rng.choice(V.REVOKE_WORDS[ch.value])
        eid = ids.take(ConsentEvent)
        event_rows.append(_event(eid, cid, ConsentEventKind.REVOKED, ch, at, "text reply", words))
        state[ch] = (ConsentState.REVOKED, eid, at, "text reply", words)
        person.revoked.add(ch)
    for ch, (st, eid, since, source, said) in state.items():
        consent_rows.append(
            {
                "customer_id": cid,
                "channel": ch,
                "state": st,
                "since": since,
                "source": source,
                "words": said,
                "event_id": eid,
            }
        )


def _event(
    eid: int,
    cid: int,
    kind: ConsentEventKind,
    channel: ConsentChannel | None,
    at: datetime,
    source: str,
    words: str | None,
    detail: str | None = None,
    follow_up_id: int | None = None,
) -> dict[str, Any]:
    return {
        "id": eid,
        "customer_id": cid,
        "kind": kind,
        "channel": channel,
        "at": at,
        "source": source,
        "words": words,
        "detail": detail,
        "follow_up_id": follow_up_id,
        "recorded_by": "demo",
    }


def _make_quote(
    rng: random.Random, ids: _Ids, person: _Person, now: datetime, *, latest: bool, number: int
) -> dict[str, Any]:
    if latest:
        stage = _weighted(rng, _LATEST_STAGE_WEIGHTS)
        if person.dnc and stage.is_open:
            stage = Stage.LOST
    else:
        stage = Stage.WON if rng.random() < 0.6 else Stage.LOST
    age_days = {
        Stage.LEAD: (0, 9),
        Stage.QUOTED: (2, 30),
        Stage.FOLLOWING_UP: (6, 75),
        Stage.WON: (4, 420),
        Stage.LOST: (10, 500),
        Stage.PARKED: (30, 220),
    }[stage]
    if not latest:
        age_days = (430, 1100)
    received = now - timedelta(days=rng.randint(*age_days), minutes=rng.randint(0, 1439))
    if stage is Stage.LEAD and rng.random() < 0.3:
        received = now - timedelta(minutes=rng.randint(12, 600))  # speed-to-lead: still fresh
    received = max(received, person.row["created_at"] - timedelta(days=0))
    job = rng.choice(V.JOBS)
    detail = rng.choice(job.details)
    amount = None if stage is Stage.LEAD else _money(rng, job, person.market)
    sent_at = None
    if stage is not Stage.LEAD:
        sent_at = min(received + timedelta(days=rng.randint(1, 6), hours=rng.randint(1, 8)), now)
    closed_at = None
    stage_changed = sent_at or received
    if stage in (Stage.WON, Stage.LOST):
        assert sent_at is not None
        closed_at = min(sent_at + timedelta(days=rng.randint(3, 40)), now - timedelta(hours=2))
        closed_at = max(closed_at, sent_at)
        stage_changed = closed_at
    parked_until = None
    if stage is Stage.PARKED:
        parked_until = (now + timedelta(days=rng.randint(3, 120))).date()
        stage_changed = min((sent_at or received) + timedelta(days=rng.randint(5, 25)), now)
    if stage is Stage.FOLLOWING_UP:
        stage_changed = min((sent_at or received) + timedelta(days=rng.randint(2, 6)), now)
    lost_reason = None
    if stage is Stage.LOST:
        lost_reason = "asked not to be contacted" if person.dnc else rng.choice(V.LOST_REASONS)
    first_response = None
    if not (stage is Stage.LEAD and rng.random() < 0.45):
        first_response = min(received + timedelta(minutes=rng.randint(4, 60 * 26)), now)
    return {
        "id": ids.take(Quote),
        "customer_id": person.row["id"],
        "number": f"Q-{received.year}-{number:05d}",
        "job": f"{job.title} — {detail}",
        "amount": amount,
        "currency": person.market.currency,
        "stage": stage,
        "source": rng.choice(V.SOURCES),
        "received_at": received,
        "first_response_at": first_response,
        "sent_at": sent_at,
        "valid_until": (sent_at + timedelta(days=30)).date() if sent_at else None,
        "competing_quotes": rng.choice((None, 1, 2, 3)) if stage is not Stage.LEAD else None,
        "stage_changed_at": stage_changed,
        "last_touch_at": None,
        "closed_at": closed_at,
        "lost_reason": lost_reason,
        "parked_until": parked_until,
        "notes": None,
        "created_at": received,
        "updated_at": stage_changed,
        "deleted_at": None,
        "version": 1,
    }


def _touch(
    q: dict[str, Any],
    at: datetime,
    channel: Channel,
    direction: Direction,
    outcome: Outcome,
    summary: str,
    subject: str | None = None,
) -> dict[str, Any]:
    return {
        "customer_id": q["customer_id"],
        "quote_id": q["id"],
        "follow_up_id": None,
        "at": at,
        "channel": channel,
        "direction": direction,
        "outcome": outcome,
        "subject": subject,
        "summary": summary,
        "created_at": at,
    }


def _open_channels(person: _Person) -> list[Channel]:
    usable = [Channel.CALL, Channel.TEXT]
    if person.has_email:
        usable.append(Channel.EMAIL)
    return [c for c in usable if c.consent_channel not in person.revoked]


def _touch_history(
    rng: random.Random, person: _Person, q: dict[str, Any], now: datetime
) -> list[dict[str, Any]]:
    """The enquiry, the reply, the quote going out and the follow-ups since."""
    job_title = q["job"].split(" — ")[0].lower()
    out = [
        _touch(
            q,
            q["received_at"],
            rng.choice((Channel.CALL, Channel.EMAIL, Channel.TEXT)),
            Direction.INBOUND,
            Outcome.REPLIED,
            f"Asked for a quote: {q['job']}",
        )
    ]
    if q["first_response_at"] is not None:
        out.append(
            _touch(
                q,
                q["first_response_at"],
                Channel.CALL,
                Direction.OUTBOUND,
                Outcome.REACHED,
                "Booked a site visit to measure up",
            )
        )
    if q["sent_at"] is None:
        return out
    out.append(
        _touch(
            q,
            q["sent_at"],
            Channel.EMAIL,
            Direction.OUTBOUND,
            Outcome.SENT,
            f"Quote {q['number']} sent",
            subject=f"Your {job_title} quote {q['number']}",
        )
    )
    channels = _open_channels(person) or [Channel.CALL]
    end = q["closed_at"] or now
    at = q["sent_at"] + timedelta(days=rng.randint(2, 5))
    outcomes = (Outcome.REACHED, Outcome.VOICEMAIL, Outcome.NO_ANSWER, Outcome.SENT)
    notes = {
        Outcome.REACHED: "Talked it through; still deciding",
        Outcome.VOICEMAIL: "Left a voicemail with my number",
        Outcome.NO_ANSWER: "No answer",
        Outcome.SENT: "Sent a short check-in",
    }
    # Open quotes are being worked, so their touches run up to recent days; a few go quiet.
    tries = rng.randint(2, 9) if q["stage"].is_open and rng.random() < 0.85 else rng.randint(0, 4)
    for _ in range(tries):
        if at >= end:
            break
        ch = rng.choice(channels)
        outcome = rng.choice(outcomes) if ch is Channel.CALL else Outcome.SENT
        out.append(_touch(q, at, ch, Direction.OUTBOUND, outcome, notes[outcome]))
        at += timedelta(days=rng.randint(4, 12))
    if q["stage"] is Stage.WON and q["closed_at"] is not None:
        out.append(
            _touch(
                q,
                q["closed_at"],
                Channel.CALL,
                Direction.INBOUND,
                Outcome.REPLIED,
                "Accepted the quote; deposit on its way",
            )
        )
    elif q["stage"] is Stage.LOST and q["closed_at"] is not None:
        out.append(
            _touch(
                q,
                q["closed_at"],
                Channel.CALL,
                Direction.OUTBOUND,
                Outcome.REACHED,
                f"Closed: {q['lost_reason']}",
            )
        )
    q["last_touch_at"] = max(t["at"] for t in out)
    return out


def _pending_follow_up(
    rng: random.Random, ids: _Ids, person: _Person, q: dict[str, Any], now: datetime
) -> dict[str, Any] | None:
    """The next step for a customer's latest quote, inside everything they allowed."""
    if person.dnc:
        return None
    stage: Stage = q["stage"]
    tz = person.hours.tz
    today = now.astimezone(tz).date()
    job_title = q["job"].split(" — ")[0].lower()
    agreed_words = None
    basis = Basis.PLANNED
    if stage is Stage.WON:
        if q["closed_at"] is None or now - q["closed_at"] > timedelta(days=12):
            return None
        channel = Channel.CARD
        reason = f"Thank-you card for choosing us for the {job_title}"
        day = today + timedelta(days=rng.randint(0, 6))
    elif stage is Stage.LOST:
        return None
    elif stage is Stage.PARKED:
        channel = Channel.CALL
        reason = rng.choice(_REASONS[stage]).format(job=job_title)
        day = q["parked_until"]
    else:
        channel = _weighted(rng, _FOLLOW_UP_CHANNELS)
        roll = rng.random()
        if roll < 0.06:
            day = today - timedelta(days=rng.randint(1, 5))
        elif roll < 0.21:
            day = today
        else:
            day = today + timedelta(days=rng.randint(1, 30))
        reason = rng.choice(_REASONS[stage]).format(job=job_title)
        if channel is not Channel.CARD and rng.random() < 0.35:
            basis = Basis.AGREED
            agreed_words = rng.choice(V.AGREED_WORDS)
        if channel is Channel.CARD:
            reason = f"Handwritten note: thanks for having us quote the {job_title}"
    if channel is Channel.CARD and (not person.has_post or ConsentChannel.POST in person.revoked):
        if stage is Stage.WON:
            return None
        channel = Channel.CALL
        reason = rng.choice(_REASONS[stage]).format(job=job_title)
    if channel.consent_channel in person.revoked or (
        channel is Channel.EMAIL and not person.has_email
    ):
        options = _open_channels(person)
        if not options:
            return None
        channel = options[0]
    due = _local(
        day, rng.choice((9, 10, 11, 13, 14, 15, 16)), rng.choice((0, 15, 30, 45)), person.hours
    )
    if day == today and due < now and rng.random() < 0.7:
        # Most of today's work is still ahead when the owner opens the app.
        ahead = now + timedelta(minutes=15 * rng.randint(2, 28))
        due = ahead.replace(minute=ahead.minute - ahead.minute % 15, second=0, microsecond=0)
    if channel.is_timed and not person.hours.allows(due):
        nxt = person.hours.next_allowed(due)
        if nxt is None:
            return None
        # Land on a tidy quarter hour the customer would recognise, still inside their hours.
        tidy = nxt.replace(second=0, microsecond=0)
        due = tidy if person.hours.allows(tidy) else nxt
    return {
        "id": ids.take(FollowUp),
        "customer_id": person.row["id"],
        "quote_id": q["id"],
        "due_at": due,
        "window_end": None,
        "timezone": person.row["timezone"],
        "channel": channel,
        "reason": reason,
        "basis": basis,
        "agreed_words": agreed_words,
        "status": FollowUpStatus.PENDING,
        "cadence_run_id": None,
        "cadence_step": None,
        "template_id": None,
        "snoozed_until": None,
        "notified_at": None,
        "completed_at": None,
        "cancel_reason": None,
        "created_at": min(q["last_touch_at"] or q["received_at"], now),
        "version": 1,
    }


def _agreed_event(
    ids: _Ids, person: _Person, q: dict[str, Any], fu: dict[str, Any]
) -> dict[str, Any]:
    local = fu["due_at"].astimezone(person.hours.tz)
    channel: Channel = fu["channel"]
    return _event(
        ids.take(ConsentEvent),
        person.row["id"],
        ConsentEventKind.AGREED_FOLLOW_UP,
        channel.consent_channel,
        fu["created_at"],
        "in person",
        fu["agreed_words"],
        detail=f"{channel.value} on {local:%a %d %b %Y %H:%M} ({person.row['timezone']}):"
        f" {fu['reason']}",
        follow_up_id=fu["id"],
    )


def stage_counts_text(summary: DemoSummary, order: Sequence[Stage] = tuple(Stage)) -> str:
    """ "lead 120, quoted 210, …" for the command's report."""
    return ", ".join(f"{s.label.lower()} {summary.by_stage.get(s, 0)}" for s in order)
