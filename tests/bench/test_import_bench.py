"""Importing 50,000 contacts from a Google Contacts CSV, against a bare csv + sqlite3 baseline.

The baseline reads the same bytes with csv.DictReader and inserts the same rows with
sqlite3.executemany into a plain table: no phone normalisation, no email validation, no
duplicate or do-not-contact checks. The ratio says what all of that checking costs (goal:
at most 10x). Both sides are timed in CPU seconds of this process: the machine is shared, and
a busy moment would otherwise land on one side only.
"""

from __future__ import annotations

import csv
import io
import sqlite3
import time
from datetime import datetime
from pathlib import Path

import pytest

from deckfollow.core.settings import save_setting
from deckfollow.exchange.csv_import import import_table, plan_import
from deckfollow.exchange.csv_sniff import read_csv
from deckfollow.storage.database import Database, open_database
from tests.bench.report import record
from tests.exchange.import_helpers import contacts_csv

pytestmark = pytest.mark.bench

CONTACTS = 50_000
RUNS = 3


def _fresh_db(path: Path) -> Database:
    db = open_database(str(path))
    with db.unit_of_work() as s:
        save_setting(s, "default_country", "AU")
        save_setting(s, "owner_timezone", "Australia/Sydney")
    return db


def _bare(path: Path, data: bytes) -> float:
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute(
        "CREATE TABLE customer (id INTEGER PRIMARY KEY, first TEXT, last TEXT, email TEXT, "
        "phone TEXT, street TEXT, suburb TEXT, region TEXT, postcode TEXT, notes TEXT)"
    )
    started = time.process_time()
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    con.executemany(
        "INSERT INTO customer (first, last, email, phone, street, suburb, region, postcode, "
        "notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (
                r["First Name"],
                r["Last Name"],
                r["E-mail 1 - Value"],
                r["Phone 1 - Value"],
                r["Address 1 - Street"],
                r["Address 1 - City"],
                r["Address 1 - Region"],
                r["Address 1 - Postal Code"],
                r["Notes"],
            )
            for r in reader
        ),
    )
    con.commit()
    took = time.process_time() - started
    con.close()
    return took


def test_import_50k_contacts(tmp_path: Path, now: datetime) -> None:
    data = contacts_csv(CONTACTS)
    ours: list[float] = []
    again: list[float] = []
    bare: list[float] = []
    for run in range(RUNS):
        db = _fresh_db(tmp_path / f"import-{run}.db")
        started = time.process_time()
        with db.unit_of_work() as s:
            plan = import_table(s, read_csv(data), now=now)
        ours.append(time.process_time() - started)
        assert plan.imported == CONTACTS, plan.problems[:3]
        # The same file again: every row is found to be a duplicate, nothing is added.
        started = time.process_time()
        with db.reading() as s:
            repeat = plan_import(s, read_csv(data))
        again.append(time.process_time() - started)
        assert repeat.duplicates == CONTACTS
        db.close()
        bare.append(_bare(tmp_path / f"bare-{run}.db", data))
    took, dup, floor = sorted(ours)[1], sorted(again)[1], sorted(bare)[1]
    record("import", f"{CONTACTS} Google contacts imported (median of {RUNS}): CPU", took, "s")
    record("import", "contacts per CPU second", CONTACTS / took, "/s")
    record("import", "bare csv.DictReader + sqlite3 executemany, same rows: CPU", floor, "s")
    record("import", "import / bare baseline", took / floor, "x", "≤ 10")
    record("import", f"preview of the same {CONTACTS} again (all duplicates): CPU", dup, "s")


def test_import_command_50k(tmp_path: Path) -> None:
    """The whole `deckfollow import` command: start, backup, read, check, save, report."""
    import json
    import subprocess
    import sys

    src = tmp_path / "contacts.csv"
    src.write_bytes(contacts_csv(CONTACTS))
    db_path = tmp_path / "cli.db"
    _fresh_db(db_path).close()
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "deckfollow", "--db", str(db_path), "import", str(src), "--json"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    took = time.perf_counter() - started
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["imported"] == CONTACTS
    record("import", f"deckfollow import of {CONTACTS} contacts, whole command", took, "s")
