"""Starting the desktop app: the Qt application, the database, the window, the first welcome."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from deckfollow.core.clock import Clock
from deckfollow.core.errors import DeckfollowError
from deckfollow.ui.after_paint import AfterPaint
from deckfollow.ui.app_icon import app_icon
from deckfollow.ui.garbage import (
    collect_on_gui_thread,
    start_up_done,
    stop_collecting,
)
from deckfollow.ui.platform.memory import limit_arenas
from deckfollow.ui.prefetched_code import GUI_CODE
from deckfollow.ui.start_modules import (
    GUI_FOR_THE_PAGES,
    GUI_FOR_THE_REST,
    QT_FREE_FOR_THE_BOARD,
    QT_FREE_FOR_THE_DETAILS,
    QT_FREE_FOR_THE_PAGES,
    QT_FREE_FOR_THE_REST,
    has_loaded,
    load_gui_module,
    load_qt_free,
)

if TYPE_CHECKING:  # imported lazily at run time so the window paints first
    from deckfollow.core.settings import OwnerSettings
    from deckfollow.core.unit_of_work import Session
    from deckfollow.storage.database import Database
    from deckfollow.storage.integrity import IntegrityReport, OwedCheck
    from deckfollow.storage.quick_board import BoardFirst
    from deckfollow.ui.board import BoardPage
    from deckfollow.ui.main_window import MainWindow


# How long a thread holds the GIL while another waits for it (Python's default is 5 ms).
GIL_SWITCH_S = 0.001


def system_clock() -> datetime:
    """The real time, aware and in UTC (the core never reads the clock itself)."""
    return datetime.now(UTC)


def make_application(argv: list[str] | None = None) -> QApplication:
    """The one QApplication, named so QSettings has a home, with deckfollow's icon."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        # Before any thread starts: each would otherwise keep an allocator arena of its own.
        limit_arenas()
        app = QApplication(argv if argv is not None else sys.argv[:1])
        app.setOrganizationName("deckfollow")
        app.setApplicationName("deckfollow")
        app.setApplicationDisplayName("deckfollow")
        app.setDesktopFileName("deckfollow")
    # Every window and dialog takes this icon: title bars, the taskbar, Alt+Tab.
    app.setWindowIcon(app_icon())
    return app


def _welcome_pending(session: Session) -> bool:
    """A brand-new database whose owner has not been welcomed yet."""
    from deckfollow.core.board import business_is_empty
    from deckfollow.core.settings import get_setting

    if get_setting(session, "ui.welcome_done") is not None:
        return False
    return business_is_empty(session)


def import_wizard_factory() -> Callable[..., QWidget] | None:
    """The CSV import wizard when this build has one."""
    import importlib

    try:
        module = importlib.import_module("deckfollow.ui.importer")
    except ImportError:
        return None
    factory = getattr(module, "ImportWizard", None)
    return factory if callable(factory) else None


def offer_welcome(window: MainWindow, clock: Clock) -> None:
    """On a brand-new database: ask who the owner is and how they want to start."""
    window.ops.run_query(
        window,
        _welcome_pending,
        success=lambda pending: _welcome(window, clock) if pending else None,
    )


def _welcome(window: MainWindow, clock: Clock) -> None:
    from deckfollow.ui.welcome import WelcomeDialog

    wizard = import_wizard_factory()
    dialog = WelcomeDialog(can_import=wizard is not None, parent=window)
    # Opened, not exec()'d: no event loop of its own that could outlive the window (a
    # switch to the team database closes it), and the answer is handled once it closes.
    dialog.finished.connect(lambda _result: _welcome_answered(window, dialog, clock))
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.show()


def _welcome_answered(window: MainWindow, dialog: QDialog, clock: Clock) -> None:
    from deckfollow.core.changes import EVERYTHING, Changes
    from deckfollow.core.settings import save_owner_settings, set_setting
    from deckfollow.ui.formatting import set_owner_zone, use_sensible_locale
    from deckfollow.ui.welcome import WelcomeChoice, WelcomeDialog

    assert isinstance(dialog, WelcomeDialog)
    # Closed with Esc, the welcome is not checked: keep what is right, the owner can fix the
    # rest in Settings › Your business.
    details, choice = dialog.valid_details(), dialog.choice
    dialog.deleteLater()
    use_sensible_locale(details.get("default_country"))
    if "owner_timezone" in details:
        set_owner_zone(details["owner_timezone"])

    def save(session: Session) -> Changes:
        changes = save_owner_settings(session, details)
        set_setting(session, "ui.welcome_done", choice.value)
        return changes

    window.ops.run_change(window, save, error_title="Your details were not saved")
    if choice is WelcomeChoice.SAMPLE:
        from deckfollow.demo.generator import generate_demo

        def sample(session: Session) -> Changes:
            generate_demo(session, customers=80, quotes=200, seed=7, now=clock())
            return EVERYTHING

        window.ops.run_change(window, sample, error_title="The sample data was not added")
    elif choice is WelcomeChoice.IMPORT:
        wizard = import_wizard_factory()
        if wizard is not None:
            importer = wizard(window.ops, clock=clock, parent=window)
            importer.exec()  # type: ignore[attr-defined]
            importer.deleteLater()


class _CheckDone(QObject):
    """Carries the full integrity check's outcome from its thread to the GUI thread."""

    done = Signal(object)  # the IntegrityReport, or the exception the check raised


_carriers: set[_CheckDone] = set()


def check_after_showing(
    db: Database, then: Callable[[object], None], owed: OwedCheck | None = None
) -> None:
    """Run the full integrity check of `db`'s file on a thread of its own, now that its data
    is on screen, and hand `then` its report (or the exception it raised) on this thread.

    Until the check passed every write waits for it and is refused when the file is found
    damaged: nothing is written to a damaged file, even by a click made while it ran (the
    gate is `owed`'s, set when the file opened, or set here). It runs beside the database
    thread, not on it: on a large file it takes seconds (SQLite reads every page, without
    the GIL) and the pages keep reading meanwhile."""

    from deckfollow.storage.integrity import OwedCheck

    if db.path is None:  # a server database guards its own integrity
        then(None)
        return
    check = owed if owed is not None else OwedCheck(db)
    # Owned by the check's thread, not by `parent`: a window closed meanwhile (a test's, a
    # quick quit) would otherwise take the carrier with it while the check still runs.
    carrier = _CheckDone()
    _carriers.add(carrier)  # kept until its answer is delivered: Qt drops a dead sender's

    def deliver(outcome: object) -> None:
        _carriers.discard(carrier)
        then(outcome)

    carrier.done.connect(deliver, Qt.ConnectionType.QueuedConnection)

    def run() -> None:
        outcome: object
        try:
            outcome = check.run()
        except BaseException as exc:  # handed on to the GUI thread (a waiting write has it)
            outcome = exc
        carrier.done.emit(outcome)

    threading.Thread(target=run, name="integrity", daemon=True).start()


@dataclass(frozen=True)
class Opened:
    """What opening the database found: the database, or the damage, or why it cannot."""

    db: Database | None = None
    damage: IntegrityReport | None = None
    error: DeckfollowError | None = None
    # The full integrity check already ran (before a migration); else it runs once the
    # data is on screen.
    checked: bool = False
    # Read with the opening, so the owner's clock and locale are set before any page or
    # the details panel shows a time (a page's first read could otherwise come first).
    settings: OwnerSettings | None = None
    # The full check still owed (not `checked`): it holds every write from the opening on.
    owed: OwedCheck | None = None


def open_on_database_thread(
    target: str, *, full_check: bool = False, last_page: str | None = None
) -> Opened:
    """Open the database at `target` after the cheap integrity check (the header, the schema
    and its revision: milliseconds on any size); the full check runs once the data is on
    screen (`check_after_showing`), or here with `full_check` or before a migration, which
    writes. Runs on the window's database thread: SQLAlchemy, the models and the pages'
    modules load there, not on the GUI thread."""
    from pathlib import Path

    from deckfollow.storage.database import open_database
    from deckfollow.storage.integrity import OwedCheck, check_before_opening
    from deckfollow.storage.location import is_url

    GUI_CODE.read()  # unless the board's read ahead did
    load_qt_free(QT_FREE_FOR_THE_PAGES)
    if last_page == "customers":
        load_qt_free(QT_FREE_FOR_THE_DETAILS)
    checked = is_url(target)  # a server database guards its own integrity
    if not checked:
        report, checked = check_before_opening(Path(target).expanduser(), full=full_check)
        if report.damaged:
            return Opened(damage=report)
    from deckfollow.core.settings import load_settings

    try:
        db = open_database(target, create=True)
    except DeckfollowError as exc:
        return Opened(error=exc)
    # Every write waits from this moment, not from when the check starts.
    owed = None if checked or db.path is None else OwedCheck(db)
    try:
        with db.reading() as session:
            settings = load_settings(session)
    except DeckfollowError:
        # A team server gone already: the window reads them when back.
        return Opened(db=db, checked=checked, owed=owed)
    return Opened(db=db, settings=settings, checked=checked, owed=owed)


def say_it_cannot_open(
    error: DeckfollowError, parent: QWidget | None, then: Callable[[], object]
) -> QDialog:
    """The database cannot be opened: say why (a team database's URL without its
    password), then `then()` once the message is closed."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(
        QMessageBox.Icon.Critical,
        "deckfollow cannot open its database",
        str(error),
        QMessageBox.StandardButton.Ok,
        parent,
    )
    # Opened, not exec()'d: it is shown from the database thread's answer, where a loop of
    # its own would hold every later answer back.
    box.finished.connect(lambda _result: then())
    box.setWindowModality(Qt.WindowModality.ApplicationModal)
    box.open()
    return box


@dataclass(frozen=True)
class ReadAhead:
    """The board's quotes read before the database opened (the others follow from the same
    snapshot, `quotes.everything()`), and the owner's country and zone their cards are shown
    with (so the preview already reads "$26,550" and the owner's clock)."""

    quotes: BoardFirst
    country: str | None
    zone: str | None


def _read_ahead(
    target: str, clock: Clock, board_code: Future[None] | None = None
) -> ReadAhead | None:
    """On the database thread, before the database opens: the board's quotes with plain
    sqlite3 for a user who left the pipeline open, laid out for the board there, so the GUI
    thread only shows them. The other quotes (most of a big business: won and lost long
    ago) are read for the list once the board is on screen.

    The board's Qt-free code is loaded when its rows are: here, or by `board_code` (on a
    thread of its own while SQLite reads the file: each waits little on the other)."""
    import sqlite3
    from pathlib import Path
    from zoneinfo import ZoneInfo

    from deckfollow.storage.quick_board import read_board_first

    path = Path(target).expanduser()
    quotes = read_board_first(path, now=clock())
    if board_code is not None:
        board_code.result()  # raises what the import raised, as importing it here would
    else:
        load_qt_free(QT_FREE_FOR_THE_BOARD)
    if quotes is None:
        return None
    quotes.board.board()
    try:
        found = quotes.settings("default_country", "owner_timezone")  # the same read's
        zone = found.get("owner_timezone")
        if zone is not None:
            ZoneInfo(zone)  # a zone this machine knows, or the settings' own read decides
    except (sqlite3.Error, ValueError, KeyError, OSError):
        found, zone = {}, None
    return ReadAhead(quotes, found.get("default_country"), zone)


def _load_board_code() -> None:
    """The GUI's modules' code first (the board's module is the GUI thread's next import),
    then the board's Qt-free code."""
    GUI_CODE.read()
    load_qt_free(QT_FREE_FOR_THE_BOARD)


def read_ahead_early(target: str, clock: Clock) -> Future[ReadAhead | None] | None:
    """For a user who left the pipeline open, start reading the board's quotes on a thread
    of their own now, before the window is made: the file is read (by SQLite, without the
    interpreter's lock) while the window builds and paints its frame. None otherwise."""
    from concurrent.futures import ThreadPoolExecutor

    from PySide6.QtCore import QSettings

    from deckfollow.storage.location import is_url

    if is_url(target) or QSettings().value("main/last_page") != "board":
        return None
    reader = ThreadPoolExecutor(max_workers=2, thread_name_prefix="read-ahead")
    # The board's Qt-free code loads beside the read: most of the read is SQLite's, without
    # the interpreter's lock, and one after the other they held the board back by their sum.
    board_code = reader.submit(_load_board_code)
    ahead = reader.submit(_read_ahead, target, clock, board_code)
    reader.shutdown(wait=False)  # the threads end once the read is done
    return ahead


def _or_none(read: Callable[[], ReadAhead | None]) -> ReadAhead | None:
    """What `read()` gives, or None if it failed: the read ahead is only a head start, the
    database opens after it (`_Start._preview`) whatever it found."""
    try:
        return read()
    except Exception:
        _start_log()  # the failure goes in the log file, not only to the terminal
        logging.getLogger(__name__).exception("the board's quotes could not be read ahead")
        return None


_log_started: list[bool] = []  # one entry once the log has started
_log_starting = threading.Lock()


def _start_log() -> None:
    """Send the app's log to its file, first saying which deckfollow started (once in the
    app's life: a database opened afresh writes no second line)."""
    with _log_starting:
        if _log_started:
            return
        _log_started.append(True)
    from deckfollow import __version__
    from deckfollow.app_log import start_logging

    start_logging()
    logging.getLogger(__name__).info(
        "deckfollow %s started%s",
        __version__,
        " (installed)" if getattr(sys, "frozen", False) else "",
    )


def _close_read_ahead(done: Future[ReadAhead | None]) -> None:
    found = None if done.exception() is not None else done.result()
    if found is not None:
        found.quotes.close()


# How often the start looks whether the board's Qt-free code has loaded, and for how long
# at most before it imports it itself.
_BOARD_CODE_POLL_MS = 5
_BOARD_CODE_WAIT_MS = 3000


class _Start:
    """The start after the window frame painted: the event loop runs at once; the database
    opens, the quotes are read and the modules load on the window's database thread, and
    each result is shown when it arrives."""

    def __init__(
        self,
        app: QApplication,
        window: MainWindow,
        target: str,
        clock: Clock,
        startup_check: bool,
        ahead: Future[ReadAhead | None] | None = None,
    ) -> None:
        """`ahead`: the board's quotes, being read since before the window was made
        (`read_ahead_early`); else `begin` reads them when the user left the board open."""
        from deckfollow.ui.operations import Operations

        self.app, self.window, self.target = app, window, target
        self.ahead = ahead
        self.clock, self.startup_check = clock, startup_check
        self.db: Database | None = None
        self.owed: OwedCheck | None = None  # the full check, owed until it ran
        # The full check found the file damaged after its data showed: a backup was restored
        # and the app reopens the file (see `reopen_requested`).
        self.reopen = False
        self.last_page: str | None = None  # the page the user left open, read at `begin`
        self.board: BoardPage | None = None  # the pipeline's page, made ahead of its quotes
        self.previewed = False  # the board showed the quotes read ahead of the opening
        # The window's one database thread, before there is a database: the start runs on it.
        self.ops = window.ops = Operations(None, window)
        # The board read ahead is the file's data and takes changes from its first paint: one
        # asked for before the database has opened waits for it (behind it on its thread).
        self.ops.waiting_for_database.connect(self._say_opening)

    def begin(self) -> None:
        from PySide6.QtCore import QSettings

        from deckfollow.storage.location import is_url

        target, clock, ahead = self.target, self.clock, self.ahead
        last = QSettings().value("main/last_page")
        self.last_page = last if isinstance(last, str) else None
        if ahead is not None or (not is_url(target) and last == "board"):
            read = ahead.result if ahead is not None else lambda: _read_ahead(target, clock)
            self.ops.run_task(self.window, lambda: _or_none(read), success=self._preview)
            # The board's widgets are made while its quotes are read (shown once filled);
            # the database opens once they show (`_preview`).
            QTimer.singleShot(0, self.window, self._make_board_once_loaded)
            return
        self._open()

    def _make_board_once_loaded(self, waited_ms: int = 0) -> None:
        """`_make_board` once the read ahead has loaded the board's Qt-free code: imported
        here meanwhile, the window waited on the import's lock instead of answering."""
        if (
            not has_loaded(QT_FREE_FOR_THE_BOARD)
            and self.board is None
            and waited_ms < _BOARD_CODE_WAIT_MS
        ):
            QTimer.singleShot(
                _BOARD_CODE_POLL_MS,
                self.window,
                lambda: self._make_board_once_loaded(waited_ms + _BOARD_CODE_POLL_MS),
            )
            return
        self._make_board()

    def _make_board(self) -> None:
        from deckfollow.ui.board import BoardPage

        if self.board is None:
            self.board = BoardPage(self.ops, clock=self.clock)

    def _open(self, *, full_check: bool = False, after: threading.Event | None = None) -> None:
        """Open the database on its thread, first in its queue from now on (with `after`,
        once that is set, or a second at most: the board's first paint)."""
        target, last_page, ops = self.target, self.last_page, self.ops

        def open_here() -> Opened:
            if after is not None:
                after.wait(1.0)
            _start_log()  # if it waited for the board read ahead (`_run_gui`)
            opened = open_on_database_thread(target, full_check=full_check, last_page=last_page)
            if opened.db is not None:
                # Here, on the database thread: what was asked for meanwhile runs next and
                # finds it (a card dragged on the board read ahead is saved to it).
                ops.hold(opened.db)
            return opened

        self.ops.run_task(self.window, open_here, success=self._opened)

    def _say_opening(self) -> None:
        if self.db is None and not self.ops.is_closed():
            self.window.statusBar().showMessage(
                "Opening the database… what you asked for follows as soon as it is open."
            )

    def _preview(self, ahead: ReadAhead | None) -> None:
        from deckfollow.ui.formatting import set_owner_zone, use_sensible_locale

        if self.ops.is_closed():
            if ahead is not None:
                ahead.quotes.close()
            return
        if ahead is None:  # the file could not be read this quick way: the normal start
            self._open()
            return
        use_sensible_locale(ahead.country)
        if ahead.zone is not None:
            set_owner_zone(ahead.zone)
        self._make_board()  # if the quotes came first
        # The board and the list keep this one read: the other quotes follow from it.
        self.window.preview_board(ahead.quotes.board, rest=ahead.quotes, board=self.board)
        self.previewed = True
        # Queued now, so whatever the user asks of the board from here on waits for it; but
        # it starts (SQLAlchemy loading on its thread) once the board has painted: started
        # at once, that work would hold the interpreter's lock against the painting. Let go
        # by the board's own paint: a paint is a low-priority event, so a call queued now
        # (even a zero timer) ran before it, and the board's first paint took twice as long.
        assert self.board is not None
        self._open(after=AfterPaint(self.board).hold())

    def _opened(self, opened: Opened) -> None:
        if self.ops.is_closed():  # the window closed while the database opened
            if opened.db is not None:
                opened.db.close()
            return
        if opened.damage is not None:
            self.window.forget_read_ahead()  # read from the damaged file, before a restore
            # Restored: check the file again (fully: it was just copied in) before opening it.
            self._say_damaged(opened.damage, lambda: self._open(full_check=True))
            return
        if opened.error is not None or opened.db is None:
            if opened.error is None:
                self.app.exit(1)
            else:
                say_it_cannot_open(opened.error, self.window, lambda: self.app.exit(1))
            return
        self.db, self.owed = opened.db, opened.owed
        if self.board is not None and self.window.page("board") is not self.board:
            self.board.deleteLater()  # made for quotes the quick read could not give
        run_window = partial(
            _run_window,
            self.app,
            self.window,
            opened.db,
            self.clock,
            self.startup_check,
            opened.settings,
            checked=opened.checked,
            damaged=self._damaged_after_showing,
            owed=opened.owed,
            on_screen=self.previewed,
        )
        # The pages' modules first, one per turn (their Qt-free code loaded with the
        # opening): the window answers between them.
        _in_turns(self.window, [*_imports(GUI_FOR_THE_PAGES), run_window])

    def _say_damaged(self, report: IntegrityReport, restored: Callable[[], object]) -> None:
        from deckfollow.ui.backups import CorruptDatabaseDialog

        dialog = CorruptDatabaseDialog(report, self.window, clock=self.clock)

        def answered(result: int) -> None:
            dialog.deleteLater()
            if result == QDialog.DialogCode.Accepted:
                restored()
            else:
                self.app.exit(1)

        # Opened, not exec()'d: this is the database thread's answer (see above).
        dialog.finished.connect(answered)
        dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        dialog.open()

    def _damaged_after_showing(self, report: IntegrityReport) -> None:
        """The full check found damage after the data showed: the database closes before a
        backup may be restored over it (every write was refused meanwhile), the data stays
        on screen behind the dialog, and once restored the app opens the file afresh."""
        self.window.ops.close()  # what was queued finishes: a waiting write is refused
        if self.db is not None:
            self.db.close()
            self.db = None

        def restored() -> None:
            self.reopen = True
            self.app.exit(0)

        self._say_damaged(report, restored)


def run_gui(
    target: str,
    *,
    clock: Clock = system_clock,
    argv: list[str] | None = None,
    startup_check: bool = False,
    team: bool = False,
) -> int:
    """Open the database at `target` (creating it if new) and run the app until it quits.

    With `team`, the team database remembered in Settings › Team is opened instead, when
    there is one (its password from the keyring, or asked for).

    The window frame paints first; the database, its checks and the data follow, so the
    app is on screen at once even on a large business. With `startup_check` the app quits
    once the data is on screen (an installation's smoke test; it prints the time taken).
    """
    try:
        return _run_gui(target, clock, argv, startup_check, team)
    finally:
        stop_collecting()  # Python collects by itself again once the app has quit


def _run_gui(
    target: str, clock: Clock, argv: list[str] | None, startup_check: bool, team: bool
) -> int:
    import time

    app = make_application(argv)
    # Before the database thread starts: from here on garbage is collected on the GUI
    # thread only (a collection on another thread destroyed Qt objects there and crashed).
    collector = collect_on_gui_thread(app)
    # The database thread's Python work (a report, the quotes' rows) hands the GIL back to
    # the window every millisecond rather than every five: each turn of the event loop
    # takes it many times (every Python paint and slot), and at five it waited up to 0.2 s.
    sys.setswitchinterval(GIL_SWITCH_S)
    GUI_CODE.install()  # the GUI's modules' code, read ahead on another thread
    # The board's quotes are read while the window is made and painted.
    ahead = None if team else read_ahead_early(target, clock)
    from deckfollow.ui.main_window import MainWindow

    if ahead is None:
        _start_log()
    # Else the log file opens on the database thread once the board is on screen (`_Start`):
    # its modules (file rotation, the user's folders) were a tenth of the GUI thread's work
    # before the board could be used.
    team_target: str | None = None
    original = target
    if team:
        from deckfollow.ui.team.settings_page import team_target_at_start

        team_target = team_target_at_start()
        target = team_target or target
    elif "://" in target:
        from deckfollow.ui.team.settings_page import password_from_keyring

        target = password_from_keyring(target)  # e.g. the start-at-login entry's URL
    if target != original and ahead is not None:  # another database than the one read
        ahead.add_done_callback(_close_read_ahead)
        ahead = None
    while True:
        GUI_CODE.install()  # again for a database opened afresh
        window = MainWindow(None, clock=clock)
        window.show()
        app.processEvents()  # the first paint, before SQLAlchemy and the database load
        if startup_check:
            # The wall clock, so a script can subtract the moment it launched the app.
            print(f"deckfollow: window painted at {time.time():.3f}", flush=True)
        code = _open_and_run(app, window, target, clock, startup_check, ahead)
        ahead = None  # a database opened afresh (a switch, a restore) is read anew
        window.close()
        switch = _switch_requested(window)
        if switch is None and window.property(_REOPEN):
            switch = target  # a backup was restored over the damaged file: open it afresh
        if switch is None and code != 0 and team_target is not None and target == team_target:
            switch = _local_file_instead()  # the team server is away or refused the sign-in
            team_target = None
        if switch is None:
            return code
        # Settings › Team moved the business or joined/left a team: reopen on the new one.
        window.deleteLater()
        app.processEvents()
        collector.window_closed()
        target = switch


# The window's property saying the app should open its file afresh once it closed.
_REOPEN = "deckfollow_reopen"


def _switch_requested(window: MainWindow) -> str | None:
    from deckfollow.ui.team.settings_page import requested_switch

    return requested_switch(window)


def _local_file_instead() -> str | None:
    from deckfollow.ui.team.settings_page import offer_local_file

    return offer_local_file()


def _open_and_run(
    app: QApplication,
    window: MainWindow,
    target: str,
    clock: Clock,
    startup_check: bool = False,
    ahead: Future[ReadAhead | None] | None = None,
) -> int:
    from pathlib import Path

    from deckfollow.storage.instance_lock import AlreadyRunningError, acquire_instance_lock
    from deckfollow.storage.location import is_url

    try:
        lock = acquire_instance_lock(target)
    except AlreadyRunningError as exc:
        from deckfollow.ui.backups import ask_running_instance_to_show

        if ahead is not None:  # read for a window that will not show it
            ahead.add_done_callback(_close_read_ahead)

        window.hide()
        if not is_url(target) and ask_running_instance_to_show(Path(target).expanduser()):
            return 0  # the running deckfollow came forward instead
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.information(None, "deckfollow is already open", str(exc))
        return 1
    with lock:
        start = _Start(app, window, target, clock, startup_check, ahead)
        start.begin()
        try:
            code = app.exec()
            if start.reopen:
                window.setProperty(_REOPEN, True)
            return code
        finally:
            GUI_CODE.uninstall()  # if the start had not ended yet
            if start.owed is not None:
                start.owed.abandon()  # a write still waiting for it must not hold the close
            # What the window still had queued (a refresh, a reminder check) runs now, while
            # the database is open: run after close(), it would quietly reconnect and leave
            # that connection open (a team server would keep it until the app quits).
            window.close()  # its database thread finishes what was asked of it
            app.processEvents()
            if start.db is not None:
                start.db.close()


def _run_window(
    app: QApplication,
    window: MainWindow,
    db: Database,
    clock: Clock,
    startup_check: bool = False,
    settings: OwnerSettings | None = None,
    *,
    checked: bool = True,
    damaged: Callable[[IntegrityReport], object] | None = None,
    owed: OwedCheck | None = None,
    on_screen: bool = False,
) -> None:
    """The database is open: the pages join the window and the day's work starts.

    Unless `checked`, the full integrity check runs once the page on screen shows its data
    (at once when it showed it before the database opened: `on_screen`, the board read
    ahead, where a change may already wait for the check); what writes on its own (built-in
    plans, the welcome, reminders, backups) starts once it passed, and `damaged(report)` is
    called if it did not."""
    from deckfollow.core.settings import load_settings
    from deckfollow.ui.formatting import set_owner_zone, use_sensible_locale

    def use_settings(settings: OwnerSettings) -> None:
        use_sensible_locale(settings.default_country)
        set_owner_zone(settings.owner_timezone)

    if settings is not None:
        use_settings(settings)  # before the pages: their first times are on this clock

    # From here on the window's operations hold the database: every read and write it
    # makes runs on their thread, in the order asked (so the owner's locale and zone below
    # are set before the first page shows a date).
    window.attach(db)
    ops = window.ops
    if settings is None:
        ops.run_query(window, load_settings, success=use_settings)
    install_error_dialog(window)
    window.restore_last_page()
    window.build_details_later()  # see `loaded` below
    window.search_later()  # once the steps below are done
    window.refresh()  # the page on screen shows the database's data first

    # The rest once its modules are loaded on the database thread, one step per turn of
    # the event loop, so none holds the window long.
    def features() -> None:
        from deckfollow.ui.features import install_features

        install_features(window, db, clock)

    steps: list[Callable[[], object]] = [
        window.build_details,
        features,
        lambda: _listen_for_second_start(window, db),
        lambda: _follow_outside_writes(window),
        window.reports.build_ahead,  # its modules are loaded with the rest's
        lambda: _load_holiday_calendars(window),
    ]
    # What writes, or backs the file up, waits for the full check too.
    writing: list[Callable[[], object]] = [
        # Built-in plans and wordings are brought up to date once the pipeline is on screen.
        lambda: _seed_builtins(window),
        lambda: offer_welcome(window, clock),
        lambda: _start_reminders(window, db, clock),
        lambda: _keep_backing_up(window, db, clock),
    ]
    # The window is up: what the start made lives as long as the app, set aside; the GUI's
    # modules it did not import load as usual from here on.
    steps.append(GUI_CODE.uninstall)
    steps.append(start_up_done)
    steps.append(window.prepare_search)
    if startup_check:
        writing.append(lambda: _quit_once_shown(app, window))  # after the first refresh
    waiting = {"loaded": False, "checked": checked}

    def ready(what: str) -> None:
        waiting[what] = True
        if all(waiting.values()):
            _in_turns(window, writing)

    def loaded(_: object) -> None:
        # Their GUI modules first, one per turn, on this thread (see `start_modules`).
        _in_turns(window, [*_imports(GUI_FOR_THE_REST), lambda: ready("loaded"), *steps])

    def outcome(report: object) -> None:
        from deckfollow.storage.integrity import IntegrityReport

        if window.ops.is_closed():
            return
        if isinstance(report, IntegrityReport) and report.damaged:
            if damaged is not None:
                damaged(report)
            return
        if isinstance(report, BaseException):
            # The check itself failed (not the file): said once, and the day goes on.
            logging.getLogger(__name__).error("the integrity check failed: %s", report)
        ready("checked")

    if not checked and on_screen:
        check_after_showing(db, outcome, owed)
    elif not checked:
        # Queued after the first refresh's reads: the check starts once the page shows them.
        ops.run_task(window, lambda: None, success=lambda _: check_after_showing(db, outcome, owed))
    ops.run_task(window, partial(load_qt_free, QT_FREE_FOR_THE_REST), success=loaded)


def _load_holiday_calendars(window: MainWindow) -> None:
    """The holiday calendars load on the database thread once the window is up, not when
    the owner first opens Today: loaded then, they took the interpreter's lock from the
    window's thread as it laid Today out (a freeze of up to 100 ms at 100,000 quotes)."""
    from deckfollow.core.contact_hours import load_holiday_calendars

    window.ops.run_task(None, load_holiday_calendars)


def _imports(modules: tuple[str, ...]) -> list[Callable[[], object]]:
    """One step per GUI module, importing it (for `_in_turns`, on the GUI thread)."""
    return [partial(load_gui_module, name) for name in modules]


def _in_turns(window: MainWindow, steps: list[Callable[[], object]]) -> None:
    """Run `steps` one per turn of the event loop (none once the window has closed)."""
    if not steps or window.ops.is_closed():
        return
    steps[0]()
    QTimer.singleShot(0, window, lambda: _in_turns(window, steps[1:]))


def _quit_once_shown(app: QApplication, window: MainWindow) -> None:
    if window.ops.is_idle():
        app.quit()
    else:
        QTimer.singleShot(5, lambda: _quit_once_shown(app, window))


def _seed_builtins(window: MainWindow) -> None:
    from dataclasses import dataclass, field

    from deckfollow.core.cadence_library import seed_builtin_cadences
    from deckfollow.core.changes import Changes
    from deckfollow.messaging.template_library import seed_builtin_templates

    @dataclass(frozen=True)
    class Seeded:
        added: bool
        changes: Changes = field(default_factory=Changes)  # announced to Today alone

    def seed(session: Session) -> Seeded:
        return Seeded(bool(seed_builtin_cadences(session) + seed_builtin_templates(session)))

    def seeded(done: Seeded) -> None:
        if done.added:
            # Only Today's scripts come from the wordings just added: the quotes stay as read.
            window.today.apply_changes(Changes(settings=True))

    window.ops.run_change(window, seed, success=seeded)


def install_error_dialog(window: QWidget) -> None:
    """An error no dialog caught is shown to the user, not only printed where nobody looks."""
    previous = sys.excepthook

    def show(kind: type[BaseException], exc: BaseException, tb: object) -> None:
        previous(kind, exc, tb)  # type: ignore[arg-type]  # still printed for the record
        from deckfollow.core.errors import DeckfollowError, ServerAwayError

        if isinstance(exc, ServerAwayError):
            from deckfollow.ui.team.server_away import away_message, server_watch

            # The banner says it and keeps retrying; a refresh that failed meanwhile is not
            # worth a box to close (the window reloads once the server is back).
            server_watch().report_away("")
            text = away_message()  # the server as its members know it, not its URL
            status = getattr(window, "statusBar", None)
            if callable(status):
                status().showMessage(text, 15_000)
                return
        elif isinstance(exc, DeckfollowError):
            text = str(exc)
        else:
            text = (
                f"Something went wrong: {exc or kind.__name__}.\n\nWhat was saved before is "
                "safe; the change you were making may not have been saved."
            )
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(window, "deckfollow", text)

    sys.excepthook = show


def _listen_for_second_start(window: MainWindow, db: Database) -> None:
    """A second start on this file asks this window to come forward instead."""
    if db.path is None:
        return
    from deckfollow.ui.backups import HandoverServer

    handover = HandoverServer(db.path, window)
    handover.show_requested.connect(lambda: _bring_forward(window))


def _bring_forward(window: MainWindow) -> None:
    window.showNormal()
    window.raise_()
    window.activateWindow()


def _start_reminders(window: MainWindow, db: Database, clock: Clock) -> None:
    from deckfollow.core.changes import Changes
    from deckfollow.ui.reminders import ReminderController

    if window.ops.is_closed():
        return  # the window closed before its reminders started (a switch of database)
    controller = ReminderController(
        db, clock=clock, main_window=window, parent=window, ops=window.ops
    )
    controller.open_today.connect(lambda: _show(window, "today"))
    controller.open_follow_up.connect(lambda fid: _open_follow_up(window, fid))
    controller.follow_ups_changed.connect(
        lambda: window.ops.announce(Changes(follow_ups=True), controller)
    )
    controller.start()
    window.reminders = controller


def _show(window: MainWindow, page: str) -> None:
    _bring_forward(window)
    window.show_page(page)


def _open_follow_up(window: MainWindow, follow_up_id: int) -> None:
    _show(window, "today")
    window.today.select_follow_up(follow_up_id)


def _follow_outside_writes(window: MainWindow) -> None:
    """What a script or the command line writes to the open file shows in the window."""
    from deckfollow.ui.outside_writes import OutsideWrites

    if window.ops.is_closed():
        return
    watcher = OutsideWrites(window.ops, window)
    window.outside_writes = watcher
    watcher.start()


def _keep_backing_up(window: MainWindow, db: Database, clock: Clock) -> None:
    """Daily and weekly backups for as long as the app runs (it may live in the tray for
    weeks); a failure shows in the status bar and is tried again later."""
    from deckfollow.ui.backups import BackupScheduler

    scheduler = BackupScheduler(db, clock=clock, parent=window)
    scheduler.failed.connect(window.statusBar().showMessage)
    scheduler.start()
