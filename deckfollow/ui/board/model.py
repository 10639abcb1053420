"""One board column as a list model whose cards can be dragged to another column."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from deckfollow.core.enums import Stage
from deckfollow.core.quote_index import QuoteRow
from deckfollow.ui.qt_values import QUOTE_ID_ROLE
from deckfollow.ui.swap_rows import row_of, swap_rows

Index = QModelIndex | QPersistentModelIndex

MIME_TYPE = "application/x-deckfollow-quote"
ROW_ROLE = Qt.ItemDataRole.UserRole + 10


class StageCardModel(QAbstractListModel):
    """The cards of one stage. A drop asks for a stage change; the board reloads after it."""

    dropped = Signal(int, object)  # quote id, target Stage

    def __init__(self, stage: Stage, parent: Any = None) -> None:
        super().__init__(parent)
        self.stage = stage
        self._rows: list[QuoteRow] = []

    def set_rows(self, rows: list[QuoteRow]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def swap_rows(self, rows: list[QuoteRow], changed: frozenset[int]) -> None:
        """Show `rows`, which differ from the cards shown only in the `changed` quotes':
        only those cards leave, arrive or are repainted (the others keep their place)."""
        swap_rows(self, self._rows, rows, changed, self._hold)

    def _hold(self, rows: list[QuoteRow]) -> None:
        self._rows = rows

    def row_at(self, row: int) -> QuoteRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, quote_id: int) -> int:
        return row_of(self._rows, quote_id)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == ROW_ROLE:
            return row
        if role == QUOTE_ID_ROLE:
            return row.quote_id
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{row.customer} — {row.job}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{row.customer}, {row.job}, {row.stage.label}"
        return None

    # -- drag and drop ------------------------------------------------------------------------

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.isValid():
            return base | Qt.ItemFlag.ItemIsDragEnabled
        return Qt.ItemFlag.ItemIsDropEnabled

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:  # type: ignore[override]
        mime = QMimeData()
        ids = [str(self._rows[i.row()].quote_id) for i in indexes if i.isValid()]
        mime.setData(MIME_TYPE, QByteArray(",".join(ids).encode()))
        return mime

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        if not data.hasFormat(MIME_TYPE):
            return False
        return any(self.row_of(q) < 0 for q in _ids(data))

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        for quote_id in _ids(data):
            if self.row_of(quote_id) < 0:
                self.dropped.emit(quote_id, self.stage)
        # False: the source column keeps its row until the board reloads from the database,
        # so a cancelled question (lost why? parked until?) leaves the card where it was.
        return False


def _ids(data: QMimeData) -> list[int]:
    raw = bytes(data.data(MIME_TYPE).data()).decode()
    return [int(part) for part in raw.split(",") if part.strip().isdigit()]
