"""Today's list as a model: channel groups holding the follow-ups due, formatted as painted.

A row's texts are made the first time the view asks for them (only the rows on screen), and
only the roles the view asks for are answered, so a reload of thousands of follow-ups costs
the handful of rows a user can see; a due time once written is kept for the next reload.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from deckfollow.core.clock_format import clock_style
from deckfollow.core.due import DueItem
from deckfollow.core.enums import Basis
from deckfollow.core.today import TodayRows
from deckfollow.ui.formatting import date_time_text, display_locale, owner_zone, their_time_text
from deckfollow.ui.theme import active_theme
from deckfollow.ui.today_page.prepared import TITLE_ID, Group, TodayList, prepare_today

ITEM_ROLE = Qt.ItemDataRole.UserRole + 20
HEADERS = ("Due", "Their time", "Customer", "Why", "Basis")
# Plain ints: data() runs for every painted cell and role, and enum comparisons add up there.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_ITEM = int(ITEM_ROLE)
_ANSWERED = frozenset({_DISPLAY, _TOOLTIP, _FOREGROUND, _FONT, _ITEM})
# Made once: combining flags builds a new enum value in Python on every call.
_TITLE_FLAGS = Qt.ItemFlag.ItemIsEnabled  # a section title, not something to act on
_ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_NO_FLAGS = Qt.ItemFlag.NoItemFlags
_ANY_PARENT = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
# The due times written so far, kept across reloads (a reload shows mostly the same rows);
# dropped past this many, so a long day's session never grows without bound.
_KEEP_TIMES = 20_000
_NOTHING = prepare_today(TodayRows(datetime.min.date(), "UTC", None, []))


class DueModel(QAbstractTableModel):
    """One flat table: each section's title row, then its follow-ups, in the order shown.

    Flat on purpose: a table view lays out only the rows it paints, where a tree walks every
    row through the model on each reload.
    """

    def __init__(self) -> None:
        super().__init__()
        self._list = _NOTHING
        self._rows: list[DueItem | str] = []  # a str is a section's title
        self._texts: list[tuple[str, ...] | None] = []
        # (due, customer's zone) -> the due time and their time as written on screen, valid
        # for as long as the clocks and the locale they were written for are unchanged.
        self._times: dict[tuple[datetime, str], tuple[str, str]] = {}
        self._times_for: tuple[object, ...] = ()
        self._owner_tz = "UTC"
        self._font_key = ""
        self._bold = QFont()
        self._bold.setBold(True)
        self._colours: tuple[str, str] = ("", "")
        self._overdue = QBrush()
        self._agreed = QBrush()

    # -- filling ------------------------------------------------------------------------------

    def set_items(self, today: TodayList, font: QFont) -> None:
        """Show this list in place of the current one (one reset, nothing formatted): made
        ready off this thread (`prepare_today`), it is only handed over here."""
        self.beginResetModel()
        self._list = today
        self._rows = today.entries
        self._texts = [None] * len(today.entries)
        owner_tz = today.rows.owner_tz
        times_for = (owner_tz, owner_zone(), display_locale().name(), clock_style())
        if times_for != self._times_for or len(self._times) > _KEEP_TIMES:
            self._times = {}
            self._times_for = times_for
        self._owner_tz = owner_tz
        if font.key() != self._font_key:  # the same font reload after reload
            self._font_key = font.key()
            self._bold = QFont(font)
            self._bold.setBold(True)
        theme = active_theme()
        colours = (theme.overdue_text, theme.agreed_text)
        if colours != self._colours:
            self._colours = colours
            self._overdue = QBrush(QColor(theme.overdue_text))
            self._agreed = QBrush(QColor(theme.agreed_text))
        self.endResetModel()

    def shown(self) -> TodayList:
        """The list shown."""
        return self._list

    def groups(self) -> list[Group]:
        return self._list.groups

    def title_rows(self) -> list[int]:
        """The row of each section's title, top to bottom."""
        return self._list.title_rows

    def is_title(self, row: int) -> bool:
        return 0 <= row < len(self._rows) and isinstance(self._rows[row], str)

    def item(self, index: QModelIndex | QPersistentModelIndex) -> DueItem | None:
        """The follow-up on this row (None on a title row or an invalid index)."""
        if not index.isValid():
            return None
        entry = self._rows[index.row()]
        return None if isinstance(entry, str) else entry

    def index_of(self, follow_up_id: int) -> QModelIndex:
        """The first column of this follow-up's row (invalid when it is not listed)."""
        if follow_up_id == TITLE_ID:
            return QModelIndex()
        try:
            row = self._list.row_ids.index(follow_up_id)  # a scan in C: cheaper than a dict
        except ValueError:
            return QModelIndex()
        return self.index(row, 0)

    def ids_in_order(self) -> list[int]:
        """The follow-ups on the list, top to bottom (not to be changed)."""
        return self._list.ids_in_order

    def other_clock_rows(self) -> list[int]:
        """The rows of follow-ups whose customer's clock reads another time than the owner's
        when they fall due (those with a "their time"), without writing any row's texts."""
        return self._list.other_clock_rows

    # -- the model ----------------------------------------------------------------------------

    def rowCount(self, parent: _ANY_PARENT = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _ANY_PARENT = _ROOT) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def flags(self, index: _ANY_PARENT) -> Qt.ItemFlag:
        if not index.isValid():
            return _NO_FLAGS
        return _TITLE_FLAGS if isinstance(self._rows[index.row()], str) else _ROW_FLAGS

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> object:
        if role == _DISPLAY and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section]
        return None

    def data(self, index: _ANY_PARENT, role: int = _DISPLAY) -> object:
        if role not in _ANSWERED:  # most of what a paint asks: nothing to say
            return None
        row = index.row()
        col = index.column()
        entry = self._rows[row]
        if isinstance(entry, str):  # a section title, spanning the row
            if col != 0:
                return None
            if role == _DISPLAY:
                return entry
            if role == _FONT:
                return self._bold
            return None
        if role == _DISPLAY:
            return self._row_texts(row)[col]
        if role == _TOOLTIP:
            return self._tooltip(row, col)
        if role == _FOREGROUND:
            if col == 0 and entry.overdue:
                return self._overdue
            if col == 4 and entry.basis is Basis.AGREED:
                return self._agreed
            return None
        if role == _ITEM:
            return entry.follow_up_id
        return None

    def _row_texts(self, row: int) -> tuple[str, ...]:
        texts = self._texts[row]
        if texts is None:
            item = self._rows[row]
            assert not isinstance(item, str)
            key = (item.due_at, item.timezone)  # aware: equal moments are equal keys
            times = self._times.get(key)
            if times is None:
                times = (
                    date_time_text(item.due_at),
                    their_time_text(item.due_at, item.timezone, self._owner_tz),
                )
                self._times[key] = times
            texts = (
                *times,
                item.customer,
                item.reason,
                "agreed" if item.basis is Basis.AGREED else "planned",
            )
            self._texts[row] = texts
        return texts

    def _tooltip(self, row: int, col: int) -> str | None:
        item = self._rows[row]
        assert not isinstance(item, str)
        if col == 3:
            return item.reason
        if col in (0, 1):
            theirs = self._row_texts(row)[1]
            if not theirs:
                return None
            where = f"{item.customer}'s time ({item.timezone})"
            # Also on the due time: a narrow window hides the "their time" column.
            return where if col == 1 else f"{theirs} {where}"
        return None
