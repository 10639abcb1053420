"""Closing a follow-up: done, skipped or cancelled; a cadence step done or skipped moves
its plan on to the next step."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from deckfollow.core.cadence_runs import move_on
from deckfollow.core.changes import Changes
from deckfollow.core.enums import FollowUpStatus
from deckfollow.core.errors import ValidationError
from deckfollow.core.followups import get_follow_up


def close_follow_up(
    session: Session,
    follow_up_id: int,
    status: FollowUpStatus,
    *,
    now: datetime,
    reason: str | None = None,
) -> Changes:
    """Mark a pending follow-up done, skipped or cancelled."""
    fu = get_follow_up(session, follow_up_id)
    if fu.status is not FollowUpStatus.PENDING:
        raise ValidationError("follow-up", f"is already {fu.status.value}")
    fu.status = status
    fu.completed_at = now
    fu.cancel_reason = reason
    if fu.cadence_run_id is not None and status in (FollowUpStatus.DONE, FollowUpStatus.SKIPPED):
        session.flush()
        move_on(session, fu.cadence_run_id, now=now)
    return Changes(follow_ups=True)


def complete_step(session: Session, follow_up_id: int, *, now: datetime) -> Changes:
    """Mark a cadence step done; the plan moves on."""
    return close_follow_up(session, follow_up_id, FollowUpStatus.DONE, now=now)


def skip_step(
    session: Session, follow_up_id: int, *, now: datetime, reason: str = "skipped"
) -> Changes:
    """Skip a cadence step; the plan moves on."""
    return close_follow_up(session, follow_up_id, FollowUpStatus.SKIPPED, now=now, reason=reason)
