"""Customers who asked not to be contacted are found by the words lists mark them with,
"do not contact", alone or beside other words, the same in every reader of the list."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from deckfollow.core.consent import revoke_consent
from deckfollow.core.customer_search import count_matching, search_customers
from deckfollow.core.settings import save_setting
from deckfollow.core.sqlite_reads import read_customers
from deckfollow.storage.database import Database
from tests.cli.helpers import run_cli
from tests.factories import new_lead


@pytest.fixture
def stopped(db: Database, now: datetime) -> Database:
    """Tom Bradley and Tina Ross asked not to be contacted; Tom Lee did not."""
    with db.unit_of_work() as s:
        save_setting(s, "default_country", "AU")
    for name, phone in (
        ("Tom Bradley", "0412 345 679"),
        ("Tom Lee", "0498 765 432"),
        ("Tina Ross", "0455 111 222"),
    ):
        lead = new_lead(db, name, phone=phone, now=now)
        if name != "Tom Lee":
            with db.unit_of_work() as s:
                revoke_consent(s, lead.customer_id, None, source="call", words="Stop", now=now)
    return db


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("do not contact", ["Tina Ross", "Tom Bradley"]),
        ("Do Not Contact", ["Tina Ross", "Tom Bradley"]),
        ("(do not contact)", ["Tina Ross", "Tom Bradley"]),
        ("tom do not contact", ["Tom Bradley"]),
        ("do not contact 0412 345 679", ["Tom Bradley"]),
        ("tom", ["Tom Bradley", "Tom Lee"]),
        ("do not", []),  # half typed: the words, not the mark
    ],
)
def test_do_not_contact_finds_those_who_asked(
    stopped: Database, typed: str, found: list[str]
) -> None:
    with stopped.reading() as s:
        rows = search_customers(s, typed)
        assert [r.name for r in rows] == found
        assert all(r.do_not_contact for r in rows) or "do not contact" not in typed.lower()
        assert count_matching(s, typed) == len(found)
    path = stopped.path
    assert path is not None
    conn = sqlite3.connect(path)
    try:
        assert [r.name for r in read_customers(conn, typed, country="AU")] == found
    finally:
        conn.close()


def test_the_command_line_lists_them_as_it_marks_them(stopped: Database, tmp_path: Path) -> None:
    stopped.close()
    listed = run_cli("--db", str(stopped.path), "customer", "list", "--search", "do not contact")
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()[1:]
    assert [line.split("  ")[1].strip() for line in lines] == [
        "Tina Ross (do not contact)",
        "Tom Bradley (do not contact)",
    ]


def test_do_not_contact_finds_them_on_postgres(pg: Database, now: datetime) -> None:
    with pg.unit_of_work() as s:
        save_setting(s, "default_country", "AU")
    tom = new_lead(pg, "Tom Bradley", phone="0412 345 679", now=now)
    new_lead(pg, "Tom Lee", phone="0498 765 432", now=now)
    with pg.unit_of_work() as s:
        revoke_consent(s, tom.customer_id, None, source="call", words="Stop", now=now)
    with pg.reading() as s:
        assert [r.name for r in search_customers(s, "tom do not contact")] == ["Tom Bradley"]
        assert count_matching(s, "do not contact") == 1
