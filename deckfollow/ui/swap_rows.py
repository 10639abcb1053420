"""Showing a few changed quotes in a list model without resetting it.

A reset makes the view forget its scroll position, selection and every row's layout, and
lays out all of them again; a change to one quote needs only that row taken out, put in or
repainted. The board's columns and the quote list both show rows of the quote index.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import itemgetter

from PySide6.QtCore import QAbstractItemModel, QModelIndex

from deckfollow.core.quote_index import Locate, QuoteRow, Swapped, row_swaps

# More changed rows than this (an import named row by row, a merge of big customers): one
# reset costs less than as many insertions.
MANY = 200


def swap_rows(
    model: QAbstractItemModel,
    old: list[QuoteRow],
    new: list[QuoteRow],
    swapped: Swapped,
    locate: Locate,
    hold: Callable[[list[QuoteRow]], None],
    columns: int = 1,
) -> None:
    """Turn the `old` rows `model` shows into `new`, which differ only in the `swapped`
    quotes' rows (both sorted as `locate` finds rows): each taken out, put in or repainted
    (its `columns`) where it is.
    `hold(rows)` makes the model show `rows` (changed in place between each begin and end)."""
    swaps = row_swaps(old, new, swapped, locate)
    if swaps is None or len(swaps.removed) + len(swaps.inserted) > MANY:
        model.beginResetModel()
        hold(new)
        model.endResetModel()
        return
    rows = list(old)
    hold(rows)
    top = QModelIndex()
    for i in swaps.removed:
        model.beginRemoveRows(top, i, i)
        del rows[i]
        model.endRemoveRows()
    for i in swaps.inserted:
        model.beginInsertRows(top, i, i)
        rows.insert(i, new[i])
        model.endInsertRows()
    hold(new)  # the same rows, as the index keeps them (shared, never changed)
    for i in swaps.updated:
        model.dataChanged.emit(model.index(i, 0), model.index(i, columns - 1))


_QUOTE_ID = itemgetter(0)


def row_of(rows: list[QuoteRow], quote_id: int) -> int:
    """Where the quote's row is in `rows`, or -1 (looked for in C, not a loop per row)."""
    try:
        return list(map(_QUOTE_ID, rows)).index(quote_id)
    except ValueError:
        return -1
