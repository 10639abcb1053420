"""Today's list view, readable row by row as the user reads it (sections, then follow-ups)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from deckfollow.ui.today_page.model import DueModel


@dataclass(frozen=True)
class DueRow:
    """One row on the list as shown: a section title (with its follow-ups) or a follow-up."""

    model: DueModel
    row: int
    children: int = 0  # a section title: how many follow-ups it heads

    def text(self, column: int) -> str:
        value = self.model.data(self.model.index(self.row, column))
        return value if isinstance(value, str) else ""

    def toolTip(self, column: int) -> str:
        value = self.model.data(self.model.index(self.row, column), Qt.ItemDataRole.ToolTipRole)
        return value if isinstance(value, str) else ""

    def data(self, column: int, role: int) -> object:
        return self.model.data(self.model.index(self.row, column), role)

    def childCount(self) -> int:
        return self.children

    def child(self, number: int) -> DueRow | None:
        return DueRow(self.model, self.row + 1 + number) if 0 <= number < self.children else None


class DueTree(QTableView):
    """The sections and their follow-ups as one list, one follow-up selected at a time."""

    def __init__(self, model: DueModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.due_model = model
        self.setModel(model)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        rows = self.verticalHeader()
        rows.hide()
        # Every row the same height: the view never measures the rows it does not paint.
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 3)
        self.horizontalHeader().setHighlightSections(False)
        self.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft)
        model.modelReset.connect(self._span_titles)

    def header(self) -> QHeaderView:
        return self.horizontalHeader()

    def _span_titles(self) -> None:
        self.clearSpans()
        for row in self.due_model.title_rows():
            self.setSpan(row, 0, 1, self.due_model.columnCount())

    def moveCursor(
        self, cursorAction: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        """The keys step from follow-up to follow-up: a section title is passed over."""
        index = super().moveCursor(cursorAction, modifiers)
        if not index.isValid() or not self.due_model.is_title(index.row()):
            return index
        move = QAbstractItemView.CursorAction
        up = cursorAction in (move.MoveUp, move.MovePageUp, move.MovePrevious, move.MoveLeft)
        row = index.row() - 1 if up else index.row() + 1
        if not 0 <= row < self.due_model.rowCount() or self.due_model.is_title(row):
            return self.currentIndex()  # nothing but the title that way
        return self.due_model.index(row, max(0, self.currentIndex().column()))

    def topLevelItemCount(self) -> int:
        return len(self.due_model.title_rows())

    def topLevelItem(self, number: int) -> DueRow | None:
        groups = self.due_model.groups()
        if not 0 <= number < len(groups):
            return None
        return DueRow(self.due_model, self.due_model.title_rows()[number], len(groups[number][1]))

    def currentItem(self) -> DueRow | None:
        index = self.currentIndex()
        return DueRow(self.due_model, index.row()) if index.isValid() else None

    def setCurrentItem(self, row: DueRow) -> None:
        self.setCurrentIndex(self.due_model.index(row.row, 0))
