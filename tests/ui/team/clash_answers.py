"""Answering the clash dialog from a test, as a user would."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel

from deckfollow.ui.team.clash import ClashDialog


def answer_clash(*, apply_mine: bool, shown: list[str] | None = None) -> None:
    """When the clash dialog opens: note what it says, then Apply my change or Keep theirs."""

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ClashDialog):
            QTimer.singleShot(10, poll)
            return
        if shown is not None:
            shown.append(" | ".join(label.text() for label in dialog.findChildren(QLabel)))
        (dialog.apply_mine if apply_mine else dialog.keep_theirs).click()

    QTimer.singleShot(0, poll)
