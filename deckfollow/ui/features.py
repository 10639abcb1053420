"""Where each feature's dialogs and pages join the main window: menus, pages, shortcuts.

Kept out of main_window.py so the window stays a frame and every feature is wired in one
readable place.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtGui import QAction

from deckfollow.storage.database import Database
from deckfollow.ui.main_window import MainWindow

Clock = Callable[[], datetime]


def _action(window: MainWindow, menu: str, text: str, slot: Callable[[], object]) -> QAction:
    action = QAction(text, window)
    action.triggered.connect(slot)
    window.menu(menu).addAction(action)
    return action


def install_features(window: MainWindow, db: Database, clock: Clock) -> None:
    """Add every feature's menu entries and pages to `window`."""

    def follow_up_plans() -> None:
        from deckfollow.ui.consent.cadences import CadenceDialog

        CadenceDialog(db, clock=clock, parent=window).exec()
        window.data_changed.emit()

    _action(window, "Tools", "Follow-up &plans…", follow_up_plans)
