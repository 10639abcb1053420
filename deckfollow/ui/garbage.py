"""Garbage is collected on the GUI thread only, while the window is up.

Python's cycle collector runs in whichever thread happens to allocate when a collection
falls due. The window's database thread allocates a great deal (SQLAlchemy builds and
compiles its statements there), so a collection often fell due there, and it destroyed the
Qt objects held in the cycles it freed — a closed import wizard's preview model, a
dialog's timer — on that thread. Qt objects may only be destroyed on the thread they live
in: the app crashed (a segmentation fault), sometimes at once, sometimes when a timer of
the freed object fired later.

So, as Anki does (`aqt.main`), automatic collection is off while the app runs, and a timer
on the GUI thread collects instead: whenever Python would have (`gc.get_count()` past the
thresholds, the same generations in the same rhythm), after a window or dialog closes, and
now and then when the app is quiet. What the start made is set aside (`gc.freeze`) once
the window is up, so a full collection examines only what was made since.

A collection examines every object of the generations it collects, so a big read (the
quotes, the modules the start loads) taken into a young generation cost the GUI thread a
walk over it (0.1 s for 120,000 objects). Such a read runs inside `while_building`, so no
collection walks it half-built, and what it made is set aside once it is taken in (the
modules the start loads, the quotes read whole, Today's rows with the holiday calendars
they loaded). What is garbage already is collected before such a read is asked for
(`before_building`), so little is set aside with it that is not alive.
"""

from __future__ import annotations

import gc
import linecache
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QThread, QTimer
from PySide6.QtWidgets import QApplication

__all__ = [
    "CHECK_EVERY_MS",
    "GuiThreadCollector",
    "before_building",
    "collect_on_gui_thread",
    "forget_source_lines",
    "set_aside",
    "start_up_done",
    "stop_collecting",
    "while_building",
]

# How often the GUI thread looks whether a collection is due: cheap (three counters), and
# often enough that cyclic garbage never piles up for long.
CHECK_EVERY_MS = 1000
# With nothing due, what little garbage there is is collected after this many looks.
SWEEP_AFTER_CHECKS = 5


class GuiThreadCollector(QObject):
    """Collects Python's cyclic garbage on the GUI thread, with automatic collection off."""

    def __init__(self, app: QCoreApplication, check_every_ms: int = CHECK_EVERY_MS) -> None:
        if QThread.currentThread() is not app.thread():
            raise RuntimeError("the collector is started on the GUI thread")
        super().__init__(app)
        self._was_enabled = gc.isenabled()
        self._frozen = False
        self._stopped = False
        self._windows = _open_windows()
        self._quiet_checks = 0
        # Reads under way (any thread) building something big: collections wait for them.
        self._building = 0
        self._building_lock = threading.Lock()
        self._timer = QTimer(self)
        self._timer.setInterval(check_every_ms)
        self._timer.timeout.connect(self.check)
        # From now on no thread collects by itself. What garbage the start has made so far is
        # collected by the looks that follow, as Python would have (`check`), not here: a
        # full collection now walked every object the imports had made, on the way to the
        # first paint (5 ms and more).
        gc.disable()
        self._timer.start()

    def is_running(self) -> bool:
        """Collecting on the GUI thread (and automatic collection off)."""
        return not self._stopped and self._timer.isActive()

    def check(self) -> int:
        """The timer's look: collect what is due; the young generations after a window or
        dialog closed (what it held in cycles is garbage now); and what little garbage is
        left once in a while, so it is never kept for long when the app is quiet."""
        windows = _open_windows()
        closed, self._windows = windows < self._windows, windows
        found = self.collect_if_due()
        if found is not None:
            return found
        self._quiet_checks += 1
        if self._building:
            return 0  # not a walk over what is being built
        if closed:
            return self._collect(1)
        if self._quiet_checks >= SWEEP_AFTER_CHECKS:
            forget_source_lines()
            if gc.get_count()[0] > 0:
                return self._collect(0)
        return 0

    def collect_if_due(self) -> int | None:
        """Collect the generations Python would have collected by now (None when none is
        due): a read that left many new objects behind makes a collection due."""
        counts, thresholds = gc.get_count(), gc.get_threshold()
        if thresholds[0] == 0 or counts[0] <= thresholds[0] or self._building:
            return None
        generation = 0
        if counts[1] > thresholds[1]:
            generation = 2 if counts[2] > thresholds[2] else 1
        return self._collect(generation)

    def collect_now(self) -> int:
        """Every generation now, deferred deletes run first so what a closed window held
        is garbage by then."""
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        found = self._collect(2)
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        return found

    def _collect(self, generation: int) -> int:
        self._quiet_checks = 0
        return gc.collect(generation)

    def start_up_done(self) -> None:
        """The window is up: what the start made lives as long as the app, so it is set
        aside and later full collections need not examine it again (a full collection of
        it took 130 ms of the GUI thread on a 3,000-quote business)."""
        forget_source_lines()
        gc.freeze()
        self._frozen = True

    def set_aside(self) -> None:
        """Something big and long-lived was just taken in (the quotes read again after a
        change): set aside like the start's, so neither a young collection nor a full one
        falling due while the owner types walks 100,000 quotes on the GUI thread. (What
        becomes garbage later is still freed by its reference count; only cycles among it
        wait for the window to close.)"""
        windows = _open_windows()
        if windows < self._windows:
            # A window or dialog closed since the last look: what it held in cycles is
            # garbage now, collected rather than set aside with the rest.
            self._windows = windows
            self._collect(1)
        gc.freeze()
        self._frozen = True

    def before_building(self) -> None:
        """A big read is about to be asked for: the young generations are collected now,
        while they are small, so what is garbage already (a dialog just closed) is not set
        aside with what the read builds."""
        if not self._building:
            self._windows = _open_windows()
            self._collect(1)

    @contextmanager
    def building(self) -> Iterator[None]:
        """Around a read building something big (on any thread): no collection meanwhile."""
        with self._building_lock:
            self._building += 1
        try:
            yield
        finally:
            with self._building_lock:
                self._building -= 1

    def window_closed(self) -> None:
        """The window closed (another database is opened in a new one): what was set aside
        with it may be garbage now."""
        if self._frozen:
            gc.unfreeze()
            self._frozen = False
        self.collect_now()

    def stop(self) -> None:
        """Collect once more here, then hand collection back to Python as it was."""
        if self._stopped:
            return
        self._stopped = True
        self._timer.stop()
        if self._frozen:
            gc.unfreeze()
            self._frozen = False
        self.collect_now()
        if self._was_enabled:
            gc.enable()
        if _running and _running[0] is self:
            _running.clear()
        self.deleteLater()


def forget_source_lines() -> None:
    """Drop the source lines Python keeps of the modules read so far.

    A traceback logged or a warning shown reads the source lines it quotes, and Python
    keeps them in `linecache` for good (PySide's import hook read every module's whole
    source too, about 30 MB, until `ui.pyside_modules` named the modules ahead of it). A
    later traceback reads the lines it needs again."""
    if linecache.cache:
        linecache.clearcache()


def _open_windows() -> int:
    app = QCoreApplication.instance()
    if not isinstance(app, QApplication):
        return 0
    return sum(1 for widget in app.topLevelWidgets() if widget.isVisible())


_running: list[GuiThreadCollector] = []


def collect_on_gui_thread(app: QCoreApplication) -> GuiThreadCollector:
    """The app's collector, started once: from now on garbage is collected on the GUI
    thread only."""
    if _running and _running[0].is_running():
        return _running[0]
    collector = GuiThreadCollector(app)
    _running[:] = [collector]
    return collector


def stop_collecting() -> None:
    """The app has quit: collect once more on the GUI thread, then Python collects by
    itself again (as the command line and a test run expect)."""
    if _running:
        _running[0].stop()


def start_up_done() -> None:
    """The window is up: what the start made is set aside (when the app's collector runs)."""
    if _running:
        _running[0].start_up_done()


def set_aside() -> None:
    """Set aside what is alive now (when the app's collector runs)."""
    if _running:
        _running[0].set_aside()


def before_building() -> None:
    """On the GUI thread, before asking for a read run `while_building` whose result is
    set aside (when the app's collector runs)."""
    if _running and _running[0].is_running():
        _running[0].before_building()


@contextmanager
def while_building() -> Iterator[None]:
    """Around a read (on the database thread) that builds something big: no collection on
    the GUI thread walks it half-built; `set_aside` once it is taken in, if it lives long
    (when the app's collector runs; else nothing changes)."""
    if not _running or not _running[0].is_running():
        yield
        return
    with _running[0].building():
        yield
