"""The app's first start: the welcome on an empty database, the first screen on a full one."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from deckfollow.core.models import Quote
from deckfollow.core.settings import load_settings
from deckfollow.demo.generator import generate_demo
from deckfollow.storage.database import Database
from deckfollow.ui.app import offer_welcome
from deckfollow.ui.main_window import MainWindow
from deckfollow.ui.welcome import WelcomeDialog
from tests.ui.starting import start_on
from tests.ui.waiting import settle


def _answer_welcome(choose: str, name: str = "") -> list[bool]:
    """Fill in and click the welcome dialog once it is on screen; the list says when."""
    answered: list[bool] = []

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, WelcomeDialog):
            QTimer.singleShot(20, act)
            return
        dialog.owner_name.setText(name)
        getattr(dialog, f"{choose}_button").click()
        answered.append(True)

    QTimer.singleShot(0, act)
    return answered


def test_empty_database_offers_sample_data(qtbot: QtBot, db: Database, now: datetime) -> None:
    window = MainWindow(db, clock=lambda: now)
    qtbot.addWidget(window)
    window.show()  # as the app does before it offers the welcome
    answered = _answer_welcome("sample", name="Dana Whitfield")
    offer_welcome(window, lambda: now)
    qtbot.waitUntil(lambda: bool(answered))
    settle(qtbot, window)
    with db.reading() as session:
        quotes = session.execute(select(func.count(Quote.id))).scalar_one()
        owner = load_settings(session).owner_name
    assert quotes == 200
    assert owner == "Dana Whitfield"
    assert window.today.tree.topLevelItemCount() > 0, "the first screen shows the sample work"


def test_starting_empty_is_remembered(qtbot: QtBot, db: Database, now: datetime) -> None:
    window = MainWindow(db, clock=lambda: now)
    qtbot.addWidget(window)
    answered = _answer_welcome("empty")
    offer_welcome(window, lambda: now)
    qtbot.waitUntil(lambda: bool(answered))
    settle(qtbot, window)
    window.refresh()
    window.show()
    window.show_page("today")  # read when first shown
    settle(qtbot, window)
    assert window.today.empty.isVisibleTo(window.today)
    assert window.quotes.count.text() == "0 quotes"
    # A second start must not ask again: no dialog appears, so this returns at once.
    offer_welcome(window, lambda: now)
    settle(qtbot, window)


def test_first_screen_shows_what_is_due(qtbot: QtBot, db: Database, now: datetime) -> None:
    with db.unit_of_work() as session:
        generate_demo(session, customers=50, quotes=120, seed=2, now=now, country="AU")
    window = MainWindow(db, clock=lambda: now)
    qtbot.addWidget(window)
    window.show()
    window.refresh()
    settle(qtbot, window)
    tree = window.today.tree
    groups = [tree.topLevelItem(g) for g in range(tree.topLevelItemCount())]
    rows = sum(g.childCount() for g in groups if g is not None)
    assert rows > 0
    assert f"{rows} follow-ups" in window.today.headline.text()
    counts = window.today.counts.text()
    assert "1 emails" not in counts and "1 texts" not in counts and "1 calls" not in counts
    assert any(word in counts for word in ("call", "text", "email", "card"))


@pytest.mark.parametrize("last_page", ["today", "board"])
def test_a_damaged_file_is_explained_and_left_untouched(
    qtbot: QtBot, db: Database, now: datetime, tmp_path: Path, last_page: str
) -> None:
    import hashlib

    from PySide6.QtCore import QSettings

    from deckfollow.ui.app import run_gui
    from deckfollow.ui.backups import CorruptDatabaseDialog

    with db.unit_of_work() as session:
        generate_demo(session, customers=20, quotes=40, seed=3, now=now, country="AU")
    db.close()
    damaged = tmp_path / "damaged.db"
    data = bytearray(Path(db.path).read_bytes())  # type: ignore[arg-type]
    data[8192:12288] = b"\xff" * 4096  # scribble over a page, as a failing disk would
    damaged.write_bytes(bytes(data))
    before = hashlib.sha256(damaged.read_bytes()).hexdigest()
    seen: list[str] = []

    def decline() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, CorruptDatabaseDialog):
            QTimer.singleShot(20, decline)
            return
        seen.append(dialog.windowTitle())
        dialog.reject()

    QTimer.singleShot(0, decline)
    QSettings().setValue("main/last_page", last_page)  # the board is read ahead of the check
    assert run_gui(str(damaged), clock=lambda: now) == 1
    assert seen == ["Your deckfollow data needs attention"]
    assert hashlib.sha256(damaged.read_bytes()).hexdigest() == before


@pytest.mark.qt_no_exception_capture
def test_an_uncaught_error_is_shown_to_the_user(qtbot: QtBot, db: Database, now: datetime) -> None:
    import sys

    from PySide6.QtWidgets import QMessageBox

    from deckfollow.core.errors import StorageError
    from deckfollow.ui.app import install_error_dialog

    window = MainWindow(db, clock=lambda: now)
    qtbot.addWidget(window)
    saved_hook = sys.excepthook
    shown: list[str] = []

    def read_and_close() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, read_and_close)
            return
        shown.append(box.text())
        box.accept()

    try:
        install_error_dialog(window)
        QTimer.singleShot(0, read_and_close)
        try:
            raise StorageError("the disk holding x.db is full; nothing was saved")
        except StorageError as exc:
            sys.excepthook(type(exc), exc, exc.__traceback__)
    finally:
        sys.excepthook = saved_hook
    assert shown == ["the disk holding x.db is full; nothing was saved"]


def test_the_pipeline_paints_before_the_database_opens(
    qtbot: QtBot, db: Database, now: datetime
) -> None:
    """A user who left the board open sees it filled at once; the pages then join it."""
    from deckfollow.core.enums import Stage
    from deckfollow.storage.quick_board import read_board

    with db.unit_of_work() as session:
        generate_demo(session, customers=40, quotes=100, seed=4, now=now, country="AU")
    assert db.path is not None
    window = MainWindow(None, clock=lambda: now)
    qtbot.addWidget(window)
    window.show()
    early = read_board(db.path, now=now)
    assert early is not None
    window.preview_board(early)
    shown = {s: c.model.rowCount() for s, c in window.board.columns.items()}
    assert shown[Stage.FOLLOWING_UP] > 0
    assert window.stack.currentWidget() is window.board
    board = window.board

    window.attach(db)
    window.restore_last_page()
    window.refresh()
    settle(qtbot, window)
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert titles == ["Today", "Pipeline", "Quotes", "Customers", "Reports"]
    assert window.board is board, "the board on screen is kept, not built twice"
    assert {s: c.model.rowCount() for s, c in window.board.columns.items()} == shown
    assert window.quotes.model.total == 100


def test_the_board_s_first_paint_does_not_wait_for_sqlalchemy() -> None:
    """What paints the board ahead must not import SQLAlchemy (0.2 s here) on the way."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import deckfollow.ui.app, deckfollow.ui.main_window, deckfollow.ui.board\n"
        "import deckfollow.storage.quick_board, deckfollow.storage.integrity\n"
        "import deckfollow.ui.operations\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'alembic'))\n"
        "print(heavy)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "[]"


def test_the_log_opens_after_the_board_read_ahead_is_on_screen(db: Database, now: datetime) -> None:
    """The log file's modules load once the board is shown (they held its first paint);
    the start is still written to the log, once."""
    import os
    import subprocess
    import sys

    from deckfollow.app_log import log_file

    with db.unit_of_work() as session:
        generate_demo(session, customers=20, quotes=40, seed=3, now=now, country="AU")
    db.close()
    assert db.path is not None
    code = (
        "import sys\n"
        "from PySide6.QtCore import QSettings\n"
        "from deckfollow.ui.app import make_application, run_gui\n"
        "from deckfollow.ui.main_window import MainWindow\n"
        "make_application()\n"
        "QSettings().setValue('main/last_page', 'board')\n"
        "shown, seen = MainWindow.preview_board, []\n"
        "def preview(self, *args, **kwargs):\n"
        "    seen.append('deckfollow.app_log' in sys.modules)\n"
        "    shown(self, *args, **kwargs)\n"
        "MainWindow.preview_board = preview\n"
        f"code = run_gui({str(db.path)!r}, startup_check=True)\n"
        "print('log loaded before the board:', seen, code)\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, "-c", code],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert out.returncode == 0, out.stderr
    assert "log loaded before the board: [False] 0" in out.stdout, out.stdout + out.stderr
    written = log_file().read_text(encoding="utf-8")
    assert written.count(" started") == 1, written


def test_the_database_opens_on_its_thread_while_the_window_answers(
    qtbot: QtBot, db: Database, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLAlchemy, the file's checks and the quotes load on the database thread: the window
    is on screen, shows the pipeline read ahead, and its event loop runs meanwhile."""
    import threading

    from deckfollow.core.enums import Stage
    from deckfollow.storage import database as storage
    from deckfollow.ui import app as app_module

    with db.unit_of_work() as session:
        generate_demo(session, customers=20, quotes=40, seed=3, now=now, country="AU")
    db.close()
    assert db.path is not None
    opened_on: list[str] = []
    ticks: list[int] = []
    beat = QTimer()
    beat.timeout.connect(lambda: ticks.append(1))
    beat.start(5)
    ticked_while_opening: list[bool] = []
    real_open = storage.open_database

    def open_database(target: str, **kwargs: object) -> Database:
        opened_on.append(threading.current_thread().name)
        before = len(ticks)
        for _ in range(300):  # the GUI thread is free meanwhile: its timer keeps ticking
            if len(ticks) > before + 2:
                ticked_while_opening.append(True)
                break
            threading.Event().wait(0.01)
        return real_open(target, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(storage, "open_database", open_database)
    ran: list[int] = []

    def run_window(
        _app: object, window: MainWindow, _db: Database, *_: object, **__: object
    ) -> None:
        ran.append(window.board.columns[Stage.QUOTED].model.rowCount())  # the preview

    monkeypatch.setattr(app_module, "_run_window", run_window)
    window, start = start_on(qtbot, db.path, now, "board")
    qtbot.waitUntil(lambda: bool(ran), timeout=15000)
    beat.stop()
    window.close()
    assert start.db is not None
    start.db.close()
    assert len(opened_on) == 1 and opened_on[0].startswith("database")
    assert ticked_while_opening, "the window's event loop ran while the database opened"
    assert ran[0] > 0, "the pipeline showed the quotes read ahead"


def test_the_first_page_shows_times_on_the_owner_s_clock(
    qtbot: QtBot, db: Database, now: datetime
) -> None:
    """A user who left the Customers page open sees its first customer's received time in
    the owner's zone (Sydney), never the computer's, although that page reads first."""
    from zoneinfo import ZoneInfo

    from deckfollow.core.models import Customer
    from deckfollow.ui import formatting

    with db.unit_of_work() as session:
        generate_demo(session, customers=20, quotes=40, seed=3, now=now, country="AU")
        assert load_settings(session).owner_timezone == "Australia/Sydney"
    db.close()
    assert db.path is not None
    formatting.set_owner_zone("UTC")  # the computer's zone until the settings are read
    window, start = start_on(qtbot, db.path, now, "customers")
    qtbot.waitUntil(lambda: start.db is not None and window._has_details(), timeout=20000)
    panel = window.detail
    qtbot.waitUntil(lambda: bool(panel.received_label.text()), timeout=20000)
    shown = panel.received_label.text()
    customer_id = window.customers.selected_customer_id()
    assert start.db is not None
    with start.db.reading() as session:
        customer = session.get(Customer, customer_id)
        assert customer is not None
        received = [q.received_at for q in customer.quotes]
    window.close()
    start.db.close()
    sydney = [r.astimezone(ZoneInfo("Australia/Sydney")) for r in received]
    assert any(f" {t.day} " in shown and t.strftime("%-I:%M") in shown for t in sydney), shown


def test_the_database_begins_opening_once_the_board_has_painted(
    qtbot: QtBot, db: Database, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Loading SQLAlchemy beside the board's first paint took turns with it on the
    interpreter's lock, and the cards took twice as long to appear: the opening waits for
    the board's paint (a paint comes after calls queued beside it, so it must be the paint
    itself that lets the opening go)."""
    from PySide6.QtCore import QEvent, QObject

    from deckfollow.ui import app as app_module

    with db.unit_of_work() as session:
        generate_demo(session, customers=20, quotes=40, seed=3, now=now, country="AU")
    db.close()
    assert db.path is not None
    order: list[str] = []

    class CardsPainted(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if (
                event.type() == QEvent.Type.Paint
                and "cards painted" not in order
                and isinstance(watched, QWidget)
                and watched.parent() in views
            ):
                order.append("cards painted")
            return False

    views: list[QObject] = []
    watcher = CardsPainted()
    qapp = QApplication.instance()
    assert qapp is not None
    qapp.installEventFilter(watcher)
    real_open = app_module.open_on_database_thread

    def open_on_database_thread(*args: object, **kwargs: object) -> object:
        order.append("database opening")  # SQLAlchemy and the models load first of all
        return real_open(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(app_module, "open_on_database_thread", open_on_database_thread)
    from deckfollow.ui.board import BoardPage

    shows = BoardPage.set_index

    def set_index(self: BoardPage, *args: object, **kwargs: object) -> None:
        views.extend(c.view for c in self.columns.values())
        shows(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(BoardPage, "set_index", set_index)
    window, start = start_on(qtbot, db.path, now, "board")
    try:
        qtbot.waitUntil(lambda: start.db is not None, timeout=20000)
    finally:
        qapp.removeEventFilter(watcher)
        window.close()
    assert start.db is not None
    start.db.close()
    assert order[:2] == ["cards painted", "database opening"], order
