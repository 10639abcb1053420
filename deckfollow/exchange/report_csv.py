"""A report as one CSV table: a row per number, the same numbers as the page and the PDF.

Columns: Figure, Group, Currency, Measure, Value. Rates are decimals ("0.42"), money is a
decimal with its currency in the Currency column, and each figure's reading is a row of
its own (Measure "Reading"), so a spreadsheet can filter and pivot the file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from deckfollow.core.reports_model import CountValue, Report, rate
from deckfollow.exchange.csv_export import neutralise_formula
from deckfollow.exchange.private_files import write_private

HEADER = ("Figure", "Group", "Currency", "Measure", "Value")
Row = tuple[str, str, str, str, str]


def _v(value: int | Decimal | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise_formula(value)
    return str(value)


def _money_rows(figure: str, group: str, cells: dict[str, CountValue]) -> Iterator[Row]:
    for currency, cell in cells.items():
        yield figure, group, currency, "Count", str(cell.count)
        yield figure, group, currency, "Value", f"{cell.value:.2f}"


def report_rows(report: Report) -> Iterator[Row]:
    """Every number of the report as (figure, group, currency, measure, value)."""
    j = report.as_json()
    yield "Report", "", "", "Business", _v(report.business_name)
    yield "Report", "", "", "Period", _v(report.title)
    yield "Report", "", "", "From", report.period.first.isoformat()
    yield "Report", "", "", "To", report.period.last.isoformat()
    yield "Report", "", "", "Generated", report.generated_at.isoformat(timespec="seconds")

    w = report.win_rate
    fig = "Win rate"
    yield fig, "", "", "Reading", _v(w.reading)
    yield fig, "All quotes", "", "Sent from", w.sent_from.isoformat(timespec="seconds")
    yield fig, "All quotes", "", "Sent before", w.sent_before.isoformat(timespec="seconds")
    for measure, value in (
        ("Won", w.won),
        ("Lost", w.lost),
        ("Still open", w.still_open),
        ("Decided", w.decided),
        ("Rate", w.rate),
    ):
        yield fig, "All quotes", "", measure, _v(value)
    for v in w.by_value:
        yield fig, "By value", v.currency, "Won", f"{v.won:.2f}"
        yield fig, "By value", v.currency, "Decided", f"{v.decided:.2f}"
        yield fig, "By value", v.currency, "Rate", _v(v.rate)
    for title, groups in (("Job type", w.by_job_type), ("Lead source", w.by_source)):
        for g in groups:
            group = f"{title}: {g.key or 'not recorded'}"
            yield fig, group, "", "Won", str(g.won)
            yield fig, group, "", "Decided", str(g.decided)
            yield fig, group, "", "Rate", _v(g.rate)

    t = report.touches_to_close
    for fig, counts, reading in (
        ("Touches to close (won)", t.won, t.reading_won),
        ("Follow-ups before a loss for no reply", t.lost_no_reply, t.reading_lost),
    ):
        yield fig, "", "", "Reading", _v(reading)
        yield fig, "", "", "Quotes", str(counts.quotes)
        yield fig, "", "", "Median", _v(counts.median)
        for label, n in zip(counts.labels(), counts.buckets, strict=True):
            yield fig, f"{label} touches", "", "Quotes", str(n)
    yield "Touches to close (won)", "", "", "Within yardstick", str(t.within_yardstick)
    yield "Follow-ups before a loss for no reply", "", "", "One or none", str(t.one_or_none)

    s = report.speed_to_lead
    fig = "Speed to lead"
    yield fig, "", "", "Reading", _v(s.reading)
    for measure, value in (
        ("Leads", s.leads),
        ("Answered", s.answered),
        ("Unanswered", s.unanswered),
        ("Median minutes", s.median_minutes),
        ("90th percentile minutes", s.p90_minutes),
        ("Share within 5 minutes", rate(s.within_5_min, s.leads)),
        ("Share within 1 hour", rate(s.within_1_h, s.leads)),
        ("Share within 1 day", rate(s.within_1_day, s.leads)),
    ):
        yield fig, "All leads", "", measure, _v(value)
    for wk in s.weeks:
        group = f"Week starting {wk.starts.isoformat()}"
        yield fig, group, "", "Leads", str(wk.leads)
        yield fig, group, "", "Answered", str(wk.answered)
        yield fig, group, "", "Median minutes", _v(wk.median_minutes)

    fig = "Follow-up discipline"
    yield fig, "", "", "Reading", _v(report.discipline.reading)
    for key, value in j["discipline"].items():
        yield (
            fig,
            "Follow-ups due",
            "",
            key.replace("_", " ").capitalize(),
            _v(None if value is None else Decimal(str(value))),
        )

    fig = "Pipeline now"
    yield fig, "", "", "Reading", _v(report.pipeline.reading)
    for stage, cells in report.pipeline.cells.items():
        yield from _money_rows(fig, stage.label, cells)

    fig = "By month"
    yield fig, "", "", "Reading", _v(report.by_month_reading)
    for m in report.by_month:
        for kind, cells in (("Quoted", m.quoted), ("Won", m.won), ("Lost", m.lost)):
            yield from _money_rows(fig, f"{m.month:%Y-%m} {kind}", cells)

    fig = "Lost reasons"
    yield fig, "", "", "Reading", _v(report.lost_reasons.reading)
    for r in report.lost_reasons.reasons:
        group = _v(r.reason)
        yield fig, group, "", "Count", str(r.count)
        yield fig, group, "", "Share", _v(rate(r.count, report.lost_reasons.total))
        for currency, value in r.value.items():
            yield fig, group, currency, "Value", f"{value:.2f}"

    fig = "Time in stage"
    ts = report.time_in_stage
    yield fig, "", "", "Reading", _v(ts.reading)
    for group, span in (
        ("Lead to quoted", ts.lead_to_quoted),
        ("Quoted to decided", ts.quoted_to_decided),
        ("Lead to decided", ts.lead_to_decided),
    ):
        yield fig, group, "", "Quotes", str(span.quotes)
        yield fig, group, "", "Median days", _v(span.median_days)


def report_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(report_rows(report))
    return out.getvalue()


def write_report_csv(report: Report, path: Path) -> Path:
    """Write the report's CSV (UTF-8 with a BOM, so spreadsheets read the accents)."""
    return write_private(path, report_csv(report).encode("utf-8-sig"))
