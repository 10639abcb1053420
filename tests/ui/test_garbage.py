"""Garbage is collected on the GUI thread only: a window's database thread never destroys a
Qt object (that crashed the app), and what the window leaves behind is still freed."""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from deckfollow.core.unit_of_work import Session
from deckfollow.storage.database import Database
from deckfollow.ui.garbage import (
    CHECK_EVERY_MS,
    SWEEP_AFTER_CHECKS,
    GuiThreadCollector,
    collect_on_gui_thread,
    stop_collecting,
)
from deckfollow.ui.operations import Operations


@pytest.fixture
def ops(qtbot: QtBot, db: Database) -> Iterator[Operations]:
    worker = Operations(db)
    yield worker
    worker.close()


def _timer_held_in_a_cycle(destroyed_on: list[int]) -> None:
    """A running timer owned by Python and held only by a cycle through a callback it
    keeps, as a closed dialog's timer is: garbage once this returns."""
    timer = QTimer()
    timer.setInterval(60_000)
    timer.on_done = timer.stop  # type: ignore[attr-defined]
    # Told on the thread that destroys it (queued, a destruction elsewhere is never told).
    timer.destroyed.connect(
        lambda *_: destroyed_on.append(threading.get_ident()), Qt.ConnectionType.DirectConnection
    )
    timer.start()


def _read_past_every_threshold() -> list[list[int]]:
    """What a large read does on the database thread: many new objects at once, enough
    that Python would have run a collection there several times over."""
    return [[n] for n in range(20 * max(gc.get_threshold()[0], 1))]


def test_the_database_thread_never_destroys_a_qt_object(
    qtbot: QtBot, ops: Operations, _garbage_collected_on_the_gui_thread: GuiThreadCollector
) -> None:
    go = threading.Event()
    allocated: list[list[list[int]]] = []
    destroyed_on: list[int] = []

    def read() -> list[list[int]]:
        go.wait(10)
        return _read_past_every_threshold()

    ops.run_task(None, read, success=allocated.append)
    gc.collect()  # what follows is young, as a dialog closed a moment ago is
    _timer_held_in_a_cycle(destroyed_on)
    go.set()  # the database thread allocates while the timer is garbage
    qtbot.waitUntil(lambda: bool(allocated))

    assert not gc.isenabled()  # no thread collects by itself while the window is up
    assert destroyed_on in ([], [threading.get_ident()])
    # Still freed: the GUI thread's own collection comes once one is due.
    qtbot.waitUntil(lambda: bool(destroyed_on), timeout=5000)
    assert destroyed_on == [threading.get_ident()]


def test_what_a_read_held_is_freed_on_the_gui_thread(
    qtbot: QtBot, ops: Operations, db: Database
) -> None:
    """A read's closure holds a Qt object (a dialog's timer) nobody else holds any more: it
    is freed on the GUI thread, also when the database thread is slow to finish its turn
    after the answer was shown."""
    destroyed_on: list[int] = []
    shown = threading.Event()

    def holding_a_timer() -> Callable[[Session], int]:
        timer = QTimer()  # Python owns it: freed where its last reference goes
        timer.destroyed.connect(
            lambda *_: destroyed_on.append(threading.get_ident()),
            Qt.ConnectionType.DirectConnection,
        )
        return lambda session: timer.interval()

    # The database thread's turn ends only once the GUI thread has shown the answer.
    ops._finished.connect(lambda *_: shown.wait(10), Qt.ConnectionType.DirectConnection)

    def answered(_interval: int) -> None:
        QTimer.singleShot(0, shown.set)  # once the answer has been shown in full

    ops.run_query(None, holding_a_timer(), success=answered)
    qtbot.waitUntil(ops.is_idle)
    qtbot.waitUntil(lambda: bool(destroyed_on))
    assert destroyed_on == [threading.get_ident()]


def test_a_closed_dialog_held_in_a_cycle_is_freed_on_the_gui_thread(qtbot: QtBot) -> None:
    destroyed_on: list[int] = []
    opened: list[QDialog] = []

    def open_dialog() -> None:
        dialog = QDialog()  # no parent: Python owns it, as a dialog opened on its own
        dialog.on_saved = dialog.accept  # type: ignore[attr-defined]
        dialog.destroyed.connect(
            lambda *_: destroyed_on.append(threading.get_ident()),
            Qt.ConnectionType.DirectConnection,
        )
        dialog.show()
        opened.append(dialog)

    open_dialog()
    qtbot.wait(CHECK_EVERY_MS + 200)  # the user reads it a moment
    opened.pop().reject()
    QApplication.processEvents()
    assert destroyed_on == []  # held by its own callback: only a collection frees it
    # A window closed: collected at the next look, on this thread.
    qtbot.waitUntil(lambda: bool(destroyed_on), timeout=CHECK_EVERY_MS * 3)
    assert destroyed_on == [threading.get_ident()]


def test_python_collects_by_itself_again_once_the_app_has_quit(
    _garbage_collected_on_the_gui_thread: GuiThreadCollector, qapp: QApplication
) -> None:
    collector = _garbage_collected_on_the_gui_thread
    collector.start_up_done()
    assert not gc.isenabled() and gc.get_freeze_count() > 0
    stop_collecting()  # as `run_gui` does when the app quits
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert not collector.is_running()
    again = collect_on_gui_thread(qapp)  # the next window (a test's) starts it afresh
    assert again is not collector and again.is_running() and not gc.isenabled()
    again.stop()


def test_the_quotes_read_again_after_a_change_are_set_aside_from_full_collections(
    qtbot: QtBot,
    db: Database,
    _garbage_collected_on_the_gui_thread: GuiThreadCollector,
) -> None:
    from datetime import UTC, datetime

    from deckfollow.core.changes import Changes
    from deckfollow.core.leads import NewLead, add_lead
    from deckfollow.ui.main_window import MainWindow
    from tests.ui.waiting import wait_idle

    now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    with db.unit_of_work() as s:
        add_lead(s, NewLead("Mia Chen", phone="+61412345679"), now=now)
    window = MainWindow(db, clock=lambda: now)
    qtbot.addWidget(window)
    window.show()
    window.refresh()
    wait_idle(window)
    _garbage_collected_on_the_gui_thread.start_up_done()  # the window is up
    shown = window.board.quote_index()
    # Someone else saved a quote: the window reads every quote again.
    window.ops.announce(Changes(quotes=True))
    qtbot.waitUntil(lambda: window.board.quote_index() is not shown)
    wait_idle(window)
    index = window.board.quote_index()
    # Set aside like the start's: a full collection while the owner types need not walk it.
    assert not any(o is index for o in gc.get_objects())


def test_a_big_read_under_way_is_not_walked_and_is_set_aside_once_taken_in(
    _garbage_collected_on_the_gui_thread: GuiThreadCollector,
) -> None:
    """The quotes read on the database thread: no collection walks them half-built (a walk
    over 100,000 quotes held the window a tenth of a second), and once taken in they are
    set aside, also before the start is done."""
    from deckfollow.ui.garbage import before_building, set_aside, while_building

    collector = _garbage_collected_on_the_gui_thread
    # What is garbage already when the read is asked for is freed, not set aside with it.
    destroyed_on: list[int] = []
    _timer_held_in_a_cycle(destroyed_on)
    before_building()
    assert destroyed_on == [threading.get_ident()]
    collections: list[int] = []

    def counted(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(info["generation"])

    gc.callbacks.append(counted)
    try:
        read: list[list[list[int]]] = []
        with while_building():
            read.append(_read_past_every_threshold())
            assert collector.check() == 0 and collector.collect_if_due() is None
            assert collections == [], "the read under way was walked"
        set_aside()  # taken in
        assert not any(o is read[0] for o in gc.get_objects())
        assert collections == []
        # Nothing is held back afterwards: what is due is collected again.
        kept = _read_past_every_threshold()
        assert collector.collect_if_due() is not None and collections
        del kept
    finally:
        gc.callbacks.remove(counted)


def test_the_source_lines_kept_of_loaded_modules_are_let_go_once_the_window_is_up(
    qtbot: QtBot, _garbage_collected_on_the_gui_thread: GuiThreadCollector
) -> None:
    import email.mime.audio
    import importlib
    import linecache

    # A traceback or a warning shown leaves the source lines it quoted in Python's line
    # cache (PySide's import hook no longer reads every module's: `ui.pyside_modules`).
    assert linecache.getline(email.mime.audio.__file__ or "", 1)
    assert linecache.cache
    _garbage_collected_on_the_gui_thread.start_up_done()
    assert not linecache.cache
    # Lines read later (a later import, a traceback) go at the next quiet sweep.
    assert linecache.getline(importlib.__file__ or "", 1)
    assert linecache.cache
    for _ in range(SWEEP_AFTER_CHECKS):
        _garbage_collected_on_the_gui_thread.check()
    assert not linecache.cache
