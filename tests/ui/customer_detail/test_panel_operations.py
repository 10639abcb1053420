"""With the window's operations running, the customer panel reads on the database thread
and shows the customer last asked for."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime

import pytest
from pytestqt.qtbot import QtBot

from deckfollow.storage.database import Database
from deckfollow.storage.thread_guard import watch_statements
from deckfollow.ui.customer_detail.panel import DetailPanel
from deckfollow.ui.operations import Operations
from tests.factories import new_lead


@pytest.fixture
def ops(qtbot: QtBot, db: Database) -> Iterator[Operations]:
    worker = Operations(db)
    yield worker
    worker.close()


def test_moving_through_quotes_reads_off_the_gui_thread_and_shows_the_last(
    qtbot: QtBot, db: Database, now: datetime, ops: Operations
) -> None:
    ada = new_lead(db, "Ada Lovelace", "+61412000111", now=now, job="Pergola")
    alan = new_lead(db, "Alan Turing", "+61412000222", now=now, job="Deck")
    panel = DetailPanel(db, clock=lambda: now)
    qtbot.addWidget(panel)
    gui = threading.get_ident()
    on_gui_thread: list[str] = []
    stop = watch_statements(
        lambda sql: on_gui_thread.append(sql) if threading.get_ident() == gui else None
    )
    try:
        panel.show_quote(ada.quote_id)
        panel.show_quote(alan.quote_id)  # the user moved on before Ada was read
        qtbot.waitUntil(ops.is_idle)
    finally:
        stop()
    assert on_gui_thread == [], "the panel read on the GUI thread"
    assert panel.name_label.text() == "Alan Turing"
    assert (panel.customer_id, panel.quote_id) == (alan.customer_id, alan.quote_id)


def test_a_quote_gone_meanwhile_says_so(
    qtbot: QtBot, db: Database, now: datetime, ops: Operations
) -> None:
    panel = DetailPanel(db, clock=lambda: now)
    qtbot.addWidget(panel)
    panel.show_quote(4242)
    qtbot.waitUntil(ops.is_idle)
    assert panel.empty_label.text() == "That quote is in the trash or no longer exists."
