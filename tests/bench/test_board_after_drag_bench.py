"""GUI-thread time from a dragged card's saved change to the board showing it, on the 20k and
100k demos: the quote index taking the changed quote's row (and the board and list moving
that row alone) against reading every quote again and laying the pages out anew (what the
window did before a change named its rows), run alternately on the same window.

Measured from the change's broadcast on the GUI thread (the drop, its check of the quote's
details and the save itself come before, the same either way) to the moment the board and
the quote list show it, their rows laid out: the GUI thread's processor time in between
(what a busy shared machine cannot inflate: the thread waits on the database thread without
using it), and the wall time, which includes the database thread's read.
"""

from __future__ import annotations

import os
import shutil
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtWidgets import QAbstractItemView, QApplication, QDialog
from pytestqt.qtbot import QtBot

from deckfollow.core import quote_index
from deckfollow.core.enums import Stage
from deckfollow.storage.database import open_database
from deckfollow.ui.main_window import MainWindow
from tests.bench.report import record
from tests.bench.test_commands_bench import demo_file
from tests.ui.waiting import wait_idle

pytestmark = pytest.mark.bench

SIZES = [20_000] + ([] if os.environ.get("BENCH_SKIP_100K") == "1" else [100_000])


def _runs(quotes: int) -> int:
    return 6 if quotes <= 20_000 else 4  # each way


class _Timing:
    """GUI-thread processor time and wall time from the change's broadcast to the board."""

    def __init__(self) -> None:
        self.started: tuple[float, float] | None = None
        self.took: tuple[float, float] | None = None

    def reset(self) -> None:
        self.started = self.took = None

    def start(self, *_args: object) -> None:
        if self.started is None:
            self.started = (time.thread_time(), time.perf_counter())

    def end(self) -> None:
        if self.started is not None and self.took is None:
            cpu, wall = self.started
            self.took = (time.thread_time() - cpu, time.perf_counter() - wall)


def _after(
    shown: Callable[..., None], timing: _Timing, views: list[QAbstractItemView]
) -> Callable[..., None]:
    def showing(*args: Any) -> None:
        shown(*args)
        # The views lay their rows out on the loop's next turn: done now, it is counted
        # (painting the few cards in sight is left out, the same either way).
        for view in views:
            view.executeDelayedItemsLayout()
        timing.end()

    return showing


def _close_dialogs() -> None:
    modal = QApplication.activeModalWidget()
    if isinstance(modal, QDialog):
        modal.reject()


@pytest.mark.parametrize("quotes", SIZES)
def test_board_current_after_a_drag_by_rows_against_a_full_read(
    quotes: int, tmp_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = demo_file(quotes)
    now = datetime.fromtimestamp(source.stat().st_mtime, UTC)  # when the demo was made
    path = tmp_path / "business.db"
    shutil.copyfile(source, path)
    db = open_database(str(path))
    window = MainWindow(db, clock=lambda: now)
    qtbot.addWidget(window)
    window.resize(1500, 900)
    window.show()
    window.refresh()
    wait_idle(window, timeout=600_000)
    window.show_page("board")
    wait_idle(window)
    index = window.quotes.model.quote_index
    assert index is not None and len(index) == quotes
    card = next(r for r in index.rows if r.stage is Stage.QUOTED and r.amount is not None)

    timing = _Timing()
    # The broadcast reaches this first, then the window (which refreshes every page).
    ops = window.ops
    ops.changes_applied.disconnect(window.apply_changes)
    ops.changes_applied.connect(timing.start)
    ops.changes_applied.connect(window.apply_changes)
    board = window.board
    views: list[QAbstractItemView] = [c.view for c in board.columns.values()]
    views.append(window.quotes.view)
    monkeypatch.setattr(board, "show_swapped", _after(board.show_swapped, timing, views))
    monkeypatch.setattr(board, "set_index", _after(board.set_index, timing, views))
    # Before a change named its rows, every change read the whole index again.
    named = quote_index.rows_to_reread

    def drag(to: Stage, whole: bool) -> tuple[float, float]:
        monkeypatch.setattr(quote_index, "rows_to_reread", (lambda _c: None) if whole else named)
        timing.reset()
        source_column = next(
            c for c in board.columns.values() if c.model.row_of(card.quote_id) >= 0
        )
        model = source_column.model
        mime = model.mimeData([model.index(model.row_of(card.quote_id))])
        QTimer.singleShot(5000, _close_dialogs)  # a question after all: Cancel, not hang
        target = board.columns[to].model
        target.dropMimeData(mime, Qt.DropAction.MoveAction, -1, 0, QModelIndex())
        wait_idle(window, timeout=600_000)
        assert target.row_of(card.quote_id) >= 0, "the card did not move"
        assert timing.took is not None
        return timing.took

    rows: list[tuple[float, float]] = []
    whole: list[tuple[float, float]] = []
    stages = [Stage.FOLLOWING_UP, Stage.QUOTED]
    drag(stages[0], whole=False)  # once, untimed: the code paths loaded and warm
    for n in range(_runs(quotes)):
        whole.append(drag(stages[(2 * n + 1) % 2], whole=True))
        rows.append(drag(stages[(2 * n) % 2], whole=False))
    window.close()
    db.close()

    size = f"{quotes // 1000}k"
    name = "drag saved -> board current"
    for label, samples in (("whole index read again", whole), ("changed row taken", rows)):
        cpu = statistics.median(s[0] for s in samples) * 1000
        wall = statistics.median(s[1] for s in samples) * 1000
        record("board", f"{name}, {label}: GUI-thread CPU, {size}", cpu, "ms")
        record("board", f"{name}, {label}: wall, {size}", wall, "ms")
    ratio = statistics.median(s[0] for s in whole) / statistics.median(s[0] for s in rows)
    record("board", f"{name}: GUI-thread CPU, full read / row taken, {size}", ratio, "x")
