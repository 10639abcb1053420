"""Reading what a backup (or a replaced database) holds without writing to it or beside it."""

from __future__ import annotations

import sqlite3
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from deckfollow.core.errors import StorageError
from deckfollow.storage.integrity import connect_read_only

# One customer's id, name, email and cell, office and home phone.
ContactRow = tuple[int, str, str | None, str | None, str | None, str | None]


@contextmanager
def read_only_session(db_path: Path) -> Iterator[Session]:
    """A session on a read-only connection to `db_path`; any failure to read the file
    (opening it or a query inside the block) is raised as StorageError."""
    engine = create_engine(
        "sqlite://", creator=lambda: connect_read_only(db_path), poolclass=NullPool
    )
    try:
        with Session(engine) as session:
            yield session
    except (SQLAlchemyError, sqlite3.Error) as exc:
        raise StorageError(str(exc)) from exc
    finally:
        engine.dispose()


def customer_contacts(db_path: Path) -> Generator[ContactRow, None, None]:
    """Every customer's contact details in the file, read-only; a file that cannot be read
    (or stops being readable) yields what it could."""
    try:
        conn = connect_read_only(db_path)
    except sqlite3.Error:
        return
    try:
        yield from conn.execute(
            "SELECT id, display_name, email, phone_cell, phone_office, phone_home FROM customer"
        )
    except sqlite3.Error:
        return
    finally:
        conn.close()
