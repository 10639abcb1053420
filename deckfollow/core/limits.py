"""How long typed text may be and how far ahead a follow-up may lie: one table for the app,
the command line and every import, so PostgreSQL never refuses what SQLite accepted.

The lengths are the database columns' own (`models.py`); free text stored as TEXT is bounded
too, so a pasted wall of text is refused with a clear line instead of kept silently.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from deckfollow.core.errors import ValidationError

NAME = 100  # a person's name: first and last name columns hold 100 each
EMAIL = 254  # RFC 5321
JOB = 300
SOURCE = 100  # where a lead came from; how a customer told you (consent)
NOTE = 10_000
WORDS = 2_000  # the customer's own words, quoted in the consent ledger
REASON = 300  # why a follow-up is planned
HOURS = 200  # allowed hours and best times, e.g. "evenings only; not mon"
TIMEZONE = 64
CADENCE_NAME = 120
SETTING = 200  # the business's and the owner's name, a cell number, a region
ADDRESS = 500  # the business's postal address, several lines
# An agreed follow-up or a next step is planned at most this far ahead.
HORIZON = timedelta(days=5 * 366)
HORIZON_TEXT = "5 years"


def check_length(field: str, value: str | None, limit: int) -> None:
    """Refuse text longer than `limit` characters, naming the field."""
    if value is not None and len(value) > limit:
        raise ValidationError(field, f"is {len(value):,} characters long; at most {limit:,} fit")


def check_ahead(field: str, due_at: datetime, now: datetime, what: str) -> None:
    """Refuse a time that has passed or lies beyond the planning horizon."""
    if due_at < now:
        raise ValidationError(field, f"{what} cannot be in the past")
    if due_at > now + HORIZON:
        raise ValidationError(field, f"{what} can be at most {HORIZON_TEXT} ahead")
