"""The start-up check: a damaged file is reported, never written to, and a good backup offered."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from deckfollow.core.errors import SchemaTooNewError
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.storage.backup_catalogue import list_backups
from deckfollow.storage.backup_copies import backup_before
from deckfollow.storage.backup_rotation import auto_backup
from deckfollow.storage.database import Database, open_database
from deckfollow.storage.integrity import (
    CorruptDatabaseError,
    check_before_opening,
    check_integrity,
    open_checked,
)


def _fill(db: Database, now: datetime, n: int = 200) -> None:
    with db.unit_of_work() as s:
        for i in range(n):
            add_lead(
                s,
                NewLead(f"Customer {i}", email=f"c{i}@example.com", note="x" * 200, answered=True),
                now=now,
            )


def _corrupt_middle(path: Path) -> None:
    data = bytearray(path.read_bytes())
    mid = len(data) // 2
    data[mid : mid + 4096] = b"\xde\xad\xbe\xef" * 1024
    path.write_bytes(bytes(data))


def test_sound_database_passes_with_its_schema_revision(db: Database, db_path: Path):
    report = check_integrity(db_path)
    assert report.ok and report.revision is not None
    assert "integrity check passed" in report.summary()
    assert check_integrity(db_path.with_name("none.db")).ok  # not there yet: a new one


def test_damaged_file_is_refused_untouched_and_the_latest_good_backup_offered(
    db: Database, db_path: Path, now: datetime
):
    _fill(db, now)
    auto_backup(db_path, now=now - timedelta(days=1))
    good = backup_before(db, "import", now=now)
    db.close()
    with sqlite3.connect(db_path) as conn:  # fold the WAL in so the damage hits real pages
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    _corrupt_middle(db_path)
    damaged = db_path.read_bytes()
    # A damaged newer backup is skipped when looking for a good one.
    bad_backup = backup_before_raw(db_path, now + timedelta(minutes=1))

    report = check_integrity(db_path)
    assert not report.ok
    assert report.latest_good_backup is not None
    assert report.latest_good_backup.path == good
    assert bad_backup in [b.path for b in list_backups(db_path)]
    assert "is damaged and will not be changed" in report.summary()
    assert str(good) in report.summary()

    with pytest.raises(CorruptDatabaseError) as info:
        open_checked(str(db_path))
    assert info.value.report.latest_good_backup == report.latest_good_backup
    assert db_path.read_bytes() == damaged  # nothing was written to it


def backup_before_raw(db_path: Path, when: datetime) -> Path:
    """A plain copy of the damaged file placed as the newest backup."""
    dest = db_path.parent / "backups" / f"{db_path.stem}-before-import-{when:%Y%m%dT%H%M%SZ}.db"
    dest.write_bytes(db_path.read_bytes())
    return dest


def test_a_file_that_is_not_a_database_is_reported_without_a_backup(tmp_path: Path):
    path = tmp_path / "notes.db"
    path.write_text("shopping list: nails, screws\n" * 50)
    report = check_integrity(path)
    assert report.problems == ("the file is not a SQLite database (its first bytes are wrong)",)
    assert "No good backup was found" in report.summary()


def test_broken_links_between_records_are_reported(db: Database, db_path: Path, now: datetime):
    _fill(db, now, 3)
    db.close()
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("DELETE FROM customer WHERE id = 2")
    report = check_integrity(db_path)
    assert report.foreign_key_problems == 1
    assert report.problems[0] == (
        "1 row points at a record that does not exist (quote row 2 -> customer)"
    )


def test_newer_schema_is_reported_and_left_to_the_version_check(db_path: Path):
    open_database(str(db_path)).close()
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    report = check_integrity(db_path)
    assert report.too_new and "newer version of deckfollow" in report.problems[0]
    assert "damaged" not in report.summary() and not report.damaged
    with pytest.raises(SchemaTooNewError):
        open_checked(str(db_path))


def test_a_damaged_file_never_rotates_the_good_backups_away(
    db: Database, db_path: Path, now: datetime
):
    from deckfollow.core.errors import StorageError

    _fill(db, now)
    auto_backup(db_path, now=now)
    good = list_backups(db_path)
    db.close()
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    _corrupt_middle(db_path)
    for day in range(1, 15):
        with pytest.raises(StorageError, match="failed its integrity check"):
            auto_backup(db_path, now=now + timedelta(days=day))
    assert list_backups(db_path) == good


def test_a_command_runs_the_cheap_check_and_check_runs_the_full_one(
    db: Database, db_path: Path, now: datetime, capsys: pytest.CaptureFixture[str]
):
    from deckfollow.cli.main import main

    _fill(db, now, 3)
    db.close()
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("DELETE FROM customer WHERE id = 2")
    # Following every link reads the whole file: that is for `check` and the app's start.
    assert check_integrity(db_path, full=False).ok
    assert main(["--db", str(db_path), "due", "--json"]) == 0
    capsys.readouterr()
    assert main(["--db", str(db_path), "check"]) == 1
    assert "1 row points at a record that does not exist" in capsys.readouterr().out


def test_the_cheap_check_of_a_big_file_still_reads_its_header_and_revision(
    db: Database, db_path: Path, now: datetime, monkeypatch: pytest.MonkeyPatch
):
    from deckfollow.storage import integrity

    _fill(db, now, 3)
    db.close()
    monkeypatch.setattr(integrity, "QUICK_CHECK_MAX_BYTES", 0)  # too big for quick_check
    with sqlite3.connect(db_path) as conn:
        conn.execute("DELETE FROM alembic_version")
    with pytest.raises(CorruptDatabaseError, match="schema revision is missing"):
        open_checked(str(db_path), full=False)
    data = bytearray(db_path.read_bytes())
    data[0:16] = b"not a database!!"
    db_path.write_bytes(bytes(data))
    with pytest.raises(CorruptDatabaseError, match="not a SQLite database"):
        open_checked(str(db_path), full=False)


def test_the_cheap_check_of_a_small_file_sees_a_damaged_page(
    db: Database, db_path: Path, now: datetime
):
    _fill(db, now)
    db.close()
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    _corrupt_middle(db_path)
    assert not check_integrity(db_path, full=False).ok


def test_the_app_opens_after_the_cheap_check_but_never_migrates_an_unchecked_file(
    db: Database, db_path: Path, now: datetime
) -> None:
    """Broken links only the full check finds: the app opens a current file after the cheap
    check (the full one follows once its data shows), but a file due for a migration, which
    writes to it, is checked fully first and refused."""
    _fill(db, now, 3)
    db.close()
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("DELETE FROM customer WHERE id = 2")
    report, full = check_before_opening(db_path)
    assert report.ok and not full
    report, full = check_before_opening(db_path, full=True)
    assert report.damaged and full
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0005'")
    report, full = check_before_opening(db_path)
    assert report.damaged and full
    assert report.problems[0].startswith("1 row points at a record that does not exist")
    missing, full = check_before_opening(db_path.with_name("new.db"))
    assert missing.ok and full  # a new database: nothing to check later
