"""Values the GUI's widgets and models share: Python dates as Qt's, and item data roles.

One home, so a role number means the same thing in every model (the board's cards and the
quote list's rows both carry a quote's id under `QUOTE_ID_ROLE`).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt

QUOTE_ID_ROLE = Qt.ItemDataRole.UserRole + 1


def qdate(d: date) -> QDate:
    """A Python date as a QDate."""
    return QDate(d.year, d.month, d.day)


def pydate(d: QDate) -> date:
    """A QDate as a Python date."""
    return date(d.year(), d.month(), d.day())
