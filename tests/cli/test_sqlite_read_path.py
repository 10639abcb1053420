"""The common read commands answer from a SQLite file with sqlite3 alone, and print exactly
what the services' path prints on the same database: every option of `settings show`,
`consent show`, `customer list` (searches, sorts, accents, numbers typed any way), `customer
show` and `quote list`, over a demo business with a merge, a do-not-contact customer and the
trash."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from deckfollow.cli.context import CliContext
from deckfollow.core.consent import revoke_consent
from deckfollow.core.customer_merge import merge_customers
from deckfollow.core.customers import NewCustomer, add_customer
from deckfollow.core.trash import trash_customer
from deckfollow.demo.generator import generate_demo
from deckfollow.storage.database import open_database
from tests.cli.helpers import run_in_process
from tests.conftest import FROZEN_NOW

NOW = "2026-11-22T22:00Z"


@pytest.fixture(scope="module")
def business(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, list[int]]]:
    """A demo business with the cases a list must get right; its file and some customer ids."""
    path = tmp_path_factory.mktemp("reads") / "business.db"
    db = open_database(str(path))
    try:
        with db.unit_of_work() as s:
            generate_demo(s, customers=120, quotes=240, seed=5, now=FROZEN_NOW, country="AU")
        with db.unit_of_work() as s:
            zoe = add_customer(
                s, NewCustomer("Zoë Ångström", phone="0412 345 679", country="AU"), now=FROZEN_NOW
            ).customer_id
            twin = add_customer(
                s,
                NewCustomer("Zoe Angstrom", email="zoe_a@example.com", country="AU"),
                allow_duplicate=True,
                now=FROZEN_NOW,
            ).customer_id
            gone = add_customer(
                s, NewCustomer("Trashed Tess 100%", country="AU"), now=FROZEN_NOW
            ).customer_id
        with db.unit_of_work() as s:
            merge_customers(s, zoe, twin, now=FROZEN_NOW)
            revoke_consent(s, 3, None, source="call", words="Stop calling me", now=FROZEN_NOW)
            trash_customer(s, gone, now=FROZEN_NOW)
    finally:
        db.close()
    yield path, [1, 2, 3, 7, zoe, twin, gone, 999_999]


Result = tuple[int | None, str, str]


def _both(monkeypatch: pytest.MonkeyPatch, db: Path, *args: str) -> tuple[Result, Result]:
    """(exit code, out, err) of the command on the sqlite3 path and on the services' path."""
    argv = ["--db", str(db), "--now", NOW, *args]
    direct = run_in_process(argv)
    with monkeypatch.context() as m:
        m.setattr(CliContext, "read_sqlite", lambda self: None)
        through_services = run_in_process(argv)
    return direct, through_services


def test_settings_show_prints_the_same_both_ways(
    monkeypatch: pytest.MonkeyPatch, business: tuple[Path, list[int]], tmp_path: Path
) -> None:
    db, _ = business
    for args in (["settings", "show"], ["settings", "show", "--json"]):
        direct, services = _both(monkeypatch, db, *args)
        assert direct == services
        assert direct[0] == 0 and "Australia/Sydney" in direct[1]
    # A database where nothing was chosen yet: the computer's defaults, marked not chosen.
    empty = tmp_path / "empty.db"
    open_database(str(empty)).close()
    direct, services = _both(monkeypatch, empty, "settings", "show", "--json")
    assert direct == services
    assert '"not_chosen": [\n  "business"' in direct[1]


def test_consent_show_prints_the_same_both_ways(
    monkeypatch: pytest.MonkeyPatch, business: tuple[Path, list[int]]
) -> None:
    db, ids = business
    merged, stopped = ids[4], 3
    for customer in ids:
        for args in (["--json"], []):
            direct, services = _both(
                monkeypatch, db, "consent", "show", "--customer", str(customer), *args
            )
            assert direct == services, customer
    direct, _ = _both(monkeypatch, db, "consent", "show", "--customer", str(merged), "--json")
    assert '"merges": [\n  {' in direct[1]
    direct, _ = _both(monkeypatch, db, "consent", "show", "--customer", str(stopped))
    assert "DO NOT CONTACT" in direct[1]
    direct, _ = _both(monkeypatch, db, "consent", "show", "--customer", str(ids[6]))
    assert direct[0] == 2 and "no customer with id" in direct[2]  # in the trash


SEARCHES = [
    "", "zoe", "ZOË ång", "smith", "0412 345 679", "+61 412", "0412", "04 12", "412345",
    "0061412", "ab_c", "100%", "¨", "  ", "e a", "(02) 9",
]  # fmt: skip
SORTS = ["name", "company", "suburb", "phone", "email", "open_quotes", "last_touch"]


@pytest.mark.parametrize("n", range(len(SEARCHES)))
def test_customer_list_prints_the_same_both_ways(
    monkeypatch: pytest.MonkeyPatch, business: tuple[Path, list[int]], n: int
) -> None:
    db, _ = business
    sort, desc = SORTS[n % len(SORTS)], ["--desc"] * (n % 2)
    for form in (["--json"], []):
        args = ["customer", "list", "--search", SEARCHES[n], "--sort", sort, *desc, *form]
        direct, services = _both(monkeypatch, db, *args)
        assert direct == services, args


def test_every_order_of_the_customer_list_is_the_same_both_ways(
    monkeypatch: pytest.MonkeyPatch, business: tuple[Path, list[int]]
) -> None:
    db, _ = business
    for sort in SORTS:
        for desc in ([], ["--desc"]):
            args = ["customer", "list", "--sort", sort, *desc, "--json"]
            direct, services = _both(monkeypatch, db, *args)
            assert direct == services, args


def test_a_search_finds_through_both_paths(
    monkeypatch: pytest.MonkeyPatch, business: tuple[Path, list[int]]
) -> None:
    """The comparisons above compare real lists: accents, a number typed nationally."""
    db, ids = business
    for search in ("zoe", "0412 345 679"):
        direct, _ = _both(monkeypatch, db, "customer", "list", "--search", search, "--json")
        assert f'"id": {ids[4]},' in direct[1]
    direct, _ = _both(monkeypatch, db, "customer", "list", "--json")
    assert direct[1].count('"id":') > 100


def test_customer_show_prints_the_same_both_ways(
    monkeypatch: pytest.MonkeyPatch, business: tuple[Path, list[int]]
) -> None:
    db, ids = business
    for customer in ids:
        for form in (["--json"], []):
            direct, services = _both(monkeypatch, db, "customer", "show", str(customer), *form)
            assert direct == services, customer
    direct, _ = _both(monkeypatch, db, "customer", "show", "1", "--json")
    assert '"quotes": [\n  {' in direct[1]  # a customer with quotes was compared
    direct, _ = _both(monkeypatch, db, "customer", "show", str(ids[-1]))
    assert direct[0] == 2 and "no customer with id" in direct[2]


@pytest.mark.parametrize("stage", [None, "lead", "quoted", "following_up", "won", "lost", "parked"])
def test_quote_list_prints_the_same_both_ways(
    monkeypatch: pytest.MonkeyPatch, business: tuple[Path, list[int]], stage: str | None
) -> None:
    db, _ = business
    chosen = ["--stage", stage] if stage else []
    for form in (["--json"], []):
        direct, services = _both(monkeypatch, db, "quote", "list", *chosen, *form)
        assert direct == services, (stage, form)
        assert direct[0] == 0
    direct, _ = _both(monkeypatch, db, "quote", "list", *chosen, "--json")
    assert direct[1].count('"id":') > 3


def test_the_read_commands_load_no_sqlalchemy(business: tuple[Path, list[int]]) -> None:
    db, _ = business
    for args in (
        ["settings", "show"],
        ["consent", "show", "--customer", "1", "--json"],
        ["customer", "list", "--search", "0412", "--json"],
        ["customer", "show", "1"],
        ["quote", "list", "--json"],
    ):
        probe = (
            "import sys\n"
            "from deckfollow.cli.main import main\n"
            f"code = main(['--db', {str(db)!r}, '--now', {NOW!r}, *{args!r}])\n"
            "print(code, 'sqlalchemy' in sys.modules, file=sys.stderr)\n"
        )
        r = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, check=False
        )
        assert r.stderr.strip() == "0 False", args
