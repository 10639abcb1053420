"""Run in a child process by the window benchmark: starts a window and reports timings as JSON.

`python -m tests.bench.window_probe bare|app DB_PATH` prints one JSON line with absolute
wall-clock times (`time.time()`) of the first paint and, for the app, of the pipeline painted
with its data, the keystroke-to-view timings of the quote search and the peak memory.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

RESULT: dict[str, object] = {}


class PaintWatch(QObject):
    """Notes the first paint of the main window and of a board column holding cards."""

    def __init__(self, on_done: Callable[[], None]) -> None:
        super().__init__()
        self._done = on_done

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and isinstance(obj, QWidget):
            now = time.time()
            window = obj.window()
            if "first_paint" not in RESULT and window.isVisible():
                RESULT["first_paint"] = now
            if "data_paint" not in RESULT and _is_filled_board(obj):
                RESULT["data_paint"] = now
                QTimer.singleShot(0, self._done)
        return False


def _is_filled_board(obj: QWidget) -> bool:
    from deckfollow.ui.board.page import StageColumnWidget

    parent = obj.parentWidget()
    while parent is not None and not isinstance(parent, StageColumnWidget):
        parent = parent.parentWidget()
    return parent is not None and parent.model.rowCount() > 0 and obj is parent.view.viewport()


def _search_timings() -> list[float]:
    """Type into the quote search the way a user does; time each keystroke to the repaint."""
    from deckfollow.ui.main_window import MainWindow

    window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
    window.show_page("quotes")
    page = window.quotes
    QApplication.processEvents()
    samples = []
    for text in ("s", "sm", "smi", "smit", "smith", "smit", "smi", "sm", "s", ""):
        samples.append(_keystroke(page, text))
    for text in ("0", "04", "041", "0412", "0412 3", "", "Q", "Q-", "Q-2026-1", "", "deck"):
        samples.append(_keystroke(page, text))
    return samples


def _keystroke(page: object, text: str) -> float:
    from deckfollow.ui.quote_list import QuoteListPage

    assert isinstance(page, QuoteListPage)
    started = time.perf_counter()
    page.search.setText(text)  # what a keystroke does to the line edit
    QApplication.processEvents()  # the coalescing timer fires and the model resets
    page.view.viewport().repaint()  # the updated rows painted
    return time.perf_counter() - started


def run_bare() -> None:
    from PySide6.QtGui import QStandardItemModel
    from PySide6.QtWidgets import QMainWindow, QTableView

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    view = QTableView()
    view.setModel(QStandardItemModel(0, 8))
    window.setCentralWidget(view)
    window.resize(1280, 800)
    watch = PaintWatch(app.quit)
    app.installEventFilter(watch)
    window.show()
    QTimer.singleShot(0, lambda: QTimer.singleShot(50, app.quit))
    app.exec()


def run_app(db_path: str) -> None:
    from datetime import UTC, datetime

    from deckfollow.ui.app import make_application, run_gui

    app = make_application()
    # Open on the pipeline, as a user who left it there last time.
    from PySide6.QtCore import QSettings

    QSettings().setValue("main/last_page", "board")

    def done() -> None:
        RESULT["search_ms"] = [s * 1000 for s in _search_timings()]
        app.quit()

    watch = PaintWatch(done)
    app.installEventFilter(watch)
    QTimer.singleShot(60_000, app.quit)  # never hang the benchmark
    run_gui(db_path, clock=lambda: datetime.now(UTC))


def _peak_rss_mb() -> float:
    """This process's own peak (VmHWM): ru_maxrss would also count the parent before exec."""
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    mode = sys.argv[1]
    if mode == "bare":
        run_bare()
    else:
        run_app(sys.argv[2])
    RESULT["peak_rss_mb"] = _peak_rss_mb()
    if "search_ms" in RESULT:
        RESULT["search_median_ms"] = statistics.median(RESULT["search_ms"])  # type: ignore[arg-type]
    print(json.dumps(RESULT), flush=True)
    os._exit(0)  # skip Qt's teardown: it is not part of what is measured


if __name__ == "__main__":
    main()
