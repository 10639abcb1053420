"""The backups beside a database, as the Backups page and the command line use them: what
is kept, back up now, delete one, restore one into the running app.

Each function works on whole files (SQLite's own backup, the restore's swap), so it takes
the open database rather than a session; the app runs it on its database thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from deckfollow.core.errors import StorageError
from deckfollow.core.restore import RestoreResult, restore_from
from deckfollow.core.unit_of_work import Store
from deckfollow.storage.backup import backup_dir_for
from deckfollow.storage.backup_catalogue import BackupInfo, list_backups, take_backup
from deckfollow.storage.backup_copies import backup_before, server_backup_hint
from deckfollow.storage.backup_rotation import (
    KEEP_DAILY,
    KEEP_WEEKLY,
    auto_backup,
    delete_backups,
    prune,
)
from deckfollow.storage.database import Database

__all__ = [
    "KEEP_DAILY",
    "KEEP_WEEKLY",
    "BackupInfo",
    "BackupShelf",
    "RestoreResult",
    "back_up_before",
    "back_up_now",
    "backups_due",
    "delete_backups_of",
    "read_shelf",
    "restore_into",
]


@dataclass(frozen=True)
class BackupShelf:
    """Where a database's backups are kept and which there are (newest first)."""

    folder: Path | None  # None for a shared server database: its server backs it up
    backups: tuple[BackupInfo, ...]
    server_hint: str = ""  # what to do instead, for a server database


def read_shelf(db: Store) -> BackupShelf:
    """The backups kept beside `db` (none for a server database, with what to do instead)."""
    if db.path is None:
        hint = (
            server_backup_hint(db)
            if isinstance(db, Database)
            else "This is a shared database: backups are made on its server by its administrator."
        )
        return BackupShelf(None, (), hint)
    return BackupShelf(backup_dir_for(db.path.absolute()), tuple(list_backups(db.path)))


def _file_of(db: Store) -> Path:
    if db.path is None:
        raise StorageError(read_shelf(db).server_hint)
    return db.path


def back_up_now(db: Store, *, now: datetime) -> Path:
    """A checked copy taken now (older copies beyond what is kept are pruned)."""
    path = take_backup(_file_of(db), "manual", now=now)
    prune(_file_of(db))
    return path


def back_up_before(db: Store, reason: str, *, now: datetime) -> Path | None:
    """A checked copy kept before a risky change (an import); None for a server database,
    whose server's own backups cover it."""
    if not isinstance(db, Database):
        raise TypeError(f"{db!r} is not an open database")
    return backup_before(db, reason, now=now)


def backups_due(db_path: Path, *, now: datetime) -> list[Path]:
    """Today's daily and this week's weekly copy, when not taken yet (the new files)."""
    return auto_backup(db_path, now=now)


def delete_backups_of(db: Store, paths: list[Path]) -> list[Path]:
    """Delete these backups of `db` (only its own backups are ever deleted)."""
    return delete_backups(_file_of(db), paths)


def restore_into(db: Store, backup_file: Path, *, now: datetime) -> RestoreResult:
    """Replace the open database's data with `backup_file` (rule 9 re-applied, the data
    replaced kept as a backup). Its connections close first; it reconnects on next use."""
    path = _file_of(db)
    if isinstance(db, Database):
        db.close()
    return restore_from(path, backup_file, now=now)
