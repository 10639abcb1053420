"""Showing a few changed quotes in a list model without resetting it.

A reset makes the view forget its scroll position, selection and every row's layout, and
lays out all of them again; a change to one quote needs only that row taken out, put in or
repainted. The board's columns and the quote list both show rows of the quote index.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import compress, count
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
    quotes' rows (both sorted as `locate` finds rows): each taken out, put in, moved or
    repainted (its `columns`) where it is. `hold(rows)` makes the model show `rows`."""
    swaps = row_swaps(old, new, swapped, locate)
    top = QModelIndex()
    if swaps is None or len(swaps.removed) + len(swaps.inserted) > MANY:
        model.beginResetModel()
        hold(new)
        model.endResetModel()
        return
    if swaps.moved is not None:
        # One row moved (the usual change): the new rows are shown at once, no rows in
        # between are made (a copy of 100,000 costs milliseconds).
        was, now = swaps.moved
        # Qt counts where a row goes among the old rows: past itself when it goes down.
        model.beginMoveRows(top, was, was, top, now + 1 if now > was else now)
        hold(new)
        model.endMoveRows()
        model.dataChanged.emit(model.index(now, 0), model.index(now, columns - 1))
        return
    if len(swaps.removed) + len(swaps.inserted) == 1:  # one row out, or one in
        if swaps.removed:
            model.beginRemoveRows(top, swaps.removed[0], swaps.removed[0])
            hold(new)
            model.endRemoveRows()
        else:
            model.beginInsertRows(top, swaps.inserted[0], swaps.inserted[0])
            hold(new)
            model.endInsertRows()
        return
    rows = list(old)
    hold(rows)  # changed in place between each begin and end
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
    """Where the quote's row is in `rows`, or -1 (looked for in C, not a loop per row, and
    no further than the row)."""
    return next(compress(count(), map(quote_id.__eq__, map(_QUOTE_ID, rows))), -1)
