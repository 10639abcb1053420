# mypy: disable-error-code="no-untyped-call"
"""Today at the window's minimum width (900 px): with and without the details panel open
the list and the action panel never overlap, nothing scrolls sideways, and the reason
stays readable; wide again, the page looks as it did."""

from __future__ import annotations

from datetime import datetime
from itertools import pairwise

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from deckfollow.demo.generator import generate_demo
from deckfollow.storage.database import Database
from deckfollow.ui.features import install_features
from deckfollow.ui.main_window import MainWindow
from deckfollow.ui.today_page.page import TodayPage

pytestmark = pytest.mark.usefixtures("first_run_layout")


@pytest.fixture
def window(qtbot: QtBot, db: Database, now: datetime) -> MainWindow:
    with db.unit_of_work() as s:
        generate_demo(s, customers=40, quotes=120, seed=3, now=now, country="AU")
    win = MainWindow(db, clock=lambda: now)
    qtbot.addWidget(win)
    install_features(win, db, lambda: now)
    win.resize(900, 700)
    win.show()
    win.refresh()
    win.show_page("today")
    qtbot.waitUntil(lambda: win.today.model.rowCount() > 0)
    page = win.today
    first = page.model.ids_in_order()[0]
    assert page.select_follow_up(first)
    qtbot.waitUntil(lambda: bool(page.who.text()))
    _settle()
    return win


def _settle() -> None:
    for _ in range(5):
        QApplication.processEvents()


def _box(widget: QWidget, page: QWidget) -> QRect:
    return QRect(widget.mapTo(page, QPoint(0, 0)), widget.size())


def _shown_panel(page: TodayPage) -> QWidget:
    """The part of the page the action panel is seen through."""
    shown = page.panel.parentWidget()
    assert shown is not None
    return shown


def _fits(page: TodayPage) -> None:
    """The list and the action panel side by side or stacked, never over one another."""
    tree, panel = _box(page.tree, page), _box(_shown_panel(page), page)
    assert not tree.intersects(panel), (tree, panel)
    for box in (tree, panel):
        assert box.left() >= 0 and box.right() < page.width(), box
    assert page.tree.horizontalScrollBar().maximum() == 0
    # Every line of the panel is whole and none is drawn over the next.
    shown = [
        w for w in page.panel.findChildren(QWidget) if w.isVisible() and w.parent() is page.panel
    ]
    shown.sort(key=lambda w: w.y())
    assert page.panel.width() <= _shown_panel(page).width()  # not cut off on the right
    for above, below in pairwise(shown):
        if above.y() != below.y():  # buttons on one row share a top
            assert above.geometry().bottom() < below.y(), (above, below)
    for w in shown:
        assert w.x() >= 0 and w.geometry().right() < page.panel.width(), w
    assert page.tree.columnWidth(3) >= 60, "the reason keeps room to be read"


def test_today_fits_the_minimum_width_with_and_without_the_details(
    qtbot: QtBot, window: MainWindow
) -> None:
    page = window.today
    assert window.width() == 900
    # Without the details: list and action panel side by side, the reason readable.
    assert page.splitter.orientation() is Qt.Orientation.Horizontal
    _fits(page)
    assert page.tree.columnWidth(3) >= 120

    # The details open beside it leave the page about 350 px: the panel goes under the list.
    item = page.current_item()
    assert item is not None and item.quote_id is not None
    window.open_quote(item.quote_id)
    qtbot.waitUntil(window.detail_dock.isVisible)
    _settle()
    assert page.width() < 400
    assert page.splitter.orientation() is Qt.Orientation.Vertical
    _fits(page)
    assert _box(_shown_panel(page), page).top() > _box(page.tree, page).bottom()

    # Wide again with the details closed: beside the list, every column back.
    window.detail_dock.hide()
    window.resize(1400, 900)
    _settle()
    assert page.splitter.orientation() is Qt.Orientation.Horizontal
    _fits(page)
    assert not page.tree.isColumnHidden(4)
    assert page.tree.columnWidth(0) == 168
