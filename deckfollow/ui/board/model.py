"""One board column as a list model whose cards can be dragged to another column."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QStringListModel,
    Qt,
    Signal,
)

from deckfollow.core.enums import Stage
from deckfollow.core.quote_index import QuoteRow, Swapped, card_locator, row_swaps
from deckfollow.ui.qt_values import QUOTE_ID_ROLE
from deckfollow.ui.swap_rows import MANY, row_of

Index = QModelIndex | QPersistentModelIndex

MIME_TYPE = "application/x-deckfollow-quote"
ROW_ROLE = Qt.ItemDataRole.UserRole + 10


class StageCardModel(QStringListModel):
    """The cards of one stage. A drop asks for a stage change; the board moves the card once
    the change is saved.

    Counted in C++: a list view lays out every row again after a card joins or leaves, asking
    the model for its row count at each (40,000 questions for 20,000 cards). Asked of Python,
    that took 26 ms; a string list of as many empty strings kept beside the cards answers in
    C++ (1.5 ms). The cards themselves are `_rows`; nothing outside changes the list
    (`insertRows`, `removeRows`, `moveRows` and `setData` refuse)."""

    dropped = Signal(int, object)  # quote id, target Stage

    def __init__(self, stage: Stage, parent: Any = None) -> None:
        super().__init__(parent)
        self.stage = stage
        self._rows: list[QuoteRow] = []
        # The cards once the step under way ends: the string list changes in C++, so the
        # cards follow from the first slot of its "done" signals (connected before any view's,
        # so each view reads the old cards while it is told what will change, the new after).
        self._next: list[QuoteRow] = []
        for done in (self.rowsInserted, self.rowsRemoved, self.rowsMoved):
            done.connect(self._caught_up)
        self.modelReset.connect(self._caught_up)

    def _caught_up(self, *_where: object) -> None:
        self._rows = self._next

    def set_rows(self, rows: list[QuoteRow]) -> None:
        self._next = rows
        self.setStringList([""] * len(rows))  # one reset

    def swap_rows(self, rows: list[QuoteRow], swapped: Swapped) -> None:
        """Show `rows`, which differ from the cards shown only in the `swapped` quotes':
        only those cards leave, arrive, move or are repainted (the others keep their place)."""
        swaps = row_swaps(self._rows, rows, swapped, card_locator(self.stage))
        if swaps is None or len(swaps.removed) + len(swaps.inserted) > MANY:
            self.set_rows(rows)
            return
        top = QModelIndex()
        if swaps.moved is not None:
            was, now = swaps.moved
            self._next = rows
            at = now + 1 if now > was else now  # among the old rows, as Qt counts
            QStringListModel.moveRows(self, top, was, 1, top, at)
            self.dataChanged.emit(self.index(now), self.index(now))
            return
        if len(swaps.removed) + len(swaps.inserted) == 1:  # one card out, or one in
            self._next = rows
            if swaps.removed:
                QStringListModel.removeRows(self, swaps.removed[0], 1)
            else:
                QStringListModel.insertRows(self, swaps.inserted[0], 1)
            return
        cards = list(self._rows)
        for i in swaps.removed:
            del cards[i]
            self._next = list(cards)
            QStringListModel.removeRows(self, i, 1)
        for i in swaps.inserted:
            cards.insert(i, rows[i])
            self._next = list(cards)
            QStringListModel.insertRows(self, i, 1)
        self._rows = self._next = rows  # the same cards, as the index keeps them
        for i in swaps.updated:
            self.dataChanged.emit(self.index(i), self.index(i))

    def insertRows(self, row: int, count: int, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return False  # the cards come from the quote index only

    def removeRows(self, row: int, count: int, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return False  # a card dropped elsewhere stays until its move is saved

    def moveRows(
        self,
        source: Index,
        row: int,
        count: int,
        destination: Index,
        child: int,
    ) -> bool:
        return False

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        return False

    def row_at(self, row: int) -> QuoteRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, quote_id: int) -> int:
        return row_of(self._rows, quote_id)

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
