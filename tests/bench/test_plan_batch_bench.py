"""Plan steps placed in a batch against the same steps placed one by one.

The same plans, started and done step by step for the same customers, once through
`start_cadence` and `complete_step` (every step reads the plan, the customer and the
settings again) and once through `core.cadence_batch.PlanBatch` (read once, one insert).
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from deckfollow.core.cadence_batch import PlanBatch
from deckfollow.core.cadence_library import seed_builtin_cadences
from deckfollow.core.cadence_runs import start_cadence
from deckfollow.core.enums import FollowUpStatus
from deckfollow.core.follow_up_closing import complete_step
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.models import FollowUp
from deckfollow.storage.database import Database, open_database
from tests.bench.report import record

pytestmark = pytest.mark.bench

_CUSTOMERS = 150


def _business(path: Path, now: datetime) -> tuple[Database, list[tuple[int, int]]]:
    db = open_database(str(path))
    people = []
    with db.unit_of_work() as s:
        seed_builtin_cadences(s)
        for i in range(_CUSTOMERS):
            lead = add_lead(
                s,
                NewLead(
                    f"Customer {i}",
                    phone=f"+6141200{i:04d}",
                    country="AU",
                    timezone="Australia/Sydney",
                    job="Deck",
                    answered=True,
                ),
                now=now - timedelta(days=120),
            )
            people.append((lead.customer_id, lead.quote_id))
    return db, people


def test_a_batch_places_plan_steps_faster_than_one_by_one(tmp_path: Path, now: datetime) -> None:
    start = now - timedelta(days=100)
    single, people = _business(tmp_path / "single.db", now)
    batched, _same = _business(tmp_path / "batch.db", now)

    began = time.perf_counter()
    with single.unit_of_work() as s:
        for cid, qid in people:
            start_cadence(s, cid, "after_quote", quote_id=qid, now=start)
        while True:
            fu = s.execute(
                select(FollowUp)
                .where(FollowUp.status == FollowUpStatus.PENDING)
                .where(FollowUp.cadence_run_id.is_not(None))
                .order_by(FollowUp.due_at, FollowUp.id)
                .limit(1)
            ).scalar_one_or_none()
            if fu is None or fu.due_at > now - timedelta(hours=1):
                break
            complete_step(s, fu.id, now=fu.due_at + timedelta(minutes=10))
        one_by_one = time.perf_counter() - began
        steps = s.execute(select(FollowUp.id).where(FollowUp.cadence_run_id.is_not(None))).all()

    began = time.perf_counter()
    with batched.unit_of_work() as s:
        batch = PlanBatch(s)
        batch.read(cid for cid, _qid in people)
        runs = [batch.start(cid, "after_quote", quote_id=qid, now=start) for cid, qid in people]
        while True:
            waiting = [(r.pending["due_at"], i) for i, r in enumerate(runs) if r.pending]
            if not waiting:
                break
            due, which = min(waiting)
            if due > now - timedelta(hours=1):
                break
            batch.done(runs[which], now=due + timedelta(minutes=10))
        batch.write()
        in_batch = time.perf_counter() - began
    single.close()
    batched.close()
    assert len(batch.steps) == len(steps) > 2 * _CUSTOMERS
    per_step = in_batch / len(batch.steps) * 1000
    record(
        "plans",
        f"{len(steps)} plan steps one by one: ms a step",
        one_by_one / len(steps) * 1000,
        "ms",
    )
    record("plans", f"{len(steps)} plan steps in a batch: ms a step", per_step, "ms")
    record(
        "plans", "plan steps in a batch: ratio to one by one", in_batch / one_by_one, "x", "< 0.3"
    )
    assert in_batch < one_by_one * 0.3
