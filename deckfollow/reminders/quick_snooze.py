"""Snoozing from a reminder's own buttons or the tray: by a menu choice, one unit of work.

The GUI and a notification's "1 hour" button run these on the database thread and show
what they return; the `Changes` say that follow-ups moved, so every open view refreshes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from deckfollow.core.changes import Changes
from deckfollow.core.settings import load_settings
from deckfollow.reminders.digest import morning_time
from deckfollow.reminders.scheduler import due_now_ids
from deckfollow.reminders.snooze import SnoozeChoice, SnoozeLanding, requested_until, snooze_many


@dataclass(frozen=True)
class Snoozed:
    """The follow-ups a snooze moved, and where each landed."""

    landings: list[SnoozeLanding]
    changes: Changes = field(default_factory=lambda: Changes(follow_ups=True))


def snooze_by_choice(
    session: Session, follow_up_ids: Sequence[int], choice: SnoozeChoice, *, now: datetime
) -> Snoozed:
    """Snooze these follow-ups by a menu choice (15 min, 1 h, tomorrow morning); ones no
    longer pending are skipped."""
    owner_tz = load_settings(session).owner_timezone
    until = requested_until(choice, now=now, owner_tz=owner_tz, morning=morning_time(session))
    return Snoozed(snooze_many(session, follow_up_ids, until, now=now))


def snooze_all_due(session: Session, choice: SnoozeChoice, *, now: datetime) -> Snoozed:
    """Snooze everything due at `now` (the tray's "Snooze all due 1 hour")."""
    ids = due_now_ids(session, now)
    if not ids:
        return Snoozed([], Changes())
    return snooze_by_choice(session, ids, choice, now=now)
