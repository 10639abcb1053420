"""Alembic migrations: up from an empty file, down and up again with data in it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import create_engine, inspect

from deckfollow.core.models import Base
from deckfollow.storage import schema
from deckfollow.storage.database import open_database
from deckfollow.storage.migrate import downgrade_to, script_revisions, upgrade_to_head


def test_known_revisions_match_the_migration_scripts():
    assert tuple(script_revisions()) == schema.REVISIONS


def test_migrations_create_exactly_the_model_tables(tmp_path: Path):
    engine = create_engine(f"sqlite:///{tmp_path / 'm.db'}")
    upgrade_to_head(engine)
    tables = set(inspect(engine).get_table_names()) - {"alembic_version"}
    assert tables == set(Base.metadata.tables)
    for table in Base.metadata.sorted_tables:
        migrated = {c["name"] for c in inspect(engine).get_columns(table.name)}
        assert migrated == {c.name for c in table.columns}, table.name


def test_down_and_up_again_on_a_database_with_data(tmp_path: Path, now):
    from deckfollow.core.leads import NewLead, add_lead

    path = tmp_path / "data.db"
    db = open_database(str(path))
    with db.unit_of_work() as s:
        add_lead(s, NewLead("Ravi Patel", email="ravi@example.com", note="Pergola"), now=now)
    downgrade_to(db.engine, "base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    upgrade_to_head(db.engine)
    db.close()
    db = open_database(str(path))
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == schema.HEAD
    db.close()


def test_a_current_database_is_neither_migrated_nor_backed_up(tmp_path: Path, now):
    from deckfollow.core.leads import NewLead, add_lead

    path = tmp_path / "current.db"
    db = open_database(str(path))
    with db.unit_of_work() as s:
        add_lead(s, NewLead("Old Timer", email="old@example.com"), now=now)
    db.close()
    open_database(str(path)).close()
    assert not (tmp_path / "backups").exists()
