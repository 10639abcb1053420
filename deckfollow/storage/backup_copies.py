"""Backups taken on request: before a risky change, or to a place the user chose.

A shared PostgreSQL database (team mode) is backed up by its server administrator
(`pg_dump`); these functions say so instead of failing.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime
from pathlib import Path

from deckfollow.core.errors import StorageError
from deckfollow.storage.backup import backup_sqlite
from deckfollow.storage.backup_catalogue import single_file, take_backup
from deckfollow.storage.backup_rotation import prune
from deckfollow.storage.database import Database


def server_backup_hint(db: Database) -> str:
    """What to tell a team-mode user about backups (their server's admin makes them)."""
    name = db.engine.url.database or "deckfollow"
    return (
        "This is a shared PostgreSQL database: backups are made on the server by its "
        f"administrator, e.g. `pg_dump --format=custom --file={name}.dump {name}`; "
        "deckfollow does not copy a server database."
    )


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:40] or "change"


def backup_before(db: Database, reason: str, *, now: datetime | None = None) -> Path | None:
    """Back the database up before a risky change (import, restore, erase ...).

    Returns the backup file, or None for a shared server database (see `server_backup_hint`):
    the change may go ahead there, the server's own backups cover it.
    """
    if db.path is None:
        return None
    path = take_backup(db.path, f"before-{_slug(reason)}", now=now)
    prune(db.path)
    return path


def backup_to(db: Database, out: Path) -> Path:
    """A verified copy of the database at a place the user chose (never over the database)."""
    if db.path is None:
        raise StorageError(server_backup_hint(db))
    out = out.expanduser()
    if out.exists() and out.resolve() == db.path.resolve():
        raise StorageError("the backup file cannot be the database itself")
    if out.is_dir():
        raise StorageError(f"{out} is a folder; give a file name, e.g. {out / 'deckfollow.db'}")
    if out.exists():
        raise StorageError(f"{out} already exists; choose a new file name")
    try:
        return single_file(backup_sqlite(db.path, out))
    except sqlite3.DatabaseError as exc:
        out.unlink(missing_ok=True)
        raise StorageError(f"cannot back up {db.path}: {exc}") from exc
    except OSError as exc:
        raise StorageError(f"cannot write {out}: {exc.strerror}") from exc
