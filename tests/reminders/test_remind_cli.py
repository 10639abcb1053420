"""`deckfollow remind --once`: what a cron job or login script shows, once."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from deckfollow.storage.database import Database
from tests.cli.helpers import run_cli

from .helpers import add_follow_up

SYD = ZoneInfo("Australia/Sydney")


def test_remind_once_shows_each_reminder_only_once(db: Database, db_path: Path, now: datetime):
    add_follow_up(
        db, now, datetime(2026, 11, 23, 10, tzinfo=SYD), name="Jane Smith", reason="Deck colour"
    )
    args = ("--db", str(db_path), "--now", "2026-11-23T10:00+11:00", "remind", "--once")
    first = run_cli(*args, "--print-only")
    assert first.returncode == 0, first.stderr
    assert (
        "Call Jane Smith\n  Deck colour\n  Due Mon 23 Nov 10:00 am (Australia/Sydney)"
        in first.stdout
    )
    # The digest was due (07:30) and came along, once.
    assert "Today: 1 call" in first.stdout
    again = run_cli(*args, "--json")
    assert again.returncode == 0, again.stderr
    data = json.loads(again.stdout)
    assert data["notices"] == []
    assert data["next_check"] == "2026-11-23T20:30:00+00:00"  # tomorrow's digest, 07:30 Sydney


def test_concurrent_checks_share_out_reminders_without_repeats(
    db: Database, db_path: Path, now: datetime
):
    import os
    import subprocess
    import sys

    ids = {
        add_follow_up(db, now, datetime(2026, 11, 23, 10, tzinfo=SYD), name=f"Busy {i}")
        for i in range(40)
    }
    args = [
        sys.executable,
        "-m",
        "deckfollow",
        "--db",
        str(db_path),
        "--now",
        "2026-11-23T12:00+11:00",
        "remind",
        "--once",
        "--print-only",
        "--json",
    ]
    procs = [
        subprocess.Popen(
            args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ
        )
        for _ in range(4)
    ]
    claimed: list[int] = []
    digests = 0
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        for notice in json.loads(out)["notices"]:
            if notice["kind"] == "digest":
                digests += 1
            else:
                claimed += notice["follow_up_ids"]
    assert sorted(claimed) == sorted(ids)  # every one once, none twice
    assert digests == 1
