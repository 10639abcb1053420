"""The Customers page on a team database whose server goes away: it says so where the count
goes, and the list fills in by itself once the server is back."""

from __future__ import annotations

from datetime import datetime

from pytestqt.qtbot import QtBot

from deckfollow.core.leads import NewLead, add_lead
from deckfollow.storage.database import Database
from deckfollow.ui.customers import CustomersPage
from deckfollow.ui.customers.model import NAME
from deckfollow.ui.operations import Operations
from tests.storage.pg_proxy import Relay
from tests.ui.team.test_server_away_dialogs import BACK, away  # noqa: F401 - `away` is a fixture
from tests.ui.waiting import settle


def test_the_list_fills_in_once_the_server_is_back(
    qtbot: QtBot,
    away: tuple[Relay, Database],  # noqa: F811
    now: datetime,
) -> None:
    relay, db = away
    with db.unit_of_work() as s:
        add_lead(s, NewLead("Grace Hopper", phone="+61412000111", country="AU"), now=now)
    ops = Operations(db)
    relay.cut()
    page = CustomersPage(ops, clock=lambda: now)
    qtbot.addWidget(page)
    page.resize(1000, 700)
    page.show()  # reads the first page, which finds the server away
    qtbot.waitUntil(lambda: "Can't reach the team server" in page.count.text(), timeout=BACK)
    assert page.count.isVisible() and "fills in by itself" in page.count.text()
    assert not page.empty.isVisible(), "not 'no customers yet': they could not be read"
    relay.restore()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=BACK)
    assert page.model.index(0, NAME).data() == "Grace Hopper"
    qtbot.waitUntil(lambda: page.count.text() == "1 customer", timeout=BACK)
    settle(qtbot, ops)
    ops.close()
