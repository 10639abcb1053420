"""Call, text or email a customer from their details, as from Today."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from deckfollow.core.enums import Channel
from deckfollow.core.followups import FollowUpPlan, schedule_follow_up
from deckfollow.core.leads import LeadCreated
from deckfollow.storage.database import Database
from deckfollow.ui.customer_detail.panel import DetailPanel
from deckfollow.ui.messaging.call import CallDialog
from deckfollow.ui.messaging.compose_email import ComposeEmailDialog
from deckfollow.ui.messaging.text_message import TextMessageDialog
from deckfollow.ui.operations import Operations
from tests.ui.waiting import settle


def _opened(qtbot: QtBot, panel: DetailPanel, channel: Channel) -> QDialog:
    """Press the panel's button for `channel`; the screen it opens once its read is in."""
    before = panel.active_dialog
    panel.open_contact(channel)
    # Which follow-up it is about is read on the database thread: nothing is open yet.
    assert panel.active_dialog is before
    qtbot.waitUntil(lambda: panel.active_dialog is not before)
    dialog = panel.active_dialog
    assert dialog is not None
    return dialog


def test_the_details_panel_opens_each_screen_about_the_next_follow_up(
    qtbot: QtBot, db: Database, now: datetime, customer: LeadCreated
) -> None:
    with db.unit_of_work() as s:
        email_id = schedule_follow_up(
            s,
            customer.customer_id,
            customer.quote_id,
            FollowUpPlan(now + timedelta(hours=2), Channel.EMAIL, "Answer questions on the steps"),
            now=now,
        ).id
    Operations(db)  # the window's database thread: which follow-up it is about is read there
    panel = DetailPanel(db, clock=lambda: now)
    qtbot.addWidget(panel)
    panel.show_quote(customer.quote_id)
    settle(qtbot, panel)  # the panel shows the customer once read

    email = _opened(qtbot, panel, Channel.EMAIL)
    assert isinstance(email, ComposeEmailDialog)
    # About the pending email follow-up: its reason, and it is the one marked done.
    assert email.target.follow_up_id == email_id
    body = email.body.toPlainText()
    assert "The reason I'm writing is to answer questions on the steps." in body
    email.close()

    # No call planned: the screen is about the customer and the quote shown.
    call = _opened(qtbot, panel, Channel.CALL)
    assert isinstance(call, CallDialog)
    assert call.target.follow_up_id is None
    assert (call.target.customer_id, call.target.quote_id) == (
        customer.customer_id,
        customer.quote_id,
    )
    assert [n.label for n in call.numbers] == ["cell", "office"]
    call.close()
    qtbot.waitUntil(lambda: not panel.findChildren(QDialog))  # the closed screen is gone

    text = _opened(qtbot, panel, Channel.TEXT)
    assert isinstance(text, TextMessageDialog) and text.target.follow_up_id is None
    text.close()
    qtbot.waitUntil(lambda: not panel.findChildren(QDialog))  # each closed screen is gone


def test_a_double_press_on_call_in_the_details_opens_one_screen(
    qtbot: QtBot, db: Database, now: datetime, customer: LeadCreated
) -> None:
    ops = Operations(db)
    panel = DetailPanel(db, clock=lambda: now)
    qtbot.addWidget(panel)
    panel.show_quote(customer.quote_id)
    settle(qtbot, ops)  # the panel shows the customer once read

    panel.open_contact(Channel.CALL)
    panel.open_contact(Channel.CALL)  # pressed again before the first read answered
    settle(qtbot, ops)

    [call] = panel.findChildren(CallDialog)
    assert panel.active_dialog is call and call.isVisible()
    call.close()
    qtbot.waitUntil(lambda: not panel.findChildren(QDialog))  # the closed screen is gone
