"""One path for every database change and read the window makes.

Modelled on Anki's `aqt.operations` (`CollectionOp`, `QueryOp`):

- `run_change(parent, op, initiator=..., success=...)` runs `op(session)` — a core function
  returning `Changes` (or a result carrying them as `.changes`) — inside one unit of work
  on the database thread; then `success` is called on the GUI thread, and
  `changes_applied(changes, initiator)` tells every open view what changed and who asked,
  so each refreshes only what concerns it (and the view that asked need not reload twice).
- `run_query(parent, query, success=...)` runs `query(session)` in a read-only session on
  the same thread and hands its result to `success` on the GUI thread.
- `run_task(parent, task, success=...)` runs work that uses the database handle itself
  (a backup) on the same thread, so it queues behind the writes before it.

One worker thread owns every database call the window makes, so the window never waits on
a busy file or a far-away server, and operations run in the order they were submitted. A
domain error (`DeckfollowError`: bad input, a refused contact, someone else's edit) is
shown in one place, `show_error`, unless the caller handles it itself (`failure=`). The
team server being away is waited out: a read runs again once it is back, and a dialog's
save keeps the dialog open and saves once it is back (ui.team.server_away). Anything else
is a defect and goes to the app's error dialog.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from deckfollow.core.changes import Changes
from deckfollow.core.errors import DeckfollowError, ServerAwayError, StorageError
from deckfollow.ui.team.server_away import (
    error_text,
    fill_when_server_back,
    hold_until_server_back,
    is_held,
)

if TYPE_CHECKING:  # SQLAlchemy loads on the database thread, after the window is up
    from deckfollow.core.unit_of_work import Session, Store

__all__ = [
    "BUSY_AFTER_MS",
    "Operations",
    "current",
    "run_change",
    "run_query",
    "run_task",
    "serving",
    "show_error",
]


class HasChanges(Protocol):
    """A service's answer that says what it changed beside what it found."""

    @property
    def changes(self) -> Changes: ...


T = TypeVar("T")
R = TypeVar("R", bound=Changes | HasChanges)
Op = Callable[["Session"], R]
Failure = Callable[[DeckfollowError], object]

# An operation still running after this long shows a busy cursor and greys out the dialog
# that asked for it (so Save cannot be pressed twice); quicker ones show nothing at all.
BUSY_AFTER_MS = 300

_log = logging.getLogger(__name__)
# The window's operations, for the module-level helpers (the latest made; one per window).
_current: list[Operations] = []


def show_error(parent: QWidget | None, title: str, error: DeckfollowError) -> None:
    """The one place a domain error reaches the user: its own one-line message.

    Opened, not run with a loop of its own: it is shown from an operation's delivery,
    where a nested loop would hold every later result back until it was closed."""
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        title,
        error_text(error),
        QMessageBox.StandardButton.Ok,
        _alive(parent),
    )
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()


@dataclass
class _Job:
    parent: QWidget | None
    success: Callable[[Any], object] | None
    failure: Failure | None
    error_title: str
    initiator: object | None
    broadcasts: bool  # a change: announce what it returned
    announces: Changes | None = None  # a task: what to announce once it succeeded
    reads: bool = False  # a read: run again once an away server is back
    work: Callable[[], Any] | None = None  # what runs


class Operations(QObject):
    """The window's database worker: runs changes and reads in order, off the GUI thread."""

    # What a change did (`Changes`) and the object that asked for it (or None).
    changes_applied = Signal(object, object)
    # True once an operation has run for BUSY_AFTER_MS, False when the queue is empty.
    busy = Signal(bool)
    # A change or read was asked for before the database had opened: it waits for it.
    waiting_for_database = Signal()
    _finished = Signal(int)  # the ticket of a job whose outcome is ready

    def __init__(self, store: Store | None, parent: QObject | None = None) -> None:
        """Without `store` the thread runs tasks until `hold` gives it the opened database
        (at start the database is opened on this thread, not the GUI's)."""
        super().__init__(parent)
        self._store = store
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="database")
        if store is not None:
            # Every change the window makes goes through the one connection it also looks
            # through for other programs' writes (see `Store.keep_connection_to_this_thread`).
            self._pool.submit(store.keep_connection_to_this_thread)
        self._pending = 0
        self._closed = False
        self._greyed: list[QWidget] = []
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(BUSY_AFTER_MS)
        self._busy_timer.timeout.connect(self._show_busy)
        self._is_busy = False
        # True while a job's answer is handed over (its success, then its broadcast).
        self._answering = False
        # Reads that found the team server away, each run again once it is back.
        self._rereads: dict[tuple[int, object], tuple[_Job, Callable[[], Any]]] = {}
        # Each submitted job and, once run, its outcome (result, error), held here on the GUI
        # side: the database thread lets go of all it was given before it answers, so what a
        # job holds (a dialog, a timer) is never freed there, where Qt may not free it.
        self._tickets = itertools.count(1)
        self._jobs: dict[int, _Job] = {}
        self._outcomes: dict[int, tuple[object, BaseException | None]] = {}
        # Emitted on the worker thread, delivered on this object's (the GUI) thread, in order.
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        _current[:] = [self]

    # -- what the window asks for --------------------------------------------------------

    @property
    def store(self) -> Store:
        """The open database: where it lives (`path`, `display`). Work on it goes through
        `run_change`, `run_query` or `run_task`, never a session opened by a widget."""
        if self._store is None:
            raise RuntimeError("the database is not open yet")
        return self._store

    def hold(self, store: Store) -> None:
        """The database opened (by a task on this thread): changes and reads go to it.

        The task that opened it holds it there, on the database thread, so what was asked
        for meanwhile (queued behind that task) finds it; its kept connection then serves
        this thread alone (as in `__init__`)."""
        self._store = store
        self._pool.submit(store.keep_connection_to_this_thread)

    def is_open(self) -> bool:
        """The database has opened (what is asked for before waits for it, in order)."""
        return self._store is not None

    def when_open(self, parent: QWidget | None, then: Callable[[], object]) -> None:
        """`then()` now if the database is open, else on this thread once it has opened
        (nothing if it could not be opened)."""
        if self._store is not None:
            then()
            return
        self.behind_the_opening(parent, then, self.is_open)

    def behind_the_opening(
        self, parent: QWidget | None, then: Callable[[], object], ready: Callable[[], bool]
    ) -> None:
        """`then()` on this thread once the database thread has run what was queued before
        (the database's opening among it), if `ready()` holds by then; said to be waiting."""
        self.waiting_for_database.emit()
        self.run_task(parent, lambda: None, success=lambda _: then() if ready() else None)

    def _held(self) -> Store:
        """On the database thread: the database a task before this one opened."""
        store = self._store
        if store is None:
            raise StorageError("the database could not be opened; nothing was saved")
        return store

    def _store_for(self) -> Callable[[], Store]:
        store = self._store
        if store is not None:
            return lambda: store
        # Asked for before the database opened: the task opening it runs first on the
        # database thread, so this waits for it and then finds it.
        self.waiting_for_database.emit()
        return self._held

    def run_change(
        self,
        parent: QWidget | None,
        op: Op[R],
        *,
        initiator: object | None = None,
        success: Callable[[R], object] | None = None,
        failure: Failure | None = None,
        error_title: str = "Not saved",
    ) -> None:
        """Run `op(session)` in one unit of work; then `success(result)` and the broadcast
        of the changes it returned."""
        store = self._store_for()

        def work() -> R:
            with store().unit_of_work() as session:
                return op(session)

        job = _Job(parent, success, failure, error_title, initiator, broadcasts=True)
        self._submit(job, work)

    def run_query(
        self,
        parent: QWidget | None,
        query: Callable[[Session], T],
        *,
        success: Callable[[T], object],
        failure: Failure | None = None,
        error_title: str = "Could not load",
    ) -> None:
        """Run `query(session)` in a read-only session; then `success(result)`."""
        store = self._store_for()

        def work() -> T:
            with store().reading() as session:
                return query(session)

        self._submit(_Job(parent, success, failure, error_title, None, False, reads=True), work)

    def run_task(
        self,
        parent: QWidget | None,
        task: Callable[[], T],
        *,
        success: Callable[[T], object] | None = None,
        failure: Failure | None = None,
        error_title: str = "Not done",
        changes: Changes | None = None,
        initiator: object | None = None,
    ) -> None:
        """Run `task()` — work that uses the database handle itself, such as a backup — on
        the database thread; with `changes`, announce them once it succeeded."""
        job = _Job(parent, success, failure, error_title, initiator, changes is not None, changes)
        self._submit(job, task)

    def announce(self, changes: Changes, initiator: object | None = None) -> None:
        """Tell every view about a change made elsewhere (another member's commit)."""
        self.changes_applied.emit(changes, initiator)

    def answering(self) -> bool:
        """True while an operation's answer is handed over (its `success`, then the
        broadcast of what it changed). Operations run and answer in the order they were
        asked for, so every read still on its way then was asked after this operation and
        runs after it: a view with a read on its way need not read again for the broadcast.
        Not so for `announce` outside an answer (another member's commit)."""
        return self._answering

    def is_closed(self) -> bool:
        """The window these operations served has closed (quit, or a switch of database)."""
        return self._closed

    def is_idle(self) -> bool:
        """Nothing submitted is still waiting for its result (tests wait for this)."""
        return self._pending == 0

    def close(self) -> None:
        """Finish what was submitted (a save in flight is kept), then stop the thread. A
        read answered after this is dropped: the window it was for is gone."""
        self._closed = True
        self._pool.shutdown(wait=True)
        self._end_busy()
        if _current and _current[0] is self:
            _current.clear()

    # -- internals -----------------------------------------------------------------------

    def _submit(self, job: _Job, work: Callable[[], Any]) -> None:
        if self._closed:
            _log.warning("an operation was asked for after the database was closed")
            return
        job.work = work
        self._pending += 1
        if self._pending == 1:
            self._busy_timer.start()
        if isinstance(job.parent, QDialog):
            job.parent.setProperty("deckfollow_waiting", True)

        ticket = next(self._tickets)
        self._jobs[ticket] = job
        self._pool.submit(self._run, ticket, [work])

    def _run(self, ticket: int, given: list[Callable[[], Any]]) -> None:
        """On the database thread: run the work, leave the outcome for the GUI thread and
        let go of everything before saying so (`given` is emptied)."""
        work = given.pop()
        try:
            outcome: tuple[object, BaseException | None] = (work(), None)
        except BaseException as exc:  # every failure is judged on the GUI thread
            outcome = (None, exc)
        del work
        self._outcomes[ticket] = outcome
        del outcome
        self._finished.emit(ticket)

    def _deliver(self, ticket: int) -> None:
        job = self._jobs.pop(ticket)
        result, error = self._outcomes.pop(ticket)
        self._answering = True
        try:
            if self._pending == 1:
                self._end_busy()  # the last one: a question its success asks gets a normal cursor
            self._report(job, result, error)
        finally:
            # Counted until its success (which may ask a question) and broadcast are done.
            self._pending -= 1
            self._answering = False

    def _report(self, job: _Job, result: object, error: BaseException | None) -> None:
        if job.reads and self._closed and not _is_defect(error):
            # The window it was read for has closed (quit, or a switch of database): nobody
            # is left to show it to, and its success may not open anything over a window
            # that is gone. A change's answer is still reported: what it saved counts.
            return
        parent_alive = job.parent is None or shiboken6.isValid(job.parent)
        if error is not None:
            if not isinstance(error, DeckfollowError):
                raise error  # a defect: the app's error dialog shows it
            if isinstance(error, ServerAwayError) and parent_alive and self._wait(job, error):
                return
            if job.failure is not None and parent_alive:
                job.failure(error)
            else:
                show_error(job.parent if parent_alive else None, job.error_title, error)
            return
        try:
            # A dialog closed meanwhile has nothing left to update; the change still counts.
            if job.success is not None and parent_alive:
                job.success(result)
        finally:
            if job.broadcasts:
                changes = job.announces or (
                    result if isinstance(result, Changes) else getattr(result, "changes", None)
                )
                if isinstance(changes, Changes):
                    self.changes_applied.emit(changes, job.initiator)

    def _wait(self, job: _Job, error: ServerAwayError) -> bool:
        """The team server is away: a read runs again once it is back (its dialog says it
        waits); a dialog's save waits, with all that was typed, and is saved again once it
        is back. True when handled so; anything else is shown as any other error."""
        target = getattr(self._store, "target", None)
        target = target if isinstance(target, str) else None
        work = job.work
        if job.reads and work is not None:
            # The same read asked again while away (a page's refresh) waits once, not twice.
            key = (id(job.parent), job.success)
            waiting = key in self._rereads
            self._rereads[key] = (job, work)
            if not waiting:
                fill_when_server_back(job.parent, lambda: self._read_again(key), target=target)
            return True
        dialog = job.parent.window() if job.parent is not None else None
        if not isinstance(dialog, QDialog):
            return False
        if job.failure is not None:
            job.failure(error)  # the dialog shows it its own way first (and may hold itself)
        if is_held(dialog):
            return True
        return hold_until_server_back(dialog, error, target=target)

    def _read_again(self, key: tuple[int, object]) -> None:
        job, work = self._rereads.pop(key)
        self._submit(job, work)

    def _show_busy(self) -> None:
        if self._pending == 0 or self._is_busy:
            return
        self._is_busy = True
        QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        for dialog in QApplication.topLevelWidgets():
            if isinstance(dialog, QDialog) and dialog.property("deckfollow_waiting"):
                dialog.setEnabled(False)
                self._greyed.append(dialog)
        self.busy.emit(True)

    def _end_busy(self) -> None:
        self._busy_timer.stop()
        for widget in self._greyed:
            if shiboken6.isValid(widget):
                widget.setEnabled(True)
                widget.setProperty("deckfollow_waiting", False)
        self._greyed.clear()
        for widget in QApplication.topLevelWidgets():
            if shiboken6.isValid(widget) and widget.property("deckfollow_waiting"):
                widget.setProperty("deckfollow_waiting", False)
        if self._is_busy:
            self._is_busy = False
            QApplication.restoreOverrideCursor()
            self.busy.emit(False)


def _is_defect(error: BaseException | None) -> bool:
    return error is not None and not isinstance(error, DeckfollowError)


def _alive(widget: QWidget | None) -> QWidget | None:
    return widget if widget is not None and shiboken6.isValid(widget) else None


def current() -> Operations:
    """The window's operations (made once the database is open)."""
    if not _current:
        raise RuntimeError("no database is open")
    return _current[0]


def serving(store: Store) -> Operations | None:
    """The window's operations when they serve `store` (the database open in the window);
    None when none are open, or they serve another database."""
    ops = _current[0] if _current else None
    return ops if ops is not None and ops.store is store else None


def run_change(
    parent: QWidget | None,
    op: Op[R],
    *,
    initiator: object | None = None,
    success: Callable[[R], object] | None = None,
    failure: Failure | None = None,
    error_title: str = "Not saved",
) -> None:
    """`Operations.run_change` on the window's operations."""
    current().run_change(
        parent, op, initiator=initiator, success=success, failure=failure, error_title=error_title
    )


def run_query(
    parent: QWidget | None,
    query: Callable[[Session], T],
    *,
    success: Callable[[T], object],
    failure: Failure | None = None,
    error_title: str = "Could not load",
) -> None:
    """`Operations.run_query` on the window's operations."""
    current().run_query(parent, query, success=success, failure=failure, error_title=error_title)


def run_task(
    parent: QWidget | None,
    task: Callable[[], T],
    *,
    success: Callable[[T], object] | None = None,
    failure: Failure | None = None,
    error_title: str = "Not done",
    changes: Changes | None = None,
    initiator: object | None = None,
) -> None:
    """`Operations.run_task` on the window's operations."""
    current().run_task(
        parent,
        task,
        success=success,
        failure=failure,
        error_title=error_title,
        changes=changes,
        initiator=initiator,
    )
