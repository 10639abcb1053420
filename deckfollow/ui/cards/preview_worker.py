"""The card dialogs' rendering thread: laying out, rendering and rasterising a card happen
there, never on the GUI thread, so typing in a card's note never freezes the window.

Each dialog owns one `PreviewRenderer`. The newest request wins: a request not yet started
is replaced by a newer one, and the answer to any request older than the newest is dropped
when it arrives, so a slow render can never overwrite a later one. Closing the dialog stops
its thread at once; a render already under way finishes on its own (its answer dropped) and
the thread ends with it. Card rendering in the app runs one at a time (`RENDERING`): the
renderer's module caches, ReportLab's stream settings and PDFium are shared by every thread.
"""

from __future__ import annotations

import atexit
import gc
import sys
import threading
from collections.abc import Callable
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, QTimer, Signal

from deckfollow.core.errors import DeckfollowError
from deckfollow.printing.fonts import FONTS, load

T = TypeVar("T")

# A render taking longer than this says "Updating preview…"; a quicker one says nothing.
UPDATING_AFTER_MS = 400

# One card render at a time in the whole app (a closing dialog's last render may still be
# finishing when the next dialog starts one). PDFium's lock is taken inside it, never the
# other way round, so printing on the GUI thread waits at most for one page's raster.
RENDERING = threading.Lock()
SWITCH_INTERVAL_S = 0.0005

# Every rendering thread not yet ended, held here (not by its dialog) until it has: a
# closed dialog's thread may still be finishing a render, and Qt must never free a running
# thread.
_live: set[_RenderThread] = set()
_reaper: list[_Reaper] = []  # made with the first thread, on the GUI thread


def prepare_fonts() -> None:
    """Register the handwriting fonts with ReportLab once, on the GUI thread, before any
    rendering thread measures or draws with them."""
    for font in FONTS:
        load(font.key)  # registered on its first use only


class _RenderThread(QThread):
    """Runs the newest request it was given; lets go of each before it answers."""

    answered = Signal(int)  # the ticket of a request whose outcome is ready

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("card preview")
        self._cv = threading.Condition(threading.Lock())
        self._next: tuple[int, Callable[[], Any]] | None = None
        self._stopping = False
        self._outcomes: dict[int, tuple[object, BaseException | None]] = {}

    def submit(self, ticket: int, work: Callable[[], Any]) -> None:
        with self._cv:
            self._next = (ticket, work)  # one not yet started is replaced: it is stale
            self._cv.notify()

    def discard(self) -> None:
        with self._cv:
            self._next = None

    def take(self, ticket: int) -> tuple[object, BaseException | None] | None:
        with self._cv:
            return self._outcomes.pop(ticket, None)

    def stopping(self) -> bool:
        return self._stopping

    def stop(self) -> None:
        with self._cv:
            self._stopping = True
            self._next = None
            self._outcomes.clear()
            self._cv.notify()

    def run(self) -> None:
        while True:
            with self._cv:
                while self._next is None and not self._stopping:
                    self._cv.wait()
                if self._stopping:
                    return
                assert self._next is not None
                ticket, work = self._next
                self._next = None
            _pause_collector(self)
            outcome = _run(work)
            del work  # what the request held goes with the GUI thread's copy, not here
            _done_rendering(self)
            with self._cv:
                if self.stopping():
                    return  # its dialog closed meanwhile: nobody is left to show it to
                self._outcomes[ticket] = outcome
            del outcome
            self.answered.emit(ticket)


def _run(work: Callable[[], Any]) -> tuple[object, BaseException | None]:
    with RENDERING:
        # Rendering is pure Python holding the interpreter lock; the GUI thread, asking for
        # it back after each call into Qt, would wait up to the switch interval (5 ms) every
        # time: a repaint of a few dozen calls stalled for tens of milliseconds. While a card
        # renders the lock changes hands every half millisecond instead.
        was = sys.getswitchinterval()
        sys.setswitchinterval(min(was, SWITCH_INTERVAL_S))
        try:
            return work(), None
        except BaseException as exc:  # judged on the GUI thread
            return None, exc
        finally:
            sys.setswitchinterval(was)


# The cycle collector runs on whichever thread happens to allocate when it is due. On this
# thread it could free a dialog's last cycle and so delete Qt widgets off the GUI thread
# (a crash). So it is paused while a card renders, and only the GUI thread resumes it.
_COLLECTOR = threading.Lock()
_rendering: set[_RenderThread] = set()
_collector_was_on: list[bool] = []  # while paused: whether it ran before


def _pause_collector(thread: _RenderThread) -> None:
    """On a rendering thread, before it renders."""
    with _COLLECTOR:
        if not _rendering and not _collector_was_on:
            _collector_was_on.append(gc.isenabled())
            gc.disable()
        _rendering.add(thread)


def _done_rendering(thread: _RenderThread) -> None:
    """On a rendering thread, once it has rendered: the collector stays paused until the
    GUI thread resumes it."""
    with _COLLECTOR:
        _rendering.discard(thread)


def _resume_collector() -> None:
    """On the GUI thread: resume the collector once no card is rendering."""
    with _COLLECTOR:
        if not _rendering and _collector_was_on and _collector_was_on.pop():
            gc.enable()


class PreviewRenderer(QObject):
    """One dialog's rendering thread: `request(work, success)` runs `work()` there and
    hands its result to `success` on the GUI thread, unless a newer request was made."""

    # True once a render has run for UPDATING_AFTER_MS; False when its answer is in.
    updating = Signal(bool)

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        prepare_fonts()
        self._tickets = 0
        # The newest request: its ticket and what to do with its answer.
        self._wanted: tuple[int, Callable[[Any], object], Callable[[DeckfollowError], object]]
        self._wanted = (0, _ignore, _ignore)
        self._waiting = False
        self._hinting = False
        self._hint = QTimer(self)
        self._hint.setSingleShot(True)
        self._hint.setInterval(UPDATING_AFTER_MS)
        self._hint.timeout.connect(self._show_hint)
        self._thread: _RenderThread | None = _RenderThread()
        self._thread.answered.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        _started(self._thread)
        # A dialog deleted without being closed still lets its thread go.
        thread = self._thread
        parent.destroyed.connect(lambda _=None: _let_go(thread))

    def request(
        self,
        work: Callable[[], T],
        success: Callable[[T], object],
        failure: Callable[[DeckfollowError], object],
    ) -> None:
        """Run `work()` on the rendering thread; then `success(result)` (or `failure(error)`
        for a domain error) on the GUI thread, if no newer request was made meanwhile."""
        if self._thread is None:
            return  # the dialog was closed
        self._tickets += 1
        self._wanted = (self._tickets, success, failure)
        self._waiting = True
        if not self._hint.isActive() and not self._hinting:
            self._hint.start()
        self._thread.submit(self._tickets, work)

    def cancel(self) -> None:
        """Drop the answer of any request on its way: what it was for is shown otherwise."""
        self._wanted = (0, _ignore, _ignore)
        self._waiting = False
        self._end_hint()
        if self._thread is not None:
            self._thread.discard()

    def is_idle(self) -> bool:
        """No answer is awaited: what is on screen is the newest asked for."""
        return not self._waiting

    def shutdown(self) -> None:
        """Stop the thread (the dialog closed): nothing more is rendered or answered."""
        thread, self._thread = self._thread, None
        self._wanted = (0, _ignore, _ignore)  # what was to show the answer (the dialog) goes
        self._waiting = False
        self._end_hint()
        if thread is not None:
            _let_go(thread)

    def _deliver(self, ticket: int) -> None:
        _resume_collector()
        thread = self._thread
        outcome = thread.take(ticket) if thread is not None else None
        if outcome is None or ticket != self._wanted[0]:
            return  # a stale render, overtaken by a newer request
        _, success, failure = self._wanted
        self._wanted = (0, _ignore, _ignore)
        self._waiting = False
        self._end_hint()
        result, error = outcome
        if error is not None:
            if not isinstance(error, DeckfollowError):
                raise error  # a defect: the app's error dialog shows it
            failure(error)
        else:
            success(result)

    def _show_hint(self) -> None:
        if self._waiting and not self._hinting:
            self._hinting = True
            self.updating.emit(True)

    def _end_hint(self) -> None:
        self._hint.stop()
        if self._hinting:
            self._hinting = False
            self.updating.emit(False)


class WhenCurrent:
    """What Print or Save, pressed while the preview was not yet current, does once it is:
    run when the next render is on screen (the latest asked wins), so what is printed or
    saved is always what was last previewed."""

    def __init__(self) -> None:
        self._then: Callable[[], object] | None = None

    def ask(self, current: bool, then: Callable[[], object]) -> bool:
        """`then()` now if the preview is `current`; else kept for `rendered`. True when
        it was kept."""
        if current:
            then()
            return False
        self._then = then
        return True

    def rendered(self) -> None:
        """The newest render is on screen: run what was kept, once."""
        then, self._then = self._then, None
        if then is not None:
            then()

    def forget(self) -> None:
        """The dialog closed: nothing kept runs."""
        self._then = None


def _ignore(_value: object) -> None:
    return None


def _let_go(thread: _RenderThread) -> None:
    """Stop `thread`; it is freed once its last render (if one is under way) has finished."""
    if shiboken6.isValid(thread):
        thread.stop()
        _reap()


class _Reaper(QObject):
    """Frees threads that have ended, on the GUI thread (told by each thread's `finished`)."""

    def reap(self) -> None:
        _reap()


def _reap() -> None:
    _resume_collector()
    for thread in list(_live):
        if not shiboken6.isValid(thread) or thread.isFinished():
            if shiboken6.isValid(thread):
                thread.wait()  # returns at once: its run has returned
            _live.discard(thread)


def _started(thread: _RenderThread) -> None:
    if not _reaper:
        _reaper.append(_Reaper())
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(_wait_for_all)
    _live.add(thread)
    thread.finished.connect(_reaper[0].reap, Qt.ConnectionType.QueuedConnection)
    thread.start()


def _wait_for_all() -> None:
    """Before the app (or the interpreter) goes: stop every thread and let a render still
    under way finish, so no thread is freed while it runs."""
    for thread in list(_live):
        if shiboken6.isValid(thread):
            thread.stop()
            thread.wait()
    _live.clear()


atexit.register(_wait_for_all)
