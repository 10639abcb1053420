"""The VTIMEZONE we write gives the same offsets as the tz database, read by another parser."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from deckfollow.reminders.ics import vtimezone

ZONES = [
    "Australia/Sydney",  # southern hemisphere DST
    "Australia/Brisbane",  # no DST
    "Australia/Adelaide",  # half-hour offset with DST
    "Australia/Lord_Howe",  # a half-hour DST shift
    "America/New_York",
    "Europe/London",
    "Pacific/Auckland",
    "Asia/Kolkata",
]


@pytest.mark.parametrize("name", ZONES)
def test_vtimezone_offsets_match_the_tz_database(name: str):
    start = datetime(2026, 11, 1, tzinfo=UTC)
    end = datetime(2028, 6, 1, tzinfo=UTC)
    text = "\r\n".join(vtimezone(name, start, end)) + "\r\n"
    component = icalendar.Timezone.from_ical(text)
    assert isinstance(component, icalendar.Timezone)
    theirs = component.to_tz(lookup_tzid=False)
    ours = ZoneInfo(name)
    at = start
    checked = 0
    while at < end:
        # Wall-clock 09:30 on that day (never inside a DST gap or overlap).
        local = at.astimezone(ours).replace(hour=9, minute=30, second=0, microsecond=0)
        wall = local.replace(tzinfo=None)
        assert wall.replace(tzinfo=theirs).utcoffset() == wall.replace(tzinfo=ours).utcoffset(), (
            name,
            wall,
        )
        checked += 1
        at += timedelta(days=3, hours=5)
    assert checked > 150
