"""Every customer as a Qt table model over the core's plain rows (no proxy model).

Searching and sorting are one SQL query in `core.customer_search`, read a page at a time
(`canFetchMore`/`fetchMore` as the view scrolls): a keystroke or a click on a header costs
the first page, not all 20,000 customers. The model asks for rows and shows them as they
arrive (the page reads them on the window's database thread): the rows on screen stay until
their replacements are in, one read runs at a time, and an answer to a search or sort that
was changed meanwhile is dropped for the newest one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from deckfollow.core.contact_info import phone_as_read_in
from deckfollow.core.customer_search import CustomerRow, CustomerSort
from deckfollow.ui.formatting import ago_text, date_text
from deckfollow.ui.theme import active_theme

Index = QModelIndex | QPersistentModelIndex
PAGE = 200


@dataclass(frozen=True)
class Ask:
    """Rows wanted: `limit` of those matching `text` in this order from `offset`, and on
    until the customer `until` is among them (when given)."""

    text: str
    sort: CustomerSort
    descending: bool
    offset: int
    limit: int
    until: int | None = None


# The rows read (None: they could not be, the rows shown stay) and whether more match.
Answer = Callable[[list[CustomerRow] | None, bool], None]
# Reads what is asked (the page: on the database thread) and answers on the GUI thread.
Reader = Callable[[Ask, Answer], None]


def read_rows(
    search: Callable[[int, int], list[CustomerRow]], ask: Ask
) -> tuple[list[CustomerRow], bool]:
    """What `ask` wants through `search(offset, limit)`: (the rows, whether more match)."""
    rows: list[CustomerRow] = []
    limit = ask.limit
    while True:
        # One row more than asked says whether there is another page, without a count.
        got = search(ask.offset + len(rows), limit + 1)
        more = len(got) > limit
        got = got[:limit]
        rows.extend(got)
        if not more or ask.until is None or any(r.id == ask.until for r in got):
            return rows, more
        limit *= 2  # hunting one customer: fewer, larger reads


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
    """Rows of `CustomerRow`; `search(text)` and `sort(column)` re-read through the reader.

    `reloaded` says the rows of a reload, search or sort have arrived and are shown."""

    reloaded = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._reader: Reader | None = None
        self._rows: list[CustomerRow] = []
        self._more = False  # the search matches more rows than are loaded
        # Each search, sort or reload asked for counts up; older answers are dropped.
        self._generation = 0
        self._reloading = False  # a first page is being read
        self._appending = False  # a next page (or a hunt for one customer) is being read
        # The next first page to read once the one being read is in: (keeps its place as a
        # reordering rather than a reset, how many rows, and on until which customer), or None.
        self._wanted: tuple[bool, int, int | None] | None = None
        self._waiting: list[Callable[[], None]] = []  # run once no read is in flight
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

    def set_reader(self, reader: Reader) -> None:
        """Where rows come from; nothing is read until `reload()`."""
        self._reader = reader

    @property
    def complete(self) -> bool:
        """Every matching row is loaded (so their number is the row count)."""
        return not self._more

    def is_reading(self) -> bool:
        """Rows asked for have not arrived yet."""
        return self._reloading or self._appending

    def is_reloading(self) -> bool:
        """A first page (a reload, search or sort) asked for has not arrived yet."""
        return self._reloading

    def reload(self, *, until: int | None = None) -> None:
        """Read the first page again for the current search and sort (as many rows as
        were loaded, so a refresh does not lose the user's place), and on until the
        customer `until` (one just added) is among them, in the same read."""
        self._ask_first_page(reorder=False, rows=max(PAGE, len(self._rows)), until=until)

    def search(self, text: str) -> None:
        if text != self.text:
            self.text = text
            self._ask_first_page(reorder=False, rows=PAGE)

    def when_read(self, then: Callable[[], None]) -> None:
        """Call `then` once the rows asked for so far are shown (now, if they are)."""
        if self.is_reading():
            self._waiting.append(then)
        else:
            then()

    def find(self, customer_id: int, then: Callable[[int], None]) -> None:
        """Read on until `customer_id` is loaded; then `then(its row)`, or `then(-1)` when
        the search hides them."""
        if self.is_reading():
            self._waiting.append(lambda: self.find(customer_id, then))
            return
        row = self.row_of(customer_id)
        if row >= 0 or not self._more:
            then(row)
            return
        self._append(customer_id, lambda: self.find(customer_id, then))

    def _ask_first_page(self, *, reorder: bool, rows: int, until: int | None = None) -> None:
        self._generation += 1
        if self._wanted is not None:
            # Asked twice before the first was read: a reset wins over a reordering, and
            # the customer wanted among the rows stays wanted.
            reorder = reorder and self._wanted[0]
            until = until if until is not None else self._wanted[2]
        self._wanted = (reorder, rows, until)
        if not self._reloading:
            self._read_first_page()

    def _read_first_page(self) -> None:
        assert self._wanted is not None
        reorder, limit, until = self._wanted
        self._wanted = None
        generation = self._generation
        self._reloading = True
        ask = Ask(self.text, self.sort_key, self.descending, 0, limit, until)
        self._read(ask, lambda rows, more: self._first_page(generation, reorder, rows, more))

    def _first_page(
        self, generation: int, reorder: bool, rows: list[CustomerRow] | None, more: bool
    ) -> None:
        self._reloading = False
        if generation != self._generation and self._wanted is not None:
            self._read_first_page()  # the search or sort changed meanwhile: read the newest
            return
        if rows is None:
            self._run_waiting()
            return
        # Whether more match is known before the view hears of the rows: it may fetch the
        # next page inside the signal.
        if reorder:
            self._more = more
            self._reorder(rows)
        else:
            self.beginResetModel()
            self._rows = rows
            self._more = more
            self.endResetModel()
        self.reloaded.emit()
        self._run_waiting()

    def _read(self, ask: Ask, answer: Answer) -> None:
        if self._reader is None:
            answer([], False)
        else:
            self._reader(ask, answer)

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and self._more and not self._reloading

    def fetchMore(self, parent: Index) -> None:
        if self.canFetchMore(parent) and not self._appending:
            self._append(None, None)

    def _append(self, until: int | None, then: Callable[[], None] | None) -> None:
        generation = self._generation
        self._appending = True
        ask = Ask(self.text, self.sort_key, self.descending, len(self._rows), PAGE, until)

        def arrived(rows: list[CustomerRow] | None, more: bool) -> None:
            self._appending = False
            if generation == self._generation and rows is not None:
                self._add(rows, more)
                if then is not None:
                    self._waiting.insert(0, then)
            self._run_waiting()

        self._read(ask, arrived)

    def _add(self, rows: list[CustomerRow], more: bool) -> None:
        self._more = more
        if not rows:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()

    def _run_waiting(self) -> None:
        # Each may read again (a hunt for a customer): the rest wait for that too.
        while self._waiting and not self.is_reading():
            self._waiting.pop(0)()

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
        self._ask_first_page(reorder=True, rows=max(PAGE, len(self._rows)))

    def _reorder(self, rows: list[CustomerRow]) -> None:
        """The rows of a new order in place of the old, the selection kept on its people."""
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        ids = [self._rows[i.row()].id for i in old]
        self._rows = rows
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
