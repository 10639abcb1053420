"""A real owner's first week through the command line, on an empty database, as a script
would run it: the business set up, a lead answered, its quote entered, a duplicate offered
instead of added, a merge, a reply that pauses the plan, the export, and bad input refused.

The steps that make the journey run in a fresh interpreter (`python -m deckfollow`); the
refusals, which need a database to stay unchanged, run in this process.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.helpers import dump, run_cli, run_cli_process

NOW = "2026-11-23T09:00+11:00"  # a Monday morning in Sydney


def _ok(db: Path, *args: str, process: bool = False) -> str:
    run = run_cli_process if process else run_cli
    done = run("--db", str(db), "--now", NOW, *args)
    assert (done.returncode, done.stderr) == (0, ""), args
    return done.stdout


@pytest.fixture(scope="module")
def week(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("first-week") / "business.db"
    for key, value in (
        ("business", "Harbour Decks"),
        ("owner", "Zoë Carter"),
        ("country", "Australia"),
        ("region", "new south wales"),
        ("timezone", "sydney"),
        ("currency", "aud"),
        ("cell", "0412 345 679"),
    ):
        _ok(db, "settings", "set", key, value)
    return db


def test_the_first_week_in_a_fresh_interpreter(week: Path) -> None:
    settings = json.loads(_ok(week, "settings", "show", "--json", process=True))
    assert {k: settings[k] for k in ("country", "region", "timezone", "currency", "cell")} == {
        "country": "AU",
        "region": "NSW",
        "timezone": "Australia/Sydney",
        "currency": "AUD",
        "cell": "+61412345679",
    }
    # A lead typed in by hand is on the list at once, naming what they asked for.
    said = _ok(week, "add-lead", "--name", "Łukasz Nowak", "--phone", "0412 345 678",
               "--note", "a spotted gum deck", process=True)  # fmt: skip
    assert said == "customer 1, quote 1\n"
    [first] = json.loads(_ok(week, "due", "--json", process=True))
    assert (first["customer_id"], first["basis"], first["channel"]) == (1, "planned", "text")
    assert first["reason"] == "First reply to their enquiry about a spotted gum deck"
    # The first reply is a call, and they agree to Thursday at ten: "call" in the ledger.
    _ok(week, "touch", "log", "--customer", "1", "--quote", "1", "--channel", "call",
        "--direction", "out", "--outcome", "reached", "--next-at", "2026-11-26T10:00",
        "--next-reason", "Go over the timber choice", "--agreed", "Thursday at ten suits",
        process=True)  # fmt: skip
    ledger = json.loads(_ok(week, "consent", "ledger", "--customer", "1", "--json"))
    agreed = [e for e in ledger if e["kind"] == "agreed_follow_up"]
    assert [(e["source"], e["words"]) for e in agreed] == [("call", "Thursday at ten suits")]
    assert "Thu 26 Nov 10:00 am  call   Łukasz Nowak" in _ok(week, "due", "--on", "2026-11-26")
    # Its quote: the lead's own, with money as a decimal string beside its currency.
    quote_id = _ok(week, "quote", "add", "--customer", "1", "--amount", "4,850.00",
                   "--number", "Q-2026-001", "--job", "Spotted gum deck 6x4 m",
                   "--sent", "2026-11-23", "--valid-until", "2026-12-23", "--competitors", "2",
                   process=True)  # fmt: skip
    assert quote_id == "1\n"
    [quote] = json.loads(_ok(week, "quote", "list", "--stage", "quoted", "--json"))
    assert {k: quote[k] for k in ("amount", "currency", "number", "competing_quotes")} == {
        "amount": "4850.00",
        "currency": "AUD",
        "number": "Q-2026-001",
        "competing_quotes": 2,
    }
    # Someone already there is named, not added; a second record of them can be merged.
    added = run_cli_process("--db", str(week), "--now", NOW, "customer", "add",
                            "--name", "Lukasz N", "--phone", "+61 412 345 678")  # fmt: skip
    assert added.returncode == 2 and "Łukasz Nowak" in added.stderr
    twin = _ok(week, "customer", "add", "--name", "Lukasz N", "--email", "lukasz@example.com",
               "--city", "Balmain", "--region", "NSW", "--postcode", "2041", "--new")  # fmt: skip
    emile = _ok(week, "customer", "add", "--name", "Émile Dubois", "--phone", "0413-111-222",
                "--company", "Dubois Builds", "--birthday", "1980-02-29")  # fmt: skip
    _ok(week, "customer", "merge", "1", twin.strip())
    people = json.loads(_ok(week, "customer", "list", "--json", process=True))
    assert [p["name"] for p in people] == ["Émile Dubois", "Łukasz Nowak"]  # E before L
    assert people[1]["email"] == "lukasz@example.com" and people[1]["suburb"] == "Balmain"
    found = json.loads(_ok(week, "customer", "list", "--search", "0413 111 222", "--json"))
    assert [p["id"] for p in found] == [int(emile)]
    # A plan runs; their reply pauses it and says so.
    _ok(week, "cadence", "start", "--customer", "1", "--quote", "1", "after_quote")
    replied = _ok(week, "touch", "log", "--customer", "1", "--channel", "text", "--direction",
                  "in", "--outcome", "replied", "--notes", "Could you start in February?",
                  process=True)  # fmt: skip
    assert "Paused the follow-up plan “After a quote”" in replied
    # The export keeps money exact.
    out = week.parent / "export.json"
    _ok(week, "export", "--format", "json", "--out", str(out))
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert [(q["amount"], q["currency"]) for q in exported["quotes"]] == [("4850.00", "AUD")]


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (("quote", "add", "--customer", "99", "--amount", "10"),
         "--customer: no customer with id 99"),
        (("quote", "add", "--customer", "1", "--amount", "12,3x"),
         "argument --amount: '12,3x' is not an amount"),
        (("quote", "add", "--customer", "1", "--amount", "10", "--sent", "2026-02-30"),
         "argument --sent: '2026-02-30' is not a date"),
        (("quote", "stage", "1", "finished"), "argument STAGE: 'finished' is not a stage"),
        (("quote", "edit", "99", "--amount", "10"), "ID: no quote with id 99"),
        (("customer", "merge", "1", "1"), "OTHER_ID: customer 1 cannot be merged with themself"),
        (("customer", "show", "99"), "ID: no customer with id 99"),
        (("customer", "add", "--name", "X", "--phone", "12,3x"),
         "--phone: '12,3x' is not a phone number"),
        (("touch", "log", "--customer", "99", "--channel", "call", "--direction", "in",
          "--outcome", "replied"), "--customer: no customer with id 99"),
        (("settings", "set", "timezone", "Mars/Olympus"), "timezone: 'Mars/Olympus' is not"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_naming_the_field_exit_2_and_nothing_saved(
    week: Path, args: tuple[str, ...], line: str
) -> None:
    before = dump(week)
    done = run_cli("--db", str(week), "--now", NOW, *args)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and line in done.stderr
    assert dump(week) == before
