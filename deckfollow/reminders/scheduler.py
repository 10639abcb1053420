"""Which follow-ups need a reminder now, exactly once per due time, with state in the database.

A follow-up needs a reminder when its effective due time (the snooze end, else the due time)
has passed and it has not been reminded since that time: ``notified_at`` is NULL or earlier
than the effective due time. Claiming stamps ``notified_at`` in the same transaction, so a
restart, a second process or a clock jump never reminds twice, and a sleep never loses one:
whatever fell due meanwhile is still unclaimed when the machine wakes, and comes back as one
batch.

All times are aware UTC; a time-zone change of the machine moves nothing because nothing here
depends on the local zone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, and_, func, or_, select, update
from sqlalchemy.orm import Session

from deckfollow.core.due import actionable_follow_ups, effective_due, shown_to_user
from deckfollow.core.due_list import is_overdue
from deckfollow.core.enums import Basis, Channel, FollowUpStatus
from deckfollow.core.members import my_follow_ups
from deckfollow.core.models import Customer, FollowUp, Quote


@dataclass(frozen=True)
class Reminder:
    """One follow-up to remind the owner of (plain data, safe past the session)."""

    follow_up_id: int
    customer_id: int
    customer: str
    quote_id: int | None
    quote: str | None
    job: str | None
    due_at: datetime  # effective due, UTC
    channel: Channel
    reason: str
    basis: Basis
    phone: str | None  # E.164: the cell, else the office, else the home number
    timezone: str  # the customer's zone

    @property
    def local_due(self) -> datetime:
        """The due time on the customer's clock."""
        return self.due_at.astimezone(ZoneInfo(self.timezone))


@dataclass(frozen=True)
class ReminderBatch:
    """What one check claimed: on-time reminders and ones that fell due while away."""

    on_time: list[Reminder] = field(default_factory=list)
    missed: list[Reminder] = field(default_factory=list)

    @property
    def all(self) -> list[Reminder]:
        return sorted([*self.missed, *self.on_time], key=lambda r: (r.due_at, r.follow_up_id))

    def __bool__(self) -> bool:
        return bool(self.on_time or self.missed)


def _actionable() -> ColumnElement[bool]:
    """The core's "actionable" rule, inline: SQLite then tests consent and cadence state only
    for rows that passed the cheap time tests, instead of building the whole id set first."""
    clause = actionable_follow_ups().whereclause
    assert clause is not None
    return clause


def _needs_reminder(now: datetime) -> ColumnElement[bool]:
    due = effective_due()
    return and_(
        FollowUp.status == FollowUpStatus.PENDING,
        due <= now,
        or_(FollowUp.notified_at.is_(None), FollowUp.notified_at < due),
        _actionable(),
    )


def _visible() -> list[ColumnElement[bool]]:
    """The same people the Today list shows."""
    return shown_to_user()


def _reminder_select() -> Select[*tuple[Any, ...]]:
    return (
        select(
            FollowUp.id,
            FollowUp.customer_id,
            Customer.display_name,
            FollowUp.quote_id,
            Quote.number,
            Quote.job,
            effective_due(),
            FollowUp.channel,
            FollowUp.reason,
            FollowUp.basis,
            # Cell first, then office, then home: the order a tradesperson rings them in.
            func.coalesce(Customer.phone_cell, Customer.phone_office, Customer.phone_home),
            Customer.timezone,
        )
        .join(Customer, Customer.id == FollowUp.customer_id)
        .outerjoin(Quote, Quote.id == FollowUp.quote_id)
    )


def _to_reminder(row: Any) -> Reminder:
    fid, cid, name, qid, number, job, due_at, channel, reason, basis, phone, tzname = row
    return Reminder(
        follow_up_id=fid,
        customer_id=cid,
        customer=name,
        quote_id=qid,
        quote=number,
        job=job,
        due_at=due_at,
        channel=Channel(channel),
        reason=reason,
        basis=Basis(basis),
        phone=phone,
        timezone=tzname,
    )


def pending_reminders(session: Session, now: datetime) -> list[Reminder]:
    """Follow-ups that need a reminder at `now`, oldest first (nothing is claimed)."""
    stmt = _reminder_select().where(_needs_reminder(now), my_follow_ups(session), *_visible())
    stmt = stmt.order_by(effective_due(), FollowUp.id)
    return [_to_reminder(row) for row in session.execute(stmt)]


def _visible_by_subquery() -> list[ColumnElement[bool]]:
    """`_visible()` without joins, for the UPDATE (which cannot join)."""
    return [
        FollowUp.customer_id.in_(
            select(Customer.id).where(
                Customer.do_not_contact.is_(False), Customer.deleted_at.is_(None)
            )
        ),
        or_(
            FollowUp.quote_id.is_(None),
            FollowUp.quote_id.in_(select(Quote.id).where(Quote.deleted_at.is_(None))),
        ),
    ]


def claim_due(session: Session, now: datetime) -> ReminderBatch:
    """Claim every reminder due at `now` and stamp it, so no later check returns it again.

    The claim is one conditional UPDATE … RETURNING, the transaction's first statement: it
    takes the write lock before reading, so two processes checking at once (the app and
    `deckfollow remind --once`) never both claim a reminder, and SQLite never has to upgrade
    a stale read to a write. The row's edit version is left alone on purpose: a reminder is
    bookkeeping, and must not make a dialog editing the follow-up fail with "changed by
    someone else".
    """
    # On a team, each member's app reminds them of their own follow-ups only.
    result = session.execute(
        update(FollowUp)
        .where(_needs_reminder(now), my_follow_ups(session), *_visible_by_subquery())
        .values(notified_at=now)
        .returning(FollowUp.id)
        .execution_options(synchronize_session=False)
    )
    ids = sorted(int(row[0]) for row in result)
    claimed: list[Reminder] = []
    # Chunked to stay under SQLite's bound-parameter limit on a very large catch-up.
    for start in range(0, len(ids), 500):
        stmt = _reminder_select().where(FollowUp.id.in_(ids[start : start + 500]))
        claimed += [_to_reminder(row) for row in session.execute(stmt)]
    claimed.sort(key=lambda r: (r.due_at, r.follow_up_id))
    on_time: list[Reminder] = []
    missed: list[Reminder] = []
    for r in claimed:
        # Missed while the app was closed or the computer slept means overdue, by the rule
        # Today, the digest and the board use: a reminder is never "away" while Today says
        # it is simply due.
        (missed if is_overdue(r.due_at, now) else on_time).append(r)
    return ReminderBatch(on_time=on_time, missed=missed)


def _first_actionable(session: Session, stmt: Select[*tuple[Any, ...]]) -> datetime | None:
    """Page through (id, time) rows in time order; the time of the first actionable one."""
    page = 64
    offset = 0
    while True:
        rows = list(session.execute(stmt.limit(page).offset(offset)))
        if not rows:
            return None
        ids = [row[0] for row in rows]
        ok = set(
            session.execute(
                select(FollowUp.id).where(FollowUp.id.in_(ids), _actionable())
            ).scalars()
        )
        for fid, at in rows:
            if fid in ok:
                assert isinstance(at, datetime)
                return at.astimezone(UTC)
        offset += page


def next_due_at(session: Session, now: datetime) -> datetime | None:
    """The earliest moment after `now` at which some follow-up will need a reminder.

    Unsnoozed and snoozed follow-ups are read separately, each in time order, so the first
    reads the (status, due_at) index instead of sorting every pending row by
    COALESCE(snoozed_until, due_at); the consent and cadence tests then run only on a small
    page of candidates.
    """
    base = (
        select(FollowUp.id)
        .join(Customer, Customer.id == FollowUp.customer_id)
        .outerjoin(Quote, Quote.id == FollowUp.quote_id)
        .where(FollowUp.status == FollowUpStatus.PENDING, my_follow_ups(session), *_visible())
    )
    plain = (
        base.add_columns(FollowUp.due_at)
        .where(
            FollowUp.snoozed_until.is_(None),
            FollowUp.due_at > now,
            or_(FollowUp.notified_at.is_(None), FollowUp.notified_at < FollowUp.due_at),
        )
        .order_by(FollowUp.due_at, FollowUp.id)
    )
    snoozed = (
        base.add_columns(FollowUp.snoozed_until)
        .where(
            FollowUp.snoozed_until.is_not(None),
            FollowUp.snoozed_until > now,
            or_(FollowUp.notified_at.is_(None), FollowUp.notified_at < FollowUp.snoozed_until),
        )
        .order_by(FollowUp.snoozed_until, FollowUp.id)
    )
    found = [
        t for t in (_first_actionable(session, plain), _first_actionable(session, snoozed)) if t
    ]
    return min(found) if found else None


def reminder_for(session: Session, follow_up_id: int) -> Reminder | None:
    """One follow-up as a Reminder (for the open/snooze actions), or None if it is gone."""
    stmt = _reminder_select().where(FollowUp.id == follow_up_id)
    row = session.execute(stmt).first()
    return _to_reminder(row) if row is not None else None


def due_now_ids(session: Session, now: datetime) -> list[int]:
    """Every actionable follow-up due at `now` (reminded or not): what "Snooze all" moves."""
    due = effective_due()
    stmt = (
        select(FollowUp.id)
        .join(Customer, Customer.id == FollowUp.customer_id)
        .outerjoin(Quote, Quote.id == FollowUp.quote_id)
        .where(FollowUp.status == FollowUpStatus.PENDING, due <= now, *_visible(), _actionable())
        .order_by(due, FollowUp.id)
    )
    return list(session.execute(stmt).scalars())
