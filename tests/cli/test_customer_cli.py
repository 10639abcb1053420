"""`deckfollow customer …` in-process: every customer found, entered, edited and merged from
an empty database, with bad input refused in one line and nothing saved."""

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

    def count(self) -> int:
        with sqlite3.connect(self.db) as conn:
            return int(conn.execute("SELECT count(*) FROM customer").fetchone()[0])


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    run = Cli(tmp_path / "d.db", capsys)
    code, _, err = run("customer", "add", "--name", "Seed Person", "--country", "AU")
    assert code == 0, err
    return run


MIA = (
    "customer",
    "add",
    "--name",
    "Mia Chen",
    "--phone",
    "0412 345 679",
    "--email",
    "mia@example.com",
    "--street",
    "12 Darling St",
    "--city",
    "Balmain",
    "--region",
    "NSW",
    "--postcode",
    "2041",
    "--country",
    "AU",
    "--company",
    "Chen Design",
    "--birthday",
    "1984-07-14",
)


def test_add_prints_the_id_and_the_customer_is_found_by_phone_typed_another_way(cli: Cli):
    code, out, err = cli(*MIA)
    assert code == 0, err
    mia = int(out)
    for typed in ("+61412345679", "412345679", "0412 345 679", "balmain", "MIA@example"):
        code, out, _ = cli("customer", "list", "--search", typed, "--json")
        assert code == 0
        assert [r["id"] for r in json.loads(out)] == [mia], typed
    code, out, _ = cli("customer", "show", str(mia), "--json")
    shown = json.loads(out)
    assert (shown["company"], shown["street"], shown["suburb"], shown["region"]) == (
        "Chen Design",
        "12 Darling St",
        "Balmain",
        "NSW",
    )
    assert (shown["postcode"], shown["country"], shown["birthday"]) == ("2041", "AU", "1984-07-14")
    code, out, _ = cli("customer", "list")
    assert "Mia Chen" in out and "Seed Person" in out


def test_the_same_person_again_is_named_not_added_unless_new(cli: Cli):
    cli(*MIA)
    code, out, err = cli("customer", "add", "--name", "M. Chen", "--phone", "+61 412 345 679")
    assert code == 2 and out == ""
    assert err.startswith("deckfollow: error: --phone: already a customer: ")
    assert "Mia Chen" in err and "--new" in err and len(err.strip().splitlines()) == 1
    assert cli.count() == 2
    code, out, _ = cli("customer", "add", "--name", "M. Chen", "--phone", "0412345679", "--new")
    assert code == 0 and int(out) > 0
    assert cli.count() == 3


def test_edit_changes_only_the_fields_given(cli: Cli):
    mia = int(cli(*MIA)[1])
    code, out, err = cli("customer", "edit", str(mia), "--city", "Rozelle", "--company", "")
    assert "suburb or city" in out
    assert code == 0, err
    shown = json.loads(cli("customer", "show", str(mia), "--json")[1])
    assert (shown["suburb"], shown["company"], shown["email"]) == (
        "Rozelle",
        None,
        "mia@example.com",
    )


def test_merge_keeps_the_quotes_of_both(cli: Cli):
    mia = int(cli(*MIA)[1])
    code, out, err = cli("add-lead", "--name", "Mia C", "--email", "chen.m@example.com")
    assert code == 0, err
    with sqlite3.connect(cli.db) as conn:
        # The quote's id is the last number add-lead prints.
        quote_id = int(out.split()[-1])
        other = conn.execute("SELECT customer_id FROM quote WHERE id = ?", (quote_id,)).fetchone()
    code, out, err = cli("customer", "merge", str(mia), str(other[0]))
    assert code == 0, err
    assert "1 quote, 0 touches, 1 follow-up moved" in out  # the lead's first reply came along
    shown = json.loads(cli("customer", "show", str(mia), "--json")[1])
    assert len(shown["quotes"]) == 1
    assert "chen.m@example.com" in (shown["notes"] or "")
    code, out, _ = cli("customer", "list", "--search", "Mia", "--json")
    assert [r["id"] for r in json.loads(out)] == [mia]
    # The merge is an entry of the ledger itself, naming both records.
    both = f"customer {other[0]} (Mia C) merged into customer {mia} (Mia Chen)"
    code, out, err = cli("consent", "show", "--customer", str(mia))
    assert code == 0, err
    assert "merged " in out and both in out
    shown = json.loads(cli("consent", "show", "--customer", str(mia), "--json")[1])
    assert [m["detail"].startswith(both) for m in shown["merges"]] == [True]
    ledger = json.loads(cli("consent", "ledger", "--customer", str(mia), "--json")[1])
    assert [e["kind"] for e in ledger].count("customer_merged") == 1
    code, out, err = cli(
        "consent", "ledger", "--customer", str(mia), "--csv", str(cli.db.with_suffix(".csv"))
    )
    assert code == 0, err
    text = cli.db.with_suffix(".csv").read_text(encoding="utf-8")
    assert "Records merged" in text and both in text
    # The merged-away id says where its person went, read by either path.
    gone = f"no customer with id {other[0]}: merged into customer {mia} (Mia Chen) on "
    for args in (
        ("customer", "show", str(other[0])),
        ("consent", "show", "--customer", str(other[0])),
        ("touch", "log", "--customer", str(other[0]), "--channel", "call",
         "--direction", "out", "--outcome", "reached"),
    ):  # fmt: skip
        code, out, err = cli(*args)
        assert (code, out, err.count("\n")) == (2, "", 1), args
        assert gone in err, args


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (("customer", "merge", "2", "2"), "themself"),
        (("customer", "merge", "2", "99"), "OTHER_ID"),
        (("customer", "show", "99"), "ID"),
        (("customer", "show", "0"), "ID"),
        (("customer", "edit", "2", "--birthday", "1984-02-30"), "birthday"),
        (("customer", "edit", "2", "--email", "not-an-email"), "email"),
        (("customer", "edit", "2", "--phone", "12"), "error: --phone: '12' is not a valid"),
        (("customer", "add", "--name", "X", "--phone", "12,3x"), "error: --phone: '12,3x' is "),
        (("customer", "edit", "2", "--office-phone", "abc"), "error: --office-phone: 'abc'"),
        (("customer", "edit", "2", "--home-phone", "1"), "error: --home-phone: '1'"),
        (("customer", "edit", "2", "--city", "x" * 101), "error: --city: is 101 characters"),
        (("customer", "edit", "2"), "edit"),
        (("customer", "edit", "2", "--country", "Atlantis"), "country"),
        (("customer", "add", "--name", " "), "error: --name: a customer needs a name"),
        (("customer", "add", "--name", "X", "--birthday", "14/07/1984"), "birthday"),
        (("customer", "add", "--name", "X", "--birthday", "1959-02-29"), "birthday"),
        (
            ("customer", "add", "--name", "X", "--country", "AU", "--region", "Texas"),
            "--region: 'Texas' is not a state of Australia; use one of ACT, NSW, NT, QLD",
        ),
        (("customer", "edit", "2", "--region", "TX"), "--region: 'TX' is not a state of Australia"),
        (
            ("customer", "edit", "2", "--country", "US"),
            "--region: 'NSW' is not a state of the United States; use one of AK, AL",
        ),
    ],
)
def test_bad_input_gets_one_line_naming_the_field_and_saves_nothing(
    cli: Cli, args: tuple[str, ...], names: str
):
    cli(*MIA)
    with sqlite3.connect(cli.db) as conn:
        before = conn.execute("SELECT * FROM customer ORDER BY id").fetchall()
    code, out, err = cli(*args)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and names in err
    assert "(The string" not in err  # no library's own wording tacked on
    with sqlite3.connect(cli.db) as conn:
        assert conn.execute("SELECT * FROM customer ORDER BY id").fetchall() == before


def test_the_real_command_from_an_empty_database(tmp_path: Path):
    """The same steps through `python -m deckfollow`, as a script would take them."""
    from tests.cli.helpers import run_cli

    db = str(tmp_path / "new.db")
    base = ("--db", db, "--now", NOW, "customer")
    added = run_cli(*base, "add", "--name", "Mia Chen", "--phone", "+61 412 345 679")
    assert added.returncode == 0, added.stderr
    again = run_cli(*base, "add", "--name", "Mia", "--phone", "+61412345679")
    assert again.returncode == 2 and "Mia Chen" in again.stderr and again.stdout == ""
    found = run_cli(*base, "list", "--search", "412 345 679", "--json")
    assert [r["id"] for r in json.loads(found.stdout)] == [int(added.stdout)]
    self_merge = run_cli(*base, "merge", added.stdout.strip(), added.stdout.strip())
    assert self_merge.returncode == 2 and "themself" in self_merge.stderr


def test_show_writes_a_quote_s_amount_as_the_quote_list_does(cli: Cli):
    code, out, err = cli(*MIA)
    mia = out.strip()
    assert cli("quote", "add", "--customer", mia, "--amount", "13000.5", "--job", "Deck")[0] == 0
    code, out, err = cli("customer", "show", mia)
    assert code == 0, err
    assert "· 13,000.50 AUD" in out
