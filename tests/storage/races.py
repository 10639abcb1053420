"""Two writers at once: a race harness for the rules of permission and for edits.

Two forked worker processes each open their own `Database` on the same SQLite file or
PostgreSQL database. For each trial the parent sets up a fresh customer (and quote), hands
one operation to each worker, and both start at a barrier. Inside its unit of work each
worker stops before its first write (every read and decision made) and waits for the
other to reach the same point, so on a back-end that does not serialise writers both
decisions are made from the same state and the transactions truly overlap. A worker that is
taking the business's write lock (`BEGIN IMMEDIATE`, PostgreSQL's advisory lock) while the
other is at its first write waits for the lock the other holds, and counts as having
arrived, as does one whose statement has been blocked for a while: a serialising back-end
then lets the holder finish instead of deadlocking on the barrier.

After each trial the parent checks, from the database: no pending follow-up on a revoked
channel or for a do-not-contact customer, no running plan for a do-not-contact customer,
the stored consent equals the ledger replayed in order, a revocation is never overturned
except by a later grant with words, every acknowledged write is there (or overtaken by a
later one in the ledger's order), two edits of one record follow a serial order, and every
refusal was one clear line, never a raw database error.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import time as dtime
from multiprocessing.connection import Connection
from multiprocessing.sharedctypes import SynchronizedArray
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from deckfollow.core.cadence_library import seed_builtin_cadences
from deckfollow.core.cadence_runs import start_cadence
from deckfollow.core.consent import revoke_consent
from deckfollow.core.consent_ledger import grant_consent
from deckfollow.core.contact_hours import local_to_utc
from deckfollow.core.enums import (
    CadenceRunStatus,
    Channel,
    ConsentChannel,
    ConsentEventKind,
    ConsentState,
    Direction,
    FollowUpStatus,
    MemberRole,
    Outcome,
    Stage,
)
from deckfollow.core.errors import ConcurrentEditError, DeckfollowError
from deckfollow.core.followups import FollowUpPlan, agree_follow_up, agreed_plan
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.models import (
    CadenceRun,
    ChannelConsent,
    ConsentEvent,
    Customer,
    FollowUp,
    Member,
    Quote,
    Touch,
)
from deckfollow.core.pipeline import move_stage
from deckfollow.core.team import assign_quote
from deckfollow.core.touches import TouchRecord, log_touch
from deckfollow.exchange.csv_import import import_table, read_import_file
from deckfollow.storage.database import Database, open_database

# A statement running this long is waiting for a lock the other writer holds.
BLOCKED_AFTER_S = float(os.environ.get("DECKFOLLOW_RACE_BLOCKED_AFTER", "0.05"))
RENDEZVOUS_LIMIT_S = 10.0
AGREED_DAY = date(2026, 11, 25)  # a Wednesday, three days after the frozen "now"
_WRITES = ("INSERT", "UPDATE", "DELETE")
# How a write transaction takes the write lock (see `deckfollow.storage.database._begin`).
_TAKE_WRITE_LOCK = ("BEGIN IMMEDIATE", "SELECT pg_advisory_xact_lock")
RAW_MARKERS = (
    "Traceback",
    "sqlalchemy",
    "sqlite3",
    "psycopg",
    "IntegrityError",
    "OperationalError",
    "UNIQUE constraint",
    "duplicate key",
    "(Background on this error",
)


@dataclass(frozen=True)
class Result:
    """What one worker's operation returned: acknowledged or refused, and how."""

    op: str
    ok: bool
    message: str = ""
    raw: bool = False
    seen: str | None = None  # what the operation read inside its own transaction


@dataclass(frozen=True)
class Task:
    op: str
    customer_id: int
    quote_id: int
    trial: int
    expected: str | None = None  # the value the user started from (None: no check)
    value: str | None = None


# --- operations (run inside a worker) ----------------------------------------------------


def _plan(timezone: str, words: str) -> Any:
    return agreed_plan(
        AGREED_DAY, dtime(11), None, timezone, Channel.CALL, "Go over the quote", words
    )


def _op_stop(s: Session, t: Task, now: datetime) -> str | None:
    revoke_consent(s, t.customer_id, None, source="race stop", words="stop calling", now=now)
    return None


def _op_revoke(s: Session, t: Task, now: datetime) -> str | None:
    revoke_consent(
        s, t.customer_id, ConsentChannel.CALL, source="race revoke", words="no calls", now=now
    )
    return None


def _op_grant(s: Session, t: Task, now: datetime) -> str | None:
    grant_consent(
        s, t.customer_id, ConsentChannel.CALL, source="race grant", words="call me", now=now
    )
    return None


def _op_agree(s: Session, t: Task, now: datetime) -> str | None:
    tz = s.execute(select(Customer.timezone).where(Customer.id == t.customer_id)).scalar_one()
    fu = agree_follow_up(
        s,
        t.customer_id,
        t.quote_id,
        _plan(tz, "Wednesday at 11 suits me"),
        now=now,
        source="race agree",
    )
    return str(fu.id)


def _op_cadence(s: Session, t: Task, now: datetime) -> str | None:
    run = start_cadence(s, t.customer_id, "after_quote", quote_id=t.quote_id, now=now)
    return str(run.id)


def _op_stage(s: Session, t: Task, now: datetime) -> str | None:
    quote = s.get(Quote, t.quote_id)
    assert quote is not None and t.value is not None
    seen = quote.stage.value
    # The version the user's board showed, checked by the core itself.
    expected = int(t.expected) if t.expected is not None else None
    move_stage(s, t.quote_id, Stage(t.value), now=now, expected_version=expected)
    return seen


def _op_edit(s: Session, t: Task, now: datetime) -> str | None:
    """Save one contact field the way the customer panel does (clash on a changed field)."""
    assert t.value is not None
    name, _, value = t.value.partition("=")
    customer = s.get(Customer, t.customer_id)
    assert customer is not None
    seen: str | None = getattr(customer, name)
    if t.expected is not None and (seen or "") != t.expected:
        raise ConcurrentEditError(
            f"{customer.display_name}'s {name} was changed elsewhere after you opened them; "
            "Revert to see the latest, then make your change again."
        )
    setattr(customer, name, value)
    customer.updated_at = now
    s.flush()
    return seen or ""


def _op_reassign(s: Session, t: Task, now: datetime) -> str | None:
    assert t.value is not None
    assign_quote(s, t.quote_id, t.value, now=now)
    return None


def _op_touch(s: Session, t: Task, now: datetime) -> str | None:
    """A call logged with its next step: a planned call two days on (Wednesday, 11:00)."""
    tz = s.execute(select(Customer.timezone).where(Customer.id == t.customer_id)).scalar_one()
    record = TouchRecord(
        t.customer_id, Channel.CALL, Direction.OUTBOUND, Outcome.REACHED, now,
        quote_id=t.quote_id, summary="race touch",
    )  # fmt: skip
    due = local_to_utc(AGREED_DAY, dtime(11), ZoneInfo(tz))
    log_touch(s, record, FollowUpPlan(due, Channel.CALL, "race next step"), now=now)
    return None


def _op_import(s: Session, t: Task, now: datetime) -> str | None:
    """A contacts file naming this customer (by email) and one new person."""
    folder = Path(tempfile.gettempdir()) / f"deckfollow-race-import-{os.getpid()}"
    folder.mkdir(exist_ok=True)
    path = folder / f"contacts-{t.trial}.csv"
    path.write_text(
        "Name,Email,Company\n"
        f"Racer Again {t.trial},racer{t.trial}@example.com,Imported Pty Ltd\n"
        f"New Person {t.trial},new{t.trial}@example.com,\n",
        encoding="utf-8",
    )
    import_table(s, read_import_file(path), now=now)
    return None


OPS: dict[str, Callable[[Session, Task, datetime], str | None]] = {
    "reassign": _op_reassign,
    "touch": _op_touch,
    "import": _op_import,
    "stop": _op_stop,
    "revoke": _op_revoke,
    "grant": _op_grant,
    "agree": _op_agree,
    "cadence": _op_cadence,
    "stage": _op_stage,
    "edit": _op_edit,
}


# --- the workers -------------------------------------------------------------------------


@dataclass
class _Shared:
    """What the two workers share: the start barrier, who reached the write, who is blocked."""

    barrier: Any
    at_point: SynchronizedArray[int]
    stmt_since: SynchronizedArray[float]
    taking_lock: SynchronizedArray[int]  # 1 while a worker's statement takes the write lock


class _Rendezvous:
    """The hook that holds a worker before its first write until the other got there too."""

    def __init__(self, me: int, shared: _Shared) -> None:
        self.me, self.other, self.shared = me, 1 - me, shared
        self.armed = False
        self.trial = 0

    def arm(self, trial: int) -> None:
        self.armed, self.trial = True, trial

    def arrive(self) -> None:
        self.armed = False
        sh = self.shared
        sh.at_point[self.me] = self.trial
        deadline = time.monotonic() + RENDEZVOUS_LIMIT_S
        while time.monotonic() < deadline:
            if sh.at_point[self.other] == self.trial:
                return
            if sh.taking_lock[self.other]:
                return  # it waits for the write lock this writer holds: let ours commit first
            since = sh.stmt_since[self.other]
            if since and time.monotonic() - since > BLOCKED_AFTER_S:
                return  # the other waits for our lock: let ours commit first
            time.sleep(0.0005)

    def install(self, db: Database) -> None:
        sh, me = self.shared, self.me

        @event.listens_for(db.engine, "before_cursor_execute")
        def _before(_c: Any, _cur: Any, statement: str, *_: Any) -> None:
            # Hold before the first write: every decision of this unit of work is made.
            if self.armed and statement.lstrip().upper().startswith(_WRITES):
                self.arrive()
            sh.taking_lock[me] = statement.lstrip().startswith(_TAKE_WRITE_LOCK)
            sh.stmt_since[me] = time.monotonic()

        @event.listens_for(db.engine, "after_cursor_execute")
        def _after(*_: Any) -> None:
            sh.stmt_since[me] = 0.0
            sh.taking_lock[me] = 0

        @event.listens_for(db.engine, "handle_error")
        def _error(*_: Any) -> None:
            sh.stmt_since[me] = 0.0
            sh.taking_lock[me] = 0


def is_raw(message: str) -> bool:
    """A message a user should never see: several lines, or a database library's own words."""
    return "\n" in message.strip() or any(m.lower() in message.lower() for m in RAW_MARKERS)


def _worker(me: int, target: str, now: datetime, shared: _Shared, conn: Connection) -> None:
    db = open_database(target)
    hook = _Rendezvous(me, shared)
    hook.install(db)
    try:
        while True:
            task: Task | None = conn.recv()
            if task is None:
                return
            shared.barrier.wait()
            hook.arm(task.trial)
            try:
                with db.unit_of_work() as s:
                    seen = OPS[task.op](s, task, now)
                result = Result(task.op, True, "saved", seen=seen)
            except DeckfollowError as exc:
                result = Result(task.op, False, str(exc), raw=is_raw(str(exc)))
            except Exception as exc:  # what a user would see as a traceback
                detail = "".join(traceback.format_exception_only(exc)).strip()
                result = Result(task.op, False, detail, raw=True)
            finally:
                hook.armed = False
                shared.stmt_since[me] = 0.0
                shared.taking_lock[me] = 0
                shared.at_point[me] = task.trial  # finished counts as arrived
            conn.send(result)
    finally:
        db.close()


@dataclass
class Racers:
    """Two worker processes on one database, ready to race operations."""

    target: str
    now: datetime
    _conns: list[Connection] = field(default_factory=list)
    _procs: list[Any] = field(default_factory=list)
    _trial: int = 0

    def start(self) -> None:
        ctx = mp.get_context("fork")  # every module is loaded already: each start is instant
        shared = _Shared(ctx.Barrier(2), ctx.Array("i", 2), ctx.Array("d", 2), ctx.Array("i", 2))
        for me in (0, 1):
            parent, child = ctx.Pipe()
            proc = ctx.Process(
                target=_worker, args=(me, self.target, self.now, shared, child), daemon=True
            )
            proc.start()
            child.close()
            self._conns.append(parent)
            self._procs.append(proc)

    def race(self, a: Task, b: Task) -> tuple[Result, Result]:
        self._conns[0].send(a)
        self._conns[1].send(b)
        results = []
        for conn in self._conns:
            if not conn.poll(60):
                raise RuntimeError("a racing worker hung")
            results.append(conn.recv())
        return results[0], results[1]

    def next_trial(self) -> int:
        self._trial += 1
        return self._trial

    def stop(self) -> None:
        for conn in self._conns:
            conn.send(None)
        for proc in self._procs:
            proc.join(10)
            if proc.is_alive():
                proc.kill()


@contextmanager
def racers(target: str, now: datetime) -> Iterator[Racers]:
    r = Racers(target, now)
    r.start()
    try:
        yield r
    finally:
        r.stop()


# --- the pairs ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Pair:
    name: str
    a: str
    b: str
    granted: bool = False  # the call channel is granted before the race
    a_value: str | None = None
    b_value: str | None = None
    expect_versions: bool = False


PAIRS = (
    Pair("stop vs agree", "stop", "agree", granted=True),
    Pair("revoke vs agree (call granted)", "revoke", "agree", granted=True),
    Pair("revoke vs agree (call unknown)", "revoke", "agree"),
    Pair("stop vs plan start", "stop", "cadence", granted=True),
    Pair("revoke vs grant", "revoke", "grant"),
    Pair("two stage moves", "stage", "stage", a_value="quoted", b_value="following_up"),
    Pair(
        "two stage moves, expected version",
        "stage",
        "stage",
        a_value="quoted",
        b_value="following_up",
        expect_versions=True,
    ),
    Pair("reassign vs log touch", "reassign", "touch", granted=True, a_value="sam_lee"),
    Pair("import vs stop", "import", "stop", granted=True),
    Pair(
        "two contact edits, different fields",
        "edit",
        "edit",
        a_value="email=new.a@example.com",
        b_value="company=Race Pty Ltd",
    ),
    Pair(
        "two contact edits, same field",
        "edit",
        "edit",
        a_value="email=first.a@example.com",
        b_value="email=second.b@example.com",
    ),
    Pair(
        "two contact edits, same field, expected value",
        "edit",
        "edit",
        a_value="email=first.a@example.com",
        b_value="email=second.b@example.com",
        expect_versions=True,
    ),
)


@dataclass
class Tally:
    """Figures for one pair over its trials."""

    pair: str
    trials: int = 0
    violations: int = 0
    lost: int = 0
    raw: int = 0
    both_saved: int = 0
    refused: int = 0
    problems: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"{self.pair:<48} violations {self.violations}/{self.trials}  lost "
            f"{self.lost}/{self.trials}  raw errors {self.raw}/{self.trials}  "
            f"(both saved {self.both_saved}, clearly refused {self.refused})"
        )


def setup_trial(db: Database, pair: Pair, trial: int, now: datetime) -> tuple[int, int]:
    """A fresh customer (and quote) for one trial, in the state the pair starts from."""
    with db.unit_of_work() as s:
        lead = add_lead(
            s,
            NewLead(
                f"Racer {pair.name[:20]} {trial}",
                phone=f"+614120{trial:05d}",
                email=f"racer{trial}@example.com",
                country="AU",
                timezone="Australia/Sydney",
            ),
            now=now,
        )
        if pair.granted:
            grant_consent(
                s,
                lead.customer_id,
                ConsentChannel.CALL,
                source="set-up",
                words="you can call me",
                now=now,
            )
    return lead.customer_id, lead.quote_id


def _expected(db: Database, pair: Pair, cid: int, qid: int, value: str | None) -> str | None:
    """What the user's screen loaded before they made their change (read outside the race)."""
    if not pair.expect_versions or value is None:
        return None
    with db.reading() as s:
        if pair.a == "stage":
            return str(s.execute(select(Quote.version).where(Quote.id == qid)).scalar_one())
        name = value.partition("=")[0]
        current = s.execute(select(getattr(Customer, name)).where(Customer.id == cid)).scalar()
        return str(current or "")


def run_pair(db: Database, racing: Racers, pair: Pair, trials: int, now: datetime) -> Tally:
    tally = Tally(pair.name)
    for _ in range(trials):
        n = racing.next_trial()
        cid, qid = setup_trial(db, pair, n, now)
        a = Task(pair.a, cid, qid, n, _expected(db, pair, cid, qid, pair.a_value), pair.a_value)
        b = Task(pair.b, cid, qid, n, _expected(db, pair, cid, qid, pair.b_value), pair.b_value)
        # Each worker plays each side in turn, so both orders of arrival are raced.
        if n % 2:
            rb, ra = racing.race(b, a)
        else:
            ra, rb = racing.race(a, b)
        tally.trials += 1
        tally.both_saved += ra.ok and rb.ok
        tally.refused += (not ra.ok and not ra.raw) + (not rb.ok and not rb.raw)
        raw = [r.message for r in (ra, rb) if r.raw]
        if raw:
            tally.raw += 1
            tally.problems.append(f"trial {n}: raw error: {raw[0][:300]}")
        with db.reading() as s:
            violations, lost = check(s, pair, cid, qid, ra, rb)
        if violations:
            tally.violations += 1
            tally.problems.append(f"trial {n}: {'; '.join(violations)}")
        if lost:
            tally.lost += 1
            tally.problems.append(f"trial {n}: lost: {'; '.join(lost)}")
    return tally


# --- the checks --------------------------------------------------------------------------


def _replay(events: list[ConsentEvent]) -> tuple[bool, dict[ConsentChannel, ConsentState]]:
    dnc = False
    state: dict[ConsentChannel, ConsentState] = {}
    for ev in events:
        if ev.kind is ConsentEventKind.DO_NOT_CONTACT:
            dnc = True
            state = dict.fromkeys(ConsentChannel, ConsentState.REVOKED)
        elif ev.kind is ConsentEventKind.REVOKED and ev.channel is not None:
            state[ev.channel] = ConsentState.REVOKED
        elif ev.kind is ConsentEventKind.GRANTED and ev.channel is not None:
            state[ev.channel] = ConsentState.GRANTED
            dnc = False
    return dnc, state


def check(
    s: Session, pair: Pair, cid: int, qid: int, ra: Result, rb: Result
) -> tuple[list[str], list[str]]:
    """Rule violations and lost acknowledged writes for one trial (empty lists: all good)."""
    bad: list[str] = []
    lost: list[str] = []
    customer = s.get(Customer, cid)
    assert customer is not None
    events = list(
        s.execute(
            select(ConsentEvent).where(ConsentEvent.customer_id == cid).order_by(ConsentEvent.id)
        ).scalars()
    )
    stored = {
        r.channel: r.state
        for r in s.execute(select(ChannelConsent).where(ChannelConsent.customer_id == cid))
        .scalars()
        .all()
    }
    pending = list(
        s.execute(
            select(FollowUp).where(
                FollowUp.customer_id == cid, FollowUp.status == FollowUpStatus.PENDING
            )
        ).scalars()
    )
    # Rules 1 and 2.
    for fu in pending:
        if customer.do_not_contact:
            bad.append(f"follow-up {fu.id} pending for a do-not-contact customer")
        elif stored.get(fu.channel.consent_channel) is ConsentState.REVOKED:
            bad.append(f"follow-up {fu.id} pending on revoked {fu.channel.value}")
    if customer.do_not_contact:
        running = s.execute(
            select(CadenceRun.id).where(
                CadenceRun.customer_id == cid,
                CadenceRun.status.in_([CadenceRunStatus.ACTIVE, CadenceRunStatus.PAUSED]),
            )
        ).first()
        if running is not None:
            bad.append(f"plan {running[0]} running for a do-not-contact customer")
    # The stored state is the ledger replayed in its order.
    dnc, replayed = _replay(events)
    if dnc != customer.do_not_contact:
        bad.append(f"do-not-contact is {customer.do_not_contact} but the ledger says {dnc}")
    for ch, st in replayed.items():
        if stored.get(ch) is not st:
            bad.append(f"{ch.value} is {stored.get(ch)} but the ledger says {st.value}")
    # A revocation is overturned only by a later grant with the customer's words.
    kinds = [(e.kind, e.channel, e.words) for e in events]
    revoked_at = [
        i
        for i, (k, ch, _w) in enumerate(kinds)
        if k is ConsentEventKind.DO_NOT_CONTACT
        or (k is ConsentEventKind.REVOKED and ch is ConsentChannel.CALL)
    ]
    if revoked_at and stored.get(ConsentChannel.CALL) is ConsentState.GRANTED:
        later = [
            i
            for i, (k, ch, w) in enumerate(kinds)
            if k is ConsentEventKind.GRANTED
            and ch is ConsentChannel.CALL
            and i > revoked_at[-1]
            and (w or "").strip()
        ]
        if not later or not any(r.op == "grant" and r.ok for r in (ra, rb)):
            bad.append("a revocation ended up granted without a later grant in their words")
    # Every acknowledged write is there.
    by_source = {e.source for e in events}
    for r in (ra, rb):
        if not r.ok:
            continue
        if r.op == "stop" and "race stop" not in by_source:
            lost.append("the acknowledged stop is not in the ledger")
        if r.op == "revoke" and "race revoke" not in by_source:
            lost.append("the acknowledged revocation is not in the ledger")
        if r.op == "grant" and "race grant" not in by_source:
            lost.append("the acknowledged grant is not in the ledger")
        if r.op == "agree":
            agreed = s.get(FollowUp, int(r.seen or 0))
            if agreed is None:
                lost.append("the acknowledged agreed follow-up is missing")
            elif agreed.status is FollowUpStatus.CANCELLED and not (
                customer.do_not_contact or stored.get(ConsentChannel.CALL) is ConsentState.REVOKED
            ):
                lost.append("the agreed follow-up was cancelled with nothing to cancel it")
        if r.op == "cadence" and s.get(CadenceRun, int(r.seen or 0)) is None:
            lost.append("the acknowledged plan start is missing")
    if pair.a == "reassign":
        bad_own, lost_own = _check_reassign(s, cid, qid, ra, rb)
        bad += bad_own
        lost += lost_own
    if pair.a == "import" and ra.ok:
        email = f"new{_trial_of(customer)}@example.com"
        if s.execute(select(Customer.id).where(Customer.email == email)).first() is None:
            lost.append("the acknowledged import's new person is missing")
    if pair.a in ("stage", "edit"):
        bad_order, lost_edit = _check_edits(s, pair, cid, qid, ra, rb)
        bad += bad_order
        lost += lost_edit
    return bad, lost


def _check_reassign(
    s: Session, cid: int, qid: int, ra: Result, rb: Result
) -> tuple[list[str], list[str]]:
    """The new owner owns the quote and every open follow-up on it, whichever came first."""
    bad: list[str] = []
    lost: list[str] = []
    quote = s.get(Quote, qid)
    assert quote is not None
    if ra.ok and quote.owner != "sam_lee":
        lost.append(f"the acknowledged reassignment was overwritten (owner {quote.owner!r})")
    touched = s.execute(
        select(Touch.id).where(Touch.quote_id == qid, Touch.summary == "race touch")
    ).first()
    if rb.ok and touched is None:
        lost.append("the acknowledged touch is missing")
    stray = [
        f.id
        for f in s.execute(
            select(FollowUp).where(
                FollowUp.quote_id == qid, FollowUp.status == FollowUpStatus.PENDING
            )
        ).scalars()
        if f.member != quote.owner
    ]
    if stray:
        bad.append(f"follow-ups {stray} still belong to someone other than the quote's owner")
    return bad, lost


def _check_edits(
    s: Session, pair: Pair, cid: int, qid: int, ra: Result, rb: Result
) -> tuple[list[str], list[str]]:
    """Two edits of one record: the outcome must be that of one edit after the other."""
    bad: list[str] = []
    lost: list[str] = []
    if pair.a == "stage":
        quote = s.get(Quote, qid)
        assert quote is not None
        final, start = quote.stage.value, "lead"
        values = {"a": pair.a_value, "b": pair.b_value}
    else:
        customer = s.get(Customer, cid)
        assert customer is not None
        fa, _, va = (pair.a_value or "").partition("=")
        fb, _, vb = (pair.b_value or "").partition("=")
        if fa != fb:  # different fields do not clash: both must be saved and survive
            for r, name, value in ((ra, fa, va), (rb, fb, vb)):
                if not r.ok:
                    bad.append(f"the {name} edit was refused although nobody else changed it")
                elif getattr(customer, name) != value:
                    lost.append(f"the acknowledged {name} edit was overwritten")
            return bad, lost
        final, start = getattr(customer, fa) or "", f"racer{_trial_of(customer)}@example.com"
        values = {"a": va, "b": vb}
    saved = [(k, r) for k, r in (("a", ra), ("b", rb)) if r.ok]
    if len(saved) == 2:
        if pair.expect_versions:
            bad.append("both saved although each started from the same version")
        # Serial order: one saw the start, the other saw the first one's value and won.
        (ka, ra_), (kb, rb_) = saved
        if ra_.seen == start and rb_.seen == values[ka]:
            winner = kb
        elif rb_.seen == start and ra_.seen == values[kb]:
            winner = ka
        else:
            lost.append(f"both saved from the same start ({ra_.seen!r}, {rb_.seen!r})")
            return bad, lost
        if final != values[winner]:
            bad.append(f"the later edit did not win ({final!r})")
    elif len(saved) == 1:
        k, _r = saved[0]
        if final != values[k]:
            lost.append(f"the only saved edit is not there ({final!r})")
    elif pair.expect_versions:
        bad.append("both edits refused")
    return bad, lost


def _trial_of(customer: Customer) -> int:
    return int(customer.display_name.rsplit(" ", 1)[-1])


def race_all(
    target: str, now: datetime, trials: int, pairs: tuple[Pair, ...] = PAIRS
) -> list[Tally]:
    """Race every pair `trials` times on one database; the parent's own handle checks."""
    db = open_database(target)
    try:
        with db.unit_of_work() as s:
            seed_builtin_cadences(s)
            # A colleague quotes can be handed to (reassign vs log touch).
            if s.execute(select(Member.id).where(Member.login == "sam_lee")).first() is None:
                s.add(
                    Member(login="sam_lee", name="Sam Lee", role=MemberRole.STAFF, created_at=now)
                )
        with racers(target, now) as racing:
            return [run_pair(db, racing, pair, trials, now) for pair in pairs]
    finally:
        db.close()
