"""Today's list view, readable row by row as the user reads it (sections, then follow-ups).

Where the list has no room for a column of the customer's own clock, a follow-up whose
customer reads another time gets a second line under its due time: the owner's clock
first, "9:00 am their time" under it, muted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from deckfollow.core.clock_format import clock_style
from deckfollow.ui.formatting import date_time_text, display_locale, weekday_time_text
from deckfollow.ui.theme import active_theme
from deckfollow.ui.today_page.model import DueModel

_THEIR_TIME_COLUMN = 1
# Moments whose texts are measured for the width the due times need: a day of each month
# (month names differ in length, "Sept" among them) and of each weekday, late in the day.
_MONTHS = [datetime(2026, month, 28, 22, 0, tzinfo=UTC) for month in range(1, 13)]
_WEEKDAYS = [datetime(2026, 12, day, 22, 0, tzinfo=UTC) for day in range(7, 14)]


def their_time_line(theirs: str) -> str:
    """The second line of a due time: the customer's own clock."""
    return f"{theirs} their time"


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


class DueDelegate(QStyledItemDelegate):
    """Paints a two-line row: every cell's text on the first line, beside the due time, and
    the customer's clock under the due time. Only those rows have it: the others keep Qt's
    own painting, with no Python call per cell."""

    def __init__(self, tree: DueTree) -> None:
        super().__init__(tree)
        self._tree = tree

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        line = self._tree.line_height
        cell: QRect = option.rect
        if cell.height() <= line:
            super().paint(painter, option, index)
            return
        # Two halves that meet: the selection and the row's colours cover the whole cell.
        first = QStyleOptionViewItem(option)
        first.rect = QRect(cell.x(), cell.y(), cell.width(), line)
        super().paint(painter, first, index)
        second = QStyleOptionViewItem(option)
        self.initStyleOption(second, index)
        second.rect = cell.adjusted(0, line, 0, 0)
        second.text = self._second_line(index)
        second.state &= ~QStyle.StateFlag.State_HasFocus
        muted = QColor(active_theme().muted_text)
        second.palette.setColor(QPalette.ColorRole.Text, muted)
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, second, painter, widget)

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        under = self._second_line(index)
        if not under or not self._tree.is_folded(index.row()):
            return size
        width = self._tree.fontMetrics().horizontalAdvance(under) + self._tree.cell_padding()
        return QSize(max(size.width(), width), self._tree.folded_height)

    def lines(self, index: QModelIndex | QPersistentModelIndex) -> list[str]:
        """The text a cell shows, line by line."""
        text = index.data()
        shown = [text if isinstance(text, str) else ""]
        if self._tree.is_folded(index.row()) and (under := self._second_line(index)):
            shown.append(under)
        return shown

    def _second_line(self, index: QModelIndex | QPersistentModelIndex) -> str:
        if index.column() != 0:
            return ""
        theirs = index.model().index(index.row(), _THEIR_TIME_COLUMN).data()
        return their_time_line(theirs) if isinstance(theirs, str) and theirs else ""


class DueTree(QTableView):
    """The sections and their follow-ups as one list, one follow-up selected at a time."""

    def __init__(self, model: DueModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.due_model = model
        self.setModel(model)
        self._two_lines = DueDelegate(self)
        self._folding = False  # the customer's clock under the due time, not in its column
        self._folded: list[int] = []  # the rows made two lines tall
        self._due_widths: tuple[tuple[object, ...], int, int] | None = None
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        rows = self.verticalHeader()
        rows.hide()
        # Heights set, never measured (the view would measure rows it does not paint): one
        # line, two where the customer's clock goes under the due time (`_fit_rows`).
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 3)
        self.line_height = rows.defaultSectionSize()  # the style may keep rows taller
        self.folded_height = 2 * self.line_height - 1
        self.horizontalHeader().setHighlightSections(False)
        self.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft)
        model.modelReset.connect(self._span_titles)
        model.modelReset.connect(self._fit_rows)

    def header(self) -> QHeaderView:
        return self.horizontalHeader()

    def _span_titles(self) -> None:
        self.clearSpans()
        for row in self.due_model.title_rows():
            self.setSpan(row, 0, 1, self.due_model.columnCount())

    # -- the customer's clock under the due time ----------------------------------------------

    def fold_their_time(self, folding: bool) -> None:
        """Show the customer's clock under the due time (`folding`: its column is hidden) or
        in its own column."""
        self.setColumnHidden(_THEIR_TIME_COLUMN, folding)
        if folding != self._folding:
            self._folding = folding
            self._fit_rows()

    def is_folded(self, row: int) -> bool:
        """Whether this row shows the customer's clock on a second line."""
        return self._folding and self.rowHeight(row) == self.folded_height

    def _fit_rows(self) -> None:
        """Two lines for the rows of customers on another clock while folding; one for the
        rest. A reset keeps the heights of the rows it still has: only the rows that change
        are resized (each resize costs a walk over every row's height)."""
        rows = self.verticalHeader()
        count = self.due_model.rowCount()
        folded = self.due_model.other_clock_rows() if self._folding else []
        now_folded = set(folded)
        for row in self._folded:
            if row not in now_folded:
                self.setItemDelegateForRow(row, None)  # type: ignore[arg-type]
                if row < count:
                    rows.resizeSection(row, self.line_height)
        before = set(self._folded)
        for row in folded:
            if rows.sectionSize(row) != self.folded_height:
                rows.resizeSection(row, self.folded_height)
            if row not in before:  # a row keeps its delegate through a reset
                self.setItemDelegateForRow(row, self._two_lines)
        self._folded = folded

    def cell_padding(self) -> int:
        """The room the style leaves around a cell's text, with a little to spare."""
        margin = self.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self)
        return 2 * (margin + 1) + 4

    def due_width(self) -> int:
        """The width the Due column needs for any due time whole, and for the customer's
        clock under it when a row shows it there."""
        key = (self.font().key(), display_locale().name(), clock_style())
        if self._due_widths is None or self._due_widths[0] != key:
            cells = self.fontMetrics()
            ours = max(cells.horizontalAdvance(date_time_text(m)) for m in _MONTHS)
            theirs = max(
                cells.horizontalAdvance(their_time_line(weekday_time_text(m, "UTC")))
                for m in _WEEKDAYS
            )
            self._due_widths = (key, ours, theirs)
        _, ours, theirs = self._due_widths
        return max(ours, theirs if self._folded else 0) + self.cell_padding()

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
