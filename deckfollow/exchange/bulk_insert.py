"""Many rows into one table as a single executemany, without SQLAlchemy's per-row work.

SQLAlchemy's executemany builds a parameter set per row and runs every value through its
column type's converter; for 50,000 imported contacts that was more than the inserting
itself. Here the statement SQLAlchemy writes for the database is sent with rows already in
its parameter order: the values that are the same on every row (the import's moment, the
first version) are converted once, and only the columns whose type converts anything are
converted per row. Where the statement does not take plain positional values in the order
given (named parameters, a column filled by a default), the rows go through SQLAlchemy.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session


def insert_rows(
    session: Session,
    table: Table,
    keys: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
    same: Mapping[str, object],
) -> None:
    """INSERT `rows` (values in `keys` order), each with the values `same` gives every row."""
    if not rows:
        return
    conn = session.connection()
    dialect = conn.dialect
    names = [*keys, *same]
    statement = insert(table)
    compiled = statement.compile(dialect=dialect, column_keys=names)
    order = list(compiled.positiontup or ())
    if not _plain_positional(compiled.positional, order, names):
        fixed = tuple(same.values())
        session.execute(statement, [dict(zip(names, row + fixed, strict=True)) for row in rows])
        return
    fixed = tuple(_convert(table, key, dialect, value) for key, value in same.items())
    for i, key in enumerate(keys):
        convert = _converter(table, key, dialect)
        if convert is None:
            continue
        if convert(None) is None:
            # Mostly empty (a birthday): only the rows that have one are converted.
            rows = [row if row[i] is None else _converted(row, i, convert) for row in rows]
        else:
            rows = [_converted(row, i, convert) for row in rows]
    if order == names:
        params = [row + fixed for row in rows]
    else:
        # The statement lists the columns in the table's order.
        pick = operator.itemgetter(*(names.index(name) for name in order))
        params = [pick(row + fixed) for row in rows]
    conn.exec_driver_sql(compiled.string, params)


def _plain_positional(positional: bool, order: list[str], names: list[str]) -> bool:
    """Whether the statement takes exactly these values, by place (SQLite's driver does)."""
    return positional and sorted(order) == sorted(names)


def _converter(table: Table, key: str, dialect: Dialect) -> Callable[[Any], Any] | None:
    """What SQLAlchemy does to a value of this column before the driver sees it, if anything."""
    return table.c[key].type.dialect_impl(dialect).bind_processor(dialect)


def _convert(table: Table, key: str, dialect: Dialect, value: object) -> object:
    convert = _converter(table, key, dialect)
    return value if convert is None else convert(value)


def _converted(row: tuple[Any, ...], i: int, convert: Callable[[Any], Any]) -> tuple[Any, ...]:
    return (*row[:i], convert(row[i]), *row[i + 1 :])
