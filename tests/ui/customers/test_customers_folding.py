# mypy: disable-error-code="no-untyped-call"
"""The Customers page finds a customer typed quickly without accents or capitals."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from pytestqt.qtbot import QtBot

from deckfollow.core.customers import NewCustomer, add_customer
from deckfollow.core.settings import save_setting
from deckfollow.storage.database import Database
from deckfollow.ui.customers import CustomersPage
from deckfollow.ui.customers.model import NAME, SUBURB
from deckfollow.ui.operations import Operations
from tests.ui.waiting import settle

PEOPLE = [
    NewCustomer(name="Zoë Tane", suburb="Newtown"),
    NewCustomer(name="Jürgen Müller", suburb="Glebe"),
    NewCustomer(name="Łukasz Wróbel", suburb="Balmain"),
    NewCustomer(name="Siobhán Ørsted", suburb="Rozelle"),
    NewCustomer(name="Zoe Park", suburb="Ørbæk"),
    NewCustomer(name="Mia Chen", suburb="Leichhardt"),
]


@pytest.fixture
def page(qtbot: QtBot, db: Database, now: datetime) -> Iterator[CustomersPage]:
    with db.unit_of_work() as s:
        save_setting(s, "default_country", "AU")
        for person in PEOPLE:
            add_customer(s, person, now=now)
    ops = Operations(db)
    shown = CustomersPage(ops, clock=lambda: now)
    qtbot.addWidget(shown)
    shown.resize(1000, 500)
    shown.show()
    qtbot.waitUntil(lambda: shown.model.rowCount() == len(PEOPLE))
    yield shown
    ops.close()


def _typed(qtbot: QtBot, page: CustomersPage, text: str) -> list[tuple[str, str]]:
    page.search.clear()
    qtbot.keyClicks(page.search, text)
    page.apply_search()
    qtbot.waitUntil(lambda: page.model.text == text)
    settle(qtbot, page)  # the rows found, read on the database thread
    model = page.model
    return [
        (model.index(r, NAME).data(), model.index(r, SUBURB).data())
        for r in range(model.rowCount())
    ]


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("zoe", [("Zoe Park", "Ørbæk"), ("Zoë Tane", "Newtown")]),
        ("ZOE tane", [("Zoë Tane", "Newtown")]),
        ("muller", [("Jürgen Müller", "Glebe")]),
        ("lukasz", [("Łukasz Wróbel", "Balmain")]),
        ("orsted", [("Siobhán Ørsted", "Rozelle")]),
        ("orbaek", [("Zoe Park", "Ørbæk")]),
    ],
)
def test_typing_without_accents_finds_the_accented_name(
    qtbot: QtBot, page: CustomersPage, typed: str, found: list[tuple[str, str]]
) -> None:
    assert _typed(qtbot, page, typed) == found
    assert page.count.text() == f"{len(found)} of {len(PEOPLE)} customers"
