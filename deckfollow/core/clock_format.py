"""How the core writes a day or a time of day in a sentence a person reads.

Refusals, hints and notices are built in the core and shown beside the app's own text, so
they follow the same clock: the GUI sets the style once from the user's locale (12- or
24-hour, its "AM"/"PM" words, the day's order), and the command line from the owner's
country. Machine outputs (JSON, exports, ISO strings, logs) never come through here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from zoneinfo import ZoneInfo

# English names, not `strftime`'s: the same on every platform and under any C library locale.
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# Countries whose people read a 12-hour clock.
_TWELVE_HOUR = {
    "US": (" AM", " PM"),
    "CA": (" AM", " PM"),
    "AU": (" am", " pm"),
    "NZ": (" am", " pm"),
}


@dataclass(frozen=True)
class ClockStyle:
    """A locale's way of writing a time of day and a short date."""

    hour12: bool = False
    pad_hour: bool = True  # "09:00" (24-hour locales mostly pad; 12-hour ones do not)
    am: str = " AM"  # with the space before it, as the locale writes it
    pm: str = " PM"
    day_first: bool = True  # "Sat 28 Nov" rather than "Sat Nov 28"


def style_for_country(country: str | None) -> ClockStyle:
    """The style of the owner's country, for where no locale says otherwise (the command
    line): 12-hour in the United States, Canada, Australia and New Zealand, else 24-hour."""
    words = _TWELVE_HOUR.get((country or "").upper())
    if words is None:
        return ClockStyle()
    return ClockStyle(hour12=True, pad_hour=False, am=words[0], pm=words[1])


_STYLE: dict[str, ClockStyle] = {"style": ClockStyle()}


def set_clock_style(style: ClockStyle) -> None:
    """Write every time and day from now on in this style (one process shows one owner)."""
    _STYLE["style"] = style


def clock_style() -> ClockStyle:
    return _STYLE["style"]


def clock_text(moment: datetime | time) -> str:
    """A wall-clock time: "9:00 AM" or "09:00"."""
    style = clock_style()
    if not style.hour12:
        hour = f"{moment.hour:02d}" if style.pad_hour else str(moment.hour)
        return f"{hour}:{moment.minute:02d}"
    twelve = moment.hour % 12 or 12
    hour = f"{twelve:02d}" if style.pad_hour else str(twelve)
    return f"{hour}:{moment.minute:02d}{style.am if moment.hour < 12 else style.pm}"


def weekday_text(day: date | datetime) -> str:
    """ "Sat"."""
    return _WEEKDAYS[day.weekday()]


def day_month(day: date | datetime) -> str:
    """A day of the month: "28 Nov" (or "Nov 28")."""
    month = _MONTHS[day.month - 1]
    return f"{day.day} {month}" if clock_style().day_first else f"{month} {day.day}"


def day_text(day: date | datetime) -> str:
    """A day with its weekday: "Sat 28 Nov" (or "Sat Nov 28")."""
    return f"{weekday_text(day)} {day_month(day)}"


def day_time_text(moment: datetime) -> str:
    """A wall-clock moment with its day: "Sat 28 Nov 9:00 AM"."""
    return f"{day_text(moment)} {clock_text(moment)}"


def date_text(day: date | datetime) -> str:
    """A day with its year: "28 Nov 2026" (or "Nov 28, 2026")."""
    month = _MONTHS[day.month - 1]
    if clock_style().day_first:
        return f"{day.day} {month} {day.year}"
    return f"{month} {day.day}, {day.year}"


def weekday_date_text(day: date | datetime) -> str:
    """A day with its weekday and year: "Sat 28 Nov 2026"."""
    return f"{weekday_text(day)} {date_text(day)}"


def weekday_date_time_text(moment: datetime) -> str:
    """A wall-clock moment with its day and year: "Sat 28 Nov 2026 9:00 AM"."""
    return f"{weekday_date_text(moment)} {clock_text(moment)}"


def clocks_agree(moment: datetime, owner: str | tzinfo, theirs: str | tzinfo) -> bool:
    """Do the owner's clock and the customer's read the same time at `moment`?"""
    return (
        moment.astimezone(_zone(owner)).utcoffset() == moment.astimezone(_zone(theirs)).utcoffset()
    )


def both_clocks_text(
    moment: datetime, owner: str | tzinfo, theirs: str | tzinfo, *, year: bool = False
) -> str:
    """A moment on the owner's clock, with the customer's beside it where theirs reads
    another time: "Mon 7 Dec 12:00 pm · 9:00 am their time" ("· Sun 11:00 pm their time"
    when it is another day there; with `year`, "Mon 7 Dec 2026 12:00 pm …")."""
    mine = moment.astimezone(_zone(owner))
    there = moment.astimezone(_zone(theirs))
    text = weekday_date_time_text(mine) if year else day_time_text(mine)
    if mine.utcoffset() == there.utcoffset():
        return text
    if there.date() == mine.date():
        return f"{text} · {clock_text(there)} their time"
    return f"{text} · {weekday_text(there)} {clock_text(there)} their time"


def _zone(tz: str | tzinfo) -> tzinfo:
    return ZoneInfo(tz) if isinstance(tz, str) else tz


_RANGE = re.compile(r"\b([01]?\d|2[0-4]):([0-5]\d)\s*-\s*([01]?\d|2[0-4]):([0-5]\d)\b")


def hours_text(description: str) -> str:
    """Contact hours as the stored rule says them ("08:00-21:00 any day"), with each span
    in this clock: "8:00 AM–9:00 PM any day"."""

    def span(m: re.Match[str]) -> str:
        start = _at(int(m[1]), int(m[2]))
        end = _at(int(m[3]), int(m[4]))
        return f"{start}\N{EN DASH}{end}"

    return _RANGE.sub(span, description)


def _at(hour: int, minute: int) -> str:
    if hour == 24:  # "until 24:00" is midnight at the day's end
        return "midnight" if clock_style().hour12 else "24:00"
    return clock_text(time(hour, minute))
