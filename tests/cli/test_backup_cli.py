"""The data-safety commands, run as the real `deckfollow` program."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from deckfollow.core.consent import revoke_consent
from deckfollow.core.leads import LeadCreated, NewLead, add_lead
from deckfollow.storage.database import open_database
from tests.cli.helpers import run_cli

NOW = "2026-11-22T22:00:00Z"


def _leads(db_path: Path, now: datetime, *names: str) -> list[LeadCreated]:
    db = open_database(str(db_path))
    try:
        with db.unit_of_work() as s:
            return [
                add_lead(
                    s,
                    NewLead(
                        n, email=f"{n.split()[0].lower()}@example.com", job="Deck", answered=True
                    ),
                    now=now,
                )
                for n in names
            ]
    finally:
        db.close()


def _names(db_path: Path) -> set[str]:
    with sqlite3.connect(db_path) as conn:
        return {r[0] for r in conn.execute("SELECT display_name FROM customer")}


def test_backup_list_check_and_restore_round_trip(db_path: Path, tmp_path: Path, now: datetime):
    _leads(db_path, now, "Ada Lovelace")
    out = tmp_path / "saved.db"
    r = run_cli("--db", str(db_path), "backup", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert f"Backed up to {out}" in r.stdout
    r = run_cli("--db", str(db_path), "backup", "--out", str(out))
    assert r.returncode == 1 and "already exists" in r.stderr

    _leads(db_path, now, "Alan Turing")
    r = run_cli("--db", str(db_path), "restore", str(out))  # no terminal to ask on
    assert r.returncode == 2 and "add --yes" in r.stderr
    assert _names(db_path) == {"Ada Lovelace", "Alan Turing"}

    r = run_cli("--db", str(db_path), "--now", NOW, "restore", str(out), "--yes")
    assert r.returncode == 0, r.stderr
    assert "The file it replaced is kept at" in r.stdout
    assert _names(db_path) == {"Ada Lovelace"}

    r = run_cli("--db", str(db_path), "backups", "--json")
    [kept] = json.loads(r.stdout)
    assert (kept["kind"], kept["reason"]) == ("before", "restore")
    assert _names(Path(kept["path"])) == {"Ada Lovelace", "Alan Turing"}
    r = run_cli("--db", str(db_path), "backups")
    assert "1 backup in" in r.stdout and "Before restore" in r.stdout

    r = run_cli("--db", str(db_path), "check")
    assert r.returncode == 0 and "integrity check passed" in r.stdout


def test_check_reports_a_damaged_file_and_names_the_backup_to_restore(db_path: Path, now: datetime):
    _leads(db_path, now, *[f"Customer {i}" for i in range(300)])
    assert run_cli("--db", str(db_path), "backup").returncode == 0
    data = bytearray(db_path.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 8192] = b"\x00\xff" * 4096
    db_path.write_bytes(bytes(data))
    r = run_cli("--db", str(db_path), "check")
    assert r.returncode == 1
    assert "is damaged and will not be changed" in r.stdout
    assert "To go back to it: deckfollow restore " in r.stdout
    r = run_cli("--db", str(db_path), "trash", "list")  # refused, nothing written
    assert r.returncode == 1 and "is damaged" in r.stderr
    assert db_path.read_bytes() == bytes(data)


def test_no_command_writes_to_a_damaged_database(db_path: Path, tmp_path: Path, now: datetime):
    _leads(db_path, now, *[f"Customer {i}" for i in range(300)])
    assert run_cli("--db", str(db_path), "backup").returncode == 0
    data = bytearray(db_path.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 8192] = b"\x00\xff" * 4096
    db_path.write_bytes(bytes(data))
    contacts = tmp_path / "contacts.csv"
    contacts.write_text("Name,Email\nNew Person,new@example.com\n", encoding="utf-8")
    for command in (
        ["add-lead", "--name", "Mia Chen", "--email", "mia@example.com"],
        ["import", str(contacts)],
        ["demo", "--customers", "5", "--quotes", "5"],
        ["consent", "stop", "--customer", "1", "--source", "phone"],
        ["due"],
        ["export", "--out", str(tmp_path / "all.json")],
    ):
        r = run_cli("--db", str(db_path), "--now", NOW, *command)
        assert r.returncode == 1, (command, r.stderr)
        assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
        assert "is damaged, so it was not changed" in r.stderr
        assert "to go back to it: deckfollow restore " in r.stderr
    assert db_path.read_bytes() == bytes(data)
    assert not (tmp_path / "all.json").exists()


def test_an_emptied_file_with_backups_is_damaged_not_a_new_start(db_path: Path, now: datetime):
    _leads(db_path, now, "Ada Lovelace")
    assert run_cli("--db", str(db_path), "backup").returncode == 0
    db_path.write_bytes(b"")  # a full disk or a failed copy cut it to nothing
    r = run_cli("--db", str(db_path), "--now", NOW, "add-lead", "--name", "Mia Chen")
    assert r.returncode == 1 and "the file is empty (0 bytes)" in r.stderr
    assert db_path.read_bytes() == b""
    r = run_cli("--db", str(db_path), "check")
    assert r.returncode == 1 and "deckfollow restore" in r.stdout
    lone = db_path.with_name("lone.db")
    lone.write_bytes(b"")
    r = run_cli("--db", str(lone), "due")  # reading never builds a database in it
    assert r.returncode == 1 and "no deckfollow database" in r.stderr
    assert lone.read_bytes() == b""


def test_an_unreadable_database_is_named_as_such_not_as_damaged(db_path: Path, now: datetime):
    """No permission to read the file is not damage: no damaged-file report, no restore offer."""
    import os
    import shutil
    import subprocess
    import sys
    import tempfile

    _leads(db_path, now, "Ada Lovelace")
    if os.geteuid() == 0:
        # Root reads everything: ask as an ordinary user instead.
        folder = Path(tempfile.mkdtemp())
        try:
            folder.chmod(0o711)
            path = folder / "d.db"
            shutil.copyfile(db_path, path)
            path.chmod(0o600)

            setpriv = shutil.which("setpriv")
            if setpriv is None:
                pytest.skip("setpriv is needed to ask as an ordinary user")
            nobody = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
            runs = [
                subprocess.run(
                    [*nobody, sys.executable, "-m", "deckfollow", "--db", str(path), *args],
                    capture_output=True,
                    text=True,
                    cwd="/",
                    timeout=120,
                    check=False,
                )
                for args in (["due"], ["check"])
            ]
        finally:
            shutil.rmtree(folder)
        if "deckfollow" not in runs[0].stderr:
            pytest.skip("an ordinary user cannot run this Python here")
    else:
        db_path.chmod(0)
        try:
            runs = [run_cli("--db", str(db_path), *args) for args in (["due"], ["check"])]
        finally:
            db_path.chmod(0o600)
    due, check = runs
    assert due.returncode == 1
    assert due.stderr.strip().endswith(": permission denied")
    assert "damaged" not in due.stderr
    assert check.returncode == 1 and "cannot read the file (permission denied)" in check.stdout


def test_trash_add_list_restore_empty_and_erase(db_path: Path, now: datetime):
    ada, grace = _leads(db_path, now, "Ada Lovelace", "Grace Hopper")
    db = open_database(str(db_path))
    with db.unit_of_work() as s:
        revoke_consent(s, grace.customer_id, None, source="email", words="remove me", now=now)
    db.close()
    base = ("--db", str(db_path), "--now", NOW)
    r = run_cli(*base, "trash", "add", str(ada.customer_id))
    assert r.returncode == 0, r.stderr
    assert f"undo: deckfollow trash restore {ada.customer_id}" in r.stdout
    r = run_cli(*base, "trash", "list")
    assert "Ada Lovelace (with 1 quote)" in r.stdout
    r = run_cli(*base, "trash", "restore", str(ada.customer_id))
    assert r.returncode == 0 and "Restored customer" in r.stdout
    assert run_cli(*base, "trash", "list").stdout.strip() == "The trash is empty."
    assert run_cli(*base, "trash", "add", f"q{ada.quote_id}").returncode == 0
    r = run_cli(*base, "trash", "empty")  # trashed just now: kept for 30 days
    assert "Removed 0 customers and 0 quotes" in r.stdout
    r = run_cli(*base, "trash", "empty", "--all")
    assert "Removed 0 customers and 1 quote" in r.stdout

    r = run_cli(*base, "erase", str(grace.customer_id))
    assert r.returncode == 2 and "add --yes" in r.stderr
    r = run_cli(*base, "erase", str(grace.customer_id), "--yes")
    assert r.returncode == 0, r.stderr
    assert "Grace Hopper (customer" in r.stdout and "only a hash" in r.stdout
    assert _names(db_path) == {"Ada Lovelace"}
    r = run_cli(*base, "trash", "restore", "x1")
    assert r.returncode == 2 and "not a customer id" in r.stderr


def test_restore_is_refused_while_the_app_has_the_database_open(
    db_path: Path, tmp_path: Path, now: datetime
):
    import subprocess
    import sys

    _leads(db_path, now, "Ada Lovelace")
    out = tmp_path / "saved.db"
    assert run_cli("--db", str(db_path), "backup", "--out", str(out)).returncode == 0
    hold = (
        "import sys, time\n"
        "from deckfollow.storage.instance_lock import acquire_instance_lock\n"
        "lock = acquire_instance_lock(sys.argv[1])\n"
        "print('locked', flush=True)\n"
        "time.sleep(120)\n"
    )
    app = subprocess.Popen(
        [sys.executable, "-c", hold, str(db_path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert app.stdout is not None and app.stdout.readline().strip() == "locked"
        r = run_cli("--db", str(db_path), "restore", str(out), "--yes")
        assert r.returncode == 1
        assert f"already running with deckfollow.db (process {app.pid}" in r.stderr
    finally:
        app.kill()
        app.wait()
        if app.stdout is not None:
            app.stdout.close()
    assert list((db_path.parent / "backups").glob("*")) == []  # nothing was touched
