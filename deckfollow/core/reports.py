"""Reports that coach: `build_report` computes every figure with SQL aggregates.

One function feeds the Reports page, the PDF, the CSV and `deckfollow report --json`, so
they always agree. Definitions a user can check by hand: docs/reports.md.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, case, func, literal, select, union_all
from sqlalchemy.orm import Session

from deckfollow.core import reports_readings as say
from deckfollow.core.columns import cents_to_decimal
from deckfollow.core.enums import Basis, FollowUpStatus, Stage
from deckfollow.core.members import display_name
from deckfollow.core.models import Customer, FollowUp, Quote, Touch
from deckfollow.core.report_periods import Period, PeriodKind, period_of
from deckfollow.core.reports_model import (
    CountValue,
    Discipline,
    LostReason,
    LostReasons,
    Month,
    Pipeline,
    Report,
    SpeedToLead,
    SpeedWeek,
    StageSpan,
    TimeInStage,
    TouchCounts,
    TouchesToClose,
    ValueRate,
    WinGroup,
    WinRate,
)
from deckfollow.core.reports_sql import (
    DECIDED_STAGES,
    PIPELINE_STAGES,
    ReportOptions,
    ReportScope,
    Spread,
    alive,
    at,
    bucket_of,
    cents,
    closed_in_period,
    cohort,
    follow_ups_after_sending,
    leads,
    lost_by_end,
    lost_for_no_reply,
    members_follow_ups,
    not_negative,
    one_decimal,
    response_seconds,
    seconds_between,
    spread,
    touches_before_close,
    week_of,
    won_by_end,
)
from deckfollow.core.settings import load_settings

__all__ = ["ReportOptions", "build_report", "default_period", "job_type", "scope_of"]

_ZERO = Decimal("0.00")


def default_period(session: Session, kind: PeriodKind, *, now: datetime, **days: Any) -> Period:
    """A period of `kind` in the owner's clock and financial year (custom: `first`, `last`)."""
    settings = load_settings(session)
    return period_of(
        kind,
        timezone=settings.owner_timezone,
        country=settings.default_country,
        now=now,
        **days,
    )


def scope_of(
    period: Period, *, now: datetime, options: ReportOptions, member: str | None = None
) -> ReportScope:
    return ReportScope(period.starts(), period.ends(now), now, options, member)


def build_report(
    session: Session,
    period: Period,
    *,
    now: datetime,
    options: ReportOptions | None = None,
    member: str | None = None,
) -> Report:
    """Every figure of the report for `period`, as it stands at `now`.

    `member` (a sign-in) narrows it to the quotes they own and the follow-ups that are
    theirs; None reports the whole business.
    """
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    options = options or ReportOptions()
    scope = scope_of(period, now=now, options=options, member=member)
    settings = load_settings(session)
    months = _by_month(session, scope, period)
    quoted, won, lost = (_sum_months(months, kind) for kind in ("quoted", "won", "lost"))
    member_name = display_name(session, member)
    home = settings.business_currency
    pipeline = _pipeline(session, scope, home)
    currencies = sorted(
        set(quoted) | set(won) | set(lost) | {c for cells in pipeline.cells.values() for c in cells}
    )
    return Report(
        business_name=settings.business_name,
        period=period,
        starts=scope.starts,
        ends=scope.ends,
        generated_at=now,
        options=options,
        win_rate=_win_rate(session, scope, home),
        touches_to_close=_touches_to_close(session, scope),
        speed_to_lead=_speed_to_lead(session, scope, period),
        discipline=_discipline(session, scope),
        pipeline=pipeline,
        by_month=months,
        by_month_reading=say.by_month(quoted, won, lost, _who(session, scope), home),
        lost_reasons=_lost_reasons(session, scope),
        time_in_stage=_time_in_stage(session, scope),
        currencies=tuple(currencies),
        member=member,
        member_name=member_name,
        home_currency=home,
    )


def _who(session: Session, scope: ReportScope) -> say.Who:
    """Whom the readings speak of: "you" for the business, the member by name for theirs."""
    if scope.member is None:
        return say.YOU
    return say.Who.member(display_name(session, scope.member))


# -- job types -----------------------------------------------------------------------------

_JOB_TYPE_END = re.compile(r"\s+[—–-]\s+|[:,(]")


def job_type(job: str) -> str:
    """A job's kind: its description up to the first dash, colon, comma or bracket.

    "Hardwood deck — merbau, 40 m²" is a "Hardwood deck".
    """
    head = _JOB_TYPE_END.split(job, maxsplit=1)[0].strip()
    return head[:1].upper() + head[1:] if head else "Not described"


# -- win rate ------------------------------------------------------------------------------


def _win_rate(session: Session, scope: ReportScope, home: str) -> WinRate:
    won, lost = won_by_end(scope), lost_by_end(scope)
    priced = Quote.amount.is_not(None)
    rows = session.execute(
        select(
            Quote.currency,
            Quote.source,
            Quote.job,
            func.count(),
            func.sum(case((won, 1), else_=0)),
            func.sum(case((lost, 1), else_=0)),
            func.sum(case((priced, cents()), else_=0)),
            func.sum(case((and_(won, priced), cents()), else_=0)),
        )
        .where(cohort(scope))
        .group_by(Quote.currency, Quote.source, Quote.job)
    ).all()
    total = won_n = lost_n = 0
    value: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    jobs: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    spelled: dict[str, str] = {}
    sources: dict[str | None, list[int]] = defaultdict(lambda: [0, 0])
    for currency, source, job, n, n_won, n_lost, all_cents, won_cents in rows:
        total, won_n, lost_n = total + n, won_n + n_won, lost_n + n_lost
        value[currency][0] += won_cents or 0
        value[currency][1] += all_cents or 0
        kind = job_type(job)
        key = kind.casefold()
        spelled[key] = min(spelled.get(key, kind), kind)
        jobs[key][0] += n_won
        jobs[key][1] += n
        src = (source or "").strip() or None
        sources[src][0] += n_won
        sources[src][1] += n
    by_value = tuple(
        ValueRate(cur, cents_to_decimal(w), cents_to_decimal(d))
        for cur, (w, d) in sorted(value.items())
        if d
    )
    return WinRate(
        sent_from=scope.cohort_from,
        sent_before=scope.cohort_to,
        won=won_n,
        lost=lost_n,
        decided=total,
        by_value=by_value,
        by_job_type=_groups((spelled[k], w, d) for k, (w, d) in jobs.items()),
        by_source=_groups((k, w, d) for k, (w, d) in sources.items()),
        reading=say.win_rate(
            won_n,
            total,
            total - won_n - lost_n,
            by_value,
            scope.options.win_min_age_days,
            scope.options.win_max_age_days,
            _who(session, scope),
            home,
        ),
    )


def _groups(items: Iterable[tuple[str | None, int, int]]) -> tuple[WinGroup, ...]:
    """Most quotes first, then by name."""
    groups = [WinGroup(k, w, d) for k, w, d in items]
    return tuple(sorted(groups, key=lambda g: (-g.decided, (g.key or "~").casefold())))


# -- touches to close ----------------------------------------------------------------------


def _touch_counts(session: Session, where: Any, count: Any, top: int) -> TouchCounts:
    """Quotes per number of touches, grouped by the database; the median from those counts."""
    counted = count.label("c")
    exact = [
        (int(c), int(n))
        for c, n in session.execute(select(counted, func.count()).where(where).group_by(counted))
    ]
    buckets = [0] * (top + 2)
    for c, n in exact:
        buckets[min(c, top + 1)] += n
    return TouchCounts(tuple(buckets), spread(dict(exact)).median)


def _touches_to_close(session: Session, scope: ReportScope) -> TouchesToClose:
    top = scope.options.yardstick_high
    won = _touch_counts(session, closed_in_period(scope, Stage.WON), touches_before_close(), top)
    lost = _touch_counts(
        session,
        and_(closed_in_period(scope, Stage.LOST), lost_for_no_reply()),
        follow_ups_after_sending(),
        top,
    )
    low, high = scope.options.yardstick_low, scope.options.yardstick_high
    who = _who(session, scope)
    return TouchesToClose(
        won=won,
        lost_no_reply=lost,
        yardstick=(low, high),
        reading_won=say.touches_won(won.quotes, won.median, won.between(low, high), low, high, who),
        reading_lost=say.lost_no_reply(lost.quotes, lost.between(0, 1), who),
    )


# -- speed to lead -------------------------------------------------------------------------

_FIVE_MIN, _HOUR, _DAY = 300, 3600, 86400


def _minutes(seconds: Decimal | None) -> Decimal | None:
    return None if seconds is None else one_decimal(seconds / 60)


def _speed_to_lead(session: Session, scope: ReportScope, period: Period) -> SpeedToLead:
    """Leads per week and seconds to a first answer, grouped by the database."""
    secs = response_seconds().label("s")
    week = week_of(Quote.received_at, scope).label("w")
    rows = session.execute(
        select(week, secs, func.count()).where(leads(scope)).group_by(week, secs)
    ).all()
    overall: dict[int, int] = defaultdict(int)
    weekly: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    leads_in: dict[int, int] = defaultdict(int)
    for w, s, n in rows:
        leads_in[int(w)] += n
        if s is not None:
            overall[int(s)] += n
            weekly[int(w)][int(s)] += n
    weeks = []
    for w in range(max(leads_in) + 1 if leads_in else 0):
        answers = weekly.get(w, {})
        weeks.append(
            SpeedWeek(
                period.first + timedelta(days=7 * w),
                leads_in.get(w, 0),
                sum(answers.values()),
                _minutes(spread(answers).median),
            )
        )
    found = spread(overall)
    total = sum(leads_in.values())

    def within(limit: int) -> int:
        return sum(n for s, n in overall.items() if s <= limit)

    median = _minutes(found.median)
    return SpeedToLead(
        leads=total,
        answered=found.count,
        median_minutes=median,
        p90_minutes=_minutes(found.p90),
        within_5_min=within(_FIVE_MIN),
        within_1_h=within(_HOUR),
        within_1_day=within(_DAY),
        weeks=tuple(weeks),
        reading=say.speed_to_lead(
            total, found.count, median, within(_FIVE_MIN), within(_DAY), _who(session, scope)
        ),
    )


# -- follow-up discipline ------------------------------------------------------------------


def follow_ups_due(scope: ReportScope) -> Any:
    """Each follow-up that fell due in the period: its quote, basis, category and lateness.

    The category says what became of it: on time, late, skipped, lapsed, cancelled, overdue
    or not yet due (docs/reports.md). A subquery, so the figures and the look-up of the
    quotes behind them select the very same follow-ups.
    """
    # When it was done: the touch logged for it (the call happened then), else when it was
    # marked done. Found through touch.follow_up_id's own index.
    first_touch = (
        select(func.min(Touch.at))
        .where(Touch.follow_up_id == FollowUp.id)
        .correlate(FollowUp)
        .scalar_subquery()
    )
    done_at = func.coalesce(first_touch, FollowUp.completed_at)
    due_by = func.coalesce(FollowUp.window_end, FollowUp.due_at)
    # MATERIALIZED: each follow-up's lateness is worked out once. Inlined, the databases
    # copy the look-up into every test of the category below (ten look-ups a follow-up,
    # measured on SQLite: 0.54 of the report's 1.6 s over 90 days at 100,000 quotes).
    inner = (
        select(
            FollowUp.quote_id,
            FollowUp.basis,
            FollowUp.status,
            seconds_between(due_by, done_at).label("lateness"),
            seconds_between(due_by, at(scope.now)).label("waiting"),
        )
        .join(Customer, Customer.id == FollowUp.customer_id)
        .where(
            FollowUp.due_at >= at(scope.starts),
            FollowUp.due_at < at(scope.ends),
            Customer.deleted_at.is_(None),
            members_follow_ups(scope),
        )
        .cte("due_in_period")
        .prefix_with("MATERIALIZED")
    )
    grace = scope.grace_seconds
    status = inner.c.status
    category = case(
        (and_(status == FollowUpStatus.DONE.value, inner.c.lateness <= grace), "on_time"),
        (status == FollowUpStatus.DONE.value, "late"),
        (status == FollowUpStatus.SKIPPED.value, "skipped"),
        (and_(status == FollowUpStatus.CANCELLED.value, inner.c.lateness > grace), "lapsed"),
        (status == FollowUpStatus.CANCELLED.value, "cancelled"),
        (inner.c.waiting > grace, "overdue"),
        else_="not_yet_due",
    )
    return select(
        inner.c.quote_id,
        inner.c.basis,
        category.label("cat"),
        inner.c.lateness,
    ).subquery()


def _discipline(session: Session, scope: ReportScope) -> Discipline:
    due = follow_ups_due(scope)
    late_by = case((due.c.cat == "late", due.c.lateness)).label("late_by")
    rows = session.execute(
        select(due.c.basis, due.c.cat, late_by, func.count()).group_by(
            due.c.basis, due.c.cat, late_by
        )
    ).all()
    n: dict[str, int] = defaultdict(int)
    agreed: dict[str, int] = defaultdict(int)
    lateness: dict[int, int] = defaultdict(int)
    for basis, name, late_seconds, count in rows:
        n[name] += count
        if basis == Basis.AGREED:
            agreed[name] += count
        if late_seconds is not None:
            lateness[int(late_seconds)] += count
    late = spread(lateness).median
    late_hours = None if late is None else one_decimal(late / 3600)
    missed = n["skipped"] + n["lapsed"] + n["overdue"]
    agreed_missed = agreed["skipped"] + agreed["lapsed"] + agreed["overdue"]
    return Discipline(
        on_time=n["on_time"],
        late=n["late"],
        late_median_hours=late_hours,
        skipped=n["skipped"],
        lapsed=n["lapsed"],
        overdue=n["overdue"],
        not_yet_due=n["not_yet_due"],
        cancelled=n["cancelled"],
        agreed_kept=agreed["on_time"],
        agreed_late=agreed["late"],
        agreed_missed=agreed_missed,
        reading=say.discipline(
            n["on_time"] + n["late"] + missed,
            n["on_time"],
            n["late"],
            late_hours,
            missed,
            agreed_missed,
        ),
    )


# -- pipeline and months -------------------------------------------------------------------


def _pipeline(session: Session, scope: ReportScope, home: str) -> Pipeline:
    rows = session.execute(
        select(Quote.stage, Quote.currency, func.count(), func.sum(func.coalesce(cents(), 0)))
        .where(alive(scope), Quote.stage.in_(PIPELINE_STAGES))
        .group_by(Quote.stage, Quote.currency)
    ).all()
    cells: dict[Stage, dict[str, CountValue]] = {s: {} for s in PIPELINE_STAGES}
    for stage, currency, count, total in rows:
        cells[Stage(stage)][currency] = CountValue(count, cents_to_decimal(total))
    cells = {stage: dict(sorted(by_currency.items())) for stage, by_currency in cells.items()}
    pipeline = Pipeline(cells, "")
    open_stages = (Stage.LEAD, Stage.QUOTED, Stage.FOLLOWING_UP)
    reading = say.pipeline(pipeline.totals(open_stages), pipeline.totals((Stage.PARKED,)), home)
    return Pipeline(cells, reading)


def month_edges(scope: ReportScope, period: Period) -> list[datetime]:
    """Where each month of the period starts (the first one at the period's start)."""
    starts = [scope.starts]
    for first in period.month_starts()[1:]:
        starts.append(Period(period.kind, first, first, period.timezone).starts())
    return starts


def _by_month(session: Session, scope: ReportScope, period: Period) -> tuple[Month, ...]:
    edges = month_edges(scope, period)
    sent_month = bucket_of(Quote.sent_at, edges).label("m")
    closed_month = bucket_of(Quote.closed_at, edges).label("m")
    quoted = select(
        literal("quoted").label("kind"), sent_month, Quote.currency, func.count(),
        func.sum(func.coalesce(cents(), 0)),
    ).where(and_(alive(scope), Quote.sent_at >= at(scope.starts),
                 Quote.sent_at < at(scope.ends))).group_by(sent_month, Quote.currency)  # fmt: skip
    closed = select(
        Quote.stage, closed_month, Quote.currency, func.count(),
        func.sum(func.coalesce(cents(), 0)),
    ).where(closed_in_period(scope, *DECIDED_STAGES)).group_by(
        Quote.stage, closed_month, Quote.currency
    )  # fmt: skip
    table: dict[tuple[str, int], dict[str, CountValue]] = defaultdict(dict)
    rows: list[Any] = list(session.execute(union_all(quoted, closed)).all())
    for kind, month, currency, count, total in rows:
        table[(str(kind), int(month))][currency] = CountValue(count, cents_to_decimal(total))
    return tuple(
        Month(
            first,
            dict(sorted(table[("quoted", i)].items())),
            dict(sorted(table[(Stage.WON.value, i)].items())),
            dict(sorted(table[(Stage.LOST.value, i)].items())),
        )
        for i, first in enumerate(period.month_starts())
    )


def _sum_months(months: tuple[Month, ...], kind: str) -> dict[str, CountValue]:
    out: dict[str, CountValue] = {}
    for m in months:
        for currency, cell in getattr(m, kind).items():
            had = out.get(currency, CountValue(0, _ZERO))
            out[currency] = CountValue(had.count + cell.count, had.value + cell.value)
    return dict(sorted(out.items()))


# -- lost reasons and time in stage --------------------------------------------------------


def _lost_reasons(session: Session, scope: ReportScope) -> LostReasons:
    rows = session.execute(
        select(Quote.lost_reason, Quote.currency, func.count(), func.sum(func.coalesce(cents(), 0)))
        .where(closed_in_period(scope, Stage.LOST))
        .group_by(Quote.lost_reason, Quote.currency)
    ).all()
    counts: dict[str, int] = defaultdict(int)
    values: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    spelled: dict[str, str] = {}
    for reason, currency, count, total in rows:
        text = " ".join((reason or "").split()) or "No reason given"
        key = text.casefold()
        spelled[key] = min(spelled.get(key, text), text)
        counts[key] += count
        values[key][currency] += cents_to_decimal(total)
    reasons = tuple(
        LostReason(spelled[k], counts[k], dict(sorted(values[k].items())))
        for k in sorted(counts, key=lambda k: (-counts[k], k))
    )
    total = sum(counts.values())
    top = (reasons[0].reason, reasons[0].count) if reasons else None
    return LostReasons(total, reasons, say.lost_reasons(total, top))


_SPANS = ("lead_to_quoted", "quoted_to_decided", "lead_to_decided")


def time_in_stage_values(scope: ReportScope) -> dict[str, Any]:
    """The seconds each span took, and which quotes count, per span (docs/reports.md)."""
    decided = closed_in_period(scope, *DECIDED_STAGES)
    sent_in_period = and_(
        alive(scope),
        Quote.sent_at >= at(scope.starts),
        Quote.sent_at < at(scope.ends),
    )
    return {
        "lead_to_quoted": (seconds_between(Quote.received_at, Quote.sent_at), sent_in_period),
        "quoted_to_decided": (
            seconds_between(Quote.sent_at, Quote.closed_at),
            and_(decided, Quote.sent_at.is_not(None)),
        ),
        "lead_to_decided": (seconds_between(Quote.received_at, Quote.closed_at), decided),
    }


def _time_in_stage(session: Session, scope: ReportScope) -> TimeInStage:
    parts = [
        select(literal(i).label("g"), not_negative(secs).label("v")).where(where)
        for i, (secs, where) in enumerate(time_in_stage_values(scope).values())
    ]
    both = union_all(*parts).subquery()
    rows = session.execute(
        select(both.c.g, both.c.v, func.count()).group_by(both.c.g, both.c.v)
    ).all()
    counts: dict[int, dict[int, int]] = defaultdict(dict)
    for g, v, n in rows:
        counts[int(g)][int(v)] = n

    def span(i: int) -> StageSpan:
        s: Spread = spread(counts.get(i, {}))
        days = None if s.median is None else one_decimal(s.median / 86400)
        return StageSpan(s.count, days)

    lead_q, q_dec, lead_dec = span(0), span(1), span(2)
    return TimeInStage(
        lead_q, q_dec, lead_dec, say.time_in_stage(lead_q.median_days, q_dec.median_days)
    )
