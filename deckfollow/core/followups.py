"""Planning follow-ups: every one has a reason and obeys the rules of permission."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from deckfollow.core.changes import Changes
from deckfollow.core.consent import append_event, get_customer, grant_consent, load_snapshot
from deckfollow.core.enums import (
    Basis,
    Channel,
    ConsentEventKind,
    ConsentState,
    FollowUpStatus,
)
from deckfollow.core.errors import NotFoundError, PermissionRefused, ValidationError
from deckfollow.core.models import ConsentEvent, FollowUp, Quote
from deckfollow.core.permission import ContactSnapshot, decide
from deckfollow.core.settings import load_settings


@dataclass(frozen=True)
class FollowUpPlan:
    """The next step to plan: when, how, why, and whether the customer agreed."""

    due_at: datetime
    channel: Channel
    reason: str
    basis: Basis = Basis.PLANNED
    agreed_words: str | None = None
    window_end: datetime | None = None


def planned_times(
    session: Session, customer_id: int, exclude_id: int | None = None
) -> list[datetime]:
    """Due times of the customer's pending and done *planned* follow-ups (for the weekly cap)."""
    stmt = select(FollowUp.due_at).where(
        FollowUp.customer_id == customer_id,
        FollowUp.basis == Basis.PLANNED,
        FollowUp.status.in_([FollowUpStatus.PENDING, FollowUpStatus.DONE]),
    )
    if exclude_id is not None:
        stmt = stmt.where(FollowUp.id != exclude_id)
    return list(session.execute(stmt).scalars())


def check_plan(session: Session, snap: ContactSnapshot, plan: FollowUpPlan) -> None:
    """Raise PermissionRefused (with the reason and the nearest allowed slot) if not allowed."""
    if not plan.reason or not plan.reason.strip():
        raise ValidationError("reason", 'every follow-up needs a reason ("The reason I\'m …")')
    if plan.basis is Basis.AGREED and not (plan.agreed_words and plan.agreed_words.strip()):
        raise ValidationError("agreed words", "an agreed follow-up keeps the customer's words")
    if plan.window_end is not None and plan.window_end <= plan.due_at:
        raise ValidationError("window", "the window must end after it starts")
    cap = load_settings(session).weekly_cap
    decision = decide(
        snap, plan.channel, plan.due_at, plan.basis, planned_times(session, snap.customer_id), cap
    )
    if not decision.allowed:
        hint = ""
        if decision.suggestion is not None:
            local = decision.suggestion.astimezone(snap.hours.tz)
            hint = f" Nearest allowed time: {local:%a %d %b %Y %H:%M} ({snap.timezone})."
        raise PermissionRefused(decision.reason + hint)


def schedule_follow_up(
    session: Session,
    customer_id: int,
    quote_id: int | None,
    plan: FollowUpPlan,
    *,
    now: datetime,
    source: str = "in person",
) -> FollowUp:
    """Add a follow-up after checking every rule; an agreed one is also a ledger entry."""
    customer = get_customer(session, customer_id)
    if quote_id is not None:
        quote = session.get(Quote, quote_id)
        if quote is None or quote.customer_id != customer_id or quote.deleted_at is not None:
            raise NotFoundError(f"no quote {quote_id} for {customer.display_name}")
    snap = load_snapshot(session, customer_id)
    check_plan(session, snap, plan)
    fu = FollowUp(
        customer_id=customer_id,
        quote_id=quote_id,
        due_at=plan.due_at,
        window_end=plan.window_end,
        timezone=customer.timezone,
        channel=plan.channel,
        reason=plan.reason.strip(),
        basis=plan.basis,
        agreed_words=plan.agreed_words,
        status=FollowUpStatus.PENDING,
        created_at=now,
    )
    session.add(fu)
    session.flush()
    if plan.basis is Basis.AGREED:
        cc = plan.channel.consent_channel
        if snap.consent(cc).state is not ConsentState.GRANTED:
            grant_consent(session, customer_id, cc, source=source, words=plan.agreed_words, now=now)
        local = plan.due_at.astimezone(snap.hours.tz)
        append_event(
            session,
            ConsentEvent(
                customer_id=customer_id,
                kind=ConsentEventKind.AGREED_FOLLOW_UP,
                channel=cc,
                at=now,
                source=source,
                words=plan.agreed_words,
                detail=f"{plan.channel.value} on {local:%a %d %b %Y %H:%M} ({customer.timezone}):"
                f" {plan.reason.strip()}",
                follow_up_id=fu.id,
            ),
        )
    return fu


def get_follow_up(session: Session, follow_up_id: int) -> FollowUp:
    fu = session.get(FollowUp, follow_up_id)
    if fu is None:
        raise NotFoundError(f"no follow-up with id {follow_up_id}")
    return fu


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
    return Changes(follow_ups=True)
