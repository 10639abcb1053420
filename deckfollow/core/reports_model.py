"""The report as plain frozen values, and its JSON form (`Report.as_json`).

Every figure the page, the PDF, the CSV and `deckfollow report --json` show comes from one
`Report`. Rates are Decimals with two places (None when there is nothing to count), money
is a Decimal per currency, medians are None when there are no values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from deckfollow.core.enums import Stage
from deckfollow.core.report_periods import Period
from deckfollow.core.reports_sql import ReportOptions

_HUNDREDTH = Decimal("0.01")


def rate(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    """part / whole to two places, half up; None when the whole is zero."""
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(_HUNDREDTH, rounding=ROUND_HALF_UP)


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _number(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _money(value: Decimal) -> str:
    return str(value.quantize(_HUNDREDTH))


@dataclass(frozen=True)
class WinGroup:
    """Win rate of one job type or lead source (key None: not recorded)."""

    key: str | None
    won: int
    decided: int

    @property
    def rate(self) -> Decimal | None:
        return rate(self.won, self.decided)


@dataclass(frozen=True)
class ValueRate:
    currency: str
    won: Decimal
    decided: Decimal

    @property
    def rate(self) -> Decimal | None:
        return rate(self.won, self.decided)


@dataclass(frozen=True)
class WinRate:
    sent_from: datetime
    sent_before: datetime
    won: int
    lost: int
    decided: int
    by_value: tuple[ValueRate, ...]
    by_job_type: tuple[WinGroup, ...]
    by_source: tuple[WinGroup, ...]
    reading: str

    @property
    def still_open(self) -> int:
        """Quotes in the cohort neither won nor lost by the end (open or parked)."""
        return self.decided - self.won - self.lost

    @property
    def rate(self) -> Decimal | None:
        return rate(self.won, self.decided)


@dataclass(frozen=True)
class TouchCounts:
    """How many quotes had 0, 1, … `top`, and more than `top` touches."""

    buckets: tuple[int, ...]
    median: Decimal | None

    @property
    def quotes(self) -> int:
        return sum(self.buckets)

    @property
    def top(self) -> int:
        return len(self.buckets) - 2

    def labels(self) -> list[str]:
        return [str(i) for i in range(self.top + 1)] + [f"{self.top + 1}+"]

    def between(self, low: int, high: int) -> int:
        """Quotes with `low` to `high` touches (`high` at most `top`)."""
        return sum(self.buckets[low : high + 1])


@dataclass(frozen=True)
class TouchesToClose:
    won: TouchCounts
    lost_no_reply: TouchCounts
    yardstick: tuple[int, int]
    reading_won: str
    reading_lost: str

    @property
    def within_yardstick(self) -> int:
        return self.won.between(*self.yardstick)

    @property
    def one_or_none(self) -> int:
        return self.lost_no_reply.between(0, 1)


@dataclass(frozen=True)
class SpeedWeek:
    starts: date
    leads: int
    answered: int
    median_minutes: Decimal | None


@dataclass(frozen=True)
class SpeedToLead:
    leads: int
    answered: int
    median_minutes: Decimal | None
    p90_minutes: Decimal | None
    within_5_min: int
    within_1_h: int
    within_1_day: int
    weeks: tuple[SpeedWeek, ...]
    reading: str

    @property
    def unanswered(self) -> int:
        return self.leads - self.answered


@dataclass(frozen=True)
class Discipline:
    """Follow-ups that fell due in the period, as they stand now."""

    on_time: int
    late: int
    late_median_hours: Decimal | None
    skipped: int
    lapsed: int
    overdue: int
    not_yet_due: int
    cancelled: int
    agreed_kept: int
    agreed_late: int
    agreed_missed: int
    reading: str

    @property
    def missed(self) -> int:
        return self.skipped + self.lapsed + self.overdue

    @property
    def due(self) -> int:
        return self.on_time + self.late + self.missed

    @property
    def agreed_due(self) -> int:
        return self.agreed_kept + self.agreed_late + self.agreed_missed


@dataclass(frozen=True)
class CountValue:
    count: int
    value: Decimal

    def as_json(self) -> dict[str, Any]:
        return {"count": self.count, "value": _money(self.value)}


@dataclass(frozen=True)
class Pipeline:
    """Open and parked quotes now, per stage and currency."""

    cells: dict[Stage, dict[str, CountValue]]
    reading: str

    def totals(self, stages: tuple[Stage, ...]) -> dict[str, CountValue]:
        out: dict[str, CountValue] = {}
        for stage in stages:
            for currency, cell in self.cells.get(stage, {}).items():
                had = out.get(currency, CountValue(0, Decimal("0.00")))
                out[currency] = CountValue(had.count + cell.count, had.value + cell.value)
        return dict(sorted(out.items()))


@dataclass(frozen=True)
class Month:
    month: date
    quoted: dict[str, CountValue]
    won: dict[str, CountValue]
    lost: dict[str, CountValue]


@dataclass(frozen=True)
class LostReason:
    reason: str
    count: int
    value: dict[str, Decimal]


@dataclass(frozen=True)
class LostReasons:
    total: int
    reasons: tuple[LostReason, ...]
    reading: str


@dataclass(frozen=True)
class StageSpan:
    quotes: int
    median_days: Decimal | None


@dataclass(frozen=True)
class TimeInStage:
    lead_to_quoted: StageSpan
    quoted_to_decided: StageSpan
    lead_to_decided: StageSpan
    reading: str


@dataclass(frozen=True)
class Report:
    business_name: str
    period: Period
    starts: datetime
    ends: datetime
    generated_at: datetime
    options: ReportOptions
    win_rate: WinRate
    touches_to_close: TouchesToClose
    speed_to_lead: SpeedToLead
    discipline: Discipline
    pipeline: Pipeline
    by_month: tuple[Month, ...]
    lost_reasons: LostReasons
    time_in_stage: TimeInStage
    by_month_reading: str = ""
    currencies: tuple[str, ...] = field(default=())
    member: str | None = None  # a member's sign-in when the report is theirs alone
    member_name: str = ""
    # The business's own currency: its dollars read "$", another's "US$" or "NZ$".
    home_currency: str = ""

    @property
    def title(self) -> str:
        whose = f" · {self.member_name or self.member}" if self.member else ""
        return f"{self.period.kind.label}: {self.period.label}{whose}"

    def readings(self) -> dict[str, str]:
        """Each figure's one-line reading, by the figure's JSON key."""
        return {
            "win_rate": self.win_rate.reading,
            "touches_to_close": self.touches_to_close.reading_won,
            "lost_no_reply": self.touches_to_close.reading_lost,
            "speed_to_lead": self.speed_to_lead.reading,
            "discipline": self.discipline.reading,
            "pipeline": self.pipeline.reading,
            "by_month": self.by_month_reading,
            "lost_reasons": self.lost_reasons.reading,
            "time_in_stage": self.time_in_stage.reading,
        }

    def as_json(self) -> dict[str, Any]:
        """The whole report as JSON-ready values (see docs/reports.md for each key)."""
        w, t, s, d = self.win_rate, self.touches_to_close, self.speed_to_lead, self.discipline
        return {
            "business": self.business_name,
            "period": {
                "kind": self.period.kind.value,
                "from": self.period.first.isoformat(),
                "to": self.period.last.isoformat(),
                "timezone": self.period.timezone,
                "starts": self.starts.isoformat(),
                "ends": self.ends.isoformat(),
            },
            "generated_at": self.generated_at.isoformat(),
            "member": (
                {"login": self.member, "name": self.member_name or self.member}
                if self.member
                else None
            ),
            "win_rate": {
                "sent_from": w.sent_from.isoformat(),
                "sent_before": w.sent_before.isoformat(),
                "count": {
                    "won": w.won,
                    "lost": w.lost,
                    "open": w.still_open,
                    "decided": w.decided,
                    "rate": _text(w.rate),
                },
                "value": {
                    v.currency: {
                        "won": _money(v.won),
                        "decided": _money(v.decided),
                        "rate": _text(v.rate),
                    }
                    for v in w.by_value
                },
                "by_job_type": [_group(g, "job_type") for g in w.by_job_type],
                "by_lead_source": [_group(g, "source") for g in w.by_source],
            },
            "touches_to_close": {
                "yardstick": list(t.yardstick),
                "won": {
                    **_touches(t.won),
                    "within_yardstick": t.within_yardstick,
                    "within_yardstick_share": _text(rate(t.within_yardstick, t.won.quotes)),
                },
                "lost_no_reply": {
                    **_touches(t.lost_no_reply),
                    "one_or_none": t.one_or_none,
                    "one_or_none_share": _text(rate(t.one_or_none, t.lost_no_reply.quotes)),
                },
            },
            "speed_to_lead": {
                "leads": s.leads,
                "answered": s.answered,
                "unanswered": s.unanswered,
                "median_minutes": _number(s.median_minutes),
                "p90_minutes": _number(s.p90_minutes),
                "within_5_min": _text(rate(s.within_5_min, s.leads)),
                "within_1_h": _text(rate(s.within_1_h, s.leads)),
                "within_1_day": _text(rate(s.within_1_day, s.leads)),
                "by_week": [
                    {
                        "week_starting": wk.starts.isoformat(),
                        "leads": wk.leads,
                        "answered": wk.answered,
                        "median_minutes": _number(wk.median_minutes),
                    }
                    for wk in s.weeks
                ],
            },
            "discipline": {
                "due": d.due,
                "on_time": d.on_time,
                "late": d.late,
                "late_median_hours": _number(d.late_median_hours),
                "missed": d.missed,
                "skipped": d.skipped,
                "lapsed": d.lapsed,
                "overdue": d.overdue,
                "not_yet_due": d.not_yet_due,
                "cancelled": d.cancelled,
                "agreed_due": d.agreed_due,
                "agreed_kept": d.agreed_kept,
                "agreed_late": d.agreed_late,
                "agreed_missed": d.agreed_missed,
            },
            "pipeline": {
                stage.value: {
                    cur: cell.as_json() for cur, cell in self.pipeline.cells[stage].items()
                }
                for stage in self.pipeline.cells
            },
            "by_month": [
                {
                    "month": m.month.strftime("%Y-%m"),
                    "quoted": {c: v.as_json() for c, v in m.quoted.items()},
                    "won": {c: v.as_json() for c, v in m.won.items()},
                    "lost": {c: v.as_json() for c, v in m.lost.items()},
                }
                for m in self.by_month
            ],
            "lost_reasons": [
                {
                    "reason": r.reason,
                    "count": r.count,
                    "share": _text(rate(r.count, self.lost_reasons.total)),
                    "value": {c: _money(v) for c, v in r.value.items()},
                }
                for r in self.lost_reasons.reasons
            ],
            "time_in_stage": {
                name: {"quotes": span.quotes, "median_days": _number(span.median_days)}
                for name, span in (
                    ("lead_to_quoted", self.time_in_stage.lead_to_quoted),
                    ("quoted_to_decided", self.time_in_stage.quoted_to_decided),
                    ("lead_to_decided", self.time_in_stage.lead_to_decided),
                )
            },
            "options": {
                "win_rate_sent_days_before_end": [
                    self.options.win_min_age_days,
                    self.options.win_max_age_days,
                ],
                "on_time_grace_hours": self.options.on_time_grace_hours,
            },
            "readings": self.readings(),
        }


def _group(g: WinGroup, name: str) -> dict[str, Any]:
    return {name: g.key, "won": g.won, "decided": g.decided, "rate": _text(g.rate)}


def _touches(counts: TouchCounts) -> dict[str, Any]:
    return {
        "quotes": counts.quotes,
        "median": _number(counts.median),
        "histogram": dict(zip(counts.labels(), counts.buckets, strict=True)),
    }
