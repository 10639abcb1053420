"""A real PostgreSQL server per test module, and an emptied business after each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text

from deckfollow.core.settings import save_setting
from deckfollow.storage.database import Database, open_database
from tests.storage.pg_server import postgres_server

# Children before parents, so no foreign key stands in the way.
_TABLES = (
    "touch",
    "channel_consent",
    "consent_event",
    "follow_up",
    "cadence_run",
    "quote",
    "customer",
    "setting",
    "suppression",
    "cadence_step",
    "cadence",
)


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    with postgres_server() as url:
        yield url


@pytest.fixture
def pg(pg_url: str) -> Iterator[Database]:
    """The module's server, migrated, for an owner in Sydney; every row the test wrote is
    gone after it."""
    db = open_database(pg_url)
    with db.unit_of_work() as s:
        save_setting(s, "default_country", "AU")
        save_setting(s, "owner_timezone", "Australia/Sydney")
    yield db
    with db.engine.begin() as conn:
        # The ledger gives up entries only for customers in the trash.
        conn.execute(text("UPDATE customer SET deleted_at = CURRENT_TIMESTAMP"))
        for table in _TABLES:
            conn.execute(text(f"DELETE FROM {table}"))
    db.close()
