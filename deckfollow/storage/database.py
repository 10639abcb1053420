"""Opening a deckfollow database (SQLite file or PostgreSQL URL) and writing to it safely.

`open_database` creates the file owner-only, sets SQLite's safety pragmas, checks the
schema revision cheaply and migrates (after a backup) only when needed.

Writers take turns. Every service reads the consent state, decides and writes; if another
program could commit in between, a "stop" could land beside a new agreed call, or a
revocation be overwritten to granted. So `Database.unit_of_work()` is a write transaction
that holds the business's write lock from its first statement to its commit, and every
core service runs inside one: no service can forget to take the lock.

- SQLite: `BEGIN IMMEDIATE` (pysqlite's own transaction handling is switched off so the
  BEGIN is ours). `reading()` is a plain deferred `BEGIN`: in WAL mode a reader never
  waits for a writer and sees one consistent snapshot.
- PostgreSQL: a transaction-scoped advisory lock, `pg_advisory_xact_lock`, taken as the
  first statement of every write unit of work and released by its commit or rollback
  (advisory locks belong to one database, so businesses sharing a server never wait for
  each other). It serialises the writers of one business exactly as SQLite does, so both
  back-ends keep the same rules for the same reason. Per-customer row locks were not
  chosen: every service (import, merge, restore of do-not-contacts, cadences) would have
  to know and lock each customer it might touch before its first read, and one forgotten
  lock brings the race back. SERIALIZABLE was not chosen either: it needs every unit of work to be
  retried from the start, which a caller that already sent an email or showed a dialog
  cannot do. A small team's writes take milliseconds, so queueing them costs nothing a
  person can see; reads (lists, boards, Today) never take the lock.

A writer that cannot get the lock within `BUSY_TIMEOUT_MS` is told, in one line, that the
database is busy and nothing was saved. Messages name a server database by its URL with
the password hidden (`display_target`).
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.exc import ArgumentError, DatabaseError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.pool import NullPool

from deckfollow.core.errors import (
    ConcurrentEditError,
    SchemaTooNewError,
    ServerAwayError,
    StorageError,
)
from deckfollow.core.members import stamp_members
from deckfollow.storage import schema
from deckfollow.storage.backup_catalogue import take_backup
from deckfollow.storage.engine_url import database_url
from deckfollow.storage.location import is_url
from deckfollow.storage.notify import announce_changes, new_origin
from deckfollow.storage.secrets_hidden import display_target, hide_secrets
from deckfollow.storage.team_schema import migration_lock, record_upgrade, upgraded_by

BUSY_TIMEOUT_MS = 5000
# The execution option that marks the engine view write transactions run on.
WRITING = "deckfollow_writing"
# PostgreSQL advisory lock key of "the business is being written" (ASCII "deck").
WRITE_LOCK_KEY = 0x6465636B


@dataclass
class Database:
    """An open database: the engine, a session factory and where it lives."""

    engine: Engine
    sessions: sessionmaker[Session]
    target: str
    path: Path | None  # None for a server database
    # The same engine for write transactions: its BEGIN takes the write lock (see above).
    writer: Engine = field(init=False, repr=False)
    # Names this handle's commits in live notifications (storage.notify).
    origin: str = field(default_factory=new_origin, repr=False)
    # Something was committed through this handle: its close refreshes the statistics.
    wrote: bool = field(default=False, init=False, repr=False)
    # Called before every write transaction; it raises when the file may not be written.
    # The app opens a file after a cheap check and sets this until the full check passed,
    # so nothing is written to a file found damaged meanwhile.
    write_gate: Callable[[], None] | None = field(default=None, init=False, repr=False)
    # The thread that has the kept connection to itself for reading
    # (`keep_connection_to_this_thread`), and the engine other threads read through then: a
    # connection each, closed after.
    _home: int | None = field(default=None, init=False, repr=False)
    _elsewhere: Engine | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.writer = self.engine.execution_options(**{WRITING: True})

    def keep_connection_to_this_thread(self) -> None:
        """From now on another thread (the inbox's pass) reads through a connection of its
        own, never the kept one, which is this thread's (the window's database thread).

        The window looks for other programs' writes through `data_version` on the kept
        connection (`core.outside_writes`), which moves for every other connection's commit
        but never for its own. When another thread held the kept connection for a read, a
        write of the window's went through a second connection, and the window took it for
        another program's: every page and 100,000 quotes were read again. Writes from other
        threads still go through the kept connection when it is free (they commit seldom),
        so they are not taken for another program's either."""
        if self.path is not None and self.is_sqlite and self._elsewhere is None:
            self._elsewhere = _sqlite_engine(self.path, pooled=False)
        self._home = threading.get_ident()

    def _engine_here(self) -> Engine:
        """The engine for a read on this thread (see `keep_connection_to_this_thread`)."""
        elsewhere = self._elsewhere
        if elsewhere is None or threading.get_ident() == self._home:
            return self.engine
        return elsewhere

    def __repr__(self) -> str:
        return f"Database({self.display})"  # a URL's password stays hidden in logs

    @property
    def display(self) -> str:
        """The file or URL as it may be shown: a URL's password is hidden."""
        return display_target(self.target)

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """One write transaction holding the write lock: commit on success, roll back on
        error, always close.

        A record changed by someone else since it was loaded (team mode) raises
        ConcurrentEditError instead of silently overwriting their change.
        """
        with self._writing(commit=True) as session:
            yield session

    @contextmanager
    def rehearsal(self) -> Iterator[Session]:
        """A write transaction that is always rolled back: every rule is checked, nothing kept."""
        with self._writing(commit=False) as session:
            yield session

    @contextmanager
    def _writing(self, *, commit: bool) -> Iterator[Session]:
        gate = self.write_gate
        if gate is not None:
            gate()
        try:
            with self.sessions(bind=self.writer) as session, session.begin() as tx:
                if not commit:
                    try:
                        yield session
                    finally:
                        tx.rollback()
                else:
                    yield session
                    self.wrote = True
        except StaleDataError as exc:
            raise ConcurrentEditError(
                "someone else changed this record while you were editing it; "
                "reload it and make your change again"
            ) from exc
        except IntegrityError as exc:
            duplicate = _duplicate(exc)
            if duplicate is None:
                raise  # a rule the schema itself enforces is for the caller to explain
            raise duplicate from exc
        except (OperationalError, DatabaseError) as exc:
            # Busy, full disk, read-only file, damage: one clear message; the transaction
            # was rolled back, so what was saved before is untouched.
            raise _describe(exc, self.display, writing=True) from exc

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A short read-only session (nothing it loads outlives it); it never waits for writers."""
        try:
            with self.sessions(bind=self._engine_here()) as session:
                yield session
        except IntegrityError:
            raise
        except (OperationalError, DatabaseError) as exc:
            raise _describe(exc, self.display) from exc

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def close(self) -> None:
        if self.wrote and self.is_sqlite:
            self._refresh_statistics()
        self.engine.dispose()
        if self._elsewhere is not None:
            self._elsewhere.dispose()

    def _refresh_statistics(self) -> None:
        """Give SQLite's planner the tables' sizes after a write, so each query uses the index
        it should (with no statistics it may walk every pending follow-up for each card).
        A sampled ANALYZE (`analysis_limit`) costs a few milliseconds even at 100,000 quotes;
        `PRAGMA optimize` redoes it only where the tables changed a lot."""
        try:
            with self.engine.connect() as conn:
                # Never wait for another writer here: the statistics can wait for next time.
                conn.exec_driver_sql("PRAGMA busy_timeout = 0")
                conn.exec_driver_sql("PRAGMA analysis_limit = 1000")
                has_stats = conn.exec_driver_sql(
                    "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'"
                ).first()
                conn.exec_driver_sql("PRAGMA optimize" if has_stats else "ANALYZE")
                conn.commit()
        except (OperationalError, DatabaseError):
            pass  # statistics only speed queries up; a busy or read-only file does without


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # Transactions are begun by `_begin` below, not by pysqlite (which would begin only
    # at the first INSERT, after the reads a decision was made from).
    dbapi_conn.isolation_level = None
    # Text another program wrote in another encoding (a spreadsheet tool, a hand repair) is
    # read with its bad bytes shown as "�", so the row can be seen and corrected; strict
    # decoding made every command that touched it fail as if the database were unreachable.
    dbapi_conn.text_factory = _lenient_text
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode = WAL")
    # A revoked consent must survive a power cut: FULL costs ~0.15 ms per commit.
    cur.execute("PRAGMA synchronous = FULL")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.close()


def _lenient_text(raw: bytes) -> str:
    return raw.decode("utf-8", errors="replace")


def _create_owner_only(path: Path) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # a new folder: owner only
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)


def _sqlite_engine(path: Path, *, pooled: bool = True) -> Engine:
    # One connection is kept between uses: a second, asked for while the first is in use
    # (the window's database thread beside a read on the GUI thread), is closed when it is
    # given back, so an open app holds the file (and its log) through one connection only.
    # Not pooled: a connection for each session, closed after it.
    url = database_url(path)  # any folder name; read-only too
    engine = create_engine(url, pool_size=1) if pooled else create_engine(url, poolclass=NullPool)
    event.listen(engine, "connect", _sqlite_pragmas)
    event.listen(engine, "begin", _begin)
    return engine


def _begin(conn: Connection) -> None:
    """Open every transaction; a write transaction takes the business's write lock first."""
    writing = bool(conn.get_execution_options().get(WRITING, False))
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")
    elif writing:
        # Waiting longer than a busy SQLite writer would is reported as "busy" all the same.
        conn.exec_driver_sql(f"SET LOCAL lock_timeout = {BUSY_TIMEOUT_MS}")
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")


def _server_engine(target: str) -> Engine:
    try:
        engine = create_engine(target, pool_pre_ping=True)
    except (ArgumentError, ValueError) as exc:
        raise StorageError(
            f"{display_target(target)} is not a database URL deckfollow can use "
            f"({hide_secrets(str(exc), target)})"
        ) from None  # the original names the URL with its password
    except ImportError as exc:
        raise StorageError(
            f"cannot use {display_target(target)}: its database driver is not installed "
            f"({exc.name or exc})"
        ) from None
    event.listen(engine, "begin", _begin)
    return engine


def _duplicate(exc: IntegrityError) -> StorageError | None:
    """A unique rule broken: someone saved the same thing first (or it already exists)."""
    msg = str(exc.orig)
    if "UNIQUE constraint failed" not in msg and "duplicate key" not in msg:
        return None
    if "channel_consent" in msg:
        what = "this customer's consent for that channel was just recorded by someone else"
    elif "quote" in msg and "number" in msg:
        what = "another quote already has this number"
    elif "cadence" in msg:
        what = "a plan with this name or step already exists"
    else:
        what = "the same record was just saved by someone else"
    return StorageError(f"{what}; nothing was saved; look again and try again")


def _describe(exc: Exception, target: str, *, writing: bool = False) -> StorageError:
    """One clear line for a database failure; `target` is already fit to show."""
    orig = getattr(exc, "orig", exc)
    msg = hide_secrets(str(orig).strip().splitlines()[0] if str(orig).strip() else "", target)
    low = msg.lower()
    sqlstate = getattr(orig, "sqlstate", None)
    what = "nothing was saved; " if writing else ""
    if "locked" in low or "lock timeout" in low or sqlstate in ("55P03", "40P01", "40001"):
        return StorageError(
            f"the database {target} is busy: another program is writing to it; {what}try again"
        )
    if sqlstate == "42501":
        # The server's GRANTs refused: a staff sign-in doing an owner's job.
        return StorageError(
            f"your sign-in may not do this on {target} ({msg}); {what}ask the team's owner"
        )
    if "disk is full" in low or "database or disk is full" in low:
        return StorageError(f"the disk holding {target} is full; nothing was saved")
    if "readonly" in low or "read-only" in low:
        return StorageError(f"the database {target} is read-only here; nothing was saved")
    if "not a database" in low or "malformed" in low:
        return StorageError(f"{target} is not a deckfollow database or it is damaged ({msg})")
    if "password authentication failed" in low or "no password supplied" in low:
        return StorageError(f"cannot sign in to the database {target}: wrong user or password")
    if "unable to open" in low or "permission" in low:
        return StorageError(f"cannot open the database {target}: {msg}")
    if is_url(target) and _server_away(sqlstate, low):
        return ServerAwayError(
            f"the team server cannot be reached right now; {what}what you typed is kept "
            "here: save again once the server is back"
            if writing
            else f"cannot reach the database {target}: {msg}"
        )
    if sqlstate is None and ("connection" in low or "could not" in low):
        return StorageError(f"cannot reach the database {target}: {msg}")
    return StorageError(f"cannot use the database {target}: {msg}")


def _server_away(sqlstate: str | None, low: str) -> bool:
    """A lost or refused connection (or a server shutting down), not a refusal of the work."""
    if sqlstate is not None:
        # 08: connection exception; 57P01-3: shut down by the administrator, starting up.
        return sqlstate.startswith("08") or sqlstate in ("57P01", "57P02", "57P03")
    return any(
        said in low for said in ("connection", "could not", "server closed", "timeout", "refused")
    )


def current_revision(engine: Engine) -> str | None:
    """The stored schema revision, or None for an empty database (no Alembic import)."""
    with engine.connect() as conn:
        names = set(engine.dialect.get_table_names(conn))
        if "alembic_version" not in names:
            if names:
                raise StorageError(
                    f"{display_target(str(engine.url.database))} holds tables but is not a "
                    "deckfollow database"
                )
            return None
        row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        return row[0] if row else None


def _upgrade(engine: Engine, target: str, revision: str | None, kept: Path | None) -> None:
    """Migrate to the current schema; a failure leaves the database as it was (one transaction)."""
    from deckfollow.storage.migrate import upgrade_to_head

    try:
        upgrade_to_head(engine)
    except (OperationalError, DatabaseError) as exc:
        if "locked" in str(exc.orig) or "busy" in str(exc.orig):
            raise _describe(exc, display_target(target), writing=True) from exc
        raise _upgrade_failed(target, revision, kept, str(exc.orig)) from exc
    except Exception as exc:  # a migration script's own failure (bad old data, a bug)
        raise _upgrade_failed(target, revision, kept, str(exc) or type(exc).__name__) from exc


def _upgrade_failed(target: str, revision: str | None, kept: Path | None, why: str) -> StorageError:
    where = f"; a copy from before the upgrade is at {kept}" if kept is not None else ""
    why = hide_secrets(why, target)
    return StorageError(
        f"cannot upgrade {display_target(target)} from schema {revision or '(none)'} to "
        f"{schema.HEAD}: "
        f"{why.splitlines()[0] if why else 'unknown error'}; the database was left as it "
        f"was{where}"
    )


def _refuse_too_new(engine: Engine, shown: str, revision: str | None) -> None:
    if revision is None or revision in schema.REVISIONS:
        return
    who = upgraded_by(engine)
    ask = f"ask {who} to update deckfollow here" if who else "update deckfollow to open it"
    raise SchemaTooNewError(
        f"{shown} was upgraded by a newer version of deckfollow (schema {revision}); {ask}"
    )


def open_database(target: str, *, create: bool = True, migrate: bool = True) -> Database:
    """Open (and if allowed create) the database at `target`, migrated to the current schema.

    Raises StorageError with a user-readable message for a missing, unreadable, damaged,
    locked or too-new database.
    """
    path: Path | None = None
    shown = display_target(target)
    if is_url(target):
        engine = _server_engine(target)
    else:
        path = Path(target).expanduser()
        if path.is_dir():
            raise StorageError(f"{path} is a folder, not a database file")
        if not path.exists():
            if not create:
                raise StorageError(f"no deckfollow database at {path}")
            try:
                _create_owner_only(path)
            except OSError as exc:
                raise StorageError(f"cannot create the database {path}: {exc.strerror}") from exc
        elif not os.access(path, os.R_OK):
            raise StorageError(f"cannot read the database {path}: permission denied")
        elif not create and path.stat().st_size == 0:
            # SQLite would take an empty file for a new database and build one in it.
            raise StorageError(f"no deckfollow database at {path} (the file is empty)")
        engine = _sqlite_engine(path)
    try:
        revision = current_revision(engine)
        if revision != schema.HEAD:
            _refuse_too_new(engine, shown, revision)
            if not migrate:
                raise StorageError(f"{shown} needs a schema upgrade first")
            # On a shared server, one member upgrades; the others wait, then find it done.
            with migration_lock(engine):
                revision = current_revision(engine)
                _refuse_too_new(engine, shown, revision)
                if revision != schema.HEAD:
                    kept: Path | None = None
                    if path is not None and revision is not None:
                        kept = take_backup(path, f"pre-migrate-{revision}")
                    _upgrade(engine, target, revision, kept)
                    record_upgrade(engine)
    except (OperationalError, DatabaseError, sqlite3.DatabaseError) as exc:
        engine.dispose()
        raise _describe(exc, shown) from exc
    except StorageError:
        engine.dispose()
        raise
    sessions = sessionmaker(engine, expire_on_commit=False)
    # Every write names its member (core.members), whichever service made it.
    event.listen(sessions, "before_flush", stamp_members)
    database = Database(engine, sessions, target, path)
    if engine.dialect.name != "sqlite":
        announce_changes(sessions, database.origin)  # other members' windows see each commit
    return database
