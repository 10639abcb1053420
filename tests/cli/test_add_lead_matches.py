"""`deckfollow add-lead` for someone already on file: the matches are listed, nothing is
entered twice, and the owner says which person the lead belongs to."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from deckfollow.cli.main import main

NOW = "2026-11-22T22:00:00Z"


class Cli:
    def __init__(self, db: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.db, self.capsys = db, capsys

    def __call__(self, *args: str) -> tuple[int, str, str]:
        try:
            code = main(["--db", str(self.db), "--now", NOW, *args])
        except SystemExit as exc:  # argparse refuses before the command runs
            code = int(exc.code or 0)
        out, err = self.capsys.readouterr()
        return code, out, err

    def rows(self, table: str) -> int:
        with sqlite3.connect(self.db) as conn:
            return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    run = Cli(tmp_path / "d.db", capsys)
    assert run("settings", "set", "country", "AU")[0] == 0
    code, out, err = run(
        "add-lead", "--name", "Mia Chen", "--phone", "0412 345 679", "--email", "mia@example.com"
    )
    assert (code, out.strip()) == (0, "customer 1, quote 1"), err
    return run


def test_same_phone_typed_another_way_lists_the_person_and_adds_nothing(cli: Cli) -> None:
    code, out, err = cli("add-lead", "--name", "Mia", "--phone", "+61 412 345 679")
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert lines[0] == "1  Mia Chen  …5679, m…@example.com  (same phone)"
    assert lines[-1].startswith("deckfollow: error: --phone: already a customer: 1 Mia Chen")
    assert "--customer 1" in lines[-1] and "--new-person" in lines[-1]
    # Neither the number nor the address is printed whole.
    assert "345 679" not in err and "mia@" not in err
    assert (cli.rows("customer"), cli.rows("quote")) == (1, 1)


def test_same_email_names_the_email_field(cli: Cli) -> None:
    code, _, err = cli("add-lead", "--name", "Someone Else", "--email", "MIA@Example.com")
    assert code == 2
    assert "(same email)" in err
    assert err.strip().splitlines()[-1].startswith("deckfollow: error: --email: ")
    assert cli.rows("customer") == 1


def test_customer_option_gives_the_lead_to_that_person(cli: Cli) -> None:
    code, out, err = cli(
        "add-lead", "--name", "Mia", "--phone", "0412345679", "--customer", "1", "--json"
    )
    assert code == 0, err
    data = json.loads(out)
    assert (data["customer_id"], data["quote_id"]) == (1, 2)
    assert cli.rows("customer") == 1
    code, out, _ = cli("quote", "list", "--json")
    assert [q["customer_id"] for q in json.loads(out)] == [1, 1]
    # One first reply answers both of their enquiries.
    code, out, _ = cli("due", "--json")
    reasons = [d["reason"] for d in json.loads(out) if d["customer_id"] == 1]
    assert reasons == ["First reply to their enquiry"]


def test_new_person_adds_someone_else_with_the_same_email(cli: Cli) -> None:
    code, out, err = cli(
        "add-lead", "--name", "Mia Chen Jr", "--email", "mia@example.com", "--new-person"
    )
    assert (code, out.strip()) == (0, "customer 2, quote 2"), err
    assert cli.rows("customer") == 2


def test_unknown_customer_id_is_refused_by_its_option(cli: Cli) -> None:
    code, _, err = cli("add-lead", "--name", "Mia", "--customer", "99")
    assert code == 2
    assert err.strip() == "deckfollow: error: --customer: no customer with id 99; nothing added"
    assert cli.rows("quote") == 1


def test_customer_and_new_person_cannot_both_be_given(cli: Cli) -> None:
    code, _, err = cli("add-lead", "--name", "Mia", "--customer", "1", "--new-person")
    assert code == 2
    assert "--new-person" in err and "not allowed with" in err
    assert cli.rows("quote") == 1


def test_someone_new_is_added_without_asking(cli: Cli) -> None:
    code, out, _ = cli("add-lead", "--name", "Tom Price", "--phone", "0413 000 111")
    assert (code, out.strip()) == (0, "customer 2, quote 2")


def test_someone_who_asked_not_to_be_contacted_is_refused_not_offered(cli: Cli) -> None:
    code, _, err = cli(
        "consent", "stop", "--customer", "1", "--source", "call", "--words", "Stop calling"
    )
    assert code == 0, err
    code, _, err = cli("add-lead", "--name", "Mia", "--phone", "0412 345 679")
    assert code == 2
    assert "asked not to be contacted" in err and "--customer" not in err
    assert cli.rows("quote") == 1
