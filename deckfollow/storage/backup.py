"""Consistent copies of a SQLite database with the online backup API, verified by row counts."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from deckfollow.core.errors import StorageError


def _row_counts(conn: sqlite3.Connection) -> dict[str, int]:
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def backup_sqlite(source: Path, dest: Path) -> Path:
    """Copy `source` to `dest` (owner-only) including rows still in the WAL; verify the copy.

    A plain file copy misses committed rows that sit in the write-ahead log, so this uses
    SQLite's backup API and then compares row counts table by table. The counts and the
    copy come from one read transaction, so the app writing meanwhile cannot make a good
    copy look wrong. The copy is written under a temporary name and renamed into place
    once verified: a copy cut short (the app quit, the power went) is never taken for a
    backup.
    """
    dest.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # a new folder: owner only
    part = dest.with_name(f".{dest.name}.part")
    remove_with_sidecars(part)
    fd = os.open(part, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    os.close(fd)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, isolation_level=None)
    dst = sqlite3.connect(part)
    try:
        src.execute("BEGIN")  # one snapshot for the counts and the copy
        expected = _row_counts(src)
        src.backup(dst)
        dst.commit()
        if _row_counts(dst) != expected:
            raise StorageError(f"backup of {source} to {dest} did not match the original")
        src.execute("COMMIT")
    except BaseException:
        src.close()
        dst.close()
        remove_with_sidecars(part)
        raise
    src.close()
    dst.close()
    with open(part, "rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(part, dest)
    return dest


def remove_with_sidecars(path: Path) -> None:
    """Delete a database file and the journal files SQLite may have left beside it."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def backup_dir_for(db_path: Path) -> Path:
    """Backups live beside the database, in a `backups` folder."""
    return db_path.parent / "backups"
