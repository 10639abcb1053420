"""The Backups page of the settings dialog: list, back up now, restore, open the folder.

Every file operation (listing, copying, restoring) runs on the window's database thread, so
a large database never freezes the window and a restore waits for the saves before it.
"""

from __future__ import annotations

from dataclasses import dataclass
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

from deckfollow.core.backup_shelf import (
    KEEP_DAILY,
    KEEP_WEEKLY,
    BackupInfo,
    BackupShelf,
    RestoreResult,
    back_up_now,
    delete_backups_of,
    read_shelf,
    restore_into,
)
from deckfollow.core.changes import EVERYTHING
from deckfollow.core.clock import Clock
from deckfollow.core.unit_of_work import Store
from deckfollow.ui import operations
from deckfollow.ui.backups.common import confirm, local_time, note_label, status_label

COLUMNS = ("Taken", "Kind", "Size", "File")
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


@dataclass(frozen=True)
class _Done:
    """What an action on the backups did, with the shelf as it is now."""

    shelf: BackupShelf
    path: Path | None = None
    restored: RestoreResult | None = None


class BackupsPage(QWidget):
    """Backups beside the database. `restored` is emitted after a restore: reload everything;
    `loaded` each time the list has been read and shown."""

    restored = Signal()
    loaded = Signal()

    def __init__(self, db: Store, *, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        ops = operations.serving(db)
        if ops is None:
            raise RuntimeError("the backups page needs the operations of an open database")
        self._db, self._ops, self._clock = db, ops, clock
        self._shelf: BackupShelf | None = None  # what was read, once it arrived
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
        # Open for a choice once the list has been read (quicker than a person can click).
        self._buttons = (
            self.backup_button,
            self.restore_button,
            self.file_button,
            self.delete_button,
            self.folder_button,
        )
        for button in self._buttons:
            button.setEnabled(False)
        self.refresh()

    @property
    def backups(self) -> list[BackupInfo]:
        return list(self._backups)

    def refresh(self) -> None:
        """Read the backups again (on the database thread) and show them."""
        self._ops.run_task(self, lambda: read_shelf(self._db), success=self._fill)

    def _fill(self, shelf: BackupShelf, chosen: str | None = None) -> None:
        self._shelf = shelf
        if shelf.folder is None:
            self.intro.setText(shelf.server_hint)
        else:
            self.intro.setText(
                f"Backups are kept beside your data in <b>{shelf.folder}</b>: one a "
                f"day (the last {KEEP_DAILY} days), one a week (the last {KEEP_WEEKLY} weeks), "
                "and one before every upgrade, import and restore."
            )
        on_file = shelf.folder is not None
        self.table.setEnabled(on_file)
        for button in (self.backup_button, self.file_button, self.folder_button):
            button.setEnabled(on_file)
        self._backups = list(shelf.backups)
        self.table.setRowCount(len(self._backups))
        for row, b in enumerate(self._backups):
            cells = (local_time(b.taken_at), b.description, b.size_text, b.path.name)
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(str(b.path.absolute()))
                if col == 2:
                    item.setTextAlignment(RIGHT)
                self.table.setItem(row, col, item)
        if self._backups:
            self.table.selectRow(0)
        if chosen is not None:
            self.select(chosen)
        self._selection_changed()
        self.loaded.emit()

    def _on_file(self) -> bool:
        return self._shelf is not None and self._shelf.folder is not None

    def _selection_changed(self) -> None:
        chosen = self._on_file() and self.selected() is not None
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
        """Take a checked copy now; the list then shows it selected."""
        if not self._on_file():
            return
        db, now = self._db, self._clock()
        self.status.setText("Backing up…")

        def done(result: _Done) -> None:
            assert result.path is not None
            self._fill(result.shelf, result.path.name)
            self.status.setText(f"Backed up and checked: {result.path.name}")

        def back_up() -> _Done:
            path = back_up_now(db, now=now)
            return _Done(read_shelf(db), path)

        self._ops.run_task(
            self,
            back_up,
            success=done,
            failure=lambda exc: self.status.setText(f"Backup failed: {exc}"),
        )

    def _delete_clicked(self) -> None:
        self.delete_selected()

    def delete_selected(self, *, ask: bool = True) -> bool:
        """Delete the selected backup (after asking); True if it was asked to go."""
        chosen = self.selected()
        if chosen is None or not self._on_file():
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
        db = self._db

        def delete() -> _Done:
            delete_backups_of(db, [chosen.path])
            return _Done(read_shelf(db))

        def done(result: _Done) -> None:
            self._fill(result.shelf)
            self.status.setText(f"Deleted {what}.")

        self._ops.run_task(
            self,
            delete,
            success=done,
            failure=lambda exc: self.status.setText(f"Not deleted: {exc}"),
        )
        return True

    def _restore_clicked(self) -> None:
        self.restore_selected()

    def restore_selected(self, *, ask: bool = True) -> bool:
        """Replace the data with the selected backup (after asking); True if it was asked."""
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
        if not self._on_file():
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
        db, now = self._db, self._clock()
        self.status.setText("Restoring…")

        def restore() -> _Done:
            # Behind every save asked for before it, on the thread that owns the database.
            result = restore_into(db, path, now=now)
            return _Done(read_shelf(db), restored=result)

        def done(result: _Done) -> None:
            self._fill(result.shelf)
            restored = result.restored
            assert restored is not None
            kept = restored.previous_kept_at.name if restored.previous_kept_at else "nowhere"
            extra = ""
            if restored.do_not_contact_reapplied:
                extra = (
                    f" {restored.do_not_contact_reapplied} newer do-not-contact requests were kept."
                )
            self.status.setText(f"Restored {what}. Your data as it was is kept as {kept}.{extra}")
            self.restored.emit()

        self._ops.run_task(
            self,
            restore,
            success=done,
            failure=lambda exc: self.status.setText(f"Restore failed, nothing changed: {exc}"),
            changes=EVERYTHING,
            initiator=self,
        )
        return True

    def folder_url(self) -> QUrl:
        assert self._shelf is not None and self._shelf.folder is not None
        return QUrl.fromLocalFile(str(self._shelf.folder))

    def open_folder(self) -> None:
        if self._shelf is None or self._shelf.folder is None:
            return
        self._shelf.folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(self.folder_url())
