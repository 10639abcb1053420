"""Small pieces the consent dialogs share."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from deckfollow.core.errors import DeckfollowError

Clock = Callable[[], datetime]

SOURCES = ("phone call", "in person", "site visit", "text message", "email", "letter")


class ErrorLabel(QLabel):
    """An inline, specific message in red; empty and hidden when all is well."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setObjectName("errorLabel")
        self.setStyleSheet("color: #b00020; font-weight: 600;")
        self.hide()

    def show_error(self, exc: DeckfollowError | str) -> None:
        self.setText(str(exc))
        self.show()

    def clear_error(self) -> None:
        self.setText("")
        self.hide()


def source_combo(parent: QWidget | None = None) -> QComboBox:
    """Where the customer said it: a list to pick from, or the user's own words."""
    box = QComboBox(parent)
    box.setEditable(True)
    box.addItems(SOURCES)
    return box


def local_text(dt: datetime | None, tz: str) -> str:
    from zoneinfo import ZoneInfo

    return dt.astimezone(ZoneInfo(tz)).strftime("%a %d %b %Y %H:%M") if dt else ""
