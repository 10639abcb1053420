"""Every time option reads on the owner's clock: an owner in Sydney types the times they
see, for Ken in Fremantle WA too; an offset or Z still says the moment exactly. Results
name Ken's own time beside the owner's, and his allowed hours are still his."""

from __future__ import annotations

import re
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.cli.helpers import run_cli

# Saturday 5 December 2026, 8:00 pm in Sydney, 5:00 pm in Fremantle.
NOW = "2026-12-05T09:00:00Z"


@pytest.fixture
def ken(tmp_path: Path) -> Path:
    """An empty database, then a Sydney business and Ken in Fremantle with a quote."""
    db = tmp_path / "owner.db"
    for args in (
        ("settings", "set", "business", "Harbour Decks"),
        ("settings", "set", "country", "AU"),
        ("settings", "set", "timezone", "Australia/Sydney"),
        ("customer", "add", "--name", "Ken Perth", "--phone", "0412 345 679",
         "--city", "Fremantle", "--region", "WA", "--country", "AU"),
        ("quote", "add", "--customer", "1", "--amount", "4850.00", "--job", "Jarrah deck"),
    ):  # fmt: skip
        done = _cli(db, *args)
        assert done.returncode == 0, done.stderr
    assert '"timezone": "Australia/Perth"' in _cli(db, "customer", "show", "1", "--json").stdout
    return db


def _cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli("--db", str(db), "--now", NOW, *args)


def _log_call(db: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return _cli(
        db, "touch", "log", "--customer", "1", "--quote", "1", "--channel", "call",
        "--direction", "out", "--outcome", "reached", "--next-reason", "Go over the jarrah sample",
        *extra,
    )  # fmt: skip


def _follow_ups(db: Path) -> list[tuple[datetime, str]]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT due_at, timezone FROM follow_up WHERE status = 'pending' ORDER BY id"
        ).fetchall()
    return [(_utc(due), zone) for due, zone in rows]


def _utc(stored: str) -> datetime:
    at = datetime.fromisoformat(stored)
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


def test_next_at_is_the_owners_time_and_the_result_shows_theirs(ken: Path) -> None:
    done = _log_call(ken, "--next-at", "2026-12-07T12:00")
    assert done.returncode == 0, done.stderr
    # 12:00 pm in Sydney is 01:00 UTC (9:00 am in Perth), kept with Ken's zone.
    assert _follow_ups(ken) == [(datetime(2026, 12, 7, 1, 0, tzinfo=UTC), "Australia/Perth")]
    assert (
        "Next: call on Mon 7 Dec 12:00 pm · 9:00 am their time (planned): Go over the jarrah sample"
    ) in done.stdout


def test_an_offset_still_says_the_moment_exactly(ken: Path) -> None:
    done = _log_call(ken, "--next-at", "2026-12-07T09:00+08:00")
    assert done.returncode == 0, done.stderr
    assert "Mon 7 Dec 12:00 pm · 9:00 am their time" in done.stdout
    assert _follow_ups(ken) == [(datetime(2026, 12, 7, 1, 0, tzinfo=UTC), "Australia/Perth")]


def test_at_is_the_owners_time_too(ken: Path) -> None:
    done = _log_call(ken, "--at", "2026-12-05T14:00", "--next-at", "2026-12-07T12:00")
    assert done.returncode == 0, done.stderr
    assert (
        "Logged the call (outbound, reached) at Sat 5 Dec 2:00 pm · 11:00 am their time."
        in done.stdout
    )


def test_their_hours_are_still_theirs_and_the_refusal_reads_the_owners_clock(ken: Path) -> None:
    # 11:00 am on Monday in Sydney is 8:00 am in Perth: before Ken's hours begin.
    done = _log_call(ken, "--next-at", "2026-12-07T11:00")
    assert done.returncode == 1, done.stdout
    assert (
        "Mon 7 Dec 11:00 am · 8:00 am their time is outside the hours Ken Perth may be contacted"
        in done.stderr
    )
    assert "Nearest allowed time: Mon 7 Dec 2026 12:00 pm · 9:00 am their time." in done.stderr
    assert "Australia/Perth)" not in done.stderr
    assert _follow_ups(ken) == []


def test_consent_agree_is_typed_on_the_owners_clock(ken: Path) -> None:
    done = _cli(
        ken, "consent", "agree", "--customer", "1", "--quote", "1", "--channel", "call",
        "--on", "2026-12-07", "--at", "12:00", "--until", "13:00",
        "--reason", "Go over the jarrah sample", "--words", "Monday morning is good",
        "--source", "call",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout == "agreed follow-up 1: call Mon 7 Dec 2026 12:00 pm · 9:00 am their time\n"
    assert _follow_ups(ken) == [(datetime(2026, 12, 7, 1, 0, tzinfo=UTC), "Australia/Perth")]


@pytest.mark.parametrize(
    ("command", "option"),
    [
        (("touch", "log"), "--at"),
        (("touch", "log"), "--next-at"),
        (("send", "email"), "--next-at"),
        (("send", "text"), "--next-at"),
        (("consent", "agree"), "--at"),
    ],
)
def test_help_says_every_time_option_is_the_owners(command: tuple[str, ...], option: str) -> None:
    done = run_cli(*command, "--help")
    assert done.returncode == 0
    flat = " ".join(done.stdout.split())
    assert "their own time" not in flat and "their clock" not in flat
    options = flat.split(" options: ", 1)[1]
    described = re.search(rf"(?<![\w-]){option} \S+ (.+?)(?= --|$)", options)
    assert described is not None, options
    assert "your time" in described[1] or "your clock" in described[1], described[1]


def test_consent_and_plans_are_shown_on_the_owners_clock(ken: Path) -> None:
    granted = _cli(
        ken, "consent", "grant", "--customer", "1", "--channel", "text", "--source", "call",
        "--words", "Text me any time",
    )  # fmt: skip
    assert granted.returncode == 0, granted.stderr
    shown = _cli(ken, "consent", "show", "--customer", "1")
    assert shown.returncode == 0, shown.stderr
    # 09:00 UTC is 8:00 pm in Sydney (5:00 pm in Perth).
    assert "since Sat 5 Dec 2026 8:00 pm (call)" in shown.stdout, shown.stdout
    ledger = _cli(ken, "consent", "ledger", "--customer", "1")
    assert ledger.returncode == 0, ledger.stderr
    assert "times on your clock, Australia/Sydney" in ledger.stdout
    assert "Sat 5 Dec 2026 8:00 pm" in ledger.stdout and "5:00 pm" not in ledger.stdout
    started = _cli(ken, "cadence", "start", "after_quote", "--customer", "1", "--quote", "1")
    assert started.returncode == 0, started.stderr
    assert re.search(r"first step: \w+ .+ · .+ their time\n$", started.stdout), started.stdout
    runs = _cli(ken, "cadence", "runs", "--customer", "1")
    assert re.search(r"next \w+ .+ · .+ their time: ", runs.stdout), runs.stdout
