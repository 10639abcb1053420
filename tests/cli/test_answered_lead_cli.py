"""From an empty database through the command line: an answered lead's next step is not a
new lead on Sunday."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.helpers import run_cli

FRIDAY = "2026-12-04T10:00+11:00"
SUNDAY = "2026-12-06T10:00+11:00"
KEPT_WORDS = "First reply to their enquiry about a new deck, 5x4 m"


def _ok(db: Path, now: str, *args: str) -> str:
    done = run_cli("--db", str(db), "--now", now, *args)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """An empty business in Sydney, and Friday morning's enquiry (customer 1, quote 1)."""
    path = tmp_path / "answered.db"
    _ok(path, FRIDAY, "settings", "set", "country", "AU")
    _ok(path, FRIDAY, "settings", "set", "timezone", "Australia/Sydney")
    out = _ok(path, FRIDAY, "add-lead", "--name", "Mia Chen", "--phone", "0412 345 679",
              "--note", "A new deck, 5x4 m")  # fmt: skip
    assert out == "customer 1, quote 1\n"
    return path


def _due(db: Path, now: str, *args: str) -> list[dict[str, object]]:
    items: list[dict[str, object]] = json.loads(_ok(db, now, "due", "--json", *args))
    return items


def test_an_answered_lead_s_next_text_is_not_today_s_on_sunday(db: Path) -> None:
    [waiting] = _due(db, FRIDAY)
    assert (waiting["reason"], waiting["basis"], waiting["first_reply"]) == (
        KEPT_WORDS,
        "planned",
        True,
    )
    # The first reply texted; the next text planned for Tuesday with the first reply's words
    # kept as its reason.
    _ok(db, "2026-12-04T10:30+11:00", "touch", "log", "--customer", "1", "--quote", "1",
        "--channel", "text", "--direction", "out", "--outcome", "reached",
        "--follow-up", str(waiting["id"]),
        "--next-at", "2026-12-08T10:00", "--next-reason", KEPT_WORDS)  # fmt: skip
    assert _due(db, SUNDAY) == []
    assert _ok(db, SUNDAY, "due") == "Nothing due on Sun 6 Dec 2026 and nothing overdue.\n"
    [tuesday] = _due(db, SUNDAY, "--on", "2026-12-08")
    assert (tuesday["due_at"], tuesday["first_reply"]) == ("2026-12-08T10:00:00+11:00", False)
