"""The `due` command reads a SQLite file with sqlite3 alone: the same statement SQLAlchemy
sends, the same items, over a demo business's revoked channels, paused plans, snoozes,
trash and do-not-contact customers."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, cast
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.dialects import sqlite

from deckfollow.core.due import day_bounds, due_items, due_statement
from deckfollow.core.due_sqlite import DUE_SQL, DUE_SQL_WAITING, due_parameters, read_due_items
from deckfollow.storage.database import Database
from deckfollow.storage.integrity import connect_read_only

TZ = "Australia/Sydney"


@pytest.mark.parametrize("waiting", [False, True])
def test_the_text_is_the_statement_sqlalchemy_compiles_for_sqlite(
    now: datetime, waiting: bool
) -> None:
    _, end = day_bounds(now.astimezone(ZoneInfo(TZ)).date(), TZ)
    compiled = due_statement(end, waiting=waiting).compile(dialect=sqlite.dialect())
    assert str(compiled) == (DUE_SQL_WAITING if waiting else DUE_SQL)
    processors = cast(Mapping[str, Callable[[Any], Any]], compiled._bind_processors)
    sent = tuple(
        processors[name](compiled.params[name]) if name in processors else compiled.params[name]
        for name in compiled.positiontup or ()
    )
    assert due_parameters(end, waiting=waiting) == sent


def test_the_items_read_with_sqlite3_are_those_of_the_query(
    db: Database, db_path: Path, now: datetime
) -> None:
    from deckfollow.demo.generator import generate_demo

    with db.unit_of_work() as session:
        generate_demo(session, customers=150, quotes=300, seed=11, now=now)
    today = now.astimezone(ZoneInfo(TZ)).date()
    seen = 0
    conn = connect_read_only(db_path)
    try:
        for day in (today - timedelta(days=3), today, today + timedelta(days=30)):
            with db.reading() as session:
                expected = due_items(session, day=day, now=now, owner_tz=TZ)
            read = read_due_items(conn, day=day, now=now, owner_tz=TZ)
            assert read == expected
            assert [i.as_json() for i in read] == [i.as_json() for i in expected]
            seen += len(read)
    finally:
        conn.close()
    assert seen > 30  # a real list was compared, not two empty ones
