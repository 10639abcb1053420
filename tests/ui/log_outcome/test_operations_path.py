"""With the window's operations running, a contact screen's save runs on the database
thread and its Changes are announced once, naming the screen that asked."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from deckfollow.core.changes import Changes
from deckfollow.core.enums import FollowUpStatus, Stage
from deckfollow.core.leads import LeadCreated
from deckfollow.core.models import FollowUp, Quote
from deckfollow.storage.database import Database
from deckfollow.storage.thread_guard import watch_statements
from deckfollow.ui.operations import Operations
from tests.factories import new_lead
from tests.ui.messaging.screens import log_outcome_dialog


@pytest.fixture
def ops(qtbot: QtBot, db: Database) -> Iterator[Operations]:
    worker = Operations(db)
    yield worker
    worker.close()


def test_winning_from_the_log_outcome_screen_saves_off_the_gui_thread(
    qtbot: QtBot, db: Database, now: datetime, ops: Operations
) -> None:
    lead: LeadCreated = new_lead(
        db, "Grace Hopper", "+61412000111", now=now, country="AU", timezone="Australia/Sydney"
    )
    dlg = log_outcome_dialog(db, lambda: now, quote_id=lead.quote_id)
    qtbot.addWidget(dlg)
    dlg.show()
    announced: list[tuple[Changes, object]] = []
    ops.changes_applied.connect(lambda changes, who: announced.append((changes, who)))
    dlg.close_quote.setChecked(True)
    dlg.won.setChecked(True)
    gui = threading.get_ident()
    on_gui_thread: list[str] = []
    stop = watch_statements(
        lambda sql: on_gui_thread.append(sql) if threading.get_ident() == gui else None
    )
    try:
        with qtbot.waitSignal(dlg.logged) as sig:
            dlg.ok_button.click()
        qtbot.waitUntil(ops.is_idle)
    finally:
        stop()
    assert on_gui_thread == [], "the save ran on the GUI thread"
    assert announced == [(sig.args[0], dlg)]
    assert sig.args[0].touches and sig.args[0].quotes and sig.args[0].follow_ups
    assert not dlg.isVisible()
    with db.reading() as s:
        assert s.get(Quote, lead.quote_id).stage is Stage.WON  # type: ignore[union-attr]
        pending = s.execute(
            select(FollowUp.id).where(FollowUp.status == FollowUpStatus.PENDING)
        ).all()
    assert pending, "the after-sale plan started with the win"
