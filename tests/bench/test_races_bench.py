"""Two writers at once, the full run: 50 trials of every conflicting pair on SQLite and on
PostgreSQL, and what holding the write lock costs a single writer.

The figures per pair are violations / lost acknowledged writes / raw errors out of the
trials (each must be 0). The lock's cost is commits per second of one small consent change
through `unit_of_work()` (write lock from the first statement) against the same change in
a session that takes no lock (SQLite's deferred BEGIN, PostgreSQL's plain transaction).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from deckfollow.core.consent import grant_consent, revoke_consent
from deckfollow.core.enums import ConsentChannel
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.storage.database import open_database
from tests.bench.report import record
from tests.storage.pg_server import postgres_server
from tests.storage.races import race_all

pytestmark = pytest.mark.bench

FULL_TRIALS = 50
COMMITS = 400
ROUNDS = 8


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    with postgres_server() as url:
        yield url


def _target(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    if backend == "sqlite":
        return str(tmp_path / "race.db")
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_every_pair_raced_50_times(
    backend: str, tmp_path: Path, now: datetime, request: pytest.FixtureRequest
) -> None:
    started = time.perf_counter()
    tallies = race_all(_target(backend, tmp_path, request), now, FULL_TRIALS)
    took = time.perf_counter() - started
    for t in tallies:
        print(f"races/{backend:<10} {t.line()}", flush=True)
        record(
            "races",
            f"{backend} {t.pair}: violations+lost+raw",
            t.violations + t.lost + t.raw,
            f"/{t.trials}",
            "0",
        )
    record("races", f"{backend} seconds per trial", took / sum(t.trials for t in tallies), "s")
    problems = [p for t in tallies for p in t.problems]
    assert not problems, "\n".join(problems[:10])


def _commit_seconds(
    open_tx: Callable[[], AbstractContextManager[Session]], cid: int, at: datetime, n: int
) -> float:
    """Seconds for `n` commits of one small consent change (a revoke or a grant, in turn)."""
    started = time.perf_counter()
    for i in range(n):
        when = at + timedelta(seconds=i)
        with open_tx() as s:
            if i % 2:
                grant_consent(s, cid, ConsentChannel.TEXT, source="bench", words="yes", now=when)
            else:
                revoke_consent(s, cid, ConsentChannel.TEXT, source="bench", words=None, now=when)
    return time.perf_counter() - started


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_what_the_write_lock_costs_one_writer(
    backend: str, tmp_path: Path, now: datetime, request: pytest.FixtureRequest
) -> None:
    db = open_database(_target(backend, tmp_path, request))
    try:
        with db.unit_of_work() as s:
            cid = add_lead(s, NewLead("Bench Writer", country="AU"), now=now).customer_id

        def unlocked() -> AbstractContextManager[Session]:
            session = db.sessions()
            session.begin()
            return _committing(session)

        _commit_seconds(db.unit_of_work, cid, now, 40)  # warm-up
        # Rounds in turn, so a busy machine slows both sides alike.
        bare = locked = 0.0
        chunk = COMMITS // ROUNDS
        for r in range(ROUNDS):
            at = now + timedelta(hours=r + 1)
            bare += _commit_seconds(unlocked, cid, at, chunk)
            locked += _commit_seconds(db.unit_of_work, cid, at + timedelta(minutes=30), chunk)
    finally:
        db.close()
    record("races", f"{backend} commits/s without the write lock", COMMITS / bare, "1/s")
    record("races", f"{backend} commits/s with the write lock", COMMITS / locked, "1/s")
    record("races", f"{backend} write-lock cost (locked/bare rate)", bare / locked, "x", ">= 0.8")
    assert bare / locked > 0.5


class _committing(AbstractContextManager[Session]):
    """A session whose transaction commits at the end of the block (no write lock taken)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def __enter__(self) -> Session:
        return self.session

    def __exit__(self, exc_type: object, *_: object) -> None:
        try:
            if exc_type is None:
                self.session.commit()
            else:
                self.session.rollback()
        finally:
            self.session.close()
