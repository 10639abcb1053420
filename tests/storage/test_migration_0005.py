"""Migration 0005 (a customer merge's own ledger entry, each quote's file in its row, the
report and due-query indexes) from 0004, on a business with data, on SQLite and on the
real PostgreSQL server — and back down without losing an entry or a file."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import DBAPIError

from deckfollow.core.cadence_library import seed_builtin_cadences
from deckfollow.core.consent_ledger import ledger_entries
from deckfollow.core.customer_merge import merge_customers
from deckfollow.core.enums import ConsentEventKind
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.models import Base
from deckfollow.core.quotes import QuoteEdit, edit_quote, quote_details
from deckfollow.demo.generator import generate_demo
from deckfollow.storage import schema
from deckfollow.storage.database import Database, open_database
from deckfollow.storage.migrate import downgrade_to
from tests.storage.pg_server import postgres_server

TABLES = ("customer", "quote", "touch", "follow_up", "consent_event", "channel_consent")
NEW_INDEXES = {
    "quote": {"ix_quote_received_at", "ix_quote_sent_at", "ix_quote_closed_at"},
    "follow_up": {"ix_follow_up_due_at"},
    "touch": {"ix_touch_follow_up_id"},
}
PDF = "/home/sam/Quotes/Q-1042 Mia Chen deck.pdf"


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}


def _indexes(engine: Engine, table: str) -> set[str]:
    return {str(i["name"]) for i in inspect(engine).get_indexes(table)}


def _business(db: Database, now: datetime) -> tuple[int, int, str]:
    """A demo business with a merge and a quote's file, written by this version."""
    with db.unit_of_work() as s:
        seed_builtin_cadences(s)
        generate_demo(s, customers=30, quotes=60, seed=11, now=now)
        keep = add_lead(s, NewLead(name="Mia Chen", email="mia@example.com", job="Deck"), now=now)
        other = add_lead(
            s, NewLead(name="Mia C", email="mia.c@example.com", job="Pergola"), now=now
        )
        edit_quote(s, keep.quote_id, QuoteEdit(file=PDF), version=None, now=now)
        merge_customers(s, keep.customer_id, other.customer_id, now=now)
    with db.reading() as s:
        merged = [
            e
            for e in ledger_entries(s, keep.customer_id)
            if e.kind is ConsentEventKind.CUSTOMER_MERGED
        ]
    assert len(merged) == 1 and "Mia C" in (merged[0].detail or "")
    return keep.customer_id, keep.quote_id, merged[0].detail or ""


def _check_at_0004(engine: Engine, quote_id: int) -> None:
    columns = {c["name"] for c in inspect(engine).get_columns("quote")}
    assert "file_path" not in columns
    for table, names in NEW_INDEXES.items():
        assert not names & _indexes(engine, table)
    with engine.connect() as conn:
        kinds = {r[0] for r in conn.execute(text("SELECT DISTINCT kind FROM consent_event"))}
        assert "customer_merged" not in kinds  # the older schema cannot hold one
        parked = conn.execute(
            text("SELECT count(*) FROM setting WHERE key LIKE 'ledger_customer_merged:%'")
        ).scalar_one()
        assert parked == 1
        kept_file = conn.execute(
            text("SELECT value FROM setting WHERE key = :k"), {"k": f"quote_file:{quote_id}"}
        ).scalar_one()
        assert kept_file == PDF


def _check_upgraded(target: str, before: dict[str, int], ids: tuple[int, int, str]) -> None:
    customer_id, quote_id, detail = ids
    db = open_database(target)  # migrates 0004 -> head
    try:
        assert _counts(db.engine) == before
        for table, names in NEW_INDEXES.items():
            assert names <= _indexes(db.engine, table)
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
                schema.HEAD
            )
            left = conn.execute(
                text(
                    "SELECT count(*) FROM setting WHERE key LIKE 'quote_file:%' "
                    "OR key LIKE 'ledger_customer_merged:%'"
                )
            ).scalar_one()
            assert left == 0
        with db.reading() as s:
            assert quote_details(s, quote_id).file == PDF
            merged = [
                e
                for e in ledger_entries(s, customer_id)
                if e.kind is ConsentEventKind.CUSTOMER_MERGED
            ]
        assert [e.detail for e in merged] == [detail]
        # The ledger's guards came through the rebuild of its table.
        with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
            conn.execute(text("UPDATE consent_event SET source = 'x'"))
        with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
            conn.execute(
                text("DELETE FROM consent_event WHERE customer_id = :c"), {"c": customer_id}
            )
        assert _counts(db.engine) == before
    finally:
        db.close()


def test_0004_to_0005_on_sqlite_keeps_every_entry_and_file(tmp_path: Path, now: datetime):
    path = tmp_path / "business.db"
    db = open_database(str(path))
    ids = _business(db, now)
    before = _counts(db.engine)
    downgrade_to(db.engine, "0004")
    _check_at_0004(db.engine, ids[1])
    assert _counts(db.engine)["consent_event"] == before["consent_event"] - 1
    db.close()
    _check_upgraded(str(path), before, ids)


def test_the_migrated_indexes_are_the_models(tmp_path: Path):
    db = open_database(str(tmp_path / "fresh.db"))
    try:
        for table in Base.metadata.sorted_tables:
            declared = {str(i.name) for i in table.indexes}
            assert _indexes(db.engine, table.name) == declared, table.name
    finally:
        db.close()


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    with postgres_server() as url:
        yield url


def test_0004_to_0005_on_postgresql_keeps_every_entry_and_file(pg_url: str, now: datetime):
    db = open_database(pg_url)
    ids = _business(db, now)
    before = _counts(db.engine)
    downgrade_to(db.engine, "0004")
    _check_at_0004(db.engine, ids[1])
    db.close()
    _check_upgraded(pg_url, before, ids)
