"""Follow-up plans played forward with the core's own placement, up to `now`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from deckfollow.core.cadence_placement import STUCK_REASON, plan_next_step, run_anchor
from deckfollow.core.cadence_specs import CadenceSpec
from deckfollow.core.enums import (
    CadenceRunStatus,
    Channel,
    Direction,
    FollowUpStatus,
    Outcome,
)
from deckfollow.core.models import (
    CadenceRun,
    FollowUp,
)
from deckfollow.core.permission import AGREED_CLEARANCE, find_slot
from deckfollow.demo.consent_history import ConsentHistory
from deckfollow.demo.customer_words import REPLIES
from deckfollow.demo.people import SOURCE_OF, Person, StoryQuote
from deckfollow.demo.rows import row_follow_up, touch_row
from deckfollow.demo.times import local_day
from deckfollow.demo.wording import (
    CALL_NOTES,
    REACHED_PARKED,
    REACHED_QUOTE,
    REACHED_SALE,
    STEP_NOTES,
)
from deckfollow.demo.workbench import Workbench

# A plan step due in the last few days that the owner has not got to yet (Today's overdue).
_STEP_LEFT_OVERDUE = 0.07


_OVERDUE_WINDOW = timedelta(days=4)


@dataclass(frozen=True)
class Stop:
    """A plan ends at `at`: its pending step is cancelled and the run stopped."""

    at: datetime
    run_reason: str
    step_reason: str


def _position(spec: CadenceSpec, index: int) -> int:
    """Which of the plan's steps occurrence `index` is (yearly and repeating plans cycle)."""
    n = len(spec.steps)
    if spec.repeat_yearly:
        return index % n
    return min(index, n - 1)


class PlanPlayback:
    """Plays a follow-up plan forward step by step, as the app would have placed it."""

    def __init__(self, wb: Workbench, consent: ConsentHistory) -> None:
        self.wb = wb
        self.consent = consent

    def play_plan(
        self,
        person: Person,
        key: str,
        q: StoryQuote | None,
        start: datetime,
        *,
        stop: Stop | None = None,
        reply: datetime | None = None,
        complete: bool = True,
        agree_in_call: bool = False,
        unanswered: bool = False,
    ) -> None:
        """Start a built-in plan at `start` and live it up to now, as the app would have.

        The core places each step (`plan_next_step`); the owner does each one when it falls
        due (a few recent ones may still wait, overdue), logging the touch; a revoked
        channel cancels the step on it; a reply pauses the run; `stop` ends it.
        """
        rng, now = self.wb.rng, self.wb.now
        spec = self.wb.plans.get(key)
        if spec is None or spec.id is None:
            return  # the user's own plan took the built-in's key; the demo leaves it be
        if person.dnc_at is not None and start >= person.dnc_at:
            return
        if person.dnc_at is not None and (stop is None or person.dnc_at < stop.at):
            stop = Stop(
                person.dnc_at,
                "stopped: customer asked not to be contacted",
                "customer asked not to be contacted",
            )
        run_id = self.wb.ids.take(CadenceRun)
        run: dict[str, Any] = {
            "id": run_id,
            "cadence_id": spec.id,
            "customer_id": person.id,
            "quote_id": q.row["id"] if q is not None else None,
            "started_at": start,
            "status": CadenceRunStatus.ACTIVE,
            "paused_reason": None,
        }
        self.wb.runs.append(run)
        quote_id = run["quote_id"]
        anchor = run_anchor(
            spec,
            local_day(start, person.tz),
            birthday=person.row["birthday"],
            parked_until=q.row["parked_until"] if q is not None else None,
        )
        title = q.title if q is not None else "job"
        t = start
        last: int | None = None
        pending: dict[str, Any] | None = None
        revoke = person.revoked
        while True:
            if pending is None and run["status"] is CadenceRunStatus.ACTIVE:
                nxt = plan_next_step(
                    spec,
                    anchor,
                    person.snapshot(t),
                    last_index=last,
                    now=t,
                    planned=person.planned,
                    agreed=person.agreed,
                    cap=self.wb.cap,
                )
                for p in nxt.passed_over:
                    fu = row_follow_up(
                        self.wb.ids.take(FollowUp),
                        person,
                        quote_id,
                        p.due_at,
                        p.occurrence.step.channel,
                        p.occurrence.step.reason,
                        t,
                        run_id=run_id,
                        step=p.occurrence.index,
                    )
                    fu.update(
                        status=FollowUpStatus.CANCELLED, completed_at=t, cancel_reason=p.passed_over
                    )
                    self.wb.follow_ups.append(fu)
                    last = p.occurrence.index
                if nxt.placed is None:
                    if nxt.finished:
                        run["status"] = CadenceRunStatus.FINISHED
                    else:
                        run["status"] = CadenceRunStatus.PAUSED
                        run["paused_reason"] = STUCK_REASON
                    break
                occ = nxt.placed.occurrence
                pending = row_follow_up(
                    self.wb.ids.take(FollowUp),
                    person,
                    quote_id,
                    nxt.placed.due_at,
                    occ.step.channel,
                    occ.step.reason,
                    t,
                    run_id=run_id,
                    step=occ.index,
                )
                self.wb.follow_ups.append(pending)
                person.planned.append(pending["due_at"])
                last = occ.index
            # What happens next: the owner does the step, the customer closes its channel,
            # replies, or the plan is stopped; whichever comes first (and before now).
            events: list[tuple[datetime, str]] = []
            if pending is not None:
                due: datetime = pending["due_at"]
                channel: Channel = pending["channel"]
                done_at = due + timedelta(minutes=rng.randint(0, 25 if channel.is_timed else 90))
                if channel.is_timed and not person.hours.allows(done_at):
                    done_at = due
                lazy = now - due < _OVERDUE_WINDOW and rng.random() < _STEP_LEFT_OVERDUE
                if complete and run["status"] is CadenceRunStatus.ACTIVE and not lazy:
                    events.append((done_at, "done"))
                if revoke is not None and revoke[0] is channel.consent_channel and revoke[1] > t:
                    events.append((revoke[1], "revoked"))
            if reply is not None and reply > t:
                events.append((reply, "reply"))
            if stop is not None and stop.at > t:
                events.append((stop.at, "stop"))
            events = [e for e in events if e[0] <= now]
            if not events:
                break
            at, what = min(events)
            if what == "stop":
                assert stop is not None
                if pending is not None:
                    pending.update(
                        status=FollowUpStatus.CANCELLED,
                        completed_at=at,
                        cancel_reason=stop.step_reason,
                    )
                    person.planned.remove(pending["due_at"])
                run["status"] = CadenceRunStatus.STOPPED
                run["paused_reason"] = stop.run_reason
                break
            if what == "reply":
                reply = None
                self.reply(person, q, at, pending)
                run["status"] = CadenceRunStatus.PAUSED
                run["paused_reason"] = "the customer replied"
                t = at
                continue
            assert pending is not None
            if what == "revoked":
                assert revoke is not None
                pending.update(
                    status=FollowUpStatus.CANCELLED,
                    completed_at=at,
                    cancel_reason=f"{revoke[0].value} revoked",
                )
                person.planned.remove(pending["due_at"])
                pending = None
                t = at
                continue
            # Done: the owner made the contact and logged it.
            pending.update(status=FollowUpStatus.DONE, completed_at=at)
            touch = self.wb.touch(self.step_touch(person, spec.key, pending, at, title, unanswered))
            if q is not None and q.first_plan_touch is None:
                q.first_plan_touch = at
            t = at
            pending = None
            if (
                agree_in_call
                and touch["outcome"] is Outcome.REACHED
                and now - at < timedelta(days=9)
                and q is not None
            ):
                agreed = self.consent.agree(person, q, at, "call", touch)
                agree_in_call = agreed is None

    def step_touch(
        self,
        person: Person,
        key: str,
        fu: dict[str, Any],
        at: datetime,
        title: str,
        unanswered: bool = False,
    ) -> dict[str, Any]:
        """The touch that did a plan step, worded for the step."""
        rng = self.wb.rng
        channel: Channel = fu["channel"]
        position = _position(self.wb.plans[key], fu["cadence_step"])
        subject, note = STEP_NOTES.get((key, position), (None, fu["reason"]))
        if channel is Channel.CALL:
            reach = 0.7 if key == "after_sale" and position == 0 else 0.45
            if unanswered:
                reach = 0.0
            roll = rng.random()
            if roll < reach:
                outcome = Outcome.REACHED
                if key == "after_sale":
                    notes = REACHED_SALE.get(position, REACHED_SALE[3])
                elif key == "parked":
                    notes = REACHED_PARKED
                else:
                    notes = REACHED_QUOTE
                note = rng.choice(notes)
            else:
                outcome = (
                    Outcome.VOICEMAIL if roll < reach + (1 - reach) * 0.6 else Outcome.NO_ANSWER
                )
                note = rng.choice(CALL_NOTES[outcome])
        elif channel is Channel.CARD:
            outcome = Outcome.MAILED
        else:
            outcome = Outcome.SENT
        return touch_row(
            person,
            fu["quote_id"],
            at,
            channel,
            Direction.OUTBOUND,
            outcome,
            note,
            subject=subject.format(job=title) if subject else None,
            follow_up_id=fu["id"],
        )

    def reply(
        self, person: Person, q: StoryQuote | None, at: datetime, pending: dict[str, Any] | None
    ) -> None:
        """The customer wrote back: the plan pauses, and half the time they name a next step."""
        rng = self.wb.rng
        usable = [c for c in (Channel.TEXT, Channel.EMAIL, Channel.CALL) if person.open_at(c, at)]
        if not usable or q is None:
            return
        way = rng.choice(usable)
        touch = self.wb.touch(
            touch_row(
                person,
                q.row["id"],
                at,
                way,
                Direction.INBOUND,
                Outcome.REPLIED,
                rng.choice(REPLIES[way.value]),
            )
        )
        agreed = rng.random() < 0.5 and self.consent.agree(
            person, q, at, SOURCE_OF[way.value], touch
        )
        if agreed and pending is not None:
            self.keep_clear(person, pending, at)

    def keep_clear(self, person: Person, fu: dict[str, Any], at: datetime) -> None:
        """A plan step moves off a newly agreed follow-up, as `refit_planned` moves it."""
        due: datetime = fu["due_at"]
        if all(abs(due - a) >= AGREED_CLEARANCE for a in person.agreed):
            return
        person.planned.remove(due)
        slot = find_slot(
            person.snapshot(at),
            fu["channel"],
            max(due, at),
            person.planned,
            self.wb.cap,
            keep_clear_of=person.agreed,
        )
        if slot is None:
            fu.update(
                status=FollowUpStatus.CANCELLED,
                completed_at=at,
                cancel_reason="no allowed time for it within four months",
            )
            return
        fu["due_at"] = slot
        person.planned.append(slot)
