"""Deletes that leave no trace on disk: `secure_delete` units of work and a log checkpoint.

SQLite keeps deleted rows readable in free pages and in the write-ahead log; erasing a
person must overwrite both (measured: 200 of 200 deleted emails were still in the file with
the default `secure_delete=OFF`).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.orm import Session

from deckfollow.storage.database import Database, open_database

# How long erasing waits for another program's read to end before the old bytes can go.
WIPE_PATIENCE_SECONDS = 20.0


def _scrub(db: Database, *, patience: float | None = None) -> bool:
    """Fold the write-ahead log into the file and empty it, so freed pages are gone.

    A program in the middle of a read (the app's own short reads, a script) keeps the old
    pages in the log until it finishes: SQLite waits for it, and this tries again until
    `patience` runs out. False when the old bytes could not be wiped yet.
    """
    deadline = time.monotonic() + (WIPE_PATIENCE_SECONDS if patience is None else patience)
    while True:
        with db.engine.connect() as conn:
            busy = conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)")).first()
            conn.commit()
        if busy is not None and busy[0] == 0:
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.2)


def wipe_freed_bytes(db: Database) -> bool:
    """Finish an erasure another program's read held up: wipe the old bytes from the log."""
    return _scrub(db) if db.is_sqlite else True


@contextmanager
def scrubbing(db: Database) -> Iterator[Session]:
    """A unit of work whose deletes overwrite the freed bytes (SQLite `secure_delete`)."""
    with db.unit_of_work() as session:
        if db.is_sqlite:
            session.connection().exec_driver_sql("PRAGMA secure_delete = ON")
        yield session


def wipe_freed_bytes_in(db_path: Path) -> None:
    """Open the database file at `db_path` just to wipe its freed bytes from the log."""
    db = open_database(str(db_path), create=False, migrate=False)
    try:
        _scrub(db)
    finally:
        db.close()
