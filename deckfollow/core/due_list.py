"""A due follow-up as the Today list, reminders and the `due` command show it.

Plain data without SQLAlchemy, so the `due` command can build it from a file read with the
standard library's sqlite3 (see `due_sqlite`) as well as from the query in `due`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from deckfollow.core.contact_hours import local_to_utc
from deckfollow.core.enums import Basis, Channel

# A new lead's first reply: its reason begins so. While the enquiry waits for an answer
# (`due.planned_first_reply`) Today lists it under "New leads", and today's list holds it
# from the moment the lead arrives, even when the customer's hours put the reply itself
# later (a Saturday-night enquiry to be called on Monday).
FIRST_REPLY = "First reply to their enquiry"

# A follow-up due "now" (a new lead's first reply) is due, not late: it reads as overdue only
# once its time has passed by more than this. Today, the digest, `due`, the quote list, the
# board and a customer's timeline all decide with `is_overdue`, so they agree.
OVERDUE_GRACE = timedelta(minutes=15)


def is_overdue(due_at: datetime, now: datetime) -> bool:
    """True once `due_at` has passed by more than `OVERDUE_GRACE`."""
    return due_at < overdue_before(now)


def overdue_before(now: datetime) -> datetime:
    """Due times before this moment are overdue (`is_overdue`), worked out once for a list."""
    return now - OVERDUE_GRACE


@dataclass(frozen=True, slots=True)
class DueItem:
    """One follow-up due. Slotted: Today holds one per follow-up due (17,000 at 100,000
    quotes), and a dict of its fields cost each about 200 bytes more."""

    follow_up_id: int
    customer_id: int
    customer: str
    quote_id: int | None
    quote: str | None
    job: str | None
    due_at: datetime  # in the customer's own zone
    channel: Channel
    reason: str
    basis: Basis
    agreed_words: str | None
    overdue: bool
    phone: str | None  # the number to use for this channel (a call: cell, office, home)
    email: str | None
    timezone: str
    # A new lead's first reply still to give (`due.planned_first_reply`): Today lists it
    # under "New leads". Not the reason's words: an answered lead is never a new one.
    first_reply: bool = False

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.follow_up_id,
            "customer": self.customer,
            "customer_id": self.customer_id,
            "quote": self.quote,
            "quote_id": self.quote_id,
            "job": self.job,
            "due_at": self.due_at.isoformat(),
            "timezone": self.timezone,
            "channel": self.channel.value,
            "reason": self.reason,
            "basis": self.basis.value,
            "agreed_words": self.agreed_words,
            "overdue": self.overdue,
            "first_reply": self.first_reply,
        }


def number_for(
    channel: Channel, cell: str | None, office: str | None, home: str | None
) -> str | None:
    """The number to use: a text needs the cell; a call tries cell, then office, then home."""
    if channel in (Channel.TEXT, Channel.VIDEO):
        return cell or None
    return cell or office or home or None


def day_bounds(day: date, owner_tz: str) -> tuple[datetime, datetime]:
    tz = ZoneInfo(owner_tz)
    return local_to_utc(day, time(0), tz), local_to_utc(day + timedelta(days=1), time(0), tz)


class ItemReader:
    """Turns the due query's rows into items, one read at a time.

    A business's names, jobs, reasons and zones repeat across its follow-ups (about 500
    names and 300 reasons among 17,000 items at 100,000 quotes): each item shares one string
    of each value, and one moment for the same time in the same zone, instead of holding
    the copies each row brought (about 6 MB at that size)."""

    __slots__ = ("_as_of", "_shared", "_zones")

    def __init__(self, as_of: datetime) -> None:
        self._as_of = as_of
        self._zones: dict[str, ZoneInfo] = {}
        self._shared: dict[object, Any] = {}

    def item(self, row: Sequence[Any]) -> DueItem:
        """A row of the due query (its columns in order, the due time aware) as an item."""
        (
            fid,
            cid,
            name,
            qid,
            quote,
            job,
            due_at,
            channel,
            reason,
            basis,
            words,
            cell,
            office,
            home,
            email,
            tzname,
            first_reply,
        ) = row
        share = self._shared.setdefault
        tzname = share(tzname, tzname)
        tz = self._zones.get(tzname) or self._zones.setdefault(tzname, ZoneInfo(tzname))
        kind = Channel(channel)
        # Keyed with the zone: aware moments compare by instant, and two customers' zones
        # must each keep their own.
        local = due_at.astimezone(tz)
        return DueItem(
            follow_up_id=fid,
            customer_id=share(cid, cid),
            customer=share(name, name),
            quote_id=qid,
            quote=quote,
            job=None if job is None else share(job, job),
            due_at=share((due_at, tzname), local),
            channel=kind,
            reason=share(reason, reason),
            basis=Basis(basis),
            agreed_words=None if words is None else share(words, words),
            overdue=is_overdue(due_at, self._as_of),
            phone=number_for(kind, cell, office, home),
            email=email,
            timezone=tzname,
            first_reply=bool(first_reply),
        )
