"""Rotating backups: today's daily and this week's weekly copy, and what is kept.

Retention: the newest 7 daily, 5 weekly and 20 "before" backups are kept; pre-migration
backups are rare and kept for good. Days and ISO weeks are counted in UTC.
"""

from __future__ import annotations

import glob
import os
import shutil
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from deckfollow.core.errors import StorageError
from deckfollow.storage.backup import backup_dir_for, remove_with_sidecars
from deckfollow.storage.backup_catalogue import (
    KIND_BEFORE,
    KIND_DAILY,
    KIND_WEEKLY,
    BackupInfo,
    backup_destination,
    list_backups,
    take_backup,
)
from deckfollow.storage.integrity import quick_check

KEEP_DAILY = 7
KEEP_WEEKLY = 5
KEEP_BEFORE = 20


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
        dest = backup_destination(db_path, KIND_WEEKLY, now)
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
