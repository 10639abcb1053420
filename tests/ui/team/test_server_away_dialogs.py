"""The team server goes away while a dialog is open: what was typed stays, the banner says
so, Save waits, and once the server is back Save works and saves exactly what was typed.

The server is cut off by a relay in front of the real PostgreSQL server: every open
connection drops and new ones are refused, as when the server stops or the network goes.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from deckfollow.core.enums import Outcome
from deckfollow.core.leads import LeadCreated, NewLead, add_lead
from deckfollow.core.models import Touch
from deckfollow.core.quotes import quote_details
from deckfollow.storage.database import Database, open_database
from deckfollow.ui.log_outcome import LogOutcomeDialog
from deckfollow.ui.quote_editor import QuoteDialog
from deckfollow.ui.team.server_away import server_watch
from deckfollow.ui.team.server_banner import ServerBanner
from tests.storage.pg_proxy import Relay, relay_to
from tests.storage.pg_server import postgres_server


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    with postgres_server() as url:
        yield url


@pytest.fixture
def away(pg_url: str) -> Iterator[tuple[Relay, Database]]:
    with relay_to(pg_url) as (relay, url):
        db = open_database(url)
        yield relay, db
        db.close()
    server_watch().set_state(True)


@pytest.fixture
def lead(away: tuple[Relay, Database], now: datetime) -> LeadCreated:
    _relay, db = away
    with db.unit_of_work() as s:
        return add_lead(
            s,
            NewLead("Grace Hopper", phone="+61412000111", country="AU", answered=True),
            now=now,
        )


def test_the_quote_dialog_keeps_its_text_and_saves_once_the_server_is_back(
    qtbot: QtBot, away: tuple[Relay, Database], lead: LeadCreated, now: datetime
) -> None:
    relay, db = away
    banner = ServerBanner(db.display)
    qtbot.addWidget(banner)
    dialog = QuoteDialog(db, clock=lambda: now, quote_id=lead.quote_id)
    qtbot.addWidget(dialog)
    dialog.show()
    label = dialog.save_button.text()
    dialog.amount.setText("4850")
    relay.cut()
    dialog.save()
    assert dialog.isVisible(), "the dialog stays open"
    assert dialog.amount.text() == "4850", "what was typed is kept"
    said = dialog.error.text()
    assert "cannot be reached" in said and "nothing was saved" in said
    assert "psycopg" not in said and "Error" not in said  # never a raw error
    assert not dialog.save_button.isEnabled()
    assert not banner.isHidden() and "cannot be reached" in banner.label.text()
    relay.restore()
    qtbot.waitUntil(dialog.save_button.isEnabled, timeout=15_000)
    assert dialog.save_button.text() == label
    assert banner.isHidden()
    dialog.save()
    assert not dialog.isVisible()  # saved and closed
    with db.reading() as s:
        assert quote_details(s, lead.quote_id).amount == Decimal("4850.00")


def test_the_log_outcome_dialog_keeps_the_note_and_logs_once_the_server_is_back(
    qtbot: QtBot, away: tuple[Relay, Database], lead: LeadCreated, now: datetime
) -> None:
    relay, db = away
    dialog = LogOutcomeDialog(db, clock=lambda: now, quote_id=lead.quote_id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.outcome.setCurrentIndex(dialog.outcome.findData(Outcome.REACHED.value))
    dialog.note.setPlainText("Wants merbau, not treated pine")
    dialog.close_quote.setChecked(True)
    dialog.lost.setChecked(True)
    dialog.lost_reason.setText("went with a cheaper quote")
    assert dialog.ok_button.isEnabled()
    relay.cut()
    dialog.save()
    assert dialog.isVisible()
    assert dialog.note.toPlainText() == "Wants merbau, not treated pine"
    assert dialog.lost_reason.text() == "went with a cheaper quote"
    assert "cannot be reached" in dialog.error.text()
    assert not dialog.ok_button.isEnabled()
    relay.restore()
    qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=15_000)
    with qtbot.waitSignal(dialog.logged):
        dialog.save()
    assert not dialog.isVisible()
    with db.reading() as s:
        notes = list(s.execute(select(Touch.summary)).scalars())
    assert "Wants merbau, not treated pine" in notes
