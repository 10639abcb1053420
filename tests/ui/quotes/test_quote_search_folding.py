# mypy: disable-error-code="no-untyped-call"
"""The quote list finds a customer's quote typed without accents or capitals."""

from __future__ import annotations

from datetime import datetime

import pytest
from pytestqt.qtbot import QtBot

from deckfollow.core.board import load_quote_index
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.storage.database import Database
from deckfollow.ui.quote_list import QuoteListPage

LEADS = [
    ("Jürgen Müller", "Hardwood deck"),
    ("Jane Miller", "Pergola"),
    ("Łukasz Wróbel", "Fence — Ørsted pattern"),
]


@pytest.fixture
def page(qtbot: QtBot, db: Database, now: datetime) -> QuoteListPage:
    with db.unit_of_work() as s:
        for name, job in LEADS:
            add_lead(s, NewLead(name, job=job, answered=True), now=now)
    shown = QuoteListPage()
    qtbot.addWidget(shown)
    with db.reading() as s:
        shown.set_index(load_quote_index(s, now=now))
    shown.resize(1200, 500)
    shown.show()
    return shown


@pytest.mark.parametrize(
    ("typed", "who"),
    [
        ("muller", ["Jürgen Müller"]),
        ("MULLER deck", ["Jürgen Müller"]),
        ("lukasz", ["Łukasz Wróbel"]),
        ("orsted", ["Łukasz Wróbel"]),
    ],
)
def test_typing_without_accents_finds_the_quote(
    qtbot: QtBot, page: QuoteListPage, typed: str, who: list[str]
) -> None:
    page.search.clear()
    qtbot.keyClicks(page.search, typed)
    qtbot.waitUntil(lambda: page.model.filter.text == typed)
    rows = (page.model.row_at(i) for i in range(page.model.rowCount()))
    assert [r.customer for r in rows if r is not None] == who
