"""A report as a PDF: the business name and period on top, each figure with its reading,
its numbers and a chart drawn with `reportlab.graphics` (the same numbers as the page)."""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from deckfollow.core.clock_format import clock_text, date_text
from deckfollow.core.currency_signs import currency_sign
from deckfollow.core.report_periods import day_month
from deckfollow.core.reports_model import CountValue, Report
from deckfollow.core.reports_readings import money, percent

INK = colors.HexColor("#1d2733")
MUTED = colors.HexColor("#5b6573")
RULE = colors.HexColor("#d5dbe3")
# Colour-blind-safe series colours (Okabe–Ito), readable in greyscale too.
SERIES = [colors.HexColor(c) for c in ("#0072B2", "#009E73", "#D55E00", "#CC79A7", "#E69F00")]
YARDSTICK = colors.HexColor("#e8f3ea")

_TITLE = ParagraphStyle("title", fontName="Helvetica-Bold", fontSize=18, leading=22, textColor=INK)
_SUB = ParagraphStyle("sub", fontName="Helvetica", fontSize=10, leading=13, textColor=MUTED)
_H = ParagraphStyle(
    "h", fontName="Helvetica-Bold", fontSize=12.5, leading=16, textColor=INK, spaceBefore=10
)
_READ = ParagraphStyle(
    "read", fontName="Helvetica", fontSize=10, leading=13, textColor=INK, alignment=TA_LEFT
)
_CELL = ParagraphStyle("cell", fontName="Helvetica", fontSize=8.5, leading=10.5, textColor=INK)

LETTER_COUNTRIES = {"US", "CA", "MX", "PH"}
# Job types and lead sources listed in the PDF (the CSV and JSON have every one).
TOP_GROUPS = 12


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _num(value: Decimal | None, suffix: str = "") -> str:
    if value is None:
        return "–"
    shown = f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.1f}"
    return shown + suffix


def _table(rows: Sequence[Sequence[str]], widths: Sequence[float]) -> Table:
    data = [[Paragraph(_esc(str(c)), _CELL) for c in row] for row in rows]
    table = Table(data, colWidths=list(widths), hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, MUTED),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    return table


def _empty_chart(width: float, height: float, text: str) -> Drawing:
    d = Drawing(width, height)
    d.add(Rect(0, 0, width, height, strokeColor=RULE, fillColor=None, strokeWidth=0.5))
    d.add(
        String(
            width / 2,
            height / 2 - 4,
            text,
            textAnchor="middle",
            fontSize=9,
            fontName="Helvetica",
            fillColor=MUTED,
        )
    )
    return d


def bar_chart(
    categories: Sequence[str],
    series: Sequence[Sequence[float]],
    names: Sequence[str] = (),
    *,
    width: float = 170 * mm,
    height: float = 55 * mm,
    highlight: tuple[int, int] | None = None,
    value_suffix: str = "",
) -> Drawing:
    """Vertical bars, one colour per series, with a legend when there are several series.

    `highlight` shades the categories from the first index to the second (the yardstick).
    """
    if not categories or not any(any(v for v in s) for s in series):
        return _empty_chart(width, 14 * mm, "Nothing to chart in this period")
    d = Drawing(width, height)
    legend = 12 if len(names) > 1 else 0
    chart = VerticalBarChart()
    angled = len(categories) > 14
    chart.x, chart.y = 40, 34 if angled else 26
    chart.width, chart.height = width - 50, height - chart.y - 10 - legend
    chart.data = [list(s) for s in series]
    chart.categoryAxis.categoryNames = list(categories)
    chart.categoryAxis.labels.fontName = "Helvetica"
    chart.categoryAxis.labels.fontSize = 7 if angled else 8
    if angled:
        chart.categoryAxis.labels.angle = 45
        chart.categoryAxis.labels.boxAnchor = "ne"
    chart.valueAxis.labels.fontName = "Helvetica"
    chart.valueAxis.labels.fontSize = 7.5
    chart.valueAxis.valueMin = 0
    top = max(max(s) for s in series if s)
    chart.valueAxis.valueMax = top * 1.15 if top else 1
    counts = _whole_steps(chart.valueAxis, [v for s in series for v in s], top)
    chart.valueAxis.labelTextFormat = _axis_format(top, value_suffix, counts)
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = RULE
    chart.barSpacing = 1
    chart.groupSpacing = 4
    for i in range(len(series)):
        chart.bars[i].fillColor = SERIES[i % len(SERIES)]
        chart.bars[i].strokeColor = None
    if highlight is not None:
        step = chart.width / len(categories)
        low, high = highlight
        d.add(
            Rect(
                chart.x + step * low,
                chart.y,
                step * (high - low + 1),
                chart.height,
                fillColor=YARDSTICK,
                strokeColor=None,
            )
        )
    d.add(chart)
    if legend:
        x = chart.x
        for i, name in enumerate(names):
            d.add(Rect(x, height - 9, 8, 8, fillColor=SERIES[i % len(SERIES)], strokeColor=None))
            d.add(String(x + 11, height - 8, name, fontName="Helvetica", fontSize=8, fillColor=INK))
            x += 20 + 5 * len(name)
    return d


def _whole_steps(axis: object, values: Sequence[float], top: float) -> bool:
    """Counts get whole-number ticks (no "0.5 quotes"); returns whether they are counts."""
    counts = all(float(v).is_integer() for v in values)
    if counts and top <= 10:
        axis.valueStep = 1  # type: ignore[attr-defined]
    return counts


def _axis_format(top: float, suffix: str, counts: bool = False) -> Callable[[float], str]:
    """Axis numbers with thousands separators (whole numbers unless the scale is small)."""
    places = 0 if top >= 5 or counts else 1

    def label(value: float) -> str:
        return f"{value:,.{places}f}{suffix}"

    return label


def _charts(items: Sequence[list[Flowable]], width: float) -> list[Flowable]:
    """Charts (each with its caption): alone at full width, else two to a row."""
    if len(items) <= 1:
        return [f for item in items for f in item]
    cells: list[list[object]] = [
        [items[i], items[i + 1] if i + 1 < len(items) else ""] for i in range(0, len(items), 2)
    ]
    return [
        Table(
            cells,
            colWidths=[width / 2, width / 2],
            style=[("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)],
            hAlign="LEFT",
        )
    ]


def hbar_chart(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    width: float = 170 * mm,
    color: int = 0,
    value_suffix: str = "",
    top: float | None = None,
) -> Drawing:
    """Horizontal bars, one per label (for lost reasons and discipline)."""
    if not labels or not any(values):
        return _empty_chart(width, 14 * mm, "Nothing to chart in this period")
    row = 14
    height = row * len(labels) + 24
    d = Drawing(width, height)
    chart = HorizontalBarChart()
    label_width = min(72 * mm, 4.6 * max(len(s) for s in labels) + 8)
    chart.x, chart.y = label_width, 16
    chart.width, chart.height = width - label_width - 10, height - 22
    chart.data = [list(reversed(values))]
    chart.categoryAxis.categoryNames = [
        s if len(s) < 48 else s[:46] + "…" for s in reversed(labels)
    ]
    chart.categoryAxis.labels.fontName = "Helvetica"
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = "Helvetica"
    chart.valueAxis.labels.fontSize = 7.5
    top = top or max(values)
    chart.valueAxis.valueMax = top * 1.1 if top else 1
    counts = _whole_steps(chart.valueAxis, values, top)
    chart.valueAxis.labelTextFormat = _axis_format(top, value_suffix, counts)
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = RULE
    chart.bars[0].fillColor = SERIES[color % len(SERIES)]
    chart.bars[0].strokeColor = None
    d.add(chart)
    return d


def _section(title: str, reading: str, *parts: Flowable) -> KeepTogether:
    return KeepTogether(
        [Paragraph(_esc(title), _H), Paragraph(_esc(reading), _READ), Spacer(1, 4), *parts]
    )


def _sign(currency: str, home: str) -> str:
    """A currency as headings name it: "$" (the business's own), "NZ$", "£", "CHF"."""
    return currency_sign(currency, home).strip() if currency else ""


def _cv(cells: dict[str, CountValue], currency: str, home: str) -> str:
    cell = cells.get(currency)
    return "–" if cell is None else f"{cell.count:,} · {money(currency, cell.value, home)}"


def story(report: Report, width: float) -> list[Flowable]:
    """Every section of the report, in the page's order."""
    out: list[Flowable] = []
    name = report.business_name or "Your business"
    made = report.generated_at.astimezone(report.period.tz)
    out.append(Paragraph(_esc(f"{name} — report"), _TITLE))
    out.append(
        Paragraph(
            _esc(
                f"{report.title} · generated {date_text(made)} {clock_text(made)}"
                f" ({report.period.timezone})"
            ),
            _SUB,
        )
    )
    out.append(Spacer(1, 6))

    home = report.home_currency
    w = report.win_rate
    rows = [
        ["", "Won", "Quotes", "Rate"],
        ["All quotes", f"{w.won:,}", f"{w.decided:,}", percent(w.won, w.decided)],
    ]
    rows += [
        [
            f"By value ({_sign(v.currency, home)})",
            money(v.currency, v.won, home),
            money(v.currency, v.decided, home),
            percent(v.won, v.decided),
        ]
        for v in w.by_value
    ]
    top_jobs = w.by_job_type[:TOP_GROUPS]
    tz = report.period.tz
    out.append(
        _section(
            "Win rate",
            w.reading + f" (Quotes sent {day_month(w.sent_from.astimezone(tz))} – "
            f"{day_month(w.sent_before.astimezone(tz))} {w.sent_before.astimezone(tz).year}.)",
            _table(rows, [width * 0.34, width * 0.22, width * 0.22, width * 0.12]),
            Spacer(1, 6),
            hbar_chart(
                [f"{g.key or '?'} ({g.decided})" for g in top_jobs],
                [float(g.rate or 0) * 100 for g in top_jobs],
                width=width,
                value_suffix="%",
                top=100,
            ),
            Paragraph(
                f"Win rate by job type (quotes in brackets; the {TOP_GROUPS} with most quotes)",
                _SUB,
            ),
        )
    )
    src_rows = [["Lead source", "Won", "Quotes", "Rate"]] + [
        [g.key or "Not recorded", f"{g.won:,}", f"{g.decided:,}", percent(g.won, g.decided)]
        for g in w.by_source[:TOP_GROUPS]
    ]
    job_rows = [["Job type", "Won", "Quotes", "Rate"]] + [
        [g.key or "?", f"{g.won:,}", f"{g.decided:,}", percent(g.won, g.decided)]
        for g in w.by_job_type[:TOP_GROUPS]
    ]
    half = width / 2 - 6
    out.append(Spacer(1, 6))
    out.append(
        Table(
            [
                [
                    _table(job_rows, [half * 0.52, half * 0.14, half * 0.17, half * 0.17]),
                    _table(src_rows, [half * 0.52, half * 0.14, half * 0.17, half * 0.17]),
                ]
            ],
            colWidths=[half + 6, half + 6],
            style=[("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)],
        )
    )

    t = report.touches_to_close
    low, high = t.yardstick
    out.append(
        _section(
            "Touches to close",
            t.reading_won,
            bar_chart(
                t.won.labels(),
                [list(map(float, t.won.buckets))],
                width=width,
                highlight=(low, high),
            ),
            Paragraph(
                f"Won quotes by outbound touches before the win; shaded: {low}–{high} touches,"
                " the range 80% of sales need.",
                _SUB,
            ),
        )
    )
    out.append(
        _section(
            "Lost for no reply",
            t.reading_lost,
            bar_chart(
                t.lost_no_reply.labels(),
                [list(map(float, t.lost_no_reply.buckets))],
                width=width,
                height=45 * mm,
            ),
            Paragraph("Quotes lost for no reply, by follow-ups after the quote was sent.", _SUB),
        )
    )

    s = report.speed_to_lead
    rows = [
        ["Leads", "Answered", "Median", "90th percentile", "In 5 min", "In 1 hour", "In 1 day"],
        [
            f"{s.leads:,}",
            f"{s.answered:,}",
            _num(s.median_minutes, " min"),
            _num(s.p90_minutes, " min"),
            percent(s.within_5_min, s.leads),
            percent(s.within_1_h, s.leads),
            percent(s.within_1_day, s.leads),
        ],
    ]
    out.append(
        _section(
            "Speed to lead",
            s.reading,
            _table(rows, [width / 7] * 7),
            Spacer(1, 6),
            bar_chart(
                [day_month(wk.starts) for wk in s.weeks],
                [[float(wk.median_minutes or 0) / 60 for wk in s.weeks]],
                width=width,
                value_suffix=" h",
            ),
            Paragraph(
                "Median hours to a first answer, week by week (the first to answer wins about"
                " half the deals).",
                _SUB,
            ),
        )
    )

    d = report.discipline
    labels = ["On time", "Late", "Skipped", "Lapsed", "Still overdue"]
    values = [d.on_time, d.late, d.skipped, d.lapsed, d.overdue]
    rows = [
        [
            "Due",
            "On time",
            "Late (median)",
            "Missed",
            "Agreed kept",
            "Agreed late",
            "Agreed missed",
        ],
        [
            f"{d.due:,}",
            f"{d.on_time:,}",
            f"{d.late:,} ({_num(d.late_median_hours, ' h')})",
            f"{d.missed:,}",
            f"{d.agreed_kept:,}",
            f"{d.agreed_late:,}",
            f"{d.agreed_missed:,}",
        ],
    ]
    out.append(
        _section(
            "Follow-up discipline",
            d.reading,
            _table(rows, [width / 7] * 7),
            Spacer(1, 6),
            hbar_chart(labels, [float(v) for v in values], width=width, color=1),
        )
    )

    currencies = list(report.currencies) or [""]
    stages = list(report.pipeline.cells)
    rows = [["Stage", *(_sign(c, home) for c in currencies)]] + [
        [stage.label, *(_cv(report.pipeline.cells[stage], c, home) for c in currencies)]
        for stage in stages
    ]
    charts: list[list[Flowable]] = []
    chart_width = width if len(report.currencies) <= 1 else width / 2 - 8
    for c in report.currencies:
        charts.append(
            [
                bar_chart(
                    [st.label for st in stages],
                    [
                        [
                            float(report.pipeline.cells[st].get(c, CountValue(0, Decimal(0))).value)
                            for st in stages
                        ]
                    ],
                    width=chart_width,
                    height=40 * mm,
                ),
                Paragraph(f"Pipeline value now, {_sign(c, home)}", _SUB),
            ]
        )
    out.append(
        _section(
            "Pipeline value by stage (now)",
            report.pipeline.reading,
            _table(rows, [width * 0.25] + [width * 0.75 / len(currencies)] * len(currencies)),
            Spacer(1, 6),
            *_charts(charts, width),
        )
    )

    months = report.by_month
    rows = [["Month", "Currency", "Quoted", "Won", "Lost"]]
    for m in months:
        for c in sorted(set(m.quoted) | set(m.won) | set(m.lost)):
            rows.append(
                [
                    f"{m.month:%b %Y}",
                    _sign(c, home),
                    _cv(m.quoted, c, home),
                    _cv(m.won, c, home),
                    _cv(m.lost, c, home),
                ]
            )
    charts = []
    for c in report.currencies:
        zero = CountValue(0, Decimal(0))
        series = [
            [float(getattr(m, kind).get(c, zero).value) for m in months]
            for kind in ("quoted", "won", "lost")
        ]
        if any(any(v for v in ser) for ser in series):
            charts.append(
                [
                    bar_chart(
                        [f"{m.month:%b %y}" for m in months],
                        series,
                        ["Quoted", "Won", "Lost"],
                        width=chart_width,
                        height=50 * mm,
                    ),
                    Paragraph(f"Value by month, {_sign(c, home)}", _SUB),
                ]
            )
    out.append(
        _section(
            "Quoted, won and lost by month",
            report.by_month_reading,
            _table(rows, [width * 0.16, width * 0.12, width * 0.24, width * 0.24, width * 0.24]),
            Spacer(1, 6),
            *_charts(charts, width),
        )
    )

    lr = report.lost_reasons
    rows = [["Reason", "Quotes", "Share", "Value"]] + [
        [
            r.reason,
            f"{r.count:,}",
            percent(r.count, lr.total),
            "; ".join(money(c, v, home) for c, v in r.value.items()),
        ]
        for r in lr.reasons
    ]
    out.append(
        _section(
            "Lost reasons",
            lr.reading,
            hbar_chart(
                [r.reason for r in lr.reasons[:12]],
                [float(r.count) for r in lr.reasons[:12]],
                width=width,
                color=2,
            ),
            Spacer(1, 4),
            _table(rows, [width * 0.5, width * 0.12, width * 0.12, width * 0.26]),
        )
    )

    ts = report.time_in_stage
    rows = [
        ["Span", "Quotes", "Median days"],
        [
            "Lead → quoted (sent in the period)",
            f"{ts.lead_to_quoted.quotes:,}",
            _num(ts.lead_to_quoted.median_days),
        ],
        [
            "Quoted → decided (decided in the period)",
            f"{ts.quoted_to_decided.quotes:,}",
            _num(ts.quoted_to_decided.median_days),
        ],
        [
            "Lead → decided (decided in the period)",
            f"{ts.lead_to_decided.quotes:,}",
            _num(ts.lead_to_decided.median_days),
        ],
    ]
    out.append(
        _section(
            "Time in stage",
            ts.reading,
            _table(rows, [width * 0.5, width * 0.2, width * 0.2]),
        )
    )
    return out


def report_pdf(report: Report, *, country: str = "") -> bytes:
    """The report as PDF bytes (US Letter for North America, A4 elsewhere)."""
    size = LETTER if country.upper() in LETTER_COUNTRIES else A4
    buf = io.BytesIO()
    margin = 16 * mm
    doc = SimpleDocTemplate(
        buf,
        pagesize=size,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin + 4 * mm,
        title=f"{report.business_name or 'deckfollow'} report — {report.title}",
        author=report.business_name or "deckfollow",
        creator="deckfollow",
    )
    footer = f"{report.business_name or 'deckfollow'} · {report.title}"

    def on_page(canvas: Canvas, _doc: object) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.setFillColor(MUTED)
        canvas.drawString(margin, margin, footer)
        canvas.drawRightString(size[0] - margin, margin, f"Page {canvas.getPageNumber()}")
        canvas.restoreState()

    # The frame pads its content by 6 pt on each side.
    doc.build(story(report, doc.width - 12), onFirstPage=on_page, onLaterPages=on_page)
    return buf.getvalue()


def write_report_pdf(report: Report, path: Path, *, country: str = "") -> Path:
    """Write the PDF readable by the owner only (it names the business's figures)."""
    data = report_pdf(report, country=country)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)
    return path
