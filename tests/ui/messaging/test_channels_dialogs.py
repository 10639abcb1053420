# mypy: disable-error-code="no-untyped-call"
"""Sending a text through the provider from the Text screen; the Texts and Replies settings."""

from __future__ import annotations

from datetime import datetime, timedelta

from keyring.backends import null
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from deckfollow.core.enums import Channel, Direction, Outcome
from deckfollow.core.followups import FollowUpPlan, schedule_follow_up
from deckfollow.core.leads import LeadCreated
from deckfollow.core.models import Setting, Touch
from deckfollow.messaging.credentials import CredentialStore
from deckfollow.messaging.imap import load_imap_settings
from deckfollow.messaging.inbox import inbox_enabled
from deckfollow.messaging.sms_providers import Provider, load_sms_settings
from deckfollow.storage.database import Database
from deckfollow.ui.messaging.inbox_settings import InboxForm, InboxSettingsDialog, load_inbox_form
from deckfollow.ui.messaging.sms_settings import SmsSettingsDialog
from deckfollow.ui.operations import Operations
from tests.messaging.conftest import dovecot, sms_standin
from tests.messaging.imap_server import IMAP_PASSWORD, IMAP_USER, Dovecot
from tests.messaging.sms_standin import TWILIO_SID, TWILIO_TOKEN, Standin
from tests.messaging.test_inbox import mail
from tests.ui.messaging.screens import text_dialog
from tests.ui.waiting import settle

__all__ = ["dovecot", "sms_standin"]


def test_the_text_screen_sends_through_the_provider_and_shows_the_cost(
    qtbot: QtBot, db: Database, now: datetime, customer: LeadCreated, sms_standin: Standin
) -> None:
    store = CredentialStore(null.Keyring())
    with db.reading() as s:
        settings = SmsSettingsDialog(Operations(db), load_sms_settings(s), credentials=store)
    qtbot.addWidget(settings)
    settings.provider.setCurrentIndex(settings.provider.findData("twilio"))
    assert settings.account_label.text() == "Account SID"
    settings.account.setText(TWILIO_SID)
    settings.sender_edit.setText("+61412555019")
    settings.save()
    settle(qtbot, settings)
    assert "auth token" in settings.error.text()  # the key is required the first time
    settings.secret.setText(TWILIO_TOKEN)
    settings.save()
    settle(qtbot, settings)
    assert settings.error.text() == ""
    with db.unit_of_work() as s:
        assert load_sms_settings(s).provider is Provider.TWILIO
        # The stand-in instead of Twilio's own address.
        s.get(Setting, "sms.provider.base_url").value = sms_standin.base  # type: ignore[union-attr]
        assert all(TWILIO_TOKEN not in r.value for r in s.execute(select(Setting)).scalars())
        fu_id = schedule_follow_up(
            s,
            customer.customer_id,
            customer.quote_id,
            FollowUpPlan(now, Channel.TEXT, "Check the quote arrived"),
            now=now - timedelta(hours=1),
        ).id
    Operations(db)  # the window's database thread: the guard is asked again there
    dlg = text_dialog(db, now, follow_up_id=fu_id, credentials=store)
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.provider_button.isVisible() and dlg.provider_button.text() == "Send through Twilio"
    dlg.next_step.reason.setText("Confirm the colour")
    with qtbot.waitSignal(dlg.sent, timeout=20_000):
        qtbot.mouseClick(dlg.provider_button, Qt.MouseButton.LeftButton)
    assert "0.0790 USD" in dlg.result_message
    [sent] = sms_standin.sent
    assert sent["To"] == "+61412000111" and sent["Body"].endswith("Reply STOP to opt out.")
    with db.reading() as s:
        touch = s.execute(select(Touch)).scalar_one()
        assert (touch.channel, touch.outcome) == (Channel.TEXT, Outcome.SENT)


def test_replies_settings_turn_reading_on_and_check_now_logs_a_reply(
    qtbot: QtBot, db: Database, now: datetime, customer: LeadCreated, dovecot: Dovecot
) -> None:
    store = CredentialStore(null.Keyring())
    ops = Operations(db)
    forms: list[InboxForm] = []
    ops.run_query(None, load_inbox_form, success=forms.append)
    qtbot.waitUntil(lambda: bool(forms))
    dlg = InboxSettingsDialog(ops, forms[0], credentials=store)
    qtbot.addWidget(dlg)
    dlg.host.setText("127.0.0.1")
    dlg.security.setCurrentIndex(dlg.security.findData("plain"))
    dlg.port.setValue(dovecot.port)
    dlg.username.setText(IMAP_USER)
    dlg.password.setText(IMAP_PASSWORD)
    dovecot.deliver(mail("zoe@example.com", "Yes please, Thursday.", at=now - timedelta(minutes=3)))
    with qtbot.waitSignal(dlg.saved, timeout=20_000):
        qtbot.mouseClick(dlg.check_button, Qt.MouseButton.LeftButton)
    assert dlg.check_result.text().startswith("1 new message: 1 reply")
    dlg.enabled.setChecked(True)
    with qtbot.waitSignal(dlg.saved):
        dlg.save()
    assert dlg.result() == InboxSettingsDialog.DialogCode.Accepted
    with db.reading() as s:
        assert inbox_enabled(s) and load_imap_settings(s).port == dovecot.port
        [touch] = s.execute(select(Touch).where(Touch.direction == Direction.INBOUND)).scalars()
        assert touch.summary == "Yes please, Thursday."


def test_a_reply_read_from_the_inbox_heads_today(
    qtbot: QtBot, db: Database, now: datetime, customer: LeadCreated, dovecot: Dovecot
) -> None:
    from deckfollow.messaging.imap import ImapSettings, Password
    from deckfollow.messaging.inbox import check_inbox
    from deckfollow.messaging.smtp import Security
    from deckfollow.ui.today_page.page import TodayPage

    with db.unit_of_work() as s:
        schedule_follow_up(
            s,
            customer.customer_id,
            customer.quote_id,
            FollowUpPlan(now, Channel.CALL, "Ask about the timber"),
            now=now - timedelta(hours=3),
        )
    dovecot.deliver(mail("zoe@example.com", "Can we talk Friday?", at=now - timedelta(minutes=3)))
    imap = ImapSettings("127.0.0.1", dovecot.port, Security.PLAIN, IMAP_USER, timeout=10)
    check_inbox(db, imap, Password(IMAP_PASSWORD), clock=lambda: now)
    Operations(db)  # the window's database thread: Today is read there
    page = TodayPage(db, clock=lambda: now)
    qtbot.addWidget(page)
    page.resize(1400, 800)
    page.show()
    page.refresh()
    settle(qtbot, page)
    first = page.tree.topLevelItem(0)
    assert first is not None and first.text(0) == "Replies  (1)"
    child = first.child(0)
    assert child is not None and child.text(3) == "They replied — what's next?"
    assert page.counts.text().startswith("1 reply · 1 call")


def test_choosing_a_provider_fills_in_its_servers_and_says_how_to_sign_in(
    qtbot: QtBot, db: Database
) -> None:
    from deckfollow.messaging.email_auth import sign_in_kind
    from deckfollow.messaging.email_providers import SignIn
    from deckfollow.messaging.smtp import load_smtp_settings
    from deckfollow.ui.messaging.smtp_settings import SmtpSettingsDialog

    ops = Operations(db)  # the window's database thread: the settings are read and saved there
    dlg = SmtpSettingsDialog(db, credentials=CredentialStore(null.Keyring()))
    qtbot.addWidget(dlg)
    dlg.show()
    settle(qtbot, ops)
    dlg.provider.setCurrentIndex(dlg.provider.findData("outlook"))
    assert (dlg.host.text(), dlg.port.value()) == ("smtp-mail.outlook.com", 587)
    assert dlg.sign_in_button.isVisible() and dlg.sign_in_button.text() == "Sign in with Microsoft…"
    dlg.provider.setCurrentIndex(dlg.provider.findData("fastmail"))
    assert (dlg.host.text(), dlg.port.value()) == ("smtp.fastmail.com", 465)
    assert not dlg.sign_in_button.isVisible()
    assert "app password" in dlg.guidance.text() and "href=" in dlg.guidance.text()
    dlg.from_address.setText("sam@fastmail.com")
    dlg.username.setText("sam@fastmail.com")
    dlg.password.setText("app-password-1")
    dlg.save()
    settle(qtbot, ops)
    with db.reading() as s:
        assert load_smtp_settings(s).host == "smtp.fastmail.com"
        assert sign_in_kind(s) is SignIn.PASSWORD
        imap = load_imap_settings(s)
        assert (imap.host, imap.port, imap.username) == (
            "imap.fastmail.com",
            993,
            "sam@fastmail.com",
        )
        assert not inbox_enabled(s)  # reading replies stays off until turned on


def test_a_stop_read_from_the_inbox_asks_on_today_whether_to_stop_everything(
    qtbot: QtBot, db: Database, now: datetime, customer: LeadCreated, dovecot: Dovecot
) -> None:
    from PySide6.QtWidgets import QApplication

    from deckfollow.core.contact_snapshot import load_snapshot
    from deckfollow.core.enums import ConsentChannel, ConsentState
    from deckfollow.messaging.imap import ImapSettings, Password
    from deckfollow.messaging.inbox import check_inbox
    from deckfollow.messaging.smtp import Security
    from deckfollow.ui.consent.stop import StopContactDialog
    from deckfollow.ui.messaging.actions import act_on_follow_up
    from deckfollow.ui.today_page.page import TodayPage

    dovecot.deliver(mail("zoe@example.com", "Unsubscribe", at=now - timedelta(minutes=3)))
    imap = ImapSettings("127.0.0.1", dovecot.port, Security.PLAIN, IMAP_USER, timeout=10)
    check_inbox(db, imap, Password(IMAP_PASSWORD), clock=lambda: now)
    Operations(db)  # the window's database thread: Today is read there
    page = TodayPage(db, clock=lambda: now)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    settle(qtbot, page)
    item = page.current_item()
    assert item is not None and item.reason == "Asked to stop emails — stop every channel?"
    assert page.primary.text() == "Stop every channel…"
    assert "Unsubscribe" in page.script.toPlainText()
    assert "Stop every channel, or leave the others open?" in page.script.toPlainText()

    def answer() -> None:
        dialog = next(
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, StopContactDialog) and w.isVisible()
        )
        assert dialog.selected_scope() is None  # every channel
        dialog.save()

    stopped: list[bool] = []
    ops = Operations(db)  # the window's database thread: who it is about is read there
    act_on_follow_up(db, item.follow_up_id, clock=lambda: now, done=lambda: stopped.append(True))
    # Opened with the read's answer, not run with a loop of its own: the call returned first.
    assert not stopped
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), StopContactDialog))
    settle(qtbot, ops)  # who it is about, read before Stop can be pressed
    answer()
    settle(qtbot, ops)
    assert stopped == [True]
    with db.reading() as s:
        snap = load_snapshot(s, customer.customer_id)
    assert all(snap.consent(c).state is ConsentState.REVOKED for c in ConsentChannel)
    page.refresh()
    settle(qtbot, page)
    assert page.current_item() is None


def test_how_emails_look_keeps_the_signature_reply_to_and_html_choice(
    qtbot: QtBot, db: Database, customer: LeadCreated
) -> None:
    from deckfollow.core.settings import save_setting
    from deckfollow.messaging.email_extras import load_extras
    from deckfollow.ui.messaging.smtp_settings import SmtpSettingsDialog

    ops = Operations(db)  # the window's database thread: the settings are read and saved there
    dlg = SmtpSettingsDialog(db, credentials=CredentialStore(null.Keyring()))
    qtbot.addWidget(dlg)
    settle(qtbot, ops)
    assert dlg.signature.toPlainText() == "Sam Núñez\nCarpenter Decks\nCell +61 412 555 019"
    dlg.host.setText("smtp.example.com")
    dlg.from_address.setText("sam@carpenterdecks.example")
    dlg.reply_to.setText("not an address")
    dlg.save()
    assert "reply-to address" in dlg.error.text()
    dlg.reply_to.setText("office@carpenterdecks.example")
    dlg.html.setChecked(False)
    dlg.save()
    settle(qtbot, ops)
    with db.unit_of_work() as s:
        save_setting(s, "owner_phone", "+61412555020")  # a new cell: the signature follows
    with db.reading() as s:
        extras = load_extras(s)
    assert extras.signature.endswith("Cell +61 412 555 020")
    assert (extras.reply_to, extras.html) == ("office@carpenterdecks.example", False)
