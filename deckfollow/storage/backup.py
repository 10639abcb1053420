"""Consistent copies of a SQLite database with the online backup API, verified by row counts."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from deckfollow.core.errors import StorageError
from deckfollow.storage.uri import sqlite_file_uri


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
    src = sqlite3.connect(sqlite_file_uri(source, mode="ro"), uri=True, isolation_level=None)
    try:
        src.execute("BEGIN")  # one snapshot for the counts and the copy
        _copy_verified(src, source, dest)
        src.execute("COMMIT")
    finally:
        src.close()
    return dest


def _copy_verified(src: sqlite3.Connection, source: Path, dest: Path) -> Path:
    """Write a verified copy of what `src` sees (inside its open transaction) to `dest`.

    Whatever fails (a full disk, damage, the copy not matching), nothing is left behind
    under `dest` or its temporary name.
    """
    dest.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # a new folder: owner only
    part = dest.with_name(f".{dest.name}.part")
    remove_with_sidecars(part)
    try:
        fd = os.open(part, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        os.close(fd)
        dst = sqlite3.connect(sqlite_file_uri(part), uri=True)
        try:
            expected = _row_counts(src)
            src.backup(dst)
            dst.commit()
            if _row_counts(dst) != expected:
                raise StorageError(f"backup of {source} to {dest} did not match the original")
            _verify_sound(dst, source)
        finally:
            dst.close()
        fd = os.open(part, os.O_RDWR)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(part, dest)
    except BaseException:
        remove_with_sidecars(part)
        raise
    return dest


def _verify_sound(copy: sqlite3.Connection, source: Path) -> None:
    """A copy is only called verified when SQLite's full integrity check passes on it: a
    damaged index is copied page for page and still gives the right row counts."""
    copy.text_factory = lambda raw: raw.decode("utf-8", errors="replace")
    rows = copy.execute("PRAGMA integrity_check(5)").fetchall()
    if [r[0] for r in rows] != ["ok"]:
        first = str(rows[0][0]).splitlines()[0]
        raise StorageError(f"{source} is damaged ({first}); it was not backed up")


def remove_with_sidecars(path: Path) -> None:
    """Delete a database file and the journal files SQLite may have left beside it."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def backup_dir_for(db_path: Path) -> Path:
    """Backups live beside the database, in a `backups` folder."""
    return db_path.parent / "backups"
