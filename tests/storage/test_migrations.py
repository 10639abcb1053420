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


def test_opening_a_0001_database_backs_it_up_then_moves_cadence_rules_into_columns(
    tmp_path: Path, now
):
    """A database written by the previous schema, with data, opened by this version."""
    import json

    from deckfollow.core.cadences import get_cadence
    from deckfollow.core.enums import CadenceAnchor
    from deckfollow.core.leads import NewLead, add_lead

    path = tmp_path / "v1.db"
    engine = create_engine(f"sqlite:///{path}")
    downgrade_target = "0001"
    upgrade_to_head(engine)
    downgrade_to(engine, downgrade_target)
    engine.dispose()
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO cadence (id, key, name, builtin) VALUES (1, 'birthday', 'Birthday', 1)"
        )
        conn.execute(
            "INSERT INTO setting (key, value) VALUES ('cadence.birthday.rules', ?)",
            (
                json.dumps(
                    {"anchor": "birthday", "repeat_yearly": True, "repeat_last_every_days": None}
                ),
            ),
        )
        conn.execute("INSERT INTO setting (key, value) VALUES ('owner_name', 'Sam')")

    db = open_database(str(path))
    backups = list((tmp_path / "backups").glob("v1-pre-migrate-0001-*.db"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
        assert conn.execute("SELECT count(*) FROM setting").fetchone()[0] == 2
    with db.reading() as s:
        spec = get_cadence(s, "birthday")
    assert spec.anchor is CadenceAnchor.BIRTHDAY and spec.repeat_yearly is True
    with sqlite3.connect(path) as conn:
        keys = [r[0] for r in conn.execute("SELECT key FROM setting")]
    assert keys == ["owner_name"]
    with db.unit_of_work() as s:  # and the migrated database takes new work
        add_lead(s, NewLead("After Upgrade"), now=now)
    # Down again restores the settings form, losing nothing.
    downgrade_to(db.engine, "0001")
    with sqlite3.connect(path) as conn:
        rules = conn.execute(
            "SELECT value FROM setting WHERE key = 'cadence.birthday.rules'"
        ).fetchone()[0]
    assert json.loads(rules)["anchor"] == "birthday"
    db.close()
