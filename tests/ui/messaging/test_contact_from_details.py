"""Call, text or email a customer from their details, as from Today."""

from __future__ import annotations

from datetime import datetime, timedelta

from pytestqt.qtbot import QtBot

from deckfollow.core.enums import Channel
from deckfollow.core.followups import FollowUpPlan, schedule_follow_up
from deckfollow.core.leads import LeadCreated
from deckfollow.storage.database import Database
from deckfollow.ui.customer_detail.panel import DetailPanel
from deckfollow.ui.messaging.call import CallDialog
from deckfollow.ui.messaging.compose_email import ComposeEmailDialog
from deckfollow.ui.messaging.text_message import TextMessageDialog


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
    panel = DetailPanel(db, clock=lambda: now)
    qtbot.addWidget(panel)
    panel.show_quote(customer.quote_id)

    email = panel.open_contact(Channel.EMAIL)
    assert isinstance(email, ComposeEmailDialog)
    # About the pending email follow-up: its reason, and it is the one marked done.
    assert email.target.follow_up_id == email_id
    body = email.body.toPlainText()
    assert "The reason I'm writing is to answer questions on the steps." in body
    email.close()

    # No call planned: the screen is about the customer and the quote shown.
    call = panel.open_contact(Channel.CALL)
    assert isinstance(call, CallDialog)
    assert call.target.follow_up_id is None
    assert (call.target.customer_id, call.target.quote_id) == (
        customer.customer_id,
        customer.quote_id,
    )
    assert [n.label for n in call.numbers] == ["cell", "office"]
    call.close()

    text = panel.open_contact(Channel.TEXT)
    assert isinstance(text, TextMessageDialog) and text.target.follow_up_id is None
    text.close()
