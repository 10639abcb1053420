"""Erasing a customer while another program reads the database.

The old pages holding the person stay in the write-ahead log until every reader has moved
past them; erasing said "erased" while their name, email and phone were still on disk
(10 of 10). Now it waits for the reader, or says plainly that it could not finish and
how to finish once the other program is closed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from deckfollow.cli.main import main
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.storage import scrub
from deckfollow.storage.database import open_database

NOW = "2026-11-22T22:00:00Z"
DETAILS = (b"Zebedee Quixotic", b"zebedee.quixotic@example.com", b"412345678")

READER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN")
conn.execute("SELECT * FROM customer").fetchall()  # a read transaction, holding its snapshot
print("reading", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
print("done", flush=True)
time.sleep(60)
"""


def _on_disk(db_path: Path) -> list[bytes]:
    data = b"".join(
        Path(f"{db_path}{suffix}").read_bytes()
        for suffix in ("", "-wal")
        if Path(f"{db_path}{suffix}").exists()
    )
    return [d for d in DETAILS if d in data]


def _person(db_path: Path, now) -> int:
    db = open_database(str(db_path))
    try:
        with db.unit_of_work() as s:
            add_lead(s, NewLead("Someone Else", email="else@example.com"), now=now)
            made = add_lead(
                s,
                NewLead(
                    "Zebedee Quixotic", email="zebedee.quixotic@example.com", phone="0412 345 678"
                ),
                now=now,
            )
        return made.customer_id
    finally:
        db.close()


def _reader(db_path: Path, seconds: float) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", READER, str(db_path), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "reading"
    return proc


def _stop(proc: subprocess.Popen[str]) -> None:
    proc.kill()
    proc.wait()
    if proc.stdout is not None:
        proc.stdout.close()


def test_erasing_waits_for_a_reader_and_leaves_none_of_the_details_on_disk(
    db_path: Path, now, capsys: pytest.CaptureFixture[str]
):
    cid = _person(db_path, now)
    reader = _reader(db_path, 6.5)  # longer than one busy wait of SQLite
    try:
        code = main(["--db", str(db_path), "--now", NOW, "erase", str(cid), "--yes"])
    finally:
        _stop(reader)
    out = capsys.readouterr().out
    assert code == 0 and "was erased" in out and "Not finished" not in out
    assert _on_disk(db_path) == []


def test_a_reader_that_never_lets_go_gets_an_honest_answer_and_a_way_to_finish(
    db_path: Path, now, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(scrub, "WIPE_PATIENCE_SECONDS", 0.5)
    cid = _person(db_path, now)
    reader = _reader(db_path, 120)
    try:
        code = main(["--db", str(db_path), "--now", NOW, "erase", str(cid), "--yes"])
        out = capsys.readouterr().out
        assert code == 1
        assert "Not finished: another program was reading the database" in out
        assert "deckfollow erase --wipe" in out
    finally:
        _stop(reader)
    assert main(["--db", str(db_path), "erase", "--wipe"]) == 0
    assert "wiped" in capsys.readouterr().out
    assert _on_disk(db_path) == []
