"""Crash safety: SIGKILL at random points during a stream of writes loses nothing committed.

A forked child (all modules already loaded, so each start is instant) writes through the
real core services: add a lead, log a call with an agreed follow-up, now and then stop
contact on a channel, move a customer to the trash or erase one for good (with its
secure delete and checkpoint). After each commit returns it reports the ids on a pipe. The parent
kills it at a seeded random moment, then checks the file: the integrity check passes and
every change reported before the kill is there. The figures are printed (run with -s).
"""

from __future__ import annotations

import os
import random
import signal
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import NoReturn

import pytest
from sqlalchemy import func, select

from deckfollow.core.consent import revoke_consent
from deckfollow.core.enums import (
    Basis,
    Channel,
    ConsentChannel,
    ConsentState,
    Direction,
    FollowUpStatus,
    Outcome,
)
from deckfollow.core.erasure import erase_for_good
from deckfollow.core.followups import FollowUpPlan
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.models import ChannelConsent, Customer, FollowUp, Quote, Touch
from deckfollow.core.touches import TouchRecord, log_touch
from deckfollow.core.trash import trash_customer
from deckfollow.storage.database import open_database
from deckfollow.storage.instance_lock import acquire_instance_lock
from deckfollow.storage.integrity import check_integrity
from tests.examples import examples

START = datetime(2026, 11, 22, 22, 0, tzinfo=UTC)  # Monday 09:00 in Sydney


def _writer(db_path: Path, first: int, out_fd: int) -> NoReturn:
    """The child: write forever, reporting each committed change; it only ends when killed."""
    try:
        _lock = acquire_instance_lock(db_path)  # held until the kill
        db = open_database(str(db_path))
        i = first
        while True:
            now = START + timedelta(minutes=i)
            # "begin" before every unit of work: a kill after it and before the line that
            # reports the commit landed inside the transaction or its commit's fsync.
            os.write(out_fd, b"begin lead\n")
            with db.unit_of_work() as s:
                lead = add_lead(
                    s,
                    NewLead(
                        f"Crash Test {i}",
                        phone=f"+614{i:08d}",
                        email=f"crash{i}@example.com",
                        job="Replace the back deck",
                        timezone="Australia/Sydney",
                        country="AU",
                        answered=True,
                    ),
                    now=now,
                )
            os.write(out_fd, f"lead {lead.customer_id} {lead.quote_id}\n".encode())
            os.write(out_fd, b"begin touch\n")
            with db.unit_of_work() as s:
                log_touch(
                    s,
                    TouchRecord(
                        lead.customer_id,
                        Channel.CALL,
                        Direction.OUTBOUND,
                        Outcome.REACHED,
                        now,
                        quote_id=lead.quote_id,
                        summary=f"talked through quote {i}",
                    ),
                    FollowUpPlan(
                        now + timedelta(days=2),
                        Channel.CALL,
                        "check the quote arrived",
                        Basis.AGREED,
                        agreed_words="call me on Wednesday morning",
                    ),
                    now=now,
                )
                touch_id = s.scalars(
                    select(Touch.id).where(Touch.customer_id == lead.customer_id)
                ).one()
                fu_id = s.scalars(
                    select(FollowUp.id).where(FollowUp.customer_id == lead.customer_id)
                ).one()
            os.write(out_fd, f"touch {lead.customer_id} {touch_id} {fu_id}\n".encode())
            if i % 3 == 0:
                os.write(out_fd, b"begin revoke\n")
                with db.unit_of_work() as s:
                    revoke_consent(
                        s,
                        lead.customer_id,
                        ConsentChannel.CALL,
                        source="phone call",
                        words="please only email me",
                        now=now,
                    )
                os.write(out_fd, f"revoke {lead.customer_id}\n".encode())
            if i % 4 == 1:
                os.write(out_fd, b"begin trash\n")
                with db.unit_of_work() as s:
                    trash_customer(s, lead.customer_id, now=now)
                os.write(out_fd, f"trash {lead.customer_id}\n".encode())
            # Erase the oldest customer, never the newest: SQLite would hand the newest one's
            # id to the next customer, and this check tells people apart by id.
            with db.reading() as s:
                oldest = s.scalar(select(func.min(Customer.id)))
            if i % 3 == 2 and oldest is not None and oldest != lead.customer_id:
                # Announced first: a kill may land after the erasure commits, before "erased".
                os.write(out_fd, f"erasing {oldest}\n".encode())
                erase_for_good(db, oldest, now=now)
                os.write(out_fd, f"erased {oldest}\n".encode())
            i += 1
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        os._exit(70)


@dataclass
class Committed:
    leads: dict[int, int] = field(default_factory=dict)  # customer -> quote
    touches: dict[int, tuple[int, int]] = field(default_factory=dict)  # customer -> touch, fu
    revoked: set[int] = field(default_factory=set)
    trashed: set[int] = field(default_factory=set)
    erasing: set[int] = field(default_factory=set)  # started; may or may not have committed
    erased: set[int] = field(default_factory=set)

    def take(self, line: str) -> None:
        kind, *ids = line.split()
        if kind == "begin":
            return
        n = [int(x) for x in ids]
        if kind == "lead":
            self.leads[n[0]] = n[1]
        elif kind == "touch":
            self.touches[n[0]] = (n[1], n[2])
        elif kind == "revoke":
            self.revoked.add(n[0])
        elif kind == "trash":
            self.trashed.add(n[0])
        elif kind == "erasing":
            self.erasing.add(n[0])
        else:
            self.erased.add(n[0])

    @property
    def count(self) -> int:
        return (
            len(self.leads)
            + len(self.touches)
            + len(self.revoked)
            + len(self.trashed)
            + len(self.erased)
        )


def _lost(db_path: Path, committed: Committed) -> list[str]:
    """Every reported change that is not in the database (or half done)."""
    lost: list[str] = []
    db = open_database(str(db_path), create=False)
    try:
        with db.reading() as s:
            customers = set(s.scalars(select(Customer.id)))
            in_trash = set(s.scalars(select(Customer.id).where(Customer.deleted_at.is_not(None))))
            quotes = set(s.scalars(select(Quote.id)))
            touches = set(s.scalars(select(Touch.id)))
            touched = set(s.scalars(select(Touch.customer_id)))
            planned = set(s.scalars(select(FollowUp.customer_id)))
            pending = set(
                s.scalars(select(FollowUp.id).where(FollowUp.status == FollowUpStatus.PENDING))
            )
            revoked = set(
                s.scalars(
                    select(ChannelConsent.customer_id).where(
                        ChannelConsent.channel == ConsentChannel.CALL,
                        ChannelConsent.state == ConsentState.REVOKED,
                    )
                )
            )
            cancelled = set(
                s.scalars(select(FollowUp.id).where(FollowUp.status == FollowUpStatus.CANCELLED))
            )
            # All or nothing, for the transaction a kill interrupted as for every other: no
            # customer without their lead, no call logged without the follow-up it planned.
            # (Read inside the unit of work: a session used after it began a read that
            # nothing ended, and the next writer's erasure waited out its patience for it.)
            without_quote = set(
                s.scalars(select(Customer.id).where(~Customer.id.in_(select(Quote.customer_id))))
            )
        without_plan = touched - planned
    finally:
        db.close()
    lost += [f"customer {c} without the quote saved with them" for c in sorted(without_quote)]
    lost += [f"call with customer {c} without its follow-up" for c in sorted(without_plan)]
    gone = committed.erased | {c for c in committed.erasing if c not in customers}
    for cid in committed.erasing | committed.erased:
        leftovers = cid in customers or cid in touched or cid in planned
        if cid in gone and leftovers:
            lost.append(f"half an erasure of {cid}")
    for cid, qid in committed.leads.items():
        if cid not in gone and (cid not in customers or qid not in quotes):
            lost.append(f"lead {cid}/{qid}")
    for cid, (tid, fid) in committed.touches.items():
        if cid in gone:
            continue
        if tid not in touches:
            lost.append(f"touch {tid}")
        if fid not in (cancelled if cid in committed.revoked else pending | cancelled):
            lost.append(f"follow-up {fid}")
    for cid in committed.revoked - gone:
        if cid not in revoked:
            lost.append(f"revocation for {cid}")
        elif committed.touches[cid][1] not in cancelled:
            lost.append(f"cancellation of follow-up {committed.touches[cid][1]}")
    for cid in committed.trashed - gone:
        if cid not in in_trash:
            lost.append(f"move of {cid} to the trash")
    return lost


def _run_until_killed(db_path: Path, first: int, rng: random.Random) -> list[str]:
    """Fork a writer, let it commit a random number of changes, SIGKILL it mid-stream."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child never returns
        os.close(read_fd)
        _writer(db_path, first, write_fd)
    os.close(write_fd)
    wanted = rng.randint(0, 12)
    buf = b""
    with os.fdopen(read_fd, "rb", buffering=0) as pipe:
        while buf.count(b"\n") < wanted:
            chunk = pipe.read(4096)
            assert chunk, "the writer stopped before it was killed"
            buf += chunk
        # Land the kill anywhere: between commits, inside a transaction, inside fsync.
        time.sleep(rng.uniform(0, 0.004))
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        buf += pipe.read()  # lines written before the kill were committed too
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    text = buf.decode()
    complete = text[: text.rfind("\n") + 1] if "\n" in text else ""
    return complete.splitlines()


@dataclass
class CrashRun:
    kill_points: int
    committed: Committed
    lost: list[str]
    inside_a_write: int  # kills that landed inside a unit of work (or its commit's fsync)


def crash_run(db_path: Path, kill_points: int, seed: int) -> CrashRun:
    rng = random.Random(seed)
    open_database(str(db_path)).close()
    committed = Committed()
    lost: list[str] = []
    inside = 0
    next_i = 0
    for _ in range(kill_points):
        lines = _run_until_killed(db_path, next_i, rng)
        inside += bool(lines) and lines[-1].startswith(("begin", "erasing"))
        for line in lines:
            committed.take(line)
        # The killed writer's ids are never reused: start past anything it may have begun.
        next_i += 1000
        report = check_integrity(db_path, find_backup=False)
        assert report.ok, report.summary()
        # The killed process's lock does not block the next start.
        acquire_instance_lock(db_path).release()
        lost += _lost(db_path, committed)
    return CrashRun(kill_points, committed, lost, inside)


def test_sigkill_at_random_points_loses_no_committed_change(db_path: Path):
    # 60 kill points in CI (the thorough profile), a fifth in everyday runs.
    run = crash_run(db_path, kill_points=examples(60), seed=20261122)
    committed = run.committed
    print(
        f"\ncrash safety: {run.kill_points} kill points ({run.inside_a_write} inside a write), "
        f"{committed.count} committed changes reported ({len(committed.leads)} leads, "
        f"{len(committed.touches)} touches with follow-ups, {len(committed.revoked)} "
        f"revocations, {len(committed.trashed)} moves to the trash, {len(committed.erased)} "
        f"erasures), lost: {len(run.lost)}"
    )
    assert committed.count > run.kill_points  # the writer really was mid-stream each time
    # Many kills landed inside a transaction, not only between them.
    assert run.inside_a_write >= run.kill_points // 4
    assert run.lost == []


def _names(db_path: Path) -> frozenset[str]:
    db = open_database(str(db_path), create=False)
    try:
        with db.reading() as s:
            return frozenset(s.scalars(select(Customer.display_name)))
    finally:
        db.close()


def test_sigkill_during_restore_leaves_either_the_old_or_the_restored_database(
    db_path: Path, tmp_path: Path
):
    from deckfollow.core.restore import restore_from
    from deckfollow.storage.backup_copies import backup_to

    rng = random.Random(99)
    db = open_database(str(db_path))
    with db.unit_of_work() as s:
        for i in range(50):
            add_lead(
                s, NewLead(f"Backed Up {i}", email=f"b{i}@example.com", answered=True), now=START
            )
    saved = backup_to(db, tmp_path / "saved.db")
    db.close()
    restored_names = _names(saved)
    started = time.perf_counter()
    restore_from(db_path, saved, now=START)  # a full run sets the range to kill within
    span = time.perf_counter() - started
    outcomes = {"old": 0, "restored": 0}
    kill_points = 30
    for k in range(kill_points):
        db = open_database(str(db_path))
        with db.unit_of_work() as s:
            add_lead(s, NewLead(f"Entered Since {k}", answered=True), now=START)
        db.close()
        before = _names(db_path)
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child is killed or exits at once
            try:
                restore_from(db_path, saved, now=START + timedelta(minutes=k))
            finally:
                os._exit(0)
        time.sleep(rng.uniform(0, span * 2.5))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        report = check_integrity(db_path, find_backup=False)
        assert report.ok, report.summary()
        after = _names(db_path)
        assert after in (before, restored_names)
        outcomes["old" if after == before else "restored"] += 1
    print(f"\nrestore crash safety: {kill_points} kill points, outcomes {outcomes}, broken: 0")


@pytest.mark.bench
@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_sigkill_at_many_more_random_points_loses_nothing(db_path: Path):
    """The big run (about 3 minutes): `pytest tests/storage/test_crash_safety.py -m bench -s`."""
    from tests.bench.report import record

    run = crash_run(db_path, kill_points=500, seed=7)
    record("data safety", "crash test: SIGKILL points", run.kill_points, "kills")
    record("data safety", "crash test: kills inside a write", run.inside_a_write, "kills")
    record("data safety", "crash test: committed changes checked", run.committed.count, "rows")
    record("data safety", "crash test: committed changes lost", len(run.lost), "rows", "0")
    assert run.lost == []
