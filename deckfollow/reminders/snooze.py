"""Snoozing a reminder: later, never outside the customer's allowed hours.

The core decides where a planned call or text may land (`permission.snooze_target`). An
agreed follow-up keeps the customer's own window (they chose it, even outside their usual
hours); snoozed past that window it is treated like any other timed touch and lands inside
allowed hours too, so a snooze can never produce a call at a time nobody agreed to.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from deckfollow.core.clock_format import both_clocks_text
from deckfollow.core.contact_snapshot import load_snapshot
from deckfollow.core.enums import Basis, FollowUpStatus
from deckfollow.core.errors import ValidationError
from deckfollow.core.followups import get_follow_up
from deckfollow.core.models import FollowUp
from deckfollow.core.permission import snooze_target
from deckfollow.core.settings import load_settings
from deckfollow.reminders.digest import morning_time, wall_to_utc


class SnoozeChoice(StrEnum):
    MINUTES_15 = "15m"
    HOUR_1 = "1h"
    TOMORROW_MORNING = "tomorrow"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    SnoozeChoice.MINUTES_15: "15 minutes",
    SnoozeChoice.HOUR_1: "1 hour",
    SnoozeChoice.TOMORROW_MORNING: "Tomorrow morning",
}


def requested_until(
    choice: SnoozeChoice, *, now: datetime, owner_tz: str, morning: time
) -> datetime:
    """The instant a snooze choice asks for, before the customer's hours are applied."""
    if choice is SnoozeChoice.MINUTES_15:
        return now + timedelta(minutes=15)
    if choice is SnoozeChoice.HOUR_1:
        return now + timedelta(hours=1)
    tz = ZoneInfo(owner_tz)
    tomorrow: date = now.astimezone(tz).date() + timedelta(days=1)
    return wall_to_utc(tomorrow, morning, tz)


@dataclass(frozen=True)
class SnoozeLanding:
    """Where a snooze lands, and why if that is not where it was asked to."""

    follow_up_id: int
    requested: datetime
    lands_at: datetime
    timezone: str  # the customer's zone, to show the landing on their clock
    note: str

    @property
    def moved(self) -> bool:
        return self.lands_at != self.requested


def _landing(session: Session, fu: FollowUp, until: datetime) -> SnoozeLanding:
    snap = load_snapshot(session, fu.customer_id)
    target = snooze_target(snap, fu.channel, fu.basis, until)
    if fu.basis is Basis.AGREED and fu.channel.is_timed:
        in_agreed_window = fu.window_end is not None and fu.due_at <= until <= fu.window_end
        if not in_agreed_window and not snap.hours.allows(until):
            target = snap.hours.next_allowed(until, horizon_days=60) or until
    note = ""
    if target != until:
        # On the owner's clock, as the dialog's own "Reminds you …" beside it.
        when = both_clocks_text(target, load_settings(session).owner_timezone, snap.hours.tz)
        note = f"{snap.name} may be contacted from {when}, so the reminder comes then."
    return SnoozeLanding(fu.id, until, target, snap.timezone, note)


def preview_snooze(session: Session, follow_up_id: int, until: datetime) -> SnoozeLanding:
    """Where snoozing to `until` would land (nothing is changed)."""
    return _landing(session, get_follow_up(session, follow_up_id), until)


def snooze(session: Session, follow_up_id: int, until: datetime, *, now: datetime) -> SnoozeLanding:
    """Snooze a pending follow-up; it is reminded again once, when the snooze ends."""
    if until <= now:
        raise ValidationError("snooze until", "choose a time in the future")
    fu = get_follow_up(session, follow_up_id)
    if fu.status is not FollowUpStatus.PENDING:
        raise ValidationError("follow-up", "only a pending follow-up can be snoozed")
    landing = _landing(session, fu, until)
    # Moving the effective due time re-arms the reminder (FollowUp's rule in the core), so it
    # comes once more at the snooze's end, whatever a clock that ran fast stamped before.
    fu.snoozed_until = landing.lands_at
    session.flush()
    return landing


def snooze_many(
    session: Session, follow_up_ids: Iterable[int], until: datetime, *, now: datetime
) -> list[SnoozeLanding]:
    """Snooze several (Snooze all); ones no longer pending are skipped."""
    done: list[SnoozeLanding] = []
    for fid in follow_up_ids:
        fu = session.get(FollowUp, fid)
        if fu is None or fu.status is not FollowUpStatus.PENDING:
            continue
        done.append(snooze(session, fid, until, now=now))
    return done


def snooze_choice(
    session: Session, follow_up_id: int, choice: SnoozeChoice, *, now: datetime, owner_tz: str
) -> SnoozeLanding:
    """Snooze by one of the menu choices (15 min, 1 h, tomorrow morning)."""
    until = requested_until(choice, now=now, owner_tz=owner_tz, morning=morning_time(session))
    return snooze(session, follow_up_id, until, now=now)
