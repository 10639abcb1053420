"""The shapes of command-line arguments, shared by every command.

Each function here is an argparse `type=`: a bad value is refused by the parser with one
line naming the option ("argument --customer: …") and exit status 2, before any database
is opened. Rules about the data itself (lengths of names, words required, an agreed time in
the future) live in the core services, so the desktop app keeps them too.

    p.add_argument("--customer", type=args.record_id, required=True, metavar="ID")
    p.add_argument("--days", type=args.bounded(1, 3660), default=60)
    p.add_argument("--on", type=args.day, metavar="YYYY-MM-DD")
    p.add_argument("--reason", type=args.text(300))
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import UTC, date, datetime, time

# The largest id SQLite (and PostgreSQL's bigint) can hold.
MAX_ID = 2**63 - 1
# Days and times before or after these are typing mistakes, and beyond year 1 or 9999 the
# calendar arithmetic of "a week later" itself fails.
FIRST_DAY = date(1970, 1, 1)
LAST_DAY = date(2199, 12, 31)
# Seeds for the handwriting and the demo data.
MAX_SEED = 2**31 - 1


def _integer(text: str) -> int:
    try:
        return int(text.strip().replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None


def record_id(text: str) -> int:
    """A customer, quote, follow-up or plan id: a whole number from 1 to 2^63-1."""
    value = _integer(text)
    if not 1 <= value <= MAX_ID:
        raise argparse.ArgumentTypeError(f"{text} is not an id (ids are whole numbers from 1)")
    return value


def bounded(low: int, high: int, unit: str = "") -> Callable[[str], int]:
    """A whole number from `low` to `high` (both included)."""

    def parse(text: str) -> int:
        value = _integer(text)
        if not low <= value <= high:
            what = f" {unit}" if unit else ""
            raise argparse.ArgumentTypeError(f"give a number{what} from {low} to {high:,}")
        return value

    parse.__name__ = "number"  # argparse names the type in its own messages
    return parse


def seed(text: str) -> int:
    """A seed for repeatable variation: 0 to 2^31-1."""
    return bounded(0, MAX_SEED)(text)


def _in_range(value: date, text: str) -> None:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise argparse.ArgumentTypeError(
            f"{text!r} is out of range (give a date from {FIRST_DAY.year} to {LAST_DAY.year})"
        )


def day(text: str) -> date:
    """A calendar day, YYYY-MM-DD, between 1970 and 2199."""
    try:
        value = date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (use YYYY-MM-DD)") from None
    _in_range(value, text)
    return value


def clock_time(text: str) -> time:
    """A time of day, HH:MM."""
    try:
        value = time.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a time (use HH:MM)") from None
    if value.tzinfo is not None:
        raise argparse.ArgumentTypeError("give the time without a UTC offset")
    return value


def local_datetime(text: str) -> datetime:
    """A wall-clock date and time without an offset, YYYY-MM-DDTHH:MM (someone's own clock)."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not YYYY-MM-DDTHH:MM") from None
    if value.tzinfo is not None:
        raise argparse.ArgumentTypeError("give the local time without a UTC offset")
    _in_range(value.date(), text)
    return value


def moment(text: str) -> datetime:
    """An exact moment, ISO 8601 with its UTC offset (or Z), returned in UTC."""
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO 8601 date and time") from None
    if value.tzinfo is None:
        raise argparse.ArgumentTypeError("give a UTC offset, e.g. 2026-11-22T09:00+11:00")
    _in_range(value.date(), text)
    return value.astimezone(UTC)


def wall_or_moment(text: str) -> datetime:
    """YYYY-MM-DDTHH:MM on the owner's clock (returned naive: the command reads it in the
    owner's zone), or an exact moment with its UTC offset or Z (returned in UTC)."""
    has_offset = "T" in text and any(c in text.split("T", 1)[1] for c in "+-Z")
    return moment(text) if has_offset else local_datetime(text)


def text(max_length: int, *, blank: bool = False) -> Callable[[str], str]:
    """Free text of at most `max_length` characters; blank text is refused unless allowed."""

    def parse(value: str) -> str:
        if not blank and not value.strip():
            raise argparse.ArgumentTypeError("cannot be empty")
        if len(value) > max_length:
            raise argparse.ArgumentTypeError(
                f"is {len(value):,} characters long; at most {max_length:,} fit"
            )
        return value

    parse.__name__ = "text"
    return parse


def moment_text(text: str) -> str:
    """`--now`: checked like `moment`, kept as typed (the context reads it)."""
    moment(text)
    return text
