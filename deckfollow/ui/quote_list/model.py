"""The quote list as a Qt table model over the core's plain rows (no proxy model).

Sorting and filtering happen in `core.quote_index.QuoteIndex`, so a keystroke swaps the model's
row list in one reset instead of Qt re-sorting 20,000 rows through a proxy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from deckfollow.core.enums import Basis
from deckfollow.core.quote_index import (
    QuoteFilter,
    QuoteIndex,
    QuoteRow,
    SortKey,
    Swapped,
    order_locator,
)
from deckfollow.ui.formatting import (
    ago_text,
    date_text,
    date_time_text,
    money_writer,
    owner_time,
    written_with,
)
from deckfollow.ui.qt_values import QUOTE_ID_ROLE
from deckfollow.ui.swap_rows import row_of, swap_rows
from deckfollow.ui.theme import active_theme

Index = QModelIndex | QPersistentModelIndex

COLUMNS: list[tuple[str, SortKey]] = [
    ("Customer", SortKey.CUSTOMER),
    ("Job", SortKey.JOB),
    ("Quote", SortKey.NUMBER),
    ("Amount", SortKey.AMOUNT),
    ("Stage", SortKey.STAGE),
    ("Last touch", SortKey.LAST_TOUCH),
    ("Next follow-up", SortKey.NEXT_FOLLOW_UP),
    ("Received", SortKey.RECEIVED),
]

# Plain ints: data() runs for every visible cell and role, and enum lookups add up there.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ANSWERED = frozenset({_DISPLAY, _FOREGROUND, _FONT, _ALIGNMENT, _TOOLTIP, int(QUOTE_ID_ROLE)})
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
# Rows whose texts are kept (about two screenfuls a search, for the last hundred keys).
_KEPT_ROWS = 4_000
# Days, follow-up times and amounts written, kept while the clocks and locale stay: they
# repeat across quotes (at 100,000 quotes about 1,200 received days and 2,000 follow-up
# times), and writing one through the locale costs 20-30 microseconds.
_KEPT_VALUES = 20_000


class QuoteTableModel(QAbstractTableModel):
    """Rows of `QuoteRow`; `apply(filter)` re-selects from the index."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._index: QuoteIndex | None = None
        self._rows: list[QuoteRow] = []
        # The filter the rows shown are all of (the one still coming: see `show_first`).
        self.filter = QuoteFilter()
        self._coming: QuoteFilter | None = None
        # Each quote's cells as written (None: not yet), by quote id: a row shown again after
        # a keystroke is not written again.
        self._texts: dict[int, list[str | None]] = {}
        self._days: dict[date, str] = {}
        self._dues: dict[tuple[datetime, str], str] = {}
        self._money: dict[tuple[Decimal, str], str] = {}
        self._money_writers: dict[str, Callable[[Decimal], str]] = {}
        self._written_for: tuple[object, ...] = ()
        self._brushes: dict[str, QBrush] = {}
        self._bold = QFont()
        self._bold.setBold(True)

    # -- data in --------------------------------------------------------------------------

    def set_index(self, index: QuoteIndex) -> None:
        self._index = index
        self._texts.clear()  # each row as read again, and "ago" from the index's now
        self.apply(self._coming or self.filter)  # the search typed, if still coming

    def _check_written(self) -> None:
        """Forget what was written for other clocks, another locale or another year (a
        received day drops its year in the current one)."""
        written_for = (*written_with(), date.today().year)
        if written_for != self._written_for:
            self._written_for = written_for
            self._texts.clear()
            self._days.clear()
            self._dues.clear()
            self._money.clear()
            self._money_writers.clear()
            self._brushes.clear()

    @property
    def quote_index(self) -> QuoteIndex | None:
        """The quotes this list selects from (shared with the board)."""
        return self._index

    def apply(self, flt: QuoteFilter) -> None:
        self.filter, self._coming = flt, None
        self._check_written()
        self.beginResetModel()
        self._rows = self._index.select(flt) if self._index is not None else []
        self.endResetModel()

    def show_first(self, flt: QuoteFilter, first: list[QuoteRow], *, whole: bool) -> None:
        """Show the first rows `flt` selects (`QuoteIndex.first_rows`: a screenful) while the
        rest are found; `show_rest` puts them in below. `whole`: there is no rest."""
        if whole:
            self.filter, self._coming = flt, None
        else:
            self._coming = flt
        self._check_written()
        self.beginResetModel()
        self._rows = first
        self.endResetModel()

    @property
    def complete(self) -> bool:
        """Every row of the filter is in (none still coming after a first screenful)."""
        return self._coming is None

    def show_rest(self) -> bool:
        """Put in the rows still coming after a first screenful, below it: the view keeps its
        scroll and selection. False when none were coming."""
        flt = self._coming
        if flt is None:
            return False
        self.filter, self._coming = flt, None
        rows = self._index.select(flt) if self._index is not None else []
        shown = len(self._rows)
        if len(rows) > shown:
            self.beginInsertRows(QModelIndex(), shown, len(rows) - 1)
            self._rows = rows
            self.endInsertRows()
        else:
            self._rows = rows  # the first rows were all of them
        return True

    def swap_rows(self, swapped: Swapped) -> None:
        """Show the index again after it took the `swapped` quotes' rows: only their rows
        leave, arrive or are repainted, so the view keeps its scroll and selection."""
        if self._index is None:
            return
        self.show_rest()  # the rows a change is swapped into are all the filter's
        for quote_id in swapped.quote_ids:
            self._texts.pop(quote_id, None)
        new = self._index.select(self.filter)
        locate = order_locator(self.filter.sort, self.filter.descending)
        swap_rows(self, self._rows, new, swapped, locate, self._hold, len(COLUMNS))

    def _hold(self, rows: list[QuoteRow]) -> None:
        self._rows = rows

    @property
    def now(self) -> datetime | None:
        return self._index.now if self._index is not None else None

    @property
    def total(self) -> int:
        return len(self._index) if self._index is not None else 0

    def row_at(self, row: int) -> QuoteRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, quote_id: int) -> int:
        self.show_rest()  # the quote may be further down than the first screenful
        return row_of(self._rows, quote_id)

    # -- Qt model -------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0]
        if orientation == Qt.Orientation.Horizontal and role == _ALIGNMENT:
            # Each heading sits over its cells: the amount on the right, words on the left.
            side = Qt.AlignmentFlag.AlignRight if section == 3 else Qt.AlignmentFlag.AlignLeft
            return int(side | Qt.AlignmentFlag.AlignVCenter)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column][1]
        descending = order == Qt.SortOrder.DescendingOrder
        self.show_rest()  # sorted is the whole search typed, not the one before it
        self.apply(replace(self.filter, sort=key, descending=descending))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # The view asks each painted cell for about eight roles and most have no answer here,
        # or none in most columns: those return before touching the row (most of a
        # keystroke's Python calls).
        if role not in _ANSWERED or not index.isValid():
            return None
        col = index.column()
        if role == _DISPLAY:
            return self._cell(self._rows[index.row()], col)
        if role == _ALIGNMENT:
            return _RIGHT if col == 3 else None
        if role == _FOREGROUND:
            if col == 6 and self._rows[index.row()].overdue:
                return self._brush(active_theme().overdue_text)
            if col == 5 and self._rows[index.row()].going_cold:
                return self._brush(active_theme().cold_text)
            return None
        if role == _FONT:
            return self._bold if col == 6 and self._rows[index.row()].overdue else None
        row = self._rows[index.row()]
        if role == QUOTE_ID_ROLE:
            return row.quote_id
        if role == _TOOLTIP:
            return self._tooltip(row, col)
        return None

    def _cell(self, row: QuoteRow, col: int) -> str:
        """The cell as written: the view asks again for every visible cell after each
        keystroke, and only for the columns shown (beside the details panel, three or four)."""
        texts = self._texts.get(row.quote_id)
        if texts is None:
            if len(self._texts) > _KEPT_ROWS:  # a long scroll: start afresh, memory stays flat
                self._texts.clear()
            texts = self._texts[row.quote_id] = [None] * len(COLUMNS)
        text = texts[col]
        if text is None:
            text = texts[col] = self._write(row, col)
        return text

    def _write(self, row: QuoteRow, col: int) -> str:
        match col:
            case 0:
                return row.customer
            case 1:
                return row.job
            case 2:
                return row.number or ""
            case 3:
                return self._amount(row.amount, row.currency)
            case 4:
                return row.stage.label
            case 5:
                now = self.now
                if now is None:
                    return ""
                if row.last_touch_at is None:
                    return "never"
                return f"{ago_text(row.last_touch_at, now)} ago"
            case 6:
                return self._next_text(row)
            case 7:
                return self._day(row.received_at)
        return ""

    def _amount(self, amount: Decimal | None, currency: str) -> str:
        if amount is None:
            return ""
        key = (amount, currency)
        text = self._money.get(key)
        if text is None:
            if len(self._money) > _KEPT_VALUES:
                self._money.clear()
            write = self._money_writers.get(currency)
            if write is None:
                write = self._money_writers[currency] = money_writer(currency)
            text = self._money[key] = write(amount)
        return text

    def _next_text(self, row: QuoteRow) -> str:
        nxt = row.next_follow_up
        if nxt is None:
            return ""
        key = (nxt.due_at, row.timezone)  # aware: equal moments are equal keys
        due = self._dues.get(key)
        if due is None:
            if len(self._dues) > _KEPT_VALUES:
                self._dues.clear()
            due = self._dues[key] = date_time_text(nxt.due_at, row.timezone)
        agreed = " ✓" if nxt.basis is Basis.AGREED else ""
        return f"{due} · {nxt.channel.value}{agreed}"

    def _day(self, moment: datetime) -> str:
        day = owner_time(moment).date()  # the day on the owner's clock, as `date_text`'s
        text = self._days.get(day)
        if text is None:
            if len(self._days) > _KEPT_VALUES:
                self._days.clear()
            text = self._days[day] = date_text(day)
        return text

    def _brush(self, colour: str) -> QBrush:
        brush = self._brushes.get(colour)
        if brush is None:
            brush = self._brushes[colour] = QBrush(QColor(colour))
        return brush

    def _tooltip(self, row: QuoteRow, col: int) -> str | None:
        # Whole, where a narrow window cuts the cell short.
        if col == 0:
            return row.customer
        if col == 1:
            return row.job or None
        if col == 6 and row.next_follow_up is not None:
            nxt = row.next_follow_up
            basis = "agreed with the customer" if nxt.basis is Basis.AGREED else "planned"
            late = " — overdue" if row.overdue else ""
            return f"{self._cell(row, col)}\n{nxt.reason} ({basis}){late}"
        if col == 5 and row.going_cold:
            return "Going cold: no touch for a while"
        return None
