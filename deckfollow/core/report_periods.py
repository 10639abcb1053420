"""The periods a report covers: this month, the last 90 days, this financial year, or custom.

A period is a run of whole days in the owner's clock. Its instants (`starts`, `ends`) are
UTC; a period that reaches past the present ends at `now`, so "this month" means the month
so far.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from deckfollow.core.errors import ValidationError


class PeriodKind(StrEnum):
    THIS_MONTH = "this-month"
    LAST_90_DAYS = "last-90-days"
    FINANCIAL_YEAR = "financial-year"
    CUSTOM = "custom"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    PeriodKind.THIS_MONTH: "This month",
    PeriodKind.LAST_90_DAYS: "Last 90 days",
    PeriodKind.FINANCIAL_YEAR: "This financial year",
    PeriodKind.CUSTOM: "Custom",
}

# The month a financial year starts in, by the business's country (calendar year elsewhere).
_FY_START_MONTH = {"AU": 7, "NZ": 7, "GB": 4, "UK": 4}


def financial_year_start_month(country: str) -> int:
    """July in Australia and New Zealand, April in the UK, January elsewhere."""
    return _FY_START_MONTH.get(country.strip().upper(), 1)


@dataclass(frozen=True)
class Period:
    """Whole days `first`..`last` (inclusive) in `timezone`, as the owner sees them."""

    kind: PeriodKind
    first: date
    last: date
    timezone: str

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def starts(self) -> datetime:
        """The first instant of the period (local midnight of `first`, in UTC)."""
        return datetime.combine(self.first, time(), tzinfo=self.tz).astimezone(UTC)

    def ends(self, now: datetime) -> datetime:
        """The instant the period ends: local midnight after `last`, or `now` if sooner."""
        after = datetime.combine(self.last + timedelta(days=1), time(), tzinfo=self.tz)
        return min(after.astimezone(UTC), now.astimezone(UTC))

    @property
    def label(self) -> str:
        """ "1 Jul 2026 – 30 Jun 2027", for titles."""
        if self.first.year == self.last.year:
            return f"{day_month(self.first)} – {day_month(self.last)} {self.last.year}"
        return (
            f"{day_month(self.first)} {self.first.year} – {day_month(self.last)} {self.last.year}"
        )

    def month_starts(self) -> list[date]:
        """The first day of each calendar month the period touches."""
        months = []
        day = self.first.replace(day=1)
        while day <= self.last:
            months.append(day)
            day = (day + timedelta(days=32)).replace(day=1)
        return months


def day_month(day: date) -> str:
    """ "5 Dec": the day without a leading zero, on every platform (Windows has no %-d)."""
    return f"{day.day} {day:%b}"


def today_in(timezone: str, now: datetime) -> date:
    return now.astimezone(ZoneInfo(timezone)).date()


def this_month(timezone: str, now: datetime) -> Period:
    today = today_in(timezone, now)
    return Period(PeriodKind.THIS_MONTH, today.replace(day=1), today, timezone)


def last_90_days(timezone: str, now: datetime) -> Period:
    today = today_in(timezone, now)
    return Period(PeriodKind.LAST_90_DAYS, today - timedelta(days=89), today, timezone)


def financial_year(timezone: str, country: str, now: datetime) -> Period:
    """The financial year so far (it started on the 1st of its first month)."""
    today = today_in(timezone, now)
    month = financial_year_start_month(country)
    year = today.year if today.month >= month else today.year - 1
    return Period(PeriodKind.FINANCIAL_YEAR, date(year, month, 1), today, timezone)


def custom(first: date, last: date, timezone: str) -> Period:
    if last < first:
        raise ValidationError("to", f"{last.isoformat()} is before the start {first.isoformat()}")
    return Period(PeriodKind.CUSTOM, first, last, timezone)


def period_of(
    kind: PeriodKind,
    *,
    timezone: str,
    country: str,
    now: datetime,
    first: date | None = None,
    last: date | None = None,
) -> Period:
    """The period of a kind as of `now`; a custom one needs `first` and `last`."""
    match kind:
        case PeriodKind.THIS_MONTH:
            return this_month(timezone, now)
        case PeriodKind.LAST_90_DAYS:
            return last_90_days(timezone, now)
        case PeriodKind.FINANCIAL_YEAR:
            return financial_year(timezone, country, now)
        case PeriodKind.CUSTOM:
            if first is None or last is None:
                raise ValidationError("from", "a custom period needs a first and a last day")
            return custom(first, last, timezone)


def parse_day(text: str, field: str) -> date:
    """A YYYY-MM-DD day, or a ValidationError naming the field."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise ValidationError(field, f"{text!r} is not a date (use YYYY-MM-DD)") from exc
