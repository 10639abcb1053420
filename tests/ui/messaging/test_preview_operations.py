"""With the window's operations running, the email screen fills in templates on the
database thread and shows the template chosen last."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime

import pytest
from pytestqt.qtbot import QtBot

from deckfollow.core.leads import LeadCreated
from deckfollow.storage.database import Database
from deckfollow.storage.thread_guard import watch_statements
from deckfollow.ui.messaging.compose_email import ComposeEmailDialog
from deckfollow.ui.operations import Operations


@pytest.fixture
def ops(qtbot: QtBot, db: Database) -> Iterator[Operations]:
    worker = Operations(db)
    yield worker
    worker.close()


def test_flicking_through_templates_fills_them_in_off_the_gui_thread(
    qtbot: QtBot, db: Database, now: datetime, customer: LeadCreated, ops: Operations
) -> None:
    dlg = ComposeEmailDialog(db, clock=lambda: now, quote_id=customer.quote_id)
    qtbot.addWidget(dlg)
    qtbot.waitUntil(ops.is_idle)
    assert dlg.body.toPlainText(), "the starting template is filled in"
    gui = threading.get_ident()
    on_gui_thread: list[str] = []
    stop = watch_statements(
        lambda sql: on_gui_thread.append(sql) if threading.get_ident() == gui else None
    )
    try:
        for row in range(dlg.template.count()):
            dlg.template.setCurrentIndex(row)
        qtbot.waitUntil(ops.is_idle)
    finally:
        stop()
    assert on_gui_thread == [], "a template was filled in on the GUI thread"
    last = dlg._draft_r
    assert last is not None and last.template_key == dlg.template.currentData()
    assert dlg.body.toPlainText() == last.body.text and "Zoë" in last.body.text
