"""Migration 0004 (members, quote owners, who made each touch and follow-up) from 0003,
on a business with data, on SQLite and on the real PostgreSQL server."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, text

from deckfollow.core.cadence_library import seed_builtin_cadences
from deckfollow.core.enums import Stage
from deckfollow.core.pipeline import move_stage
from deckfollow.demo.generator import generate_demo
from deckfollow.storage import schema
from deckfollow.storage.database import Database, open_database
from deckfollow.storage.migrate import downgrade_to
from tests.storage.pg_server import postgres_server

TABLES = ("customer", "quote", "touch", "follow_up", "consent_event", "channel_consent")


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}


def _business_at_0003(db: Database, now: datetime) -> dict[str, int]:
    with db.unit_of_work() as s:
        seed_builtin_cadences(s)
        generate_demo(s, customers=30, quotes=60, seed=11, now=now)
    downgrade_to(db.engine, "0003")
    columns = {c["name"] for c in inspect(db.engine).get_columns("quote")}
    assert "owner" not in columns and "member" not in inspect(db.engine).get_table_names()
    counts = _counts(db.engine)
    assert counts["touch"] > 0 and counts["follow_up"] > 0
    return counts


def _check_upgraded(target: str, before: dict[str, int], now: datetime) -> None:
    db = open_database(target)  # migrates 0003 -> head
    try:
        assert _counts(db.engine) == before
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
                schema.HEAD
            )
            # Nobody was recorded before: old rows name nobody rather than a guess.
            assert (
                conn.execute(text("SELECT count(*) FROM touch WHERE member IS NOT NULL")).scalar()
                == 0
            )
            quote_id = conn.execute(
                text("SELECT id FROM quote WHERE stage = 'lead' ORDER BY id LIMIT 1")
            ).scalar_one()
        # New work on the upgraded business names its member.
        with db.unit_of_work() as s:
            move_stage(s, quote_id, Stage.QUOTED, now=now)
        with db.engine.connect() as conn:
            by = conn.execute(
                text("SELECT stage_changed_by FROM quote WHERE id = :q"), {"q": quote_id}
            ).scalar_one()
        assert by
    finally:
        db.close()


def test_0003_to_0004_on_sqlite_keeps_every_row(tmp_path: Path, now: datetime):
    path = tmp_path / "business.db"
    db = open_database(str(path))
    with db.unit_of_work() as s:
        s.execute(text("INSERT INTO setting (key, value) VALUES ('owner_name', 'Dana Owner')"))
    before = _business_at_0003(db, now)
    db.close()
    _check_upgraded(str(path), before, now)


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    with postgres_server() as url:
        yield url


def test_0003_to_0004_on_postgresql_keeps_every_row(pg_url: str, now: datetime):
    db = open_database(pg_url)
    before = _business_at_0003(db, now)
    db.close()
    _check_upgraded(pg_url, before, now)
