"""Every touch of the demo business, logged through the core as the owner logs one.

Each touch goes through `core.touches.log_touch` at the moment it happened, so what a
touch does to its quote is the app's own doing: the quote's last touch, the first reply
that stops the speed-to-lead clock (and settles a first reply waiting on Today), a
follow-up marked done, a plan moved on, a reply pausing the plans that were running.

The quotes they refer to are entered through the core before the stories are told
(`quotes_entered`), and the plans' steps are written by the core's batch once the stories
are told, so the touches go in two passes around them:

- what customers said (inbound), oldest first, before any plan is in: a reply pauses the
  plans running when it came, and the playback already paused the one it answered;
- what the owner did (outbound), oldest first, once the plans, follow-ups and what
  customers agreed to are in. Each names the next step the log-outcome dialog asks for,
  and the core checks it against the business as it now stands (not as it stood that
  day): the plan carrying on, something already planned for the customer, the quote
  closed, or (a card) nothing.

A quote still "quoted" waits as a lead with its figures until its own touches are logged,
then moves to Quoted through `core.quotes.change_stage` at the moment it went out: the core
moves a quoted quote to "following up" at its first outbound touch, which is what the quote
going out by email, and the calls before it, would otherwise be taken for.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from deckfollow.core.enums import Channel, Direction, FollowUpStatus, Stage
from deckfollow.core.models import CadenceRun, Customer, FollowUp, Quote
from deckfollow.core.quotes import change_stage
from deckfollow.core.touch_rows import TouchRows
from deckfollow.core.touches import (
    AlreadyPlanned,
    CourtesyCard,
    NextStep,
    PlanContinues,
    TouchRecord,
    log_touch,
)
from deckfollow.demo.workbench import Workbench

_CHUNK = 5000  # ids per query (SQLite takes at most 32,766 parameters)
_WRITE_EVERY = 5000  # touches held before they are written


def _record(row: dict[str, Any]) -> TouchRecord:
    return TouchRecord(
        customer_id=row["customer_id"],
        channel=row["channel"],
        direction=row["direction"],
        outcome=row["outcome"],
        at=row["at"],
        quote_id=row["quote_id"],
        follow_up_id=row["follow_up_id"],
        subject=row["subject"],
        summary=row["summary"],
    )


def _in_time_order(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: (r["at"], r["customer_id"], r["quote_id"] or 0))


def _hold(session: Session, model: type[Any], ids: list[int]) -> list[Any]:
    """Load rows by id in a few queries, so each touch finds its customer and quote in the
    session instead of loading it again."""
    held: list[Any] = []
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        held.extend(session.execute(select(model).where(model.id.in_(chunk))).scalars())
    return held


@dataclass
class TouchLog:
    """The demo's touches, logged through the core in two passes (see the module)."""

    session: Session
    wb: Workbench

    def __post_init__(self) -> None:
        self._held: list[Any] = []
        self._quoted = [r for r in self.wb.quotes if r["stage"] is Stage.QUOTED]

    def replies(self) -> int:
        """Log what customers said, oldest first (before any plan is in)."""
        self._hold_all()
        said = [t for t in self.wb.touches if t["direction"] is Direction.INBOUND]
        self._log((t, None) for t in _in_time_order(said))
        return len(said)

    def contacts(self) -> int:
        """Log what the owner did, oldest first, each with the next step as it stands;
        then the quotes still "quoted" move there as they went out."""
        done = [t for t in self.wb.touches if t["direction"] is Direction.OUTBOUND]
        steps = _NextSteps(self.wb)
        # The follow-ups they did, and those follow-ups' plans, held as the touches come.
        did = sorted({t["follow_up_id"] for t in done if t["follow_up_id"] is not None})
        runs = sorted({steps.run_of[f] for f in did if f in steps.run_of})
        self._held += _hold(self.session, FollowUp, did) + _hold(self.session, CadenceRun, runs)
        self._log((t, steps.after(t)) for t in _in_time_order(done))
        for row in sorted(self._quoted, key=lambda r: (r["sent_at"], r["id"])):
            change_stage(self.session, row["id"], Stage.QUOTED, now=row["sent_at"])
        self._held = []
        return len(done)

    def _hold_all(self) -> None:
        customers = sorted({r["customer_id"] for r in self.wb.touches})
        quotes = sorted({r["quote_id"] for r in self.wb.touches if r["quote_id"] is not None})
        self._held = _hold(self.session, Customer, customers) + _hold(self.session, Quote, quotes)

    def _log(self, touches: Iterable[tuple[dict[str, Any], NextStep | None]]) -> None:
        session = self.session
        rows = TouchRows()
        with session.no_autoflush:
            for row, step in touches:
                log_touch(
                    session,
                    _record(row),
                    step,
                    now=row["at"],
                    await_decision=step is None,
                    flush=False,
                    into=rows,
                )
                if len(rows) >= _WRITE_EVERY:
                    rows.write(session)
        rows.write(session)
        session.flush()


class _NextSteps:
    """The next step the owner names for a touch they logged, as things stand."""

    def __init__(self, wb: Workbench) -> None:
        pending = [f for f in wb.follow_ups if f["status"] is FollowUpStatus.PENDING]
        self.running = {f["cadence_run_id"] for f in pending if f["cadence_run_id"] is not None}
        self.run_of = {
            f["id"]: f["cadence_run_id"] for f in wb.follow_ups if f["cadence_run_id"] is not None
        }

    def after(self, touch: dict[str, Any]) -> NextStep:
        run = self.run_of.get(touch["follow_up_id"]) if touch["follow_up_id"] else None
        if run is not None and run in self.running:
            return PlanContinues()
        if touch["channel"] is Channel.CARD:
            return CourtesyCard()
        # Something already planned for them, or the quote it was about is closed.
        return AlreadyPlanned()
