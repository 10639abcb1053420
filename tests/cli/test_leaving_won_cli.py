"""From an empty database through the command line: a quote moved back out of Won stops
the after-sale plan winning started, and winning again starts it once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.helpers import run_cli

FRIDAY = "2026-12-04T10:00+11:00"
THANKS = "Thank you for choosing us, and confirm the start date"


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


def test_moving_a_won_quote_back_stops_its_after_sale_plan(db: Path) -> None:
    monday = "2026-12-07T10:00+11:00"
    _ok(db, monday, "quote", "edit", "1", "--amount", "4850.00", "--sent", "2026-12-05")
    won = _ok(db, monday, "quote", "stage", "1", "won")
    assert won.splitlines()[:2] == [
        "Quote 1 is now Won.",
        "The after-sale follow-ups have started.",
    ]
    assert [i["reason"] for i in _due(db, monday, "--on", "2026-12-20")] == [THANKS]

    back = _ok(db, monday, "quote", "stage", "1", "following_up")
    assert back.splitlines()[0] == (
        "Quote 1 is now Following up; the after-sale plan was stopped: 1 follow-up cancelled."
    )
    assert THANKS not in _ok(db, monday, "due", "--on", "2026-12-20")
    assert _due(db, monday, "--on", "2026-12-20") == []

    again = json.loads(_ok(db, monday, "quote", "stage", "1", "won", "--json"))
    assert (again["after_sale_started"], again["after_sale_stopped"]) == (True, False)
    assert [i["reason"] for i in _due(db, monday, "--on", "2026-12-20")] == [THANKS]
    # Won again while won: still one thank-you, not a second.
    _ok(db, monday, "quote", "stage", "1", "won")
    assert [i["reason"] for i in _due(db, monday, "--on", "2026-12-20")] == [THANKS]

    out = json.loads(_ok(db, monday, "quote", "stage", "1", "quoted", "--json"))
    assert (out["after_sale_stopped"], out["follow_ups_cancelled"]) == (True, 1)
    assert _due(db, monday, "--on", "2026-12-20") == []
