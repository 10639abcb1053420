"""Filling the detail panel's timeline: everything that happened, newest first, on the
owner's clock, with the customer's on hover and what is still to come in bold."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from deckfollow.core.history import HistoryEntry
from deckfollow.ui.formatting import full_date_time_text, their_time_text
from deckfollow.ui.theme import active_theme

_KIND_ROLES = {"touch": "cold_text", "follow_up": "follow_up_text", "consent": "warning_text"}


def fill_timeline(
    timeline: QTreeWidget, history: list[HistoryEntry], now: datetime, timezone: str | None
) -> None:
    """Show `history` in `timeline`; `timezone` is the customer's (None: nobody shown)."""
    timeline.clear()
    items = []
    for h in history:
        item = QTreeWidgetItem(
            [
                full_date_time_text(h.at),
                h.title,
                h.quote_number or "",
                h.detail,
            ]
        )
        item.setForeground(1, QBrush(QColor(getattr(active_theme(), _KIND_ROLES[h.kind]))))
        item.setToolTip(3, h.detail)
        theirs = their_time_text(h.at, timezone) if timezone is not None else ""
        if theirs:
            # The owner's clock in the column; the customer's on hover, to keep it short.
            item.setToolTip(0, f"{theirs} their time")
        item.setData(0, Qt.ItemDataRole.UserRole, h.kind)
        if h.at > now:
            # Still to come: the next step stands out at the top.
            bold = QFont(timeline.font())
            bold.setBold(True)
            for col in range(4):
                item.setFont(col, bold)
        items.append(item)
    timeline.addTopLevelItems(items)
