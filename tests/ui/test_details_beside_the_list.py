# mypy: disable-error-code="no-untyped-call"
"""At the window's minimum width the details panel leaves the list room: neither the Quotes
nor the Customers page scrolls sideways or spills under the panel, the panel stays whole, and
the width the user drags the panel to is kept for the next start."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from deckfollow.storage.database import Database
from deckfollow.ui.features import install_features
from deckfollow.ui.main_window import LIST_MIN_WIDTH, PANEL_MIN_WIDTH, PANEL_WIDTH, MainWindow
from deckfollow.ui.quote_list.page import AMOUNT, CUSTOMER, NEXT
from tests.ui.column_helpers import _no_remembered_columns, business, whole, window

__all__ = ["_no_remembered_columns", "business", "window"]


def _settle() -> None:
    for _ in range(5):
        QApplication.processEvents()


def _inside(child: QWidget, outer: QWidget) -> bool:
    """The child is drawn whole inside `outer` (not cut off by its edge)."""
    left = child.mapTo(outer, QPoint(0, 0)).x()
    return left >= 0 and left + child.width() <= outer.width()


def _open_quote(qtbot: QtBot, win: MainWindow) -> None:
    win.show_page("quotes")
    page = win.quotes
    qtbot.waitUntil(lambda: page.model.rowCount() > 0)
    page.view.selectRow(0)
    page.view.activated.emit(page.model.index(0, 0))
    qtbot.waitUntil(win.detail_dock.isVisible)
    _settle()


def test_at_the_minimum_width_the_list_keeps_room_beside_the_details(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.resize(window.minimumWidth(), 600)
    _open_quote(qtbot, window)
    assert window.width() == 900
    page = window.quotes
    # The panel is narrower than before (500) but whole, inside the window.
    dock = window.detail_dock
    assert PANEL_MIN_WIDTH <= dock.width() < 500
    assert dock.geometry().right() < window.width()
    for area in window.detail.findChildren(QScrollArea):
        assert area.horizontalScrollBar().maximum() == 0  # read without scrolling sideways
    assert window.stack.width() >= LIST_MIN_WIDTH
    # The filters wrap under the search box instead of overlapping it.
    assert page.filters.lines > 1
    for widget in (page.search, page.stage, page.overdue, page.agreed, page.cold):
        assert _inside(widget, page), widget
    view = page.view
    assert view.horizontalScrollBar().maximum() == 0
    # Who (cut short at worst: whole in the panel), how much and what is next.
    assert not view.horizontalHeader().isSectionHidden(CUSTOMER)
    for row in range(page.model.rowCount()):
        for col in (AMOUNT, NEXT):
            assert whole(view, col, page.model.index(row, col).data()), (row, col)

    window.show_page("customers")
    customers = window.customers
    qtbot.waitUntil(lambda: customers.model.rowCount() > 0)
    _settle()
    assert customers.view.horizontalScrollBar().maximum() == 0
    for button in (customers.search, customers.new_button, customers.merge_button):
        assert _inside(button, customers), button

    # Wide again, with the panel closed, the search and its filters are back on one line.
    window.resize(1400, 900)
    window.detail_dock.hide()
    window.show_page("quotes")
    _settle()
    assert page.filters.lines == 1


def _start(qtbot: QtBot, db: Database, now: datetime) -> MainWindow:
    win = MainWindow(db, clock=lambda: now)
    qtbot.addWidget(win)
    install_features(win, db, lambda: now)
    win.resize(1400, 900)
    win.show()
    win.refresh()
    return win


def test_the_panel_width_the_user_chose_is_kept(
    qtbot: QtBot, window: MainWindow, business: Database, now: datetime
) -> None:
    _open_quote(qtbot, window)
    _settle()
    assert window.detail_dock.width() == PANEL_WIDTH  # roomy the first time, in a wide window
    window.resizeDocks([window.detail_dock], [620], Qt.Orientation.Horizontal)
    _settle()
    chosen = window.detail_dock.width()
    assert chosen > 560
    window.close()
    # A start that never opens the panel does not forget the width.
    _start(qtbot, business, now).close()

    again = _start(qtbot, business, now)
    _open_quote(qtbot, again)
    assert abs(again.detail_dock.width() - chosen) <= 2
