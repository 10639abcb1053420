"""Today shows the words the call, text and email screens open with, and they read naturally."""

from __future__ import annotations

from datetime import datetime, timedelta

from pytestqt.qtbot import QtBot

from deckfollow.core.enums import Basis, Channel
from deckfollow.core.followups import FollowUpPlan, schedule_follow_up
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.settings import save_setting
from deckfollow.messaging.template_library import seed_builtin_templates
from deckfollow.storage.database import Database
from deckfollow.ui.operations import Operations
from deckfollow.ui.today_page.page import TodayPage
from tests.ui.messaging.screens import call_dialog, email_dialog
from tests.ui.waiting import settle


def _unpriced_lead(db: Database, now: datetime) -> dict[Channel, int]:
    """A new enquiry (no quote amount yet) with a call due now and an email later today."""
    with db.unit_of_work() as s:
        seed_builtin_templates(s)  # as the app does at every start
        for key, value in (
            ("owner_name", "Sam Carpenter"),
            ("business_name", "Carpenter Decks"),
            ("owner_phone", "+61412555019"),
            ("owner_timezone", "Australia/Sydney"),
        ):
            save_setting(s, key, value)
        lead = add_lead(
            s,
            NewLead(
                "Olivia Williams",
                phone="+61412722267",
                email="olivia@example.com",
                country="AU",
                timezone="Australia/Sydney",
                job="Deck restoration — sand and oil, 35 m²",
                answered=True,
            ),
            now=now - timedelta(hours=2),
        )
        ids = {}
        # The email is one she asked for: two planned touches would be a day apart.
        for hours, channel, basis in (
            (0, Channel.CALL, Basis.PLANNED),
            (3, Channel.EMAIL, Basis.AGREED),
        ):
            ids[channel] = schedule_follow_up(
                s,
                lead.customer_id,
                lead.quote_id,
                FollowUpPlan(
                    now + timedelta(hours=hours),
                    channel,
                    "First reply to the deck restoration enquiry",
                    basis,
                    "Email me the details too" if basis is Basis.AGREED else None,
                ),
                now=now - timedelta(hours=1),
            ).id
    return ids


def test_today_reads_a_lead_its_script_without_a_missing_field_marker(
    qtbot: QtBot, db: Database, now: datetime
) -> None:
    ids = _unpriced_lead(db, now)
    Operations(db)  # the window's database thread: Today is read there
    today = TodayPage(db, clock=lambda: now)
    qtbot.addWidget(today)
    today.refresh()
    settle(qtbot, today)
    assert today.select_follow_up(ids[Channel.CALL])
    settle(qtbot, today)
    script = today.script.toPlainText()
    assert "?]" not in script and "[" not in script
    assert "quote amount" not in script
    assert "The reason I'm calling is to answer your deck restoration enquiry." in script
    assert script.startswith("Hi Olivia, it's Sam from Carpenter Decks.")

    # The call screen opens with the very same words.
    call = call_dialog(db, now, follow_up_id=ids[Channel.CALL])
    qtbot.addWidget(call)
    assert call.script.text.toPlainText() == script
    assert call.script.missing.isHidden()

    # So does the email: subject and body as Today shows them, nothing to fill in.
    assert today.select_follow_up(ids[Channel.EMAIL])
    settle(qtbot, today)
    email = email_dialog(db, now, follow_up_id=ids[Channel.EMAIL])
    qtbot.addWidget(email)
    assert today.script.toPlainText() == (
        f"Subject: {email.subject.text()}\n\n{email.body.toPlainText()}"
    )
    assert email.missing.isHidden()
    assert "Your enquiry about the deck restoration" in email.subject.text()
