"""What every command gets: the chosen database, the clock and the output streams."""

from __future__ import annotations

import argparse
import gc
import shlex
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
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

    # The database was named with --db (so a hint to start one names it too).
    db_given: bool = False
    # A database file this command created, removed again if the command fails.
    created: Path | None = None
    # Cycle collection is paused while the command loads its code (see `cli.main`).
    collect_after_load: bool = False

    def loaded(self) -> None:
        """The command's code is loaded (its database is open): collect cycles again, leaving
        out what was loaded, which lives until the command ends anyway."""
        if self.collect_after_load:
            self.collect_after_load = False
            gc.freeze()
            gc.enable()

    @contextmanager
    def database(self, *, create: bool = False, full: bool = False) -> Iterator[Database]:
        """The command's database, open for the `with` block and closed after it however
        the block ends (an error is then reported by `cli.main`, one line)."""
        db = self.open_db(create=create, full=full)
        try:
            yield db
        finally:
            db.close()

    def has_owner_country(self) -> bool:
        """Whether the database already holds the owner's country (False where there is none)."""
        from deckfollow.core.settings import stored_country

        path = Path(self.db_target).expanduser()
        if self.created is not None or (not path.exists() and "://" not in self.db_target):
            return False
        with self.database() as db, db.reading() as session:
            return stored_country(session) is not None

    def open_db(self, *, create: bool = False, full: bool = False) -> Database:
        """Open the database after its cheap integrity check (header, schema, revision, and
        `quick_check` on a small file; `full` runs the whole check, as `deckfollow check`,
        the backups and the app's start do); commands that only read refuse to create an
        empty one. A file whose damage the check sees is refused before anything could
        write to it. A file not there yet is bad input for a command that needs one (it
        names how to start), except for the full checks of backups, which stay strict.
        Commands use `database()`, which also closes it."""
        # Imported here so `--version`, `--help` and the GUI's first paint skip SQLAlchemy.
        from deckfollow.storage.integrity import open_checked
        from deckfollow.storage.location import is_url

        path = None if is_url(self.db_target) else Path(self.db_target).expanduser()
        if create and path is not None and not path.exists():
            self.created = path
        if not create and not full and path is not None and not path.exists():
            raise self.no_database_yet(path)
        db = open_checked(self.db_target, create=create, full=full)
        self.loaded()
        use_owner_clock(db)
        return db

    def no_database_yet(self, path: Path) -> ValidationError:
        """A new owner's first command on a database not made yet: one line saying how."""
        db = f"--db {shlex.quote(str(path))} " if self.db_given else ""
        return ValidationError(
            "--db",
            f"no deckfollow database at {path} yet — run `deckfollow {db}settings set "
            "business NAME` (or add a customer or lead), or start the app, to create it",
        )

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
        conn = connect_read_only(path)
        self.loaded()
        row = conn.execute("SELECT value FROM setting WHERE key = 'default_country'").fetchone()
        _use_country_clock(str(row[0]) if row is not None else None)
        return conn

    def discard_created(self) -> None:
        """Remove the database this failed command created: bad input leaves no file behind."""
        if self.created is None:
            return
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{self.created}{suffix}").unlink(missing_ok=True)
        self.created = None


def use_owner_clock(db: Database) -> None:
    """Write times in messages as the owner's country reads them ("9:00 AM" in the United
    States, "09:00" in the United Kingdom): a terminal has no locale's clock to follow."""
    from deckfollow.core.settings import load_settings

    with db.reading() as session:
        _use_country_clock(load_settings(session).default_country)


def _use_country_clock(country: str | None) -> None:
    from deckfollow.core.clock_format import set_clock_style, style_for_country
    from deckfollow.core.timezones import system_country

    set_clock_style(style_for_country(country or system_country()))


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
    return CliContext(
        db_target=resolve_target(args.db), now=parse_now(args.now), db_given=bool(args.db)
    )
