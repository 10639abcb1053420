"""Automatic rotating backups, backups before risky changes, listing and restore.

Where: beside the database, in its `backups` folder (`backup_dir_for`), the same place the
pre-migration backups of `open_database` already go. Keeping them beside the file means a
database on a USB stick or a synced folder carries its own history, and a restore never
has to guess which backups belong to which database.

Names: `<stem>-<label>-<UTC YYYYmmddTHHMMSSZ>[-n].db`, where the label says the kind:
`daily`, `weekly`, `pre-migrate-<revision>` (taken by `open_database`), `before-<reason>`
(before an import, a restore, an erasure ...) and `manual`.

Retention: the newest 7 daily, 5 weekly and 20 "before" backups are kept; pre-migration
backups are rare and kept for good. Days and ISO weeks are counted in UTC.

A shared PostgreSQL database (team mode) is backed up by its server administrator
(`pg_dump`); these functions say so instead of failing.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from deckfollow.core.errors import StorageError
from deckfollow.storage.backup import (
    backup_dir_for,
    backup_sqlite,
    remove_with_sidecars,
)
from deckfollow.storage.uri import sqlite_file_uri

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from deckfollow.core.do_not_contact import DoNotContactMark
    from deckfollow.core.trash import EmptiedTrash, ErasedCustomer, PersonFingerprint
    from deckfollow.storage.database import Database

KEEP_DAILY = 7
KEEP_WEEKLY = 5
KEEP_BEFORE = 20

STAMP = "%Y%m%dT%H%M%SZ"

KIND_DAILY = "daily"
KIND_WEEKLY = "weekly"
KIND_MIGRATION = "migration"
KIND_BEFORE = "before"
KIND_MANUAL = "manual"

_KIND_LABELS = {
    KIND_DAILY: "Daily",
    KIND_WEEKLY: "Weekly",
    KIND_MIGRATION: "Before upgrade",
    KIND_BEFORE: "Before",
    KIND_MANUAL: "Manual",
}


@dataclass(frozen=True)
class BackupInfo:
    """One backup file: what kind, when it was taken, how big."""

    path: Path
    kind: str
    reason: str  # e.g. "import", "restore", "0001" for a migration; "" for daily/weekly
    taken_at: datetime
    size: int

    @property
    def description(self) -> str:
        label = _KIND_LABELS.get(self.kind, self.kind)
        if self.kind == KIND_MIGRATION:
            return f"{label} (schema {self.reason})"
        if self.kind == KIND_BEFORE:
            if self.reason.endswith("-damaged"):
                # The damaged file a restore replaced, kept byte for byte.
                return f"{label} {self.reason.removesuffix('-damaged').replace('-', ' ')} (damaged)"
            return f"{label} {self.reason.replace('-', ' ')}"
        return label

    @property
    def size_text(self) -> str:
        size = float(self.size)
        for unit in ("bytes", "KB", "MB", "GB"):
            if size < 1024 or unit == "GB":
                return f"{int(size)} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
            size /= 1024
        return f"{self.size} bytes"


def plural(n: int, word: str, many: str | None = None) -> str:
    """ "1 quote", "2 quotes"."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


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


def _pattern(stem: str) -> re.Pattern[str]:
    return re.compile(
        rf"^{re.escape(stem)}-(?P<label>.+)-(?P<stamp>\d{{8}}T\d{{6}}Z)(?:-(?P<n>\d+))?\.db$"
    )


def _parse_label(label: str) -> tuple[str, str]:
    if label in (KIND_DAILY, KIND_WEEKLY, KIND_MANUAL):
        return label, ""
    if label.startswith("pre-migrate-"):
        return KIND_MIGRATION, label.removeprefix("pre-migrate-")
    if label.startswith("before-"):
        return KIND_BEFORE, label.removeprefix("before-")
    return KIND_BEFORE, label


def list_backups(db_path: Path) -> list[BackupInfo]:
    """Every backup of `db_path` in its backups folder, newest first."""
    folder = backup_dir_for(db_path)
    if not folder.is_dir():
        return []
    pattern = _pattern(db_path.stem)
    found: list[tuple[BackupInfo, int]] = []
    for entry in folder.iterdir():
        m = pattern.match(entry.name)
        if m is None or not entry.is_file():
            continue
        kind, reason = _parse_label(m["label"])
        taken = datetime.strptime(m["stamp"], STAMP).replace(tzinfo=UTC)
        found.append(
            (BackupInfo(entry, kind, reason, taken, entry.stat().st_size), int(m["n"] or 0))
        )
    found.sort(key=lambda f: (f[0].taken_at, f[1]), reverse=True)
    return [f[0] for f in found]


def _destination(db_path: Path, label: str, now: datetime) -> Path:
    folder = backup_dir_for(db_path)
    base = f"{db_path.stem}-{label}-{now.astimezone(UTC).strftime(STAMP)}"
    dest = folder / f"{base}.db"
    n = 1
    while dest.exists():
        n += 1
        dest = folder / f"{base}-{n}.db"
    return dest


def _single_file(path: Path) -> Path:
    """Switch a fresh copy from WAL to a rollback journal, so it is one self-contained file
    that read-only checks and scans never have to create -wal/-shm files beside."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA journal_mode = DELETE")
    finally:
        conn.close()
    return path


def take_backup(db_path: Path, label: str, *, now: datetime | None = None) -> Path:
    """Back `db_path` up (backup API, verified by row counts) into its backups folder."""
    if not db_path.is_file():
        raise StorageError(f"no database at {db_path} to back up")
    when = now or datetime.now(UTC)
    dest = _destination(db_path, label, when)
    try:
        return _single_file(backup_sqlite(db_path, dest))
    except sqlite3.DatabaseError as exc:
        dest.unlink(missing_ok=True)
        raise StorageError(f"cannot back up {db_path}: {exc}") from exc
    except StorageError:
        dest.unlink(missing_ok=True)
        raise
    except OSError as exc:  # a read-only folder, a full disk: a sentence, not a traceback
        where = exc.filename or dest.parent
        raise StorageError(f"cannot back up {db_path}: {exc.strerror} ({where})") from exc


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
        return _single_file(backup_sqlite(db.path, out))
    except sqlite3.DatabaseError as exc:
        out.unlink(missing_ok=True)
        raise StorageError(f"cannot back up {db.path}: {exc}") from exc
    except OSError as exc:
        raise StorageError(f"cannot write {out}: {exc.strerror}") from exc


def _delete_oldest(backups: Iterable[BackupInfo], keep: int) -> list[Path]:
    removed = []
    for info in list(backups)[keep:]:
        remove_with_sidecars(info.path)
        removed.append(info.path)
    return removed


# A copy still being written by another process is younger than this.
STALE_PART_SECONDS = 3600


def _stale_parts(db_path: Path) -> list[Path]:
    """Copies cut short by a crash or a quit (never listed as backups, but they hold data)."""
    folder = backup_dir_for(db_path)
    if not folder.is_dir():
        return []
    cutoff = datetime.now(UTC).timestamp() - STALE_PART_SECONDS
    found = []
    for entry in folder.glob(f".{glob.escape(db_path.stem)}-*.db.part"):
        try:
            if entry.stat().st_mtime < cutoff:
                found.append(entry)
        except OSError:
            continue
    return found


def prune(db_path: Path) -> list[Path]:
    """Delete daily, weekly and before-change backups beyond what is kept, and copies a
    crash cut short; return what was deleted."""
    backups = list_backups(db_path)
    removed: list[Path] = []
    for part in _stale_parts(db_path):
        remove_with_sidecars(part)
        removed.append(part)
    for kind, keep in ((KIND_DAILY, KEEP_DAILY), (KIND_WEEKLY, KEEP_WEEKLY)):
        removed += _delete_oldest((b for b in backups if b.kind == kind), keep)
    removed += _delete_oldest((b for b in backups if b.kind == KIND_BEFORE), KEEP_BEFORE)
    return removed


def auto_backup(db_path: Path, *, now: datetime) -> list[Path]:
    """Take today's daily and this week's weekly backup if they are not there yet, then prune.

    Called at start (and may be called again at any time: it does nothing twice). A file
    that fails the quick integrity check is not backed up, so a damaged database never
    rotates the good backups away.
    """
    from deckfollow.storage.integrity import quick_check

    backups = list_backups(db_path)
    day = now.astimezone(UTC).date()
    week = day.isocalendar()[:2]
    need_daily = not any(b.kind == KIND_DAILY and b.taken_at.date() == day for b in backups)
    need_weekly = not any(
        b.kind == KIND_WEEKLY and b.taken_at.date().isocalendar()[:2] == week for b in backups
    )
    if not (need_daily or need_weekly):
        return []
    problems = quick_check(db_path)
    if problems:
        raise StorageError(
            f"{db_path} failed its integrity check, so no automatic backup was taken: {problems[0]}"
        )
    made: list[Path] = []
    if need_daily:
        made.append(take_backup(db_path, KIND_DAILY, now=now))
    if need_weekly:
        dest = _destination(db_path, KIND_WEEKLY, now)
        if made:
            # The daily copy was verified a moment ago; a second backup pass is not needed.
            part = dest.with_name(f".{dest.name}.part")
            try:
                shutil.copyfile(made[0], part)
                os.chmod(part, 0o600)
                os.replace(part, dest)  # never a half-copied file under a backup's name
            except OSError as exc:
                part.unlink(missing_ok=True)  # a full disk leaves no stray copy
                raise StorageError(f"cannot write the weekly backup: {exc.strerror}") from exc
            made.append(dest)
        else:
            made.append(take_backup(db_path, KIND_WEEKLY, now=now))
    prune(db_path)
    return made


def delete_backups(db_path: Path, paths: Iterable[Path]) -> list[Path]:
    """Delete these backups of `db_path` (e.g. the ones still holding an erased person).

    Only files that are backups of this database in its backups folder are deleted; any
    other path is refused, so a mistake can never remove the database or a stranger's file.
    """
    known = {b.path.resolve(): b.path for b in list_backups(db_path)}
    chosen = [Path(p) for p in paths]
    strangers = [p for p in chosen if p.resolve() not in known]
    if strangers:
        raise StorageError(f"{strangers[0]} is not one of the backups of {db_path.name}")
    deleted = []
    for path in chosen:
        try:
            remove_with_sidecars(path)
        except OSError as exc:
            raise StorageError(f"cannot delete {path}: {exc.strerror}") from exc
        deleted.append(path)
    return deleted


@dataclass(frozen=True)
class RestoreResult:
    """What a restore did: the file restored, and where the replaced database was kept."""

    restored_from: Path
    previous_kept_at: Path | None
    do_not_contact_reapplied: int = 0  # newer do-not-contacts carried into the restored file
    erased_again: int = 0  # erased people the older backup still held
    notes: tuple[str, ...] = ()


def _do_not_contact_now(db_path: Path) -> tuple[list[DoNotContactMark], set[str], str | None]:
    """A database's do-not-contacts and erased people's hashes (rule 9), read without
    writing anything to the file or beside it."""
    from sqlalchemy import create_engine, select
    from sqlalchemy.exc import SQLAlchemyError
    from sqlalchemy.orm import Session
    from sqlalchemy.pool import NullPool

    from deckfollow.core.do_not_contact import do_not_contact_marks
    from deckfollow.core.models import Suppression
    from deckfollow.storage.integrity import connect_read_only

    if not db_path.exists():
        return [], set(), None
    engine = create_engine(
        "sqlite://", creator=lambda: connect_read_only(db_path), poolclass=NullPool
    )
    try:
        with Session(engine) as s:
            marks = do_not_contact_marks(s)
            erased: set[str] = set()
            for email_hash, phone_hash in s.execute(
                select(Suppression.email_hash, Suppression.phone_hash)
            ):
                erased.update(h for h in (email_hash, phone_hash) if h)
        return marks, erased, None
    except (SQLAlchemyError, sqlite3.Error) as exc:
        return [], set(), f"do-not-contact marks could not be read from the replaced file: {exc}"
    finally:
        engine.dispose()


def _reapply_rule_9(
    db_path: Path, marks: list[DoNotContactMark], erased: set[str], now: datetime
) -> tuple[int, int]:
    """Carry do-not-contacts into the restored file; erase again whoever was erased since."""
    from sqlalchemy import select

    from deckfollow.core.contact_info import suppression_hash
    from deckfollow.core.do_not_contact import reapply_do_not_contact
    from deckfollow.core.models import Customer
    from deckfollow.core.trash import erase_customer
    from deckfollow.storage.database import open_database

    restored = open_database(str(db_path), create=False)
    try:
        with scrubbing(restored) as s:
            applied = reapply_do_not_contact(s, marks, now=now) if marks else 0
            again = []
            if erased:
                for cid, *values in s.execute(
                    select(
                        Customer.id,
                        Customer.email,
                        Customer.phone_cell,
                        Customer.phone_office,
                        Customer.phone_home,
                    )
                ):
                    if any(v and suppression_hash(v) in erased for v in values):
                        again.append(cid)
            for cid in again:
                erase_customer(s, cid, now=now, reason="erased again after a restore")
        if again:
            _scrub(restored)
    finally:
        restored.close()
    return applied, len(again)


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
    dest = _destination(db_path, "before-restore-damaged", now)
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
    from sqlalchemy import create_engine

    from deckfollow.storage import schema
    from deckfollow.storage.database import current_revision
    from deckfollow.storage.engine_url import sqlite_url

    engine = create_engine(sqlite_url(path))
    try:
        if current_revision(engine) != schema.HEAD:
            from deckfollow.storage.migrate import upgrade_to_head

            upgrade_to_head(engine)
    finally:
        engine.dispose()


def restore_from(db_path: Path, backup_file: Path, *, now: datetime | None = None) -> RestoreResult:
    """Replace the data in the database at `db_path` with `backup_file`, keeping the current
    data first.

    The backup is checked and a copy of it prepared (upgraded to the current schema). Then,
    inside one write transaction on the live database, so that no other program's write
    can land in between: the current data is backed up, every do-not-contact in it is
    carried into the prepared copy (spec rule 9), and the rows of the copy replace the
    rows of the live database. Other programs keep the file open throughout; a command
    that tries to write meanwhile waits, or fails with "busy; nothing was saved", and
    whatever one committed before is in the kept backup and, for do-not-contacts, in the
    restored data too. A crash at any point leaves either the old or the restored data.

    The caller keeps the app out (the instance lock, `acquire_instance_lock`); a damaged
    database, which no program can be using, is kept byte for byte and its file replaced.
    """
    from deckfollow.storage.integrity import check_integrity, quick_check

    when = now or datetime.now(UTC)
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
    kept: Path | None
    try:
        remove_with_sidecars(tmp)
        backup_sqlite(backup_file, tmp)
        _upgrade_in_place(tmp)
        if sound:
            kept, applied, again, notes = _restore_in_place(db_path, tmp, when)
        else:
            kept, applied, again, notes = _replace_file(db_path, tmp, when, keep=live)
    finally:
        remove_with_sidecars(tmp)
    prune(db_path)
    return RestoreResult(backup_file, kept, applied, again, notes)


def _bring_to_current_schema(db_path: Path) -> None:
    """The live rows are replaced table by table, so the live schema must be the current one."""
    from deckfollow.storage.database import open_database

    open_database(str(db_path), create=False).close()


def _restore_in_place(
    db_path: Path, prepared: Path, when: datetime
) -> tuple[Path, int, int, tuple[str, ...]]:
    from deckfollow.storage.database import BUSY_TIMEOUT_MS

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
        kept = _single_file(backup_sqlite(db_path, _destination(db_path, "before-restore", when)))
        marks, erased, note = _do_not_contact_now(kept)
        applied, again = _reapply_rule_9(prepared, marks, erased, when)
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
    if again:
        _checkpoint(db_path)  # the people erased again leave no bytes in the log
    return kept, applied, again, (note,) if note else ()


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


def _replace_file(
    db_path: Path, prepared: Path, when: datetime, *, keep: bool
) -> tuple[Path | None, int, int, tuple[str, ...]]:
    """Restore over a damaged (or missing, or empty) database file: keep it byte for byte,
    then rename the prepared copy into its place. No program can be using a damaged file
    (every one refuses it), so its log can be removed with it."""
    # A damaged file is kept byte for byte: a backup-API copy would quietly drop what
    # SQLite cannot read, and someone may yet recover more from the original.
    kept = _keep_damaged(db_path, when) if keep else None
    marks, erased, note = _do_not_contact_now(kept) if kept is not None else ([], set(), None)
    applied, again = _reapply_rule_9(prepared, marks, erased, when)
    fd = os.open(prepared, os.O_RDWR)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    os.replace(prepared, db_path)
    _fsync_dir(db_path.parent)
    return kept, applied, again, (note,) if note else ()


def _checkpoint(db_path: Path) -> None:
    from deckfollow.storage.database import open_database

    db = open_database(str(db_path), create=False, migrate=False)
    try:
        _scrub(db)
    finally:
        db.close()


# --- Erasure: scrub the live file, then say which backups still hold the person ---------


def _holds(path: Path, person: PersonFingerprint) -> bool:
    from deckfollow.core.contact_info import suppression_hash

    phones = set(person.phone_hashes)
    from deckfollow.storage.integrity import connect_read_only

    try:
        conn = connect_read_only(path)
    except sqlite3.Error:
        return False
    try:
        rows = conn.execute(
            "SELECT id, display_name, email, phone_cell, phone_office, phone_home FROM customer"
        )
        for cid, name, email, *numbers in rows:
            if cid == person.customer_id and name == person.name:
                return True
            if email and person.email_hash and suppression_hash(email) == person.email_hash:
                return True
            if any(n and suppression_hash(n) in phones for n in numbers):
                return True
    except sqlite3.Error:
        return False
    finally:
        conn.close()
    return False


def backups_holding(db_path: Path, person: PersonFingerprint) -> list[BackupInfo]:
    """The backups (read-only scan) that still hold this person by id and name, email or phone."""
    return [b for b in list_backups(db_path) if _holds(b.path, person)]


@dataclass(frozen=True)
class ErasureReport:
    """What erasing did, and where copies of the person remain."""

    erased: ErasedCustomer
    still_in_backups: list[BackupInfo]
    scrubbed: bool  # the live file no longer holds the old bytes (SQLite checkpoint done)

    def summary(self, *, full_paths: bool = True) -> str:
        e = self.erased
        lines = [
            f"{e.person.name} (customer {e.person.customer_id}) was erased: "
            f"{plural(e.quotes, 'quote')}, {plural(e.touches, 'touch', 'touches')}, "
            f"{plural(e.follow_ups, 'follow-up')} and "
            f"{plural(e.consent_events, 'consent entry', 'consent entries')} removed."
        ]
        if e.suppressed:
            lines.append(
                "They had asked not to be contacted: only a hash of their email and phone "
                "is kept, so they are not added again."
            )
        if self.still_in_backups:
            n = len(self.still_in_backups)
            lines.append(
                f"{plural(n, 'backup')} still {'holds' if n == 1 else 'hold'} them; they drop "
                "out as backups rotate, or delete these files now:"
            )
            lines += [
                f"  {b.path if full_paths else b.path.name} ({b.description}, "
                f"{b.taken_at:%Y-%m-%d})"
                for b in self.still_in_backups
            ]
        else:
            lines.append("No backup in the backups folder holds them.")
        lines.append("Copies saved elsewhere (your own backup copies, exports) are not checked.")
        if not self.scrubbed:
            lines.append(
                "Not finished: another program was reading the database the whole time, so "
                "their old details are still in its write-ahead log file. Close the other "
                "programs using it (a second deckfollow, a script), then run: "
                "deckfollow erase --wipe"
            )
        return "\n".join(lines)


# How long erasing waits for another program's read to end before the old bytes can go.
WIPE_PATIENCE_SECONDS = 20.0


def _scrub(db: Database, *, patience: float | None = None) -> bool:
    """Fold the write-ahead log into the file and empty it, so freed pages are gone.

    A program in the middle of a read (the app's own short reads, a script) keeps the old
    pages in the log until it finishes: SQLite waits for it, and this tries again until
    `patience` runs out. False when the old bytes could not be wiped yet.
    """
    from sqlalchemy import text

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


def erase_for_good(
    db: Database, customer_id: int, *, now: datetime, reason: str = "privacy request"
) -> ErasureReport:
    """Erase a customer (core.trash.erase_customer), scrub the file, list backups holding them.

    No backup is taken first: that would make one more copy of the person.
    """
    from deckfollow.core.trash import erase_customer

    with scrubbing(db) as session:
        erased = erase_customer(session, customer_id, now=now, reason=reason)
    scrubbed = _scrub(db) if db.is_sqlite else True
    holding = backups_holding(db.path, erased.person) if db.path is not None else []
    return ErasureReport(erased, holding, scrubbed)


def empty_trash_for_good(
    db: Database, *, now: datetime, older_than_days: int | None
) -> EmptiedTrash:
    """Empty the trash (core.trash.empty_trash) with the freed bytes overwritten."""
    from deckfollow.core.trash import empty_trash

    with scrubbing(db) as session:
        emptied = empty_trash(session, now=now, older_than_days=older_than_days)
    if db.is_sqlite and (emptied.customers or emptied.quotes):
        _scrub(db)
    return emptied
