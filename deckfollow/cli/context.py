"""What every command gets: the chosen database, the clock and the output streams."""

from __future__ import annotations

import argparse
import sqlite3
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from deckfollow.core.errors import ValidationError
from deckfollow.storage.location import resolve_target

if TYPE_CHECKING:
    from deckfollow.storage.database import Database


@dataclass
class CliContext:
    db_target: str
    now: datetime
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)

    # A database file this command created, removed again if the command fails.
    created: Path | None = None

    def open_db(self, *, create: bool = False) -> Database:
        """Open the database after its cheap integrity check (header, schema, revision, and
        `quick_check` on a small file; the full check is `deckfollow check`'s and the app's
        start's); commands that only read refuse to create an empty one. A file whose damage
        the check sees is refused before anything could write to it."""
        # Imported here so `--version`, `--help` and the GUI's first paint skip SQLAlchemy.
        from deckfollow.storage.integrity import open_checked
        from deckfollow.storage.location import is_url

        path = None if is_url(self.db_target) else Path(self.db_target).expanduser()
        if create and path is not None and not path.exists():
            self.created = path
        return open_checked(self.db_target, create=create, full=False)

    def read_sqlite(self) -> sqlite3.Connection | None:
        """A read-only sqlite3 connection to the database file, after the same cheap check as
        `open_db`, for a command that reads without SQLAlchemy; None for a server database,
        a missing file or one that needs an upgrade (those go through `open_db`)."""
        from deckfollow.storage import schema
        from deckfollow.storage.integrity import (
            CorruptDatabaseError,
            check_integrity,
            connect_read_only,
        )
        from deckfollow.storage.location import is_url

        if is_url(self.db_target):
            return None
        path = Path(self.db_target).expanduser()
        if not path.is_file() or path.stat().st_size == 0:
            return None
        report = check_integrity(path, full=False)
        if report.damaged:
            raise CorruptDatabaseError(report)
        if report.revision != schema.HEAD:
            return None
        return connect_read_only(path)

    def discard_created(self) -> None:
        """Remove the database this failed command created: bad input leaves no file behind."""
        if self.created is None:
            return
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{self.created}{suffix}").unlink(missing_ok=True)
        self.created = None


def parse_now(text: str | None) -> datetime:
    """`--now` (ISO 8601, for scripts and tests) or the real current time, in UTC."""
    if not text:
        return datetime.now(UTC)
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ValidationError("--now", f"{text!r} is not an ISO 8601 date and time") from exc
    if value.tzinfo is None:
        raise ValidationError("--now", "give a UTC offset, e.g. 2026-11-22T09:00+11:00")
    return value.astimezone(UTC)


def make_context(args: argparse.Namespace) -> CliContext:
    return CliContext(db_target=resolve_target(args.db), now=parse_now(args.now))
