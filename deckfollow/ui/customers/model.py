"""Every customer as a Qt table model over the core's plain rows (no proxy model).

Searching and sorting are one SQL query in `core.customer_search`, read a page at a time
(`canFetchMore`/`fetchMore` as the view scrolls): a keystroke or a click on a header costs
the first page, not all 20,000 customers.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from deckfollow.core.contact_info import phone_as_read_in
from deckfollow.core.customer_search import CustomerRow, CustomerSort
from deckfollow.ui.formatting import ago_text, date_text
from deckfollow.ui.theme import active_theme

Index = QModelIndex | QPersistentModelIndex
# (text, sort, descending, offset, limit) -> rows; the page runs it in a short read of the
# database.
Loader = Callable[[str, CustomerSort, bool, int, int], list[CustomerRow]]
PAGE = 200

COLUMNS: list[tuple[str, CustomerSort]] = [
    ("Name", CustomerSort.NAME),
    ("Company", CustomerSort.COMPANY),
    ("Suburb or city", CustomerSort.SUBURB),
    ("Phone", CustomerSort.PHONE),
    ("Email", CustomerSort.EMAIL),
    ("Open", CustomerSort.OPEN_QUOTES),
    ("Last touch", CustomerSort.LAST_TOUCH),
]
NAME, COMPANY, SUBURB, PHONE, EMAIL, OPEN, LAST = range(len(COLUMNS))
CUSTOMER_ID_ROLE = Qt.ItemDataRole.UserRole + 1
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_ID = int(CUSTOMER_ID_ROLE)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


class CustomerTableModel(QAbstractTableModel):
    """Rows of `CustomerRow`; `search(text)` and `sort(column)` re-read through the loader."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._load: Loader | None = None
        self._rows: list[CustomerRow] = []
        self._more = False  # the search matches more rows than are loaded
        self.text = ""
        self.sort_key = CustomerSort.NAME
        self.descending = False
        self._country = "US"
        self.now: datetime | None = None
        self.owner_tz: str | None = None
        # Formatting a phone number parses it: each number once, not on every paint.
        self._phones: dict[str, str] = {}

    # -- data in --------------------------------------------------------------------------

    @property
    def country(self) -> str:
        """The owner's country: their own numbers read the way they dial them."""
        return self._country

    @country.setter
    def country(self, code: str) -> None:
        if code != self._country:
            self._country = code
            self._phones.clear()

    def set_loader(self, load: Loader) -> None:
        """Where rows come from; nothing is read until `reload()`."""
        self._load = load

    def _read(self, offset: int, limit: int) -> list[CustomerRow]:
        # One row more than asked says whether there is another page, without a count.
        rows = (
            self._load(self.text, self.sort_key, self.descending, offset, limit + 1)
            if (self._load)
            else []
        )
        self._more = len(rows) > limit
        return rows[:limit]

    @property
    def complete(self) -> bool:
        """Every matching row is loaded (so their number is the row count)."""
        return not self._more

    def reload(self) -> None:
        """Read the first page again for the current search and sort (as many rows as
        were loaded, so a refresh does not lose the user's place)."""
        self.beginResetModel()
        self._rows = self._read(0, max(PAGE, len(self._rows)))
        self.endResetModel()

    def search(self, text: str) -> None:
        if text != self.text:
            self.text = text
            self._rows = []
            self.reload()

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and self._more

    def fetchMore(self, parent: Index) -> None:
        if not self.canFetchMore(parent):
            return
        more = self._read(len(self._rows), PAGE)
        if not more:
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()

    def load_until(self, customer_id: int) -> int:
        """Read pages until `customer_id` is loaded; its row, or -1 if the search hides them."""
        while (row := self.row_of(customer_id)) < 0 and self.canFetchMore(QModelIndex()):
            self.fetchMore(QModelIndex())
        return row

    def row_at(self, row: int) -> CustomerRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, customer_id: int) -> int:
        for i, r in enumerate(self._rows):
            if r.id == customer_id:
                return i
        return -1

    # -- Qt model -------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == _DISPLAY:
            return COLUMNS[section][0]
        if orientation == Qt.Orientation.Horizontal and role == _TOOLTIP and section == OPEN:
            return "Open quotes: leads, quoted and following up"
        if orientation == Qt.Orientation.Horizontal and role == _ALIGNMENT:
            # Each heading sits over its cells: the count on the right, words on the left.
            return _RIGHT if section == OPEN else _LEFT
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self.sort_key = COLUMNS[column][1]
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        ids = [self._rows[i.row()].id for i in old]
        self._rows = self._read(0, max(PAGE, len(self._rows)))
        where = {r.id: n for n, r in enumerate(self._rows)}
        self.changePersistentIndexList(
            old,
            [
                self.index(where[cid], i.column()) if cid in where else QModelIndex()
                for cid, i in zip(ids, old, strict=True)
            ],
        )
        self.layoutChanged.emit()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        col = index.column()
        if role == _DISPLAY:
            return self._text(row, col)
        if role == _ID:
            return row.id
        if role == _FOREGROUND and row.do_not_contact and col == NAME:
            return QColor(active_theme().error_text)
        if role == _ALIGNMENT and col == OPEN:
            return _RIGHT
        if role == _TOOLTIP:
            if col == NAME:  # whole, where a narrow window cuts it short
                return f"{row.name} asked not to be contacted" if row.do_not_contact else row.name
            if col == COMPANY and row.company:
                return row.company
            if col == LAST and row.last_touch_at is not None:
                return date_text(row.last_touch_at, self.owner_tz)
            if col == SUBURB and row.region:
                return f"{row.suburb or ''} {row.region}".strip()
            if col == EMAIL and row.email:
                return row.email  # whole, where the column cuts it short
        return None

    def _text(self, row: CustomerRow, col: int) -> str:
        if col == NAME:
            return row.name
        if col == COMPANY:
            return row.company or ""
        if col == SUBURB:
            return row.suburb or ""
        if col == PHONE:
            if not row.phone:
                return ""
            text = self._phones.get(row.phone)
            if text is None:
                if len(self._phones) > 5_000:  # a long scroll: start afresh, memory stays flat
                    self._phones.clear()
                text = self._phones[row.phone] = phone_as_read_in(row.phone, self.country)
            return text
        if col == EMAIL:
            return row.email or ""
        if col == OPEN:
            return str(row.open_quotes) if row.open_quotes else ""
        if row.last_touch_at is None:
            return ""
        if self.now is None:
            return date_text(row.last_touch_at, self.owner_tz)
        return f"{ago_text(row.last_touch_at, self.now)} ago"
