"""Starting the window on a closed business file as the app does (`ui.app._Start`), on the
page the user left open last time."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from deckfollow.ui import app as app_module
from deckfollow.ui.main_window import MainWindow


def start_on(
    qtbot: QtBot, path: Path, now: datetime, last_page: str
) -> tuple[MainWindow, app_module._Start]:
    """The window shown and its start begun (the database opening on its thread)."""
    QSettings().setValue("main/last_page", last_page)
    window = MainWindow(None, clock=lambda: now)
    qtbot.addWidget(window)
    window.show()
    start = app_module._Start(app_module.make_application(), window, str(path), lambda: now, False)
    start.begin()
    return window, start
