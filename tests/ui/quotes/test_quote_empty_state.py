"""The Quotes page on an empty business says how to start, and a search that finds nothing
says so, in the list where the eye is."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from deckfollow.core.customers import NewCustomer, add_customer
from deckfollow.core.quotes import NewQuote, QuoteEdit, create_quote
from deckfollow.storage.database import Database
from deckfollow.ui.main_window import MainWindow


def _window(qtbot: QtBot, db: Database, now: datetime) -> MainWindow:
    win = MainWindow(db, clock=lambda: now)
    qtbot.addWidget(win)
    win.resize(1200, 800)
    win.show()
    win.show_page("quotes")
    win.refresh()
    qtbot.waitUntil(lambda: win.quotes.model.quote_index is not None)
    return win


def _add_quote(db: Database, now: datetime, name: str) -> None:
    with db.unit_of_work() as s:
        customer = add_customer(s, NewCustomer(name), now=now).customer_id
        create_quote(
            s,
            NewQuote(customer_id=customer, fields=QuoteEdit(job="Deck", amount=Decimal(4850))),
            now=now,
        )


def test_an_empty_quotes_page_says_how_to_start_until_a_quote_exists(
    qtbot: QtBot, db: Database, now: datetime
) -> None:
    win = _window(qtbot, db, now)
    page = win.quotes
    assert page.empty.isVisible()
    text = page.empty.text()
    assert "No quotes yet" in text and "New quote" in text and "Ctrl+Shift+N" in text
    assert "Import contacts" in text
    # Nothing to search or count: not a bare "0 quotes" under an empty table.
    assert not page.view.isVisible() and not page.count.isVisible()
    assert not page.search.isEnabled()
    button = page.new_quote_button
    assert button.isVisible() and button.isEnabled()
    assert button.width() < 2 * button.sizeHint().width()  # a button, not a bar across the page

    _add_quote(db, now, "Jane Smith")
    win.refresh()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert not page.empty.isVisible()
    assert page.view.isVisible() and page.search.isEnabled()
    assert page.count.text() == "1 quote"
    assert not page.no_match.isVisible()


def test_a_search_that_finds_nothing_says_so(qtbot: QtBot, db: Database, now: datetime) -> None:
    _add_quote(db, now, "Jane Doe")
    _add_quote(db, now, "Sam Lee")
    win = _window(qtbot, db, now)
    page = win.quotes
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)
    QTest.keyClicks(page.search, "smith")
    qtbot.waitUntil(lambda: page.model.rowCount() == 0)
    assert page.no_match.isVisible()
    assert page.no_match.text() == "No quotes match “smith”.\n2 quotes in all."
    # Over the empty list, not cut off at its edge.
    assert page.no_match.geometry() == page.view.viewport().rect()
    assert page.count.text() == "0 of 2 quotes"
    assert not page.empty.isVisible()

    page.overdue.setChecked(True)
    qtbot.waitUntil(lambda: "with these filters" in page.no_match.text())
    page.search.clear()
    qtbot.waitUntil(lambda: page.no_match.text().startswith("No quotes match these filters."))
    page.overdue.setChecked(False)
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)
    assert not page.no_match.isVisible()
