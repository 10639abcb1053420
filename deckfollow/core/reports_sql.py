"""The SQL pieces every report figure is built from, shared by the figures and by the
"quotes behind this figure" look-up, so both always select the same quotes.

Works on SQLite and PostgreSQL alike: time differences are whole seconds computed by the
database (`seconds_between`); medians come from the distribution of values the database
groups (`spread`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Integer,
    and_,
    bindparam,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    true,
    type_coerce,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from deckfollow.core.columns import UTCDateTime
from deckfollow.core.enums import Direction, Stage
from deckfollow.core.models import FollowUp, Quote, Touch

# Words in a lost reason that mean the customer simply stopped answering.
NO_REPLY_WORDS = (
    "no reply",
    "no response",
    "never replied",
    "didn't reply",
    "did not reply",
    "no answer",
    "went quiet",
    "unanswered",
    "ghosted",
)
PIPELINE_STAGES = (Stage.LEAD, Stage.QUOTED, Stage.FOLLOWING_UP, Stage.PARKED)
DECIDED_STAGES = (Stage.WON, Stage.LOST)


@dataclass(frozen=True)
class ReportOptions:
    """What the owner can tune; the defaults are the ones `docs/reports.md` describes."""

    # Win rate counts quotes sent between `win_max_age` and `win_min_age` days before the end.
    win_min_age_days: int = 30
    win_max_age_days: int = 90
    # A follow-up done within this long after it fell due is on time.
    on_time_grace_hours: int = 24
    # The range of touches most sales need (field notes: 80% need 5 to 12).
    yardstick_low: int = 5
    yardstick_high: int = 12


@dataclass(frozen=True)
class ReportScope:
    """The instants a report is computed over (UTC), as plain values."""

    starts: datetime
    ends: datetime
    now: datetime
    options: ReportOptions
    # A team member's sign-in: only the quotes they own and the follow-ups that are theirs
    # count (docs/reports.md, "One member's figures"). None: the whole business.
    member: str | None = None

    @property
    def cohort_from(self) -> datetime:
        return self.ends - timedelta(days=self.options.win_max_age_days)

    @property
    def cohort_to(self) -> datetime:
        return self.ends - timedelta(days=self.options.win_min_age_days)

    @property
    def grace_seconds(self) -> int:
        return self.options.on_time_grace_hours * 3600


class seconds_between(FunctionElement[int]):
    """Whole seconds from the first time to the second (negative if it is earlier)."""

    type = Integer()
    inherit_cache = True
    name = "seconds_between"


@compiles(seconds_between)
def _seconds_postgres(element: seconds_between, compiler: SQLCompiler, **kw: Any) -> str:
    first, second = list(element.clauses)
    return (
        f"CAST(ROUND(EXTRACT(EPOCH FROM ({compiler.process(second, **kw)}"
        f" - {compiler.process(first, **kw)}))) AS BIGINT)"
    )


@compiles(seconds_between, "sqlite")
def _seconds_sqlite(element: seconds_between, compiler: SQLCompiler, **kw: Any) -> str:
    first, second = list(element.clauses)
    return (
        f"CAST(ROUND((julianday({compiler.process(second, **kw)})"
        f" - julianday({compiler.process(first, **kw)})) * 86400) AS INTEGER)"
    )


def at(value: datetime) -> ColumnElement[datetime]:
    """A moment as a bound parameter stored the way the columns store moments."""
    return bindparam(None, value, type_=UTCDateTime())


class not_negative(FunctionElement[int]):
    """The value, or 0 if it is negative (imported data can answer a lead before it came in).

    One function call, so the database works the value out once per row.
    """

    type = Integer()
    inherit_cache = True
    name = "not_negative"


@compiles(not_negative)
def _not_negative_postgres(element: not_negative, compiler: SQLCompiler, **kw: Any) -> str:
    # Not GREATEST: PostgreSQL's skips NULLs, and an unanswered lead must stay NULL.
    value = compiler.process(element.clauses, **kw)
    return f"(CASE WHEN {value} < 0 THEN 0 ELSE {value} END)"


@compiles(not_negative, "sqlite")
def _not_negative_sqlite(element: not_negative, compiler: SQLCompiler, **kw: Any) -> str:
    return f"max({compiler.process(element.clauses, **kw)}, 0)"


def cents() -> ColumnElement[int]:
    """The raw amount in cents, to sum in SQL."""
    return type_coerce(Quote.amount, BigInteger)


def alive(scope: ReportScope) -> ColumnElement[bool]:
    """Quotes not in the trash (and owned by the scope's member, if it names one)."""
    if scope.member is None:
        return Quote.deleted_at.is_(None)
    return and_(Quote.deleted_at.is_(None), Quote.owner == scope.member)


def members_follow_ups(scope: ReportScope) -> ColumnElement[bool]:
    """Follow-ups that are the scope's member's (all of them when it names nobody)."""
    return true() if scope.member is None else FollowUp.member == scope.member


def between(column: Any, scope_from: datetime, scope_to: datetime) -> ColumnElement[bool]:
    return and_(column >= at(scope_from), column < at(scope_to))


# -- the quotes each figure counts ---------------------------------------------------------


def cohort(scope: ReportScope) -> ColumnElement[bool]:
    """Quotes old enough to be decided: sent between the cohort's two edges."""
    return and_(alive(scope), between(Quote.sent_at, scope.cohort_from, scope.cohort_to))


def won_by_end(scope: ReportScope) -> ColumnElement[bool]:
    return and_(Quote.stage == Stage.WON, Quote.closed_at < at(scope.ends))


def lost_by_end(scope: ReportScope) -> ColumnElement[bool]:
    return and_(Quote.stage == Stage.LOST, Quote.closed_at < at(scope.ends))


def closed_in_period(scope: ReportScope, *stages: Stage) -> ColumnElement[bool]:
    # The stage test sits inside a CASE so SQLite cannot pick the stage index for it: won
    # and lost are most quotes, and fetching them through the index took 2.6 times as long
    # as reading the table (measured on 20,000 quotes).
    closed_as = case((Quote.stage.in_(stages), literal(1)), else_=literal(0))
    return and_(alive(scope), closed_as == 1, between(Quote.closed_at, scope.starts, scope.ends))


def lost_for_no_reply() -> ColumnElement[bool]:
    reason = func.lower(func.coalesce(Quote.lost_reason, ""))
    return or_(*(reason.like(f"%{word}%") for word in NO_REPLY_WORDS))


def touches_before_close() -> ColumnElement[int]:
    """Outbound touches logged on the quote up to the moment it was closed."""
    return (
        select(func.count(Touch.id))
        .where(
            Touch.quote_id == Quote.id,
            Touch.direction == Direction.OUTBOUND,
            Touch.at <= Quote.closed_at,
        )
        .correlate(Quote)
        .scalar_subquery()
    )


def follow_ups_after_sending() -> ColumnElement[int]:
    """Outbound touches after the quote was sent (all of them if it never was), up to closing."""
    return (
        select(func.count(Touch.id))
        .where(
            Touch.quote_id == Quote.id,
            Touch.direction == Direction.OUTBOUND,
            Touch.at <= Quote.closed_at,
            or_(Quote.sent_at.is_(None), Touch.at > Quote.sent_at),
        )
        .correlate(Quote)
        .scalar_subquery()
    )


def touch_bucket(count: ColumnElement[int], top: int) -> ColumnElement[int]:
    """Counts above `top` share one bar, "13+" (reported as `top + 1`)."""
    return case((count > top, top + 1), else_=count)


def leads(scope: ReportScope) -> ColumnElement[bool]:
    return and_(alive(scope), between(Quote.received_at, scope.starts, scope.ends))


def response_seconds() -> ColumnElement[int]:
    return not_negative(seconds_between(Quote.received_at, Quote.first_response_at))


def week_of(column: Any, scope: ReportScope) -> ColumnElement[int]:
    """Week 0 is the period's first seven days, week 1 the next seven, and so on."""
    return cast(seconds_between(at(scope.starts), column) // 604800, Integer)


def bucket_of(column: Any, edges: Sequence[datetime]) -> ColumnElement[int]:
    """Which of the intervals between consecutive `edges` the moment falls in (0-based)."""
    whens = [(column < at(edge), literal(i)) for i, edge in enumerate(edges[1:])]
    if not whens:
        return literal(0)
    return case(*whens, else_=literal(len(edges) - 1))


# -- medians ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spread:
    """How many values, their median and 90th percentile (None when there are none)."""

    count: int
    median: Decimal | None
    p90: Decimal | None


NO_SPREAD = Spread(0, None, None)


def spread(counts: Mapping[int, int]) -> Spread:
    """Median (the middle value, or the mean of the two middle ones) and 90th percentile
    (nearest rank: the value at rank ceil(0.9 n)) of values given as {value: how many}.

    The database groups equal values (GROUP BY), so only distinct values come back.
    """
    total = sum(counts.values())
    if not total:
        return NO_SPREAD
    ranks = {"low": (total + 1) // 2, "high": (total + 2) // 2, "p90": (9 * total + 9) // 10}
    found: dict[str, int] = {}
    seen = 0
    for value in sorted(counts):
        n = counts[value]
        for name, rank in ranks.items():
            if name not in found and rank <= seen + n:
                found[name] = value
        seen += n
    median = (Decimal(found["low"]) + Decimal(found["high"])) / 2
    return Spread(total, median, Decimal(found["p90"]))


def one_decimal(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
