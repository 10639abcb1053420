"""When a customer may be called or texted: country defaults, their own stricter wishes.

Everything here works on the customer's *local* wall-clock time in their IANA zone, so a
rule like "09:00-20:00" holds across daylight-saving changes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from deckfollow.core.errors import ValidationError
from deckfollow.core.regions import country_regions, region_code, region_zones, states_of_zone

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Interval = tuple[time, time]
_END_OF_DAY = time(23, 59, 59)


@dataclass(frozen=True)
class WeeklyHours:
    """Allowed intervals per weekday (0 = Monday), optionally closed on public holidays."""

    days: tuple[tuple[Interval, ...], ...]
    closed_on_holidays: bool = False
    description: str = ""

    def intervals_on(self, day: date, is_holiday: Callable[[date], bool]) -> tuple[Interval, ...]:
        if self.closed_on_holidays and is_holiday(day):
            return ()
        return self.days[day.weekday()]

    def intersect(self, other: WeeklyHours) -> WeeklyHours:
        """The hours allowed by both (a customer's wish can only make hours stricter)."""
        days = tuple(_intersect_intervals(a, b) for a, b in zip(self.days, other.days, strict=True))
        desc = "; ".join(d for d in (self.description, other.description) if d)
        return WeeklyHours(days, self.closed_on_holidays or other.closed_on_holidays, desc)


def _intersect_intervals(a: Iterable[Interval], b: Iterable[Interval]) -> tuple[Interval, ...]:
    out: list[Interval] = []
    for s1, e1 in a:
        for s2, e2 in b:
            s, e = max(s1, s2), min(e1, e2)
            if s < e:
                out.append((s, e))
    return tuple(sorted(out))


def _every_day(start: time, end: time) -> tuple[tuple[Interval, ...], ...]:
    return tuple(((start, end),) for _ in range(7))


US_DEFAULT = WeeklyHours(_every_day(time(8), time(21)), description="08:00-21:00 any day")
AU_DEFAULT = WeeklyHours(
    tuple([((time(9), time(20)),)] * 5 + [((time(9), time(17)),), ()]),
    closed_on_holidays=True,
    description="weekdays 09:00-20:00, Saturday 09:00-17:00, not Sundays or public holidays",
)
OTHER_DEFAULT = WeeklyHours(_every_day(time(8), time(21)), description="08:00-21:00 any day")


def country_default(country: str) -> WeeklyHours:
    """The default allowed hours for a customer's country (spec rule 3)."""
    code = (country or "").upper()
    if code == "US":
        return US_DEFAULT
    if code == "AU":
        return AU_DEFAULT
    return OTHER_DEFAULT


_PRESETS: dict[str, str] = {
    "evenings only": "any 17:00-21:00",
    "mornings only": "any 08:00-12:00",
    "afternoons only": "any 12:00-17:00",
    "daytime only": "any 09:00-17:00",
    "weekdays only": "mon-fri 00:00-24:00",
    "weekends only": "sat-sun 00:00-24:00",
}
_CLAUSE = re.compile(
    r"^(?P<days>[a-z,\- ]+?)\s+(?P<start>\d{1,2}:\d{2})\s*-\s*(?P<end>\d{1,2}:\d{2})$"
)


def _parse_days(text: str) -> set[int]:
    text = text.strip()
    if text in ("any", "daily", "every day", "all"):
        return set(range(7))
    if text == "weekdays":
        return set(range(5))
    if text == "weekends":
        return {5, 6}
    out: set[int] = set()
    for part in text.split(","):
        part = part.strip()
        if "-" in part:
            a, b = (p.strip()[:3] for p in part.split("-", 1))
            if a not in DAY_NAMES or b not in DAY_NAMES:
                raise ValueError(part)
            i, j = DAY_NAMES.index(a), DAY_NAMES.index(b)
            out.update(range(i, j + 1) if i <= j else [*range(i, 7), *range(0, j + 1)])
        else:
            name = part[:3]
            if name not in DAY_NAMES:
                raise ValueError(part)
            out.add(DAY_NAMES.index(name))
    return out


def _parse_time(text: str) -> time:
    h, m = (int(x) for x in text.split(":"))
    if h == 24 and m == 0:
        return _END_OF_DAY
    return time(h, m)


def parse_rule(rule: str) -> WeeklyHours:
    """Parse a customer's wish: "evenings only", "not mon", "mon-fri 17:00-20:30; sat 10:00-12:00".

    Clauses are joined by ';'. Time clauses say when contact is welcome; "not …" clauses
    take whole days away. Raises ValidationError(field="contact hours") with the bad clause.
    """
    allowed: list[list[Interval]] = [[] for _ in range(7)]
    any_window = False
    excluded: set[int] = set()
    for raw in rule.lower().split(";"):
        clause = _PRESETS.get(raw.strip(), raw.strip())
        if not clause:
            continue
        try:
            if clause.startswith("not "):
                excluded |= _parse_days(clause[4:])
                continue
            m = _CLAUSE.match(clause)
            if not m:
                raise ValueError(clause)
            start, end = _parse_time(m["start"]), _parse_time(m["end"])
            if start >= end:
                raise ValueError(clause)
            for d in _parse_days(m["days"]):
                allowed[d].append((start, end))
            any_window = True
        except ValueError as exc:
            raise ValidationError(
                "contact hours",
                f"cannot read {raw.strip()!r}; write e.g. 'evenings only', 'not mon' "
                "or 'mon-fri 17:00-20:00'",
            ) from exc
    if not any_window:
        allowed = [[(time(0), _END_OF_DAY)] for _ in range(7)]
    days = tuple(() if i in excluded else tuple(sorted(allowed[i])) for i in range(7))
    return WeeklyHours(days, description=rule.strip())


@lru_cache(maxsize=128)
def _holiday_set(country: str, regions: tuple[str, ...]) -> Callable[[date], bool]:
    """Public holidays of the country, of any of `regions` (all national ones when empty)."""
    import holidays

    calendars = []
    for region in regions or (None,):
        try:
            calendars.append(holidays.country_holidays(country, subdiv=region))
        except NotImplementedError:
            try:
                calendars.append(holidays.country_holidays(country))
            except NotImplementedError:
                continue
    if not calendars:
        return lambda _d: False
    return lambda d: any(d in cal for cal in calendars)


def holiday_region(country: str, region: str | None, timezone: str | None = None) -> str | None:
    """The subdivision code whose public holidays apply, from the state however it is written
    ("N.S.W.", "Qld.", "new south wales") or, with no state, from a zone only one state keeps."""
    regions = holiday_regions(country, region, timezone)
    return regions[0] if len(regions) == 1 else None


def holiday_regions(country: str, region: str | None, timezone: str | None) -> tuple[str, ...]:
    """The states whose public holidays may apply: the customer's own, or with their state
    unknown every state of their zone (Sydney: NSW and the ACT), or of the whole country."""
    code = region_code(country, region)
    if code is not None:
        return (code,)
    text = (region or "").strip()
    if text and not country_regions(country):
        # A country whose states are not listed here: passed on as written (the holidays
        # package knows its codes, and ignores what it does not).
        return (text.upper(),)
    if (country or "").upper() != "AU":
        return ()
    return states_of_zone(country, timezone) or country_regions(country)


def load_holiday_calendars() -> None:
    """Load the holidays package and every country's calendar module now (about 0.3 s of
    Python), so the first question whether a day is a holiday (Today's first look at a
    follow-up, the reminders' first check) does not pay for it."""
    import holidays.countries  # noqa: F401


def holiday_checker(
    country: str, region: str | None = None, timezone: str | None = None
) -> Callable[[date], bool]:
    """A predicate telling whether a date is a public holiday where the customer may live.

    The calendars are read on the first question: the holidays package loads every
    country's module, which a command that only shows a customer's hours never needs.
    """
    found: list[Callable[[date], bool]] = []

    def is_holiday(day: date) -> bool:
        if not found:
            regions = holiday_regions(country, region, timezone)
            found.append(_holiday_set((country or "").upper(), regions))
        return found[0](day)

    return is_holiday


def zone(name: str) -> ZoneInfo:
    """The IANA zone, or a ValidationError naming the field."""
    try:
        if len(name) > 64:  # the column's length; no IANA name comes near it
            raise ValueError(name)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise ValidationError("time zone", f"{name!r} is not a known IANA time zone") from exc


def local_to_utc(day: date, at: time, tz: ZoneInfo) -> datetime:
    """A local wall-clock time as UTC.

    A time skipped by a spring-forward jump reads as calendars read it: shifted by the jump
    (02:30 on the night clocks go from 02:00 to 03:00 is 03:30). A repeated autumn time is
    its first occurrence.
    """
    # fold=0 takes the offset in force before the transition, which does exactly that.
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


@dataclass(frozen=True)
class AllowedHours:
    """The effective hours for one customer, with their zone and holidays."""

    hours: WeeklyHours
    tz: ZoneInfo
    is_holiday: Callable[[date], bool] = field(default=lambda _d: False)
    # Other zones the customer may be in (their state spans several and nothing told which):
    # the hours must hold in every one of them.
    also: tuple[ZoneInfo, ...] = ()

    def _allows_in(self, when: datetime, tz: ZoneInfo) -> bool:
        local = when.astimezone(tz)
        t = local.time().replace(tzinfo=None)
        return any(s <= t < e for s, e in self.hours.intervals_on(local.date(), self.is_holiday))

    def allows(self, when: datetime) -> bool:
        return all(self._allows_in(when, tz) for tz in (self.tz, *self.also))

    def next_allowed(self, when: datetime, horizon_days: int = 21) -> datetime | None:
        """The earliest allowed instant at or after `when`, or None within the horizon."""
        if self.allows(when):
            return when
        # Where allowed stretches of several zones overlap, each overlap begins where one
        # zone's stretch begins: the earliest such start that every zone allows wins.
        candidates: set[datetime] = set()
        for tz in (self.tz, *self.also):
            local = when.astimezone(tz)
            for offset in range(horizon_days + 1):
                day = local.date() + timedelta(days=offset)
                for start, end in self.hours.intervals_on(day, self.is_holiday):
                    if local_to_utc(day, end, tz) <= when:
                        continue
                    candidate = max(local_to_utc(day, start, tz), when)
                    if not self.also and self.allows(candidate):
                        return candidate  # one zone: the first in time order is the answer
                    candidates.add(candidate)
        return next((c for c in sorted(candidates) if self.allows(c)), None)


def allowed_hours_for(
    country: str, region: str | None, timezone: str, rule: str | None
) -> AllowedHours:
    """Country default intersected with the customer's own (stricter) rule.

    A customer in a state spanning several zones who still has its main zone (nothing told
    which part they live in) gets the strictest hours across the state's zones.
    """
    hours = country_default(country)
    if rule:
        hours = hours.intersect(parse_rule(rule))
    zones = region_zones(country, region_code(country, region))
    also = tuple(zone(z) for z in zones[1:]) if zones[:1] == (timezone,) else ()
    return AllowedHours(hours, zone(timezone), holiday_checker(country, region, timezone), also)
