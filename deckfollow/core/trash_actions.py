"""The trash's actions on the whole file, for the app: erase a customer for good, empty the
trash for good, and delete the backups that still hold someone erased.

They take the open database (the freed bytes are overwritten, backups are files); the app
runs them on its database thread.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from deckfollow.core.erasure import ErasureReport, empty_trash_for_good, erase_for_good
from deckfollow.core.errors import StorageError
from deckfollow.core.trash import EmptiedTrash
from deckfollow.core.unit_of_work import Store
from deckfollow.storage.backup_rotation import delete_backups
from deckfollow.storage.database import Database

__all__ = ["delete_backups_holding", "empty_for_good", "erase_customer_for_good"]


def _database(db: Store) -> Database:
    if not isinstance(db, Database):
        raise TypeError(f"{db!r} is not an open database")
    return db


def erase_customer_for_good(db: Store, customer_id: int, *, now: datetime) -> ErasureReport:
    """`core.erasure.erase_for_good` on the open database."""
    return erase_for_good(_database(db), customer_id, now=now)


def empty_for_good(db: Store, *, now: datetime, older_than_days: int | None) -> EmptiedTrash:
    """`core.erasure.empty_trash_for_good` on the open database."""
    return empty_trash_for_good(_database(db), now=now, older_than_days=older_than_days)


def delete_backups_holding(db: Store, paths: list[Path]) -> list[Path]:
    """Delete these backups of `db` (only its own backups are ever deleted)."""
    if db.path is None:
        raise StorageError("a shared server database keeps no backups on this computer")
    return delete_backups(db.path, paths)
