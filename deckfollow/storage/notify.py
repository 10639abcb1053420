"""Live changes on a team database: every commit tells the other members' windows.

A write unit of work records which tables it changed (ORM flushes and bulk statements
alike) and, just before its commit, sends `NOTIFY deckfollow, '<json>'` in the same
transaction: PostgreSQL delivers it only if the commit happens, and never to anyone if it
rolls back, so a window is never told of a change that did not stick.

`ChangeListener` is the other end: a thread with its own connection that LISTENs and hands
each change (from another process) to a callback; if the server goes away it reconnects,
and says so through `on_state`. SQLite is one person's file: nothing is sent or listened.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Delete, Insert, Update, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

from deckfollow.core.members import current_member
from deckfollow.storage.secrets_hidden import hide_secrets

CHANNEL = "deckfollow"
_TABLES = "deckfollow_changed_tables"
_ORIGIN = "deckfollow_origin"


def new_origin() -> str:
    """An id for one open database: its own window already refreshed after saving."""
    return uuid.uuid4().hex


@dataclass(frozen=True)
class Change:
    """What another member committed: the tables it touched and who they are."""

    tables: frozenset[str]
    by: str | None

    @classmethod
    def from_payload(cls, payload: str, ignore_origin: str | None = None) -> Change | None:
        """The change in a notification, or None for one sent by `ignore_origin` (or not ours)."""
        try:
            data = json.loads(payload)
        except ValueError:
            return None
        if not isinstance(data, dict) or (ignore_origin and data.get("origin") == ignore_origin):
            return None
        tables = data.get("tables")
        by = data.get("by")
        return cls(
            frozenset(str(t) for t in tables) if isinstance(tables, list) else frozenset(),
            by if isinstance(by, str) else None,
        )


def _changed(session: Session) -> set[str]:
    found: set[str] = session.info.setdefault(_TABLES, set())
    return found


def _after_flush(session: Session, _context: Any) -> None:
    found = _changed(session)
    for obj in (*session.new, *session.dirty, *session.deleted):
        table = getattr(obj, "__tablename__", None)
        if table is not None:
            found.add(str(table))


def _orm_execute(state: ORMExecuteState) -> None:
    stmt = state.statement
    if isinstance(stmt, Insert | Update | Delete):
        name = getattr(stmt.table, "name", None)
        if name is not None:
            _changed(state.session).add(str(name))


def _before_commit(session: Session) -> None:
    session.flush()  # the commit's own flush comes after this hook: record it first
    tables = session.info.pop(_TABLES, None)
    if not tables:
        return
    payload = json.dumps(
        {
            "tables": sorted(tables),
            "by": current_member(session),
            "origin": session.info.get(_ORIGIN),
        }
    )
    # pg_notify rather than NOTIFY: the payload is a bound parameter, never spliced in.
    session.execute(
        text("SELECT pg_notify(:channel, :payload)"), {"channel": CHANNEL, "payload": payload}
    )


def _after_rollback(session: Session) -> None:
    session.info.pop(_TABLES, None)


def announce_changes(sessions: sessionmaker[Session], origin: str) -> None:
    """Make every commit on these (PostgreSQL) sessions notify the other members."""
    sessions.kw["info"] = {**sessions.kw.get("info", {}), _ORIGIN: origin}
    event.listen(sessions, "after_flush", _after_flush)
    event.listen(sessions, "do_orm_execute", _orm_execute)
    event.listen(sessions, "before_commit", _before_commit)
    event.listen(sessions, "after_soft_rollback", lambda s, _tx: _after_rollback(s))


def libpq_url(target: str) -> str:
    """A SQLAlchemy URL (postgresql+psycopg://…) as psycopg itself takes it."""
    url = make_url(target).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


class ChangeListener:
    """LISTEN on a dedicated connection in a thread; `on_change` runs in that thread."""

    def __init__(
        self,
        target: str,
        on_change: Callable[[Change], None],
        *,
        on_state: Callable[[bool, str], None] | None = None,
        retry_seconds: float = 2.0,
        ignore_origin: str | None = None,
    ) -> None:
        self._ignore = ignore_origin
        self._conninfo = libpq_url(target)
        self._on_change = on_change
        self._on_state = on_state or (lambda _up, _why: None)
        self._retry = retry_seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="deckfollow-listen", daemon=True)
        self.listening = threading.Event()

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 3.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        import psycopg

        connected_before = False
        while not self._stop.is_set():
            try:
                with psycopg.connect(self._conninfo, autocommit=True, connect_timeout=5) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self.listening.set()
                    if connected_before:
                        # Whatever changed while away: one full refresh.
                        self._on_change(Change(frozenset({"*"}), None))
                    connected_before = True
                    self._on_state(True, "")
                    while not self._stop.is_set():
                        for note in conn.notifies(timeout=0.5):
                            change = Change.from_payload(note.payload, self._ignore)
                            if change is not None:
                                self._on_change(change)
            except psycopg.Error as exc:
                self.listening.clear()
                if self._stop.is_set():
                    return
                said = str(exc).strip()
                first = said.splitlines()[0] if said else type(exc).__name__
                self._on_state(False, hide_secrets(first, self._conninfo))
                self._stop.wait(self._retry)
