# mypy: disable-error-code="no-untyped-call"
"""A save from the details panel, or from a screen it opened, refreshes the other pages once:
what the save changed reaches them once, not a second time as "everything"."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from deckfollow.core.enums import Channel, Outcome
from deckfollow.core.leads import LeadCreated, NewLead, add_lead
from deckfollow.core.models import Customer, Touch
from deckfollow.storage.database import Database
from deckfollow.ui.consent import StopContactDialog
from deckfollow.ui.features import install_features
from deckfollow.ui.main_window import MainWindow
from deckfollow.ui.messaging.call import CallDialog
from tests.ui.waiting import settle

SYD = "Australia/Sydney"


pytestmark = pytest.mark.usefixtures("first_run_layout")


@pytest.fixture
def lead(db: Database, now: datetime) -> LeadCreated:
    """A new lead whose first reply is due now: on Today."""
    with db.unit_of_work() as s:
        return add_lead(s, NewLead("Mia Chen", phone="+61412345679", timezone=SYD), now=now)


def _window_with_details(
    qtbot: QtBot, db: Database, now: datetime, lead: LeadCreated
) -> MainWindow:
    window = MainWindow(db, clock=lambda: now)
    qtbot.addWidget(window)
    install_features(window, db, lambda: now)
    window.resize(1400, 900)
    window.show()
    window.show_page("today")
    window.refresh()
    settle(qtbot, window)
    window.detail_dock.show()
    window.detail.show_quote(lead.quote_id)
    settle(qtbot, window)
    assert window.detail.customer_id == lead.customer_id
    return window


def _count_today_reads(window: MainWindow) -> list[int]:
    reads: list[int] = []
    read_today = window.today.refresh

    def counted() -> None:
        reads.append(1)
        read_today()

    window.today.refresh = counted  # type: ignore[method-assign]
    return reads


def test_a_contact_save_in_the_details_refreshes_today_once(
    qtbot: QtBot, db: Database, now: datetime, lead: LeadCreated
) -> None:
    window = _window_with_details(qtbot, db, now, lead)
    reads = _count_today_reads(window)
    panel = window.detail
    email = panel.fields["email"]
    email.clear()
    qtbot.keyClicks(email, "mia@example.com")
    with qtbot.waitSignal(panel.changed):
        qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert len(reads) == 1
    with db.reading() as s:
        customer = s.get(Customer, lead.customer_id)
        assert customer is not None and customer.email == "mia@example.com"
    assert window.detail.fields["email"].text() == "mia@example.com"  # type: ignore[union-attr]


def test_a_call_logged_from_the_details_refreshes_today_once(
    qtbot: QtBot, db: Database, now: datetime, lead: LeadCreated
) -> None:
    window = _window_with_details(qtbot, db, now, lead)
    panel = window.detail
    panel.open_contact(Channel.CALL)
    qtbot.waitUntil(lambda: isinstance(panel.active_dialog, CallDialog))
    call = panel.active_dialog
    assert isinstance(call, CallDialog)
    settle(qtbot, window)

    call.outcome_buttons[Outcome.REACHED].setChecked(True)
    call.next_step.reason.setText("Send the revised quote")
    reads = _count_today_reads(window)
    with qtbot.waitSignal(panel.changed):
        qtbot.mouseClick(call.log_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert len(reads) == 1
    with db.reading() as s:
        calls = s.scalars(select(Touch).where(Touch.customer_id == lead.customer_id)).all()
        assert [(t.channel, t.outcome) for t in calls] == [(Channel.CALL, Outcome.REACHED)]


def test_a_stop_from_the_details_refreshes_today_once(
    qtbot: QtBot, db: Database, now: datetime, lead: LeadCreated
) -> None:
    window = _window_with_details(qtbot, db, now, lead)
    assert window.today.current_item() is not None  # the first reply is due
    panel = window.detail
    qtbot.mouseClick(panel.stop_button, Qt.MouseButton.LeftButton)
    stop = panel.active_dialog
    assert isinstance(stop, StopContactDialog)
    settle(qtbot, window)
    stop.words.setPlainText("Please don't contact me again")
    reads = _count_today_reads(window)
    with qtbot.waitSignal(panel.changed):
        qtbot.mouseClick(stop.stop_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert len(reads) == 1
    # Stopping cancelled the waiting first reply: Today has nothing left for them.
    assert window.today.current_item() is None
