"""A customer's consent ledger: read it, and export it as CSV or PDF evidence."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from deckfollow.core.clock import Clock
from deckfollow.core.consent_ledger import LedgerEntry
from deckfollow.core.errors import DeckfollowError
from deckfollow.core.unit_of_work import Store
from deckfollow.exchange.ledger_export import (
    LedgerDocument,
    load_ledger,
    write_ledger_csv,
    write_ledger_pdf,
)
from deckfollow.ui import operations
from deckfollow.ui.consent.common import ErrorLabel, local_text
from deckfollow.ui.formatting import counted

_Index = QModelIndex | QPersistentModelIndex


class LedgerModel(QAbstractTableModel):
    """Read-only rows of the ledger (a ledger is never edited)."""

    HEADERS = ("When", "Event", "Channel", "Source", "Their words", "Detail")

    def __init__(self, entries: tuple[LedgerEntry, ...], timezone: str) -> None:
        super().__init__()
        self._entries = entries
        self._tz = timezone

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._entries):
            return None
        e = self._entries[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (
                local_text(e.at, self._tz),
                e.kind_label,
                e.channel_label,
                e.source,
                e.words or "",
                e.detail or "",
            )[index.column()]
        return None


class LedgerViewerDialog(QDialog):
    """The ledger, oldest first, with Export CSV… and Export PDF…

    It is read on the window's database thread; the export buttons open once it has
    arrived (`loaded`)."""

    loaded = Signal()

    def __init__(
        self, db: Store, customer_id: int, *, clock: Clock, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        ops = operations.serving(db)
        if ops is None:
            raise RuntimeError("the consent ledger needs the operations of an open database")
        self.document: LedgerDocument | None = None  # what was read, once it arrived
        self.setWindowTitle("Consent ledger")
        self.resize(900, 420)
        self.model = LedgerModel((), "UTC")
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.summary = summary = QLabel()
        summary.setWordWrap(True)
        self.error = ErrorLabel()
        self.status = QLabel()
        csv_button = QPushButton("Export CSV…")
        pdf_button = QPushButton("Export PDF…")
        close = QPushButton("Close")
        self._exports = (csv_button, pdf_button)
        for button in self._exports:
            button.setEnabled(False)
        csv_button.clicked.connect(lambda: self._ask_and_export("csv"))
        pdf_button.clicked.connect(lambda: self._ask_and_export("pdf"))
        close.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        row.addWidget(csv_button)
        row.addWidget(pdf_button)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        layout.addLayout(row)
        now = clock()
        ops.run_query(
            self,
            lambda s: load_ledger(s, customer_id, now=now),
            success=self._fill,
            failure=self.error.show_error,
        )

    def _fill(self, document: LedgerDocument) -> None:
        """Show the ledger read, and open it for export."""
        self.document = document
        ov = document.overview
        self.setWindowTitle(f"Consent ledger: {ov.name}")
        self.model = LedgerModel(document.entries, ov.timezone)
        self.table.setModel(self.model)
        state = "DO NOT CONTACT. " if ov.do_not_contact else ""
        self.summary.setText(
            f"{state}{counted(len(document.entries), 'entry', 'entries')}, "
            "times on your clock. "
            "Entries are never changed; corrections are new entries."
        )
        for button in self._exports:
            button.setEnabled(True)
        self.loaded.emit()

    def _ask_and_export(self, kind: str) -> None:
        if self.document is None:
            return
        name = self.document.overview.name.replace(" ", "-").lower()
        filt = "CSV files (*.csv)" if kind == "csv" else "PDF files (*.pdf)"
        path, _ = QFileDialog.getSaveFileName(
            self, "Export consent ledger", f"consent-ledger-{name}.{kind}", filt
        )
        if path:
            self.export_to(Path(path), kind)

    def export_to(self, path: Path, kind: str) -> Path | None:
        """Write the evidence file; the outcome shows in the dialog."""
        self.error.clear_error()
        if self.document is None:
            return None
        try:
            writer = write_ledger_csv if kind == "csv" else write_ledger_pdf
            written = writer(self.document, path)
        except (OSError, DeckfollowError) as exc:
            self.error.show_error(f"could not write {path}: {exc}")
            return None
        self.status.setText(f"Saved {written.name}")
        return written
