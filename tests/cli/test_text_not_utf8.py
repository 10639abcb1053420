"""Rows holding bytes that are not UTF-8 (written by another program into the file) are read
with the bad bytes shown as "�": every command still works, and the row can be put right."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.cli.helpers import run_cli
from tests.conftest import FROZEN_NOW

NOW = FROZEN_NOW.isoformat()


@pytest.fixture
def damaged(template_db: tuple[Path, dict[str, int]], tmp_path: Path) -> tuple[Path, int]:
    source, ids = template_db
    path = tmp_path / "business.db"
    shutil.copy(source, path)
    with sqlite3.connect(path) as conn:
        # "Müller" in Latin-1, a job and a reason cut mid-character, a setting in cp1252.
        conn.execute(
            "UPDATE customer SET display_name = CAST(X'4DFC6C6C6572' AS TEXT),"
            " notes = CAST(X'476174652063C3' AS TEXT) WHERE id = ?",
            (ids["customer"],),
        )
        conn.execute("UPDATE quote SET job = CAST(X'4465636B2096' AS TEXT)")
        conn.execute("UPDATE follow_up SET reason = CAST(X'436865636BFF' AS TEXT)")
        conn.execute(
            "UPDATE setting SET value = CAST(X'486172626F7572926B' AS TEXT)"
            " WHERE key = 'business_name'"
        )
    return path, ids["customer"]


@pytest.mark.parametrize(
    "command",
    [
        ("customer", "list"),
        ("customer", "list", "--json"),
        ("customer", "show", "{id}"),
        ("quote", "list", "--json"),
        ("settings", "show"),
        ("due", "--json"),
        ("report", "--json"),
        ("consent", "ledger", "--customer", "{id}"),
        ("trash", "list"),
        ("export", "--format", "json", "--out", "{tmp}/out.json"),
        ("ics", "--out", "{tmp}/out.ics"),
    ],
)
def test_every_command_reads_text_that_is_not_utf8(
    damaged: tuple[Path, int], tmp_path: Path, command: tuple[str, ...]
) -> None:
    path, customer = damaged
    args = [a.format(id=customer, tmp=tmp_path) for a in command]
    done = run_cli("--db", str(path), "--now", NOW, *args)
    assert done.returncode == 0, done.stderr
    assert "cannot reach" not in done.stderr


def test_the_damaged_name_shows_and_can_be_corrected(damaged: tuple[Path, int]) -> None:
    path, customer = damaged
    base = ("--db", str(path), "--now", NOW)
    shown = run_cli(*base, "customer", "show", str(customer), "--json")
    details = json.loads(shown.stdout)
    assert (details["name"], details["notes"]) == ("M\ufffdller", "Gate c\ufffd")
    assert run_cli(*base, "settings", "show", "--json").stdout.count("Harbour\ufffdk") == 1
    fixed = run_cli(*base, "customer", "edit", str(customer), "--name", "Müller")
    assert fixed.returncode == 0, fixed.stderr
    found = json.loads(run_cli(*base, "customer", "list", "--search", "muller", "--json").stdout)
    assert [c["name"] for c in found] == ["Müller"]
    # Erasing them (a privacy request) is not blocked by the damaged text either.
    erased = run_cli(*base, "erase", str(customer), "--yes")
    assert erased.returncode == 0, erased.stderr
