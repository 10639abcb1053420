"""Two writers at once, the full run: 50 trials of every conflicting pair on SQLite and on
PostgreSQL, and what holding the write lock costs a single writer.

The figures per pair are violations / lost acknowledged writes / raw errors out of the
trials (each must be 0). The lock's cost is commits per second of one small consent change
through `unit_of_work()` (write lock from the first statement) against the same change in
a session that takes no lock (SQLite's deferred BEGIN, PostgreSQL's plain transaction).
"""

from __future__ import annotations

import itertools
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from deckfollow.core.consent import revoke_consent
from deckfollow.core.consent_ledger import grant_consent
from deckfollow.core.enums import ConsentChannel
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.storage.database import open_database
from tests.bench.report import record
from tests.storage import races
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


CLI_TRIALS = 10
CLI_PAIRS = {
    "stop vs agree": (races.PAIRS[0], ["consent", "stop", "--source", "race stop"]),
    "revoke vs agree (call unknown)": (
        races.PAIRS[2],
        ["consent", "revoke", "--channel", "call", "--source", "race revoke"],
    ),
}


def _cli(target: str, now: datetime, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "deckfollow", "--db", target, "--now", now.isoformat(), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_two_real_commands_started_together(
    backend: str, tmp_path: Path, now: datetime, request: pytest.FixtureRequest
) -> None:
    """The same races through the real command line: what a user (or cron) would see."""
    target = _target(backend, tmp_path, request)
    db = open_database(target)
    problems: list[str] = []
    serial = itertools.count(90_000)  # clear of the phone numbers of the in-process races
    try:
        for label, (pair, first) in CLI_PAIRS.items():
            tally = races.Tally(f"CLI {label}")
            for _ in range(CLI_TRIALS):
                cid, qid = races.setup_trial(db, pair, next(serial), now)
                agree = [
                    *("consent", "agree", "--customer", str(cid), "--quote", str(qid)),
                    *("--channel", "call", "--on", races.AGREED_DAY.isoformat(), "--at", "11:00"),
                    *("--reason", "Go over the quote", "--source", "race agree"),
                    *("--words", "Wednesday at 11 suits me"),
                ]
                procs = [
                    _cli(target, now, *first, "--customer", str(cid)),
                    _cli(target, now, *agree),
                ]
                outs = [p.communicate(timeout=120) for p in procs]
                results = []
                for op, p, (out, err) in zip((pair.a, "agree"), procs, outs, strict=True):
                    # "agreed follow-up 12: call …" names the follow-up to look for.
                    seen = (
                        out.split()[2].rstrip(":") if op == "agree" and p.returncode == 0 else None
                    )
                    raw = p.returncode not in (0, 1, 2) or races.is_raw(err)
                    results.append(races.Result(op, p.returncode == 0, err.strip(), raw, seen))
                tally.trials += 1
                tally.raw += any(r.raw for r in results)
                tally.both_saved += all(r.ok for r in results)
                tally.refused += sum(not r.ok and not r.raw for r in results)
                with db.reading() as s:
                    bad, lost = races.check(s, pair, cid, qid, results[0], results[1])
                tally.violations += bool(bad)
                tally.lost += bool(lost)
                problems += bad + lost + [r.message for r in results if r.raw]
            print(f"races/{backend:<10} {tally.line()}", flush=True)
            record(
                "races",
                f"{backend} {tally.pair}: violations+lost+raw",
                tally.violations + tally.lost + tally.raw,
                f"/{tally.trials}",
                "0",
            )
    finally:
        db.close()
    assert not problems, "\n".join(problems[:10])
