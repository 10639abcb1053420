"""Opening a deckfollow database: SQLite file (default) or a PostgreSQL URL.

`open_database` creates the file owner-only, sets SQLite's safety pragmas, checks the
schema revision cheaply and migrates (after a backup) only when needed.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DatabaseError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from deckfollow.core.errors import ConcurrentEditError, SchemaTooNewError, StorageError
from deckfollow.storage import schema
from deckfollow.storage.engine_url import database_url
from deckfollow.storage.location import is_url

BUSY_TIMEOUT_MS = 5000


@dataclass
class Database:
    """An open database: the engine, a session factory and where it lives."""

    engine: Engine
    sessions: sessionmaker[Session]
    target: str
    path: Path | None  # None for a server database

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """One transaction: commit on success, roll back on error, always close.

        A record changed by someone else since it was loaded (team mode) raises
        ConcurrentEditError instead of silently overwriting their change.
        """
        try:
            with self.sessions() as session, session.begin():
                yield session
        except StaleDataError as exc:
            raise ConcurrentEditError(
                "someone else changed this record while you were editing it; "
                "reload it and make your change again"
            ) from exc
        except IntegrityError:
            raise  # a rule the schema itself enforces is for the caller to explain
        except (OperationalError, DatabaseError) as exc:
            # Busy, full disk, read-only file, damage: one clear message; the transaction
            # was rolled back, so what was saved before is untouched.
            raise _describe(exc, self.target, writing=True) from exc

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A short read-only session (nothing it loads outlives it)."""
        try:
            with self.sessions() as session:
                yield session
        except IntegrityError:
            raise
        except (OperationalError, DatabaseError) as exc:
            raise _describe(exc, self.target) from exc

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def close(self) -> None:
        self.engine.dispose()


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode = WAL")
    # A revoked consent must survive a power cut: FULL costs ~0.15 ms per commit.
    cur.execute("PRAGMA synchronous = FULL")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.close()


def _create_owner_only(path: Path) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # a new folder: owner only
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)


def _sqlite_engine(path: Path) -> Engine:
    engine = create_engine(database_url(path))  # any folder name; read-only folders too
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _describe(exc: Exception, target: str, *, writing: bool = False) -> StorageError:
    msg = str(getattr(exc, "orig", exc))
    if "locked" in msg:
        what = "nothing was saved; " if writing else ""
        return StorageError(
            f"the database {target} is busy: another program is writing to it; {what}try again"
        )
    if "disk is full" in msg or "database or disk is full" in msg:
        return StorageError(f"the disk holding {target} is full; nothing was saved")
    if "readonly" in msg or "read-only" in msg:
        return StorageError(f"the database {target} is read-only here; nothing was saved")
    if "not a database" in msg or "malformed" in msg:
        return StorageError(f"{target} is not a deckfollow database or it is damaged ({msg})")
    if "unable to open" in msg or "readonly" in msg or "permission" in msg.lower():
        return StorageError(f"cannot open the database {target}: {msg}")
    return StorageError(f"cannot use the database {target}: {msg}")


def current_revision(engine: Engine) -> str | None:
    """The stored schema revision, or None for an empty database (no Alembic import)."""
    with engine.connect() as conn:
        names = set(engine.dialect.get_table_names(conn))
        if "alembic_version" not in names:
            if names:
                raise StorageError(
                    f"{engine.url.database} holds tables but is not a deckfollow database"
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
            raise _describe(exc, target, writing=True) from exc
        raise _upgrade_failed(target, revision, kept, str(exc.orig)) from exc
    except Exception as exc:  # a migration script's own failure (bad old data, a bug)
        raise _upgrade_failed(target, revision, kept, str(exc) or type(exc).__name__) from exc


def _upgrade_failed(target: str, revision: str | None, kept: Path | None, why: str) -> StorageError:
    where = f"; a copy from before the upgrade is at {kept}" if kept is not None else ""
    return StorageError(
        f"cannot upgrade {target} from schema {revision or '(none)'} to {schema.HEAD}: "
        f"{why.splitlines()[0] if why else 'unknown error'}; the database was left as it "
        f"was{where}"
    )


def open_database(target: str, *, create: bool = True, migrate: bool = True) -> Database:
    """Open (and if allowed create) the database at `target`, migrated to the current schema.

    Raises StorageError with a user-readable message for a missing, unreadable, damaged,
    locked or too-new database.
    """
    path: Path | None = None
    if is_url(target):
        engine = create_engine(target, pool_pre_ping=True)
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
            if revision is not None and revision not in schema.REVISIONS:
                raise SchemaTooNewError(
                    f"{target} was written by a newer version of deckfollow (schema "
                    f"{revision}); update deckfollow to open it"
                )
            if not migrate:
                raise StorageError(f"{target} needs a schema upgrade first")
            kept: Path | None = None
            if path is not None and revision is not None:
                from deckfollow.storage.backups import take_backup

                kept = take_backup(path, f"pre-migrate-{revision}")
            _upgrade(engine, target, revision, kept)
    except (OperationalError, DatabaseError, sqlite3.DatabaseError) as exc:
        engine.dispose()
        raise _describe(exc, target) from exc
    except StorageError:
        engine.dispose()
        raise
    sessions = sessionmaker(engine, expire_on_commit=False)
    return Database(engine, sessions, target, path)
