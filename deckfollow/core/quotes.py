"""Entering and editing quotes: number, amount, job, dates, competition and the file sent.

A quote answers a customer's request. It is made for an existing customer (filling in the
enquiry that waits for it, if one does), or for a new customer through the lead service.
Every change of a quote the owner typed carries the `version` it started from, so an edit
made elsewhere in the meantime is reported, never overwritten.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any, Final
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from deckfollow.core.cadence_library import seed_builtin_cadences
from deckfollow.core.cadence_runs import start_cadence
from deckfollow.core.changes import Changes
from deckfollow.core.clock_format import date_text
from deckfollow.core.contact_snapshot import get_customer
from deckfollow.core.enums import CadenceRunStatus, FollowUpStatus, Stage
from deckfollow.core.errors import ConcurrentEditError, PermissionRefused, ValidationError
from deckfollow.core.leads import NewLead, add_lead, settle_first_reply
from deckfollow.core.members import changed_by_line
from deckfollow.core.models import Cadence, CadenceRun, Customer, FollowUp, Quote
from deckfollow.core.pipeline import Close, check_version, close_quote, get_quote, move_stage
from deckfollow.core.places import currency_code
from deckfollow.core.quote_details import QuoteDetails, missing_details
from deckfollow.core.settings import load_settings
from deckfollow.core.wording import plural

# QuoteDetails is a plain value of `quote_details` (read also without SQLAlchemy), named here
# too beside the services that read it.
__all__ = [
    "AFTER_SALE",
    "KEEP",
    "MAX_COMPETING",
    "Keep",
    "NewQuote",
    "QuoteDetails",
    "QuoteEdit",
    "QuoteForm",
    "QuoteSaved",
    "StageChanged",
    "business_currency",
    "change_stage",
    "check_competing",
    "check_currency",
    "check_fields",
    "create_quote",
    "edit_quote",
    "list_quotes",
    "next_quote_number",
    "parse_amount",
    "quote_details",
    "quote_form",
    "sent_moment",
    "start_after_sale",
    "stop_after_sale",
]

MAX_COMPETING = 20
AFTER_SALE: Final = "after_sale"
# A quote bigger than this is a typing slip, not a deck (and stays far inside a BIGINT).
_MAX_AMOUNT = Decimal("1000000000")
_CENT = Decimal("0.01")
_MAX_TEXT = 300  # the job and a lost reason, as the database keeps them


class Keep(Enum):
    """Leave this field as it is (for edits that name only the fields they change)."""

    KEEP = "keep"


KEEP: Final = Keep.KEEP


# -- reading what the owner typed -----------------------------------------------------------

_SYMBOLS = re.compile(r"^(?:[A-Z]{3}|[A-Z]{0,2}\$|[£€¥])|(?:[A-Z]{3}|[£€¥$])$", re.IGNORECASE)
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")
_GROUPED = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_PLAIN = re.compile(r"^\d+(?:\.\d+)?$|^\.\d+$")


def parse_amount(text: str, field_name: str = "amount") -> Decimal:
    """Read "4850", "4,850.00", "$4 850.50" or "A$4850" as an exact Decimal with cents.

    Anything else ("12,3x", "12,3", a negative, a third decimal place) is refused with a
    message naming the field.
    """
    raw = text.strip()
    cleaned = _SPACES.sub("", raw)
    cleaned = _SYMBOLS.sub("", cleaned)
    cleaned = _SYMBOLS.sub("", cleaned)  # a symbol and a code: "AUD $4,850"
    if not cleaned:
        raise ValidationError(field_name, "give an amount, e.g. 4850.00")
    if cleaned.startswith("-"):
        raise ValidationError(field_name, f"{raw!r} is negative; a quote is never below zero")
    if not (_GROUPED.match(cleaned) or _PLAIN.match(cleaned)):
        raise ValidationError(
            field_name, f"{raw!r} is not an amount (write it like 4850.00 or 4,850.00)"
        )
    try:
        value = Decimal(cleaned.replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the patterns above only pass numbers
        raise ValidationError(field_name, f"{raw!r} is not an amount") from exc
    if value != value.quantize(_CENT):
        raise ValidationError(field_name, f"{raw!r} has more than two decimal places")
    if value >= _MAX_AMOUNT:
        raise ValidationError(field_name, f"{raw!r} is more than any quote could be")
    return value.quantize(_CENT)


def check_currency(text: str, field_name: str = "currency") -> str:
    code = currency_code(text)
    if code is None:
        # The same list the business's own currency is chosen from: "XXX" or a typo such as
        # "AUS" would otherwise start a total of its own on the board.
        raise ValidationError(
            field_name, f"{text.strip()!r} is not an ISO currency code (AUD, USD, GBP …)"
        )
    return code


def check_competing(value: int, field_name: str = "competing quotes") -> int:
    if not 0 <= value <= MAX_COMPETING:
        raise ValidationError(field_name, f"must be between 0 and {MAX_COMPETING}, not {value}")
    return value


# -- numbers --------------------------------------------------------------------------------

_TAIL_DIGITS = re.compile(r"^(.*?)(\d+)$")


def next_quote_number(session: Session) -> str:
    """The next number in the business's sequence: after Q-0041 comes Q-0042.

    The sequence is the one the most recent numbered quote uses (its prefix and width);
    the number follows the highest in that sequence and is never one already used.
    """
    latest = session.execute(
        select(Quote.number)
        .where(Quote.number.is_not(None))
        .order_by(Quote.created_at.desc(), Quote.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    match = _TAIL_DIGITS.match(latest or "")
    prefix, width = (match.group(1), len(match.group(2))) if match else ("Q-", 4)
    used = session.execute(
        select(Quote.number).where(Quote.number.like(f"{_escape_like(prefix)}%", escape="\\"))
    ).scalars()
    highest = 0
    for number in used:
        tail = (number or "")[len(prefix) :]
        if tail.isdigit():
            highest = max(highest, int(tail))
    candidate = highest + 1
    while _number_owner(session, f"{prefix}{candidate:0{width}d}") is not None:
        candidate += 1  # pragma: no cover - only a number like "Q-07" beside "Q-0007" gets here
    return f"{prefix}{candidate:0{width}d}"


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _number_owner(session: Session, number: str) -> int | None:
    return session.execute(select(Quote.id).where(Quote.number == number)).scalar_one_or_none()


def _check_number(session: Session, text: str | None, quote_id: int | None) -> str | None:
    number = " ".join((text or "").split())
    if not number:
        return None
    if len(number) > 40:
        raise ValidationError("number", "keep the quote number under 40 characters")
    owner = _number_owner(session, number)
    if owner is not None and owner != quote_id:
        name = session.execute(
            select(Customer.display_name)
            .join(Quote, Quote.customer_id == Customer.id)
            .where(Quote.id == owner)
        ).scalar_one()
        raise ValidationError(
            "number",
            f"{number} is already the number of {name}'s quote; "
            f"the next free one is {next_quote_number(session)}",
        )
    return number


# -- what a quote holds ---------------------------------------------------------------------


def _owner_zone(session: Session) -> ZoneInfo:
    return ZoneInfo(load_settings(session).owner_timezone)


def _sent_on(quote: Quote, tz: ZoneInfo) -> date | None:
    return quote.sent_at.astimezone(tz).date() if quote.sent_at is not None else None


def quote_details(session: Session, quote_id: int) -> QuoteDetails:
    quote = get_quote(session, quote_id)
    return _details(session, quote, _owner_zone(session))


def _details(session: Session, quote: Quote, tz: ZoneInfo) -> QuoteDetails:
    return QuoteDetails(
        id=quote.id,
        customer_id=quote.customer_id,
        customer=quote.customer.display_name,
        number=quote.number,
        job=quote.job,
        amount=quote.amount,
        currency=quote.currency,
        stage=quote.stage,
        sent_on=_sent_on(quote, tz),
        valid_until=quote.valid_until,
        competing_quotes=quote.competing_quotes,
        file=quote.file_path,
        version=quote.version,
        lost_reason=quote.lost_reason,
        parked_until=quote.parked_until,
    )


def list_quotes(session: Session, stage: Stage | None = None) -> list[QuoteDetails]:
    """Every quote not in the trash (of one stage, if given), newest first.

    Read as column tuples in one query, not quote by quote.
    """
    stmt = (
        select(
            Quote.id,
            Quote.customer_id,
            Customer.display_name,
            Quote.number,
            Quote.job,
            Quote.amount,
            Quote.currency,
            Quote.stage,
            Quote.sent_at,
            Quote.valid_until,
            Quote.competing_quotes,
            Quote.version,
            Quote.lost_reason,
            Quote.parked_until,
            Quote.file_path,
        )
        .join(Customer, Customer.id == Quote.customer_id)
        .where(Quote.deleted_at.is_(None), Customer.deleted_at.is_(None))
        .order_by(Quote.received_at.desc(), Quote.id.desc())
    )
    if stage is not None:
        stmt = stmt.where(Quote.stage == stage)
    tz = _owner_zone(session)
    return [
        QuoteDetails(
            id=qid,
            customer_id=cid,
            customer=name,
            number=number,
            job=job,
            amount=amount,
            currency=currency,
            stage=st,
            sent_on=sent_at.astimezone(tz).date() if sent_at is not None else None,
            valid_until=valid_until,
            competing_quotes=competing,
            file=file_path,
            version=version,
            lost_reason=lost_reason,
            parked_until=parked_until,
        )
        for (
            qid,
            cid,
            name,
            number,
            job,
            amount,
            currency,
            st,
            sent_at,
            valid_until,
            competing,
            version,
            lost_reason,
            parked_until,
            file_path,
        ) in session.execute(stmt)
    ]


def business_currency(session: Session) -> str:
    """The currency the owner quotes in (their country's unless they chose another)."""
    return load_settings(session).business_currency


# -- creating and editing -------------------------------------------------------------------


@dataclass(frozen=True)
class QuoteEdit:
    """The fields to change; `KEEP` leaves one as it is, None empties it."""

    number: str | Keep | None = KEEP
    job: str | Keep = KEEP
    amount: Decimal | Keep | None = KEEP
    currency: str | Keep = KEEP
    sent_on: date | Keep | None = KEEP
    valid_until: date | Keep | None = KEEP
    competing_quotes: int | Keep | None = KEEP
    file: str | Keep | None = KEEP


@dataclass(frozen=True)
class NewQuote:
    """A quote for `customer_id`, or for a new customer described by `new_customer`.

    With `lead_id` the quote is made from that lead (its job and clock are kept). For an
    existing customer without `lead_id`, the enquiry still waiting for its quote is used,
    if there is one; otherwise a new quote is added beside their others.
    """

    customer_id: int | None = None
    new_customer: NewLead | None = None
    lead_id: int | None = None
    fields: QuoteEdit = field(default_factory=QuoteEdit)


@dataclass(frozen=True)
class QuoteSaved:
    quote_id: int
    customer_id: int
    changes: Changes
    # What the quote's stage expects and it does not have yet ("amount", "sent date").
    missing: tuple[str, ...] = ()


def _waiting_lead(session: Session, customer_id: int) -> int | None:
    """The customer's enquiry that has no quote figures yet (the oldest, if several)."""
    return session.execute(
        select(Quote.id)
        .where(
            Quote.customer_id == customer_id,
            Quote.deleted_at.is_(None),
            Quote.stage == Stage.LEAD,
            Quote.amount.is_(None),
            Quote.number.is_(None),
        )
        .order_by(Quote.received_at, Quote.id)
        .limit(1)
    ).scalar_one_or_none()


def create_quote(session: Session, new: NewQuote, *, now: datetime) -> QuoteSaved:
    """Add a quote (from a lead, for a customer, or with a new customer); one transaction.

    The number is the next in the sequence unless one is given; the currency the
    business's unless set. A quote with a sent date starts as Quoted.
    """
    fields = new.fields
    changes = Changes(quotes=True)
    # A quote the owner makes without an enquiry waiting has been answered by making it:
    # no "no reply yet" clock runs on it.
    answered = False
    if new.lead_id is not None:
        lead = get_quote(session, new.lead_id)
        if new.customer_id is not None and lead.customer_id != new.customer_id:
            raise ValidationError("lead", f"lead {new.lead_id} is another customer's")
        if lead.stage is not Stage.LEAD:
            raise ValidationError("lead", f"quote {new.lead_id} is no longer a lead")
        quote_id: int | None = lead.id
    elif new.customer_id is not None:
        get_customer(session, new.customer_id)
        quote_id = _waiting_lead(session, new.customer_id)
    elif new.new_customer is not None:
        _validate(session, fields, None, _owner_zone(session), now)  # before anyone is added
        # Entering their quote is the reply: no first reply waits for them on Today.
        created = add_lead(session, replace(new.new_customer, answered=True), now=now)
        changes = changes | created.changes
        quote_id = created.quote_id
        answered = True
    else:
        raise ValidationError("customer", "say who the quote is for")
    if quote_id is None:
        assert new.customer_id is not None
        customer = get_customer(session, new.customer_id)
        quote = Quote(
            customer_id=customer.id,
            job="",
            stage=Stage.LEAD,
            received_at=now,
            stage_changed_at=now,
            currency=business_currency(session),
            created_at=now,
            updated_at=now,
        )
        session.add(quote)
        answered = True
    else:
        quote = get_quote(session, quote_id)
    if answered and quote.first_response_at is None:
        quote.first_response_at = now
    if fields.number is KEEP and quote.number is None:
        fields = _with(fields, number=next_quote_number(session))
    if fields.job is KEEP and not quote.job:
        number = fields.number if isinstance(fields.number, str) else "new quote"
        fields = _with(fields, job=f"Quote {number}")
    saved = _apply(session, quote, fields, now)
    if quote.stage is Stage.LEAD and quote.sent_at is not None:
        quote.stage, quote.stage_changed_at = Stage.QUOTED, now
    _answered_by_quote(session, quote, now)
    session.flush()
    return QuoteSaved(
        quote.id,
        quote.customer_id,
        (changes | saved | Changes(created_ids=(quote.id,))).about(
            quotes=(quote.id,), customers=(quote.customer_id,)
        ),
        missing_details(quote.stage, quote.amount, _sent_on(quote, _owner_zone(session))),
    )


def edit_quote(
    session: Session, quote_id: int, edit: QuoteEdit, *, version: int | None, now: datetime
) -> QuoteSaved:
    """Change the fields `edit` names, if the quote is still at `version`.

    Saved elsewhere since (a higher version): ConcurrentEditError, and nothing is written;
    the caller keeps what was typed. `version=None` skips the check (scripts that read and
    write in one go).
    """
    quote = get_quote(session, quote_id)
    if version is not None and quote.version != version:
        label = quote.number or f"the quote for {quote.job}"
        who_when = changed_by_line(
            session, quote.updated_by, quote.updated_at, owner_tz=str(_owner_zone(session))
        )
        # What is saved now, by field, so the dialog can show it beside what was typed.
        theirs = {
            "number": quote.number or "",
            "job": quote.job,
            "amount": "" if quote.amount is None else f"{quote.amount} {quote.currency}",
            "competing_quotes": str(quote.competing_quotes or ""),
            "version": str(quote.version),
        }
        raise ConcurrentEditError(
            f"{label} was changed by {who_when} after you opened it; what you typed is still here",
            who=quote.updated_by,
            when=quote.updated_at,
            theirs=theirs,
        )
    changes = _apply(session, quote, edit, now)
    session.flush()
    return QuoteSaved(
        quote.id,
        quote.customer_id,
        changes.about(quotes=(quote.id,), customers=(quote.customer_id,)),
        missing_details(quote.stage, quote.amount, _sent_on(quote, _owner_zone(session))),
    )


def _with(edit: QuoteEdit, **values: Any) -> QuoteEdit:
    return replace(edit, **values)


def _validate(
    session: Session, edit: QuoteEdit, quote: Quote | None, tz: ZoneInfo, now: datetime
) -> None:
    """Refuse a bad field before anything is written."""
    quote_id = quote.id if quote is not None else None
    if not isinstance(edit.number, Keep):
        _check_number(session, edit.number, quote_id)
    sent = edit.sent_on if not isinstance(edit.sent_on, Keep) else None
    if isinstance(edit.sent_on, Keep) and quote is not None:
        sent = _sent_on(quote, tz)
    until = edit.valid_until if not isinstance(edit.valid_until, Keep) else None
    if isinstance(edit.valid_until, Keep) and quote is not None:
        until = quote.valid_until
    check_fields(edit, sent=sent, until=until, tz=tz, now=now)


def check_fields(
    edit: QuoteEdit, *, sent: date | None, until: date | None, tz: ZoneInfo, now: datetime
) -> None:
    """The checks of an edit that read nothing stored (all but the number's): `sent` and
    `until` are the dates the quote will have, `tz` the owner's zone."""
    if isinstance(edit.job, str) and not edit.job.strip():
        raise ValidationError("job", "say what the quote is for")
    if isinstance(edit.job, str) and len(" ".join(edit.job.split())) > _MAX_TEXT:
        raise ValidationError("job", f"keep it under {_MAX_TEXT} characters")
    if isinstance(edit.amount, Decimal):
        if edit.amount < 0:
            raise ValidationError("amount", "a quote is never below zero")
        if edit.amount != edit.amount.quantize(_CENT):
            raise ValidationError("amount", f"{edit.amount} has more than two decimal places")
    if isinstance(edit.currency, str):
        check_currency(edit.currency)
    if isinstance(edit.competing_quotes, int):
        check_competing(edit.competing_quotes)
    if isinstance(edit.sent_on, date) and edit.sent_on > now.astimezone(tz).date():
        raise ValidationError("sent", f"{date_text(edit.sent_on)} has not happened yet")
    if sent is not None and until is not None and until < sent:
        raise ValidationError(
            "valid until", f"{date_text(until)} is before the quote was sent ({date_text(sent)})"
        )
    if isinstance(edit.file, str) and len(edit.file) > 1000:
        raise ValidationError("file", "that path is too long to keep")


def sent_moment(day: date, tz: ZoneInfo, now: datetime) -> datetime:
    """A sent date as a moment: midday there, or now if the quote went out this morning."""
    moment = datetime.combine(day, time(12), tz).astimezone(UTC)
    return min(moment, now)


def _apply(session: Session, quote: Quote, edit: QuoteEdit, now: datetime) -> Changes:
    tz = _owner_zone(session)
    _validate(session, edit, quote if quote.id is not None else None, tz, now)
    if not isinstance(edit.number, Keep):
        quote.number = _check_number(session, edit.number, quote.id)
    if isinstance(edit.job, str):
        quote.job = " ".join(edit.job.split())
    if not isinstance(edit.amount, Keep):
        quote.amount = edit.amount
    if isinstance(edit.currency, str):
        quote.currency = check_currency(edit.currency)
    if not isinstance(edit.sent_on, Keep):
        if edit.sent_on is None:
            quote.sent_at = None
        elif _sent_on(quote, tz) != edit.sent_on:
            quote.sent_at = sent_moment(edit.sent_on, tz, now)
    if not isinstance(edit.valid_until, Keep):
        quote.valid_until = edit.valid_until
    if not isinstance(edit.competing_quotes, Keep):
        quote.competing_quotes = edit.competing_quotes
    quote.updated_at = now
    if not isinstance(edit.file, Keep):
        quote.file_path = (edit.file or "").strip() or None
    session.flush()
    return Changes(quotes=True)


# -- stages ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class StageChanged:
    changes: Changes
    # What the new stage expects and the quote lacks ("amount", "sent date"): ask for it.
    missing: tuple[str, ...] = ()
    after_sale_started: bool = False
    # Leaving Won stopped the after-sale plan: how many of its follow-ups were cancelled
    # (None: no after-sale plan was running).
    after_sale_stopped: int | None = None

    @property
    def after_sale_stopped_text(self) -> str | None:
        """ "the after-sale plan was stopped: 2 follow-ups cancelled" (None: not stopped)."""
        return (
            None
            if self.after_sale_stopped is None
            else after_sale_stopped_text(self.after_sale_stopped)
        )


def after_sale_stopped_text(cancelled: int) -> str:
    """What stopping the after-sale plan did, to follow "Quote 12 is now Following up; "."""
    if not cancelled:
        return "the after-sale plan was stopped"
    return f"the after-sale plan was stopped: {plural(cancelled, 'follow-up')} cancelled"


def change_stage(
    session: Session,
    quote_id: int,
    stage: Stage,
    *,
    now: datetime,
    lost_reason: str | None = None,
    parked_until: date | None = None,
    parked_reason: str | None = None,
    fill: QuoteEdit | None = None,
    version: int | None = None,
    after_sale: bool = False,
) -> StageChanged:
    """Move a quote to any stage: open moves, or a close (lost needs a reason, parked a
    date). `fill` saves what the move asked for (amount, sent date) in the same step, if
    the quote is still at `version`; `after_sale` starts the after-sale plan of a won
    quote."""
    if lost_reason is not None and len(lost_reason) > _MAX_TEXT:
        raise ValidationError("lost reason", f"keep it under {_MAX_TEXT} characters")
    if parked_reason is not None and len(parked_reason) > _MAX_TEXT:
        raise ValidationError("parked reason", f"keep it under {_MAX_TEXT} characters")
    quote = get_quote(session, quote_id)
    changes = Changes(quotes=True)
    if fill is not None:
        changes = changes | edit_quote(session, quote_id, fill, version=version, now=now).changes
    # Without a fill, the move itself is checked against the version the user saw.
    expected = version if fill is None else None
    stopped = None
    if quote.stage is Stage.WON and stage is not Stage.WON:
        # Out of Won, nobody is thanked for a job they have not bought (again won, the
        # plan starts again). Checked first: a refused move stops nothing.
        check_version(session, quote, expected)
        why = f"after-sale plan stopped: the quote moved from Won to {stage.label}"
        stopped = stop_after_sale(session, quote_id, now=now, reason=why)
        if stopped is not None:
            line = after_sale_stopped_text(stopped)
            changes = changes | Changes(follow_ups=True, notices=(f"{line.capitalize()}.",))
    if stage.is_open:
        changes = changes | move_stage(session, quote_id, stage, now=now, expected_version=expected)
    else:
        close = Close(
            stage, lost_reason=lost_reason, parked_until=parked_until, parked_reason=parked_reason
        )
        changes = changes | close_quote(
            session, quote_id, close, now=now, expected_version=expected
        )
    _answered_by_quote(session, quote, now)
    started = False
    if stage is Stage.WON and after_sale:
        plan = start_after_sale(session, quote_id, now=now)
        started = plan.follow_ups
        changes = changes | plan
    session.flush()
    missing = missing_details(quote.stage, quote.amount, _sent_on(quote, _owner_zone(session)))
    # All of it is this quote's and its customer's (a first reply settled, a plan started
    # or stopped).
    return StageChanged(
        changes.about(quotes=(quote.id,), customers=(quote.customer_id,)), missing, started, stopped
    )


def _answered_by_quote(session: Session, quote: Quote, now: datetime) -> None:
    """A lead that has its quote has been answered: the first reply still waiting on Today
    is done, and the speed-to-lead clock stops when the quote went out (its sent day, never
    before the enquiry came in nor after now), or now if the day is not known."""
    quoted = quote.stage in (Stage.QUOTED, Stage.FOLLOWING_UP)
    if not quoted or quote.first_response_at is not None:
        # Answered before, what is pending is a later step (whatever its words), not the
        # first reply: it stays to be done.
        return
    sent = quote.sent_at
    quote.first_response_at = now if sent is None else min(max(sent, quote.received_at), now)
    settle_first_reply(session, quote, answered_at=quote.first_response_at, now=now)


def start_after_sale(session: Session, quote_id: int, *, now: datetime) -> Changes:
    """Start the after-sale plan for a won quote. Nothing changes (no `follow_ups` in the
    answer) if the customer asked not to be contacted or the plan already runs for it."""
    quote = get_quote(session, quote_id)
    if quote.customer.do_not_contact:
        return Changes()
    seed_builtin_cadences(session)  # a no-op when the built-in plans are there
    try:
        start_cadence(session, quote.customer_id, AFTER_SALE, quote_id=quote_id, now=now)
    except PermissionRefused:
        return Changes()
    except ValidationError as exc:
        if exc.field == "cadence":  # already running
            return Changes()
        raise
    return Changes(follow_ups=True).about(quotes=(quote_id,), customers=(quote.customer_id,))


# Built once: every move out of Won asks it.
_AFTER_SALE_RUNS = (
    select(CadenceRun)
    .join(Cadence, Cadence.id == CadenceRun.cadence_id)
    .where(
        CadenceRun.quote_id == bindparam("quote_id"),
        Cadence.key == AFTER_SALE,
        CadenceRun.status.in_([CadenceRunStatus.ACTIVE, CadenceRunStatus.PAUSED]),
    )
)
_PENDING_OF_RUN = select(FollowUp).where(
    FollowUp.cadence_run_id == bindparam("run_id"), FollowUp.status == FollowUpStatus.PENDING
)


def stop_after_sale(session: Session, quote_id: int, *, now: datetime, reason: str) -> int | None:
    """Stop the after-sale plan running for the quote: its pending follow-ups cancelled and
    the plan stopped, both with `reason` (the timeline shows it). How many follow-ups were
    cancelled; None when no after-sale plan ran for the quote."""
    runs = list(session.execute(_AFTER_SALE_RUNS, {"quote_id": quote_id}).scalars())
    if not runs:
        return None
    cancelled = 0
    for run in runs:
        for fu in session.execute(_PENDING_OF_RUN, {"run_id": run.id}).scalars():
            fu.status = FollowUpStatus.CANCELLED
            fu.completed_at = now
            fu.cancel_reason = reason
            cancelled += 1
        run.status = CadenceRunStatus.STOPPED
        run.paused_reason = reason
    session.flush()
    return cancelled


# -- what the quote dialog starts from ------------------------------------------------------


@dataclass(frozen=True)
class QuoteForm:
    """Everything the quote dialog shows before the owner types (one read)."""

    details: QuoteDetails | None  # None: a new quote
    suggested_number: str
    currency: str  # for a new quote: the business's
    today: date  # in the owner's clock
    customer: str | None  # whose quote, when known
    # (id, "Name · phone · suburb") of everyone, for a quote whose customer is to be picked.
    customers: tuple[tuple[int, str], ...] = ()


def quote_form(
    session: Session,
    *,
    now: datetime,
    quote_id: int | None = None,
    customer_id: int | None = None,
    with_customers: bool = False,
) -> QuoteForm:
    tz = _owner_zone(session)
    details = quote_details(session, quote_id) if quote_id is not None else None
    name = details.customer if details is not None else None
    if details is None and customer_id is not None:
        name = get_customer(session, customer_id).display_name
    choices: tuple[tuple[int, str], ...] = ()
    if with_customers:
        rows = session.execute(
            select(Customer.id, Customer.display_name, Customer.phone_cell, Customer.suburb)
            .where(Customer.deleted_at.is_(None))
            .order_by(Customer.display_name, Customer.id)
        )
        choices = tuple(
            (cid, " · ".join(p for p in (display, phone, suburb) if p))
            for cid, display, phone, suburb in rows
        )
    return QuoteForm(
        details=details,
        suggested_number=next_quote_number(session),
        currency=details.currency if details is not None else business_currency(session),
        today=now.astimezone(tz).date(),
        customer=name,
        customers=choices,
    )
