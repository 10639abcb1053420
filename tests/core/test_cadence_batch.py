"""A batch of plan runs places every step where the single services place it, one by one:
the same allowed hours in the customer's zone, holidays, weekly cap, closed channels,
agreed follow-ups kept clear of, and the same refusals."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from deckfollow.core.cadence_batch import PlanBatch
from deckfollow.core.cadence_library import seed_builtin_cadences
from deckfollow.core.cadence_runs import start_cadence
from deckfollow.core.consent import ContactPreferences, revoke_consent, set_contact_preferences
from deckfollow.core.contact_snapshot import load_snapshot, load_snapshots, snapshots_of
from deckfollow.core.enums import Basis, Channel, ConsentChannel, FollowUpStatus
from deckfollow.core.errors import NotFoundError, PermissionRefused, ValidationError
from deckfollow.core.follow_up_closing import complete_step
from deckfollow.core.followups import FollowUpPlan, agree_follow_up
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.models import CadenceRun, FollowUp
from deckfollow.storage.database import Database, open_database

Ids = dict[str, int]


def _business(db: Database, now: datetime) -> Ids:
    """Three customers in three zones: one with narrow hours, one who said "stop"."""
    start = now - timedelta(days=90)
    with db.unit_of_work() as s:
        seed_builtin_cadences(s)
        grace = add_lead(
            s,
            NewLead(
                "Grace Hopper",
                phone="+61412000111",
                email="g@example.com",
                country="AU",
                timezone="Australia/Sydney",
                job="Deck",
                answered=True,
            ),
            now=start,
        )
        ben = add_lead(
            s,
            NewLead(
                "Ben Ortiz",
                phone="+13125550188",
                email="b@example.com",
                country="US",
                timezone="America/Chicago",
                job="Pergola",
                answered=True,
            ),
            now=start,
        )
        set_contact_preferences(
            s,
            ben.customer_id,
            ContactPreferences(contact_hours="evenings only; not mon"),
            source="call",
            now=start,
        )
        cleo = add_lead(
            s,
            NewLead(
                "Cleo Ngata",
                phone="+64211234567",
                country="NZ",
                timezone="Pacific/Auckland",
                job="Steps",
                answered=True,
            ),
            now=start,
        )
        revoke_consent(s, cleo.customer_id, None, source="call", words="Please stop", now=start)
    return {
        "grace": grace.customer_id,
        "grace_q": grace.quote_id,
        "ben": ben.customer_id,
        "ben_q": ben.quote_id,
        "cleo": cleo.customer_id,
        "cleo_q": cleo.quote_id,
    }


class _Side:
    """The same moves, through the single services or through a batch."""

    def __init__(self, session: Any, batch: PlanBatch | None) -> None:
        self.s, self.batch = session, batch
        self.runs: list[Any] = []

    def start(self, customer: int, key: str, quote: int, at: datetime) -> str:
        try:
            if self.batch is None:
                start_cadence(self.s, customer, key, quote_id=quote, now=at)
            else:
                self.runs.append(self.batch.start(customer, key, quote_id=quote, now=at))
        except (PermissionRefused, ValidationError) as exc:
            return type(exc).__name__
        return "started"

    def next_due(self) -> tuple[datetime, int] | None:
        """The earliest step waiting: (due, which) for `done`."""
        if self.batch is None:
            fu = self.s.execute(
                select(FollowUp)
                .where(
                    FollowUp.status == FollowUpStatus.PENDING, FollowUp.cadence_run_id.is_not(None)
                )
                .order_by(FollowUp.due_at, FollowUp.id)
                .limit(1)
            ).scalar_one_or_none()
            return None if fu is None else (fu.due_at, fu.id)
        waiting = [
            (r.pending["due_at"], r.pending["id"], i) for i, r in enumerate(self.runs) if r.pending
        ]
        if not waiting:
            return None
        due, _id, which = min(waiting)
        return due, which

    def done(self, which: int, at: datetime) -> None:
        if self.batch is None:
            complete_step(self.s, which, now=at)
        else:
            self.batch.done(self.runs[which], now=at)

    def close(self, customer: int, channel: ConsentChannel, at: datetime) -> None:
        if self.batch is None:
            revoke_consent(self.s, customer, channel, source="text", words="No texts", now=at)
        else:
            self.batch.closed(customer, channel, now=at, source="text", words="No texts")

    def agree(self, customer: int, quote: int, due: datetime, at: datetime) -> None:
        if self.batch is None:
            plan = FollowUpPlan(due, Channel.CALL, "Talk colours", Basis.AGREED, "Ring me then")
            agree_follow_up(self.s, customer, quote, plan, now=at, source="call")
        else:
            self.batch.agreed(customer, due, now=at)


def _play(
    db: Database, ids: Ids, now: datetime, batched: bool, read_ahead: bool = False
) -> list[str]:
    """Start plans, do each step a little after it falls due, and let the customers
    close a channel and agree a call on the way; what each start answered."""
    t0 = now - timedelta(days=80)
    said: list[str] = []
    with db.unit_of_work() as s:
        side = _Side(s, PlanBatch(s) if batched else None)
        if side.batch is not None and read_ahead:
            # Everyone read in a few queries up front, as the demo does.
            side.batch.read([ids["grace"], ids["ben"], ids["cleo"], 10_000])
        said.append(side.start(ids["grace"], "after_quote", ids["grace_q"], t0))
        said.append(side.start(ids["grace"], "after_sale", ids["grace_q"], t0 + timedelta(hours=1)))
        said.append(side.start(ids["ben"], "after_quote", ids["ben_q"], t0 + timedelta(hours=2)))
        said.append(side.start(ids["ben"], "after_quote", ids["ben_q"], t0 + timedelta(hours=3)))
        said.append(side.start(ids["cleo"], "after_quote", ids["cleo_q"], t0))
        # What customers say, at fixed moments among the steps.
        ben_call = t0 + timedelta(days=9, hours=1)
        events: list[tuple[datetime, Callable[[], None]]] = [
            (
                t0 + timedelta(days=6),
                lambda: side.close(ids["grace"], ConsentChannel.TEXT, t0 + timedelta(days=6)),
            ),
            (
                t0 + timedelta(days=4),
                lambda: side.agree(ids["ben"], ids["ben_q"], ben_call, t0 + timedelta(days=4)),
            ),
        ]
        events.sort(key=lambda e: e[0])
        for _ in range(40):
            nxt = side.next_due()
            at = nxt[0] + timedelta(minutes=15) if nxt else None
            if events and (at is None or events[0][0] < at):
                events.pop(0)[1]()
                continue
            if nxt is None or at is None or at > now:
                break
            side.done(nxt[1], at)
        if side.batch is not None:
            side.batch.write()
    return said


def _rows(db: Database) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    with db.reading() as s:
        steps = s.execute(
            select(
                FollowUp.customer_id,
                FollowUp.quote_id,
                FollowUp.cadence_run_id,
                FollowUp.cadence_step,
                FollowUp.due_at,
                FollowUp.timezone,
                FollowUp.channel,
                FollowUp.reason,
                FollowUp.status,
                FollowUp.completed_at,
                FollowUp.cancel_reason,
                FollowUp.created_at,
            )
            .where(FollowUp.cadence_run_id.is_not(None))
            .order_by(FollowUp.cadence_run_id, FollowUp.cadence_step, FollowUp.id)
        ).all()
        runs = s.execute(
            select(
                CadenceRun.id,
                CadenceRun.cadence_id,
                CadenceRun.customer_id,
                CadenceRun.quote_id,
                CadenceRun.started_at,
                CadenceRun.status,
                CadenceRun.paused_reason,
            ).order_by(CadenceRun.id)
        ).all()
    return [tuple(r) for r in steps], [tuple(r) for r in runs]


@pytest.fixture
def two_businesses(
    db: Database, tmp_path: Path, prebuilt: Any, now: datetime
) -> Iterator[tuple[Database, Database, Ids]]:
    other_path = tmp_path / "batch.db"
    prebuilt.migrated(other_path)
    other = open_database(str(other_path))
    ids = _business(db, now)
    assert _business(other, now) == ids
    yield db, other, ids
    other.close()


@pytest.mark.parametrize("read_ahead", [False, True], ids=["read-as-named", "read-ahead"])
def test_a_batch_places_each_step_where_the_services_place_it_one_by_one(
    two_businesses: tuple[Database, Database, Ids], now: datetime, read_ahead: bool
) -> None:
    one_by_one, batched, ids = two_businesses
    said_single = _play(one_by_one, ids, now, batched=False)
    said_batch = _play(batched, ids, now, batched=True, read_ahead=read_ahead)
    # Grace's two plans and Ben's start; Ben's second start and "stop"ped Cleo are refused.
    assert (
        said_single
        == said_batch
        == [
            "started",
            "started",
            "started",
            "ValidationError",
            "PermissionRefused",
        ]
    )
    steps, runs = _rows(one_by_one)
    assert (steps, runs) == _rows(batched)
    # The moves did what they are there for: many steps done, a step passed over or
    # cancelled when texts closed, Ben's steps kept inside his evenings.
    statuses = [r[8] for r in steps]
    assert statuses.count(FollowUpStatus.DONE) >= 8
    assert any(r[0] == ids["grace"] and r[10] for r in steps)
    assert any(r[6] is Channel.TEXT and r[8] is FollowUpStatus.CANCELLED for r in steps)


def test_a_batch_refuses_a_run_for_another_customers_quote(
    two_businesses: tuple[Database, Database, Ids], now: datetime
) -> None:
    _single, db, ids = two_businesses
    with db.unit_of_work() as s:
        batch = PlanBatch(s)
        batch.start(ids["grace"], "after_quote", quote_id=ids["ben_q"], now=now)
        with pytest.raises(NotFoundError, match=f"no quote {ids['ben_q']}"):
            batch.write()
        s.rollback()


def test_snapshots_read_together_are_those_read_one_by_one(
    two_businesses: tuple[Database, Database, Ids],
) -> None:
    db, _other, ids = two_businesses
    with db.reading() as s:
        people = [ids["grace"], ids["ben"], ids["cleo"]]
        found = load_snapshots(s, [*people, 10_000])
        together = snapshots_of(s, list(found.values()))
        alone = {i: load_snapshot(s, i) for i in people}
    assert sorted(found) == sorted(people)
    assert together == alone
    assert alone[ids["cleo"]].do_not_contact and alone[ids["cleo"]].dnc_since is not None
    assert alone[ids["ben"]].contact_hours
