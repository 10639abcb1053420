"""Follow-up plans played forward through the core's batch of plan runs, up to `now`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from deckfollow.core.cadence_runs import DNC_STOP
from deckfollow.core.cadence_specs import CadenceSpec
from deckfollow.core.enums import (
    CadenceRunStatus,
    Channel,
    Direction,
    Outcome,
)
from deckfollow.core.errors import PermissionRefused, ValidationError
from deckfollow.demo.consent_history import ConsentHistory
from deckfollow.demo.customer_words import REPLIES
from deckfollow.demo.people import SOURCE_OF, Person, StoryQuote
from deckfollow.demo.rows import touch_row
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

        The core starts the run and places each step (`core.cadence_batch`, the batch form
        of `start_cadence` and `complete_step`); the owner does each one when it falls due
        (a few recent ones may still wait, overdue), logging the touch; a revoked channel
        cancels the step on it; a reply pauses the run; `stop` ends it.
        """
        rng, now, book = self.wb.rng, self.wb.now, self.wb.book
        spec = self.wb.plans.get(key)
        if spec is None or spec.id is None:
            return  # the user's own plan took the built-in's key; the demo leaves it be
        if person.dnc_at is not None and start >= person.dnc_at:
            return
        dnc = False
        if person.dnc_at is not None and (stop is None or person.dnc_at < stop.at):
            stop, dnc = Stop(person.dnc_at, DNC_STOP, "customer asked not to be contacted"), True
        try:
            run = book.start(
                person.id,
                key,
                quote_id=q.row["id"] if q is not None else None,
                now=start,
                parked_until=q.row["parked_until"] if q is not None else None,
            )
        except (PermissionRefused, ValidationError):
            return  # refused as the app refuses it (already running for this quote)
        title = q.title if q is not None else "job"
        t = start
        revoke = person.revoked
        while True:
            book.move_on(run, now=t)
            pending = run.pending
            if pending is None and run.status is not CadenceRunStatus.ACTIVE:
                break
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
                if complete and run.status is CadenceRunStatus.ACTIVE and not lazy:
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
                if dnc:
                    # What `revoke_consent` does: the step on it cancelled, the plan stopped.
                    book.cancel(run, now=at, reason=stop.step_reason)
                book.stop(run, now=at, reason=stop.run_reason)
                break
            if what == "reply":
                reply = None
                book.pause(run, reason="the customer replied")
                self.reply(person, q, at)
                t = at
                continue
            assert pending is not None
            if what == "revoked":
                assert revoke is not None
                book.cancel(run, now=at, reason=f"{revoke[0].value} revoked")
                t = at
                continue
            # Done: the owner made the contact and logged it; the plan moves on.
            book.done(run, now=at)
            touch = self.wb.touch(self.step_touch(person, spec.key, pending, at, title, unanswered))
            if q is not None and q.first_plan_touch is None:
                q.first_plan_touch = at
            t = at
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

    def reply(self, person: Person, q: StoryQuote | None, at: datetime) -> None:
        """The customer wrote back: the plan pauses, and half the time they name a next step
        (which the plan's waiting steps keep clear of, `consent.agree`)."""
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
        if rng.random() < 0.5:
            self.consent.agree(person, q, at, SOURCE_OF[way.value], touch)
