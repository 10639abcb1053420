"""Opening databases: safety settings, owner-only files, refusals with clear messages."""

from __future__ import annotations

import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from deckfollow.core.errors import SchemaTooNewError, StorageError
from deckfollow.storage import schema
from deckfollow.storage.database import Database, open_database


def test_new_database_is_owner_only_with_wal_and_foreign_keys(db: Database, db_path: Path):
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == schema.HEAD


def test_a_new_data_folder_is_owner_only(tmp_path: Path):
    import stat

    path = tmp_path / "data" / "deckfollow" / "deckfollow.db"
    open_database(str(path)).close()
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_missing_database_is_not_created_when_not_asked(tmp_path: Path):
    with pytest.raises(StorageError, match="no deckfollow database"):
        open_database(str(tmp_path / "absent.db"), create=False)
    assert not (tmp_path / "absent.db").exists()


def test_database_from_a_newer_version_is_refused_untouched(db_path: Path):
    open_database(str(db_path)).close()
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    before = db_path.read_bytes()
    with pytest.raises(SchemaTooNewError, match="newer version of deckfollow"):
        open_database(str(db_path))
    assert db_path.read_bytes() == before


def test_damaged_file_gets_a_clear_message(tmp_path: Path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StorageError, match="not a deckfollow database or it is damaged"):
        open_database(str(bad))


def test_someone_elses_sqlite_file_is_refused(tmp_path: Path):
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
    with pytest.raises(StorageError, match="not a deckfollow database"):
        open_database(str(other))


def test_a_folder_is_not_a_database(tmp_path: Path):
    with pytest.raises(StorageError, match="is a folder"):
        open_database(str(tmp_path))


def test_opening_a_current_database_does_not_import_alembic(db_path: Path):
    open_database(str(db_path)).close()
    code = (
        "import sys; from deckfollow.storage.database import open_database;"
        f"open_database({str(db_path)!r}).close();"
        "print('alembic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_consent_ledger_rows_cannot_be_rewritten(db: Database, db_path: Path, now):
    from deckfollow.core.consent import revoke_consent
    from deckfollow.core.leads import NewLead, add_lead

    with db.unit_of_work() as s:
        lead = add_lead(s, NewLead("Ann Lee", email="ann@example.com", answered=True), now=now)
        revoke_consent(s, lead.customer_id, None, source="phone call", words="stop", now=now)
    conn = sqlite3.connect(db_path)
    with conn, pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("UPDATE consent_event SET words = 'edited'")


def test_a_busy_database_says_so_and_keeps_what_was_saved(
    db_path: Path, now, monkeypatch: pytest.MonkeyPatch
):
    from deckfollow.core.leads import NewLead, add_lead
    from deckfollow.storage import database as database_module

    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_MS", 200)
    db = open_database(str(db_path))
    with db.unit_of_work() as session:
        add_lead(session, NewLead(name="Saved Before", answered=True), now=now)
    other = sqlite3.connect(db_path)
    other.execute("BEGIN EXCLUSIVE")  # another program holds the write lock
    try:
        with (
            pytest.raises(StorageError, match=r"busy.*nothing was saved"),
            db.unit_of_work() as session,
        ):
            add_lead(session, NewLead(name="Blocked Lead", answered=True), now=now)
    finally:
        other.rollback()
        other.close()
    with db.reading() as session:
        names = session.execute(text("SELECT display_name FROM customer")).scalars().all()
    db.close()
    assert names == ["Saved Before"]
