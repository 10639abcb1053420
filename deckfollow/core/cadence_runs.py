"""Cadence runs: a plan started for a customer (and quote), moved on step by step.

A run schedules one step at a time (placed by `core.cadence_placement`); completing or
skipping it moves the plan on. A step on a channel the customer closed is passed over, with
a cancelled follow-up left behind saying why. A reply pauses the run (rule 8); a "stop"
stops every run (rule 2).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from deckfollow.core.cadence_library import get_cadence_row, spec_of
from deckfollow.core.cadence_placement import STUCK_REASON, Placement, plan_next_step, run_anchor
from deckfollow.core.cadence_specs import Anchor, CadenceSpec
from deckfollow.core.changes import Changes
from deckfollow.core.contact_snapshot import get_customer, load_snapshot
from deckfollow.core.enums import Basis, CadenceRunStatus, Channel, FollowUpStatus
from deckfollow.core.errors import NotFoundError, PermissionRefused, ValidationError
from deckfollow.core.followups import planned_times, refit_planned
from deckfollow.core.models import Cadence, CadenceRun, FollowUp, Quote
from deckfollow.core.permission import channel_decision
from deckfollow.core.settings import load_settings

# Why a "stop" (do not contact at all) stopped a run.
DNC_STOP = "stopped: customer asked not to be contacted"


@dataclass(frozen=True)
class RunInfo:
    id: int
    cadence_key: str
    cadence_name: str
    customer_id: int
    quote_id: int | None
    status: CadenceRunStatus
    paused_reason: str | None
    next_due: datetime | None
    next_channel: Channel | None
    next_reason: str | None


def _run(session: Session, run_id: int) -> CadenceRun:
    run = session.get(CadenceRun, run_id)
    if run is None:
        raise NotFoundError(f"no cadence run with id {run_id}")
    return run


def _anchor(session: Session, run: CadenceRun, spec: CadenceSpec) -> date:
    customer = get_customer(session, run.customer_id)
    snap = load_snapshot(session, run.customer_id)
    started = run.started_at.astimezone(snap.hours.tz).date()
    if spec.anchor is Anchor.BIRTHDAY and customer.birthday is None:
        raise ValidationError("birthday", f"add {customer.display_name}'s birthday first")
    parked_until = None
    if spec.anchor is Anchor.PARKED_UNTIL and run.quote_id is not None:
        quote = session.get(Quote, run.quote_id)
        if quote is not None:
            parked_until = quote.parked_until
    return run_anchor(spec, started, birthday=customer.birthday, parked_until=parked_until)


# Built once: every plan step done asks for it.
_PENDING_STEP = select(FollowUp).where(
    FollowUp.cadence_run_id == bindparam("run_id"), FollowUp.status == FollowUpStatus.PENDING
)


def _pending_step(session: Session, run_id: int) -> FollowUp | None:
    return session.execute(_PENDING_STEP, {"run_id": run_id}).scalar_one_or_none()


def _agreed_times(session: Session, customer_id: int) -> list[datetime]:
    return list(
        session.execute(
            select(FollowUp.due_at).where(
                FollowUp.customer_id == customer_id,
                FollowUp.basis == Basis.AGREED,
                FollowUp.status == FollowUpStatus.PENDING,
            )
        ).scalars()
    )


def step_fields(
    customer_id: int,
    quote_id: int | None,
    run_id: int,
    timezone: str,
    p: Placement,
    now: datetime,
) -> dict[str, Any]:
    """A placed (or passed-over) step as a pending follow-up's fields; one run or a batch."""
    return {
        "customer_id": customer_id,
        "quote_id": quote_id,
        "due_at": p.due_at,
        "timezone": timezone,
        "channel": p.occurrence.step.channel,
        "reason": p.occurrence.step.reason,
        "basis": Basis.PLANNED,
        "status": FollowUpStatus.PENDING,
        "cadence_run_id": run_id,
        "cadence_step": p.occurrence.index,
        "created_at": now,
    }


def _schedule_next(session: Session, run: CadenceRun, *, now: datetime) -> FollowUp | None:
    """Place the run's next step (or finish / pause it). The run must be active."""
    cad = session.get(Cadence, run.cadence_id)
    assert cad is not None
    spec = spec_of(session, cad)
    snap = load_snapshot(session, run.customer_id)
    last = session.execute(
        select(func.max(FollowUp.cadence_step)).where(FollowUp.cadence_run_id == run.id)
    ).scalar_one_or_none()
    nxt = plan_next_step(
        spec,
        _anchor(session, run, spec),
        snap,
        last_index=last,
        now=now,
        planned=planned_times(session, run.customer_id),
        agreed=_agreed_times(session, run.customer_id),
        cap=load_settings(session).weekly_cap,
    )

    def follow_up(p: Placement) -> FollowUp:
        return FollowUp(**step_fields(run.customer_id, run.quote_id, run.id, snap.timezone, p, now))

    for p in nxt.passed_over:
        # Leave a trace of the step that was passed over, and why.
        fu = follow_up(p)
        fu.status = FollowUpStatus.CANCELLED
        fu.completed_at = now
        fu.cancel_reason = p.passed_over
        session.add(fu)
        session.flush()
    if nxt.placed is not None:
        fu = follow_up(nxt.placed)
        session.add(fu)
        session.flush()
        return fu
    if nxt.finished:
        run.status = CadenceRunStatus.FINISHED
        run.paused_reason = None
    else:
        run.status = CadenceRunStatus.PAUSED
        run.paused_reason = STUCK_REASON
    return None


def start_cadence(
    session: Session,
    customer_id: int,
    key: str,
    *,
    quote_id: int | None = None,
    now: datetime,
) -> RunInfo:
    """Start a cadence for a customer (and quote); its first step is placed at once."""
    customer = get_customer(session, customer_id)
    snap = load_snapshot(session, customer_id)
    if snap.do_not_contact:
        raise PermissionRefused(channel_decision(snap, Channel.EMAIL).reason)
    cad = get_cadence_row(session, key)
    if quote_id is not None:
        quote = session.get(Quote, quote_id)
        if quote is None or quote.customer_id != customer_id or quote.deleted_at is not None:
            raise NotFoundError(f"no quote {quote_id} for {customer.display_name}")
    if spec_of(session, cad).anchor is Anchor.BIRTHDAY and customer.birthday is None:
        raise ValidationError("birthday", f"add {customer.display_name}'s birthday first")
    running = session.execute(
        select(CadenceRun.id).where(
            CadenceRun.customer_id == customer_id,
            CadenceRun.cadence_id == cad.id,
            CadenceRun.status.in_([CadenceRunStatus.ACTIVE, CadenceRunStatus.PAUSED]),
            (CadenceRun.quote_id == quote_id)
            if quote_id is not None
            else CadenceRun.quote_id.is_(None),
        )
    ).first()
    if running is not None:
        raise ValidationError("cadence", f"{cad.name!r} is already running for this customer")
    run = CadenceRun(
        cadence_id=cad.id,
        customer_id=customer_id,
        quote_id=quote_id,
        started_at=now,
        status=CadenceRunStatus.ACTIVE,
    )
    session.add(run)
    session.flush()
    _schedule_next(session, run, now=now)
    session.flush()
    return run_info(session, run.id)


def move_on(session: Session, run_id: int, *, now: datetime) -> None:
    """After a step was completed or skipped: place the next one (if the run is active)."""
    run = _run(session, run_id)
    if run.status is CadenceRunStatus.ACTIVE and _pending_step(session, run_id) is None:
        _schedule_next(session, run, now=now)


def _cancel_pending(session: Session, run_id: int, reason: str, now: datetime) -> None:
    fu = _pending_step(session, run_id)
    if fu is not None:
        fu.status = FollowUpStatus.CANCELLED
        fu.completed_at = now
        fu.cancel_reason = reason


def stop_cadence(
    session: Session, run_id: int, *, now: datetime, reason: str = "stopped"
) -> Changes:
    """Stop a run for good; its pending step is cancelled."""
    run = _run(session, run_id)
    if run.status in (CadenceRunStatus.STOPPED, CadenceRunStatus.FINISHED):
        return Changes()
    run.status = CadenceRunStatus.STOPPED
    run.paused_reason = reason
    _cancel_pending(session, run_id, f"cadence {reason}", now)
    session.flush()
    return Changes(follow_ups=True)


def pause_cadence(
    session: Session, run_id: int, *, now: datetime, reason: str = "paused"
) -> Changes:
    """Hold a run; its pending step stays but is not due while paused."""
    run = _run(session, run_id)
    if run.status is CadenceRunStatus.ACTIVE:
        run.status = CadenceRunStatus.PAUSED
        run.paused_reason = reason
    return Changes(follow_ups=True)


def resume_cadence(session: Session, run_id: int, *, now: datetime) -> Changes:
    """Continue a paused run: a pending step gone stale is re-placed from now."""
    run = _run(session, run_id)
    if run.status is not CadenceRunStatus.PAUSED:
        raise ValidationError("cadence", f"the run is {run.status.value}, not paused")
    snap = load_snapshot(session, run.customer_id)
    if snap.do_not_contact:
        raise PermissionRefused(channel_decision(snap, Channel.EMAIL).reason)
    run.status = CadenceRunStatus.ACTIVE
    run.paused_reason = None
    fu = _pending_step(session, run_id)
    if fu is not None and fu.due_at < now:
        fu.due_at = now
        fu.snoozed_until = None
    session.flush()
    refit_planned(session, run.customer_id, now=now)
    move_on(session, run_id, now=now)
    session.flush()
    return Changes(follow_ups=True)


def after_revoke(
    session: Session, customer_id: int, *, do_not_contact: bool, now: datetime
) -> None:
    """Keep runs honest after a "stop": stop them all, or move each past the closed channel."""
    runs = session.execute(
        select(CadenceRun).where(
            CadenceRun.customer_id == customer_id,
            CadenceRun.status.in_([CadenceRunStatus.ACTIVE, CadenceRunStatus.PAUSED]),
        )
    ).scalars()
    for run in list(runs):
        if do_not_contact:
            stop_cadence(session, run.id, now=now, reason=DNC_STOP)
        else:
            move_on(session, run.id, now=now)


def run_info(session: Session, run_id: int) -> RunInfo:
    run = _run(session, run_id)
    cad = session.get(Cadence, run.cadence_id)
    assert cad is not None
    fu = _pending_step(session, run_id)
    return RunInfo(
        id=run.id,
        cadence_key=cad.key,
        cadence_name=cad.name,
        customer_id=run.customer_id,
        quote_id=run.quote_id,
        status=run.status,
        paused_reason=run.paused_reason,
        next_due=fu.due_at if fu else None,
        next_channel=fu.channel if fu else None,
        next_reason=fu.reason if fu else None,
    )


def customer_runs(session: Session, customer_id: int) -> list[RunInfo]:
    """A customer's cadence runs, newest first."""
    ids = session.execute(
        select(CadenceRun.id)
        .where(CadenceRun.customer_id == customer_id)
        .order_by(CadenceRun.started_at.desc(), CadenceRun.id.desc())
    ).scalars()
    return [run_info(session, i) for i in ids]
