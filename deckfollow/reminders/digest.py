"""The morning digest ("Today: 4 calls, 2 texts, 1 card"), once a day at the owner's time.

Sent at most once per local day of the owner: the last-sent date and instant live in the
database (settings), so a restart, a sleep across the digest time or a time-zone change never
sends it twice; a digest missed because the computer was off is sent when it comes back the
same day, and a stale one from an earlier day is skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from deckfollow.core.due import due_items
from deckfollow.core.enums import Channel
from deckfollow.core.errors import ValidationError
from deckfollow.core.settings import get_setting, load_settings, set_setting


def wall_to_utc(day: date, at: time, tz: ZoneInfo) -> datetime:
    """A wall-clock time on a day as UTC, the way calendars read it (RFC 5545 §3.3.5).

    A time skipped by a spring-forward jump is read with the offset before the jump, so
    02:30 on that night is 03:30; a time that happens twice is its first occurrence.
    """
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


DIGEST_TIME_KEY = "reminders.digest_time"
LAST_DATE_KEY = "reminders.digest_last_date"
LAST_AT_KEY = "reminders.digest_last_at"
DEFAULT_DIGEST_TIME = time(7, 30)
DEFAULT_MORNING = time(8, 0)

_NOUNS = {
    Channel.CALL: ("call", "calls"),
    Channel.TEXT: ("text", "texts"),
    Channel.EMAIL: ("email", "emails"),
    Channel.CARD: ("card", "cards"),
    Channel.VISIT: ("visit", "visits"),
    Channel.VIDEO: ("video", "videos"),
}


def parse_clock_time(text: str) -> time:
    """ "07:30" -> time(7, 30); a ValidationError for anything else."""
    try:
        hh, mm = text.strip().split(":")
        return time(int(hh), int(mm))
    except ValueError as exc:
        raise ValidationError("digest time", f"{text!r} is not a time like 07:30") from exc


def digest_time(session: Session) -> time | None:
    """The owner's digest time, or None when the digest is switched off."""
    raw = get_setting(session, DIGEST_TIME_KEY)
    if raw is None:
        return DEFAULT_DIGEST_TIME
    if raw == "off":
        return None
    return parse_clock_time(raw)


def set_digest_time(session: Session, at: time | None) -> None:
    """Choose the digest time (None switches the digest off)."""
    set_setting(session, DIGEST_TIME_KEY, "off" if at is None else f"{at:%H:%M}")


def morning_time(session: Session) -> time:
    """When "tomorrow morning" is: the digest time, or 08:00 without a digest."""
    return digest_time(session) or DEFAULT_MORNING


@dataclass(frozen=True)
class Digest:
    day: date
    counts: dict[Channel, int]
    overdue: int

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def text(self) -> str:
        if not self.total:
            return "Today: nothing due."
        parts = []
        for channel in Channel:
            n = self.counts.get(channel, 0)
            if n:
                one, many = _NOUNS[channel]
                parts.append(f"{n} {one if n == 1 else many}")
        tail = f" ({self.overdue} overdue)" if self.overdue else ""
        return "Today: " + ", ".join(parts) + tail


def build_digest(session: Session, now: datetime) -> Digest:
    """Today's counts by channel (what is due today plus everything overdue)."""
    owner_tz = load_settings(session).owner_timezone
    day = now.astimezone(ZoneInfo(owner_tz)).date()
    counts: dict[Channel, int] = {}
    overdue = 0
    for item in due_items(session, day=day, now=now, owner_tz=owner_tz):
        counts[item.channel] = counts.get(item.channel, 0) + 1
        overdue += item.overdue
    return Digest(day, counts, overdue)


def _last_sent_at(session: Session, now: datetime) -> datetime | None:
    raw = get_setting(session, LAST_AT_KEY)
    last_at = datetime.fromisoformat(raw).astimezone(UTC) if raw else None
    if last_at is not None and last_at > now + timedelta(days=2):
        # Only a clock that was far ahead can leave this; it must not block digests for long.
        return None
    return last_at


def next_digest_at(session: Session, now: datetime) -> datetime | None:
    """When the next digest is due (`now` or earlier means: send it now); None when off.

    Each local day has one digest moment; it is owed when no digest went out since that
    moment. Comparing instants (not dates) keeps this right when the owner's zone changes:
    flying west the new day's moment is still ahead; flying east a new day may begin sooner.
    """
    at = digest_time(session)
    if at is None:
        return None
    tz = ZoneInfo(load_settings(session).owner_timezone)
    day = now.astimezone(tz).date()
    last_at = _last_sent_at(session, now)
    when = wall_to_utc(day, at, tz)
    for _ in range(4):
        if last_at is None or last_at < when:
            break
        day += timedelta(days=1)
        when = wall_to_utc(day, at, tz)
    return when


def claim_digest(session: Session, now: datetime) -> Digest | None:
    """Today's digest if it is due now (and record it as sent), else None."""
    when = next_digest_at(session, now)
    if when is None or when > now:
        return None
    local_now = now.astimezone(ZoneInfo(load_settings(session).owner_timezone))
    digest = build_digest(session, now)
    set_setting(session, LAST_DATE_KEY, local_now.date().isoformat())
    set_setting(session, LAST_AT_KEY, now.astimezone(UTC).isoformat())
    return digest
