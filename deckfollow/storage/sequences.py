"""Keeping PostgreSQL's id sequences ahead of rows inserted with explicit ids.

A bulk insert that gives its own ids (the demo, a copy of a business) leaves a serial
column's sequence where it was, so the next ordinary insert would reuse an id that is
taken. SQLite needs nothing: it numbers past the largest id by itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import text
from sqlalchemy.orm import Session


def advance_sequences(session: Session, tables: Iterable[str]) -> None:
    """Move each table's id sequence past its largest id (PostgreSQL only; no-op elsewhere)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for name in tables:
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                f"GREATEST(COALESCE(MAX(id), 0), 1), MAX(id) IS NOT NULL) FROM {name}"
            )
        )
