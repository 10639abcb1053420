# mypy: disable-error-code="no-untyped-call"
"""Today in the main window on an ordinary laptop screen: a customer on another clock
keeps the owner's due time and their own whole, with the details panel open or closed,
and nothing scrolls sideways."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QApplication, QStyle, QTableView
from pytestqt.qtbot import QtBot

from deckfollow.core.enums import Basis, Channel
from deckfollow.core.followups import FollowUpPlan, schedule_follow_up
from deckfollow.storage.database import Database
from deckfollow.ui import formatting
from deckfollow.ui.features import install_features
from deckfollow.ui.main_window import MainWindow
from tests.ui.ken_in_perth import NOW, sydney_owner_and_ken_in_perth
from tests.ui.waiting import settle

pytestmark = pytest.mark.usefixtures("first_run_layout")

# Monday 7 December, 1:00 pm in Sydney: Ken's call at 12:00 pm (9:00 am in Perth) is due.
MONDAY = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)
KENS_CALL = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)


def _window(qtbot: QtBot, db: Database, width: int, height: int) -> MainWindow:
    ken = sydney_owner_and_ken_in_perth(db)
    with db.unit_of_work() as s:
        plan = FollowUpPlan(
            due_at=KENS_CALL,
            channel=Channel.CALL,
            reason="Go over the jarrah sample",
            basis=Basis.AGREED,
            agreed_words="Call me Monday morning",
        )
        schedule_follow_up(s, ken.customer_id, ken.quote_id, plan, now=NOW)
    win = MainWindow(db, clock=lambda: MONDAY)
    qtbot.addWidget(win)
    install_features(win, db, lambda: MONDAY)
    win.resize(width, height)
    win.show()
    win.refresh()
    win.show_page("today")
    qtbot.waitUntil(lambda: win.today.model.rowCount() > 0)
    settle(qtbot, win)
    return win


def _settle() -> None:
    for _ in range(5):
        QApplication.processEvents()


def _shown(tree: QTableView, index: QModelIndex) -> list[str]:
    """A cell's text line by line, as its delegate paints it (a plain one: one line)."""
    lines = getattr(tree.itemDelegateForIndex(index), "lines", None)
    return lines(index) if lines is not None else [index.data()]


def _kens_due_lines(win: MainWindow) -> list[str]:
    """What Ken's Due cell shows, after checking that every line of it is whole."""
    tree = win.today.tree
    assert tree.horizontalScrollBar().maximum() == 0, "nothing scrolls sideways"
    index = win.today.model.index(1, 0)  # under the Calls title
    cells = tree.fontMetrics()
    # The room the style leaves either side of a cell's text.
    margin = tree.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, tree) + 1
    line = tree.rowHeight(0)  # a section title's: one line
    for column in (0, 2, 3):  # the due time, the customer and the reason, all whole
        shown = _shown(tree, index.siblingAtColumn(column))
        for text in shown:
            needed = cells.horizontalAdvance(text) + 2 * margin
            assert needed <= tree.columnWidth(column), (text, needed, tree.columnWidth(column))
        assert len(shown) * line <= tree.rowHeight(1) + 1, shown
    return _shown(tree, index)


@pytest.mark.parametrize("size", [(1366, 768), (1600, 1000)])
def test_a_customer_on_another_clock_keeps_both_times_whole_beside_the_details(
    qtbot: QtBot, db: Database, size: tuple[int, int]
) -> None:
    win = _window(qtbot, db, *size)
    noon, nine = formatting.clock_text(time(12)), formatting.clock_text(time(9))
    item = win.today.current_item()
    assert item is not None and item.customer == "Ken Perth" and item.quote_id is not None
    win.open_quote(item.quote_id)
    qtbot.waitUntil(win.detail_dock.isVisible)
    _settle()
    tree = win.today.tree
    assert tree.isColumnHidden(1), "no room for a column of their time beside the details"
    # The owner's clock first, Ken's under it.
    assert _kens_due_lines(win) == [f"Mon 7 Dec {noon}", f"{nine} their time"]
    assert tree.rowHeight(1) > tree.rowHeight(0), "Ken's row two lines, a title's one"

    # Closed again, a wide window has room for the column of their time: one line a row.
    win.detail_dock.hide()
    _settle()
    if size[0] >= 1600:
        assert not tree.isColumnHidden(1)
        assert _kens_due_lines(win) == [f"Mon 7 Dec {noon}"]
        assert win.today.model.index(1, 1).data() == nine
        assert tree.rowHeight(1) == tree.rowHeight(0)
    else:
        assert _kens_due_lines(win) == [f"Mon 7 Dec {noon}", f"{nine} their time"]
