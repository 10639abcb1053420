"""The reminders' icon in the system tray: its menu, its messages, a click to open."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon

from deckfollow.ui.app_icon import app_icon


class ReminderTray(QObject):
    """The tray icon with its menu (`entries` above Quit); `open_requested` on a click on
    the icon, `message_clicked` on a click on the last message it showed."""

    open_requested = Signal()
    message_clicked = Signal()

    def __init__(
        self,
        entries: Sequence[tuple[str, Callable[[], object]]],
        quit_app: Callable[[], object],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.icon = QSystemTrayIcon(app_icon(), self)
        self.icon.setToolTip("deckfollow — follow-up reminders")
        self._menu = QMenu()
        for text, slot in entries:
            action = QAction(text, self._menu)
            action.triggered.connect(lambda _checked=False, s=slot: s())
            self._menu.addAction(action)
        self._menu.addSeparator()
        quit_action = QAction("Quit deckfollow", self._menu)
        quit_action.triggered.connect(lambda _checked=False: quit_app())
        self._menu.addAction(quit_action)
        self.icon.setContextMenu(self._menu)
        self.icon.activated.connect(self._on_activated)
        self.icon.messageClicked.connect(self.message_clicked)
        self.icon.show()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            # The window may close while the tray stays: only Quit ends the app.
            app.setQuitOnLastWindowClosed(False)

    def add_action(self, text: str, slot: Callable[[], object]) -> None:
        """Add an entry above Quit."""
        action = QAction(text, self._menu)
        action.triggered.connect(lambda _checked=False: slot())
        separator = self._menu.actions()[-2]
        self._menu.insertAction(separator, action)

    def show_message(self, title: str, text: str, timeout_ms: int = 0) -> None:
        self.icon.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, timeout_ms)

    def hide(self) -> None:
        self.icon.hide()

    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self.open_requested.emit()
