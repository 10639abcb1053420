"""Alembic migrations: up from an empty file, down and up again with data in it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
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
        add_lead(
            s,
            NewLead("Ravi Patel", email="ravi@example.com", note="Pergola", answered=True),
            now=now,
        )
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
        add_lead(s, NewLead("Old Timer", email="old@example.com", answered=True), now=now)
    db.close()
    open_database(str(path)).close()
    assert not (tmp_path / "backups").exists()


def test_opening_a_0001_database_backs_it_up_then_moves_cadence_rules_into_columns(
    tmp_path: Path, now
):
    """A database written by the previous schema, with data, opened by this version."""
    import json

    from deckfollow.core.cadence_library import get_cadence
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
        add_lead(s, NewLead("After Upgrade", answered=True), now=now)
    # Down again restores the settings form, losing nothing.
    downgrade_to(db.engine, "0001")
    with sqlite3.connect(path) as conn:
        rules = conn.execute(
            "SELECT value FROM setting WHERE key = 'cadence.birthday.rules'"
        ).fetchone()[0]
    assert json.loads(rules)["anchor"] == "birthday"
    db.close()


def _table_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}


def _demo_business_at_0001(path: Path, now) -> dict[str, int]:
    """A real business (cadence steps and runs point at cadences) written by schema 0001."""
    from deckfollow.core.cadence_library import seed_builtin_cadences
    from deckfollow.demo.generator import generate_demo

    db = open_database(str(path))
    with db.unit_of_work() as s:
        seed_builtin_cadences(s)
        generate_demo(s, customers=40, quotes=90, seed=5, now=now, country="AU")
    downgrade_to(db.engine, "0001")
    db.close()
    counts = _table_counts(path)
    assert counts["cadence_step"] > 0 and counts["customer"] == 40
    return counts


def test_opening_a_0001_business_upgrades_every_row_and_reference(tmp_path: Path, now):
    path = tmp_path / "business.db"
    before = _demo_business_at_0001(path, now)
    db = open_database(str(path))
    db.close()
    after = _table_counts(path)
    # Only the cadence rules kept in settings by 0001 move (into cadence columns).
    assert after["setting"] == before["setting"] - after["cadence"]
    assert after.pop("member") == 0  # 0004's member list starts empty
    assert {k: v for k, v in after.items() if k != "setting"} == {
        k: v for k, v in before.items() if k != "setting"
    }
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == schema.HEAD
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        # 0003: the ledger the old business brought along refuses to lose an entry.
        entries = conn.execute("SELECT count(*) FROM consent_event").fetchone()[0]
        assert entries > 0
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute("DELETE FROM consent_event")
        assert conn.execute("SELECT count(*) FROM consent_event").fetchone()[0] == entries


def test_a_failing_upgrade_leaves_the_database_exactly_as_it_was(tmp_path: Path, now):
    from deckfollow.core.errors import StorageError

    path = tmp_path / "business.db"
    _demo_business_at_0001(path, now)
    with sqlite3.connect(path) as conn:
        # Old settings the new schema cannot hold: the upgrade stops half-way through.
        key = conn.execute("SELECT key FROM cadence LIMIT 1").fetchone()[0]
        rules = f"cadence.{key}.rules"
        kept = conn.execute("SELECT value FROM setting WHERE key = ?", (rules,)).fetchone()[0]
        conn.execute(
            "UPDATE setting SET value = ? WHERE key = ?", ('{"anchor": "whenever"}', rules)
        )
    before = _table_counts(path)
    with pytest.raises(StorageError) as failed:
        open_database(str(path))
    message = str(failed.value)
    assert "\n" not in message
    assert "left as it was" in message and "pre-migrate-0001" in message
    assert _table_counts(path) == before  # no half-copied table, no lost row
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
        conn.execute("UPDATE setting SET value = ? WHERE key = ?", (kept, rules))
    open_database(str(path)).close()  # once the bad value is gone the upgrade goes through
    assert _table_counts(path)["customer"] == 40


def test_the_command_line_upgrades_an_old_business_after_a_backup(tmp_path: Path, now):
    from tests.cli.helpers import run_cli

    path = tmp_path / "business.db"
    _demo_business_at_0001(path, now)
    done = run_cli("--db", str(path), "--now", "2026-11-22T22:00Z", "due", "--json")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("[")
    assert len(list((tmp_path / "backups").glob("business-pre-migrate-0001-*.db"))) == 1
