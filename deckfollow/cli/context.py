"""What every command gets: the chosen database, the clock and the output streams."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
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

    def open_db(self, *, create: bool = False) -> Database:
        """Open the database after its integrity check; commands that only read refuse to
        create an empty one. A damaged file is refused before anything could write to it."""
        # Imported here so `--version`, `--help` and the GUI's first paint skip SQLAlchemy.
        from deckfollow.storage.integrity import open_checked

        return open_checked(self.db_target, create=create)


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
