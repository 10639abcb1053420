"""Shown at start when the data file is damaged: what happened, and the way back."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QThread, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from deckfollow.core.clock import Clock
from deckfollow.core.errors import DeckfollowError
from deckfollow.core.restore import restore_from
from deckfollow.storage.integrity import IntegrityReport
from deckfollow.ui.backups.common import local_time, note_label, status_label
from deckfollow.ui.theme import active_theme


class CorruptDatabaseDialog(QDialog):
    """Explains that the file is damaged and will not be written to; offers the latest good
    backup. Accepted means the backup was restored and the database can now be opened."""

    def __init__(
        self, report: IntegrityReport, parent: QWidget | None = None, *, clock: Clock | None = None
    ) -> None:
        super().__init__(parent)
        self.report = report
        self._clock = clock or (lambda: datetime.now(UTC))
        self.restored_from: Path | None = None
        self._restoring: _Restoring | None = None
        self.setWindowTitle("Your deckfollow data needs attention")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        head = QLabel(
            "<b>The data file is damaged.</b> deckfollow checked it on start and found "
            "problems, so it will not write anything to it: what is there stays as it is."
        )
        head.setWordWrap(True)
        layout.addWidget(head)
        layout.addWidget(note_label(f"File: {report.path}"))
        self.details = QPlainTextEdit("\n".join(report.problems))
        self.details.setReadOnly(True)
        self.details.setFixedHeight(80)
        layout.addWidget(QLabel("What the check found:"))
        layout.addWidget(self.details)
        good = report.latest_good_backup
        buttons = QDialogButtonBox()
        self.restore_button: QPushButton | None = None
        if good is not None:
            self.offer = QLabel(
                f"The newest good backup is from <b>{local_time(good.taken_at)}</b> "
                f"({good.description}, {good.size_text}). Restoring it brings back everything "
                "up to that moment; the damaged file is kept beside it, in case someone can "
                "recover more from it."
            )
            restore = buttons.addButton(
                "Restore this backup", QDialogButtonBox.ButtonRole.AcceptRole
            )
            restore.setStyleSheet("font-weight: 600;")
            restore.clicked.connect(self.restore)
            restore.setDefault(True)
            self.restore_button = restore
        else:
            self.offer = QLabel(
                "No good backup was found beside the file. Keep the file as it is and ask "
                "someone who can help to look at it; deckfollow will not change it."
            )
        self.offer.setWordWrap(True)
        layout.addWidget(self.offer)
        self.folder_button = buttons.addButton(
            "Open folder", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.folder_button.clicked.connect(self.open_folder)
        self.quit_button = buttons.addButton("Quit", QDialogButtonBox.ButtonRole.RejectRole)
        self.quit_button.clicked.connect(self.reject)
        self.status = status_label()
        layout.addWidget(self.status)
        layout.addWidget(buttons)

    def restore(self) -> None:
        """Restore the latest good backup on a thread of its own: copying and checking a big
        file takes seconds, and the dialog says what it is doing meanwhile."""
        good = self.report.latest_good_backup
        if good is None or self._restoring is not None:
            return
        self._restoring = _Restoring(self.report.path, good.path, self._clock(), self)
        self._restoring.done.connect(lambda error: self._restored(good.path, error))
        for button in (self.restore_button, self.folder_button, self.quit_button):
            if button is not None:
                button.setEnabled(False)
        self.status.setStyleSheet("")
        self.status.setText("Restoring the backup… the damaged file is kept beside it.")
        self._restoring.start()

    def _restored(self, backup: Path, error: object) -> None:
        if self._restoring is not None:
            self._restoring.wait()
            self._restoring.deleteLater()
            self._restoring = None
        for button in (self.restore_button, self.folder_button, self.quit_button):
            if button is not None:
                button.setEnabled(True)
        if isinstance(error, DeckfollowError):
            self.status.setText(f"The backup could not be restored: {error}")
            self.status.setStyleSheet(f"color: {active_theme().error_text}; font-weight: 600;")
            return
        if isinstance(error, BaseException):
            raise error
        self.restored_from = backup
        self.accept()

    def reject(self) -> None:
        if self._restoring is None:  # not while the file is being replaced
            super().reject()

    def open_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.report.path.parent)))


class _Restoring(QThread):
    """`restore_from` off the GUI thread; `done` carries the error raised, or None."""

    done = Signal(object)

    def __init__(self, path: Path, backup: Path, now: datetime, parent: QWidget) -> None:
        super().__init__(parent)
        self._path, self._backup, self._now = path, backup, now

    def run(self) -> None:
        try:
            restore_from(self._path, self._backup, now=self._now)
        except BaseException as exc:  # told to the dialog, on its thread
            self.done.emit(exc)
            return
        self.done.emit(None)
