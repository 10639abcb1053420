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
    SQLite's backup API and then compares row counts table by table.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(dest, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    os.close(fd)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(dest)
    try:
        src.backup(dst)
        dst.commit()
        if _row_counts(src) != _row_counts(dst):
            raise StorageError(f"backup of {source} to {dest} did not match the original")
    finally:
        src.close()
        dst.close()
    return dest


def backup_dir_for(db_path: Path) -> Path:
    """Backups live beside the database, in a `backups` folder."""
    return db_path.parent / "backups"
