"""Run in a child process by the window benchmark: starts a window and reports as JSON.

`python -m tests.bench.window_probe bare|app DB_PATH NOW` prints one JSON line.

- bare: a plain PySide6 window whose table shows the same quotes, read with one `sqlite3`
  query; "usable" is the first turn of a free event loop after they are in the table and
  it has been repainted.
- app: the real app, left on the pipeline last time. "usable" is the first turn of a free
  event loop after the page on screen has painted what the database file holds and every
  page is listed in the navigation: the board filled from the quotes the start reads from the file
  with sqlite3, which the app keeps (the list's other quotes follow from the same read).
  The database may still be opening then (SQLAlchemy loading): the board takes changes
  already (a card dragged waits for the database and is saved, see
  `tests/ui/test_start_early_change.py`), and the other pages are built as it opens,
  before they can show anything. Without that read (another page left open), once the
  database is open and the page on screen shows its data. The clock starts before the
  app's modules are imported. A 5 ms heartbeat timer measures the longest the GUI thread
  was busy: during start (first paint → usable) and during the day's first start (every
  copy is fresh): until its daily backup is made, which waits for the full integrity check
  (`backed_up_s`, also reported), and half a second more. Then a scripted session: each
  page opened, a card dragged to another column, Today reloaded against a bare model over
  the same rows (alternately, same process), real key events typed into the quote search
  of the full list; the event loop turns between the script's actions, as between a
  user's, so each stall is the app's own; the longest per step is reported. And the peak memory.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import QApplication, QWidget

RESULT: dict[str, object] = {}
# The day's first start lasts until its daily backup is made (its first check runs 2 s
# after the full integrity check passed, itself seconds on a big file), and a moment more.
SETTLE_MS = 500
BACKUP_WAIT_MS = 60_000  # never wait longer for a backup that does not come


class Heartbeat:
    """A timer due every 5 ms: a late tick means the GUI thread was busy that long."""

    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.stalls: list[tuple[float, float]] = []  # (when it ended, how long)
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.stalls.append((now, now - self.last))
        self.last = now

    def longest(self, start: float, end: float) -> float:
        return self.longest_at(start, end)[1]

    def longest_at(self, start: float, end: float) -> tuple[float, float]:
        """The longest stall between `start` and `end`: when it began, and how long."""
        gaps = [(at - gap, gap) for at, gap in self.stalls if start <= at <= end + 0.001]
        return max(gaps, key=lambda stall: stall[1], default=(start, 0.0))


class BareModel(QAbstractTableModel):
    """The least a Python model can do: one display string per cell, nothing else."""

    def __init__(self, rows: list[tuple[str, ...]]) -> None:
        super().__init__()
        self.rows = rows

    def set_rows(self, rows: list[tuple[str, ...]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 5

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> object:
        if role == Qt.ItemDataRole.DisplayRole:
            return self.rows[index.row()][index.column()]
        return None


_BARE_QUOTES = (
    "SELECT c.display_name, q.job, q.number, q.stage, q.amount"
    " FROM quote q JOIN customer c ON c.id = q.customer_id WHERE q.deleted_at IS NULL"
)


def run_bare(db_path: str) -> None:
    import sqlite3

    from PySide6.QtWidgets import QMainWindow, QTableView

    started = time.perf_counter()
    app = QApplication(sys.argv[:1])
    beat = Heartbeat()
    window = QMainWindow()
    view = QTableView()
    model = BareModel([])
    view.setModel(model)
    window.setCentralWidget(view)
    window.resize(1280, 800)
    window.show()

    def load() -> None:
        conn = sqlite3.connect(db_path)
        rows = [tuple(str(v) for v in r) for r in conn.execute(_BARE_QUOTES)]
        conn.close()
        model.set_rows(rows)
        view.viewport().repaint()
        QTimer.singleShot(0, usable)

    def usable() -> None:
        now = time.perf_counter()
        RESULT["usable_s"] = now - started
        RESULT["usable_cpu_s"] = time.process_time()  # every thread's, from the start
        RESULT["start_stall_ms"] = beat.longest(started, now) * 1000
        app.quit()

    QTimer.singleShot(0, load)
    app.exec()


class _PagePainted(QObject):
    """Calls back on the loop's first turn after the page on screen has painted.

    A page's paint is a low-priority event, so a call queued when its data arrives would run
    before it: "usable" would come before the user sees anything. The page is also asked to
    paint, as the bare window repaints its table, so a page whose data changed nothing still
    paints once. Watched on the page alone: its paint comes first and its children's follow
    in the same pass, and the call queued from it runs once the pass is done. (A filter on
    the whole application would make PySide build every Qt class's Python type, the first
    time an event reached one it had not made yet: 30 ms the app itself never spends.)"""

    def __init__(self) -> None:
        super().__init__()
        self._then: Callable[[], None] | None = None

    def watch(self, page: QWidget, then: Callable[[], None]) -> None:
        self._then = then
        page.installEventFilter(self)
        page.update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._then is not None:
            watched.removeEventFilter(self)
            then, self._then = self._then, None
            QTimer.singleShot(0, then)
        return False


def run_app(db_path: str, now_text: str) -> None:
    from PySide6.QtCore import QSettings

    started = time.perf_counter()  # the app's own modules load within its start
    from deckfollow.ui.app import make_application, run_gui
    from deckfollow.ui.main_window import MainWindow

    now = datetime.fromisoformat(now_text)
    app = make_application()
    QSettings().setValue("main/last_page", "board")  # as a user who left the pipeline open
    beat = Heartbeat()
    marks: dict[str, float] = {}
    shows_index, shows_board = MainWindow._show_index, MainWindow._show_board
    shows_ahead = MainWindow.preview_board

    def current(window: MainWindow) -> None:
        if "current" not in marks:
            marks["current"] = time.perf_counter()
            page = window.stack.currentWidget()
            assert page is not None
            painted.watch(page, lambda: _usable(window))

    painted = _PagePainted()

    def joined(window: MainWindow) -> None:
        # The database open and every page built: the day's first start (its backup) and the
        # session are timed from here, as before the board counted as usable ahead of it.
        if "joined" not in marks:
            marks["joined"] = time.perf_counter()
            RESULT["joined_s"] = marks["joined"] - started
            RESULT["joined_cpu_s"] = time.process_time()
            _once_backed_up(window, lambda: backed_up(window))

    def backed_up(window: MainWindow) -> None:
        marks["backed_up"] = time.perf_counter()
        QTimer.singleShot(SETTLE_MS, lambda: _after_start(window))

    def refresh_rest(self: MainWindow, *args: object) -> None:
        shows_index(self, *args)  # type: ignore[arg-type]
        current(self)
        joined(self)

    def refresh_board(self: MainWindow, *args: object) -> None:
        shows_board(self, *args)  # type: ignore[arg-type]
        current(self)
        joined(self)

    def board_read_ahead(self: MainWindow, *args: object, **kwargs: object) -> None:
        shows_ahead(self, *args, **kwargs)  # type: ignore[arg-type]
        current(self)

    def _usable(window: MainWindow) -> None:
        if "usable" in marks:
            return
        marks["usable"] = time.perf_counter()
        RESULT["usable_s"] = marks["usable"] - started
        RESULT["usable_cpu_s"] = time.process_time()  # every thread's, from the start

    def _after_start(window: MainWindow) -> None:
        if "usable" not in marks:
            QTimer.singleShot(0, lambda: _after_start(window))
            return
        settled = time.perf_counter()
        RESULT["backed_up_s"] = marks["backed_up"] - started
        RESULT["start_stall_ms"] = beat.longest(started, marks["usable"]) * 1000
        began, longest = beat.longest_at(started, settled)
        RESULT["first_day_stall_ms"] = longest * 1000
        RESULT["first_day_stall_began_s"] = began - started  # beside `joined_s` and the rest
        _session(window, beat)
        app.quit()

    MainWindow._show_index = refresh_rest  # type: ignore[method-assign,assignment]
    MainWindow._show_board = refresh_board  # type: ignore[method-assign,assignment]
    MainWindow.preview_board = board_read_ahead  # type: ignore[method-assign]
    QTimer.singleShot(180_000, app.quit)  # never hang the benchmark
    run_gui(db_path, clock=lambda: now)


class _Done(QObject):
    """Hears, on the GUI thread, that the backup scheduler's first check is over."""

    def __init__(self, then: Callable[[], None]) -> None:
        super().__init__()
        self._then: Callable[[], None] | None = then

    def finished(self) -> None:
        then, self._then = self._then, None
        if then is not None:
            then()


def _once_backed_up(window: QWidget, then: Callable[[], None], waited_ms: int = 0) -> None:
    """`then`, once the day's first backup check is over (the app's scheduler is made once
    the full integrity check passed): the day's first start is timed until then."""
    schedule = sys.modules.get("deckfollow.ui.backups.schedule")
    scheduler = None if schedule is None else window.findChild(schedule.BackupScheduler)
    if scheduler is None:
        if waited_ms >= BACKUP_WAIT_MS:
            RESULT["backup_seen"] = False
            then()
            return
        QTimer.singleShot(20, lambda: _once_backed_up(window, then, waited_ms + 20))
        return
    RESULT["backup_seen"] = True
    done = _Done(then)
    done.setParent(window)
    # Emitted on the backup's thread: queued to this one, where `done` lives.
    scheduler.finished.connect(done.finished, Qt.ConnectionType.QueuedConnection)


def _turn(ms: float = 30) -> None:
    """Let the event loop run for a moment, as between a user's actions: the heartbeat then
    measures each action's own stall, not the script's actions run back to back."""
    until = time.perf_counter() + ms / 1000
    while time.perf_counter() < until:
        QApplication.processEvents()
        time.sleep(0.001)


def _until_idle(window: object) -> None:
    """Until what the last action asked of the database thread is shown (the loop runs)."""
    from deckfollow.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    QApplication.processEvents()
    while not window.ops.is_idle():
        QApplication.processEvents()
        time.sleep(0.001)


def _session(window: object, beat: Heartbeat) -> None:
    from deckfollow.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    started = time.perf_counter()
    pages = {}
    steps: dict[str, float] = {}  # each step's longest stall, to name the worst

    def step(name: str, since: float) -> None:
        _turn()
        steps[name] = beat.longest(since, time.perf_counter()) * 1000

    for key in ("today", "quotes", "customers", "reports", "board"):
        t0 = time.perf_counter()
        window.show_page(key)
        _until_idle(window)  # until the page shows what it read on the database thread
        pages[key] = (time.perf_counter() - t0) * 1000
        step(f"open {key}", t0)
    RESULT["open_page_ms"] = pages
    t0 = time.perf_counter()
    RESULT["card_dragged"] = _drag_a_card(window)
    step("drag a card", t0)
    reload, reload_steps = _today_reload(window, beat)
    RESULT.update(reload)
    steps.update(reload_steps)
    t0 = time.perf_counter()
    RESULT["keystroke_ms"], RESULT["keystroke_cpu_ms"] = _keystrokes(window)
    step("type into the search", t0)
    RESULT["session_stall_ms"] = max(steps.values())
    RESULT["session_step_stall_ms"] = steps
    RESULT["session_s"] = time.perf_counter() - started


def _drag_a_card(window: object) -> bool:
    """A quoted card with its amount dropped on Following up, as a drag ends: the move asks
    nothing and is saved on the database thread; until the board shows it."""
    from PySide6.QtCore import QMimeData

    from deckfollow.core.enums import Stage
    from deckfollow.ui.board.model import MIME_TYPE
    from deckfollow.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    window.show_page("board")
    _until_idle(window)
    index = window.quotes.model.quote_index
    assert index is not None
    card = next((r for r in index.rows if r.stage is Stage.QUOTED and r.amount is not None), None)
    if card is None:
        return False
    target = window.board.columns[Stage.FOLLOWING_UP]
    data = QMimeData()
    data.setData(MIME_TYPE, str(card.quote_id).encode())
    # Were a question shown after all, it is answered "Cancel" rather than hang the run.
    QTimer.singleShot(3000, _close_dialogs)
    target.model.dropMimeData(data, Qt.DropAction.MoveAction, -1, 0, QModelIndex())
    _until_idle(window)
    return target.model.row_of(card.quote_id) >= 0


def _close_dialogs() -> None:
    from PySide6.QtWidgets import QDialog

    modal = QApplication.activeModalWidget()
    if isinstance(modal, QDialog):
        modal.reject()


def _today_reload(window: object, beat: Heartbeat) -> tuple[dict[str, object], dict[str, float]]:
    """What the GUI thread does on a reload of Today, against a bare model over the same rows;
    and the longest stall of a reload (the loop turns between them).

    The list is made ready (`prepare_today`: sections, other clocks, id sets, counts) before
    the timing, as the app does on its database thread, and as the bare side's rows are
    made: timed is only what the app does on the GUI thread, the list handed to the model
    (`set_items`) and painted; "with its panel" is the page's whole reload (`show_rows`)."""
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QTableView

    from deckfollow.core.today import load_today
    from deckfollow.ui.main_window import MainWindow
    from deckfollow.ui.today_page.prepared import prepare_today

    assert isinstance(window, MainWindow)
    window.show_page("today")
    _until_idle(window)
    page = window.today
    # Read here, on this thread, to be timed: the app reads them on its database thread.
    t0 = time.perf_counter()
    with window.ops.store.reading() as session:
        rows = load_today(session, now=window.clock())
    load_ms = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    today = prepare_today(rows)  # on the database thread in the app
    prepare_ms = (time.perf_counter() - t0) * 1000
    _turn()
    bare_rows = [
        (str(i.due_at), i.timezone, i.customer, i.reason, i.basis.value) for i in rows.items
    ]
    bare_model = BareModel([])
    bare = QTableView()  # the view Today uses, with nothing of Today's
    bare.verticalHeader().hide()
    # As many rows on screen as Today's list paints: its rows are denser than the default.
    bare.verticalHeader().setDefaultSectionSize(page.tree.verticalHeader().defaultSectionSize())
    bare.setModel(bare_model)
    bare.resize(page.tree.size())
    bare.show()
    QTest.qWaitForWindowExposed(bare)  # else repaint() paints nothing and costs nothing
    QTest.qWaitForWindowExposed(window)
    whole, ours, theirs, stalls = [], [], [], []
    # The GUI thread's own time too: a busy machine inflates it less than wall time.
    whole_cpu, ours_cpu, theirs_cpu = [], [], []
    for _ in range(7):
        _turn()
        t0, c0 = time.perf_counter(), time.thread_time()
        page.show_rows(today)  # the page as a reload shows it: the list and the chosen one
        page.tree.viewport().repaint()
        whole.append(time.perf_counter() - t0)
        whole_cpu.append(time.thread_time() - c0)
        _turn()
        stalls.append(beat.longest(t0, time.perf_counter()))
        t0, c0 = time.perf_counter(), time.thread_time()
        page.model.set_items(today, page.tree.font())
        page.tree.viewport().repaint()
        ours.append(time.perf_counter() - t0)
        ours_cpu.append(time.thread_time() - c0)
        t0, c0 = time.perf_counter(), time.thread_time()
        bare_model.set_rows(list(bare_rows))
        bare.viewport().repaint()
        theirs.append(time.perf_counter() - t0)
        theirs_cpu.append(time.thread_time() - c0)
    bare.hide()
    return {
        "today_items": len(rows.items),
        "today_load_ms": load_ms,
        "today_prepare_ms": prepare_ms,
        "today_reload_ms": statistics.median(whole) * 1000,
        "today_list_ms": statistics.median(ours) * 1000,
        "today_bare_ms": statistics.median(theirs) * 1000,
        "today_reload_cpu_ms": statistics.median(whole_cpu) * 1000,
        "today_list_cpu_ms": statistics.median(ours_cpu) * 1000,
        "today_bare_cpu_ms": statistics.median(theirs_cpu) * 1000,
    }, {"reload Today": max(stalls) * 1000}


_TYPED = ["s", "m", "i", "t", "h"] + ["\b"] * 5 + list("0412 3") + ["\b"] * 6 + list("deck")


def _keystrokes(window: object) -> tuple[list[float], list[float]]:
    """Real key events typed into the search box of the full list; each to its repaint, in
    wall time and in the GUI thread's own processor time (which other work on a shared
    machine does not inflate)."""
    from PySide6.QtTest import QTest

    from deckfollow.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    window.show_page("quotes")
    page = window.quotes
    _until_idle(window)
    _turn()
    assert page.model.total > 0 and page.model.rowCount() == page.model.total, "list not full"
    page.search.setFocus()
    samples, cpu = [], []
    for key in _TYPED:
        t0, c0 = time.perf_counter(), time.thread_time()
        if key == "\b":
            QTest.keyClick(page.search, Qt.Key.Key_Backspace)
        else:
            QTest.keyClicks(page.search, key)
        QApplication.processEvents()  # the coalescing timer fires and the model filters
        page.view.viewport().repaint()
        samples.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.thread_time() - c0) * 1000)
        _turn(20)  # a quick typist's pace: the loop turns between keys, as with a person
    return samples, cpu


def _peak_rss_mb() -> float:
    """This process's own peak (VmHWM): ru_maxrss would also count the parent before exec."""
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    mode, db_path = sys.argv[1], sys.argv[2]
    if mode == "bare":
        run_bare(db_path)
    else:
        run_app(db_path, sys.argv[3])
    RESULT["peak_rss_mb"] = _peak_rss_mb()
    print(json.dumps(RESULT), flush=True)
    os._exit(0)  # skip Qt's teardown: it is not part of what is measured


if __name__ == "__main__":
    main()
