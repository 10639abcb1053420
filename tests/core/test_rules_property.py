"""The rules of permission hold after any sequence of what a user can do (Hypothesis).

A state machine drives the real services on a real SQLite file: schedule, agree, revoke,
stop, re-consent, start/stop/resume cadences, complete, skip, snooze, replies, changes of
time zone and hours, and the clock moving on. After every step the database is checked:
nothing pending on a revoked channel, nothing planned outside allowed hours, agreed
follow-ups never moved or doubled by a cadence, planned touches a day apart and at most
`cap` in any seven days, the ledger only grown.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from deckfollow.core import cadence_runs as cad
from deckfollow.core.cadence_library import seed_builtin_cadences
from deckfollow.core.consent import ContactPreferences, revoke_consent, set_contact_preferences
from deckfollow.core.consent_ledger import grant_consent
from deckfollow.core.contact_snapshot import load_snapshot, load_snapshots, snapshots_of
from deckfollow.core.due import due_items
from deckfollow.core.enums import (
    Basis,
    CadenceRunStatus,
    Channel,
    ConsentChannel,
    ConsentState,
    Direction,
    FollowUpStatus,
    Outcome,
)
from deckfollow.core.errors import DeckfollowError
from deckfollow.core.follow_up_closing import close_follow_up
from deckfollow.core.followups import (
    FollowUpPlan,
    agree_follow_up,
    agreed_plan,
    audit_rules,
    schedule_follow_up,
)
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.models import CadenceRun, ConsentEvent, FollowUp
from deckfollow.core.permission import AGREED_CLEARANCE, snooze_target
from deckfollow.core.settings import load_settings
from deckfollow.core.touches import TouchRecord, log_touch
from deckfollow.storage.database import Database, open_database
from tests.examples import examples

START = datetime(2026, 11, 22, 22, 0, tzinfo=UTC)
ZONES = ["Australia/Sydney", "America/New_York", "Europe/London", "Australia/Perth"]
HOURS = ["", "evenings only", "not mon", "mornings only; not sat", "mon-fri 10:00-15:30"]
CHANNELS = list(Channel)
CONSENT = [*ConsentChannel, None]
KEYS = ["after_quote", "after_sale", "parked", "anniversary"]

_template: list[Path] = []
_shared: list[Database] = []
COUNT = {"examples": 0, "operations": 0}


def _scratch_folder(prefix: str) -> Path:
    """A new folder for the examples' database file, in memory (/dev/shm) where the system
    has one: each operation commits with the app's own `synchronous = FULL`, and the
    thousands of flushes to disk that cost were a fifth of this test's time. What survives
    a power cut is the crash-safety test's question, not this one's."""
    shm = Path("/dev/shm")
    where = shm if shm.is_dir() and os.access(shm, os.W_OK) else None
    return Path(tempfile.mkdtemp(prefix=prefix, dir=where))


def _template_db() -> Path:
    """One migrated, seeded database file per test session; each example starts from it."""
    if not _template:
        folder = _scratch_folder("deckfollow-prop-")
        # Hypothesis owns the test's life cycle, so the shared template goes at exit.
        atexit.register(shutil.rmtree, folder, True)
        path = folder / "template.db"
        db = open_database(str(path))
        with db.unit_of_work() as s:
            seed_builtin_cadences(s)
        db.close()
        _template.append(path)
    return _template[0]


def _fresh_database() -> Database:
    """The one database every example uses, its contents reset to the template's.

    Opening a file per example paid for the schema check and for SQLAlchemy compiling every
    statement again (its cache lives with the engine); SQLite's backup copies the template
    into the open file instead, so each example still starts from exactly that database.
    """
    if not _shared:
        folder = _scratch_folder("deckfollow-ex-")
        path = folder / "deckfollow.db"
        shutil.copyfile(_template_db(), path)
        db = open_database(str(path), create=False)
        atexit.register(shutil.rmtree, folder, True)
        atexit.register(db.engine.dispose)
        _shared.append(db)
        return db
    db = _shared[0]
    source = sqlite3.connect(_template_db())
    try:
        with db.engine.connect() as conn:
            target = conn.connection.driver_connection
            assert target is not None
            source.backup(target)
    finally:
        source.close()
    return db


def _snooze(session: Session, fu: FollowUp, until: datetime) -> None:
    """The snooze a user gives: a reminder later, and a planned call never outside hours."""
    snap = load_snapshot(session, fu.customer_id)
    fu.snoozed_until = snooze_target(snap, fu.channel, fu.basis, until)


class Rules(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        COUNT["examples"] += 1
        self.db: Database = _fresh_database()
        self.now = START
        self.customers: list[int] = []
        self.quotes: dict[int, int] = {}
        self.agreed: dict[int, datetime] = {}
        self.ledger_seen: list[tuple[Any, ...]] = []
        self.cap = 0

    def _do(self, action: Callable[[Session], object]) -> None:
        COUNT["operations"] += 1
        try:
            with self.db.unit_of_work() as s:
                action(s)
        except DeckfollowError:
            pass  # a refusal is a fine outcome: nothing was saved

    def _pending(self, s: Session, customer: int) -> list[FollowUp]:
        return list(
            s.execute(
                select(FollowUp)
                .where(FollowUp.customer_id == customer, FollowUp.status == FollowUpStatus.PENDING)
                .order_by(FollowUp.id)
            ).scalars()
        )

    @initialize()
    def add_customers(self) -> None:
        with self.db.unit_of_work() as s:
            # No operation changes the owner's settings, so the cap is read once per example.
            self.cap = load_settings(s).weekly_cap
            for name, country, tz in (
                ("Grace Hopper", "AU", "Australia/Sydney"),
                ("Alan Turing", "US", "America/New_York"),
            ):
                lead = add_lead(
                    s, NewLead(name, country=country, timezone=tz, answered=True), now=self.now
                )
                self.customers.append(lead.customer_id)
                self.quotes[lead.customer_id] = lead.quote_id

    # --- operations ---------------------------------------------------------------------

    @rule(who=st.integers(0, 1), ch=st.sampled_from(CHANNELS), hours=st.integers(0, 24 * 20))
    def schedule_planned(self, who: int, ch: Channel, hours: int) -> None:
        cid = self.customers[who]
        plan = FollowUpPlan(self.now + timedelta(hours=hours), ch, "Walk through the quote")
        self._do(lambda s: schedule_follow_up(s, cid, self.quotes[cid], plan, now=self.now))

    @rule(
        who=st.integers(0, 1),
        ch=st.sampled_from(CHANNELS),
        days=st.integers(0, 30),
        hour=st.integers(0, 23),
        reopen=st.booleans(),
    )
    def agree(self, who: int, ch: Channel, days: int, hour: int, reopen: bool) -> None:
        cid = self.customers[who]

        def act(s: Session) -> None:
            snap = load_snapshot(s, cid)
            local_day = self.now.astimezone(snap.hours.tz).date()
            plan = agreed_plan(
                local_day + timedelta(days=days),
                datetime.min.time().replace(hour=hour),
                None,
                snap.timezone,
                ch,
                "Answer questions about the quote",
                "Yes, check in with me then",
            )
            if plan.due_at <= self.now:
                return
            fu = agree_follow_up(
                s, cid, self.quotes[cid], plan, now=self.now, source="phone call", reopen=reopen
            )
            s.flush()
            self.agreed[fu.id] = fu.due_at

        self._do(act)

    @rule(who=st.integers(0, 1), ch=st.sampled_from(CONSENT))
    def revoke(self, who: int, ch: ConsentChannel | None) -> None:
        cid = self.customers[who]
        self._do(
            lambda s: revoke_consent(s, cid, ch, source="phone call", words="stop", now=self.now)
        )

    @rule(who=st.integers(0, 1), ch=st.sampled_from(list(ConsentChannel)), words=st.booleans())
    def reconsent(self, who: int, ch: ConsentChannel, words: bool) -> None:
        cid = self.customers[who]
        said = "OK, you can contact me again" if words else None
        self._do(lambda s: grant_consent(s, cid, ch, source="email", words=said, now=self.now))

    @rule(who=st.integers(0, 1), key=st.sampled_from(KEYS))
    def start(self, who: int, key: str) -> None:
        cid = self.customers[who]
        self._do(lambda s: cad.start_cadence(s, cid, key, quote_id=self.quotes[cid], now=self.now))

    @rule(pick=st.integers(0, 20), resume=st.booleans())
    def stop_or_resume(self, pick: int, resume: bool) -> None:
        def act(s: Session) -> None:
            runs = list(s.execute(select(CadenceRun).order_by(CadenceRun.id)).scalars())
            if not runs:
                return
            run = runs[pick % len(runs)]
            if resume and run.status is CadenceRunStatus.PAUSED:
                cad.resume_cadence(s, run.id, now=self.now)
            elif not resume:
                cad.stop_cadence(s, run.id, now=self.now)

        self._do(act)

    @rule(who=st.integers(0, 1), pick=st.integers(0, 20), how=st.sampled_from(["done", "skip"]))
    def close(self, who: int, pick: int, how: str) -> None:
        cid = self.customers[who]

        def act(s: Session) -> None:
            pending = self._pending(s, cid)
            if not pending:
                return
            fu = pending[pick % len(pending)]
            status = FollowUpStatus.DONE if how == "done" else FollowUpStatus.SKIPPED
            close_follow_up(s, fu.id, status, now=self.now)

        self._do(act)

    @rule(who=st.integers(0, 1), pick=st.integers(0, 20), hours=st.integers(1, 72))
    def snooze(self, who: int, pick: int, hours: int) -> None:
        cid = self.customers[who]

        def act(s: Session) -> None:
            pending = self._pending(s, cid)
            if pending:
                _snooze(s, pending[pick % len(pending)], self.now + timedelta(hours=hours))

        self._do(act)

    @rule(who=st.integers(0, 1), tz=st.sampled_from(ZONES), hours=st.sampled_from(HOURS))
    def change_zone_or_hours(self, who: int, tz: str, hours: str) -> None:
        cid = self.customers[who]
        prefs = ContactPreferences(timezone=tz, contact_hours=hours)
        self._do(
            lambda s: set_contact_preferences(s, cid, prefs, source="phone call", now=self.now)
        )

    @rule(who=st.integers(0, 1))
    def reply(self, who: int) -> None:
        cid = self.customers[who]
        rec = TouchRecord(
            cid, Channel.EMAIL, Direction.INBOUND, Outcome.REPLIED, self.now, self.quotes[cid]
        )
        self._do(lambda s: log_touch(s, rec, None, now=self.now, await_decision=True))

    @rule(hours=st.integers(1, 24 * 10))
    def time_passes(self, hours: int) -> None:
        self.now += timedelta(hours=hours)

    # --- the rules ----------------------------------------------------------------------

    @invariant()
    def rules_hold(self) -> None:
        if not self.customers:
            return
        cap = self.cap
        with self.db.reading() as s:
            # Both customers' snapshots in one read (as `load_snapshot` gives each).
            live = load_snapshots(s, self.customers)
            snaps = snapshots_of(s, [live[cid] for cid in self.customers])
            mine: dict[int, list[FollowUp]] = {cid: [] for cid in self.customers}
            for f in s.execute(
                select(FollowUp)
                .where(FollowUp.customer_id.in_(self.customers))
                .order_by(FollowUp.id)
            ).scalars():
                mine[f.customer_id].append(f)
            for cid in self.customers:
                snap = snaps[cid]
                rows = mine[cid]
                pending = [f for f in rows if f.status is FollowUpStatus.PENDING]
                agreed_due = [f.due_at for f in pending if f.basis is Basis.AGREED]
                for f in pending:
                    # Rules 1 and 2: nothing pending on a revoked channel or after a stop.
                    state = snap.consent(f.channel.consent_channel).state
                    assert state is not ConsentState.REVOKED, (f.id, f.channel)
                    assert not snap.do_not_contact
                    if f.basis is Basis.PLANNED and f.channel.is_timed:
                        # Rule 3: planned calls and texts inside allowed hours, also snoozed.
                        assert snap.hours.allows(f.due_at), (f.id, f.due_at, snap.contact_hours)
                        if f.snoozed_until is not None:
                            assert snap.hours.allows(f.snoozed_until)
                    if f.cadence_run_id is not None:
                        # Rule 4: a cadence step never doubles or crowds an agreed one.
                        assert f.basis is Basis.PLANNED
                        assert all(abs(f.due_at - a) >= AGREED_CLEARANCE for a in agreed_due)
                # Rule 4: agreed follow-ups are never moved.
                for f in rows:
                    if f.id in self.agreed:
                        assert f.basis is Basis.AGREED and f.due_at == self.agreed[f.id]
                    if f.basis is Basis.AGREED:
                        assert f.cadence_run_id is None
                # Rule 5: each pending planned touch is a day clear of every other planned
                # one, and no seven days holding it hold more than `cap` (on the customer's
                # calendar, so a clock change does not shift the window by an hour).
                counted = sorted(
                    f.due_at.astimezone(snap.hours.tz).replace(tzinfo=None)
                    for f in rows
                    if f.basis is Basis.PLANNED
                    and f.status in (FollowUpStatus.PENDING, FollowUpStatus.DONE)
                )
                week, apart = timedelta(days=7), timedelta(days=1)
                for f in pending:
                    if f.basis is not Basis.PLANNED:
                        continue
                    here = f.due_at.astimezone(snap.hours.tz).replace(tzinfo=None)
                    others = list(counted)
                    others.remove(here)
                    assert all(abs(o - here) >= apart for o in others), (f.id, here, others)
                    for start in [o for o in counted if here - week < o <= here]:
                        inside = [o for o in counted if start <= o < start + week]
                        assert len(inside) <= cap, (f.id, start, inside)
            # The audit the demo and restores use agrees with the checks above.
            assert audit_rules(s) == []
            # Rule 7: the ledger only grows; no entry ever changes.
            ledger = [
                tuple(r)
                for r in s.execute(
                    select(
                        ConsentEvent.id,
                        ConsentEvent.customer_id,
                        ConsentEvent.kind,
                        ConsentEvent.channel,
                        ConsentEvent.at,
                        ConsentEvent.source,
                        ConsentEvent.words,
                        ConsentEvent.detail,
                        ConsentEvent.follow_up_id,
                    ).order_by(ConsentEvent.id)
                )
            ]
            assert ledger[: len(self.ledger_seen)] == self.ledger_seen
            self.ledger_seen = ledger
            # `due` lists nothing that breaks a rule, whatever day is asked for.
            day = (self.now + timedelta(days=60)).date()
            for item in due_items(s, day=day, now=self.now, owner_tz="Australia/Sydney"):
                if item.customer_id not in snaps:
                    snaps[item.customer_id] = load_snapshot(s, item.customer_id)
                snap = snaps[item.customer_id]
                assert not snap.do_not_contact
                assert snap.consent(item.channel.consent_channel).state is not ConsentState.REVOKED


# Run as a test case so `--hypothesis-show-statistics` reports the examples it ran. Each
# example is up to 20 operations on a real database, checked after every one.
Rules.TestCase.settings = settings(
    max_examples=examples(300),
    stateful_step_count=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
TestTheRulesOfPermissionHoldForAnySequenceOfOperations = pytest.mark.slow(Rules.TestCase)


@pytest.fixture(scope="module", autouse=True)
def _enough_examples() -> Iterator[None]:
    """After the run: say how much was tried, and make sure a profile did not cut it short."""
    COUNT.update(examples=0, operations=0)
    yield
    print(f"\nrules property: {COUNT['examples']} examples, {COUNT['operations']} operations")
    assert COUNT["examples"] >= examples(300)
