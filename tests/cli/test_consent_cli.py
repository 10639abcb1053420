"""`deckfollow consent …` and `deckfollow cadence …` end to end, in a subprocess."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.cli.helpers import run_cli

NOW = "2026-11-22T22:00:00Z"  # Monday 09:00 in Sydney


@pytest.fixture
def dbfile(tmp_path: Path) -> Path:
    db = tmp_path / "d.db"
    out = run_cli(
        "--db",
        str(db),
        "--now",
        NOW,
        "add-lead",
        "--name",
        "Mia Chen",
        "--phone",
        "+61 412 345 679",
        "--country",
        "AU",
        "--answered",
    )
    assert out.returncode == 0, out.stderr
    return db


def _cli(db: Path, *args: str, now: str = NOW):
    return run_cli("--db", str(db), "--now", now, *args)


def test_stop_then_scheduling_is_refused_with_when_and_how_and_due_is_empty(dbfile: Path):
    out = _cli(
        dbfile,
        "consent",
        "agree",
        "--customer",
        "1",
        "--quote",
        "1",
        "--channel",
        "call",
        "--on",
        "2026-11-26",
        "--at",
        "17:00",
        "--until",
        "18:00",
        "--reason",
        "Answer questions on the quote",
        "--words",
        "Check in Thursday after five",
        "--source",
        "site visit",
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout == "agreed follow-up 1: call Thu 26 Nov 2026 5:00 pm\n"
    due = _cli(dbfile, "due", "--on", "2026-11-26", "--json")
    assert [d["reason"] for d in json.loads(due.stdout)] == ["Answer questions on the quote"]

    out = _cli(
        dbfile,
        "consent",
        "stop",
        "--customer",
        "1",
        "--source",
        "phone call",
        "--words",
        "Please stop contacting me",
    )
    assert out.returncode == 0, out.stderr
    due = _cli(dbfile, "due", "--on", "2026-11-26", "--json")
    assert json.loads(due.stdout) == []

    again = _cli(
        dbfile,
        "consent",
        "agree",
        "--customer",
        "1",
        "--channel",
        "text",
        "--on",
        "2026-11-27",
        "--at",
        "10:00",
        "--reason",
        "Send photos",
        "--words",
        "ok",
        "--source",
        "email",
        now="2026-11-23T01:00:00Z",
    )
    assert again.returncode == 1
    assert "asked not to be contacted at all on 23 Nov 2026 at 9:00 am (call)" in again.stderr

    show = json.loads(_cli(dbfile, "consent", "show", "--customer", "1", "--json").stdout)
    assert show["do_not_contact"] is True
    assert {c["state"] for c in show["channels"].values()} == {"revoked"}


def test_grant_needs_words_after_a_no_and_the_ledger_exports(dbfile: Path, tmp_path: Path):
    assert (
        _cli(
            dbfile,
            "consent",
            "revoke",
            "--customer",
            "1",
            "--channel",
            "text",
            "--source",
            "text",
            "--words",
            "STOP",
        ).returncode
        == 0
    )
    no_words = _cli(
        dbfile,
        "consent",
        "grant",
        "--customer",
        "1",
        "--channel",
        "text",
        "--source",
        "phone",
        "--words",
        " ",
    )
    assert no_words.returncode == 2 and "own words" in no_words.stderr
    assert (
        _cli(
            dbfile,
            "consent",
            "grant",
            "--customer",
            "1",
            "--channel",
            "text",
            "--source",
            "phone call",
            "--words",
            "Texts are fine again",
        ).returncode
        == 0
    )
    assert (
        _cli(
            dbfile,
            "consent",
            "hours",
            "--customer",
            "1",
            "--hours",
            "evenings only",
            "--source",
            "phone call",
        ).returncode
        == 0
    )
    text = _cli(dbfile, "consent", "ledger", "--customer", "1").stdout
    assert "Consent revoked" in text and '"Texts are fine again"' in text
    assert "Contact hours changed" in text

    target = tmp_path / "ledger.csv"
    out = _cli(dbfile, "consent", "ledger", "--customer", "1", "--csv", str(target))
    assert out.returncode == 0, out.stderr
    with target.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["event"] for r in rows] == [
        "Consent revoked",
        "Consent given",
        "Contact hours changed",
    ]
    pdf = tmp_path / "ledger.pdf"
    assert _cli(dbfile, "consent", "ledger", "--customer", "1", "--pdf", str(pdf)).returncode == 0
    assert pdf.read_bytes().startswith(b"%PDF")

    bad = _cli(
        dbfile, "consent", "hours", "--customer", "1", "--hours", "whenever", "--source", "phone"
    )
    assert bad.returncode == 2 and "--hours:" in bad.stderr


def test_cadence_list_start_and_runs(dbfile: Path):
    listed = json.loads(_cli(dbfile, "cadence", "list", "--json").stdout)
    by_key = {c["key"]: c for c in listed}
    assert len(by_key["after_quote"]["steps"]) == 12
    out = _cli(dbfile, "cadence", "start", "after_quote", "--customer", "1", "--quote", "1")
    assert out.returncode == 0, out.stderr
    assert out.stdout.endswith("first step: text Tue 24 Nov 2026 10:00 am\n")
    runs = _cli(dbfile, "cadence", "runs", "--customer", "1").stdout
    assert "after_quote" in runs and "active" in runs
    twice = _cli(dbfile, "cadence", "start", "after_quote", "--customer", "1", "--quote", "1")
    assert twice.returncode == 2 and "already running" in twice.stderr
