"""Help: the user guide read in the app, the data folder and the log opened in the system."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer, QUrl
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from deckfollow.app_log import log_file, start_logging, stop_logging
from deckfollow.storage.database import Database
from deckfollow.ui import help_menu
from deckfollow.ui.features import install_features
from deckfollow.ui.help_menu import UserGuide
from deckfollow.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot: QtBot, db: Database, now: datetime) -> MainWindow:
    win = MainWindow(db, clock=lambda: now)
    qtbot.addWidget(win)
    install_features(win, db, lambda: now)
    return win


@pytest.fixture
def opened(monkeypatch) -> list[Path]:
    urls: list[Path] = []

    def record(url: QUrl) -> bool:
        urls.append(Path(url.toLocalFile()))
        return True

    monkeypatch.setattr(help_menu, "_open", record)
    return urls


def _action(window: MainWindow, text: str):
    return next(a for a in window.menu("Help").actions() if a.text() == text)


def test_help_lists_the_guide_the_data_folder_and_the_log(window: MainWindow):
    texts = [a.text() for a in window.menu("Help").actions() if not a.isSeparator()]
    assert texts[:3] == ["deckfollow &User Guide", "Show &data folder", "Show &log"]
    assert texts[-1] == "&About deckfollow"


def test_the_user_guide_opens_in_the_app(window: MainWindow, qtbot: QtBot):
    shown: list[str] = []

    def read_and_close() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, UserGuide)
        shown.append(dialog.text.toPlainText())
        dialog.reject()

    QTimer.singleShot(0, read_and_close)
    _action(window, "deckfollow &User Guide").trigger()
    assert shown and "Permission comes first" in shown[0]
    assert "#" not in shown[0].splitlines()[0]  # rendered, not raw Markdown


def test_show_data_folder_opens_the_databases_folder(window, db: Database, opened):
    _action(window, "Show &data folder").trigger()
    assert db.path is not None
    assert opened == [db.path.resolve().parent]


def test_show_log_opens_the_log_file_once_written(window, opened):
    path = start_logging()
    try:
        logging.getLogger("deckfollow.test").warning("quote 3 opened")
    finally:
        stop_logging(path)
    assert path == log_file()
    _action(window, "Show &log").trigger()
    assert opened == [path]
