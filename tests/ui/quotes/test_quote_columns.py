# mypy: disable-error-code="no-untyped-call"
"""The Quotes page beside the details panel fits without scrolling sideways: who, how much and
what is next stay whole, the received date and quote number make way first, and widths the
user gave (in this version or saved by an earlier one) are kept."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QApplication, QTableView
from pytestqt.qtbot import QtBot

from deckfollow.ui.main_window import MainWindow
from deckfollow.ui.quote_list.page import (
    AMOUNT,
    CUSTOMER,
    JOB,
    LAST_TOUCH,
    NEXT,
    NUMBER,
    RECEIVED,
    STAGE,
)
from tests.ui.column_helpers import (
    PEOPLE,
    _no_remembered_columns,
    business,
    shown_width,
    whole,
    window,
)

__all__ = ["_no_remembered_columns", "business", "window"]


def _open(qtbot: QtBot, win: MainWindow) -> None:
    win.show_page("quotes")
    page = win.quotes
    qtbot.waitUntil(lambda: page.model.rowCount() == len(PEOPLE))
    page.view.selectRow(0)
    page.view.activated.emit(page.model.index(0, 0))
    qtbot.waitUntil(win.detail_dock.isVisible)
    QApplication.processEvents()


def test_beside_the_details_panel_the_quotes_fit_without_scrolling_sideways(
    qtbot: QtBot, window: MainWindow
) -> None:
    _open(qtbot, window)
    page = window.quotes
    view, model = page.view, page.model
    header = view.horizontalHeader()
    assert view.viewport().width() < 800

    assert view.horizontalScrollBar().maximum() == 0
    assert shown_width(view) <= view.viewport().width()
    for row in range(model.rowCount()):
        for col in (CUSTOMER, AMOUNT):
            assert whole(view, col, model.index(row, col).data()), (row, col)
    # Only what the details panel also shows, or matters least, made way.
    hidden = {c for c in range(header.count()) if header.isSectionHidden(c)}
    assert {RECEIVED, NUMBER} <= hidden <= {RECEIVED, NUMBER, LAST_TOUCH, STAGE}
    assert not header.isSectionHidden(JOB) and not header.isSectionHidden(NEXT)

    window.detail_dock.hide()
    qtbot.waitUntil(lambda: not any(header.isSectionHidden(c) for c in range(header.count())))
    assert view.horizontalScrollBar().maximum() == 0
    for row in range(model.rowCount()):
        for col in (CUSTOMER, JOB, NUMBER, AMOUNT, RECEIVED):
            assert whole(view, col, model.index(row, col).data()), (row, col)


def _next_start(qtbot: QtBot, window: MainWindow) -> MainWindow:
    """The window as the next start makes it, on the Quotes page with its quotes."""
    later = MainWindow(window.ops.store, clock=window.clock)
    qtbot.addWidget(later)
    later.resize(window.size())
    later.show()
    later.refresh()
    later.show_page("quotes")
    qtbot.waitUntil(lambda: later.quotes.model.rowCount() == len(PEOPLE))
    return later


def test_a_width_the_user_gave_the_amount_is_kept_and_the_rest_fit_around_it(
    qtbot: QtBot, window: MainWindow
) -> None:
    _open(qtbot, window)
    header = window.quotes.view.horizontalHeader()
    header.resizeSection(AMOUNT, 160)  # the user drags its edge
    QApplication.processEvents()
    window.detail_dock.hide()
    QApplication.processEvents()
    window.detail_dock.show()
    QApplication.processEvents()
    assert header.sectionSize(AMOUNT) == 160
    assert window.quotes.view.horizontalScrollBar().maximum() == 0
    assert QSettings().value("quotes/columns/widths") == f"{AMOUNT}=160"


def test_widths_saved_by_an_earlier_version_are_kept(qtbot: QtBot, window: MainWindow) -> None:
    # The header an earlier version saved: the user had widened the amount to 150.
    old = QTableView()
    qtbot.addWidget(old)
    old.setModel(QStandardItemModel(0, 8, old))
    for col, width in enumerate((180, 300, 115, 150, 100, 95, 215, 95)):
        old.horizontalHeader().resizeSection(col, width)
    QSettings().setValue("quotes/header", old.horizontalHeader().saveState())
    QSettings().remove("quotes/columns")  # an earlier version kept no widths of its own

    later = _next_start(qtbot, window)
    assert later.quotes.view.horizontalHeader().sectionSize(AMOUNT) == 150
    assert later.quotes.columns.pinned == {AMOUNT: 150}


def test_widths_that_fitted_themselves_in_a_first_session_are_not_taken_for_the_user_s(
    qtbot: QtBot, window: MainWindow
) -> None:
    """A first start writes no settings while the window comes up (each write syncs the file
    to disk on the GUI thread); closing saves the header with the mark that it is this
    version's, so the next start fits the columns again instead of pinning their widths."""
    _open(qtbot, window)
    assert QSettings().value("quotes/columns/widths") is None, "nothing written at start"
    header = window.quotes.view.horizontalHeader()
    fitted = [header.sectionSize(c) for c in range(header.count())]
    window.close()  # saves the list's header, as quitting does
    assert QSettings().value("quotes/header") is not None
    assert QSettings().value("quotes/columns/widths") == ""

    later = _next_start(qtbot, window)
    assert later.quotes.columns.pinned == {}, fitted
