"""Realistic, deterministic demo data: a trade business's customers, quotes and follow-ups.

The same seed and `now` always give the same database. Rows are built in memory and written
with bulk inserts, because going through the services one quote at a time would take minutes
for a 20,000-quote business. The rules of permission still hold by construction (a test runs
`core.followups.audit_rules` over the result):

- a do-not-contact customer has nothing pending, their plans are stopped and their open
  quote is closed;
- a revoked channel carries no pending follow-up;
- planned calls and texts sit inside the customer's allowed hours, and no customer's
  seven days hold more planned touches than the cap, nor two lie within a day;
- follow-up plans are played forward with the core's own placement
  (`core.cadence_placement.plan_next_step`), so every step lands where the app would have put it:
  around agreed follow-ups, inside allowed hours, under the cap. Steps already past are
  done, each with the touch that did it; a customer's reply pauses their plan.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import phonenumbers
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from deckfollow.core.cadence_library import list_cadences, seed_builtin_cadences
from deckfollow.core.cadence_placement import STUCK_REASON, plan_next_step, run_anchor
from deckfollow.core.cadence_specs import CadenceSpec
from deckfollow.core.contact_hours import AllowedHours, allowed_hours_for, local_to_utc
from deckfollow.core.enums import (
    Basis,
    CadenceRunStatus,
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
    CadenceRun,
    ChannelConsent,
    ConsentEvent,
    Customer,
    FollowUp,
    Quote,
    Touch,
)
from deckfollow.core.permission import AGREED_CLEARANCE, ConsentInfo, ContactSnapshot, find_slot
from deckfollow.core.settings import get_setting, load_settings, save_owner_settings
from deckfollow.core.timezones import system_country
from deckfollow.demo import vocabulary as V
from deckfollow.demo.sample import record_sample
from deckfollow.storage.sequences import advance_sequences

T = TypeVar("T")

# Out-of-area customers of a local business (that share of all, exactly): a holiday home
# interstate, a family across the border. Everyone else lives in the business's region.
_INTERSTATE = 0.015
_ACROSS_THE_BORDER = 0.01

# Where the latest quote of a customer stands (weights); older quotes are all closed.
_LATEST_STAGE_WEIGHTS = {
    Stage.LEAD: 6,
    Stage.QUOTED: 18,
    Stage.FOLLOWING_UP: 30,
    Stage.WON: 22,
    Stage.LOST: 12,
    Stage.PARKED: 8,
}
_FOLLOW_UP_CHANNELS = {Channel.CALL: 45, Channel.TEXT: 20, Channel.EMAIL: 25, Channel.CARD: 10}

# How often a quote's follow-up runs a built-in plan rather than being followed up by hand.
_PLAN_FOLLOWING_UP = 0.6  # an open quote being followed up
_PLAN_QUOTED = 0.7  # a quote that went out since yesterday evening
_PLAN_BEFORE_CLOSE = 0.35  # a won, lost or parked quote whose plan the close stopped
_PLAN_FULL_LENGTH = 0.12  # a lost quote whose six-month plan ran to its end unanswered
_PLAN_AFTER_SALE = 0.6
_PLAN_ANNIVERSARY = 0.2
_PLAN_PARKED = 0.6
_PLAN_BIRTHDAY = 0.45  # of past customers whose birthday is on file
# A small business runs a few hundred plans at once; a demo of thousands of customers gives
# plans to a bounded share of them (the shares above scale down), which also keeps a
# 20,000-quote demo quick to generate.
_PLAN_BUDGET = 1500  # plan runs, plus one for every ten customers
_PLANS_PER_CUSTOMER = 0.55  # how many runs the shares above give a customer on average
_REPLY_PAUSES = 0.14  # of running after-quote plans: the customer replied, the plan waits
_AGREED_IN_CALL = 0.3  # a plan's call reached them and they agreed the next contact
_AGREED = 0.35  # of follow-ups planned by hand for an open quote
# A plan step due in the last few days that the owner has not got to yet (Today's overdue).
_STEP_LEFT_OVERDUE = 0.07
_OVERDUE_WINDOW = timedelta(days=4)

_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WORD_NUMBERS = {2: "two", 3: "three", 4: "four", 5: "five"}

_OPEN_REASONS = {
    Stage.QUOTED: (
        "Check they received the {job} quote and answer questions",
        "Walk through the {job} quote options",
        "Confirm the colour choice for the {job}",
    ),
    Stage.FOLLOWING_UP: (
        "Check if the bank approved the {job} budget",
        "Offer a start date for the {job}",
        "See if the {job} quote still fits their plans",
        "Answer their questions about the {job} materials",
    ),
}

_CALL_NOTES = {
    Outcome.VOICEMAIL: ("Left a voicemail with my mobile number",),
    Outcome.NO_ANSWER: ("No answer", "No answer; rang out"),
}
_REACHED_QUOTE = (
    "Went through the quote; they're still comparing",
    "Answered questions about footings and drainage",
    "They like the design; waiting on one more quote",
    "Talked through timing and access for the job",
    "Still keen; sorting out the finance",
)
_REACHED_SALE = {
    0: ("Thanked them for going ahead; start date confirmed",),
    2: (
        "Asked how it's going; they passed our number to a neighbour",
        "Happy with the work; asked them for a Google review",
    ),
    3: (
        "Checked in: it's holding up well; reminded them of the seasonal care",
        "All good; they might want a pergola next year",
    ),
}
_REACHED_PARKED = ("Timing's better now; they asked for an updated quote",)
# What a done plan step left in the timeline: (cadence key, step position) → (subject, note).
_STEP_NOTES: dict[tuple[str, int], tuple[str | None, str]] = {
    ("after_quote", 0): (None, "Texted to check the quote arrived; offered to answer questions"),
    ("after_quote", 2): (
        "Photos of a {job} we finished last month",
        "Sent photos of a similar job, with my mobile number",
    ),
    ("after_quote", 3): (None, "Posted a handwritten thank-you card"),
    ("after_quote", 5): (None, "Texted our current lead time"),
    ("after_quote", 6): ("Looking after your {job}", "Sent a care guide for the materials"),
    ("after_quote", 8): (None, "Texted how long the quoted prices hold"),
    ("after_quote", 9): (
        "The best months to build",
        "Sent photos of a recent job nearby and the best months to build",
    ),
    ("after_quote", 11): (None, "Posted a card: still here whenever the job is back on"),
    ("after_sale", 1): (None, "Texted to check access and timing for the start"),
    ("parked", 1): ("Your updated {job} quote", "Sent the refreshed quote at current prices"),
    ("birthday", 0): (None, "Posted a birthday card"),
    ("anniversary", 0): (None, "Posted an anniversary card with the yearly care reminder"),
}
_GENERIC_NOTES = {
    Channel.TEXT: (
        "Texted to see if they had any questions about the quote",
        "Texted a photo of a similar job",
    ),
    Channel.EMAIL: (
        "Emailed a short check-in with my mobile number",
        "Emailed photos of a recent job nearby",
    ),
}
_WON_NOTES = (
    (Channel.CALL, "Accepted the quote; deposit on its way"),
    (Channel.EMAIL, "Signed and returned the quote; deposit paid"),
    (Channel.TEXT, "Happy to go ahead, when can you start?"),
)


@dataclass
class DemoSummary:
    """What `generate_demo` wrote."""

    customers: int = 0
    quotes: int = 0
    touches: int = 0
    follow_ups: int = 0  # every follow-up row: pending, done, skipped and cancelled
    pending_follow_ups: int = 0
    consent_events: int = 0
    plans: int = 0  # follow-up plan runs
    plans_by_status: dict[CadenceRunStatus, int] = field(default_factory=dict)
    by_stage: dict[Stage, int] = field(default_factory=dict)
    by_country: dict[str, int] = field(default_factory=dict)
    country: str = ""
    currency: str = ""


@dataclass
class _Quote:
    """A quote's row and what its story needs beyond the row."""

    row: dict[str, Any]
    title: str  # the job's kind in lower case ("hardwood deck"), for reasons and notes
    latest: bool
    visit_at: datetime | None = None
    visit_touch: dict[str, Any] | None = None
    last_touch: datetime | None = None
    first_plan_touch: datetime | None = None
    # How its follow-up went: None (by hand), "running", "stopped" (by the close) or "full"
    # (a lost quote whose whole plan went unanswered).
    after_quote: str | None = None


@dataclass
class _Person:
    row: dict[str, Any]
    market: V.Market
    hours: AllowedHours
    has_email: bool
    has_post: bool
    consent_roll: float
    on_record: bool  # False: an old contact with no consent on record
    dnc: bool = False
    dnc_at: datetime | None = None
    dnc_words: tuple[str, str] | None = None
    # One channel the customer closed: (channel, when, their words, how they said it).
    revoked: tuple[ConsentChannel, datetime, str, str] | None = None
    quotes: list[_Quote] = field(default_factory=list)
    # Due times of the customer's pending and done planned follow-ups (the weekly cap) and
    # of their pending agreed ones (which plan steps keep clear of).
    planned: list[datetime] = field(default_factory=list)
    agreed: list[datetime] = field(default_factory=list)
    # Consent events per channel as (at, event id, state, source, words), for the state rows.
    consent: dict[ConsentChannel, list[tuple[datetime, int, ConsentState, str, str | None]]] = (
        field(default_factory=dict)
    )
    _snaps: dict[str, ContactSnapshot] = field(default_factory=dict)

    @property
    def id(self) -> int:
        return int(self.row["id"])

    @property
    def tz(self) -> ZoneInfo:
        return self.hours.tz

    def snapshot(self, at: datetime) -> ContactSnapshot:
        """What permission knew about the customer at `at` (before or after they said no)."""
        if self.dnc_at is not None and at >= self.dnc_at:
            kind = "dnc"
        elif self.revoked is not None and at >= self.revoked[1]:
            kind = "revoked"
        else:
            kind = "open"
        snap = self._snaps.get(kind)
        if snap is None:
            consents: dict[ConsentChannel, ConsentInfo] = {}
            dnc_since = dnc_source = None
            if kind == "dnc":
                assert self.dnc_at is not None and self.dnc_words is not None
                dnc_since, dnc_source = self.dnc_at, _SOURCE_OF[self.dnc_words[1]]
            if kind != "open" and self.revoked is not None:
                ch, since, words, source = self.revoked
                consents[ch] = ConsentInfo(ConsentState.REVOKED, since, source, words)
            row = self.row
            snap = ContactSnapshot(
                customer_id=self.id,
                name=row["display_name"],
                country=row["country"],
                region=row["region"],
                timezone=row["timezone"],
                contact_hours=row["contact_hours"],
                do_not_contact=kind == "dnc",
                dnc_since=dnc_since,
                dnc_source=dnc_source,
                consents=consents,
                best_times=row["best_times"],
            )
            self._snaps[kind] = snap
        return snap

    def open_at(self, channel: Channel, at: datetime) -> bool:
        """May the owner use `channel` at `at` (not closed by then, and the details exist)?"""
        if channel is Channel.EMAIL and not self.has_email:
            return False
        if channel is Channel.CARD and not self.has_post:
            return False
        if self.dnc_at is not None and at >= self.dnc_at:
            return False
        return not (
            self.revoked is not None
            and self.revoked[0] is channel.consent_channel
            and at >= self.revoked[1]
        )


_SOURCE_OF = {"call": "phone call", "text": "text message", "email": "email"}


class _Ids:
    """Next free primary key per table, so rows can refer to each other before insert."""

    def __init__(self, session: Session) -> None:
        self._next: dict[type[Any], int] = {
            m: int(session.execute(select(func.coalesce(func.max(m.id), 0))).scalar_one()) + 1
            for m in (Customer, Quote, FollowUp, ConsentEvent, CadenceRun)
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


def _email(rng: random.Random, first: str, last: str, domain: str, taken: set[str]) -> str:
    """An address the way people pick them (mia.chen, miachen84, mchen), unique in the demo."""
    f, n = _ascii(first), _ascii(last)
    styles = (f"{f}.{n}", f"{f}{n}", f"{f[0]}{n}", f"{f}.{n}{rng.randint(60, 99)}", f"{n}.{f}")
    local = rng.choice(styles)
    address = f"{local}@{domain}"
    while address in taken:
        local += str(rng.randint(0, 9))
        address = f"{local}@{domain}"
    taken.add(address)
    return address


def _phone(rng: random.Random, market: V.Market, place: V.Place, mobile: bool) -> str:
    """A valid local number: landlines (and US mobiles, which are geographic) carry the
    customer's own area code, so a Fremantle customer's home phone starts (08) 9."""
    prefixes = market.mobile_prefixes if mobile else market.landline_prefixes
    rest = market.mobile_rest if mobile else market.landline_rest
    local = not mobile or market.geographic_mobiles
    for _ in range(50):
        drawn = rng.choice(prefixes)  # drawn either way: the same seed keeps the same people
        prefix = (place.area if local else drawn).replace(" ", "")
        digits = "".join(rng.choice("0123456789") for _ in range(rest))
        if market.geographic_mobiles:
            digits = str(rng.randint(2, 9)) + digits[1:]
        parsed = phonenumbers.PhoneNumber(
            country_code=int(market.calling_code), national_number=int(prefix + digits)
        )
        # Valid and dialled as the right country (+44 7700 can be Jersey, for one); built
        # from its parts, as parsing thousands of strings costs the demo real time.
        if phonenumbers.is_valid_number_for_region(parsed, market.country):
            return f"+{market.calling_code}{prefix}{digits}"
    raise RuntimeError(f"no valid {market.country} number from the demo prefixes")  # a bug here


def _clock(day: date, minutes: int, tz: ZoneInfo) -> datetime:
    """`minutes` past midnight on a local day, as UTC."""
    return local_to_utc(day, time(minutes // 60, minutes % 60), tz)


def _local_day(at: datetime, tz: ZoneInfo) -> date:
    return at.astimezone(tz).date()


def _daytime(rng: random.Random, day: date, tz: ZoneInfo, lo: int = 8, hi: int = 18) -> datetime:
    """A moment between `lo` and `hi` o'clock on a local day."""
    return _clock(day, rng.randint(lo * 60, hi * 60 - 1), tz)


def _reachable(rng: random.Random, person: _Person, at: datetime) -> datetime:
    """`at`, or a little after the customer's allowed hours next open (nobody rings at 3 a.m.)."""
    if person.hours.allows(at):
        return at
    nxt = person.hours.next_allowed(at)
    if nxt is None:
        return at
    later = nxt + timedelta(minutes=rng.randint(3, 50))
    return later if person.hours.allows(later) else nxt


def _money(rng: random.Random, job: V.Job, market: V.Market) -> Decimal:
    raw = Decimal(rng.randint(job.low, job.high)) * market.price_factor
    # Trades quote round figures, or now and then the exact total of their line items.
    rounded = (raw / 50).quantize(Decimal(1)) * 50
    if rng.random() < 0.3:
        rounded += Decimal(rng.randint(-4999, 4999)) / 100
    return rounded.quantize(Decimal("0.01"))


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _day_text(day: date) -> str:
    """ "Mon 14 Dec" whatever the machine's locale."""
    return f"{_DAYS[day.weekday()][:3]} {day.day} {_MONTHS[day.month - 1]}"


def _when_said(delta: int, day: date, part: str) -> str:
    """How a customer names a day `delta` days ahead: "tomorrow arvo", "next Thursday"."""
    name = _DAYS[day.weekday()]
    if delta <= 0:
        near = {"morning": "this morning", "arvo": "this arvo", "evening": "this evening"}
        return near.get(part, "today at lunchtime" if part == "lunchtime" else "today")
    base = "tomorrow" if delta == 1 else name if delta <= 6 else f"next {name}"
    if part == "lunchtime":
        return f"{base} at lunchtime"
    return f"{base} {part}" if part else base


def _sentences(text: str) -> str:
    """Capitalise each sentence (a day named first reads "Tomorrow at lunchtime works")."""
    return ". ".join(s[:1].upper() + s[1:] for s in text.split(". "))


def _hour_said(hour: int) -> str:
    return str(hour - 12 if hour > 12 else hour)


def _row_follow_up(
    fid: int,
    person: _Person,
    quote_id: int | None,
    due: datetime,
    channel: Channel,
    reason: str,
    created: datetime,
    *,
    basis: Basis = Basis.PLANNED,
    words: str | None = None,
    run_id: int | None = None,
    step: int | None = None,
) -> dict[str, Any]:
    return {
        "id": fid,
        "customer_id": person.id,
        "quote_id": quote_id,
        "due_at": due,
        "window_end": None,
        "timezone": person.row["timezone"],
        "channel": channel,
        "reason": reason,
        "basis": basis,
        "agreed_words": words,
        "status": FollowUpStatus.PENDING,
        "cadence_run_id": run_id,
        "cadence_step": step,
        "template_id": None,
        "snoozed_until": None,
        "notified_at": None,
        "completed_at": None,
        "cancel_reason": None,
        "created_at": created,
        "version": 1,
    }


def _touch(
    person: _Person,
    quote_id: int | None,
    at: datetime,
    channel: Channel,
    direction: Direction,
    outcome: Outcome,
    summary: str,
    subject: str | None = None,
    follow_up_id: int | None = None,
) -> dict[str, Any]:
    return {
        "customer_id": person.id,
        "quote_id": quote_id,
        "follow_up_id": follow_up_id,
        "at": at,
        "channel": channel,
        "direction": direction,
        "outcome": outcome,
        "subject": subject,
        "summary": summary,
        "created_at": at,
    }


@dataclass(frozen=True)
class _Stop:
    """A plan ends at `at`: its pending step is cancelled and the run stopped."""

    at: datetime
    run_reason: str
    step_reason: str


class _Business:
    """Builds the demo business row by row, one customer's story at a time."""

    def __init__(
        self, session: Session, rng: random.Random, now: datetime, customers: int, home: V.Market
    ) -> None:
        self.rng = rng
        # The business quotes in its own currency and words, whoever the customer is.
        self.home = home
        self.local = tuple(p for p in home.places if p.region == home.home_region)
        self.interstate = tuple(p for p in home.places if p.region != home.home_region)
        neighbour = V.market_of(home.neighbour)
        self.neighbour = neighbour or home
        self.across = (
            tuple(p for p in self.neighbour.places if p.region == self.neighbour.home_region)
            or self.local
        )
        interstate = int(customers * _INTERSTATE) if self.interstate else 0
        away = rng.sample(range(customers), interstate + int(customers * _ACROSS_THE_BORDER))
        self.away = {i: i in away[:interstate] for i in away}  # index: True for interstate
        self.now = now
        budget = _PLAN_BUDGET + customers / 10
        self.plan_scale = min(1.0, budget / (customers * _PLANS_PER_CUSTOMER))
        self.ids = _Ids(session)
        self.cap = load_settings(session).weekly_cap
        self.plans: dict[str, CadenceSpec] = {
            c.key: c for c in list_cadences(session) if c.builtin and c.id is not None
        }
        self.customers: list[dict[str, Any]] = []
        self.quotes: list[dict[str, Any]] = []
        self.touches: list[dict[str, Any]] = []
        self.follow_ups: list[dict[str, Any]] = []
        self.runs: list[dict[str, Any]] = []
        self.events: list[dict[str, Any]] = []
        self.consents: list[dict[str, Any]] = []
        self.emails: set[str] = set()
        self.by_id: dict[int, _Quote] = {}
        self.made_overdue = self.made_today = 0

    def touch(self, row: dict[str, Any]) -> dict[str, Any]:
        """Log a touch; its quote remembers when it was last touched."""
        self.touches.append(row)
        q = self.by_id.get(row["quote_id"]) if row["quote_id"] is not None else None
        if q is not None and (q.last_touch is None or row["at"] > q.last_touch):
            q.last_touch = row["at"]
        return row

    # --- People ----------------------------------------------------------------------------

    def person(self) -> _Person:
        rng = self.rng
        market = self.home
        away = self.away.get(len(self.customers))
        if away is None:
            place = rng.choice(self.local)
        elif away:
            place = rng.choice(self.interstate)
        else:
            market, place = self.neighbour, rng.choice(self.across)
        first = rng.choice(V.FIRST_NAMES[market.country])
        last = rng.choice(V.LAST_NAMES[market.country])
        has_email = rng.random() < 0.85
        has_post = rng.random() < 0.9
        rule = rng.choice(V.CONTACT_RULES) if rng.random() < 0.12 else None
        best = rng.choice(V.BEST_TIMES) if rng.random() < 0.1 else None
        cid = self.ids.take(Customer)
        company = None
        if rng.random() < 0.08:
            company = f"{last} {rng.choice(market.company_suffixes)}"
        domain = rng.choice(market.email_domains)
        email = _email(rng, first, last, domain, self.emails) if has_email else None
        preferred = rng.choice((None, None, Channel.CALL, Channel.TEXT, Channel.EMAIL))
        if preferred is Channel.EMAIL and not has_email:
            preferred = Channel.TEXT
        low, high = market.house_numbers
        row: dict[str, Any] = {
            "id": cid,
            "display_name": f"{first} {last}",
            "first_name": first,
            "last_name": last,
            "company": company,
            "email": email,
            "phone_cell": _phone(rng, market, place, mobile=True),
            "phone_office": _phone(rng, market, place, mobile=False)
            if rng.random() < 0.15
            else None,
            "phone_home": _phone(rng, market, place, mobile=False) if rng.random() < 0.2 else None,
            "street": f"{rng.randint(low, high)} {rng.choice(market.streets)}"
            if has_post
            else None,
            "suburb": place.suburb,
            "region": place.region,
            "postcode": place.postcode,
            "country": market.country,
            "timezone": place.timezone,
            "preferred_channel": preferred,
            "contact_hours": rule,
            "best_times": best,
            "birthday": date(rng.randint(1950, 1998), rng.randint(1, 12), rng.randint(1, 28))
            if rng.random() < 0.3
            else None,
            "family_notes": rng.choice(V.FAMILY_NOTES) if rng.random() < 0.2 else None,
            "notes": rng.choice(V.CUSTOMER_NOTES) if rng.random() < 0.2 else None,
            "do_not_contact": False,
            "created_at": None,  # the first enquiry, once the quotes are known
            "updated_at": None,
            "deleted_at": None,
            "version": 1,
        }
        hours = allowed_hours_for(market.country, place.region, place.timezone, rule)
        person = _Person(
            row,
            market,
            hours,
            has_email,
            has_post,
            consent_roll=rng.random(),
            on_record=rng.random() < 0.9,
        )
        person.dnc = person.consent_roll < 0.02
        self.customers.append(row)
        return person

    # --- Quotes: when each was asked for, answered, measured, sent and closed ---------------

    def quotes_for(self, person: _Person, count: int) -> None:
        """Make the customer's quotes (oldest first); the last is the one still in play."""
        rng, now = self.rng, self.now
        if count == 0:
            created = now - timedelta(days=rng.randint(1, 900), minutes=rng.randint(0, 1439))
            person.row["created_at"] = person.row["updated_at"] = created
            return
        stage = _weighted(rng, _LATEST_STAGE_WEIGHTS)
        if person.dnc and stage is not Stage.WON:
            stage = Stage.LOST  # they asked not to be contacted: the quote was closed then
        age = {
            Stage.LEAD: (1, 12),
            Stage.QUOTED: (2, 30),
            Stage.FOLLOWING_UP: (6, 75),
            Stage.WON: (4, 420),
            Stage.LOST: (10, 500),
            Stage.PARKED: (30, 220),
        }[stage]
        full_plan = stage is Stage.LOST and not person.dnc and self._plan(_PLAN_FULL_LENGTH)
        if full_plan:
            age = (200, 480)
        received = self._received(person, rng.randint(*age))
        if stage is Stage.LEAD and rng.random() < 0.1:
            received = now - timedelta(minutes=rng.randint(12, 600))  # speed-to-lead: still fresh
        older = sorted(
            self._received(person, (now - received).days + rng.randint(60, 700))
            for _ in range(count - 1)
        )
        for when in older:
            stage_then = Stage.WON if rng.random() < 0.6 else Stage.LOST
            self._quote(person, stage_then, when, self._bought_before(person))
        repeat = self._bought_before(person)
        self._quote(person, stage, received, repeat, latest=True, full_plan=full_plan)
        first = person.quotes[0].row["received_at"]
        person.row["created_at"] = person.row["updated_at"] = first

    def _before_now(self, person: _Person, at: datetime, hours: int) -> datetime:
        """`at`, or if that is not at least `hours` ago, the latest waking moment that is (an
        acceptance "two hours ago" at 6 a.m. their time reads as last evening instead)."""
        latest = self.now - timedelta(hours=hours)
        if at <= latest:
            return at
        local = latest.astimezone(person.tz)
        if 8 <= local.hour < 21:
            return latest
        day = local.date() - timedelta(days=1) if local.hour < 8 else local.date()
        evening = _daytime(self.rng, day, person.tz, 17, 20)
        return min(evening, latest)

    @staticmethod
    def _bought_before(person: _Person) -> bool:
        return any(q.row["stage"] is Stage.WON for q in person.quotes)

    def _received(self, person: _Person, days_ago: int) -> datetime:
        """An enquiry `days_ago` days back, at a time people fill in forms and ring."""
        day = _local_day(self.now, person.tz) - timedelta(days=days_ago)
        at = _daytime(self.rng, day, person.tz, 7, 22)
        return min(at, self.now - timedelta(minutes=15))

    def _quote(
        self,
        person: _Person,
        stage: Stage,
        received: datetime,
        repeat: bool,
        *,
        latest: bool = False,
        full_plan: bool = False,
    ) -> _Quote:
        rng, now, tz = self.rng, self.now, person.tz
        job = rng.choice(V.JOBS)
        title, details = job.wording(self.home.wording)
        # "repeat customer" is someone who bought before and came back.
        source = V.REPEAT_SOURCE if repeat and rng.random() < 0.6 else rng.choice(V.SOURCES)
        amount = None if stage is Stage.LEAD else _money(rng, job, self.home)
        sent_at = visit_at = first_response = None
        if stage is Stage.LEAD:
            # Most enquiries get an answer within a day; the ones still waiting are recent.
            waiting = now - received < timedelta(days=1) and rng.random() < 0.5
            if not waiting:
                answer = received + timedelta(minutes=rng.randint(4, 60 * 26))
                answer = _reachable(rng, person, answer)
                # An answer that would lie in the future has not happened: still waiting.
                first_response = answer if answer <= now - timedelta(minutes=5) else None
            if first_response is not None:
                # The site visit was booked for a day or so later; it may not have happened yet.
                visit_day = _local_day(first_response, tz) + timedelta(days=rng.randint(1, 5))
                visit_at = _reachable(rng, person, _daytime(rng, visit_day, tz, 8, 16))
        else:
            # Small jobs are often quoted from the customer's photos, without a visit.
            photos = job.high <= 8_000 and rng.random() < 0.7
            first_response, visit_at, sent_at = self._measure_and_quote(person, received, photos)
        lost_reason = None
        if stage is Stage.LOST:
            lost_reason = (
                "asked not to be contacted"
                if person.dnc and latest
                else V.LOST_AFTER_PLAN
                if full_plan
                else rng.choice(list(V.LOST_REASONS))
            )
        closed_at = None
        stage_changed = sent_at or received
        if stage in (Stage.WON, Stage.LOST):
            assert sent_at is not None
            # Three tries without a reply take a couple of weeks; a yes or a no can come sooner.
            days = (12, 40) if lost_reason == V.NO_REPLY else (3, 40)
            if full_plan:
                days = (186, 200)
            # A young quote closed in the days it has had (not all on the same afternoon).
            room = (_local_day(now, tz) - _local_day(sent_at, tz)).days
            low = min(days[0], room)
            close_day = _local_day(sent_at, tz) + timedelta(
                days=rng.randint(low, max(low, min(days[1], room)))
            )
            closed_at = _reachable(rng, person, _daytime(rng, close_day, tz, 8, 20))
            closed_at = self._before_now(person, closed_at, 2)
            closed_at = max(closed_at, sent_at + timedelta(hours=1))
            stage_changed = closed_at
        parked_until = None
        if stage is Stage.PARKED:
            today = _local_day(now, tz)
            if rng.random() < 0.06:
                parked_until = today - timedelta(days=rng.randint(0, 2))  # the date has come
            else:
                parked_until = today + timedelta(days=rng.randint(3, 120))
            stage_changed = min((sent_at or received) + timedelta(days=rng.randint(5, 25)), now)
        if stage is Stage.FOLLOWING_UP:
            stage_changed = min((sent_at or received) + timedelta(days=rng.randint(2, 6)), now)
        competing = rng.choice((None, 1, 2, 3)) if stage is not Stage.LEAD else None
        qid = self.ids.take(Quote)
        row: dict[str, Any] = {
            "id": qid,
            "customer_id": person.id,
            "number": None,  # numbered in the order the enquiries came in, once all are made
            "job": f"{title} — {rng.choice(details)}",
            "amount": amount,
            "currency": self.home.currency,
            "stage": stage,
            "source": source,
            "received_at": received,
            "first_response_at": first_response,
            "sent_at": sent_at,
            "valid_until": (sent_at + timedelta(days=30)).date() if sent_at else None,
            "competing_quotes": competing,
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
        q = _Quote(row, title.lower(), latest, visit_at)
        if latest:
            q.after_quote = self._plan_choice(stage, sent_at, full_plan)
            if q.after_quote == "stopped" and lost_reason == V.NO_REPLY:
                row["lost_reason"] = V.NO_REPLY_TO_PLAN  # it was more than three tries
        self.quotes.append(row)
        self.by_id[qid] = q
        person.quotes.append(q)
        return q

    def _measure_and_quote(
        self, person: _Person, received: datetime, photos: bool
    ) -> tuple[datetime, datetime | None, datetime]:
        """Call back, measure up on site in working hours, write the quote (often at night).

        A job quoted from the customer's `photos` has no site visit; an enquiry that came in
        recently was answered, measured and quoted quickly to have gone out by now."""
        rng, now, tz = self.rng, self.now, person.tz
        latest = now - timedelta(hours=1)
        for quick in (False, True):
            wait = rng.randint(4, 90) if quick else rng.randint(4, 60 * 26)
            answered = _reachable(rng, person, received + timedelta(minutes=wait))
            if photos:
                later = 0 if quick else rng.randint(0, 2)
                sent = _daytime(rng, _local_day(answered, tz) + timedelta(days=later), tz)
                sent = max(sent, answered + timedelta(hours=rng.randint(2, 5)))
                if sent <= latest:
                    return answered, None, sent
                continue
            day = _local_day(answered, tz) + timedelta(days=0 if quick else rng.randint(0, 3))
            if not quick and day == _local_day(answered, tz) and answered.astimezone(tz).hour >= 13:
                day += timedelta(days=1)
            visit = _reachable(rng, person, _daytime(rng, day, tz, 8, 16))
            if visit <= answered:
                visit = _reachable(rng, person, answered + timedelta(hours=rng.randint(1, 3)))
            later = 0 if quick else rng.randint(0, 2)
            sent = _daytime(rng, _local_day(visit, tz) + timedelta(days=later), tz, 8, 22)
            sent = max(sent, visit + timedelta(hours=rng.randint(2, 6)))
            if sent <= latest:
                return answered, visit, sent
        # Answered as it came in (it was a call), quoted from what they described.
        answered = received + timedelta(minutes=rng.randint(1, 10))
        return answered, None, max(self._before_now(person, now, 1), answered + timedelta(hours=1))

    def _plan(self, share: float) -> bool:
        """Does this quote or customer run a plan (given its share, scaled to the budget)?"""
        return self.rng.random() < share * self.plan_scale

    def _plan_choice(self, stage: Stage, sent_at: datetime | None, full_plan: bool) -> str | None:
        """Does the quote's follow-up run the after-quote plan, and how did it end?"""
        roll = self.rng.random() / self.plan_scale
        if full_plan:
            return "full"
        if stage is Stage.FOLLOWING_UP:
            return "running" if roll < _PLAN_FOLLOWING_UP else None
        if stage is Stage.QUOTED:
            # Its first step (a text the next morning) is still to come: not yet followed up.
            fresh = sent_at is not None and self.now - sent_at < timedelta(hours=20)
            return "running" if fresh and roll < _PLAN_QUOTED else None
        if stage in (Stage.WON, Stage.LOST, Stage.PARKED) and sent_at is not None:
            recent = self.now - sent_at < timedelta(days=250)
            return "stopped" if recent and roll < _PLAN_BEFORE_CLOSE else None
        return None

    # --- Consent: what each customer agreed to and refused -----------------------------------

    def _consent_event(
        self,
        person: _Person,
        kind: ConsentEventKind,
        channel: ConsentChannel | None,
        at: datetime,
        source: str,
        words: str | None,
        detail: str | None = None,
        follow_up_id: int | None = None,
    ) -> int:
        eid = self.ids.take(ConsentEvent)
        self.events.append(
            {
                "id": eid,
                "customer_id": person.id,
                "kind": kind,
                "channel": channel,
                "at": at,
                "source": source,
                "words": words,
                "detail": detail,
                "follow_up_id": follow_up_id,
                "recorded_by": "demo",
            }
        )
        if kind is not ConsentEventKind.AGREED_FOLLOW_UP:
            state = (
                ConsentState.GRANTED if kind is ConsentEventKind.GRANTED else ConsentState.REVOKED
            )
            for ch in [channel] if channel is not None else list(ConsentChannel):
                person.consent.setdefault(ch, []).append((at, eid, state, source, words))
        return eid

    def consent_history(self, person: _Person) -> None:
        """Grants at the first enquiry; a few later refusals of one channel or of everything."""
        rng, now = self.rng, self.now
        created: datetime = person.row["created_at"]
        if person.on_record:
            first = person.quotes[0].row["source"] if person.quotes else "phone call"
            source = (
                "enquiry form" if first in ("website form", "Google", "Houzz") else "phone call"
            )
            pref = person.row["preferred_channel"]
            key = pref.value if pref is not None else "any" if person.has_email else "no email"
            words = rng.choice(V.GRANT_WORDS[key])
            granted = [ConsentChannel.CALL, ConsentChannel.TEXT]
            if person.has_email:
                granted.append(ConsentChannel.EMAIL)
            for ch in granted:
                self._consent_event(person, ConsentEventKind.GRANTED, ch, created, source, words)
            if person.has_post:
                self._consent_event(
                    person, ConsentEventKind.GRANTED, ConsentChannel.POST, created, source, None
                )
        if person.dnc:
            latest = person.quotes[-1] if person.quotes else None
            lost = latest is not None and latest.row["stage"] is Stage.LOST
            person.dnc_words = rng.choice(
                [
                    w
                    for w in V.DNC_WORDS["lost" if lost else "customer"]
                    if w[1] != "email" or person.has_email
                ]
            )
            if latest is not None and latest.row["stage"] is Stage.LOST:
                # The call, text or email that said "stop" is what closed their quote.
                at = latest.row["closed_at"] - timedelta(minutes=rng.randint(5, 40))
            else:
                start = latest.row["closed_at"] if latest is not None else created
                span = max(1, (now - start).days - 1)
                at = start + timedelta(days=rng.randint(1, span) if span > 1 else 0, hours=2)
                at = self._before_now(person, at, 1)
            person.dnc_at = max(at, created + timedelta(hours=1))
        elif person.consent_roll < 0.08:
            ch = rng.choice((ConsentChannel.TEXT, ConsentChannel.EMAIL, ConsentChannel.CALL))
            if ch is ConsentChannel.EMAIL and not person.has_email:
                ch = ConsentChannel.TEXT
            at = now - timedelta(days=rng.randint(1, 200), minutes=rng.randint(0, 24 * 60 - 1))
            # Said in a call or message in waking hours, and before now.
            at = self._before_now(person, _reachable(rng, person, at), 1)
            words, source = rng.choice(V.REVOKE_WORDS[ch.value])
            person.revoked = (ch, max(at, created + timedelta(hours=1)), words, source)
            self._consent_event(
                person, ConsentEventKind.REVOKED, ch, person.revoked[1], source, words
            )

    def _record_dnc(self, person: _Person) -> None:
        assert person.dnc_at is not None and person.dnc_words is not None
        words, way = person.dnc_words
        at = person.dnc_at
        self._consent_event(
            person, ConsentEventKind.DO_NOT_CONTACT, None, at, _SOURCE_OF[way], words
        )
        person.row["do_not_contact"] = True
        person.row["updated_at"] = max(person.row["updated_at"], at)
        quote_id = person.quotes[-1].row["id"] if person.quotes else None
        self.touch(
            _touch(person, quote_id, at, Channel(way), Direction.INBOUND, Outcome.REPLIED, words)
        )

    def consent_rows(self, person: _Person) -> None:
        """Each channel's state is its latest event."""
        for ch, history in person.consent.items():
            at, eid, state, source, words = max(history, key=lambda h: (h[0], h[1]))
            self.consents.append(
                {
                    "customer_id": person.id,
                    "channel": ch,
                    "state": state,
                    "since": at,
                    "source": source,
                    "words": words,
                    "event_id": eid,
                }
            )

    # --- A quote's story --------------------------------------------------------------------

    def story(self, person: _Person, q: _Quote) -> None:
        """Enquiry, reply, site visit, the quote going out, the follow-ups since and the close."""
        rng, now, row = self.rng, self.now, q.row
        qid = row["id"]
        way = Channel(rng.choice(V.SOURCE_CHANNELS[row["source"]]))
        if not 7 <= row["received_at"].astimezone(person.tz).hour < 21:
            way = Channel.EMAIL  # at night people write, they don't ring
        asked = (
            f"Asked for a quote again: {row['job']}"
            if row["source"] == V.REPEAT_SOURCE
            else f"Asked for a quote: {row['job']}"
        )
        out = [
            _touch(
                person,
                qid,
                row["received_at"],
                way,
                Direction.INBOUND,
                Outcome.REPLIED,
                asked,
                subject="Quote request" if way is Channel.EMAIL else None,
            )
        ]
        if row["first_response_at"] is not None:
            booked = "Called back; they're sending photos and measurements to quote from"
            if q.visit_at is not None:
                visit_day = _day_text(_local_day(q.visit_at, person.tz))
                booked = f"Called back; booked a site visit for {visit_day}"
            out.append(
                _touch(
                    person,
                    qid,
                    row["first_response_at"],
                    Channel.CALL,
                    Direction.OUTBOUND,
                    Outcome.REACHED,
                    booked,
                )
            )
        if q.visit_at is not None and q.visit_at <= now:
            q.visit_touch = _touch(
                person,
                qid,
                q.visit_at,
                Channel.VISIT,
                Direction.OUTBOUND,
                Outcome.REACHED,
                "Measured up on site and took photos",
            )
            out.append(q.visit_touch)
        for t in out:
            self.touch(t)
        sent = row["sent_at"]
        if sent is not None:
            valid = row["valid_until"]
            self.touch(
                _touch(
                    person,
                    qid,
                    sent,
                    Channel.EMAIL,
                    Direction.OUTBOUND,
                    Outcome.SENT,
                    f"Sent the quote: {row['currency']} {row['amount']:,.2f}, valid until "
                    f"{valid.day} {_MONTHS[valid.month - 1]} {valid.year}",
                    subject=f"Your {q.title} quote {row['number']}",
                )
            )
            if q.after_quote is not None:
                self._after_quote_plan(person, q)
            else:
                self._follow_ups_by_hand(person, q)
        self._close(person, q)
        if q.latest:
            self._next_steps(person, q)

    def _follow_ups_by_hand(self, person: _Person, q: _Quote) -> None:
        """Calls, texts and emails between the quote going out and now (or the close)."""
        rng, row = self.rng, q.row
        end = row["closed_at"] or self.now
        if row["stage"] is Stage.PARKED:
            end = row["stage_changed_at"]
        if person.dnc_at is not None:
            end = min(end, person.dnc_at)
        at = row["sent_at"] + timedelta(days=rng.randint(2, 5))
        gap = (4, 12)
        open_quote = row["stage"].is_open
        tries = rng.randint(2, 9) if open_quote and rng.random() < 0.85 else rng.randint(0, 3)
        if row["stage"] is Stage.QUOTED:
            tries = 0  # nobody has followed it up yet: that is what the stage says
        unanswered = row["lost_reason"] in V.UNANSWERED
        if unanswered:
            # Two tries nobody answered, then the third that closes it: spread to fit.
            tries, step = 2, max(1, (end - row["sent_at"]).days // 3)
            at, gap = row["sent_at"] + timedelta(days=step), (step, step)
        for _ in range(tries):
            at = _reachable(rng, person, _daytime(rng, _local_day(at, person.tz), person.tz, 9, 19))
            if at >= end:
                break
            usable = [
                c for c in (Channel.CALL, Channel.TEXT, Channel.EMAIL) if person.open_at(c, at)
            ]
            if not usable:
                break
            ch = rng.choice(usable)
            if ch is Channel.CALL:
                answers = (Outcome.REACHED,) if not unanswered else ()
                outcome = rng.choice((*answers, Outcome.VOICEMAIL, Outcome.NO_ANSWER))
                note = rng.choice(
                    _REACHED_QUOTE if outcome is Outcome.REACHED else _CALL_NOTES[outcome]
                )
                subject = None
            else:
                outcome, note = Outcome.SENT, rng.choice(_GENERIC_NOTES[ch])
                subject = f"Your {q.title} quote" if ch is Channel.EMAIL else None
            self.touch(
                _touch(person, row["id"], at, ch, Direction.OUTBOUND, outcome, note, subject)
            )
            at += timedelta(days=rng.randint(*gap))

    def _close(self, person: _Person, q: _Quote) -> None:
        """The touch that closed a won or lost quote."""
        rng, row = self.rng, q.row
        closed = row["closed_at"]
        if row["stage"] is Stage.PARKED:
            until: date = row["parked_until"]
            at = min(_reachable(rng, person, row["stage_changed_at"]), self.now)
            self.touch(
                _touch(
                    person,
                    row["id"],
                    at,
                    Channel.CALL,
                    Direction.OUTBOUND,
                    Outcome.REACHED,
                    "They'd rather wait; agreed to try again after "
                    f"{until.day} {_MONTHS[until.month - 1]} {until.year}",
                )
            )
            return
        if closed is None:
            return
        if row["stage"] is Stage.WON:
            ch, note = rng.choice(_WON_NOTES)
            if not person.open_at(ch, closed):
                ch = Channel.CALL
            self.touch(
                _touch(person, row["id"], closed, ch, Direction.INBOUND, Outcome.REPLIED, note)
            )
            return
        reason = row["lost_reason"]
        if q.latest and person.dnc:
            return  # their "please stop" closed it; that touch comes with the ledger entry
        if reason == V.LOST_AFTER_PLAN:
            direction, way = "outbound", "email"
            note = "Closed the quote after six months without a reply; kept them on the card list"
        elif reason == V.NO_REPLY_TO_PLAN:
            direction, way = "outbound", "email"
            note = "No reply to any of our follow-ups; closed the quote, kept them on the card list"
        else:
            direction, way, note = V.LOST_REASONS[reason]
        ch = Channel(way)
        if not person.open_at(ch, closed):
            ch = Channel.CALL if person.open_at(Channel.CALL, closed) else Channel.EMAIL
        inbound = direction == "inbound"
        outcome = Outcome.REPLIED if inbound else Outcome.SENT
        if ch is Channel.CALL and not inbound:
            outcome = Outcome.REACHED
            if reason in V.UNANSWERED:
                outcome, note = Outcome.VOICEMAIL, "Left a last voicemail and closed the quote"
        at = closed  # a moment they could be reached (see _quote)
        direction_ = Direction.INBOUND if inbound else Direction.OUTBOUND
        self.touch(_touch(person, row["id"], at, ch, direction_, outcome, note))

    # --- Plans ------------------------------------------------------------------------------

    def _after_quote_plan(self, person: _Person, q: _Quote) -> None:
        rng, now, row = self.rng, self.now, q.row
        start = row["sent_at"] + timedelta(minutes=rng.randint(2, 30))
        stop = None
        if row["closed_at"] is not None or row["stage"] is Stage.PARKED:
            at = row["closed_at"] or row["stage_changed_at"]
            why = f"quote closed as {row['stage'].label.lower()}"
            stop = _Stop(at, why, why)
        reply = None
        running = q.after_quote == "running" and row["stage"] is Stage.FOLLOWING_UP
        if running and rng.random() < _REPLY_PAUSES:
            day = _local_day(now, person.tz) - timedelta(days=rng.randint(1, 10))
            at = self._before_now(person, _daytime(rng, day, person.tz, 8, 21), 1)
            if at > start + timedelta(days=1):
                reply = at
        self.play_plan(
            person,
            "after_quote",
            q,
            start,
            stop=stop,
            reply=reply,
            complete=row["stage"] is not Stage.QUOTED,
            agree_in_call=q.after_quote == "running" and rng.random() < _AGREED_IN_CALL,
            unanswered=row["lost_reason"] in V.UNANSWERED,
        )
        if row["stage"] is Stage.FOLLOWING_UP and q.first_plan_touch is not None:
            # The first step done moved it from quoted to following up.
            row["stage_changed_at"] = row["updated_at"] = q.first_plan_touch

    def _next_steps(self, person: _Person, q: _Quote) -> None:
        """After the latest quote's story: the plans that carry on and what is due next."""
        rng, now, row = self.rng, self.now, q.row
        stage: Stage = row["stage"]
        if stage is Stage.WON:
            closed = row["closed_at"]
            after_sale = now - closed < timedelta(days=400) and self._plan(_PLAN_AFTER_SALE)
            if after_sale:
                # Started as the job was won; a later "please stop" stops it (play_plan).
                self.play_plan(
                    person, "after_sale", q, closed + timedelta(minutes=rng.randint(5, 40))
                )
            elif now - closed < timedelta(days=12) and not person.dnc:
                reason = f"Thank-you card for choosing us for the {q.title}"
                written = _local_day(closed, person.tz) + timedelta(days=rng.randint(1, 3))
                today = _local_day(now, person.tz)
                day = written if written >= today else today + timedelta(days=rng.randint(0, 4))
                if person.open_at(Channel.CARD, now):
                    self._by_hand(person, q, Channel.CARD, reason, day)
            if self._plan(_PLAN_ANNIVERSARY) and not person.dnc:
                self.play_plan(
                    person, "anniversary", q, closed + timedelta(minutes=rng.randint(45, 90))
                )
            return
        if person.dnc:
            return
        if stage is Stage.PARKED:
            started = row["stage_changed_at"] + timedelta(minutes=rng.randint(1, 20))
            if self._plan(_PLAN_PARKED):
                self.play_plan(person, "parked", q, started, complete=False)
            else:
                reason = f"Revisit the parked {q.title} quote, as agreed"
                self._by_hand(person, q, Channel.CALL, reason, row["parked_until"])
            return
        if stage is Stage.LOST:
            return
        if q.after_quote == "running":
            return  # the plan's next step is the follow-up
        self._open_follow_up(person, q)

    def play_plan(
        self,
        person: _Person,
        key: str,
        q: _Quote | None,
        start: datetime,
        *,
        stop: _Stop | None = None,
        reply: datetime | None = None,
        complete: bool = True,
        agree_in_call: bool = False,
        unanswered: bool = False,
    ) -> None:
        """Start a built-in plan at `start` and live it up to now, as the app would have.

        The core places each step (`plan_next_step`); the owner does each one when it falls
        due (a few recent ones may still wait, overdue), logging the touch; a revoked
        channel cancels the step on it; a reply pauses the run; `stop` ends it.
        """
        rng, now = self.rng, self.now
        spec = self.plans.get(key)
        if spec is None or spec.id is None:
            return  # the user's own plan took the built-in's key; the demo leaves it be
        if person.dnc_at is not None and start >= person.dnc_at:
            return
        if person.dnc_at is not None and (stop is None or person.dnc_at < stop.at):
            stop = _Stop(
                person.dnc_at,
                "stopped: customer asked not to be contacted",
                "customer asked not to be contacted",
            )
        run_id = self.ids.take(CadenceRun)
        run: dict[str, Any] = {
            "id": run_id,
            "cadence_id": spec.id,
            "customer_id": person.id,
            "quote_id": q.row["id"] if q is not None else None,
            "started_at": start,
            "status": CadenceRunStatus.ACTIVE,
            "paused_reason": None,
        }
        self.runs.append(run)
        quote_id = run["quote_id"]
        anchor = run_anchor(
            spec,
            _local_day(start, person.tz),
            birthday=person.row["birthday"],
            parked_until=q.row["parked_until"] if q is not None else None,
        )
        title = q.title if q is not None else "job"
        t = start
        last: int | None = None
        pending: dict[str, Any] | None = None
        revoke = person.revoked
        while True:
            if pending is None and run["status"] is CadenceRunStatus.ACTIVE:
                nxt = plan_next_step(
                    spec,
                    anchor,
                    person.snapshot(t),
                    last_index=last,
                    now=t,
                    planned=person.planned,
                    agreed=person.agreed,
                    cap=self.cap,
                )
                for p in nxt.passed_over:
                    fu = _row_follow_up(
                        self.ids.take(FollowUp),
                        person,
                        quote_id,
                        p.due_at,
                        p.occurrence.step.channel,
                        p.occurrence.step.reason,
                        t,
                        run_id=run_id,
                        step=p.occurrence.index,
                    )
                    fu.update(
                        status=FollowUpStatus.CANCELLED, completed_at=t, cancel_reason=p.passed_over
                    )
                    self.follow_ups.append(fu)
                    last = p.occurrence.index
                if nxt.placed is None:
                    if nxt.finished:
                        run["status"] = CadenceRunStatus.FINISHED
                    else:
                        run["status"] = CadenceRunStatus.PAUSED
                        run["paused_reason"] = STUCK_REASON
                    break
                occ = nxt.placed.occurrence
                pending = _row_follow_up(
                    self.ids.take(FollowUp),
                    person,
                    quote_id,
                    nxt.placed.due_at,
                    occ.step.channel,
                    occ.step.reason,
                    t,
                    run_id=run_id,
                    step=occ.index,
                )
                self.follow_ups.append(pending)
                person.planned.append(pending["due_at"])
                last = occ.index
            # What happens next: the owner does the step, the customer closes its channel,
            # replies, or the plan is stopped; whichever comes first (and before now).
            events: list[tuple[datetime, str]] = []
            if pending is not None:
                due: datetime = pending["due_at"]
                channel: Channel = pending["channel"]
                done_at = due + timedelta(minutes=rng.randint(0, 25 if channel.is_timed else 90))
                if channel.is_timed and not person.hours.allows(done_at):
                    done_at = due
                lazy = now - due < _OVERDUE_WINDOW and rng.random() < _STEP_LEFT_OVERDUE
                if complete and run["status"] is CadenceRunStatus.ACTIVE and not lazy:
                    events.append((done_at, "done"))
                if revoke is not None and revoke[0] is channel.consent_channel and revoke[1] > t:
                    events.append((revoke[1], "revoked"))
            if reply is not None and reply > t:
                events.append((reply, "reply"))
            if stop is not None and stop.at > t:
                events.append((stop.at, "stop"))
            events = [e for e in events if e[0] <= now]
            if not events:
                break
            at, what = min(events)
            if what == "stop":
                assert stop is not None
                if pending is not None:
                    pending.update(
                        status=FollowUpStatus.CANCELLED,
                        completed_at=at,
                        cancel_reason=stop.step_reason,
                    )
                    person.planned.remove(pending["due_at"])
                run["status"] = CadenceRunStatus.STOPPED
                run["paused_reason"] = stop.run_reason
                break
            if what == "reply":
                reply = None
                self._reply(person, q, at, pending)
                run["status"] = CadenceRunStatus.PAUSED
                run["paused_reason"] = "the customer replied"
                t = at
                continue
            assert pending is not None
            if what == "revoked":
                assert revoke is not None
                pending.update(
                    status=FollowUpStatus.CANCELLED,
                    completed_at=at,
                    cancel_reason=f"{revoke[0].value} revoked",
                )
                person.planned.remove(pending["due_at"])
                pending = None
                t = at
                continue
            # Done: the owner made the contact and logged it.
            pending.update(status=FollowUpStatus.DONE, completed_at=at)
            touch = self.touch(self._step_touch(person, spec.key, pending, at, title, unanswered))
            if q is not None and q.first_plan_touch is None:
                q.first_plan_touch = at
            t = at
            pending = None
            if (
                agree_in_call
                and touch["outcome"] is Outcome.REACHED
                and now - at < timedelta(days=9)
                and q is not None
            ):
                agreed = self._agree(person, q, at, "phone call", touch)
                agree_in_call = agreed is None

    def _step_touch(
        self,
        person: _Person,
        key: str,
        fu: dict[str, Any],
        at: datetime,
        title: str,
        unanswered: bool = False,
    ) -> dict[str, Any]:
        """The touch that did a plan step, worded for the step."""
        rng = self.rng
        channel: Channel = fu["channel"]
        position = _position(self.plans[key], fu["cadence_step"])
        subject, note = _STEP_NOTES.get((key, position), (None, fu["reason"]))
        if channel is Channel.CALL:
            reach = 0.7 if key == "after_sale" and position == 0 else 0.45
            if unanswered:
                reach = 0.0
            roll = rng.random()
            if roll < reach:
                outcome = Outcome.REACHED
                if key == "after_sale":
                    notes = _REACHED_SALE.get(position, _REACHED_SALE[3])
                elif key == "parked":
                    notes = _REACHED_PARKED
                else:
                    notes = _REACHED_QUOTE
                note = rng.choice(notes)
            else:
                outcome = (
                    Outcome.VOICEMAIL if roll < reach + (1 - reach) * 0.6 else Outcome.NO_ANSWER
                )
                note = rng.choice(_CALL_NOTES[outcome])
        elif channel is Channel.CARD:
            outcome = Outcome.MAILED
        else:
            outcome = Outcome.SENT
        return _touch(
            person,
            fu["quote_id"],
            at,
            channel,
            Direction.OUTBOUND,
            outcome,
            note,
            subject=subject.format(job=title) if subject else None,
            follow_up_id=fu["id"],
        )

    def _reply(
        self, person: _Person, q: _Quote | None, at: datetime, pending: dict[str, Any] | None
    ) -> None:
        """The customer wrote back: the plan pauses, and half the time they name a next step."""
        rng = self.rng
        usable = [c for c in (Channel.TEXT, Channel.EMAIL, Channel.CALL) if person.open_at(c, at)]
        if not usable or q is None:
            return
        way = rng.choice(usable)
        touch = self.touch(
            _touch(
                person,
                q.row["id"],
                at,
                way,
                Direction.INBOUND,
                Outcome.REPLIED,
                rng.choice(V.REPLIES[way.value]),
            )
        )
        agreed = rng.random() < 0.5 and self._agree(person, q, at, _SOURCE_OF[way.value], touch)
        if agreed and pending is not None:
            self._keep_clear(person, pending, at)

    def _keep_clear(self, person: _Person, fu: dict[str, Any], at: datetime) -> None:
        """A plan step moves off a newly agreed follow-up, as `refit_planned` moves it."""
        due: datetime = fu["due_at"]
        if all(abs(due - a) >= AGREED_CLEARANCE for a in person.agreed):
            return
        person.planned.remove(due)
        slot = find_slot(
            person.snapshot(at),
            fu["channel"],
            max(due, at),
            person.planned,
            self.cap,
            keep_clear_of=person.agreed,
        )
        if slot is None:
            fu.update(
                status=FollowUpStatus.CANCELLED,
                completed_at=at,
                cancel_reason="no allowed time for it within four months",
            )
            return
        fu["due_at"] = slot
        person.planned.append(slot)

    # --- Follow-ups planned by hand --------------------------------------------------------

    def _open_follow_up(self, person: _Person, q: _Quote) -> None:
        """The next step for an open quote nobody runs a plan for: planned, or agreed."""
        rng, now, row = self.rng, self.now, q.row
        stage: Stage = row["stage"]
        tz = person.tz
        today = _local_day(now, tz)
        if stage is Stage.LEAD:
            if row["first_response_at"] is None:
                due = row["received_at"] + timedelta(minutes=rng.randint(5, 30))
                reason = f"First reply to the {q.title} enquiry"
                self._by_hand(person, q, Channel.CALL, reason, _local_day(due, tz), at=due)
                return
            if q.visit_at is not None and q.visit_at > now:
                day = _local_day(q.visit_at, tz) - timedelta(days=1)
                reason = f"Remind them of the site visit for the {q.title} tomorrow"
                self._by_hand(person, q, Channel.TEXT, reason, max(day, today))
                return
            reason = f"Send the {q.title} quote after measuring up"
            day = today + timedelta(days=rng.randint(0, 5))
            self._by_hand(person, q, Channel.EMAIL, reason, day)
            return
        channel = _weighted(rng, _FOLLOW_UP_CHANNELS)
        roll = rng.random()
        # However small the demo, Today shows something overdue and something due today.
        if self.made_overdue < 2:
            roll = 0.0
        elif self.made_today < 2:
            roll = 0.1
        self.made_overdue += roll < 0.03
        self.made_today += 0.03 <= roll < 0.15
        if roll < 0.03:
            day = today - timedelta(days=rng.randint(1, 5))
        elif roll < 0.15:
            day = today
        else:
            # A quote just sent is checked on within a fortnight; one being worked, within a month.
            day = today + timedelta(days=rng.randint(1, 14 if stage is Stage.QUOTED else 30))
        competing = row["competing_quotes"]
        options = list(_OPEN_REASONS[stage])
        if stage is Stage.FOLLOWING_UP and competing in _WORD_NUMBERS:
            options.append(
                f"Follow up the {{job}} quote: they're comparing {_WORD_NUMBERS[competing]} quotes"
            )
        reason = rng.choice(options).format(job=q.title)
        if channel is Channel.CARD and not person.open_at(Channel.CARD, now):
            channel = Channel.CALL  # no address, or they refused post
        if channel is Channel.CARD:
            reason = f"Handwritten note: thanks for having us quote the {q.title}"
        if channel is not Channel.CARD and rng.random() < _AGREED:
            self._agreed_by_hand(person, q, channel, reason, day)
            return
        self._by_hand(person, q, channel, reason, day)

    def _usable(self, person: _Person, channel: Channel) -> Channel | None:
        if person.open_at(channel, self.now):
            return channel
        for other in (Channel.CALL, Channel.TEXT, Channel.EMAIL):
            if person.open_at(other, self.now):
                return other
        return None

    def _by_hand(
        self,
        person: _Person,
        q: _Quote,
        channel: Channel,
        reason: str,
        day: date,
        *,
        at: datetime | None = None,
    ) -> None:
        """A planned follow-up the owner set by hand, placed where the core allows it."""
        rng, now, tz = self.rng, self.now, person.tz
        usable = self._usable(person, channel)
        if usable is None or (channel is Channel.CARD and usable is not channel):
            return
        if usable is not channel:
            channel = usable
            reason = rng.choice(_OPEN_REASONS.get(q.row["stage"], (reason,))).format(job=q.title)
        if at is None:
            day = _working_day(day)
            at = _clock(
                day, rng.choice((9, 10, 11, 13, 14, 15, 16)) * 60 + rng.choice((0, 15, 30, 45)), tz
            )
            if day == _local_day(now, tz) and at < now and rng.random() < 0.7:
                # Most of today's work is still ahead when the owner opens the app (while it
                # is still daytime where the customer is).
                ahead = now + timedelta(minutes=15 * rng.randint(2, 28))
                ahead = ahead.replace(minute=ahead.minute - ahead.minute % 15, second=0)
                ahead = ahead.replace(microsecond=0)
                if 8 <= ahead.astimezone(tz).hour < 19 and _local_day(ahead, tz) == day:
                    at = ahead
        slot = find_slot(person.snapshot(now), channel, at, person.planned, self.cap)
        if slot is None:
            return
        if slot != at:
            # Land on a tidy quarter hour the customer would recognise, still inside their hours.
            tidy = slot.replace(second=0, microsecond=0)
            tidy += timedelta(minutes=-tidy.minute % 15)
            if find_slot(person.snapshot(now), channel, tidy, person.planned, self.cap) == tidy:
                slot = tidy
        created = min(q.last_touch or q.row["received_at"], slot, now)
        fu = _row_follow_up(
            self.ids.take(FollowUp), person, q.row["id"], slot, channel, reason, created
        )
        self.follow_ups.append(fu)
        person.planned.append(slot)

    def _agreed_by_hand(
        self, person: _Person, q: _Quote, channel: Channel, reason: str, day: date
    ) -> None:
        """A follow-up the customer agreed to on the phone after the last touch."""
        rng, now, tz = self.rng, self.now, person.tz
        usable = self._usable(person, channel)
        if usable is None or (
            person.revoked is not None and usable.consent_channel is person.revoked[0]
        ):
            self._by_hand(person, q, channel, reason, day)
            return
        if q.row["stage"] is Stage.QUOTED:
            # Nobody has followed it up since it went out: the next contact was agreed on
            # site ("OK to check in Thursday?"), as the field notes advise.
            visit = q.visit_touch
            agreed = visit is not None and self._agree(
                person, q, visit["at"], "site visit", visit, channel=usable, day=day, reason=reason
            )
            if not agreed:
                self._by_hand(person, q, channel, reason, day)
            return
        # They agreed on the phone some time after the last touch, a day to a fortnight ahead.
        lo = max(
            (q.last_touch or q.row["received_at"]) + timedelta(hours=2),
            _clock(day - timedelta(days=13), 9 * 60, tz),
        )
        hi = min(now - timedelta(minutes=20), _clock(day - timedelta(days=1), 19 * 60, tz))
        if lo >= hi:
            self._by_hand(person, q, channel, reason, day)
            return
        said = lo + (hi - lo) * rng.uniform(0.4, 1.0)
        moved = _reachable(rng, person, said)
        if moved >= hi:  # no waking hour left before then: a call back then the same day
            moved = _reachable(rng, person, lo)
            if moved >= hi:
                self._by_hand(person, q, channel, reason, day)
                return
        said = moved
        touch = _touch(
            person, q.row["id"], said, Channel.CALL, Direction.OUTBOUND, Outcome.REACHED, ""
        )
        agreed = self._agree(
            person, q, said, "phone call", touch, channel=usable, day=day, reason=reason
        )
        if agreed is None:
            self._by_hand(person, q, channel, reason, day)
        else:
            self.touch(touch)

    def _agree(
        self,
        person: _Person,
        q: _Quote,
        said: datetime,
        source: str,
        touch: dict[str, Any],
        *,
        channel: Channel | None = None,
        day: date | None = None,
        reason: str | None = None,
    ) -> dict[str, Any] | None:
        """The customer names the next contact in `touch`: an agreed follow-up in their words,
        on a channel and at a time those words fit; its ledger entry; the touch's note."""
        rng, now, tz = self.rng, self.now, person.tz
        said_day = _local_day(said, tz)
        if channel is None:
            options = [
                c
                for c in (Channel.CALL, Channel.CALL, Channel.TEXT, Channel.EMAIL)
                if person.open_at(c, now)
                and (person.revoked is None or c.consent_channel is not person.revoked[0])
            ]
            if not options:
                return None
            channel = rng.choice(options)
        if day is None:
            day = said_day + timedelta(days=rng.randint(1, 9))
        if reason is None:
            stage = q.row["stage"]
            reason = rng.choice(_OPEN_REASONS.get(stage, _OPEN_REASONS[Stage.FOLLOWING_UP]))
            reason = reason.format(job=q.title)
        picked = self._agreed_time(person, channel, said_day, day)
        if picked is None:
            return None
        due, words = picked
        if due <= said or due < now - timedelta(days=2):
            return None
        fid = self.ids.take(FollowUp)
        fu = _row_follow_up(
            fid, person, q.row["id"], due, channel, reason, said, basis=Basis.AGREED, words=words
        )
        self.follow_ups.append(fu)
        person.agreed.append(due)
        local = due.astimezone(tz)
        if not any(
            h[2] is ConsentState.GRANTED for h in person.consent.get(channel.consent_channel, [])
        ):
            # Agreeing on a channel with nothing on record grants it in the same words.
            self._consent_event(
                person, ConsentEventKind.GRANTED, channel.consent_channel, said, source, words
            )
        self._consent_event(
            person,
            ConsentEventKind.AGREED_FOLLOW_UP,
            channel.consent_channel,
            said,
            source,
            words,
            detail=f"{channel.value} on {local:%a %d %b %Y %H:%M} ({person.row['timezone']}):"
            f" {reason}",
            follow_up_id=fid,
        )
        if touch["direction"] is Direction.INBOUND:
            touch["summary"] = words
        elif touch["channel"] is Channel.VISIT:
            touch["summary"] = f'Measured up on site; agreed the next step: "{words}"'
        else:
            touch["summary"] = f'Talked it through; agreed the next step: "{words}"'
        return fu

    def _agreed_time(
        self, person: _Person, channel: Channel, said_day: date, day: date
    ) -> tuple[datetime, str] | None:
        """When the customer asked to be contacted on `day` (or the next day they can be), and
        how they said it."""
        rng, tz = self.rng, person.tz
        timed = channel.is_timed
        day = _working_day(day)
        for _ in range(7):
            if not timed or person.hours.hours.intervals_on(day, person.hours.is_holiday):
                break
            day += timedelta(days=1)
        delta = (day - said_day).days
        partner = rng.choice(V.PARTNERS)
        if delta >= 14:
            when = f"on {_DAYS[day.weekday()]} the {_ordinal(day.day)}"
            words = rng.choice(V.FAR_AGREEMENTS[channel.value]).format(when=when)
            for hour in (10, 11, 14, 9, 16):
                due = _clock(day, hour * 60, tz)
                if not timed or person.hours.allows(due):
                    return due, _sentences(words)
            return None
        country = person.market.country
        options = [
            a
            for a in V.AGREEMENTS
            if a.channel == channel.value
            and (a.markets is None or country in a.markets)
            and not (a.weekdays and day.weekday() >= 5)
        ]
        rng.shuffle(options)
        for a in options:
            hour, minute = rng.choice(a.hours)
            due = _clock(day, hour * 60 + minute, tz)
            if timed and not person.hours.allows(due):
                continue
            words = a.words.format(
                when=_when_said(delta, day, a.part), h=_hour_said(hour), partner=partner
            )
            return due, _sentences(words)
        return None

    # --- Customer-wide plans ----------------------------------------------------------------

    def birthday_plan(self, person: _Person) -> None:
        """Birthday cards for a past customer whose birthday is on file."""
        if person.row["birthday"] is None or person.dnc or not person.quotes:
            return
        latest = person.quotes[-1]
        if latest.row["stage"] is not Stage.WON or not self._plan(_PLAN_BIRTHDAY):
            return
        # Started once the job was won: no later message from them would have paused it.
        start = latest.row["closed_at"] + timedelta(hours=self.rng.randint(2, 72))
        if start < self.now:
            self.play_plan(person, "birthday", None, start)


def _working_day(day: date) -> date:
    """Nobody plans to ring a customer on Christmas Day, Boxing Day or New Year's Day."""
    while (day.month, day.day) in ((12, 25), (12, 26), (1, 1)):
        day += timedelta(days=1)
    return day


def _position(spec: CadenceSpec, index: int) -> int:
    """Which of the plan's steps occurrence `index` is (yearly and repeating plans cycle)."""
    n = len(spec.steps)
    if spec.repeat_yearly:
        return index % n
    return min(index, n - 1)


def demo_market(session: Session, country: str | None = None) -> V.Market:
    """The country the demo business is based in: the one asked for, else the owner's
    (from the settings, else this computer's), else Australia."""
    if country is not None:
        market = V.market_of(country)
        if market is None:
            choices = ", ".join(c for c in V.COUNTRY_CHOICES if c != "GB")
            raise ValidationError("--country", f"{country!r} is not one of {choices}")
        return market
    stored = get_setting(session, "default_country")
    for code in (stored, None if stored else system_country()):
        market = V.market_of(code) if code else None
        if market is not None:
            return market
    market = V.market_of("AU")
    assert market is not None
    return market


def _owner_settings(session: Session, home: V.Market) -> dict[str, str]:
    """Give the demo business its owner, consistent with its country; what it wrote.

    An owner who already chose this country keeps the details they entered; a demo of
    another country replaces them all, since a Balmain address in a Texas business is
    not a business."""
    same_country = get_setting(session, "default_country") == home.country
    written: dict[str, str] = {}
    for key, value in home.owner:
        if not (same_country and get_setting(session, key)):
            written[key] = value
    # Stored as the owner's own would be (the same checks and forms as Settings).
    save_owner_settings(session, written)
    return {key: get_setting(session, key) or "" for key in written}


def generate_demo(
    session: Session,
    *,
    customers: int,
    quotes: int,
    seed: int,
    now: datetime,
    country: str | None = None,
) -> DemoSummary:
    """Fill the database with a believable business; the caller owns the transaction."""
    if customers < 1:
        raise ValidationError("--customers", "make at least one customer")
    if quotes < 0:
        raise ValidationError("--quotes", "the number of quotes cannot be negative")
    home = demo_market(session, country)
    rng = random.Random(seed)
    written = _owner_settings(session, home)
    seed_builtin_cadences(session)  # the plans the demo runs are the app's own
    biz = _Business(session, rng, now, customers, home)

    people = [biz.person() for _ in range(customers)]
    if quotes >= customers:
        owners = list(range(customers)) + [
            rng.randrange(customers) for _ in range(quotes - customers)
        ]
    else:
        owners = rng.sample(range(customers), quotes)
    per_person: dict[int, int] = {}
    for idx in owners:
        per_person[idx] = per_person.get(idx, 0) + 1
    for idx, person in enumerate(people):
        biz.quotes_for(person, per_person.get(idx, 0))

    # Quote numbers run in the order the enquiries came in, as a business numbers them.
    number = _next_quote_number(session)
    for row in sorted(biz.quotes, key=lambda r: (r["received_at"], r["id"])):
        number += 1
        row["number"] = f"Q-{row['received_at'].year}-{number:05d}"

    for person in people:
        biz.consent_history(person)
        for q in person.quotes:
            biz.story(person, q)
        biz.birthday_plan(person)
        if person.dnc_at is not None:
            biz._record_dnc(person)
        biz.consent_rows(person)

    for q in biz.by_id.values():
        q.row["last_touch_at"] = q.last_touch

    # Bulk inserts through Core: the ORM unit of work would track 100k objects for nothing.
    inserted = (
        (Customer, biz.customers),
        (Quote, biz.quotes),
        (CadenceRun, biz.runs),
        (FollowUp, biz.follow_ups),
        (ConsentEvent, biz.events),
        (ChannelConsent, biz.consents),
        (Touch, biz.touches),
    )
    for model, rows in inserted:
        if rows:
            session.execute(model.__table__.insert(), rows)  # type: ignore[attr-defined]
    # The rows carry their own ids: the next ordinary insert must not reuse one.
    advance_sequences(session, [model.__tablename__ for model, _rows in inserted])
    session.flush()
    dnc_contacts = [
        contact
        for r in biz.customers
        if r["do_not_contact"]
        for contact in (r["email"], r["phone_cell"], r["phone_office"], r["phone_home"])
        if contact
    ]
    record_sample(session, [r["id"] for r in biz.customers], written, dnc_contacts)
    summary = DemoSummary(
        country=home.country,
        currency=home.currency,
        customers=len(people),
        quotes=len(biz.quotes),
        touches=len(biz.touches),
        follow_ups=len(biz.follow_ups),
        pending_follow_ups=sum(f["status"] is FollowUpStatus.PENDING for f in biz.follow_ups),
        consent_events=len(biz.events),
        plans=len(biz.runs),
    )
    for run in biz.runs:
        summary.plans_by_status[run["status"]] = summary.plans_by_status.get(run["status"], 0) + 1
    for row in biz.quotes:
        summary.by_stage[row["stage"]] = summary.by_stage.get(row["stage"], 0) + 1
    for person in people:
        country = person.market.country
        summary.by_country[country] = summary.by_country.get(country, 0) + 1
    return summary


def _next_quote_number(session: Session) -> int:
    count = session.execute(select(func.count(Quote.id))).scalar_one()
    return 1000 + int(count)


def stage_counts_text(summary: DemoSummary, order: Sequence[Stage] = tuple(Stage)) -> str:
    """ "lead 120, quoted 210, …" for the command's report."""
    return ", ".join(f"{s.label.lower()} {summary.by_stage.get(s, 0)}" for s in order)


def plans_text(summary: DemoSummary) -> str:
    """ "312 running, 40 paused, …" for the command's report."""
    return ", ".join(
        f"{n} {status.value}"
        for status in CadenceRunStatus
        if (n := summary.plans_by_status.get(status, 0))
    )
