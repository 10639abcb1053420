"""`deckfollow quote …` and `deckfollow touch log`, run in-process from an empty database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from deckfollow.cli.main import main

NOW = "2026-11-23T09:00+11:00"  # a Monday morning in Sydney


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    try:
        code = main(["--db", str(db), "--now", NOW, *args])
    except SystemExit as stop:  # argparse refuses bad arguments this way
        code = int(stop.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def lead(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Path:
    """An empty business with one lead (quote 1, customer 1)."""
    db = tmp_path / "first-week.db"
    code, out, _ = run(
        capsys, db, "add-lead", "--name", "Grace Hopper", "--phone", "0412 345 679",
        "--country", "AU", "--note", "Hardwood deck, 30 m²",
    )  # fmt: skip
    assert (code, out) == (0, "customer 1, quote 1\n")
    return db


def quotes(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> list[dict[str, object]]:
    code, out, err = run(capsys, db, "quote", "list", "--json", *args)
    assert code == 0, err
    result: list[dict[str, object]] = json.loads(out)
    return result


def test_the_first_quote_from_an_empty_database(capsys, lead: Path):
    code, out, err = run(
        capsys, lead, "quote", "add", "--customer", "1", "--amount", "4850.00", "--currency", "AUD",
        "--competitors", "2", "--valid-until", "2026-12-23",
    )  # fmt: skip
    assert (code, out, err) == (0, "1\n", "")  # the waiting enquiry became the quote
    code, out, _ = run(capsys, lead, "quote", "stage", "1", "quoted")
    assert code == 0
    assert "Still missing: sent date" in out
    [quote] = quotes(capsys, lead)
    assert quote["amount"] == "4850.00"
    assert quote["currency"] == "AUD"
    assert (quote["number"], quote["stage"], quote["competing_quotes"]) == ("Q-0001", "quoted", 2)
    assert quote["valid_until"] == "2026-12-23"
    assert quotes(capsys, lead, "--stage", "won") == []


def test_add_prints_json_with_money_as_a_decimal_string(capsys, lead: Path):
    code, out, _ = run(
        capsys, lead, "quote", "add", "--customer", "1", "--amount", "$12,480.5", "--job",
        "Pergola", "--sent", "2026-11-20", "--json",
    )  # fmt: skip
    assert code == 0
    shown = json.loads(out)
    assert shown["amount"] == "12480.50"
    assert shown["currency"] == "AUD"
    assert shown["stage"] == "quoted"
    # The enquiry has its quote now: the next one is a second quote beside it.
    code, out, _ = run(capsys, lead, "quote", "add", "--customer", "1", "--amount", "880")
    assert (code, out) == (0, "2\n")
    assert sorted(str(q["number"]) for q in quotes(capsys, lead)) == ["Q-0001", "Q-0002"]


def test_the_json_export_writes_money_as_a_string_beside_its_currency(capsys, lead: Path, tmp_path):
    run(capsys, lead, "quote", "add", "--customer", "1", "--amount", "0.10")
    code, _, _ = run(capsys, lead, "export", "--format", "json", "--out", str(tmp_path / "x.json"))
    assert code == 0
    [quote] = json.loads((tmp_path / "x.json").read_text())["quotes"]
    assert (quote["amount"], quote["currency"]) == ("0.10", "AUD")


def test_edit_changes_only_the_fields_named(capsys, lead: Path):
    run(capsys, lead, "quote", "add", "--customer", "1", "--amount", "4850", "--job", "Deck")
    code, _, err = run(
        capsys, lead, "quote", "edit", "1", "--amount", "5 100.00", "--sent", "2026-11-22"
    )
    assert (code, err) == (0, "")
    [quote] = quotes(capsys, lead)
    assert (quote["amount"], quote["job"], quote["sent"]) == ("5100.00", "Deck", "2026-11-22")
    run(capsys, lead, "quote", "edit", "1", "--sent", "")
    assert quotes(capsys, lead)[0]["sent"] is None


ADD = ("quote", "add", "--customer", "1", "--amount", "10")


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (("quote", "add", "--customer", "1", "--amount", "12,3x"), "--amount"),
        (("quote", "add", "--customer", "99", "--amount", "10"), "--customer"),
        (("quote", "add", "--customer", "x", "--amount", "10"), "--customer"),
        ((*ADD, "--sent", "2026-02-30"), "--sent"),
        ((*ADD, "--competitors", "21"), "--competitors"),
        ((*ADD, "--currency", "dollars"), "--currency"),
        ((*ADD, "--sent", "2026-11-30"), "sent"),
        (("quote", "edit", "7", "--amount", "10"), "error: ID: no quote with id 7"),
        (("quote", "stage", "7", "won"), "error: ID: no quote with id 7"),
        (("quote", "edit", "1"), "say what to change"),
        (("quote", "edit", "1", "--job", "x" * 100_000), "job"),
        (("quote", "edit", str(2**64), "--job", "Deck"), "ID"),
        (("quote", "stage", "1", "lost", "--reason", "x" * 301), "--reason"),
        (("quote", "edit", "1", "--valid-until", "2026-11-01", "--sent", "2026-11-20"),
         "--valid-until"),
        (("quote", "stage", "1", "sold"), "stage"),
        (("quote", "stage", "1", "lost"), "--reason"),
        (("quote", "stage", "1", "parked", "--until", "2027-13-01"), "--until"),
        (("quote", "list", "--stage", "open"), "--stage"),
        (("quote", "stage", "1", "won", "--reason", "price"),
         "error: --reason: only a lost or parked quote keeps a reason"),
        (("quote", "stage", "1", "lost", "--reason", "price", "--until", "2027-03-01"),
         "error: --until: only a parked quote"),
        (("touch", "log", "--customer", "1", "--channel", "fax", "--direction", "in",
          "--outcome", "replied"), "--channel"),
        (("touch", "log", "--customer", "5", "--channel", "call", "--direction", "in",
          "--outcome", "replied"), "error: --customer: no customer with id 5"),
        (("touch", "log", "--customer", "1", "--quote", "9", "--channel", "call", "--direction",
          "in", "--outcome", "replied"), "error: --quote: no quote with id 9"),
        (("touch", "log", "--customer", "1", "--follow-up", "99", "--channel", "call",
          "--direction", "in", "--outcome", "replied"), "error: --follow-up: no follow-up with"),
        ((*ADD, "--currency", "XXX"), "--currency: 'XXX' is not an ISO currency code"),
        ((*ADD, "--currency", "AUS"), "--currency"),
        ((*ADD, "--file", "/no/such/quote.pdf"), "argument --file: '/no/such/quote.pdf' does not"),
        ((*ADD, "--file", "/"), "argument --file: '/' is a folder"),
        (("touch", "log", "--customer", "1", "--channel", "call", "--direction", "out",
          "--outcome", "reached", "--at", "2026-11-31T10:00"), "--at"),
        (("touch", "log", "--customer", "1", "--channel", "call", "--direction", "in",
          "--outcome", "replied", "--at", "2026-11-24T10:00"),
         "error: --at: a touch cannot be logged in the future"),
        (("touch", "log", "--customer", "1", "--channel", "call", "--direction", "out",
          "--outcome", "reached", "--next-at", "2026-11-20T10:00", "--next-reason", "Ring"),
         "error: --next-at: "),
    ],
)  # fmt: skip
def test_bad_input_gets_one_line_naming_the_field_and_saves_nothing(capsys, lead, args, named):
    before = quotes(capsys, lead)
    code, out, err = run(capsys, lead, *args)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert named in err
    assert quotes(capsys, lead) == before


def test_won_starts_the_after_sale_plan(capsys, lead: Path):
    code, out, _ = run(capsys, lead, "quote", "stage", "1", "won", "--json")
    assert code == 0
    shown = json.loads(out)
    assert (shown["stage"], shown["after_sale_started"]) == ("won", True)
    assert shown["missing"] == ["amount"]


def test_an_outbound_touch_plans_its_next_step_and_an_inbound_one_pauses_the_plan(
    capsys, lead: Path
):
    call = ("touch", "log", "--customer", "1", "--quote", "1", "--channel", "call")
    code, _, err = run(capsys, lead, *call, "--direction", "out", "--outcome", "reached")
    assert code == 2
    assert "what's next" in err and "--next-at" in err
    code, out, err = run(
        capsys, lead, *call, "--direction", "out", "--outcome", "reached",
        "--next-at", "2026-11-26T10:00", "--next-reason", "Go over the timber choice",
        "--agreed", "Thursday morning suits",
    )  # fmt: skip
    assert (code, err) == (0, "")
    code, out, _ = run(capsys, lead, "due", "--on", "2026-11-26", "--json")
    [due] = json.loads(out)
    assert (due["basis"], due["reason"]) == ("agreed", "Go over the timber choice")
    code, _, err = run(capsys, lead, "cadence", "start", "--customer", "1", "--quote", "1",
                       "after_quote")  # fmt: skip
    assert code == 0, err
    reply = ("touch", "log", "--customer", "1", "--channel", "text", "--direction", "in",
             "--outcome", "replied", "--notes", "Can you start in February?")  # fmt: skip
    code, out, err = run(capsys, lead, *reply)
    assert code == 0, err
    assert out.splitlines() == [
        "Logged the text (inbound, replied).",
        "Paused the follow-up plan “After a quote” until you decide what's next (to continue "
        "it: deckfollow cadence runs --customer 1, then cadence resume RUN_ID).",
    ]
    code, out, _ = run(capsys, lead, "cadence", "runs", "--customer", "1")
    assert "paused" in out
    # Nothing left running: a second reply claims no pause.
    code, out, err = run(capsys, lead, *reply)
    assert (code, out) == (0, "Logged the text (inbound, replied).\n"), err
    card = ("touch", "log", "--customer", "1", "--channel", "card", "--direction", "out")
    code, _, err = run(capsys, lead, *card, "--outcome", "mailed")
    assert (code, err) == (0, "")  # a card in the post asks nothing of them


def test_parking_keeps_its_reason_in_the_revisit(capsys, lead: Path):
    code, out, err = run(capsys, lead, "quote", "stage", "1", "parked", "--until", "2027-03-01",
                         "--reason", "Waiting for the council's approval")  # fmt: skip
    assert code == 0, err
    code, out, _ = run(capsys, lead, "due", "--on", "2027-03-01", "--json")
    [revisit] = json.loads(out)
    assert revisit["reason"] == (
        "Revisit the parked quote for Hardwood deck, 30 m²: Waiting for the council's approval"
    )
    assert revisit["basis"] == "planned"


def test_a_touch_cannot_complete_another_customer_s_follow_up(capsys, lead: Path):
    code, out, err = run(capsys, lead, "customer", "add", "--name", "Ada Byron")
    assert (code, out) == (0, "2\n"), err
    code, out, err = run(
        capsys, lead, "touch", "log", "--customer", "2", "--follow-up", "1", "--channel", "call",
        "--direction", "in", "--outcome", "replied",
    )  # fmt: skip
    assert (code, out) == (2, "")
    assert err == "deckfollow: error: --follow-up: belongs to another customer\n"
    code, out, _ = run(capsys, lead, "due", "--json")
    assert [(i["id"], i["customer"]) for i in json.loads(out)] == [(1, "Grace Hopper")]


def test_the_file_sent_is_kept_by_its_full_path_and_can_be_cleared(
    capsys, lead: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    (tmp_path / "Q-0001.pdf").write_bytes(b"%PDF-1.4\n")
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, lead, *ADD, "--file", "Q-0001.pdf", "--json")
    assert code == 0, err
    assert json.loads(out)["file"] == str(tmp_path.resolve() / "Q-0001.pdf")
    code, out, err = run(capsys, lead, "quote", "edit", "1", "--file", "", "--json")
    assert (code, json.loads(out)["file"]) == (0, None), err
