"""Follow-ups written to a calendar file the owner chose: one use case for the app's menus."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from deckfollow.core.errors import DeckfollowError
from deckfollow.reminders.ics import export_calendar, write_calendar_file


def export_calendar_to(session: Session, path: Path, *, now: datetime, days: int = 60) -> int:
    """Write pending follow-ups to `path` as a calendar; how many it holds. A file that
    cannot be written is refused with its name, and the database keeps nothing of it."""
    text, count = export_calendar(session, now=now, days=days)
    try:
        write_calendar_file(path, text)
    except OSError as exc:
        raise DeckfollowError(f"could not write {path}: {exc.strerror or exc}") from exc
    return count


def calendar_written(count: int, path: Path) -> str:
    """What to tell the owner once the file is written."""
    noun = "follow-up" if count == 1 else "follow-ups"
    return f"Wrote {count} {noun} to {path}. Import it again later to update the same events."
