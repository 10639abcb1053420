"""Today's list as a model: channel groups holding the follow-ups due, formatted as painted.

A row's texts are made the first time the view asks for them (only the rows on screen), and
only the roles the view asks for are answered, so a reload of thousands of follow-ups costs
the handful of rows a user can see.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from deckfollow.core.due import DueItem
from deckfollow.core.enums import Basis, Channel
from deckfollow.core.leads import FIRST_REPLY
from deckfollow.messaging.inbound import needs_answer
from deckfollow.ui.formatting import date_time_text, their_time_text
from deckfollow.ui.theme import active_theme

ITEM_ROLE = Qt.ItemDataRole.UserRole + 20
HEADERS = ("Due", "Their time", "Customer", "Why", "Basis")
_CHANNEL_GROUPS: list[tuple[str, tuple[Channel, ...]]] = [
    ("Calls", (Channel.CALL, Channel.VISIT)),
    ("Texts", (Channel.TEXT, Channel.VIDEO)),
    ("Emails", (Channel.EMAIL,)),
    ("Cards", (Channel.CARD,)),
]
_GROUP_OF = {channel: g for g, (_, channels) in enumerate(_CHANNEL_GROUPS) for channel in channels}
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

Group = tuple[str, list[DueItem]]


def group_items(items: list[DueItem]) -> list[Group]:
    """The non-empty sections, in the order the day's work is done.

    What customers just said comes first ("They replied — what's next?", rule 8); then new
    leads, whatever the channel (the first business to answer wins about half the deals);
    then the rest by how to reach people.
    """
    answers: list[DueItem] = []
    first: list[DueItem] = []
    by_channel: list[list[DueItem]] = [[] for _ in _CHANNEL_GROUPS]
    for item in items:  # one pass: thousands of follow-ups on a team's day
        if needs_answer(item.reason):
            answers.append(item)
        elif item.reason.startswith(FIRST_REPLY):
            first.append(item)
        else:
            by_channel[_GROUP_OF[item.channel]].append(item)
    groups: list[Group] = [("Replies", answers), ("New leads", first)]
    groups += [
        (title, found) for (title, _), found in zip(_CHANNEL_GROUPS, by_channel, strict=True)
    ]
    return [(title, group) for title, group in groups if group]


class DueModel(QAbstractTableModel):
    """One flat table: each section's title row, then its follow-ups, in the order shown.

    Flat on purpose: a table view lays out only the rows it paints, where a tree walks every
    row through the model on each reload.
    """

    def __init__(self) -> None:
        super().__init__()
        self._groups: list[Group] = []
        self._rows: list[DueItem | str] = []  # a str is a section's title
        self._titles: list[int] = []  # the row of each section's title
        self._texts: list[tuple[str, ...] | None] = []
        self._where: dict[int, int] = {}
        self._owner_tz = "UTC"
        self._bold = QFont()
        self._bold.setBold(True)
        self._overdue = QBrush()
        self._agreed = QBrush()

    # -- filling ------------------------------------------------------------------------------

    def set_items(self, groups: list[Group], owner_tz: str, font: QFont) -> None:
        """Show these sections in place of the current ones (one reset, nothing formatted)."""
        self.beginResetModel()
        self._groups = groups
        rows: list[DueItem | str] = []
        titles: list[int] = []
        where: dict[int, int] = {}
        for title, items in groups:
            titles.append(len(rows))
            rows.append(f"{title}  ({len(items)})")
            start = len(rows)
            where.update((item.follow_up_id, start + r) for r, item in enumerate(items))
            rows.extend(items)
        self._rows = rows
        self._titles = titles
        self._texts = [None] * len(rows)
        self._where = where
        self._owner_tz = owner_tz
        self._bold = QFont(font)
        self._bold.setBold(True)
        theme = active_theme()
        self._overdue = QBrush(QColor(theme.overdue_text))
        self._agreed = QBrush(QColor(theme.agreed_text))
        self.endResetModel()

    def groups(self) -> list[Group]:
        return self._groups

    def title_rows(self) -> list[int]:
        """The row of each section's title, top to bottom."""
        return self._titles

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
        row = self._where.get(follow_up_id)
        return QModelIndex() if row is None else self.index(row, 0)

    def ids_in_order(self) -> list[int]:
        """The follow-ups on the list, top to bottom."""
        return list(self._where)

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
            texts = (
                date_time_text(item.due_at),
                their_time_text(item.due_at, item.timezone, self._owner_tz),
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
