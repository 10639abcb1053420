"""Today's list view, readable row by row as the user reads it (sections, then follow-ups)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QTreeView, QWidget

from deckfollow.ui.today_page.model import DueModel


@dataclass(frozen=True)
class DueRow:
    """One row on the list as shown: a section title or a follow-up."""

    model: DueModel
    index: QModelIndex

    def text(self, column: int) -> str:
        value = self.model.data(self.index.siblingAtColumn(column))
        return value if isinstance(value, str) else ""

    def toolTip(self, column: int) -> str:
        value = self.model.data(self.index.siblingAtColumn(column), Qt.ItemDataRole.ToolTipRole)
        return value if isinstance(value, str) else ""

    def data(self, column: int, role: int) -> object:
        return self.model.data(self.index.siblingAtColumn(column), role)

    def childCount(self) -> int:
        return self.model.rowCount(self.index)

    def child(self, row: int) -> DueRow | None:
        index = self.model.index(row, 0, self.index)
        return DueRow(self.model, index) if index.isValid() else None


class DueTree(QTreeView):
    """The sections and their follow-ups, all expanded, one follow-up selected at a time."""

    def __init__(self, model: DueModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.due_model = model
        self.setModel(model)
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        model.modelReset.connect(self._lay_out_sections)

    def _lay_out_sections(self) -> None:
        root = QModelIndex()
        for g in range(self.due_model.rowCount(root)):
            self.setFirstColumnSpanned(g, root, True)
            self.expand(self.due_model.index(g, 0, root))

    def moveCursor(
        self, cursorAction: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        """The keys step from follow-up to follow-up: a section title is passed over."""
        index = super().moveCursor(cursorAction, modifiers)
        if not index.isValid() or index.internalId() != 0:
            return index
        move = QAbstractItemView.CursorAction
        if cursorAction in (move.MoveUp, move.MovePageUp, move.MovePrevious, move.MoveLeft):
            # Up onto a title: the last follow-up of the section above, if there is one.
            if index.row() == 0:
                return self.currentIndex()
            above = self.due_model.index(index.row() - 1, 0, QModelIndex())
            return self.due_model.index(self.due_model.rowCount(above) - 1, 0, above)
        return self.due_model.index(0, 0, index.siblingAtColumn(0))

    def topLevelItemCount(self) -> int:
        return self.due_model.rowCount(QModelIndex())

    def topLevelItem(self, row: int) -> DueRow | None:
        index = self.due_model.index(row, 0, QModelIndex())
        return DueRow(self.due_model, index) if index.isValid() else None

    def currentItem(self) -> DueRow | None:
        index = self.currentIndex()
        return DueRow(self.due_model, index.siblingAtColumn(0)) if index.isValid() else None

    def setCurrentItem(self, row: DueRow) -> None:
        self.setCurrentIndex(row.index)
