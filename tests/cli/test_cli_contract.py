"""The other side of the probe table: good input works, plans stop and resume from a
script, and text from the database never drives the terminal."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from deckfollow.cli.output import error_line, printable
from deckfollow.core.enums import Channel, Direction, Outcome
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.touches import TouchRecord, log_touch
from deckfollow.storage.database import open_database
from tests.cli.helpers import dump, run_in_process
from tests.conftest import FROZEN_NOW

NOW = "2026-11-22T22:00:00Z"  # FROZEN_NOW


@pytest.fixture
def business(
    template_db: tuple[Path, dict[str, int]], tmp_path: Path
) -> tuple[Path, dict[str, int]]:
    source, ids = template_db
    db = tmp_path / "business.db"
    shutil.copy(source, db)
    return db, ids


def _cli(db: Path, *argv: str) -> tuple[int | None, str, str]:
    return run_in_process(["--db", str(db), "--now", NOW, *argv])


def _one(db: Path, sql: str, *params: object) -> object:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchone()[0]


# The same commands the probe table refuses, with good values: each one works, so the
# table's refusals come from the values, not from a broken set-up.
# fmt: off
GOOD = [
    ("add-lead", "--name", "Bo Diaz", "--job", "Pergola", "--source", "website"),
    ("consent", "grant", "--customer", "{customer}", "--channel", "text", "--source",
     "phone call", "--words", "Texting is fine"),
    ("consent", "agree", "--customer", "{customer}", "--channel", "call", "--on", "2026-11-26",
     "--at", "10:00", "--reason", "Answer questions on the quote", "--source", "phone call",
     "--words", "Call me Thursday morning"),
    ("send", "email", "{follow_up}", "--next-at", "2026-11-26T10:00", "--next-reason",
     "Check the quote arrived", "--dry-run"),
    ("cards", "--mark-mailed", "--next-in-days", "5"),
    ("trash", "empty", "--older-than", "0"),
    ("due", "--on", "2026-11-23"),
    ("export", "--format", "vcard", "--out", "{tmp}/c.vcf", "--customer", "{customer}"),
]
# fmt: on


@pytest.mark.parametrize("argv", GOOD, ids=[" ".join(a[:2]) for a in GOOD])
def test_good_input_to_the_probed_commands_is_accepted(
    argv: tuple[str, ...], business: tuple[Path, dict[str, int]], tmp_path: Path
) -> None:
    db, ids = business
    code, _out, err = _cli(db, *(a.format(tmp=tmp_path, **ids) for a in argv))
    assert code == 0, err


def test_a_plan_is_stopped_and_resumed_from_the_command_line(
    business: tuple[Path, dict[str, int]],
) -> None:
    db, ids = business
    run = ids["run"]
    status = "SELECT status FROM cadence_run WHERE id = ?"
    pending = "SELECT count(*) FROM follow_up WHERE cadence_run_id = ? AND status = 'pending'"
    # The customer replies: the plan waits for the owner's decision (rule 8).
    database = open_database(str(db))
    try:
        with database.unit_of_work() as s:
            log_touch(
                s,
                TouchRecord(
                    ids["customer"], Channel.EMAIL, Direction.INBOUND, Outcome.REPLIED, FROZEN_NOW
                ),
                None,
                now=FROZEN_NOW,
                await_decision=True,
            )
    finally:
        database.close()
    assert _one(db, status, run) == "paused"

    code, out, err = _cli(db, "cadence", "resume", str(run))
    assert (code, out, err) == (0, f"run {run} resumed\n", "")
    assert _one(db, status, run) == "active"
    assert _one(db, pending, run) == 1

    code, out, err = _cli(db, "cadence", "stop", str(run))
    assert (code, out, err) == (0, f"run {run} stopped\n", "")
    assert _one(db, status, run) == "stopped"
    assert _one(db, pending, run) == 0
    # Stopped for good: it cannot be resumed, and saying so changes nothing.
    before = dump(db)
    code, _out, err = _cli(db, "cadence", "resume", str(run))
    assert code == 2 and "not paused" in err
    assert dump(db) == before


ESCAPES = "Evil\x1b]0;pwned\x07\x1b[2J\x1b[31mRed\x9b1m\u202eTxet\rOver"


def test_escape_codes_in_a_name_are_shown_never_obeyed(tmp_path: Path) -> None:
    db = tmp_path / "d.db"
    database = open_database(str(db))
    try:
        with database.unit_of_work() as s:
            made = add_lead(
                s, NewLead(ESCAPES, phone="+61 412 345 679", country="AU"), now=FROZEN_NOW
            )
    finally:
        database.close()
    cid = str(made.customer_id)
    for argv in (("consent", "show", "--customer", cid), ("consent", "ledger", "--customer", cid)):
        code, out, err = _cli(db, *argv)
        assert code == 0, err
        assert not any(c in out for c in "\x1b\x07\x9b\u202e\r"), out
        assert "Evil\\u001b]0;pwned\\u0007\\u001b[2J\\u001b[31mRed\\u009b1m" in out
    # JSON keeps the stored text exactly: the escapes are JSON's own.
    code, out, err = _cli(db, "consent", "show", "--customer", cid, "--json")
    assert code == 0, err
    assert not any(c in out for c in "\x1b\x07\x9b\u202e\r")
    assert json.loads(out)["name"] == " ".join(ESCAPES.split())
    # An error that quotes typed text is one line, escapes shown.
    code, _out, err = _cli(db, "add-lead", "--name", "Bo", "--timezone", "Mars\x1b[2J\nBase")
    assert code == 2
    assert (
        err
        == "deckfollow: error: --timezone: 'Mars\\x1b[2J\\nBase' is not a known IANA time zone\n"
    )


def test_printable_keeps_layout_and_shows_every_control_character() -> None:
    assert printable("a\tb\nc\r\n") == "a\tb\nc\r\n"
    assert printable("x\ry") == "x\\u000dy"
    assert printable("\x00\x1b\x7f\x85\u2066") == "\\u0000\\u001b\\u007f\\u0085\\u2066"
    assert printable("Zoë Ng — 日本") == "Zoë Ng — 日本"
    assert printable("one\ntwo", one_line=True) == "one\\u000atwo"
    line = error_line("name: " + "x" * 5000 + " is too long")
    assert len(line) < 100 and line.startswith("name: xxx") and line.endswith(" is too long")


def test_a_disk_that_fills_while_the_ledger_is_written_is_one_line_naming_the_option(
    business: tuple[Path, dict[str, int]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from deckfollow.exchange import ledger_export

    def full(*_args: object) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(ledger_export, "write_ledger_pdf", full)
    db, ids = business
    code, _out, err = _cli(
        db, "consent", "ledger", "--customer", str(ids["customer"]), "--pdf", f"{tmp_path}/l.pdf"
    )
    assert code == 2
    assert (
        err
        == f"deckfollow: error: --pdf: could not write {tmp_path}/l.pdf: No space left on device\n"
    )
