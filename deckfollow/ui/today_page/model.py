"""Today's list as a model: channel groups holding the follow-ups due, formatted as painted.

A row's texts are made the first time the view asks for them (only the rows on screen), and
only the roles the view asks for are answered, so a reload of thousands of follow-ups costs
the handful of rows a user can see.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
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
_DISPLAY = Qt.ItemDataRole.DisplayRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_FOREGROUND = Qt.ItemDataRole.ForegroundRole
_FONT = Qt.ItemDataRole.FontRole
_ANY_PARENT = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()

Group = tuple[str, list[DueItem]]


def group_items(items: list[DueItem]) -> list[Group]:
    """The non-empty sections, in the order the day's work is done.

    What customers just said comes first ("They replied — what's next?", rule 8); then new
    leads, whatever the channel (the first business to answer wins about half the deals);
    then the rest by how to reach people.
    """
    answers = [i for i in items if needs_answer(i.reason)]
    asked = {i.follow_up_id for i in answers}
    first = [i for i in items if i.reason.startswith(FIRST_REPLY) and i.follow_up_id not in asked]
    taken = asked | {i.follow_up_id for i in first}
    rest = [i for i in items if i.follow_up_id not in taken]
    groups: list[Group] = [("Replies", answers), ("New leads", first)]
    groups += [(title, [i for i in rest if i.channel in chans]) for title, chans in _CHANNEL_GROUPS]
    return [(title, group) for title, group in groups if group]


class DueModel(QAbstractItemModel):
    """Two levels: a group row per section (internal id 0), its follow-ups below (id g + 1)."""

    def __init__(self) -> None:
        super().__init__()
        self._groups: list[Group] = []
        self._texts: list[list[tuple[str, ...] | None]] = []
        self._where: dict[int, tuple[int, int]] = {}
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
        self._texts = [[None] * len(items) for _, items in groups]
        self._where = {
            item.follow_up_id: (g, r)
            for g, (_, items) in enumerate(groups)
            for r, item in enumerate(items)
        }
        self._owner_tz = owner_tz
        self._bold = QFont(font)
        self._bold.setBold(True)
        theme = active_theme()
        self._overdue = QBrush(QColor(theme.overdue_text))
        self._agreed = QBrush(QColor(theme.agreed_text))
        self.endResetModel()

    def groups(self) -> list[Group]:
        return self._groups

    def item(self, index: QModelIndex | QPersistentModelIndex) -> DueItem | None:
        """The follow-up on this row (None on a group row or an invalid index)."""
        if not index.isValid() or index.internalId() == 0:
            return None
        return self._groups[index.internalId() - 1][1][index.row()]

    def index_of(self, follow_up_id: int) -> QModelIndex:
        """The first column of this follow-up's row (invalid when it is not listed)."""
        where = self._where.get(follow_up_id)
        if where is None:
            return QModelIndex()
        return self.createIndex(where[1], 0, where[0] + 1)

    def ids_in_order(self) -> list[int]:
        """The follow-ups on the list, top to bottom."""
        return [item.follow_up_id for _, items in self._groups for item in items]

    # -- the model ----------------------------------------------------------------------------

    def index(self, row: int, column: int, parent: _ANY_PARENT = _ROOT) -> QModelIndex:
        if not parent.isValid():
            if 0 <= row < len(self._groups) and 0 <= column < len(HEADERS):
                return self.createIndex(row, column, 0)
            return QModelIndex()
        if parent.internalId() != 0:
            return QModelIndex()
        g = parent.row()
        if 0 <= row < len(self._groups[g][1]) and 0 <= column < len(HEADERS):
            return self.createIndex(row, column, g + 1)
        return QModelIndex()

    def parent(self, child: _ANY_PARENT = _ROOT) -> QModelIndex:  # type: ignore[override]
        if not child.isValid() or child.internalId() == 0:
            return QModelIndex()
        return self.createIndex(child.internalId() - 1, 0, 0)

    def rowCount(self, parent: _ANY_PARENT = _ROOT) -> int:
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self._groups[parent.row()][1])
        return 0

    def columnCount(self, parent: _ANY_PARENT = _ROOT) -> int:
        return len(HEADERS)

    def hasChildren(self, parent: _ANY_PARENT = _ROOT) -> bool:
        return self.rowCount(parent) > 0

    def flags(self, index: _ANY_PARENT) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if index.internalId() == 0:
            return Qt.ItemFlag.ItemIsEnabled  # a section title, not something to act on
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> object:
        if role == _DISPLAY and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section]
        return None

    def data(self, index: _ANY_PARENT, role: int = _DISPLAY) -> object:
        group = index.internalId()
        col = index.column()
        if group == 0:  # a section title, spanning the row
            if col != 0:
                return None
            if role == _DISPLAY:
                title, items = self._groups[index.row()]
                return f"{title}  ({len(items)})"
            if role == _FONT:
                return self._bold
            return None
        if role == _DISPLAY:
            return self._row_texts(group - 1, index.row())[col]
        if role == _TOOLTIP:
            return self._tooltip(group - 1, index.row(), col)
        if role == _FOREGROUND:
            item = self._groups[group - 1][1][index.row()]
            if col == 0 and item.overdue:
                return self._overdue
            if col == 4 and item.basis is Basis.AGREED:
                return self._agreed
            return None
        if role == ITEM_ROLE:
            return self._groups[group - 1][1][index.row()].follow_up_id
        return None

    def _row_texts(self, g: int, r: int) -> tuple[str, ...]:
        texts = self._texts[g][r]
        if texts is None:
            item = self._groups[g][1][r]
            texts = (
                date_time_text(item.due_at),
                their_time_text(item.due_at, item.timezone, self._owner_tz),
                item.customer,
                item.reason,
                "agreed" if item.basis is Basis.AGREED else "planned",
            )
            self._texts[g][r] = texts
        return texts

    def _tooltip(self, g: int, r: int, col: int) -> str | None:
        item = self._groups[g][1][r]
        if col == 3:
            return item.reason
        if col in (0, 1):
            theirs = self._row_texts(g, r)[1]
            if not theirs:
                return None
            where = f"{item.customer}'s time ({item.timezone})"
            # Also on the due time: a narrow window hides the "their time" column.
            return where if col == 1 else f"{theirs} {where}"
        return None
