"""Stages and moves between them; closing a quote won, lost or parked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import case, select, update
from sqlalchemy.orm import Session

from deckfollow.core.changes import Changes
from deckfollow.core.contact_hours import local_to_utc
from deckfollow.core.contact_snapshot import load_snapshot
from deckfollow.core.enums import Basis, Channel, FollowUpStatus, Stage
from deckfollow.core.errors import ConcurrentEditError, NotFoundError, ValidationError
from deckfollow.core.limits import REASON
from deckfollow.core.members import changed_by_line
from deckfollow.core.models import FollowUp, Quote
from deckfollow.core.settings import load_settings


@dataclass(frozen=True)
class Close:
    """An explicit end to the conversation for now: won, lost (with reason) or parked."""

    stage: Stage
    lost_reason: str | None = None
    parked_until: date | None = None
    # Parked: why, in the owner's words ("next winter"), carried into the revisit's reason.
    parked_reason: str | None = None


def get_quote(session: Session, quote_id: int) -> Quote:
    quote = session.get(Quote, quote_id)
    if quote is None or quote.deleted_at is not None:
        raise NotFoundError(f"no quote with id {quote_id}")
    return quote


def current_quote_id(session: Session, customer_id: int) -> int | None:
    """The customer's most recent open quote, else their most recent quote."""
    open_first = case((Quote.stage.in_([s for s in Stage if s.is_open]), 0), else_=1)
    return session.execute(
        select(Quote.id)
        .where(Quote.customer_id == customer_id, Quote.deleted_at.is_(None))
        .order_by(open_first, Quote.received_at.desc(), Quote.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def move_stage(
    session: Session,
    quote_id: int,
    stage: Stage,
    *,
    now: datetime,
    expected_version: int | None = None,
) -> Changes:
    """Move an open quote between lead, quoted and following up.

    `expected_version` is the quote's version the user saw when they chose the move; if
    someone saved the quote since, the move is refused (ConcurrentEditError says who and when).
    """
    if not stage.is_open:
        raise ValidationError("stage", f"closing as {stage.label} needs close_quote")
    quote = get_quote(session, quote_id)
    check_version(session, quote, expected_version)
    if quote.stage is not stage:
        quote.stage = stage
        quote.stage_changed_at = now
        quote.closed_at = None
        quote.updated_at = now
    return Changes(quotes=True).about(quotes=(quote.id,), customers=(quote.customer_id,))


def close_quote(
    session: Session,
    quote_id: int,
    close: Close,
    *,
    now: datetime,
    expected_version: int | None = None,
) -> Changes:
    """Close a quote; parked plans the revisit, lost needs a reason; planned steps stop.

    `expected_version` as for `move_stage`."""
    if close.stage.is_open:
        raise ValidationError("stage", f"{close.stage.label} is not a way to close a quote")
    if close.stage is Stage.LOST and not (close.lost_reason and close.lost_reason.strip()):
        raise ValidationError("lost reason", "say why the job was lost")
    if close.stage is Stage.PARKED:
        if close.parked_until is None:
            raise ValidationError("parked until", "say when to try again")
        if close.parked_until <= now.date():
            raise ValidationError("parked until", "must be a date in the future")
    quote = get_quote(session, quote_id)
    check_version(session, quote, expected_version)
    if quote.stage is Stage.WON and close.stage is Stage.WON:
        # Won again (a touch logged on a won job, closed as won): its after-sale plan runs
        # on where it is, rather than stopped and started over to thank them twice.
        return Changes(quotes=True)
    quote.stage = close.stage
    quote.stage_changed_at = now
    quote.closed_at = now
    quote.updated_at = now
    quote.lost_reason = close.lost_reason if close.stage is Stage.LOST else None
    quote.parked_until = close.parked_until if close.stage is Stage.PARKED else None
    # Planned steps belonged to the open conversation; agreed ones are the customer's and stay.
    session.execute(
        update(FollowUp)
        .where(
            FollowUp.quote_id == quote_id,
            FollowUp.status == FollowUpStatus.PENDING,
            FollowUp.basis == Basis.PLANNED,
        )
        .values(
            status=FollowUpStatus.CANCELLED,
            cancel_reason=f"quote closed as {close.stage.label.lower()}",
            completed_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    _stop_quote_cadences(session, quote_id, close, now)
    if close.stage is Stage.PARKED and close.parked_until is not None:
        _plan_revisit(session, quote, close.parked_until, now, close.parked_reason)
    return Changes(quotes=True, follow_ups=True).about(
        quotes=(quote.id,), customers=(quote.customer_id,)
    )


def check_version(session: Session, quote: Quote, expected_version: int | None) -> None:
    """Refuse to change a quote someone saved after the user loaded it (version given)."""
    if expected_version is None or quote.version == expected_version:
        return
    tz = load_settings(session).owner_timezone
    who_when = changed_by_line(session, quote.updated_by, quote.updated_at, owner_tz=tz)
    raise ConcurrentEditError(
        f"{quote.job or 'this quote'} was changed by {who_when} after you opened it; "
        f"it is now {quote.stage.label}",
        who=quote.updated_by,
        when=quote.updated_at,
        theirs={"stage": quote.stage.label, "version": str(quote.version)},
    )


def _plan_revisit(
    session: Session, quote: Quote, day: date, now: datetime, why: str | None = None
) -> None:
    from deckfollow.core.followups import planned_times
    from deckfollow.core.permission import find_slot
    from deckfollow.core.settings import load_settings

    snap = load_snapshot(session, quote.customer_id)
    start = local_to_utc(day, time(10), snap.hours.tz)
    cap = load_settings(session).weekly_cap
    # A planned step, not an agreed one: its reason says why it was parked, not "as agreed".
    why = " ".join((why or "").split())
    reason = f"Revisit the parked quote for {quote.job}" + (f": {why}" if why else "")
    if len(reason) > REASON:  # a long job and a long why: the column (and a screen) hold 300
        reason = reason[: REASON - 1] + "…"
    for channel in (Channel.CALL, Channel.EMAIL, Channel.CARD):
        slot = find_slot(snap, channel, start, planned_times(session, snap.customer_id), cap)
        if slot is not None:
            session.add(
                FollowUp(
                    customer_id=quote.customer_id,
                    quote_id=quote.id,
                    due_at=slot,
                    timezone=snap.timezone,
                    channel=channel,
                    reason=reason,
                    basis=Basis.PLANNED,
                    status=FollowUpStatus.PENDING,
                    created_at=now,
                )
            )
            return


def _stop_quote_cadences(session: Session, quote_id: int, close: Close, now: datetime) -> None:
    # The plan belonged to the open quote; left running it would stall with nothing pending.
    from sqlalchemy import select

    from deckfollow.core.cadence_runs import stop_cadence
    from deckfollow.core.enums import CadenceRunStatus
    from deckfollow.core.models import CadenceRun

    runs = session.execute(
        select(CadenceRun.id).where(
            CadenceRun.quote_id == quote_id,
            CadenceRun.status.in_([CadenceRunStatus.ACTIVE, CadenceRunStatus.PAUSED]),
        )
    ).scalars()
    for run_id in list(runs):
        stop_cadence(
            session, run_id, now=now, reason=f"quote closed as {close.stage.label.lower()}"
        )
