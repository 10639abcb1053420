"""`deckfollow import` end to end: the real command in a subprocess on a real database."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.exchange.import_helpers import DATA

from .helpers import run_cli

NOW = "2026-11-22T22:00:00Z"


def _set_au(db: Path) -> None:
    # The owner's default country decides how "0412 …" numbers are read.
    with sqlite3.connect(db) as con:
        con.execute("insert into setting(key, value) values ('default_country', 'AU')")
        con.execute("insert into setting(key, value) values ('owner_timezone', 'Australia/Sydney')")


def _count(db: Path) -> int:
    with sqlite3.connect(db) as con:
        return int(con.execute("select count(*) from customer").fetchone()[0])


def _init(tmp_path: Path) -> Path:
    db = tmp_path / "d.db"
    r = run_cli(
        "--db",
        str(db),
        "--now",
        NOW,
        "add-lead",
        "--name",
        "Zoe M",
        "--email",
        "zoe.mueller@example.com",
    )
    assert r.returncode == 0, r.stderr
    _set_au(db)
    return db


def test_json_summary_is_exactly_the_documented_shape(tmp_path: Path) -> None:
    db = _init(tmp_path)
    r = run_cli(
        "--db", str(db), "--now", NOW, "import", str(DATA / "google_contacts.csv"), "--json"
    )

    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == {
        "imported": 3,
        "duplicates": 2,
        "problems": [
            {"row": 5, "message": "has no name; not imported"},
            {"row": 6, "message": "email 'priya@@example' is not a valid address; left out"},
        ],
    }
    assert _count(db) == 4
    backups = list((tmp_path / "backups").glob("d-before-import-*.db"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as con:
        assert con.execute("select count(*) from customer").fetchone()[0] == 1


def test_dry_run_shows_the_plan_and_saves_nothing(tmp_path: Path) -> None:
    db = _init(tmp_path)
    r = run_cli(
        "--db", str(db), "--now", NOW, "import", str(DATA / "outlook_contacts.csv"), "--dry-run"
    )

    assert r.returncode == 0, r.stderr
    assert "Read outlook_contacts.csv as Outlook (UTF-8, comma-separated)." in r.stdout
    # Only the counts that apply, in the import wizard's words: no "0 already there".
    assert "3 to import · 1 problem." in r.stdout.splitlines()
    assert "already there" not in r.stdout
    assert "  row 4: phone '12' is not a valid phone number; left out" in r.stdout
    assert "Nothing was saved (--dry-run)." in r.stdout
    assert _count(db) == 1
    assert not (tmp_path / "backups").exists() or not list(
        (tmp_path / "backups").glob("*before-import*")
    )


def test_mapping_option_reads_any_spreadsheet(tmp_path: Path) -> None:
    db = _init(tmp_path)
    src = tmp_path / "kunden.csv"
    src.write_text("Kunde,Handy,Notiz\nJürgen Groß,0412 555 666,Terrasse\n", encoding="utf-8")

    refused = run_cli("--db", str(db), "import", str(src), "--json")
    assert refused.returncode != 0
    assert "no column was recognised as a name" in refused.stderr
    assert "Traceback" not in refused.stderr

    r = run_cli(
        "--db",
        str(db),
        "--now",
        NOW,
        "import",
        str(src),
        "--json",
        "--mapping",
        "Kunde=name",
        "--mapping",
        "Handy=phone_cell",
        "--mapping",
        "3=notes",
    )
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == {"imported": 1, "duplicates": 0, "problems": []}


def test_unreadable_files_give_one_clear_line(short_tmp_path: Path) -> None:
    tmp_path = short_tmp_path
    db = _init(tmp_path)
    junk = tmp_path / "photo.csv"
    junk.write_bytes(bytes(range(256)) * 20)
    r = run_cli("--db", str(db), "import", str(junk))
    assert r.returncode != 0
    assert "not a text (CSV) file" in r.stderr
    assert "Traceback" not in r.stderr

    missing = run_cli("--db", str(db), "import", str(tmp_path / "nope.csv"))
    assert missing.returncode == 2  # bad input, like any other wrong argument
    assert missing.stderr == f"deckfollow: error: file: there is no file {tmp_path / 'nope.csv'}\n"

    workbook = tmp_path / "contacts.xlsx"
    workbook.write_bytes(b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)) * 8)
    r = run_cli("--db", str(db), "import", str(workbook))
    assert r.returncode == 2
    assert "contacts.xlsx is a spreadsheet workbook, not a CSV file" in r.stderr
    assert "Save As (or Export) › CSV" in r.stderr


def test_a_row_whose_state_is_not_of_its_country_is_named_and_the_rest_imports(
    tmp_path: Path,
) -> None:
    from tests.exchange.import_helpers import csv_bytes

    db = _init(tmp_path)
    path = tmp_path / "contacts.csv"
    path.write_bytes(
        csv_bytes(
            ["Name", "Mobile Phone", "Region", "Country"],
            [
                ["Ann Lee", "0412 111 001", "NSW", "Australia"],
                ["Tex Ranger", "0412 111 006", "Texas", "Australia"],
                ["Bo Chen", "0412 111 002", "Victoria", "Australia"],
            ],
        )
    )
    r = run_cli("--db", str(db), "--now", NOW, "import", str(path))

    assert r.returncode == 0, r.stderr
    assert "row 3: state or region 'Texas' is not a state of Australia" in r.stdout
    assert _count(db) == 3  # Zoe, Ann and Bo
    with sqlite3.connect(db) as con:
        regions = dict(con.execute("select display_name, region from customer"))
    assert regions["Bo Chen"] == "VIC" and "Tex Ranger" not in regions
