"""Reminders fire once per due time: through restarts, sleep, clock and time-zone changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from deckfollow.core.consent import revoke_consent
from deckfollow.core.enums import ConsentChannel, FollowUpStatus
from deckfollow.core.follow_up_closing import close_follow_up
from deckfollow.core.models import FollowUp
from deckfollow.core.settings import save_setting
from deckfollow.reminders.check import NoticeKind, plan_notices, run_check
from deckfollow.reminders.scheduler import claim_due, next_due_at, pending_reminders
from deckfollow.reminders.snooze import snooze
from deckfollow.storage.database import Database, open_database

from .helpers import Clock, add_follow_up

SYD = ZoneInfo("Australia/Sydney")


def _syd(y: int, m: int, d: int, hh: int, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SYD).astimezone(UTC)


def _claim(db: Database, now: datetime) -> list[int]:
    with db.unit_of_work() as s:
        return [r.follow_up_id for r in claim_due(s, now).all]


def test_fires_at_its_due_time_and_never_again_after_a_restart(db_path: Path, now: datetime):
    clock = Clock(now)
    db = open_database(str(db_path))
    fid = add_follow_up(db, now, _syd(2026, 11, 23, 10), name="Jane Smith")
    assert _claim(db, clock()) == []
    with db.reading() as s:
        assert next_due_at(s, clock()) == _syd(2026, 11, 23, 10)
    clock.advance(hours=1)
    with db.unit_of_work() as s:
        batch = claim_due(s, clock())
    assert [r.follow_up_id for r in batch.on_time] == [fid]
    assert batch.missed == []
    assert batch.on_time[0].customer == "Jane Smith"
    db.close()

    # The app restarts a minute later: the database remembers the reminder was shown.
    db = open_database(str(db_path), create=False)
    clock.advance(minutes=1)
    assert _claim(db, clock()) == []
    clock.advance(days=3)
    assert _claim(db, clock()) == []
    with db.reading() as s:
        assert next_due_at(s, clock()) is None
    db.close()


def test_two_processes_checking_at_once_claim_a_reminder_only_once(db_path: Path, now: datetime):
    app = open_database(str(db_path))
    cron = open_database(str(db_path), create=False)
    add_follow_up(app, now, _syd(2026, 11, 23, 10))
    at = _syd(2026, 11, 23, 10, 1)
    with app.unit_of_work() as s1:
        first = claim_due(s1, at)
    with cron.unit_of_work() as s2:
        second = claim_due(s2, at)
    assert len(first.all) == 1
    assert second.all == []
    app.close()
    cron.close()


def test_sleep_brings_everything_missed_back_once_as_one_notice(db: Database, now: datetime):
    clock = Clock(now)
    ids = [
        add_follow_up(db, now, _syd(2026, 11, 23, h), name=f"Sleeper {h}", reason=f"Reason {h}")
        for h in (10, 11, 12)
    ]
    # Laptop lid closed at 09:00, opened at 15:00: one batch, all three, marked missed.
    clock.advance(hours=6)
    with db.unit_of_work() as s:
        result = run_check(s, clock())
    assert [r.follow_up_id for r in result.batch.missed] == ids
    catch_up = [n for n in result.notices if n.kind is NoticeKind.CATCH_UP]
    assert len(catch_up) == 1
    assert catch_up[0].summary == "While you were away: 3 follow-ups fell due"
    for h in (10, 11, 12):
        assert f"Call Sleeper {h} — Reason {h}" in catch_up[0].body
    assert not [n for n in result.notices if n.kind is NoticeKind.SINGLE]
    # Checking again (the wake signal and the timer both fire) shows nothing more.
    with db.unit_of_work() as s:
        assert not run_check(s, clock()).batch


def test_a_few_on_time_reminders_are_one_notice_each(db: Database, now: datetime):
    due = _syd(2026, 11, 23, 10)
    for name in ("Ann Lee", "Bo Diaz"):
        add_follow_up(db, now, due, name=name)
    with db.unit_of_work() as s:
        result = run_check(s, due + timedelta(seconds=30))
    singles = [n for n in result.notices if n.kind is NoticeKind.SINGLE]
    assert [n.summary for n in singles] == ["Call Ann Lee", "Call Bo Diaz"]
    assert "See if the deck quote works for them" in singles[0].body
    assert "Due Mon 23 Nov 10:00 (Australia/Sydney)" in singles[0].body
    assert "0412 0" in singles[0].body


def test_a_reminder_without_a_mobile_number_gives_the_office_number(db: Database, now: datetime):
    from deckfollow.core.models import Customer

    due = _syd(2026, 11, 23, 10)
    fid = add_follow_up(db, now, due, name="Office Olive")
    with db.unit_of_work() as s:
        fu = s.get(FollowUp, fid)
        assert fu is not None
        customer = s.get(Customer, fu.customer_id)
        assert customer is not None
        customer.phone_cell = None
        customer.phone_office = "+61298765432"
    with db.unit_of_work() as s:
        [notice] = run_check(s, due).notices[-1:]
    assert notice.summary == "Call Office Olive"
    assert "(02) 9876 5432" in notice.body


def test_snoozed_reminder_comes_back_once_when_the_snooze_ends(db: Database, now: datetime):
    clock = Clock(_syd(2026, 11, 23, 10))
    fid = add_follow_up(db, now, clock())
    assert _claim(db, clock()) == [fid]
    with db.unit_of_work() as s:
        landing = snooze(s, fid, clock() + timedelta(hours=1), now=clock())
    assert landing.lands_at == _syd(2026, 11, 23, 11)
    clock.advance(minutes=59)
    assert _claim(db, clock()) == []
    with db.reading() as s:
        assert next_due_at(s, clock()) == _syd(2026, 11, 23, 11)
    clock.advance(minutes=1)
    assert _claim(db, clock()) == [fid]
    clock.advance(hours=5)
    assert _claim(db, clock()) == []


def test_a_clock_set_back_and_forward_again_never_repeats(db: Database, now: datetime):
    due = _syd(2026, 11, 23, 10)
    fid = add_follow_up(db, now, due)
    # The machine's clock ran an hour fast; the reminder came at a wrong time ...
    assert _claim(db, due + timedelta(hours=1)) == [fid]
    # ... and is not shown again when the clock is corrected, nor when it passes again.
    for at in (due - timedelta(minutes=30), due, due + timedelta(hours=2)):
        assert _claim(db, at) == []


def test_a_snooze_after_the_clock_was_corrected_still_reminds_once(db: Database, now: datetime):
    due = _syd(2026, 11, 23, 10)
    fid = add_follow_up(db, now, due)
    # The machine's clock ran a day fast when the reminder came ...
    assert _claim(db, due + timedelta(days=1)) == [fid]
    # ... the clock is put right, and the owner snoozes the reminder for 15 minutes:
    clock = Clock(due + timedelta(minutes=5))
    with db.unit_of_work() as s:
        snooze(s, fid, clock() + timedelta(minutes=15), now=clock())
    with db.reading() as s:
        assert next_due_at(s, clock()) == due + timedelta(minutes=20)
    clock.advance(minutes=14)
    assert _claim(db, clock()) == []
    clock.advance(minutes=1)
    assert _claim(db, clock()) == [fid]  # it comes back, once
    clock.advance(days=2)
    assert _claim(db, clock()) == []


def test_time_zone_change_of_the_computer_moves_no_reminder(
    db: Database, now: datetime, monkeypatch
):
    due = _syd(2026, 11, 23, 10)
    fid = add_follow_up(db, now, due)
    monkeypatch.setenv("TZ", "America/Los_Angeles")
    with db.reading() as s:
        assert next_due_at(s, now) == due
    assert _claim(db, due - timedelta(seconds=1)) == []
    assert _claim(db, due) == [fid]
    monkeypatch.setenv("TZ", "Australia/Sydney")
    assert _claim(db, due + timedelta(minutes=5)) == []


def test_dst_change_reminds_at_the_agreed_wall_clock_time_once(db_path: Path):
    # Sydney's daylight saving ends 2027-04-04 03:00 -> 02:00; the call is Monday 10:00 after.
    before = _syd(2027, 4, 2, 9)
    db = open_database(str(db_path))
    due = _syd(2027, 4, 5, 10)
    assert due == datetime(2027, 4, 5, 0, 0, tzinfo=UTC)  # +10:00 again after the change
    fid = add_follow_up(db, before, due)
    with db.reading() as s:
        assert next_due_at(s, before) == due
    # A check every hour through the weekend, across the repeated 02:00-03:00 hour.
    at = before
    fired: list[tuple[datetime, list[int]]] = []
    while at <= due + timedelta(hours=2):
        got = _claim(db, at)
        if got:
            fired.append((at, got))
        at += timedelta(minutes=30)
    assert fired == [(due, [fid])]
    db.close()


def test_no_reminder_for_revoked_channels_done_work_or_do_not_contact(db: Database, now: datetime):
    due = _syd(2026, 11, 23, 10)
    keep = add_follow_up(db, now, due, name="Still Wanted")
    done = add_follow_up(db, now, due, name="Already Done")
    revoked = add_follow_up(db, now, due, name="No Calls Please")
    with db.unit_of_work() as s:
        close_follow_up(s, done, FollowUpStatus.DONE, now=now)
        fu = s.get(FollowUp, revoked)
        assert fu is not None
        revoke_consent(
            s,
            fu.customer_id,
            ConsentChannel.CALL,
            source="phone call",
            words="Don't ring me again",
            now=now,
        )
    with db.reading() as s:
        names = [r.customer for r in pending_reminders(s, due)]
    assert names == ["Still Wanted"]
    assert _claim(db, due) == [keep]


def test_a_flood_at_one_moment_is_one_notice(db: Database, now: datetime):
    due = _syd(2026, 11, 23, 10)
    for i in range(8):
        add_follow_up(db, now, due, name=f"Busy {i}")
    with db.unit_of_work() as s:
        result = run_check(s, due)
    # The morning digest was due too (07:30); it comes as its own notice.
    assert [n.kind for n in result.notices] == [NoticeKind.DIGEST, NoticeKind.GROUP]
    group = result.notices[1]
    assert group.summary == "8 follow-ups are due now"
    assert "…and 2 more in Today" in group.body
    assert len(group.follow_up_ids) == 8


def test_plan_notices_of_nothing_is_nothing(db: Database, now: datetime):
    with db.unit_of_work() as s:
        save_setting(s, "owner_timezone", "Australia/Sydney")
        result = run_check(s, now)
    assert not result.batch
    assert plan_notices(result.batch) == []


def test_a_reminder_is_late_exactly_when_today_calls_it_overdue(db: Database, now: datetime):
    """A reminder claimed twelve minutes after its time is a plain "due now" notice, as Today
    still shows it as due; sixteen minutes after, both call it overdue (the catch-up)."""
    from deckfollow.core.today import load_today

    due = _syd(2026, 11, 23, 10)
    add_follow_up(db, now, due, name="Ann Lee")
    add_follow_up(db, now, due - timedelta(minutes=4), name="Bo Diaz")
    at = due + timedelta(minutes=12)  # Ann 12 minutes after her time, Bo 16
    with db.reading() as s:
        today = {i.customer: i.overdue for i in load_today(s, now=at).items}
    assert today == {"Ann Lee": False, "Bo Diaz": True}
    with db.unit_of_work() as s:
        result = run_check(s, at)
    assert [r.customer for r in result.batch.on_time] == ["Ann Lee"]
    assert [r.customer for r in result.batch.missed] == ["Bo Diaz"]
    catch_up = [n for n in result.notices if n.kind is NoticeKind.CATCH_UP]
    assert catch_up and catch_up[0].summary == "While you were away: 2 follow-ups fell due"
