"""Where a cadence's steps fall, as plain data (no database).

A run places one step at a time: inside the customer's allowed hours, under the cap
(rule 5) and clear of anything they agreed to (rule 4). A step on a channel the customer
closed is passed over with the reason; the caller leaves it behind as a cancelled follow-up.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from deckfollow.core.cadence_specs import Anchor, CadenceSpec, StepSpec
from deckfollow.core.contact_hours import local_to_utc
from deckfollow.core.enums import Channel
from deckfollow.core.errors import ValidationError
from deckfollow.core.permission import ContactSnapshot, channel_decision, find_slot

DEFAULT_HOUR = 10


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
