"""A shared server: upgrades one at a time, an older deckfollow told whom to ask, and
`deckfollow backup` of a team database with pg_dump (or a JSON export without it)."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from deckfollow.core.errors import SchemaTooNewError
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.storage import schema
from deckfollow.storage.database import open_database
from deckfollow.storage.migrate import downgrade_to
from deckfollow.storage.pg_backup import find_pg_dump
from deckfollow.storage.team_schema import MIGRATE_LOCK_KEY
from tests.storage.pg_server import postgres_server

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def pg_url() -> Iterator[str]:
    with postgres_server() as url:
        yield url


def test_two_members_starting_a_newer_deckfollow_upgrade_once(pg_url: str):
    db = open_database(pg_url)
    downgrade_to(db.engine, "0003")
    db.close()
    # Hold the upgrade lock as a third party would, so both openers must queue behind it.
    holder = create_engine(pg_url)
    conn = holder.connect()
    conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATE_LOCK_KEY})
    outcomes: list[str] = []

    def start() -> None:
        try:
            open_database(pg_url).close()
            outcomes.append("ok")
        except Exception as exc:  # the point: neither may fail half-way through
            outcomes.append(repr(exc))

    members = [threading.Thread(target=start) for _ in range(2)]
    for t in members:
        t.start()
    conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATE_LOCK_KEY})
    conn.close()
    holder.dispose()
    for t in members:
        t.join(60)
    assert outcomes == ["ok", "ok"]
    db = open_database(pg_url)
    with db.engine.connect() as c:
        assert c.execute(text("SELECT version_num FROM alembic_version")).scalar() == schema.HEAD
        by = c.execute(text("SELECT value FROM setting WHERE key = 'schema.upgraded_by'")).scalar()
        assert str(by).startswith("deckfollow ")  # the login that upgraded, then the version
    db.close()


def test_an_older_deckfollow_is_told_who_upgraded(pg_url: str):
    db = open_database(pg_url)
    with db.engine.begin() as c:
        c.execute(text("UPDATE alembic_version SET version_num = '0099'"))
        c.execute(text("UPDATE setting SET value = 'dana 9.9' WHERE key = 'schema.upgraded_by'"))
    db.close()
    with pytest.raises(SchemaTooNewError, match=r"ask dana \(deckfollow 9\.9\) to update"):
        open_database(pg_url)


@pytest.mark.skipif(find_pg_dump() is None, reason="PostgreSQL's client tools are not here")
def test_backup_of_a_team_database_runs_pg_dump_and_says_so(
    pg_url: str, tmp_path: Path, now: datetime
):
    db = open_database(pg_url)
    with db.unit_of_work() as s:
        add_lead(s, NewLead("Kept Safe", phone="+61412000444", country="AU"), now=now)
    db.close()
    out = tmp_path / "team.dump"
    done = subprocess.run(
        [sys.executable, "-m", "deckfollow", "--db", pg_url, "backup", "--out", str(out)],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "with pg_dump" in done.stdout and "pg_restore" in done.stdout
    listed = subprocess.run(
        [str(Path(find_pg_dump() or "").with_name("pg_restore")), "--list", str(out)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "TABLE DATA public customer" in listed.stdout
    assert "TABLE DATA public consent_event" in listed.stdout


def test_without_pg_dump_the_backup_is_a_json_export_and_says_so(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    from deckfollow.cli.main import main
    from deckfollow.storage import pg_backup

    monkeypatch.setattr(pg_backup, "find_pg_dump", lambda: None)
    out = tmp_path / "team.json"
    assert main(["--db", pg_url, "backup", "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert "pg_dump is not installed" in said and "JSON export" in said
    assert '"customers"' in out.read_text(encoding="utf-8")
