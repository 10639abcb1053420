"""Cadences: named plans of follow-ups that keep every rule of permission.

A run schedules one step at a time. Each step is placed inside the customer's allowed
hours, under the cap (rule 5) and clear of anything they agreed to (rule 4); completing or
skipping it moves the plan on. A step on a channel the customer closed is passed over,
with a cancelled follow-up left behind saying why. A reply pauses the run (rule 8).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from deckfollow.core import limits
from deckfollow.core.changes import Changes
from deckfollow.core.consent import get_customer, load_snapshot
from deckfollow.core.contact_hours import local_to_utc
from deckfollow.core.enums import Basis, CadenceAnchor, CadenceRunStatus, Channel, FollowUpStatus
from deckfollow.core.errors import NotFoundError, PermissionRefused, ValidationError
from deckfollow.core.models import Cadence, CadenceRun, CadenceStep, FollowUp, Quote
from deckfollow.core.permission import ContactSnapshot, channel_decision, find_slot
from deckfollow.core.settings import load_settings

DEFAULT_HOUR = 10


# What day 0 of a cadence is (kept under its old name for readability here).
Anchor = CadenceAnchor


@dataclass(frozen=True)
class StepSpec:
    offset_days: int
    channel: Channel
    reason: str
    at_hour: int | None = None
    template_key: str | None = None


@dataclass(frozen=True)
class CadenceSpec:
    """A cadence as plain data (what the UI edits and the built-ins are written in)."""

    key: str
    name: str
    description: str
    steps: tuple[StepSpec, ...]
    anchor: Anchor = Anchor.START
    repeat_yearly: bool = False
    repeat_last_every_days: int | None = None
    builtin: bool = False
    id: int | None = field(default=None, compare=False)


# Reasons are the owner's note of why (the Today list shows them); scripts turn them to
# the customer ("The reason I'm calling is to check whether …", "them" becoming "you").
BUILTIN: tuple[CadenceSpec, ...] = (
    CadenceSpec(
        "after_quote",
        "After a quote",
        "Twelve touches over six months after a quote goes out: text, call, email and a "
        "handwritten card, each with a real reason.",
        (
            StepSpec(
                1,
                Channel.TEXT,
                "Check the quote arrived and offer to answer questions "
                "while it's fresh (ask where to text photos)",
                10,
            ),
            StepSpec(
                3,
                Channel.CALL,
                "Walk through the quote and hear what matters most to them about the job",
                17,
            ),
            StepSpec(
                7,
                Channel.EMAIL,
                "Send photos of a similar job we finished, with my cell number to call or text",
            ),
            StepSpec(10, Channel.CARD, "Handwritten thank-you for the chance to quote"),
            StepSpec(
                14,
                Channel.CALL,
                "Check whether the materials or the timing raised any questions",
                17,
            ),
            StepSpec(21, Channel.TEXT, "Share our current lead time so you can plan around it", 10),
            StepSpec(
                35,
                Channel.EMAIL,
                "Saw this and thought of you: a care guide for the materials in your quote",
            ),
            StepSpec(
                50,
                Channel.CALL,
                "See whether their plans or budget changed, so the quote still fits",
                17,
            ),
            StepSpec(
                70,
                Channel.TEXT,
                "Let you know until when the quoted prices hold, or offer to refresh them",
                10,
            ),
            StepSpec(
                100, Channel.EMAIL, "The best months to build, with photos of a recent job nearby"
            ),
            StepSpec(
                140,
                Channel.CALL,
                "Ask whether to keep the quote open or park it until the time suits them",
                17,
            ),
            StepSpec(
                180,
                Channel.CARD,
                "Saw-this-and-thought-of-you card: still here whenever the job is back on the list",
            ),
        ),
        builtin=True,
    ),
    CadenceSpec(
        "after_sale",
        "After the sale",
        "Thank-you call the night of the sale, a check the next day, a referral call at "
        "three weeks, then a check-in about every three months.",
        (
            StepSpec(0, Channel.CALL, "Thank you for choosing us, and confirm the start date", 18),
            StepSpec(
                1,
                Channel.TEXT,
                "Check everything is clear for the start: access, "
                "timing, anything you're unsure of",
                10,
            ),
            StepSpec(
                21,
                Channel.CALL,
                "Ask how it's going and whether friends or neighbours could use the same",
                17,
            ),
            StepSpec(
                111,
                Channel.CALL,
                "Hear how the work is holding up and remind them of the seasonal care",
                17,
            ),
        ),
        repeat_last_every_days=91,
        builtin=True,
    ),
    CadenceSpec(
        "parked",
        "Parked: revisit",
        "Come back on the date you agreed to try again, with an up-to-date quote.",
        (
            StepSpec(
                0,
                Channel.CALL,
                "We agreed to try again about now: ask if the timing is better "
                "and whether to update the quote",
                10,
            ),
            StepSpec(
                2, Channel.EMAIL, "Send the refreshed quote with current prices and my cell number"
            ),
        ),
        anchor=Anchor.PARKED_UNTIL,
        builtin=True,
    ),
    CadenceSpec(
        "birthday",
        "Birthday card",
        "A handwritten birthday card every year, posted a week early so it arrives on time.",
        (StepSpec(-7, Channel.CARD, "Happy birthday card (posted to arrive on the day)"),),
        anchor=Anchor.BIRTHDAY,
        repeat_yearly=True,
        builtin=True,
    ),
    CadenceSpec(
        "anniversary",
        "Anniversary card",
        "A card each year on the anniversary of the job (start it on the day of the sale).",
        (
            StepSpec(
                358,
                Channel.CARD,
                "Anniversary card: a year since we built it, with a reminder about its yearly care",
            ),
        ),
        repeat_yearly=True,
        builtin=True,
    ),
)


# --- Storage of cadences ---------------------------------------------------------------


def _save_rules(cad: Cadence, spec: CadenceSpec) -> None:
    cad.anchor = spec.anchor
    cad.repeat_yearly = spec.repeat_yearly
    cad.repeat_last_every_days = spec.repeat_last_every_days


def _spec_of(session: Session, cad: Cadence) -> CadenceSpec:
    return CadenceSpec(
        key=cad.key,
        name=cad.name,
        description=cad.description or "",
        steps=tuple(
            StepSpec(s.offset_days, s.channel, s.reason, s.at_hour, s.template_key)
            for s in sorted(cad.steps, key=lambda s: s.position)
        ),
        anchor=cad.anchor,
        repeat_yearly=cad.repeat_yearly,
        repeat_last_every_days=cad.repeat_last_every_days,
        builtin=cad.builtin,
        id=cad.id,
    )


def _validate(spec: CadenceSpec) -> None:
    if not spec.name.strip():
        raise ValidationError("name", "a cadence needs a name")
    limits.check_length("name", spec.name.strip(), limits.CADENCE_NAME)
    if not re.fullmatch(r"[a-z0-9_\-]{1,60}", spec.key):
        raise ValidationError("key", "use 1-60 lower-case letters, digits, '-' or '_'")
    if not spec.steps:
        raise ValidationError("steps", "a cadence needs at least one step")
    for i, st in enumerate(spec.steps, 1):
        if not st.reason.strip():
            raise ValidationError(f"step {i}", "every step needs a reason")
        limits.check_length(f"step {i}", st.reason.strip(), limits.REASON)
        if "ready yet" in st.reason.lower():
            raise ValidationError(f"step {i}", '"are you ready yet?" is not a reason')
        if st.at_hour is not None and not 0 <= st.at_hour <= 23:
            raise ValidationError(f"step {i}", "the hour must be 0-23")
    offsets = [s.offset_days for s in spec.steps]
    if offsets != sorted(offsets):
        raise ValidationError("steps", "steps must be in order of their day")
    if spec.repeat_last_every_days is not None and spec.repeat_last_every_days < 7:
        raise ValidationError("repeat", "repeat the last step at most once a week")


def _write_steps(cad: Cadence, steps: Sequence[StepSpec]) -> None:
    cad.steps.clear()
    for pos, st in enumerate(steps):
        cad.steps.append(
            CadenceStep(
                position=pos,
                offset_days=st.offset_days,
                at_hour=st.at_hour,
                channel=st.channel,
                reason=st.reason.strip(),
                template_key=st.template_key,
            )
        )


def _get_cadence(session: Session, key: str) -> Cadence:
    cad = session.execute(select(Cadence).where(Cadence.key == key)).scalar_one_or_none()
    if cad is None:
        raise NotFoundError(f"no cadence called {key!r}")
    return cad


def step_template_key(session: Session, run_id: int, position: int) -> str | None:
    """The wording a cadence step asks for (None: the channel's default)."""
    return session.execute(
        select(CadenceStep.template_key)
        .join(CadenceRun, CadenceRun.cadence_id == CadenceStep.cadence_id)
        .where(CadenceRun.id == run_id, CadenceStep.position == position)
    ).scalar_one_or_none()


def seed_builtin_cadences(session: Session) -> int:
    """Add (or bring up to date) the built-in cadences; safe to run at every start.

    Returns how many were added or changed.
    """
    touched = 0
    for spec in BUILTIN:
        cad = session.execute(select(Cadence).where(Cadence.key == spec.key)).scalar_one_or_none()
        if cad is None:
            cad = Cadence(key=spec.key, name=spec.name, description=spec.description, builtin=True)
            session.add(cad)
            _write_steps(cad, spec.steps)
            session.flush()
            _save_rules(cad, spec)
            touched += 1
            continue
        if not cad.builtin:
            continue  # the user's own cadence took this key; leave it alone
        if _spec_of(session, cad) != spec:
            cad.name, cad.description = spec.name, spec.description
            _write_steps(cad, [])
            session.flush()
            _write_steps(cad, spec.steps)
            _save_rules(cad, spec)
            touched += 1
    session.flush()
    return touched


def list_cadences(session: Session) -> list[CadenceSpec]:
    """Every cadence, built-ins first."""
    rows = session.execute(select(Cadence).order_by(Cadence.builtin.desc(), Cadence.name)).scalars()
    return [_spec_of(session, c) for c in rows]


def get_cadence(session: Session, key: str) -> CadenceSpec:
    return _spec_of(session, _get_cadence(session, key))


def _free_key(session: Session, base: str) -> str:
    key, n = base, 2
    while session.execute(select(Cadence.id).where(Cadence.key == key)).first() is not None:
        key, n = f"{base}-{n}", n + 1
    return key


def copy_cadence(session: Session, key: str, *, name: str | None = None) -> CadenceSpec:
    """A user's own editable copy of a cadence."""
    src = get_cadence(session, key)
    new_key = _free_key(session, f"{src.key}-copy"[:55])
    spec = CadenceSpec(
        key=new_key,
        name=(name or f"{src.name} (copy)").strip(),
        description=src.description,
        steps=src.steps,
        anchor=src.anchor,
        repeat_yearly=src.repeat_yearly,
        repeat_last_every_days=src.repeat_last_every_days,
    )
    _validate(spec)
    cad = Cadence(key=spec.key, name=spec.name, description=spec.description, builtin=False)
    session.add(cad)
    _write_steps(cad, spec.steps)
    session.flush()
    _save_rules(cad, spec)
    return _spec_of(session, cad)


def update_cadence(session: Session, spec: CadenceSpec) -> CadenceSpec:
    """Save an edited copy; built-ins are refused (copy them first)."""
    cad = _get_cadence(session, spec.key)
    if cad.builtin:
        raise ValidationError("cadence", f"{cad.name!r} is built in; copy it and edit the copy")
    _validate(spec)
    cad.name, cad.description = spec.name.strip(), spec.description
    _write_steps(cad, [])
    session.flush()
    _write_steps(cad, spec.steps)
    _save_rules(cad, spec)
    session.flush()
    return _spec_of(session, cad)


# --- Occurrences: step i of a run, at which day ------------------------------------------


@dataclass(frozen=True)
class Occurrence:
    index: int
    position: int
    day: date
    step: StepSpec


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 Feb in a common year
        return d.replace(year=d.year + years, day=28)


def occurrences(spec: CadenceSpec, anchor: date, first_index: int = 0) -> Iterator[Occurrence]:
    """The run's steps in order, from `first_index`, with the day each falls on."""
    n = len(spec.steps)
    i = first_index
    while True:
        if spec.repeat_yearly:
            cycle, pos = divmod(i, n)
            day0 = _add_years(anchor, cycle)
        elif i < n:
            pos, day0 = i, anchor
        elif spec.repeat_last_every_days:
            pos = n - 1
            day0 = anchor + timedelta(days=spec.repeat_last_every_days * (i - n + 1))
        else:
            return
        step = spec.steps[pos]
        yield Occurrence(i, pos, day0 + timedelta(days=step.offset_days), step)
        i += 1


def _first_yearly_index(spec: CadenceSpec, anchor: date, today: date) -> int:
    n = len(spec.steps)
    cycle = max(0, today.year - anchor.year - 1)
    for occ in occurrences(spec, anchor, cycle * n):
        if occ.day >= today:
            return occ.index
    return 0  # unreachable: yearly occurrences never end


# --- Runs --------------------------------------------------------------------------------


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


def run_anchor(
    spec: CadenceSpec, started: date, *, birthday: date | None, parked_until: date | None
) -> date:
    """Day 0 of a run: the day it started, the customer's birthday or the parked-until date."""
    if spec.anchor is Anchor.BIRTHDAY:
        if birthday is None:
            raise ValidationError("birthday", "add the customer's birthday first")
        return birthday
    if spec.anchor is Anchor.PARKED_UNTIL and parked_until is not None:
        return parked_until
    return started


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


def _pending_step(session: Session, run_id: int) -> FollowUp | None:
    return session.execute(
        select(FollowUp).where(
            FollowUp.cadence_run_id == run_id, FollowUp.status == FollowUpStatus.PENDING
        )
    ).scalar_one_or_none()


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


def _best_within(occ: Occurrence, after: Occurrence | None) -> timedelta:
    """How long a step may wait for the customer's best times: half the gap to the next
    step, between a day and a week ("thank you the same evening" is not moved a week on)."""
    gap = timedelta(days=(after.day - occ.day).days) if after is not None else timedelta(days=14)
    return max(timedelta(days=1), min(timedelta(days=7), gap / 2))


STUCK_REASON = "no step of this plan can be placed within the rules"


@dataclass(frozen=True)
class Placement:
    """Where one step of a run lands, or why it was passed over (`passed_over` is set)."""

    occurrence: Occurrence
    due_at: datetime
    passed_over: str | None = None


@dataclass(frozen=True)
class NextPlacement:
    """The outcome of placing a run's next step.

    `passed_over` steps are left behind as cancelled follow-ups saying why; then either a
    step is `placed`, the plan has no step left (`finished`), or none can be placed within
    the rules (neither: the run pauses with STUCK_REASON).
    """

    passed_over: tuple[Placement, ...]
    placed: Placement | None
    finished: bool


def plan_next_step(
    spec: CadenceSpec,
    anchor: date,
    snap: ContactSnapshot,
    *,
    last_index: int | None,
    now: datetime,
    planned: Sequence[datetime],
    agreed: Sequence[datetime],
    cap: int,
) -> NextPlacement:
    """Where a run's next step goes, as plain data (no database).

    `last_index` is the run's latest step so far (None: the run is new), `planned` the due
    times of the customer's pending and done planned follow-ups (the cap, rule 5), `agreed`
    those of their pending agreed ones (kept clear of, rule 4).
    """
    tz = snap.hours.tz
    if last_index is not None:
        first = last_index + 1
    elif spec.repeat_yearly:
        first = _first_yearly_index(spec, anchor, now.astimezone(tz).date())
    else:
        first = 0
    passed: list[Placement] = []
    upcoming = occurrences(spec, anchor, first)
    following = occurrences(spec, anchor, first + 1)
    for tries, occ in enumerate(upcoming, 1):
        after = next(following, None)
        if tries > len(spec.steps) + 1:
            return NextPlacement(tuple(passed), None, finished=False)
        target = max(local_to_utc(occ.day, time(occ.step.at_hour or DEFAULT_HOUR), tz), now)
        gate = channel_decision(snap, occ.step.channel)
        slot = None
        if gate.allowed:
            slot = find_slot(
                snap,
                occ.step.channel,
                target,
                planned,
                cap,
                keep_clear_of=agreed,
                prefer_best_times=True,
                best_within=_best_within(occ, after),
            )
        if slot is not None and slot > target and not occ.step.channel.is_timed:
            # An email or card the cap pushed to a later day goes out at the
            # step's hour that day, not at the odd minute the cap freed.
            hour = time(occ.step.at_hour or DEFAULT_HOUR)
            later = local_to_utc(slot.astimezone(tz).date(), hour, tz)
            if later > slot:
                moved = find_slot(snap, occ.step.channel, later, planned, cap, keep_clear_of=agreed)
                slot = moved or slot
        if slot is None:
            why = gate.reason if not gate.allowed else "no allowed time within four months"
            passed.append(Placement(occ, target, why[:300]))
            continue
        return NextPlacement(tuple(passed), Placement(occ, slot), finished=False)
    return NextPlacement(tuple(passed), None, finished=True)


def _schedule_next(session: Session, run: CadenceRun, *, now: datetime) -> FollowUp | None:
    """Place the run's next step (or finish / pause it). The run must be active."""
    from deckfollow.core.followups import planned_times

    cad = session.get(Cadence, run.cadence_id)
    assert cad is not None
    spec = _spec_of(session, cad)
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
        return FollowUp(
            customer_id=run.customer_id,
            quote_id=run.quote_id,
            due_at=p.due_at,
            timezone=snap.timezone,
            channel=p.occurrence.step.channel,
            reason=p.occurrence.step.reason,
            basis=Basis.PLANNED,
            status=FollowUpStatus.PENDING,
            cadence_run_id=run.id,
            cadence_step=p.occurrence.index,
            created_at=now,
        )

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
    cad = _get_cadence(session, key)
    if quote_id is not None:
        quote = session.get(Quote, quote_id)
        if quote is None or quote.customer_id != customer_id or quote.deleted_at is not None:
            raise NotFoundError(f"no quote {quote_id} for {customer.display_name}")
    if _spec_of(session, cad).anchor is Anchor.BIRTHDAY and customer.birthday is None:
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


def complete_step(session: Session, follow_up_id: int, *, now: datetime) -> Changes:
    """Mark a cadence step done; the plan moves on."""
    from deckfollow.core.followups import close_follow_up

    return close_follow_up(session, follow_up_id, FollowUpStatus.DONE, now=now)


def skip_step(
    session: Session, follow_up_id: int, *, now: datetime, reason: str = "skipped"
) -> Changes:
    """Skip a cadence step; the plan moves on."""
    from deckfollow.core.followups import close_follow_up

    return close_follow_up(session, follow_up_id, FollowUpStatus.SKIPPED, now=now, reason=reason)


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
    from deckfollow.core.followups import refit_planned

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
            stop_cadence(
                session, run.id, now=now, reason="stopped: customer asked not to be contacted"
            )
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


@dataclass(frozen=True)
class PreviewStep:
    day: date
    channel: Channel
    reason: str


def preview(spec: CadenceSpec, anchor: date, count: int = 12) -> list[PreviewStep]:
    """The first `count` steps as they would fall from `anchor` (before the rules move them)."""
    out: list[PreviewStep] = []
    for occ in occurrences(spec, anchor):
        if len(out) >= count:
            break
        out.append(PreviewStep(occ.day, occ.step.channel, occ.step.reason))
    return out
