"""Moving a business from its file onto the empty team server: every row, ledger entry and
suppression, counts compared, sequences moved on, the file kept."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from deckfollow.core.cadence_library import seed_builtin_cadences
from deckfollow.core.errors import StorageError
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.demo.generator import generate_demo
from deckfollow.messaging.template_library import seed_builtin_templates
from deckfollow.storage.database import open_database
from deckfollow.storage.team_move import _counts
from tests.storage.pg_server import postgres_server

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def pg_url() -> Iterator[str]:
    with postgres_server() as url:
        yield url


def _business(path: Path, now: datetime) -> None:
    db = open_database(str(path))
    with db.unit_of_work() as s:
        seed_builtin_cadences(s)
        seed_builtin_templates(s)
        generate_demo(s, customers=40, quotes=80, seed=3, now=now)
        s.execute(
            text(
                "INSERT INTO suppression (email_hash, phone_hash, created_at, reason) "
                "VALUES (:h, NULL, CURRENT_TIMESTAMP, 'privacy request')"
            ),
            {"h": hashlib.sha256(b"gone@example.com").hexdigest()},
        )
    db.close()


def test_the_command_moves_every_row_and_keeps_the_file(tmp_path: Path, pg_url: str, now):
    path = tmp_path / "mine.db"
    _business(path, now)
    before = path.read_bytes()
    # A window opened on the server first seeded the standard plans: still "empty".
    seeded = open_database(pg_url)
    with seeded.unit_of_work() as s:
        seed_builtin_cadences(s)
    seeded.close()
    moved = subprocess.run(
        [sys.executable, "-m", "deckfollow", "--db", str(path), "team", "move", "--to", pg_url],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert moved.returncode == 0, moved.stderr
    assert "counts match" in moved.stdout and "is kept as it was" in moved.stdout
    assert path.read_bytes() == before  # the file was only read
    local, server = open_database(str(path)), open_database(pg_url)
    try:
        with local.engine.connect() as a, server.engine.connect() as b:
            here, there = _counts(a), _counts(b)
            # The server also remembers who created its schema (its own bookkeeping).
            assert there.pop("setting") == here.pop("setting") + 1
            assert here == there
            assert there["consent_event"] > 0 and there["suppression"] == 1
        # Sequences moved on: a new lead on the server gets a fresh id, not a taken one.
        with server.unit_of_work() as s:
            made = add_lead(s, NewLead("After Move", phone="+61412000321", country="AU"), now=now)
        assert made.customer_id > here["customer"]
    finally:
        local.close()
        server.close()


def test_a_server_that_already_holds_a_business_is_refused(tmp_path: Path, pg_url: str, now):
    from deckfollow.storage.team_move import move_to_server

    path = tmp_path / "mine.db"
    _business(path, now)
    server = open_database(pg_url)
    with server.unit_of_work() as s:
        add_lead(s, NewLead("Someone Else", phone="+61412000111", country="AU"), now=now)
    server.close()
    local = open_database(str(path))
    try:
        with pytest.raises(StorageError, match=r"already holds data \(.*1 customer"):
            move_to_server(local, pg_url)
    finally:
        local.close()
    server = open_database(pg_url)
    with server.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM customer")).scalar() == 1
    server.close()
