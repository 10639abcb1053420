"""09:00 in the customer's zone stays 09:00 on the days daylight saving starts and ends."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from deckfollow.core.contact_snapshot import load_snapshot
from deckfollow.core.due import due_items
from deckfollow.core.enums import Channel
from deckfollow.core.followups import agreed_plan, schedule_follow_up
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.permission import find_slot
from deckfollow.storage.database import Database


def _transition_days(zone: str, year: int) -> list[date]:
    tz = ZoneInfo(zone)
    days = []
    d = date(year, 1, 1)
    while d.year == year:
        a = datetime.combine(d, time(0, 0), tz).utcoffset()
        b = datetime.combine(d, time(23, 59), tz).utcoffset()
        if a != b:
            days.append(d)
        d += timedelta(days=1)
    return days


CASES = [
    ("Australia/Sydney", "AU", date(2027, 4, 4), "ends"),
    ("Australia/Sydney", "AU", date(2027, 10, 3), "starts"),
    ("America/New_York", "US", date(2027, 3, 14), "starts"),
    ("America/New_York", "US", date(2027, 11, 7), "ends"),
    ("Europe/London", "GB", date(2027, 3, 28), "starts"),
    ("Europe/London", "GB", date(2027, 10, 31), "ends"),
]


def test_the_six_days_are_the_real_transitions():
    for zone in ("Australia/Sydney", "America/New_York", "Europe/London"):
        assert sorted(_transition_days(zone, 2027)) == sorted(
            d for z, _c, d, _k in CASES if z == zone
        )


@pytest.mark.parametrize(("zone", "country", "day", "kind"), CASES)
def test_an_agreed_nine_oclock_is_due_at_nine_local_on_a_dst_day(
    db: Database, now: datetime, zone: str, country: str, day: date, kind: str
):
    tz = ZoneInfo(zone)
    with db.unit_of_work() as s:
        lead = add_lead(
            s, NewLead("Ada Lovelace", country=country, timezone=zone, answered=True), now=now
        )
        plan = agreed_plan(
            day,
            time(9),
            time(10),
            zone,
            Channel.CALL,
            "Confirm the build starts Monday",
            "Call me Sunday at nine",
        )
        fu = schedule_follow_up(s, lead.customer_id, lead.quote_id, plan, now=now)
        stored, stored_tz = fu.due_at, fu.timezone
    assert stored.tzinfo is UTC and stored_tz == zone
    # The UTC instant uses the offset in force at 09:00 that day (after the change).
    after = datetime.combine(day, time(23, 0), tz).utcoffset()
    assert stored == datetime.combine(day, time(9), UTC) - after  # type: ignore[operator]
    with db.reading() as s:
        items = due_items(s, day=day, now=now, owner_tz=zone)
    assert [(i.due_at.date(), i.due_at.time()) for i in items] == [(day, time(9))]
    assert items[0].due_at.utcoffset() == after


@pytest.mark.parametrize(("zone", "country", "day", "kind"), CASES)
def test_a_planned_call_on_a_dst_day_lands_at_the_start_of_allowed_hours(
    db: Database, now: datetime, zone: str, country: str, day: date, kind: str
):
    tz = ZoneInfo(zone)
    with db.unit_of_work() as s:
        lead = add_lead(
            s, NewLead("Ada Lovelace", country=country, timezone=zone, answered=True), now=now
        )
        snap = load_snapshot(s, lead.customer_id)
    # From 01:30 local (inside or beside the jump) the first allowed instant is the opening
    # hour that same local day; Australia has no Sunday calls, so the Monday after, and in
    # October that Monday is Labour Day in New South Wales (a Sydney customer's state): the
    # Tuesday.
    early = datetime.combine(day, time(4), tz).astimezone(UTC) - timedelta(hours=2, minutes=30)
    slot = find_slot(snap, Channel.CALL, early)
    assert slot is not None
    local = slot.astimezone(tz)
    if country == "AU":
        after = 2 if kind == "starts" else 1
        assert (local.date(), local.time()) == (day + timedelta(days=after), time(9))
    else:
        assert (local.date(), local.time()) == (day, time(8))


def test_a_time_skipped_by_spring_forward_reads_as_calendars_read_it() -> None:
    from datetime import date, time
    from zoneinfo import ZoneInfo

    from deckfollow.core.contact_hours import local_to_utc

    sydney = ZoneInfo("Australia/Sydney")
    # Clocks went from 02:00 to 03:00 on Sunday 4 October 2026.
    at = local_to_utc(date(2026, 10, 4), time(2, 30), sydney)
    assert at.astimezone(sydney).strftime("%H:%M %Z") == "03:30 AEDT"
    # The repeated hour in April is its first pass (still daylight time).
    back = local_to_utc(date(2026, 4, 5), time(2, 30), sydney)
    assert back.astimezone(sydney).strftime("%H:%M %Z") == "02:30 AEDT"


@pytest.mark.parametrize(("zone", "country", "day", "kind"), CASES)
def test_seven_full_days_across_a_clock_change_free_up_at_the_same_wall_time(
    zone: str, country: str, day: date, kind: str
) -> None:
    """The cap counts any seven days on the customer's calendar: with two touches on the
    Tuesday and Wednesday before the clocks change, the next may go on the following
    Tuesday at the same local hour (167 or 169 hours later), never an hour off."""
    from deckfollow.core.permission import ContactSnapshot

    snap = ContactSnapshot(
        customer_id=1,
        name="Ada Lovelace",
        country=country,
        region=None,
        timezone=zone,
        contact_hours=None,
        do_not_contact=False,
    )
    tz = ZoneInfo(zone)
    monday = day - timedelta(days=day.weekday())
    full = [datetime.combine(monday + timedelta(days=n), time(10), tz) for n in (1, 2)]
    wanted = datetime.combine(monday + timedelta(days=3), time(10), tz)
    slot = find_slot(snap, Channel.EMAIL, wanted, full, cap=2)
    assert slot is not None
    assert slot.astimezone(tz) == datetime.combine(monday + timedelta(days=8), time(10), tz)
    assert slot - full[0] == timedelta(hours=169 if kind == "ends" else 167)
