"""The due list read from a SQLite file through the standard library's sqlite3.

Importing SQLAlchemy costs about 0.3 s of CPU, most of what `deckfollow due` spends on a small
business. On a SQLite file at the current schema the command sends the same statement as
`due.due_statement` (kept here as the text SQLAlchemy compiles for SQLite, with its
parameters: a test compiles it again and compares), and turns the rows into the same items.
A server database, or a file that needs an upgrade first, takes the SQLAlchemy path.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime

from deckfollow.core.due_list import FIRST_REPLY, DueItem, ItemReader, day_bounds
from deckfollow.core.enums import (
    Basis,
    CadenceRunStatus,
    Channel,
    ConsentState,
    FollowUpStatus,
)

_DUE = "coalesce(follow_up.snoozed_until, follow_up.due_at)"
_CASES = " ".join("WHEN (follow_up.channel = ?) THEN ?" for _ in Channel)

# `due.planned_first_reply()`: the lead's plan's first reply, its enquiry not yet answered.
_FIRST_REPLY = (
    "follow_up.basis = ? AND follow_up.cadence_run_id IS NULL AND "
    "(follow_up.reason LIKE ? || '%') AND follow_up.quote_id IS NOT NULL AND "
    "quote.first_response_at IS NULL"
)
_BEFORE_END = f"{_DUE} < ?"
# Pending, such a first reply stays on today's list until made.
_OR_WAITING = f"({_DUE} < ? OR {_FIRST_REPLY})"


def _due_sql(when: str) -> str:
    return (
        "SELECT follow_up.id, follow_up.customer_id, customer.display_name, follow_up.quote_id, "
        f"quote.number, quote.job, {_DUE} AS coalesce_1, follow_up.channel, follow_up.reason, "
        "follow_up.basis, follow_up.agreed_words, customer.phone_cell, customer.phone_office, "
        f"customer.phone_home, customer.email, customer.timezone, {_FIRST_REPLY} AS first_reply \n"
        "FROM follow_up JOIN customer ON customer.id = follow_up.customer_id "
        "LEFT OUTER JOIN quote ON quote.id = follow_up.quote_id \n"
        "WHERE follow_up.status = ? AND NOT (EXISTS (SELECT * \n"
        "FROM channel_consent AS channel_consent_1 \n"
        "WHERE channel_consent_1.customer_id = follow_up.customer_id AND "
        f"channel_consent_1.channel = CASE {_CASES} ELSE ? END AND channel_consent_1.state = ?)) "
        "AND NOT (EXISTS (SELECT * \n"
        "FROM cadence_run \n"
        "WHERE cadence_run.id = follow_up.cadence_run_id AND cadence_run.status != ? AND "
        f"follow_up.basis = ?)) AND {when} AND customer.do_not_contact IS 0 AND "
        "customer.deleted_at IS NULL AND (follow_up.quote_id IS NULL OR quote.deleted_at IS NULL) "
        f"ORDER BY {_DUE}, follow_up.id"
    )


# The list for a day other than today, and today's (with the leads still waiting).
DUE_SQL = _due_sql(_BEFORE_END)
DUE_SQL_WAITING = _due_sql(_OR_WAITING)


def stored_moment(moment: datetime) -> str:
    """A moment as SQLAlchemy stores a `UTCDateTime` in SQLite (naive UTC, microseconds)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def due_parameters(end: datetime, *, waiting: bool = False) -> tuple[str | None, ...]:
    """The parameters of DUE_SQL (DUE_SQL_WAITING with `waiting`), in their order, for
    follow-ups due before `end`."""
    cases = [value for c in Channel for value in (c.value, c.consent_channel.value)]
    first_reply = (Basis.PLANNED.value, FIRST_REPLY)
    return (
        *first_reply,
        FollowUpStatus.PENDING.value,
        *cases,
        None,
        ConsentState.REVOKED.value,
        CadenceRunStatus.ACTIVE.value,
        Basis.PLANNED.value,
        stored_moment(end),
        *(first_reply if waiting else ()),
    )


def owner_timezone(conn: sqlite3.Connection) -> str | None:
    """The owner's zone as the settings hold it (None when never set)."""
    row = conn.execute("SELECT value FROM setting WHERE key = 'owner_timezone'").fetchone()
    return str(row[0]) if row is not None else None


def read_due_items(
    conn: sqlite3.Connection, *, day: date, now: datetime, owner_tz: str
) -> list[DueItem]:
    """`due.due_items` for everyone's follow-ups (a file has one user), read with sqlite3."""
    start, end = day_bounds(day, owner_tz)
    reader = ItemReader(now if start <= now else start)
    items = []
    today = start <= now < end
    sql = DUE_SQL_WAITING if today else DUE_SQL
    for row in conn.execute(sql, due_parameters(end, waiting=today)):
        due_at = datetime.fromisoformat(row[6]).replace(tzinfo=UTC)
        items.append(reader.item((*row[:6], due_at, *row[7:])))
    return items
