"""Any folder name holds a business: `#`, `?`, `%`, `%25`, spaces and accents.

A path pasted into a SQLite URI or a SQLAlchemy URL sent the data to a stray file beside
the folder (`Jobs #2/` wrote to `Jobs `), made every backup an empty file called verified,
and restored an empty database from `Backups #1/`. Each storage entry point is run in such
folders, and nothing may appear outside the folder it was given.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest
from sqlalchemy import select

from deckfollow.cli.main import main
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.models import Customer
from deckfollow.core.restore import restore_from
from deckfollow.storage.backup_catalogue import list_backups, take_backup
from deckfollow.storage.backup_copies import backup_to
from deckfollow.storage.database import open_database
from deckfollow.storage.engine_url import sqlite_url
from deckfollow.storage.integrity import check_integrity
from deckfollow.storage.migrate import downgrade_to
from deckfollow.storage.uri import sqlite_file_uri

FOLDERS = [
    "Jobs #2",
    "What? Jobs",
    "100% sure",
    "a%25b",
    "My Jobs 2026",
    "Café Ünïcødé ☃",
    "#?%25 é",
]


def _names(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:  # a plain path, never a URI: the real file
        return {r[0] for r in conn.execute("SELECT display_name FROM customer")}


def _everything_under(root: Path) -> set[Path]:
    return {p.relative_to(root) for p in root.rglob("*")}


@pytest.mark.parametrize("folder", FOLDERS)
def test_open_check_backup_and_restore_use_the_file_in_that_folder(
    tmp_path: Path, folder: str, now: datetime, capsys: pytest.CaptureFixture[str]
):
    home = tmp_path / folder
    db_path = home / "deckfollow.db"
    db = open_database(str(db_path))
    with db.unit_of_work() as s:
        add_lead(s, NewLead("Ada Lovelace", email="ada@example.com"), now=now)
    with db.reading() as s:
        assert set(s.scalars(select(Customer.display_name))) == {"Ada Lovelace"}
    assert _names(db_path) == {"Ada Lovelace"}  # the data is in the file named, not a stray

    report = check_integrity(db_path)
    assert report.ok and report.revision is not None, report.summary()
    assert main(["--db", str(db_path), "check"]) == 0
    assert "integrity check passed (schema" in capsys.readouterr().out

    daily = take_backup(db_path, "manual", now=now)
    usb = tmp_path / f"Backups #1 {folder}" / "deckfollow copy.db"
    chosen = backup_to(db, usb)
    assert _names(daily) == _names(chosen) == {"Ada Lovelace"}
    with db.unit_of_work() as s:
        add_lead(s, NewLead("Alan Turing"), now=now)
    db.close()

    result = restore_from(db_path, usb, now=now)
    assert _names(db_path) == {"Ada Lovelace"}
    assert result.previous_kept_at is not None
    assert _names(result.previous_kept_at) == {"Ada Lovelace", "Alan Turing"}
    assert main(["--db", str(db_path), "restore", str(usb), "--yes"]) == 0
    assert _names(db_path) == {"Ada Lovelace"}
    # Nothing was written beside the folders given (no `Jobs ` file next to `Jobs #2/`).
    assert {p.parts[0] for p in _everything_under(tmp_path)} == {folder, usb.parent.name}


@pytest.mark.parametrize("folder", ["Jobs #2", "100% sure?", "a%25b é"])
def test_the_copy_before_an_upgrade_holds_the_business(tmp_path: Path, folder: str, now: datetime):
    db_path = tmp_path / folder / "deckfollow.db"
    db = open_database(str(db_path))
    with db.unit_of_work() as s:
        add_lead(s, NewLead("Grace Hopper"), now=now)
    downgrade_to(db.engine, "0001")
    db.close()
    open_database(str(db_path)).close()  # upgrades, after a copy
    [kept] = [b for b in list_backups(db_path) if b.kind == "migration"]
    assert _names(kept.path) == {"Grace Hopper"}
    assert {p.parts[0] for p in _everything_under(tmp_path)} == {folder}


def test_a_file_uri_encodes_every_character_that_means_something_in_a_uri():
    uri = sqlite_file_uri(PurePosixPath("/home/sam/Jobs #2/100% ?é/%25.db"), mode="ro")
    assert uri == "file:///home/sam/Jobs%20%232/100%25%20%3F%C3%A9/%2525.db?mode=ro"


def test_a_windows_drive_path_becomes_a_file_uri_sqlite_reads():
    path = PureWindowsPath(r"C:\Users\Sam\Jobs #2\Café 100%\deckfollow.db")
    assert sqlite_file_uri(path, mode="ro", immutable="1") == (
        "file:///C:/Users/Sam/Jobs%20%232/Caf%C3%A9%20100%25/deckfollow.db?mode=ro&immutable=1"
    )
    assert sqlite_file_uri(PureWindowsPath(r"\\server\share\Jobs #2\x.db")) == (
        "file://server/share/Jobs%20%232/x.db"
    )
    assert sqlite_url(path).database == r"C:\Users\Sam\Jobs #2\Café 100%\deckfollow.db"


def test_a_relative_path_is_made_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    assert sqlite_file_uri(Path("Jobs #2/x.db")) == (tmp_path / "Jobs #2" / "x.db").as_uri()
