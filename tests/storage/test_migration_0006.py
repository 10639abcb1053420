"""Migration 0006 (each customer's folded search key) from 0005, on a business with data, on
SQLite and on the real PostgreSQL server: every customer saved before it is found without
accents afterwards, and going back down loses nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, select, text

from deckfollow.core.cadence_library import seed_builtin_cadences
from deckfollow.core.customer_search import search_customers
from deckfollow.core.customers import NewCustomer, add_customer
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.models import SEARCHED_FIELDS, Customer
from deckfollow.core.text_folding import folded_key
from deckfollow.demo.generator import generate_demo
from deckfollow.storage import schema
from deckfollow.storage.database import Database, open_database
from deckfollow.storage.migrate import downgrade_to
from tests.storage.pg_server import postgres_server

TABLES = ("customer", "quote", "touch", "follow_up", "consent_event", "channel_consent")


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}


def _customer_columns(engine: Engine) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns("customer")}


def _business(db: Database, now: datetime) -> dict[str, int]:
    with db.unit_of_work() as s:
        seed_builtin_cadences(s)
        generate_demo(s, customers=30, quotes=60, seed=11, now=now, country="AU")
        return {
            "zoe": add_customer(
                s, NewCustomer(name="Zoë Müller", suburb="Newtown"), now=now
            ).customer_id,
            "orsted": add_lead(
                s, NewLead(name="Ørsted Electrical", phone="0412 345 001", job="Wiring"), now=now
            ).customer_id,
        }


def _at_0005(db: Database) -> None:
    """As the app before 0006 leaves a file: no key, and a name changed there."""
    downgrade_to(db.engine, "0005")
    assert "search_key" not in _customer_columns(db.engine)
    with db.engine.begin() as conn:
        conn.execute(
            text("UPDATE customer SET display_name = 'Łukasz Wróbel' WHERE display_name = :n"),
            {"n": "Ørsted Electrical"},
        )
    db.close()


def _check_upgraded(target: str, before: dict[str, int], ids: dict[str, int]) -> None:
    db = open_database(target)  # migrates 0005 -> head
    try:
        assert _counts(db.engine) == before
        with db.engine.connect() as conn:
            version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        assert version == schema.HEAD
        with db.reading() as s:
            assert [r.id for r in search_customers(s, "zoe muller")] == [ids["zoe"]]
            assert [r.id for r in search_customers(s, "LUKASZ wrobel")] == [ids["orsted"]]
            assert search_customers(s, "orsted") == []  # the name it had before is gone
            rows = s.execute(
                select(Customer.search_key, *(getattr(Customer, n) for n in SEARCHED_FIELDS))
            ).all()
        assert len(rows) == before["customer"]
        assert all(r[0] == folded_key(r[1:]) for r in rows)
    finally:
        db.close()


def test_0005_to_0006_on_sqlite_finds_every_customer_without_accents(
    tmp_path: Path, now: datetime
) -> None:
    path = tmp_path / "business.db"
    db = open_database(str(path))
    ids = _business(db, now)
    before = _counts(db.engine)
    _at_0005(db)
    _check_upgraded(str(path), before, ids)


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    with postgres_server() as url:
        yield url


def test_0005_to_0006_on_postgresql_finds_every_customer_without_accents(
    pg_url: str, now: datetime
) -> None:
    db = open_database(pg_url)
    ids = _business(db, now)
    before = _counts(db.engine)
    _at_0005(db)
    _check_upgraded(pg_url, before, ids)
