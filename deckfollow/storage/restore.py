"""Replacing a database's data with a backup's, keeping the current data first.

`restoring` does the storage half of a restore and hands the caller (the core's restore,
which re-applies rule 9) the moment in between: the replaced data is kept as a backup and
the restored data is prepared but not yet in place. Whatever the caller changes in the
prepared copy is what gets restored; if it raises, nothing changes.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import create_engine

from deckfollow.core.errors import StorageError
from deckfollow.storage import schema
from deckfollow.storage.backup import backup_sqlite, remove_with_sidecars
from deckfollow.storage.backup_catalogue import backup_destination, single_file
from deckfollow.storage.backup_rotation import prune
from deckfollow.storage.database import BUSY_TIMEOUT_MS, current_revision, open_database
from deckfollow.storage.engine_url import sqlite_url
from deckfollow.storage.integrity import check_integrity, quick_check
from deckfollow.storage.uri import sqlite_file_uri


@dataclass(frozen=True)
class RestoreSwap:
    """The moment in a restore between keeping the current data and putting the backup's
    in its place."""

    kept: Path | None  # the replaced data, kept as a backup (None: there was none)
    prepared: Path  # the backup's data at the current schema, restored when the block ends
    in_place: bool  # the live file keeps its place and takes the rows (False: it is replaced)


@contextmanager
def restoring(db_path: Path, backup_file: Path, *, now: datetime) -> Iterator[RestoreSwap]:
    """Replace the data in the database at `db_path` with `backup_file`'s, keeping the current
    data first.

    The backup is checked and a copy of it prepared (upgraded to the current schema). Then,
    inside one write transaction on the live database, so that no other program's write
    can land in between: the current data is backed up, the caller's block runs (the core
    carries every do-not-contact into the prepared copy, spec rule 9), and the rows of the
    copy replace the rows of the live database. Other programs keep the file open
    throughout; a command that tries to write meanwhile waits, or fails with "busy; nothing
    was saved", and whatever one committed before is in the kept backup. A crash at any
    point leaves either the old or the restored data.

    The caller keeps the app out (the instance lock, `acquire_instance_lock`); a damaged
    database, which no program can be using, is kept byte for byte and its file replaced.
    """
    backup_file = backup_file.expanduser()
    if not backup_file.is_file():
        raise StorageError(f"no backup file at {backup_file}")
    if db_path.exists() and backup_file.resolve() == db_path.resolve():
        raise StorageError("that file is the database itself, not a backup")
    report = check_integrity(backup_file, find_backup=False)
    if not report.ok:
        raise StorageError(f"{backup_file} cannot be restored: {report.problems[0]}")
    live = db_path.exists() and db_path.stat().st_size > 0
    sound = live and not quick_check(db_path, full=True)
    if sound:
        _bring_to_current_schema(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = db_path.with_name(f".{db_path.name}.restoring")
    try:
        remove_with_sidecars(tmp)
        backup_sqlite(backup_file, tmp)
        _upgrade_in_place(tmp)
        if sound:
            with _in_place(db_path, tmp, now) as swap:
                yield swap
        else:
            with _replacing_file(db_path, tmp, now, keep=live) as swap:
                yield swap
    finally:
        remove_with_sidecars(tmp)
    prune(db_path)


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _keep_damaged(db_path: Path, now: datetime) -> Path:
    """A raw copy of a database that cannot be backed up normally (it may be damaged)."""
    dest = backup_destination(db_path, "before-restore-damaged", now)
    dest.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    shutil.copyfile(db_path, dest)
    os.chmod(dest, 0o600)
    for suffix in ("-wal", "-shm"):
        side = Path(f"{db_path}{suffix}")
        if side.exists():
            shutil.copyfile(side, Path(f"{dest}{suffix}"))
            os.chmod(Path(f"{dest}{suffix}"), 0o600)
    return dest


def _upgrade_in_place(path: Path) -> None:
    """Bring a copy to the current schema without another pre-migration backup (its source
    file is still there)."""
    engine = create_engine(sqlite_url(path))
    try:
        if current_revision(engine) != schema.HEAD:
            from deckfollow.storage.migrate import upgrade_to_head

            upgrade_to_head(engine)
    finally:
        engine.dispose()


def _bring_to_current_schema(db_path: Path) -> None:
    """The live rows are replaced table by table, so the live schema must be the current one."""
    open_database(str(db_path), create=False).close()


@contextmanager
def _in_place(db_path: Path, prepared: Path, when: datetime) -> Iterator[RestoreSwap]:
    conn = sqlite3.connect(
        sqlite_file_uri(db_path),
        uri=True,
        isolation_level=None,
        timeout=BUSY_TIMEOUT_MS / 1000,
    )
    kept: Path | None = None
    try:
        conn.execute("PRAGMA foreign_keys = OFF")  # rows go in table by table; checked below
        try:
            conn.execute("BEGIN EXCLUSIVE")
        except sqlite3.OperationalError as exc:
            raise StorageError(
                f"the database {db_path} is busy: another program is writing to it; nothing "
                "was changed, try the restore again"
            ) from exc
        # Our write lock keeps every other writer out, so a reader on its own connection
        # sees the last committed data in full: that is the copy to keep.
        kept = single_file(
            backup_sqlite(db_path, backup_destination(db_path, "before-restore", when))
        )
        yield RestoreSwap(kept, prepared, in_place=True)
        _replace_rows(conn, prepared)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if kept is not None:
            remove_with_sidecars(kept)  # nothing changed: no "before restore" copy to list
        raise
    finally:
        conn.close()


def _columns(conn: sqlite3.Connection, schema_name: str, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f'PRAGMA {schema_name}.table_info("{table}")')]


def _replace_rows(conn: sqlite3.Connection, prepared: Path) -> None:
    """Inside the caller's transaction: make every table of the live database hold exactly
    the prepared copy's rows. Triggers that guard rows (the append-only consent ledger) are
    set aside for the swap and put back in the same transaction."""
    src = sqlite3.connect(sqlite_file_uri(prepared, mode="ro"), uri=True)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        src_tables = {
            r[0]
            for r in src.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        }
        if set(tables) != src_tables:
            raise StorageError("the backup's tables differ from this database's; nothing changed")
        triggers = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql IS NOT NULL"
        ).fetchall()
        for name, _sql in triggers:
            conn.execute(f'DROP TRIGGER "{name}"')
        has_sequence = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'"
        ).fetchone()
        for table in [*tables, *(["sqlite_sequence"] if has_sequence else [])]:
            conn.execute(f'DELETE FROM main."{table}"')
            if (
                table == "sqlite_sequence"
                and not src.execute(
                    "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'"
                ).fetchone()
            ):
                continue
            cols = _columns(src, "main", table)
            if table != "sqlite_sequence" and set(cols) != set(_columns(conn, "main", table)):
                raise StorageError(
                    f"the backup's {table} table differs from this database's; nothing changed"
                )
            names = ", ".join(f'"{c}"' for c in cols)
            marks = ", ".join("?" for _ in cols)
            conn.executemany(
                f'INSERT INTO main."{table}" ({names}) VALUES ({marks})',
                src.execute(f'SELECT {names} FROM "{table}"'),
            )
        for _name, sql in triggers:
            conn.execute(sql)
        if conn.execute("PRAGMA foreign_key_check").fetchone() is not None:
            raise StorageError("the backup's rows do not fit together; nothing changed")
    finally:
        src.close()


@contextmanager
def _replacing_file(
    db_path: Path, prepared: Path, when: datetime, *, keep: bool
) -> Iterator[RestoreSwap]:
    """Restore over a damaged (or missing, or empty) database file: keep it byte for byte,
    then rename the prepared copy into its place. No program can be using a damaged file
    (every one refuses it), so its log can be removed with it."""
    # A damaged file is kept byte for byte: a backup-API copy would quietly drop what
    # SQLite cannot read, and someone may yet recover more from the original.
    kept = _keep_damaged(db_path, when) if keep else None
    yield RestoreSwap(kept, prepared, in_place=False)
    fd = os.open(prepared, os.O_RDWR)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    os.replace(prepared, db_path)
    _fsync_dir(db_path.parent)
