"""Morning digest once a day at the owner's time; snoozes that respect allowed hours."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from deckfollow.core.enums import Basis, Channel
from deckfollow.core.errors import ValidationError
from deckfollow.core.settings import save_setting
from deckfollow.reminders.digest import claim_digest, next_digest_at, set_digest_time
from deckfollow.reminders.snooze import (
    SnoozeChoice,
    preview_snooze,
    requested_until,
    snooze,
    snooze_choice,
    snooze_many,
)
from deckfollow.storage.database import Database, open_database

from .helpers import add_follow_up

SYD = ZoneInfo("Australia/Sydney")
LA = ZoneInfo("America/Los_Angeles")


def _syd(y: int, m: int, d: int, hh: int, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SYD).astimezone(UTC)


def _digest_text(db: Database, at: datetime) -> str | None:
    with db.unit_of_work() as s:
        digest = claim_digest(s, at)
    return digest.text if digest is not None else None


@pytest.fixture
def owner_in_sydney(db: Database) -> Database:
    with db.unit_of_work() as s:
        save_setting(s, "owner_timezone", "Australia/Sydney")
        set_digest_time(s, time(7, 30))
    return db


def test_digest_counts_today_by_channel_once_a_day(owner_in_sydney: Database, now: datetime):
    db = owner_in_sydney
    day_before = now - timedelta(days=1)
    for channel, hh in [
        (Channel.CALL, 10),
        (Channel.CALL, 11),
        (Channel.CALL, 12),
        (Channel.CALL, 13),
        (Channel.TEXT, 14),
        (Channel.TEXT, 15),
        (Channel.CARD, 16),
    ]:
        add_follow_up(db, day_before, _syd(2026, 11, 24, hh), channel=channel)
    # Tuesday 07:29: not yet; 07:30: the digest; later the same morning: nothing more.
    assert _digest_text(db, _syd(2026, 11, 24, 7, 29)) is None
    assert _digest_text(db, _syd(2026, 11, 24, 7, 30)) == "Today: 4 calls, 2 texts, 1 card"
    assert _digest_text(db, _syd(2026, 11, 24, 7, 31)) is None
    assert _digest_text(db, _syd(2026, 11, 24, 18)) is None
    # Wednesday: everything from Tuesday is overdue now.
    assert (
        _digest_text(db, _syd(2026, 11, 25, 7, 30)) == "Today: 4 calls, 2 texts, 1 card (7 overdue)"
    )


def test_digest_after_a_restart_or_a_sleep_past_its_time(db_path: Path, now: datetime):
    db = open_database(str(db_path))
    with db.unit_of_work() as s:
        save_setting(s, "owner_timezone", "Australia/Sydney")
        set_digest_time(s, time(7, 30))
    # The computer was off at 07:30; it wakes at 10:15: the digest comes then, once.
    assert _digest_text(db, _syd(2026, 11, 24, 10, 15)) == "Today: nothing due."
    db.close()
    db = open_database(str(db_path), create=False)
    assert _digest_text(db, _syd(2026, 11, 24, 10, 16)) is None
    with db.reading() as s:
        assert next_digest_at(s, _syd(2026, 11, 24, 10, 16)) == _syd(2026, 11, 25, 7, 30)
    # Off for two days, back Friday at 06:00: no stale digest, Friday's at 07:30.
    assert _digest_text(db, _syd(2026, 11, 27, 6)) is None
    assert _digest_text(db, _syd(2026, 11, 27, 7, 30)) is not None
    db.close()


def test_digest_when_the_owner_flies_to_another_zone(owner_in_sydney: Database):
    db = owner_in_sydney
    assert _digest_text(db, _syd(2026, 11, 24, 7, 30)) is not None
    # Flying to Los Angeles: it is Monday 12:30 there, a day "before" — no second digest.
    with db.unit_of_work() as s:
        save_setting(s, "owner_timezone", "America/Los_Angeles")
    la_monday = datetime(2026, 11, 23, 12, 30, tzinfo=LA)
    assert _digest_text(db, la_monday.astimezone(UTC)) is None
    with db.reading() as s:
        wake = next_digest_at(s, la_monday.astimezone(UTC))
    assert wake == datetime(2026, 11, 24, 7, 30, tzinfo=LA).astimezone(UTC)
    assert _digest_text(db, datetime(2026, 11, 24, 7, 29, tzinfo=LA).astimezone(UTC)) is None
    assert _digest_text(db, datetime(2026, 11, 24, 7, 30, tzinfo=LA).astimezone(UTC)) is not None
    # Back home: Sydney's Thursday morning is a new day there; one digest, at 07:30.
    with db.unit_of_work() as s:
        save_setting(s, "owner_timezone", "Australia/Sydney")
    assert _digest_text(db, _syd(2026, 11, 26, 7, 0)) is None
    assert _digest_text(db, _syd(2026, 11, 26, 7, 30)) is not None
    assert _digest_text(db, _syd(2026, 11, 26, 9, 0)) is None


def test_digest_follows_the_computer_zone_when_none_was_chosen(db: Database, monkeypatch):
    with db.unit_of_work() as s:
        set_digest_time(s, time(7, 30))
    monkeypatch.setenv("TZ", "Europe/London")
    with db.reading() as s:
        wake = next_digest_at(s, datetime(2026, 11, 24, 1, 0, tzinfo=UTC))
    assert wake == datetime(2026, 11, 24, 7, 30, tzinfo=UTC)


def test_digest_on_the_dst_change_days(owner_in_sydney: Database):
    db = owner_in_sydney
    with db.unit_of_work() as s:
        set_digest_time(s, time(2, 30))
    # 2026-10-04: 02:00 jumps to 03:00 — 02:30 never happens; like a calendar, the digest
    # reads it with the offset before the jump: 03:30 daylight time, once.
    start = datetime(2026, 10, 3, 12, 0, tzinfo=UTC)
    assert _digest_text(db, start) is not None  # Saturday's, sent late that evening
    start += timedelta(minutes=15)
    sent = []
    at = start
    while at < start + timedelta(hours=24):
        if _digest_text(db, at) is not None:
            sent.append(at.astimezone(SYD).strftime("%d %H:%M %Z"))
        at += timedelta(minutes=15)
    assert sent == ["04 03:30 AEDT"]
    # 2027-04-04: 03:00 falls back to 02:00 — 02:30 happens twice; one digest only.
    start = datetime(2027, 4, 3, 12, 0, tzinfo=UTC)
    assert _digest_text(db, start) is not None
    start += timedelta(minutes=15)
    sent = []
    at = start
    while at < start + timedelta(hours=24):
        if _digest_text(db, at) is not None:
            sent.append(at.astimezone(SYD).strftime("%d %H:%M %Z"))
        at += timedelta(minutes=15)
    assert sent == ["04 02:30 AEDT"]


def test_digest_switched_off(owner_in_sydney: Database):
    with owner_in_sydney.unit_of_work() as s:
        set_digest_time(s, None)
    assert _digest_text(owner_in_sydney, _syd(2026, 11, 24, 9)) is None
    with owner_in_sydney.reading() as s:
        assert next_digest_at(s, _syd(2026, 11, 24, 9)) is None


def test_snooze_of_a_planned_call_never_lands_outside_allowed_hours(
    owner_in_sydney: Database, now: datetime
):
    db = owner_in_sydney
    # Friday 19:50 in Sydney; AU calls are allowed until 20:00 weekdays, Saturday 09:00-17:00.
    due = _syd(2026, 11, 27, 19, 50)
    fid = add_follow_up(db, now, due, name="Evening Eve")
    at = due + timedelta(minutes=1)
    with db.unit_of_work() as s:
        landing = snooze_choice(s, fid, SnoozeChoice.HOUR_1, now=at, owner_tz="Australia/Sydney")
    assert landing.requested == _syd(2026, 11, 27, 20, 51)
    assert landing.lands_at == _syd(2026, 11, 28, 9)
    assert landing.moved
    assert "Evening Eve may be contacted from Sat 28 Nov 09:00" in landing.note
    # 15 minutes stays inside the hours: lands exactly where asked.
    with db.unit_of_work() as s:
        landing = snooze(s, fid, _syd(2026, 11, 28, 10), now=at)
    assert landing.lands_at == _syd(2026, 11, 28, 10)
    assert not landing.moved


def test_tomorrow_morning_is_the_owner_morning_then_the_customer_hours(
    owner_in_sydney: Database, now: datetime
):
    db = owner_in_sydney
    assert requested_until(
        SnoozeChoice.TOMORROW_MORNING, now=now, owner_tz="Australia/Sydney", morning=time(7, 30)
    ) == _syd(2026, 11, 24, 7, 30)
    fid = add_follow_up(db, now, _syd(2026, 11, 23, 10))
    with db.unit_of_work() as s:
        landing = snooze_choice(
            s, fid, SnoozeChoice.TOMORROW_MORNING, now=now, owner_tz="Australia/Sydney"
        )
    # 07:30 is before a customer may be called (09:00): the reminder waits until then.
    assert landing.lands_at == _syd(2026, 11, 24, 9)
    # An email is not timed: tomorrow morning is just that.
    eid = add_follow_up(db, now, _syd(2026, 11, 23, 10), channel=Channel.EMAIL)
    with db.unit_of_work() as s:
        landing = snooze_choice(
            s, eid, SnoozeChoice.TOMORROW_MORNING, now=now, owner_tz="Australia/Sydney"
        )
    assert landing.lands_at == _syd(2026, 11, 24, 7, 30)


def test_agreed_call_keeps_its_agreed_window_but_not_beyond(
    owner_in_sydney: Database, now: datetime
):
    db = owner_in_sydney
    # The customer asked for Saturday 18:00-19:30 — outside default Saturday hours (to 17:00).
    start, end = _syd(2026, 11, 28, 18), _syd(2026, 11, 28, 19, 30)
    fid = add_follow_up(db, now, start, basis=Basis.AGREED, window_end=end)
    with db.reading() as s:
        inside = preview_snooze(s, fid, start + timedelta(minutes=15))
        beyond = preview_snooze(s, fid, end + timedelta(minutes=30))
    assert inside.lands_at == start + timedelta(minutes=15)
    # Past the agreed window it is an ordinary call again: Monday 09:00 (no calls on Sunday).
    assert beyond.lands_at == _syd(2026, 11, 30, 9)


def test_snooze_refuses_the_past_and_snooze_all_skips_closed(
    owner_in_sydney: Database, now: datetime
):
    db = owner_in_sydney
    a = add_follow_up(db, now, _syd(2026, 11, 23, 10))
    b = add_follow_up(db, now, _syd(2026, 11, 23, 10))
    with pytest.raises(ValidationError), db.unit_of_work() as s:
        snooze(s, a, now - timedelta(minutes=1), now=now)
    with db.unit_of_work() as s:
        landings = snooze_many(s, [a, b, 99999], now + timedelta(hours=2), now=now)
    assert [x.follow_up_id for x in landings] == [a, b]
