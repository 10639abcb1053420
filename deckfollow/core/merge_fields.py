"""Merge fields: the customer's, the quote's and the owner's words put into a template.

One place builds the values (`build_merge_context`) and one renders them
(`render_template`), so a call script, an email and a printed card say the same thing.
A field with no value is never rendered blank: it shows as `[first name?]` and is listed
in `RenderedText.missing`, so nothing goes out with a hole in it.

Some values legitimately do not exist yet (a lead has no quote amount, a customer no
company). Words that only make sense with such a value go between `[[` and `]]`: the part
is left out, without a marker, when a field inside it has no value, so the rest still reads
naturally (`About the {job}[[ ({quote_amount})]]:`). What was left out is listed in
`RenderedText.omitted`.

Syntax: `{first_name}`; `{{` and `}}` stand for literal braces; `[[ … ]]` is an optional
part (not nested). Names are forgiving about case and spaces (`{First Name}` works), and a
few aliases (`{city}`) are accepted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from deckfollow.core.contact_hours import zone
from deckfollow.core.contact_info import phone_as_read_in
from deckfollow.core.contact_snapshot import get_customer
from deckfollow.core.enums import Basis, FollowUpStatus
from deckfollow.core.errors import NotFoundError, ValidationError
from deckfollow.core.models import Customer, FollowUp, Quote
from deckfollow.core.settings import OwnerSettings, load_settings

# name -> label a user reads (in the editor's field list and in `[label?]` placeholders).
MERGE_FIELDS: dict[str, str] = {
    "first_name": "first name",
    "last_name": "last name",
    "full_name": "full name",
    "company": "company",
    "suburb": "suburb or town",
    "job": "job",
    "quote_number": "quote number",
    "quote_amount": "quote amount",
    "agreed_time": "agreed time",
    "reason": "reason",
    "owner_name": "your name",
    "owner_first_name": "your first name",
    "owner_business": "business name",
    "owner_phone": "your cell number",
    "owner_address": "business address",
    "today": "today's date",
}

# Other spellings people type; they render exactly like the field they stand for.
ALIASES: dict[str, str] = {
    "city": "suburb",
    "town": "suburb",
    "name": "full_name",
    "amount": "quote_amount",
    "quote": "quote_number",
    "business": "owner_business",
    "owner_cell": "owner_phone",
    "my_name": "owner_name",
    "my_phone": "owner_phone",
}

_CURRENCY_SYMBOL = {
    "USD": "$",
    "AUD": "$",
    "NZD": "$",
    "CAD": "$",
    "GBP": "£",
    "EUR": "€",
    "IEP": "£",
}

# Cadence reasons may already carry the opening line; templates supply it themselves.
_OPENING = re.compile(r"^\s*the reason i(?:'|’)?m calling is\s+", re.IGNORECASE)


# Verbs a reason often starts with as a note-to-self ("Check the quote arrived").
_IMPERATIVES_TEXT = (
    "agree ask arrange answer book call catch chat check confirm discuss drop email find fix "
    "follow get give go hear invite let look make measure offer organise organize pick plan "
    "remind reply review revisit say schedule see send set settle share show sort talk tell "
    "text thank update visit walk welcome"
)
_IMPERATIVES = frozenset(_IMPERATIVES_TEXT.split())

# A reason is a note to self ("See if the price works for them"); said to the customer it
# speaks to them. Longest forms first so "they're" is not read as "they" + "'re".
_TO_CUSTOMER = (
    ("themselves", "yourself"),
    ("themself", "yourself"),
    ("they're", "you're"),
    ("they've", "you've"),
    ("they'll", "you'll"),
    ("they'd", "you'd"),
    ("theirs", "yours"),
    ("their", "your"),
    ("they", "you"),
    ("them", "you"),
)
_PRONOUN = re.compile(
    r"\b(" + "|".join(re.escape(a) for a, _b in _TO_CUSTOMER) + r")\b", re.IGNORECASE
)
_PRONOUN_MAP = dict(_TO_CUSTOMER)

# Openings that repeat what the script already says ("call back about the carport" on a
# call is simply "about the carport"; "first reply to the enquiry" is answering it).
_LEAD_INS = (
    (
        re.compile(
            r"^(?:call|ring|phone|get|text|email)(?:ing)?(?: back)?\s+(?:about|re:?|regarding)\s+",
            re.IGNORECASE,
        ),
        "about ",
    ),
    # A new lead's first reply: the lead's wording has just thanked them for getting in
    # touch about the job, so naming it again would read twice.
    (
        re.compile(
            r"^(?:a\s+)?first\s+(?:reply|response|answer)\s+to\s+(?:the|their|your)\s+"
            r"enquiry\s+about\s+.*$",
            re.IGNORECASE | re.DOTALL,
        ),
        "to answer your enquiry",
    ),
    (
        re.compile(
            r"^(?:a\s+)?first\s+(?:reply|response|answer)\s+to\s+(?:the|their|your)\s+",
            re.IGNORECASE,
        ),
        "to answer your ",
    ),
    (
        re.compile(r"^(?:a\s+)?first\s+(?:reply|response|answer)\s+to\s+", re.IGNORECASE),
        "to answer ",
    ),
)


@dataclass(frozen=True)
class MergeContext:
    """The values available to a template; None means "not known" (rendered as `[label?]`)."""

    customer_id: int
    quote_id: int | None = None
    follow_up_id: int | None = None
    first_name: str | None = None
    last_name: str | None = None
    full_name: str | None = None
    company: str | None = None
    suburb: str | None = None
    job: str | None = None
    quote_number: str | None = None
    quote_amount: str | None = None
    agreed_time: str | None = None
    reason: str | None = None
    owner_name: str | None = None
    owner_first_name: str | None = None
    owner_business: str | None = None
    owner_phone: str | None = None
    owner_address: str | None = None
    today: str | None = None

    def value(self, name: str) -> str | None:
        """The value of a field by name (aliases allowed); None if unknown or empty."""
        key = canonical_field(name)
        if key is None:
            return None
        raw: str | None = getattr(self, key)
        return raw if raw else None

    def values(self) -> dict[str, str | None]:
        """Every field name with its value (None where missing)."""
        return {name: self.value(name) for name in MERGE_FIELDS}


@dataclass(frozen=True)
class Marker:
    """Where a placeholder sits in the rendered text (for highlighting in an editor)."""

    start: int
    end: int
    field: str
    kind: str  # "missing" or "unknown"


@dataclass(frozen=True)
class RenderedText:
    text: str
    missing: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    # Fields whose absence left out an optional `[[ … ]]` part (not a problem: no marker).
    omitted: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """True when every field had a value and every field name was known."""
        return not self.missing and not self.unknown

    def problem(self) -> str | None:
        """One sentence for the user about what is missing or unknown, or None."""
        parts: list[str] = []
        if self.missing:
            labels = ", ".join(MERGE_FIELDS[m] for m in self.missing)
            parts.append(f"no value for: {labels}")
        if self.unknown:
            parts.append("unknown fields: " + ", ".join("{" + u + "}" for u in self.unknown))
        return "; ".join(parts) if parts else None


def canonical_field(name: str) -> str | None:
    """`First Name`, `first-name` and `first_name` all mean `first_name`; None if unknown."""
    key = re.sub(r"[\s\-]+", "_", name.strip().lower())
    key = ALIASES.get(key, key)
    return key if key in MERGE_FIELDS else None


# `{{` / `}}` escapes, or a `{field}` with a plausible name (letters, digits, _ - space).
_TOKEN = re.compile(r"\{\{|\}\}|\{([A-Za-z][A-Za-z0-9_\- ]{0,40})\}")


# An optional part: `[[ … ]]`, left out whole when a field inside it has no value.
_OPTIONAL = re.compile(r"\[\[(.*?)\]\]", re.DOTALL)


class _Renderer:
    """Accumulates rendered text with the positions of its placeholders."""

    def __init__(self, ctx: MergeContext) -> None:
        self.ctx = ctx
        self.out: list[str] = []
        self.length = 0
        self.missing: list[str] = []
        self.unknown: list[str] = []
        self.markers: list[Marker] = []
        self.omitted: list[str] = []

    def _emit(self, piece: str) -> None:
        self.out.append(piece)
        self.length += len(piece)

    def plain(self, text: str) -> None:
        """Render text holding `{fields}` and brace escapes (no optional parts)."""
        pos = 0
        for m in _TOKEN.finditer(text):
            self._emit(text[pos : m.start()])
            pos = m.end()
            token = m.group(0)
            if token == "{{":
                self._emit("{")
                continue
            if token == "}}":
                self._emit("}")
                continue
            name = m.group(1).strip()
            key = canonical_field(name)
            if key is None:
                self._mark("[" + name + "?]", name, "unknown")
                if name not in self.unknown:
                    self.unknown.append(name)
                continue
            value = self.ctx.value(key)
            if value is None:
                self._mark("[" + MERGE_FIELDS[key] + "?]", key, "missing")
                if key not in self.missing:
                    self.missing.append(key)
            else:
                self._emit(value)
        self._emit(text[pos:])

    def _mark(self, piece: str, name: str, kind: str) -> None:
        self.markers.append(Marker(self.length, self.length + len(piece), name, kind))
        self._emit(piece)

    def optional(self, text: str) -> None:
        """Render an optional part, or leave it out if one of its fields has no value."""
        names = [m.group(1) for m in _TOKEN.finditer(text) if m.group(1) is not None]
        # An unknown name is the template's mistake: render it (as a marker) to be seen.
        if all(canonical_field(n) is not None for n in names):
            absent = [k for k in fields_used(text) if self.ctx.value(k) is None]
            if absent:
                self.omitted.extend(k for k in absent if k not in self.omitted)
                return
        self.plain(text)

    def result(self) -> RenderedText:
        return RenderedText(
            "".join(self.out), self.missing, self.unknown, self.markers, self.omitted
        )


def render_template(text: str, ctx: MergeContext) -> RenderedText:
    """Fill `{fields}` from `ctx`; missing values show as `[label?]`, never as a blank.

    An optional `[[ … ]]` part is rendered only when every field in it has a value.
    """
    r = _Renderer(ctx)
    pos = 0
    for m in _OPTIONAL.finditer(text):
        r.plain(text[pos : m.start()])
        r.optional(m.group(1))
        pos = m.end()
    r.plain(text[pos:])
    return r.result()


def fields_used(text: str) -> list[str]:
    """Known field names a template uses, in order of first use (aliases resolved)."""
    seen: list[str] = []
    for m in _TOKEN.finditer(text):
        if m.group(1) is not None:
            key = canonical_field(m.group(1))
            if key is not None and key not in seen:
                seen.append(key)
    return seen


def format_money(amount: Decimal, currency: str) -> str:
    """`$12,345.50` (exact: Decimal rounded half-up to cents), or `CHF 1,200.00`."""
    cents = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if cents < 0 else ""
    digits = f"{abs(cents):,.2f}"
    symbol = _CURRENCY_SYMBOL.get(currency.upper())
    if symbol is None:
        return f"{sign}{currency.upper()} {digits}"
    return f"{sign}{symbol}{digits}"


def _clock(dt: datetime) -> str:
    hour = dt.hour % 12 or 12
    suffix = "am" if dt.hour < 12 else "pm"
    if dt.minute:
        return f"{hour}:{dt.minute:02d} {suffix}"
    if dt.hour == 12:
        return "noon"
    return f"{hour} {suffix}"


def format_day(d: date, country: str, *, weekday: bool = True, year: bool = True) -> str:
    """`Thursday 26 November 2026`, or `Thursday, November 26, 2026` for the US."""
    wd = d.strftime("%A")
    month = d.strftime("%B")
    if country.upper() == "US":
        text = f"{month} {d.day}" + (f", {d.year}" if year else "")
        return f"{wd}, {text}" if weekday else text
    text = f"{d.day} {month}" + (f" {d.year}" if year else "")
    return f"{wd} {text}" if weekday else text


def format_local_time(
    start: datetime, end: datetime | None, tz: ZoneInfo, country: str, today: date
) -> str:
    """An agreed time as the customer says it, in their zone: `Thursday 26 November at 6 pm`."""
    local = start.astimezone(tz)
    day = format_day(local.date(), country, year=local.year != today.year)
    if end is not None:
        local_end = end.astimezone(tz)
        if local_end.date() == local.date():
            return f"{day} between {_clock(local)} and {_clock(local_end)}"
    return f"{day} at {_clock(local)}"


def _speak_to_customer(text: str) -> str:
    def swap(m: re.Match[str]) -> str:
        word = m.group(1)
        said = _PRONOUN_MAP[word.lower()]
        return said.capitalize() if word[0].isupper() else said

    return _PRONOUN.sub(swap, text)


def _is_imperative(word: str) -> bool:
    return re.sub(r"[^a-z\-]", "", word.lower()) in _IMPERATIVES


def reason_phrase(reason: str | None) -> str | None:
    """A follow-up's reason as it reads after "The reason I'm calling is …".

    "See if the revised price works for them" becomes "to see if the revised price works
    for you"; "Call back about the carport: book a site visit" becomes "about the carport,
    to book a site visit".
    """
    if reason is None:
        return None
    text = _OPENING.sub("", reason).strip().rstrip(".").strip()
    if not text:
        return None
    for pattern, replacement in _LEAD_INS:
        text, n = pattern.subn(replacement, text, count=1)
        if n:
            break
    text = _speak_to_customer(text)
    first, _, _rest = text.partition(" ")
    # Lower-case a sentence-style capital, but not "I", acronyms or names in capitals.
    if len(first) > 1 and first[0].isupper() and first[1:].islower() and first not in {"I'm"}:
        text = text[0].lower() + text[1:]
    # "Check the quote arrived" reads as "… is to check the quote arrived".
    if _is_imperative(first):
        text = "to " + text
    # A second instruction after a colon joins on: "…carport: book a visit" -> ", to book".
    head, sep, tail = text.partition(": ")
    if sep and tail and _is_imperative(tail.split(" ", 1)[0]):
        tail = tail[0].lower() + tail[1:] if tail[1:2].islower() else tail
        text = f"{head}, to {tail}"
    return text


def _quote(session: Session, quote_id: int, customer_id: int) -> Quote:
    quote = session.get(Quote, quote_id)
    if quote is None or quote.deleted_at is not None:
        raise NotFoundError(f"no quote with id {quote_id}")
    if quote.customer_id != customer_id:
        raise ValidationError("quote", "belongs to another customer")
    return quote


def next_agreed_query(customer_id: int, quote_id: int | None) -> Select[FollowUp]:
    """The customer's pending agreed follow-ups (for this quote), in no order.

    Shaped so the database looks them up through the customer's (or the quote's) index: a
    `due_at` range or an ORDER BY due_at here lets SQLite pick `ix_follow_up_status_due`
    instead, which walks every pending follow-up of the business for each card. A customer
    has a handful, so the earliest is picked here.
    """
    stmt = select(FollowUp).where(
        FollowUp.customer_id == customer_id,
        FollowUp.basis == Basis.AGREED,
        FollowUp.status == FollowUpStatus.PENDING,
    )
    if quote_id is not None:
        stmt = stmt.where(FollowUp.quote_id == quote_id)
    return stmt


# Customers whose pending agreed follow-ups are read in one query.
_CUSTOMERS_PER_QUERY = 500


def pending_agreed(session: Session, customer_ids: list[int]) -> dict[int, list[FollowUp]]:
    """The pending agreed follow-ups of these customers, by customer: what
    `build_merge_context` looks up for each, read once for a batch of cards."""
    found: dict[int, list[FollowUp]] = {cid: [] for cid in customer_ids}
    ids = sorted(set(customer_ids))
    for i in range(0, len(ids), _CUSTOMERS_PER_QUERY):
        stmt = select(FollowUp).where(
            FollowUp.customer_id.in_(ids[i : i + _CUSTOMERS_PER_QUERY]),
            FollowUp.basis == Basis.AGREED,
            FollowUp.status == FollowUpStatus.PENDING,
        )
        for f in session.execute(stmt).scalars():
            found[f.customer_id].append(f)
    return found


def _next_agreed(
    session: Session,
    customer_id: int,
    quote_id: int | None,
    now: datetime,
    agreed: dict[int, list[FollowUp]] | None = None,
) -> FollowUp | None:
    if agreed is not None and customer_id in agreed:
        pending = [f for f in agreed[customer_id] if quote_id is None or f.quote_id == quote_id]
    else:
        pending = list(session.execute(next_agreed_query(customer_id, quote_id)).scalars())
    ahead = [f for f in pending if f.due_at >= now]
    return min(ahead, key=lambda f: (f.due_at, f.id), default=None)


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    text = " ".join(value.split())
    return text or None


def build_merge_context(
    session: Session,
    *,
    customer_id: int,
    quote_id: int | None = None,
    follow_up_id: int | None = None,
    now: datetime,
    settings: OwnerSettings | None = None,
    agreed: dict[int, list[FollowUp]] | None = None,
) -> MergeContext:
    """Everything a template can say about this customer, quote and follow-up, right now.

    The quote defaults to the follow-up's; `agreed_time` is the follow-up's time when the
    customer agreed to it, otherwise their next agreed follow-up (for this quote), shown in
    the customer's own zone. A batch passes the settings and `pending_agreed` it read once.
    """
    customer = get_customer(session, customer_id)
    if settings is None:  # a batch of cards reads them once and passes them in
        settings = load_settings(session)
    follow_up: FollowUp | None = None
    if follow_up_id is not None:
        follow_up = session.get(FollowUp, follow_up_id)
        if follow_up is None:
            raise NotFoundError(f"no follow-up with id {follow_up_id}")
        if follow_up.customer_id != customer_id:
            raise ValidationError("follow-up", "belongs to another customer")
        if quote_id is None:
            quote_id = follow_up.quote_id
    quote = _quote(session, quote_id, customer_id) if quote_id is not None else None

    customer_tz = zone(customer.timezone)
    customer_today = now.astimezone(customer_tz).date()
    chosen = follow_up if follow_up is not None and follow_up.basis is Basis.AGREED else None
    if chosen is None:
        chosen = _next_agreed(session, customer_id, quote_id, now, agreed)
    agreed_time = None
    if chosen is not None:
        tz = zone(chosen.timezone or customer.timezone)
        agreed_time = format_local_time(
            chosen.due_at, chosen.window_end, tz, customer.country, customer_today
        )

    owner_tz = zone(settings.owner_timezone or "UTC")
    owner_today = now.astimezone(owner_tz).date()
    owner_name = _clean(settings.owner_name)
    phone = _clean(settings.owner_phone)
    if phone is not None and phone.startswith("+"):
        # A local customer reads (and dials) the owner's cell the local way.
        phone = phone_as_read_in(phone, customer.country)
    amount = None
    if quote is not None and quote.amount is not None:
        amount = format_money(quote.amount, quote.currency)
    return MergeContext(
        customer_id=customer_id,
        quote_id=quote.id if quote is not None else None,
        follow_up_id=follow_up.id if follow_up is not None else None,
        first_name=_clean(customer.first_name),
        last_name=_clean(customer.last_name),
        full_name=_clean(customer.display_name),
        company=_clean(customer.company),
        suburb=_clean(customer.suburb),
        job=_clean(quote.job) if quote is not None else None,
        quote_number=_clean(quote.number) if quote is not None else None,
        quote_amount=amount,
        agreed_time=agreed_time,
        reason=reason_phrase(follow_up.reason) if follow_up is not None else None,
        owner_name=owner_name,
        owner_first_name=owner_name.split()[0] if owner_name else None,
        owner_business=_clean(settings.business_name),
        owner_phone=phone,
        owner_address=_clean(settings.business_address),
        today=format_day(owner_today, settings.default_country, weekday=False),
    )


def sample_context() -> MergeContext:
    """Made-up values for previewing a template when no customer is chosen."""
    return MergeContext(
        customer_id=0,
        first_name="Grace",
        last_name="Hopper",
        full_name="Grace Hopper",
        company=None,
        suburb="Paddington",
        job="Hardwood deck, 24 m², with steps to the garden",
        quote_number="Q-1042",
        quote_amount="$12,480.00",
        agreed_time="Thursday 26 November at 6 pm",
        reason="to check whether the quote raised any questions",
        owner_name="Sam Carpenter",
        owner_first_name="Sam",
        owner_business="Carpenter Decks",
        owner_phone="+61 412 555 019",
        owner_address="12 Timber Lane, Marrickville NSW 2204",
        today="23 November 2026",
    )


def preview_customers(session: Session, *, limit: int = 300) -> list[tuple[int, str]]:
    """(id, name) of customers to preview a wording with, by name."""
    rows = session.execute(
        select(Customer.id, Customer.display_name)
        .where(Customer.deleted_at.is_(None))
        .order_by(Customer.display_name)
        .limit(limit)
    ).all()
    return [(cid, name) for cid, name in rows]


def customer_context(session: Session, customer_id: int, *, now: datetime) -> MergeContext:
    """What a real send to this customer would fill in: their next follow-up, latest quote."""
    fu = session.execute(
        select(FollowUp.id, FollowUp.quote_id)
        .where(FollowUp.customer_id == customer_id, FollowUp.status == FollowUpStatus.PENDING)
        .order_by(FollowUp.due_at)
        .limit(1)
    ).first()
    quote_id = fu.quote_id if fu is not None else None
    if quote_id is None:
        quote_id = session.execute(
            select(Quote.id)
            .where(Quote.customer_id == customer_id, Quote.deleted_at.is_(None))
            .order_by(Quote.updated_at.desc())
            .limit(1)
        ).scalar_one_or_none()
    return build_merge_context(
        session,
        customer_id=customer_id,
        quote_id=quote_id,
        follow_up_id=fu.id if fu is not None else None,
        now=now,
    )
