"""Every menu entry opens what it promises, on a real database, without an error."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from deckfollow.core.cadence_library import seed_builtin_cadences
from deckfollow.demo.generator import generate_demo
from deckfollow.storage.database import Database
from deckfollow.ui.features import install_features
from deckfollow.ui.main_window import MainWindow

SKIP = {"&Quit", "&About deckfollow"}


class _ModalCloser(QObject):
    """Notes the title of every modal window as it is shown, then closes it.

    Watching Show events rather than polling keeps a busy machine from missing a dialog.
    """

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Show
            and isinstance(watched, QWidget)
            and watched.isWindow()
            and watched.isModal()
        ):
            self.seen.append(watched.windowTitle())
            close = watched.reject if isinstance(watched, QDialog) else watched.close
            QTimer.singleShot(0, close)
        return False


@pytest.fixture
def window(qtbot: QtBot, db: Database, now: datetime) -> MainWindow:
    with db.unit_of_work() as session:
        seed_builtin_cadences(session)
        generate_demo(session, customers=20, quotes=40, seed=5, now=now, country="AU")
    win = MainWindow(db, clock=lambda: now)
    qtbot.addWidget(win)
    install_features(win, db, lambda: now)
    win.show()
    win.refresh()
    QApplication.processEvents()
    return win


def test_every_menu_entry_opens_without_an_error(window: MainWindow) -> None:
    closer = _ModalCloser()
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(closer)
    seen = closer.seen
    triggered = []
    for name in ("File", "Edit", "View", "Tools", "Settings"):
        for action in window.menu(name).actions():
            if action.isSeparator() or action.text() in SKIP or action.menu() is not None:
                continue
            action.trigger()
            QApplication.processEvents()
            triggered.append(action.text())
    assert len(triggered) >= 15
    # Each dialog-opening entry opened its window (the file dialogs of the exports too).
    for title in (
        "New lead", "Import contacts", "Trash", "Cards to send", "Write a card",
        "Scripts and templates", "Follow-up plans", "Your business", "Email settings",
        "Replies from your inbox", "Reminders", "Backups", "Export everything",
    ):  # fmt: skip
        assert any(title.lower() in t.lower() for t in seen), (title, seen)
    app.removeEventFilter(closer)
    assert isinstance(window, QWidget) and window.isVisible()
