"""Automatic rotating backups, backups before a change, and restore round trips."""

from __future__ import annotations

import sqlite3
import stat
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from deckfollow.core.errors import StorageError
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.models import Customer
from deckfollow.core.restore import restore_from
from deckfollow.storage.backup import backup_dir_for
from deckfollow.storage.backup_catalogue import list_backups
from deckfollow.storage.backup_copies import backup_before, backup_to
from deckfollow.storage.backup_rotation import KEEP_DAILY, KEEP_WEEKLY, auto_backup
from deckfollow.storage.database import Database, open_database


def _add(db: Database, name: str, now: datetime) -> int:
    with db.unit_of_work() as s:
        return add_lead(
            s,
            NewLead(name, email=f"{name.split(maxsplit=1)[0].lower()}@example.com", answered=True),
            now=now,
        ).customer_id


def _names(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute("SELECT display_name FROM customer")}


def test_backup_before_an_import_holds_rows_still_in_the_write_ahead_log(
    db: Database, db_path: Path, now: datetime
):
    for i in range(30):
        _add(db, f"Person {i}", now)
    path = backup_before(db, "import contacts.csv", now=now)
    assert path is not None
    assert path.parent == backup_dir_for(db_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700  # the backups folder too
    assert len(_names(path)) == 30
    [info] = list_backups(db_path)
    assert (info.kind, info.reason, info.taken_at) == ("before", "import-contacts-csv", now)
    assert info.description == "Before import contacts csv"
    assert info.size == path.stat().st_size


def test_two_backups_in_the_same_second_do_not_overwrite_each_other(
    db: Database, db_path: Path, now: datetime
):
    _add(db, "Ada Lovelace", now)
    first = backup_before(db, "import", now=now)
    _add(db, "Alan Turing", now)
    second = backup_before(db, "import", now=now)
    assert first is not None and second is not None and first != second
    assert _names(first) == {"Ada Lovelace"}
    assert _names(second) == {"Ada Lovelace", "Alan Turing"}
    assert [b.path for b in list_backups(db_path)] == [second, first]


def test_backups_taken_while_the_app_keeps_writing_are_good_snapshots(
    db: Database, db_path: Path, now: datetime
):
    """The app writes (a reminder, a logged call) while the daily copy is being made."""
    import threading

    for i in range(50):
        _add(db, f"Person {i}", now)
    stop = threading.Event()

    def keep_writing() -> None:
        conn = sqlite3.connect(db_path, isolation_level=None)
        conn.execute("PRAGMA busy_timeout = 5000")
        n = 0
        while not stop.is_set():
            conn.execute("INSERT INTO setting (key, value) VALUES (?, 'x')", (f"busy.{n}",))
            n += 1
        conn.close()

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        made = [backup_before(db, "import", now=now) for _ in range(8)]
    finally:
        stop.set()
        writer.join()
    for path in made:
        assert path is not None and len(_names(path)) == 50
        with sqlite3.connect(path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert not list(backup_dir_for(db_path).glob(".*.part"))  # no half copy left behind


def test_a_copy_cut_short_is_never_a_backup_and_is_cleared_away(
    db: Database, db_path: Path, now: datetime
):
    import os
    import time

    _add(db, "Ada Lovelace", now)
    backup_before(db, "import", now=now)
    folder = backup_dir_for(db_path)
    cut = folder / f".{db_path.stem}-daily-20261121T030000Z.db.part"
    cut.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)  # a crash mid-copy
    assert [b.kind for b in list_backups(db_path)] == ["before"]
    made = auto_backup(db_path, now=now)
    assert len(made) == 2  # today's daily was not taken as already done
    assert cut.exists()  # young: it may be another program's copy in progress
    old = time.time() - 2 * 3600
    os.utime(cut, (old, old))
    backup_before(db, "import", now=now)
    assert not cut.exists()


def test_deleting_backups_takes_only_backups_of_this_database(
    db: Database, db_path: Path, now: datetime, tmp_path: Path
):
    from deckfollow.storage.backup_rotation import delete_backups

    _add(db, "Ada Lovelace", now)
    first = backup_before(db, "import", now=now)
    second = backup_before(db, "import", now=now)
    assert first is not None and second is not None
    stranger = tmp_path / "notes.db"
    stranger.write_text("mine")
    for wrong in (db_path, stranger):
        with pytest.raises(StorageError, match="is not one of the backups"):
            delete_backups(db_path, [first, wrong])
    assert first.exists() and db_path.exists() and stranger.exists()  # all or nothing
    assert delete_backups(db_path, [first]) == [first]
    assert [b.path for b in list_backups(db_path)] == [second]


def test_daily_and_weekly_backups_rotate_keeping_seven_days_and_five_weeks(
    db: Database, db_path: Path, now: datetime
):
    _add(db, "Ada Lovelace", now)
    made = auto_backup(db_path, now=now)
    assert len(made) == 2  # first run: today's daily and this week's weekly
    assert auto_backup(db_path, now=now + timedelta(hours=1)) == []  # nothing twice a day
    for day in range(1, 60):
        auto_backup(db_path, now=now + timedelta(days=day))
    backups = list_backups(db_path)
    daily = [b for b in backups if b.kind == "daily"]
    weekly = [b for b in backups if b.kind == "weekly"]
    assert len(daily) == KEEP_DAILY and len(weekly) == KEEP_WEEKLY
    assert daily[0].taken_at == now + timedelta(days=59)
    assert daily[-1].taken_at == now + timedelta(days=53)
    assert len({w.taken_at.isocalendar()[:2] for w in weekly}) == KEEP_WEEKLY
    # Each backup is one self-contained file: checking them leaves nothing beside them.
    from deckfollow.storage.integrity import latest_good_backup

    assert latest_good_backup(db_path) == backups[0]
    assert sorted(p.name for p in backup_dir_for(db_path).iterdir()) == sorted(
        b.path.name for b in backups
    )


def test_migration_backup_of_the_database_is_listed_and_kept(db_path: Path, now: datetime):
    from deckfollow.storage.migrate import downgrade_to

    database = open_database(str(db_path))
    downgrade_to(database.engine, "0001")
    database.close()
    open_database(str(db_path)).close()  # migrates, backing up first
    for day in range(30):
        auto_backup(db_path, now=now + timedelta(days=day))
    kinds = [b for b in list_backups(db_path) if b.kind == "migration"]
    assert [b.reason for b in kinds] == ["0001"]
    assert kinds[0].description == "Before upgrade (schema 0001)"


def test_backup_to_a_chosen_file_refuses_to_overwrite(
    db: Database, db_path: Path, tmp_path: Path, now: datetime
):
    _add(db, "Ada Lovelace", now)
    out = backup_to(db, tmp_path / "copy.db")
    assert _names(out) == {"Ada Lovelace"}
    with pytest.raises(StorageError, match="already exists"):
        backup_to(db, out)
    with pytest.raises(StorageError, match="the database itself"):
        backup_to(db, db_path)


def test_restore_round_trip_keeps_the_current_file_first(
    db: Database, db_path: Path, tmp_path: Path, now: datetime
):
    _add(db, "Ada Lovelace", now)
    saved = backup_to(db, tmp_path / "saved.db")
    _add(db, "Alan Turing", now)  # after the backup, still in the WAL
    db.close()
    result = restore_from(db_path, saved, now=now)
    assert result.previous_kept_at is not None
    assert _names(result.previous_kept_at) == {"Ada Lovelace", "Alan Turing"}
    reopened = open_database(str(db_path), create=False)
    with reopened.reading() as s:
        assert set(s.scalars(select(Customer.display_name))) == {"Ada Lovelace"}
    # The restored database takes new work normally.
    _add(reopened, "Grace Hopper", now)
    with reopened.reading() as s:
        assert s.scalar(select(func.count()).select_from(Customer)) == 2
    reopened.close()
    assert [b.reason for b in list_backups(db_path)] == ["restore"]


def test_restore_refuses_a_damaged_backup_and_leaves_the_database_alone(
    db: Database, db_path: Path, tmp_path: Path, now: datetime
):
    _add(db, "Ada Lovelace", now)
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"this is not a database at all" * 100)
    db.close()
    before = db_path.read_bytes()
    with pytest.raises(StorageError, match="cannot be restored"):
        restore_from(db_path, broken, now=now)
    assert db_path.read_bytes() == before
    assert list_backups(db_path) == []


def test_restoring_an_older_backup_keeps_every_newer_do_not_contact(
    db: Database, db_path: Path, tmp_path: Path, now: datetime
):
    from deckfollow.core.consent import revoke_consent
    from deckfollow.core.erasure import erase_for_good
    from deckfollow.core.models import Suppression

    ada = _add(db, "Ada Lovelace", now)
    grace = _add(db, "Grace Hopper", now)
    old = backup_to(db, tmp_path / "before-they-said-no.db")
    with db.unit_of_work() as s:
        for cid in (ada, grace):
            revoke_consent(s, cid, None, source="phone call", words="no more calls", now=now)
    erase_for_good(db, grace, now=now)
    db.close()

    result = restore_from(db_path, old, now=now)
    # Ada and Grace are marked again; Grace, erased since, is erased again.
    assert (result.do_not_contact_reapplied, result.erased_again) == (2, 1)
    restored = open_database(str(db_path), create=False)
    with restored.reading() as s:
        assert s.get(Customer, ada) is not None and s.get(Customer, ada).do_not_contact  # type: ignore[union-attr]
        assert s.get(Customer, grace) is None
        assert (s.scalar(select(func.count()).select_from(Suppression)) or 0) >= 1
    restored.close()
    wal = Path(f"{db_path}-wal")
    raw = db_path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    assert b"grace@example.com" not in raw


def test_team_mode_on_postgresql_leaves_backups_to_the_server_and_erasure_still_works(
    now: datetime,
):
    from deckfollow.core.consent import revoke_consent
    from deckfollow.core.contact_info import suppression_hash
    from deckfollow.core.erasure import erase_for_good
    from deckfollow.core.models import ConsentEvent, Suppression
    from deckfollow.storage.backup_copies import server_backup_hint
    from deckfollow.storage.instance_lock import acquire_instance_lock
    from tests.storage.pg_server import postgres_server

    with postgres_server() as url:
        db = open_database(url)
        try:
            assert backup_before(db, "import", now=now) is None  # the import may go ahead
            with pytest.raises(StorageError, match="pg_dump"):
                backup_to(db, Path("/nonexistent/copy.db"))
            assert "administrator" in server_backup_hint(db)
            assert not acquire_instance_lock(url).held  # a team shares the database
            cid = _add(db, "Grace Hopper", now)
            with db.unit_of_work() as s:
                revoke_consent(s, cid, None, source="email", words="stop", now=now)
            report = erase_for_good(db, cid, now=now)
            assert report.erased.suppressed and report.still_in_backups == []
            with db.reading() as s:
                assert s.get(Customer, cid) is None
                assert s.scalars(select(ConsentEvent)).all() == []
                assert s.scalars(select(Suppression.email_hash)).one() == suppression_hash(
                    "grace@example.com"
                )
        finally:
            db.close()


def test_restoring_a_backup_from_before_an_upgrade_brings_it_to_the_current_schema(
    db_path: Path, now: datetime
):
    from deckfollow.storage import schema
    from deckfollow.storage.migrate import downgrade_to

    database = open_database(str(db_path))
    _add(database, "Ada Lovelace", now)
    downgrade_to(database.engine, "0001")
    database.close()
    database = open_database(str(db_path))  # upgrades, keeping a pre-upgrade backup
    _add(database, "Alan Turing", now)
    database.close()
    [old] = [b for b in list_backups(db_path) if b.kind == "migration"]

    restore_from(db_path, old.path, now=now)
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == schema.HEAD
    assert _names(db_path) == {"Ada Lovelace"}
