"""The report PDF read back and rendered with poppler: title, figures, charts, margins."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from deckfollow.core.report_periods import custom
from deckfollow.core.reports import build_report
from deckfollow.core.reports_model import Report
from deckfollow.demo.generator import generate_demo
from deckfollow.printing.report_pdf import write_report_pdf
from deckfollow.storage.database import Database
from tests.printing.poppler import ink_inside, ink_outside, page_sizes, render, text

NOW = datetime(2026, 11, 22, 22, tzinfo=UTC)
MARGIN = 16 * 72 / 25.4


@pytest.fixture
def report(db: Database) -> Report:
    with db.unit_of_work() as s:
        generate_demo(s, customers=40, quotes=120, seed=3, now=NOW, country="AU")
    with db.reading() as s:
        return build_report(
            s, custom(date(2026, 5, 1), date(2026, 10, 31), "Australia/Sydney"), now=NOW
        )


def test_the_pdf_shows_the_business_the_period_and_every_figure(
    report: Report, tmp_path: Path
) -> None:
    pdf = write_report_pdf(report, tmp_path / "report.pdf", country="AU")
    words = " ".join(text(pdf).split())
    assert f"{report.business_name} — report" in words
    assert "Custom: 1 May – 31 Oct 2026" in words
    for title in (
        "Win rate",
        "Touches to close",
        "Lost for no reply",
        "Speed to lead",
        "Follow-up discipline",
        "Pipeline value by stage (now)",
        "Quoted, won and lost by month",
        "Lost reasons",
        "Time in stage",
    ):
        assert title in words
    # The same numbers as the report itself, and each figure's reading.
    d = report.discipline
    assert f"{d.due:,} {d.on_time:,}" in words
    assert " ".join(report.speed_to_lead.reading.split())[:60] in words
    assert report.lost_reasons.reasons[0].reason in words
    # Money reads as the board writes it (the business's own dollars "$12,480"), never
    # "AUD 13%".
    assert report.home_currency == "AUD"
    won = report.win_rate.by_value[0]
    assert f"By value ($) ${won.won:,.0f} ${won.decided:,.0f}" in words
    assert "By value: $" in words and "AUD" not in words

    sizes = page_sizes(pdf)
    assert all(size == pytest.approx((595.28, 841.89), abs=0.5) for size in sizes)
    pages = render(pdf, tmp_path, dpi=80)
    assert len(pages) == len(sizes) >= 2
    width, height = sizes[0]
    inside = [(MARGIN - 2, MARGIN - 2, width - 2 * MARGIN + 4, height - 2 * MARGIN + 4)]
    for page in pages:
        # Nothing runs off into the margins, and every page carries a chart or a table.
        assert ink_outside(page, inside, dpi=80) is None
        assert ink_inside(page, inside[0], dpi=80) > 2000


def test_north_american_businesses_get_letter_paper(report: Report, tmp_path: Path) -> None:
    pdf = write_report_pdf(report, tmp_path / "us.pdf", country="US")
    assert page_sizes(pdf)[0] == pytest.approx((612, 792), abs=0.5)


def test_an_empty_business_still_prints_every_section(db: Database, tmp_path: Path) -> None:
    with db.reading() as s:
        empty = build_report(s, custom(date(2026, 6, 1), date(2026, 6, 30), "UTC"), now=NOW)
    words = " ".join(text(write_report_pdf(empty, tmp_path / "e.pdf")).split())
    assert "Your business — report" in words
    assert "Nothing to chart in this period" in words
    assert "No quotes were lost in this period." in words
