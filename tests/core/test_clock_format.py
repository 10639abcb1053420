"""The core writes times in messages in the owner's clock style."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from deckfollow.core.clock_format import (
    ClockStyle,
    clock_text,
    date_text,
    day_time_text,
    hours_text,
    set_clock_style,
    style_for_country,
)


@pytest.mark.parametrize(
    ("country", "morning", "evening"),
    [
        ("US", "9:00 AM", "9:30 PM"),
        ("au", "9:00 am", "9:30 pm"),
        ("NZ", "9:00 am", "9:30 pm"),
        ("CA", "9:00 AM", "9:30 PM"),
        ("GB", "09:00", "21:30"),
        ("IE", "09:00", "21:30"),
        (None, "09:00", "21:30"),
    ],
)
def test_the_command_line_reads_the_owners_country_clock(
    country: str | None, morning: str, evening: str
) -> None:
    set_clock_style(style_for_country(country))
    assert clock_text(time(9)) == morning
    assert clock_text(datetime(2026, 12, 5, 21, 30)) == evening


def test_days_are_never_zero_padded_and_follow_the_day_order() -> None:
    set_clock_style(style_for_country("US"))
    moment = datetime(2026, 12, 5, 0, 5)
    assert day_time_text(moment) == "Sat 5 Dec 12:05 AM"
    assert date_text(date(2026, 12, 5)) == "5 Dec 2026"
    set_clock_style(ClockStyle(hour12=True, pad_hour=False, day_first=False))
    assert day_time_text(moment) == "Sat Dec 5 12:05 AM"
    assert date_text(moment) == "Dec 5, 2026"


def test_contact_hours_rules_read_in_the_owners_clock() -> None:
    set_clock_style(style_for_country("US"))
    assert hours_text("08:00-21:00 any day") == "8:00 AM–9:00 PM any day"
    assert (
        hours_text("weekdays 09:00-20:00, Saturday 09:00-17:00, not Sundays")
        == "weekdays 9:00 AM–8:00 PM, Saturday 9:00 AM–5:00 PM, not Sundays"
    )
    assert hours_text("Sat 12:00-24:00") == "Sat 12:00 PM–midnight"
    assert hours_text("any time") == "any time"
    set_clock_style(style_for_country("GB"))
    assert hours_text("8:00 - 21:00 any day") == "08:00–21:00 any day"
