"""The report on a team database: the same hand-built business gives the same figures on
PostgreSQL as on SQLite (time differences and zero floors are dialect-specific SQL)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from deckfollow.storage.database import Database, open_database
from tests.core import test_reports as on_sqlite
from tests.core.test_reports import Q, shop  # noqa: F401 - `shop` is a fixture
from tests.storage.pg_server import postgres_server


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    with postgres_server() as url:
        yield url


@pytest.fixture
def db(pg_url: str) -> Iterator[Database]:
    """A fresh PostgreSQL database in place of the SQLite file (`shop` builds on it)."""
    from sqlalchemy import text

    admin = open_database(pg_url)
    with admin.engine.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
        conn.commit()
    admin.close()
    database = open_database(pg_url)
    yield database
    database.close()


def test_every_figure_matches_the_hand_count_on_postgres(
    db: Database,
    shop: dict[str, Q],  # noqa: F811
) -> None:
    on_sqlite.test_every_figure_matches_the_hand_count(db, shop)


def test_the_quotes_behind_each_figure_on_postgres(
    db: Database,
    shop: dict[str, Q],  # noqa: F811
) -> None:
    on_sqlite.test_the_quotes_behind_each_figure_are_the_ones_it_counts(db, shop)
