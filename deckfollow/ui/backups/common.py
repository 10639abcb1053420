"""Small pieces the data-safety views share."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from deckfollow.ui.formatting import full_date_time_text
from deckfollow.ui.theme import active_theme


def local_time(dt: datetime) -> str:
    """A moment in the computer's own time zone, as people read it."""
    return full_date_time_text(dt)


def note_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {active_theme().muted_text};")
    return label


def status_label(parent: QWidget | None = None) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setObjectName("status")
    label.setTextInteractionFlags(label.textInteractionFlags())
    return label


def confirm(parent: QWidget, title: str, text: str, action: str) -> bool:
    """Ask before something that replaces or removes data; No is the default answer."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    box.setText(text)
    yes = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.exec()
    return box.clickedButton() is yes
