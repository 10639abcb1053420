"""A saved change reaches the pages through `apply_changes`: the quote list and the board
take the rows it names, keep what the user had chosen, and leave alone what it does not
concern."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from pytestqt.qtbot import QtBot

from deckfollow.core.changes import Changes
from deckfollow.core.enums import Stage
from deckfollow.core.leads import LeadCreated, NewLead, add_lead
from deckfollow.core.models import Customer
from deckfollow.core.pipeline import move_stage
from deckfollow.storage.database import Database
from deckfollow.ui.main_window import MainWindow
from tests.ui.waiting import wait_idle


def _lead(db: Database, now: datetime, name: str) -> LeadCreated:
    with db.unit_of_work() as s:
        lead = NewLead(name=name, phone="0412 345 678", job="Deck", country="AU",
                       timezone="Australia/Sydney", answered=True)  # fmt: skip
        return add_lead(s, lead, now=now - timedelta(days=3))


@pytest.fixture
def window(qtbot: QtBot, db: Database, now: datetime) -> MainWindow:
    win = MainWindow(db, clock=lambda: now)
    qtbot.addWidget(win)
    win.show()
    return win


def _names(window: MainWindow) -> list[str]:
    model = window.quotes.model
    return [row.customer for i in range(model.rowCount()) if (row := model.row_at(i))]


def test_a_named_change_updates_the_list_and_board_in_place(
    window: MainWindow, db: Database, now: datetime
) -> None:
    mia = _lead(db, now, "Mia Chen")
    bob = _lead(db, now, "Bob Ortiz")
    assert mia.quote_id is not None and bob.quote_id is not None
    window.show_page("quotes")
    window.refresh()
    wait_idle(window)
    window.quotes.search.setText("o")  # Bob Ortiz has an "o"; Mia Chen has none
    window.quotes.apply_filter()
    assert _names(window) == ["Bob Ortiz"]
    with db.unit_of_work() as s:
        customer = s.get(Customer, mia.customer_id)
        assert customer is not None
        customer.display_name = "Mia Orr"
        move_stage(s, mia.quote_id, Stage.QUOTED, now=now)
    window.apply_changes(
        Changes(
            quotes=True,
            customers=True,
            quote_ids=frozenset({mia.quote_id}),
            customer_ids=frozenset({mia.customer_id}),
        )
    )
    wait_idle(window)  # the rows named are read on the database thread
    assert window.quotes.search.text() == "o", "the search the user typed stays"
    assert sorted(_names(window)) == ["Bob Ortiz", "Mia Orr"], "the new name is searched"
    quoted = window.board.columns[Stage.QUOTED].model
    assert quoted.row_of(mia.quote_id) >= 0, "the board moved the card"
    assert window.board.columns[Stage.LEAD].model.row_of(mia.quote_id) < 0


def test_a_change_that_concerns_no_quote_leaves_the_list_as_it_was(
    window: MainWindow, db: Database, now: datetime
) -> None:
    mia = _lead(db, now, "Mia Chen")
    window.show_page("quotes")
    window.refresh()
    wait_idle(window)
    index = window.quotes.model.quote_index
    with db.unit_of_work() as s:
        customer = s.get(Customer, mia.customer_id)
        assert customer is not None
        customer.display_name = "Mia Orr"  # saved, but the change below does not say so
    window.apply_changes(Changes(consent=True))
    wait_idle(window)
    assert window.quotes.model.quote_index is index
    assert _names(window) == ["Mia Chen"], "consent alone: nothing on the list to read again"
    window.apply_changes(Changes(customers=True))  # which customer, unsaid: read it all
    wait_idle(window)
    assert _names(window) == ["Mia Orr"]
