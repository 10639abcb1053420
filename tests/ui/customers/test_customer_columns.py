# mypy: disable-error-code="no-untyped-call"
"""The Customers page beside the details panel: names read in full, nothing scrolls sideways,
the least important column makes way first, and a width the user gave a column is kept."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from deckfollow.ui.customers.model import COMPANY, EMAIL, LAST, NAME, PHONE, SUBURB
from deckfollow.ui.main_window import MainWindow
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
    go = next(a for a in win.menu("View").actions() if a.shortcut() == QKeySequence("Ctrl+4"))
    go.trigger()
    page = win.customers
    qtbot.waitUntil(lambda: page.model.rowCount() == len(PEOPLE))
    page.view.selectRow(0)
    page.view.activated.emit(page.model.index(0, 0))
    qtbot.waitUntil(win.detail_dock.isVisible)
    QApplication.processEvents()


def test_beside_the_details_panel_names_are_whole_and_nothing_scrolls_sideways(
    qtbot: QtBot, window: MainWindow
) -> None:
    _open(qtbot, window)
    view = window.customers.view
    header = view.horizontalHeader()
    assert view.viewport().width() < 800  # the panel took half the window

    for name, *_ in PEOPLE:
        assert whole(view, NAME, name), (name, header.sectionSize(NAME))
    assert whole(view, PHONE, "0412 111 002")
    assert whole(view, LAST, "30 d ago")
    assert view.horizontalScrollBar().maximum() == 0
    assert shown_width(view) <= view.viewport().width()
    # What made way is what matters least: the company (in the details) before the email.
    hidden = {c for c in range(header.count()) if header.isSectionHidden(c)}
    assert hidden <= {COMPANY, EMAIL, SUBURB}
    if EMAIL in hidden:
        assert COMPANY in hidden

    # The panel closed, every column is back, each text whole.
    window.detail_dock.hide()
    qtbot.waitUntil(lambda: not any(header.isSectionHidden(c) for c in range(header.count())))
    assert whole(view, COMPANY, "Fitzgerald Property Group")
    assert whole(view, EMAIL, "alexandra.fitzgerald@bigpond.com")
    assert view.horizontalScrollBar().maximum() == 0


def test_a_width_the_user_gives_a_column_is_kept_until_they_fit_the_columns_again(
    qtbot: QtBot, window: MainWindow
) -> None:
    _open(qtbot, window)
    page = window.customers
    header = page.view.horizontalHeader()
    natural = header.sectionSize(SUBURB)

    header.resizeSection(SUBURB, natural + 60)  # the user drags its edge
    QApplication.processEvents()
    assert header.sectionSize(SUBURB) == natural + 60
    assert whole(page.view, NAME, "Alexandra Fitzgerald")
    assert page.view.horizontalScrollBar().maximum() == 0  # the others made room

    # Kept through the panel closing and opening, and in a window opened later.
    window.detail_dock.hide()
    QApplication.processEvents()
    window.detail_dock.show()
    QApplication.processEvents()
    assert header.sectionSize(SUBURB) == natural + 60
    later = MainWindow(page._ops.store, clock=window.clock)
    qtbot.addWidget(later)
    later.resize(window.size())
    later.show()
    later.show_page("customers")
    qtbot.waitUntil(lambda: later.customers.model.rowCount() == len(PEOPLE))
    assert later.customers.view.horizontalHeader().sectionSize(SUBURB) == natural + 60

    page.columns.fit_to_window()  # "Fit columns to the window" in the header's menu
    assert header.sectionSize(SUBURB) == natural
