"""The backups of a database file: where they live, what they are called, listing, taking.

Where: beside the database, in its `backups` folder (`backup_dir_for`), the same place the
pre-migration backups of `open_database` already go. Keeping them beside the file means a
database on a USB stick or a synced folder carries its own history, and a restore never
has to guess which backups belong to which database.

Names: `<stem>-<label>-<UTC YYYYmmddTHHMMSSZ>[-n].db`, where the label says the kind:
`daily`, `weekly`, `pre-migrate-<revision>` (taken by `open_database`), `before-<reason>`
(before an import, a restore, an erasure ...) and `manual`.

Rotation is `storage.backup_rotation`; copies on request `storage.backup_copies`; restoring
`storage.restore`.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from deckfollow.core.errors import StorageError
from deckfollow.storage.backup import backup_dir_for, backup_sqlite

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


def backup_destination(db_path: Path, label: str, now: datetime) -> Path:
    """A new backup file's name in the backups folder (never one already there)."""
    folder = backup_dir_for(db_path)
    base = f"{db_path.stem}-{label}-{now.astimezone(UTC).strftime(STAMP)}"
    dest = folder / f"{base}.db"
    n = 1
    while dest.exists():
        n += 1
        dest = folder / f"{base}-{n}.db"
    return dest


def single_file(path: Path) -> Path:
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
    dest = backup_destination(db_path, label, when)
    try:
        return single_file(backup_sqlite(db_path, dest))
    except sqlite3.DatabaseError as exc:
        dest.unlink(missing_ok=True)
        raise StorageError(f"cannot back up {db_path}: {exc}") from exc
    except StorageError:
        dest.unlink(missing_ok=True)
        raise
    except OSError as exc:  # a read-only folder, a full disk: a sentence, not a traceback
        where = exc.filename or dest.parent
        raise StorageError(f"cannot back up {db_path}: {exc.strerror} ({where})") from exc
