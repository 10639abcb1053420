"""The Backups page of the settings dialog: list, back up now, restore, open the folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from deckfollow.core.clock import Clock
from deckfollow.core.errors import DeckfollowError
from deckfollow.core.restore import restore_from
from deckfollow.storage.backup import backup_dir_for
from deckfollow.storage.backup_catalogue import BackupInfo, list_backups, take_backup
from deckfollow.storage.backup_copies import server_backup_hint
from deckfollow.storage.backup_rotation import KEEP_DAILY, KEEP_WEEKLY, delete_backups, prune
from deckfollow.storage.database import Database
from deckfollow.ui.backups.common import confirm, local_time, note_label, status_label

COLUMNS = ("Taken", "Kind", "Size", "File")
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class BackupsPage(QWidget):
    """Backups beside the database. `restored` is emitted after a restore: reload everything."""

    restored = Signal()

    def __init__(self, db: Database, *, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db, self._clock = db, clock
        self._backups: list[BackupInfo] = []
        layout = QVBoxLayout(self)
        self.intro = note_label()
        layout.addWidget(self.intro)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setAccessibleName("Backups")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        # File names are long and alike: one line each, shortened in the middle where the
        # date is least telling; the full path is in the tooltip.
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header = self.table.horizontalHeader()
        for col in range(3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        layout.addWidget(self.table)
        buttons = QHBoxLayout()
        self.backup_button = QPushButton("Back up now")
        self.backup_button.clicked.connect(self.back_up_now)
        self.restore_button = QPushButton("Restore…")
        self.restore_button.clicked.connect(self._restore_clicked)
        self.file_button = QPushButton("Restore from file…")
        self.file_button.clicked.connect(self._restore_file_clicked)
        self.delete_button = QPushButton("Delete…")
        self.delete_button.setToolTip(
            "Delete the selected backup, e.g. one still holding a customer you erased"
        )
        self.delete_button.clicked.connect(self._delete_clicked)
        self.folder_button = QPushButton("Open folder")
        self.folder_button.clicked.connect(self.open_folder)
        buttons.addWidget(self.backup_button)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.file_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(self.folder_button)
        layout.addLayout(buttons)
        self.status = status_label()
        layout.addWidget(self.status)
        if db.path is None:
            self.intro.setText(server_backup_hint(db))
            for w in (
                self.table,
                self.backup_button,
                self.restore_button,
                self.file_button,
                self.delete_button,
                self.folder_button,
            ):
                w.setEnabled(False)
        else:
            self.intro.setText(
                f"Backups are kept beside your data in <b>{backup_dir_for(db.path.absolute())}"
                "</b>: one a "
                f"day (the last {KEEP_DAILY} days), one a week (the last {KEEP_WEEKLY} weeks), "
                "and one before every upgrade, import and restore."
            )
        self.refresh()

    @property
    def backups(self) -> list[BackupInfo]:
        return list(self._backups)

    def refresh(self) -> None:
        self._backups = list_backups(self._db.path) if self._db.path is not None else []
        self.table.setRowCount(len(self._backups))
        for row, b in enumerate(self._backups):
            cells = (local_time(b.taken_at), b.description, b.size_text, b.path.name)
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(str(b.path.absolute()))
                if col == 2:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, col, item)
        if self._backups:
            self.table.selectRow(0)
        self._selection_changed()

    def _selection_changed(self) -> None:
        chosen = self._db.path is not None and self.selected() is not None
        self.restore_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)

    def selected(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self._backups[rows[0].row()] if rows else None

    def select(self, path_name: str) -> None:
        for row, b in enumerate(self._backups):
            if b.path.name == path_name:
                self.table.selectRow(row)

    def back_up_now(self) -> None:
        if self._db.path is None:
            return
        try:
            path = take_backup(self._db.path, "manual", now=self._clock())
            prune(self._db.path)
        except DeckfollowError as exc:
            self.status.setText(f"Backup failed: {exc}")
            return
        self.refresh()
        self.select(path.name)
        self.status.setText(f"Backed up and checked: {path.name}")

    def _delete_clicked(self) -> None:
        self.delete_selected()

    def delete_selected(self, *, ask: bool = True) -> bool:
        """Delete the selected backup (after asking); True if it was deleted."""
        chosen = self.selected()
        if chosen is None or self._db.path is None:
            return False
        what = f"the backup from {local_time(chosen.taken_at)} ({chosen.description})"
        if ask and not confirm(
            self,
            "Delete a backup",
            f"Delete {what}? It cannot be restored afterwards.",
            "Delete",
        ):
            self.status.setText("Nothing changed.")
            return False
        try:
            delete_backups(self._db.path, [chosen.path])
        except DeckfollowError as exc:
            self.status.setText(f"Not deleted: {exc}")
            return False
        self.refresh()
        self.status.setText(f"Deleted {what}.")
        return True

    def _restore_clicked(self) -> None:
        self.restore_selected()

    def restore_selected(self, *, ask: bool = True) -> bool:
        """Replace the data with the selected backup (after asking); True if it was done."""
        chosen = self.selected()
        if chosen is None:
            return False
        when = f"the backup from {local_time(chosen.taken_at)} ({chosen.description})"
        return self._restore(chosen.path, when, ask=ask)

    def _restore_file_clicked(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Restore from a backup file", str(Path.home()), "deckfollow data (*.db)"
        )
        if name:
            self.restore_file(Path(name))

    def restore_file(self, path: Path, *, ask: bool = True) -> bool:
        """Replace the data with a backup file from anywhere (a USB stick, another folder)."""
        return self._restore(path, f"the backup file {path.name}", ask=ask)

    def _restore(self, path: Path, what: str, *, ask: bool) -> bool:
        if self._db.path is None:
            return False
        if ask and not confirm(
            self,
            "Restore a backup",
            f"Replace your data with {what}?\n\nEverything entered since then is set aside: "
            "your current data is backed up first, so this can be undone by restoring that.",
            "Restore",
        ):
            self.status.setText("Nothing changed.")
            return False
        # Close this program's connections so the file can be swapped; the database
        # reconnects to the restored file on its next use.
        self._db.close()
        try:
            result = restore_from(self._db.path, path, now=self._clock())
        except DeckfollowError as exc:
            self.status.setText(f"Restore failed, nothing changed: {exc}")
            return False
        self.refresh()
        kept = result.previous_kept_at.name if result.previous_kept_at else "nowhere"
        extra = ""
        if result.do_not_contact_reapplied:
            extra = f" {result.do_not_contact_reapplied} newer do-not-contact requests were kept."
        self.status.setText(f"Restored {what}. Your data as it was is kept as {kept}.{extra}")
        self.restored.emit()
        return True

    def folder_url(self) -> QUrl:
        assert self._db.path is not None
        folder = backup_dir_for(self._db.path)
        return QUrl.fromLocalFile(str(folder))

    def open_folder(self) -> None:
        if self._db.path is None:
            return
        backup_dir_for(self._db.path).mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(self.folder_url())
