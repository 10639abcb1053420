"""`deckfollow add-lead --suburb`: a lead with the name and suburb of someone already on
file is offered as them (exit 2, nothing added); another suburb, or `--new-person`, adds
someone new who keeps where they live."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.cli.helpers import run_cli

NOW = "2026-11-22T22:00:00Z"


class Shop:
    def __init__(self, db: Path) -> None:
        self.db = db

    def __call__(self, *args: str) -> tuple[int, str, str]:
        done = run_cli("--db", str(self.db), "--now", NOW, *args)
        return done.returncode, done.stdout, done.stderr

    def customers(self) -> list[tuple[str, str | None, str]]:
        with sqlite3.connect(self.db) as conn:
            rows = conn.execute("SELECT display_name, suburb, timezone FROM customer ORDER BY id")
            return [(str(n), s, str(z)) for n, s, z in rows]

    def quotes(self) -> int:
        with sqlite3.connect(self.db) as conn:
            return int(conn.execute("SELECT count(*) FROM quote").fetchone()[0])


@pytest.fixture
def shop(tmp_path: Path) -> Shop:
    """An Australian business that already has Li Wei of Glebe as a customer."""
    run = Shop(tmp_path / "d.db")
    for key, value in (("country", "AU"), ("timezone", "Australia/Sydney")):
        code, _, err = run("settings", "set", key, value)
        assert code == 0, err
    code, out, err = run(
        "customer", "add", "--name", "Li Wei", "--phone", "0412 345 679", "--city", "Glebe"
    )
    assert (code, out.strip()) == (0, "1"), err
    return run


def test_same_name_in_the_same_suburb_with_a_new_number_names_them_and_adds_nothing(
    shop: Shop,
) -> None:
    code, out, err = shop(
        "add-lead", "--name", "li wei", "--suburb", "GLEBE", "--phone", "0498 111 222"
    )
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert lines[0] == "1  Li Wei  …5679, Glebe  (same name and suburb)"
    assert lines[-1].startswith("deckfollow: error: --name: already a customer: 1 Li Wei;")
    assert "--customer 1" in lines[-1] and "--new-person" in lines[-1]
    assert shop.customers() == [("Li Wei", "Glebe", "Australia/Sydney")]
    assert shop.quotes() == 0


def test_the_city_alias_is_matched_the_same_way(shop: Shop) -> None:
    code, _, err = shop("add-lead", "--name", "Li Wei", "--city", "Glebe", "--email", "li@wei.au")
    assert code == 2
    assert "(same name and suburb)" in err
    assert len(shop.customers()) == 1


def test_new_person_adds_another_li_wei_of_glebe(shop: Shop) -> None:
    code, out, err = shop(
        "add-lead", "--name", "Li Wei", "--suburb", "Glebe", "--phone", "0498 111 222",
        "--new-person", "--json",
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["customer_id"] == 2
    assert shop.customers()[1] == ("Li Wei", "Glebe", "Australia/Sydney")
    assert shop.quotes() == 1


def test_the_same_name_in_another_suburb_is_someone_new_living_there(shop: Shop) -> None:
    code, out, err = shop(
        "add-lead", "--name", "Li Wei", "--suburb", "Perth", "--phone", "0498 111 222"
    )
    assert (code, out.strip()) == (0, "customer 2, quote 1"), err
    # Where they live sets the hours they are called in, as for a customer added by hand.
    assert shop.customers()[1] == ("Li Wei", "Perth", "Australia/Perth")


def test_the_customer_chosen_keeps_the_suburb_they_gave(tmp_path: Path) -> None:
    run = Shop(tmp_path / "d.db")
    assert run("settings", "set", "country", "AU")[0] == 0
    code, _, err = run("customer", "add", "--name", "Li Wei", "--phone", "0412 345 679")
    assert code == 0, err
    code, _, err = run("add-lead", "--name", "Li Wei", "--city", "Glebe", "--customer", "1")
    assert code == 0, err
    assert [(n, s) for n, s, _ in run.customers()] == [("Li Wei", "Glebe")]


def test_a_suburb_too_long_is_refused_by_its_option(shop: Shop) -> None:
    code, _, err = shop("add-lead", "--name", "Ann Lee", "--suburb", "x" * 101)
    assert code == 2
    assert err.strip().startswith("deckfollow: error: --suburb: is 101 characters long")
    assert len(shop.customers()) == 1


def test_the_same_name_with_no_suburb_is_added_and_the_namesake_named_once(shop: Shop) -> None:
    code, out, err = shop("add-lead", "--name", "LI WEI", "--phone", "0498 111 222")
    assert code == 0
    assert out.strip() == "customer 2, quote 1"
    # Two people may share a name: added, and the one on file named with the way to merge.
    assert err.strip() == (
        "note: customer 1 Li Wei (…5679, Glebe) has the same name; "
        "if they are one person: deckfollow customer merge 1 2"
    )
    assert [c[0] for c in shop.customers()] == ["Li Wei", "LI WEI"]


def test_new_person_or_a_longer_name_says_nothing_of_namesakes(shop: Shop) -> None:
    code, _out, err = shop(
        "add-lead", "--name", "Li Wei", "--phone", "0498 111 222", "--new-person"
    )
    assert (code, err) == (0, "")
    code, _out, err = shop("add-lead", "--name", "Li Weiss", "--phone", "0498 333 444")
    assert (code, err) == (0, "")
