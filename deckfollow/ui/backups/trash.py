"""The trash: restore what was deleted, empty it, or erase a customer for good."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from deckfollow.core.backup_shelf import BackupInfo
from deckfollow.core.changes import EVERYTHING, Changes
from deckfollow.core.clock import Clock
from deckfollow.core.erasure import ErasureReport
from deckfollow.core.errors import DeckfollowError
from deckfollow.core.trash import (
    CUSTOMER,
    DEFAULT_KEEP_DAYS,
    EmptiedTrash,
    TrashItem,
    list_trash,
    restore_item,
)
from deckfollow.core.trash_actions import (
    delete_backups_holding,
    empty_for_good,
    erase_customer_for_good,
)
from deckfollow.core.unit_of_work import Session, Store
from deckfollow.core.wording import plural
from deckfollow.ui import operations
from deckfollow.ui.backups.common import confirm, local_time, note_label, status_label
from deckfollow.ui.formatting import counted

COLUMNS = ("What", "Name", "Deleted")


@dataclass(frozen=True)
class _Restored:
    changes: Changes
    items: list[TrashItem]  # the trash as it is now


class TrashDialog(QDialog):
    """Deleted customers and quotes. `changed` carries the core's Changes after each action;
    `loaded` each time the trash has been read and shown."""

    changed = Signal(object)
    loaded = Signal()

    def __init__(self, db: Store, *, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        ops = operations.serving(db)
        if ops is None:
            raise RuntimeError("the trash needs the operations of an open database")
        self._db, self._ops, self._clock = db, ops, clock
        self._items: list[TrashItem] = []
        self._holding: list[BackupInfo] = []  # backups still holding the person just erased
        self.setWindowTitle("Trash")
        self.setMinimumSize(620, 380)
        layout = QVBoxLayout(self)
        layout.addWidget(
            note_label(
                "Deleted customers and quotes wait here and can be restored. A customer's "
                "quotes come back with them."
            )
        )
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setAccessibleName("Trash")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        layout.addWidget(self.table)
        self.empty_note = QLabel("The trash is empty.")
        layout.addWidget(self.empty_note)
        # Neither the list nor "empty" until the trash has been read.
        self.table.hide()
        self.empty_note.hide()
        row = QHBoxLayout()
        self.restore_button = QPushButton("Restore")
        self.restore_button.clicked.connect(self.restore_selected)
        self.erase_button = QPushButton("Erase for good…")
        self.erase_button.setToolTip(
            "For a privacy request: removes the customer and their whole history"
        )
        self.erase_button.clicked.connect(self._erase_clicked)
        row.addWidget(self.restore_button)
        row.addWidget(self.erase_button)
        row.addStretch(1)
        row.addWidget(QLabel("Empty what is older than"))
        self.days = QSpinBox()
        self.days.setAccessibleName("Empty what is older than, in days")
        self.days.setRange(0, 3650)
        self.days.setValue(DEFAULT_KEEP_DAYS)
        self.days.setSuffix(" days")
        row.addWidget(self.days)
        self.empty_button = QPushButton("Empty trash…")
        self.empty_button.clicked.connect(self._empty_clicked)
        row.addWidget(self.empty_button)
        layout.addLayout(row)
        self.status = status_label()
        layout.addWidget(self.status)
        self.report = QPlainTextEdit()
        self.report.setReadOnly(True)
        self.report.setFixedHeight(150)
        self.report.hide()
        layout.addWidget(self.report)
        self.delete_backups_button = QPushButton()
        self.delete_backups_button.setToolTip(
            "So no copy of the erased customer is left on this computer"
        )
        self.delete_backups_button.clicked.connect(self._delete_backups_clicked)
        self.delete_backups_button.hide()
        held = QHBoxLayout()
        held.addWidget(self.delete_backups_button)
        held.addStretch(1)
        layout.addLayout(held)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        end = QHBoxLayout()
        end.addStretch(1)
        end.addWidget(close)
        layout.addLayout(end)
        for button in (self.restore_button, self.erase_button, self.empty_button):
            button.setEnabled(False)  # until the trash has been read
        self.refresh()

    @property
    def items(self) -> list[TrashItem]:
        return list(self._items)

    def refresh(self) -> None:
        """Read the trash again (on the database thread) and show it."""
        self._ops.run_query(self, list_trash, success=self._fill)

    def _fill(self, items: list[TrashItem]) -> None:
        self._items = items
        self.table.setRowCount(len(self._items))
        for r, item in enumerate(self._items):
            what = "Customer" if item.kind == CUSTOMER else "Quote"
            name = item.label + (f" (and {plural(item.quotes, 'quote')})" if item.quotes else "")
            for c, text in enumerate((what, name, local_time(item.deleted_at))):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.setVisible(bool(self._items))
        self.empty_note.setVisible(not self._items)
        self.empty_button.setEnabled(bool(self._items))
        if self._items:
            self.table.selectRow(0)
        self._selection_changed()
        self.loaded.emit()

    def selected(self) -> TrashItem | None:
        rows = self.table.selectionModel().selectedRows()
        return self._items[rows[0].row()] if rows and self._items else None

    def select(self, kind: str, item_id: int) -> None:
        for r, item in enumerate(self._items):
            if (item.kind, item.id) == (kind, item_id):
                self.table.selectRow(r)

    def _selection_changed(self) -> None:
        item = self.selected()
        self.restore_button.setEnabled(item is not None)
        self.erase_button.setEnabled(item is not None and item.kind == CUSTOMER)

    def restore_selected(self) -> None:
        item = self.selected()
        if item is None:
            return
        now = self._clock()

        def restore(session: Session) -> _Restored:
            changes = restore_item(session, item.kind, item.id, now=now)
            session.flush()
            return _Restored(changes, list_trash(session))

        def restored(done: _Restored) -> None:
            self._fill(done.items)
            self.status.setText(f"Restored {item.label}.")
            self.changed.emit(done.changes)

        self._ops.run_change(self, restore, initiator=self, success=restored, failure=self._failed)

    def _failed(self, exc: DeckfollowError) -> None:
        self.status.setText(str(exc))

    def _erase_clicked(self) -> None:
        self.erase_selected()

    def _empty_clicked(self) -> None:
        self.empty()

    def erase_selected(self, *, ask: bool = True) -> bool:
        """Erase the selected customer for good (after asking); True if it was asked to."""
        item = self.selected()
        if item is None or item.kind != CUSTOMER:
            return False
        if ask and not confirm(
            self,
            "Erase for good",
            f"Erase {item.label} and all their quotes, touches, follow-ups and consent "
            "records for good? This cannot be undone. If they asked not to be contacted, "
            "only a fingerprint of their email and phone is kept so they are not added again.",
            "Erase for good",
        ):
            return False
        db, now = self._db, self._clock()

        def erased(report: ErasureReport) -> None:
            self.refresh()
            text = report.summary(full_paths=False)
            self.status.setText(f"{item.label} was erased for good.")
            self.report.setPlainText(text)
            self.report.show()
            self._holding = list(report.still_in_backups)
            n = len(self._holding)
            which = "that backup" if n == 1 else f"those {n} backups"
            self.delete_backups_button.setText(f"Delete {which}…")
            self.delete_backups_button.setVisible(bool(n))
            self.changed.emit(EVERYTHING)

        self._ops.run_task(
            self,
            lambda: erase_customer_for_good(db, item.id, now=now),
            success=erased,
            failure=self._failed,
            changes=EVERYTHING,
            initiator=self,
        )
        return True

    def _delete_backups_clicked(self) -> None:
        self.delete_backups_holding()

    def delete_backups_holding(self, *, ask: bool = True) -> int:
        """Delete the backups that still hold the customer just erased; how many were asked
        to go."""
        holding = self._holding
        if not holding or self._db.path is None:
            return 0
        n = len(holding)
        if ask and not confirm(
            self,
            "Delete backups",
            f"Delete the {plural(n, 'backup')} that still "
            f"{'holds' if n == 1 else 'hold'} the erased customer? Everything else they "
            "hold goes too: they can no longer be restored.",
            f"Delete {plural(n, 'backup')}",
        ):
            return 0
        db, paths = self._db, [b.path for b in holding]

        def deleted(_paths: list[Path]) -> None:
            self._holding = []
            self.delete_backups_button.hide()
            self.status.setText(
                f"Deleted {plural(n, 'backup')}: no backup in the backups folder holds them now."
            )

        self._ops.run_task(
            self,
            lambda: delete_backups_holding(db, paths),
            success=deleted,
            failure=self._failed,
        )
        return n

    def empty(self, *, ask: bool = True) -> None:
        days = self.days.value()
        when = (
            "everything in the trash"
            if days == 0
            else f"what was deleted over {counted(days, 'day')} ago"
        )
        if ask and not confirm(self, "Empty the trash", f"Remove {when} for good?", "Empty trash"):
            return
        db, now = self._db, self._clock()

        def emptied(done: EmptiedTrash) -> None:
            self.refresh()
            self.status.setText(
                f"Removed {plural(done.customers, 'customer')} and "
                f"{plural(done.quotes, 'quote')} for good."
            )
            self.changed.emit(EVERYTHING)

        self._ops.run_task(
            self,
            lambda: empty_for_good(db, now=now, older_than_days=days),
            success=emptied,
            failure=self._failed,
            changes=EVERYTHING,
            initiator=self,
        )
