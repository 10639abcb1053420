"""The quotes behind a report figure or bar, selected with the figure's own SQL pieces."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from deckfollow.core.enums import Basis, Stage
from deckfollow.core.models import Quote
from deckfollow.core.report_periods import Period
from deckfollow.core.reports import (
    follow_ups_due,
    job_type,
    month_edges,
    scope_of,
    time_in_stage_values,
)
from deckfollow.core.reports_sql import (
    DECIDED_STAGES,
    PIPELINE_STAGES,
    ReportOptions,
    alive,
    at,
    bucket_of,
    closed_in_period,
    cohort,
    follow_ups_after_sending,
    leads,
    lost_by_end,
    lost_for_no_reply,
    response_seconds,
    touches_before_close,
    week_of,
    won_by_end,
)


class Figure(StrEnum):
    WIN_RATE = "win_rate"  # part: "", "won", "lost", "open"
    WIN_JOB_TYPE = "win_job_type"  # part: the job type
    WIN_SOURCE = "win_source"  # part: the lead source ("" for not recorded)
    TOUCHES_WON = "touches_won"  # index: touches (top + 1 for "13+"); None for all
    TOUCHES_LOST = "touches_lost_no_reply"  # index as above
    SPEED = "speed_to_lead"  # part: "", "unanswered", "5_min", "1_h", "1_day"; index: week
    DISCIPLINE = "discipline"  # part: a category (on_time, late, …), "missed" or "agreed_missed"
    PIPELINE = "pipeline"  # part: a stage value; currency
    MONTH = "by_month"  # part: quoted, won or lost; index: month; currency
    LOST_REASON = "lost_reason"  # part: the reason ("" for all)
    TIME_IN_STAGE = "time_in_stage"  # part: lead_to_quoted, quoted_to_decided, lead_to_decided


@dataclass(frozen=True)
class Drill:
    """One figure or bar of a report, to list the quotes behind it."""

    figure: Figure
    part: str = ""
    index: int | None = None
    currency: str | None = None
    label: str = ""


_MISSED = ("skipped", "lapsed", "overdue")
_WITHIN = {"5_min": 300, "1_h": 3600, "1_day": 86400}


def quotes_behind(
    session: Session,
    period: Period,
    drill: Drill,
    *,
    now: datetime,
    options: ReportOptions | None = None,
    member: str | None = None,
) -> list[int]:
    """The ids of the quotes a figure counts, oldest first.

    A discipline figure counts follow-ups; its quotes are those the follow-ups are about
    (a follow-up about no quote has none to show).
    """
    scope = scope_of(period, now=now, options=options or ReportOptions(), member=member)
    f, part = drill.figure, drill.part
    where: list[Any] = []
    top = scope.options.yardstick_high
    match f:
        case Figure.WIN_RATE | Figure.WIN_JOB_TYPE | Figure.WIN_SOURCE:
            where.append(cohort(scope))
            if f is Figure.WIN_RATE and part == "won":
                where.append(won_by_end(scope))
            elif f is Figure.WIN_RATE and part == "lost":
                where.append(lost_by_end(scope))
            elif f is Figure.WIN_RATE and part == "open":
                where.append(~won_by_end(scope) & ~lost_by_end(scope))
            elif f is Figure.WIN_SOURCE:
                if part:
                    where.append(Quote.source == part)
                else:
                    where.append((Quote.source.is_(None)) | (Quote.source == ""))
            elif f is Figure.WIN_JOB_TYPE:
                rows = session.execute(
                    select(Quote.id, Quote.job).where(*where).order_by(Quote.received_at)
                ).all()
                wanted = part.casefold()
                return [qid for qid, job in rows if job_type(job).casefold() == wanted]
        case Figure.TOUCHES_WON | Figure.TOUCHES_LOST:
            if f is Figure.TOUCHES_WON:
                where.append(closed_in_period(scope, Stage.WON))
                count = touches_before_close()
            else:
                where += [closed_in_period(scope, Stage.LOST), lost_for_no_reply()]
                count = follow_ups_after_sending()
            if drill.index is not None:
                where.append(count > top if drill.index > top else count == drill.index)
        case Figure.SPEED:
            where.append(leads(scope))
            if drill.index is not None:
                where.append(week_of(Quote.received_at, scope) == drill.index)
            answered = Quote.first_response_at.is_not(None)
            if part == "unanswered":
                where.append(~answered)
            elif part in _WITHIN:
                where += [answered, response_seconds() <= _WITHIN[part]]
        case Figure.DISCIPLINE:
            due = follow_ups_due(scope)
            cats = _MISSED if part in ("missed", "agreed_missed") else (part,)
            if part in ("agreed_kept", "agreed_late"):
                cats = ("on_time",) if part == "agreed_kept" else ("late",)
            picked = select(due.c.quote_id).where(due.c.cat.in_(cats))
            if part.startswith("agreed_"):
                picked = picked.where(due.c.basis == Basis.AGREED)
            where += [alive(scope), Quote.id.in_(picked)]
        case Figure.PIPELINE:
            where += [
                alive(scope),
                Quote.stage.in_([Stage(part)] if part else list(PIPELINE_STAGES)),
            ]
        case Figure.MONTH:
            edges = month_edges(scope, period)
            if part == "quoted":
                moment: Any = Quote.sent_at
                where += [
                    alive(scope),
                    Quote.sent_at >= at(scope.starts),
                    Quote.sent_at < at(scope.ends),
                ]
            else:
                moment = Quote.closed_at
                stages = (Stage(part),) if part else DECIDED_STAGES
                where.append(closed_in_period(scope, *stages))
            if drill.index is not None:
                where.append(bucket_of(moment, edges) == drill.index)
        case Figure.LOST_REASON:
            where.append(closed_in_period(scope, Stage.LOST))
            if part:
                reasons = session.execute(
                    select(Quote.id, Quote.lost_reason).where(*where).order_by(Quote.received_at)
                ).all()
                wanted = " ".join(part.split()).casefold()
                return [
                    qid
                    for qid, reason in reasons
                    if (" ".join((reason or "").split()) or "No reason given").casefold() == wanted
                ]
        case Figure.TIME_IN_STAGE:
            _secs, span_where = time_in_stage_values(scope)[part or "lead_to_decided"]
            where.append(span_where)
    if drill.currency is not None:
        where.append(Quote.currency == drill.currency)
    stmt = select(Quote.id).where(and_(*where)).order_by(Quote.received_at, Quote.id)
    return list(session.execute(stmt).scalars())
