"""The Reports page on a hand-built business: figures, readings, charts, tables, clicks."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from deckfollow.core.reports_behind import Drill, Figure
from deckfollow.storage.database import Database
from deckfollow.ui.features import install_features
from deckfollow.ui.main_window import MainWindow
from deckfollow.ui.reports.page import ReportsPage
from tests.core.test_reports import NOW, Q, shop  # noqa: F401 - `shop` is a fixture

CUSTOM = 3  # "Custom…" in the period list


def _june(page: ReportsPage, qtbot: QtBot) -> None:
    """Choose 1–30 June 2026 and wait for the figures (computed on the database thread)."""
    page.first.setDate(QDate(2026, 5, 1))  # June is then a change, also after an earlier test
    page.period.setCurrentIndex(CUSTOM)
    page.wait_for_report()
    with qtbot.waitSignal(page.report_ready, timeout=20_000):
        page.first.setDate(QDate(2026, 6, 1))
        page.last.setDate(QDate(2026, 6, 30))
        # The report is computed off the GUI thread: nothing is there yet.
        assert page.report is None or page.report.period.first != date(2026, 6, 1)
    assert page.report is not None and page.report.period.first == date(2026, 6, 1)


@pytest.fixture
def window(qtbot: QtBot, db: Database, shop: dict[str, Q]) -> MainWindow:  # noqa: F811
    win = MainWindow(db, clock=lambda: NOW)
    qtbot.addWidget(win)
    install_features(win, db, lambda: NOW)
    win.resize(1400, 900)
    win.show()
    win.refresh()
    QApplication.processEvents()
    win.show_page("reports")
    _june(win.reports.page, qtbot)
    return win


def test_each_figure_shows_its_number_and_reading(window: MainWindow) -> None:
    page = window.reports.page
    assert page.report is not None
    assert page.win.figures[0].value.text() == "50%  (2 of 4)"
    # Each money share with the money it is a share of, signed as the business (in Australia)
    # signs it and as the readings beside it do: its own dollars plain "$".
    assert page.win.figures[1].value.text() == "67%  ($10k of $15k)\n60%  (£3,000 of £5,000)"
    assert page.touches.figures[0].value.text() == "7"
    assert page.speed.figures[0].value.text() == "61.5 min"
    assert page.speed.figures[4].value.text() == "1"
    assert page.discipline.figures[3].value.text() == "1"
    assert page.stages.figures[1].value.text() == "39 days  (3)"
    for card, reading in (
        (page.win, page.report.win_rate.reading),
        (page.speed, page.report.speed_to_lead.reading),
        (page.discipline, page.report.discipline.reading),
    ):
        assert card.reading.text() == reading
    assert page.export_pdf.isEnabled() and page.export_csv.isEnabled()


def test_every_chart_has_its_numbers_as_a_table(window: MainWindow, qtbot: QtBot) -> None:
    page = window.reports.page
    card = page.touches
    assert not card.table.isVisible()
    QTest.mouseClick(card.toggle, Qt.MouseButton.LeftButton)
    assert card.table.isVisible()
    cells = [
        [card.table.item(r, c).text() for c in range(2)]  # type: ignore[union-attr]
        for r in range(card.table.rowCount())
    ]
    assert ["7", "1"] in cells and ["6", "0"] in cells
    assert card.table.rowCount() == len(card.chart.data.categories)  # type: ignore[union-attr]


def test_clicking_a_bar_lists_the_quotes_behind_it(
    window: MainWindow,
    qtbot: QtBot,
    shop: dict[str, Q],  # noqa: F811
) -> None:
    page = window.reports.page
    chart = page.touches.chart
    assert chart is not None
    page.scroller.ensureWidgetVisible(chart)
    QApplication.processEvents()
    chart.repaint()
    rect = chart.bar_rect(0, 7)
    assert rect is not None and rect.height() > 0
    with qtbot.waitSignal(page.show_quotes) as caught:
        QTest.mouseClick(
            chart,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
            rect.center().toPoint(),
        )
    assert caught.args[0] == [shop["deck"].quote_id]
    # The window shows those quotes, and only those, in the Quotes list.
    assert window.stack.currentWidget() is window.quotes
    shown = [window.quotes.model.row_at(r).quote_id for r in range(window.quotes.model.rowCount())]  # type: ignore[union-attr]
    assert shown == [shop["deck"].quote_id]
    assert window.quotes.only_bar.isVisible()
    assert "7 touches" in window.quotes.only_label.text()
    QTest.mouseClick(window.quotes.show_all, Qt.MouseButton.LeftButton)
    assert window.quotes.model.rowCount() == len(shop)
    assert not window.quotes.only_bar.isVisible()


def test_clicking_a_figure_lists_its_quotes(
    window: MainWindow,
    qtbot: QtBot,
    shop: dict[str, Q],  # noqa: F811
) -> None:
    page = window.reports.page
    missed = page.discipline.figures[3]
    assert missed.drill == Drill(Figure.DISCIPLINE, "agreed_missed", label=missed.drill.label)  # type: ignore[union-attr]
    page.scroller.ensureWidgetVisible(missed)
    QApplication.processEvents()
    with qtbot.waitSignal(page.show_quotes) as caught:
        QTest.mouseClick(
            missed, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(10, 10)
        )
    assert caught.args[0] == [shop["carport"].quote_id]


def test_export_writes_the_same_report_as_pdf_and_csv(window: MainWindow, tmp_path: Path) -> None:
    page = window.reports.page
    page.save_pdf(tmp_path / "r.pdf")
    page.save_csv(tmp_path / "r.csv")
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    text = (tmp_path / "r.csv").read_text("utf-8-sig")
    assert "Win rate,All quotes,,Rate,0.50" in text
    assert page.status.text() == "Saved r.csv"


def test_ctrl_5_and_tools_reports_open_the_page(window: MainWindow, qtbot: QtBot) -> None:
    window.show_page("today")
    tools = [a for a in window.menu("Tools").actions() if a.text() == "&Reports"]
    assert len(tools) == 1 and tools[0].shortcut().toString() == "Ctrl+5"
    tools[0].trigger()
    assert window.stack.currentWidget() is window.reports


def test_a_custom_period_is_in_the_owner_clock_and_remembered(
    window: MainWindow, qtbot: QtBot
) -> None:
    page = window.reports.page
    assert page.report is not None
    assert page.report.period.timezone == "Australia/Sydney"
    assert page.report.starts.isoformat() == "2026-05-31T14:00:00+00:00"
    again = ReportsPage(window.ops.store, clock=lambda: NOW)
    qtbot.addWidget(again)
    assert again.period.currentIndex() == CUSTOM
    assert (again.first.date(), again.last.date()) == (QDate(2026, 6, 1), QDate(2026, 6, 30))


def test_periods_clicked_through_quickly_show_the_last_one_chosen(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from deckfollow.core.report_periods import Period, PeriodKind
    from deckfollow.core.reports import build_report
    from deckfollow.ui.reports import page as reports_page

    page = window.reports.page
    built: list[PeriodKind] = []

    def counted(session: object, period: Period, **kwargs: object) -> object:
        built.append(period.kind)
        return build_report(session, period, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(reports_page, "build_report", counted)
    for index in (0, 1, 2, 0, 1):  # This month, Last 90 days, This financial year, …
        page.period.setCurrentIndex(index)
    assert page.status.text() == "Working out the figures…"
    with qtbot.waitSignal(page.report_ready, timeout=20_000):
        pass
    page.wait_for_report()
    assert page.report is not None and page.report.period.kind is PeriodKind.LAST_90_DAYS
    assert page.period.currentText() == "Last 90 days"
    # The one being read when the clicks began, then only the last one chosen.
    assert built == [PeriodKind.THIS_MONTH, PeriodKind.LAST_90_DAYS]
