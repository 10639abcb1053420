"""Answering the clash dialog from a test, as a user would."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel

from deckfollow.ui.team.clash import ClashDialog


def answer_clash(*, apply_mine: bool, shown: list[str] | None = None) -> list[bool]:
    """When the clash dialog opens: note what it says, then Apply my change or Keep theirs.
    The list returned is filled once it was answered: a test can wait for that."""

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ClashDialog):
            QTimer.singleShot(10, poll)
            return
        if shown is not None:
            shown.append(" | ".join(label.text() for label in dialog.findChildren(QLabel)))
        (dialog.apply_mine if apply_mine else dialog.keep_theirs).click()
        answered.append(True)

    answered: list[bool] = []
    QTimer.singleShot(0, poll)
    return answered
