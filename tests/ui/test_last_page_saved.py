"""The page the user had open is remembered for the next start, written once when the
window closes or hides (to the tray), not at every page opened: each write syncs the
settings file to disk on the window's thread."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from deckfollow.storage.database import Database
from deckfollow.ui.main_window import MainWindow
from tests.ui.waiting import settle


def _window(qtbot: QtBot, db: Database, now: datetime) -> MainWindow:
    window = MainWindow(db, clock=lambda: now)
    qtbot.addWidget(window)
    window.show()
    window.refresh()
    settle(qtbot, window)
    return window


def test_the_page_open_is_remembered_when_the_window_closes(
    qtbot: QtBot, db: Database, now: datetime
) -> None:
    QSettings().setValue("main/last_page", "today")
    window = _window(qtbot, db, now)
    window.show_page("customers")
    window.show_page("quotes")
    assert QSettings().value("main/last_page") == "today", "written at every page opened"
    window.close()
    assert QSettings().value("main/last_page") == "quotes"
    again = _window(qtbot, db, now)
    again.restore_last_page()
    assert again.stack.currentWidget() is again.quotes


def test_the_page_open_is_remembered_when_the_window_hides_to_the_tray(
    qtbot: QtBot, db: Database, now: datetime
) -> None:
    QSettings().setValue("main/last_page", "today")
    window = _window(qtbot, db, now)
    window.show_page("customers")
    window.hide()
    assert QSettings().value("main/last_page") == "customers"
