# mypy: disable-error-code="no-untyped-call"
"""The messaging dialogs as a user meets them: preview, refusals with reasons, sending, logging."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from keyring.backends import null
from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from deckfollow.core.consent import revoke_consent
from deckfollow.core.enums import (
    Channel,
    ConsentChannel,
    FollowUpStatus,
    Outcome,
    TemplateKind,
)
from deckfollow.core.followups import FollowUpPlan, schedule_follow_up
from deckfollow.core.leads import LeadCreated
from deckfollow.core.models import FollowUp, Setting, Touch
from deckfollow.messaging.credentials import CredentialStore, Where
from deckfollow.messaging.screens import read_call_screen, read_text_screen
from deckfollow.messaging.smtp import Security, save_smtp_settings
from deckfollow.storage.database import Database
from deckfollow.storage.thread_guard import watch_statements
from deckfollow.ui.formatting import clock_text
from deckfollow.ui.messaging.call import CallDialog
from deckfollow.ui.messaging.common import missing_bg
from deckfollow.ui.messaging.smtp_settings import SmtpSettingsDialog
from deckfollow.ui.messaging.template_library import TemplateLibraryDialog
from deckfollow.ui.messaging.text_message import TextMessageDialog
from deckfollow.ui.operations import Operations
from tests.messaging.conftest import SMTP_PASSWORD, SMTP_USER, StartServer
from tests.ui.messaging.screens import call_dialog, email_dialog, text_dialog
from tests.ui.waiting import settle


def _follow_up(db: Database, customer: LeadCreated, now: datetime, channel: Channel) -> int:
    with db.unit_of_work() as s:
        return schedule_follow_up(
            s,
            customer.customer_id,
            customer.quote_id,
            FollowUpPlan(now, channel, "Check whether the quote raised any questions"),
            now=now - timedelta(hours=1),
        ).id


def _touches(db: Database) -> list[tuple[Channel, Outcome, str | None, str | None]]:
    with db.reading() as s:
        return [
            (t.channel, t.outcome, t.subject, t.summary)
            for t in s.execute(select(Touch).order_by(Touch.id)).scalars()
        ]


def _highlighted(edit: object) -> list[str]:
    from PySide6.QtWidgets import QTextEdit

    assert isinstance(edit, QTextEdit)
    return [
        sel.cursor.selectedText()
        for sel in edit.extraSelections()
        if sel.format.background().color() == missing_bg()
    ]


def test_template_editor_preview_shows_a_missing_field_and_refuses_unknown_ones(
    qtbot: QtBot, db: Database, now: datetime, customer: LeadCreated
) -> None:
    ops = Operations(db)  # the window's database thread: templates are read and saved there
    dlg = TemplateLibraryDialog(db, clock=lambda: now)
    qtbot.addWidget(dlg)
    dlg.show()
    settle(qtbot, ops)
    dlg.select("text_follow_up")
    assert dlg.name.text() == "Text: follow up on a quote"
    assert dlg.missing.isHidden()  # the sample customer has every value

    dlg.words.setPlainText("Hi {first_name} at {company}, {owner_first_name} here.")
    assert dlg.preview.toPlainText() == "Hi Grace at [company?], Sam here."
    assert _highlighted(dlg.preview) == ["[company?]"]
    assert "No value for the sample: company" in dlg.missing.text()

    # Preview for the real customer: her name, and the same visible gap.
    dlg.preview_for.setCurrentIndex(dlg.preview_for.findText("Zoë Łukasiewicz"))
    settle(qtbot, ops)
    assert dlg.preview.toPlainText() == "Hi Zoë at [company?], Sam here."
    assert "No value for this customer: company" in dlg.missing.text()

    dlg.words.setPlainText("Hi {frist_name}")
    assert "Not a merge field: {frist_name}" in dlg.missing.text()
    assert not dlg.save()
    assert "unknown merge field {frist_name}" in dlg.error.text()

    dlg.words.setPlainText("G'day {first_name}!")
    assert dlg.save()
    settle(qtbot, ops)
    assert dlg.reset_button.isEnabled()
    qtbot.mouseClick(dlg.reset_button, Qt.MouseButton.LeftButton)
    settle(qtbot, ops)
    assert dlg.words.toPlainText().startswith("Hi {first_name}, it's {owner_first_name}")


def test_template_preview_for_an_unpriced_lead_leaves_out_the_amount_without_a_gap(
    qtbot: QtBot, db: Database, now: datetime, customer: LeadCreated
) -> None:
    from deckfollow.core.models import Quote

    with db.unit_of_work() as s:
        q = s.get(Quote, customer.quote_id)
        assert q is not None
        q.amount = None  # a new enquiry: nothing priced yet
    _follow_up(db, customer, now, Channel.CALL)  # the reason the preview says
    ops = Operations(db)  # the window's database thread: templates are read there
    dlg = TemplateLibraryDialog(db, clock=lambda: now)
    qtbot.addWidget(dlg)
    dlg.show()
    settle(qtbot, ops)
    dlg.select("call_follow_up")
    # Found by typing part of the name, as among a few thousand customers.
    line = dlg.preview_for.lineEdit()
    assert line is not None
    completer = dlg.preview_for.completer()
    assert completer is not None
    completer.setCompletionPrefix("łukas")
    assert completer.currentCompletion() == "Zoë Łukasiewicz"
    dlg.preview_for.setCurrentIndex(dlg.preview_for.findText(completer.currentCompletion()))
    settle(qtbot, ops)
    text = dlg.preview.toPlainText()
    assert "About the quote for spotted-gum deck with steps:" in text
    assert "?]" not in text and _highlighted(dlg.preview) == []
    assert dlg.missing.isHidden()
    assert dlg.omitted.text() == (
        "Left out for this customer (no value yet): the part with quote amount."
    )
    # Text that names nobody goes back to the customer being previewed.
    line.setText("nobody at all")
    line.editingFinished.emit()
    assert dlg.preview_for.currentText() == "Zoë Łukasiewicz"
    # The optional-part entry of "Insert a field" wraps what is selected.
    dlg.words.setPlainText("Hi {first_name} ({quote_amount})")
    cursor = dlg.words.textCursor()
    cursor.setPosition(len("Hi {first_name}"))
    cursor.setPosition(len(dlg.words.toPlainText()), cursor.MoveMode.KeepAnchor)
    dlg.words.setTextCursor(cursor)
    dlg.insert_field.activated.emit(dlg.insert_field.count() - 1)
    assert dlg.words.toPlainText() == "Hi {first_name}[[ ({quote_amount})]]"
    assert dlg.preview.toPlainText() == "Hi Zoë"


def _settings(db: Database, server_port: int, security: Security, username: str = "") -> None:
    from deckfollow.messaging.smtp import SmtpSettings

    with db.unit_of_work() as s:
        save_smtp_settings(
            s, SmtpSettings("127.0.0.1", server_port, security, username, SMTP_USER, "Sam")
        )


def test_compose_refuses_a_revoked_channel_and_says_why(
    qtbot: QtBot, db: Database, now: datetime, customer: LeadCreated, smtp_server: StartServer
) -> None:
    server = smtp_server(Security.PLAIN)
    _settings(db, server.port, Security.PLAIN)
    fu_id = _follow_up(db, customer, now, Channel.EMAIL)
    with db.unit_of_work() as s:
        revoke_consent(
            s,
            customer.customer_id,
            ConsentChannel.EMAIL,
            source="phone call",
            words="no more emails please",
            now=now - timedelta(minutes=30),
        )
    dlg = email_dialog(
        db,
        now,
        quote_id=customer.quote_id,
        credentials=CredentialStore(null.Keyring()),
    )
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.banner.isVisible()
    assert "revoked email contact" in dlg.banner.text()
    assert '"no more emails please"' in dlg.banner.text()
    assert not dlg.send_button.isEnabled()
    dlg.next_step.reason.setText("Ask again in spring")
    dlg.send()  # even if called directly, nothing goes out
    assert "Not sent:" in dlg.error.text() and "revoked" in dlg.error.text()
    assert server.received == [] and _touches(db) == []
    with db.reading() as s:
        fu = s.get(FollowUp, fu_id)
        assert fu is not None and fu.status is not FollowUpStatus.DONE


def test_compose_sends_with_login_and_logs_the_email(
    qtbot: QtBot, db: Database, now: datetime, customer: LeadCreated, smtp_server: StartServer
) -> None:
    server = smtp_server(Security.STARTTLS, auth=True)
    _settings(db, server.port, Security.STARTTLS, SMTP_USER)
    fu_id = _follow_up(db, customer, now, Channel.EMAIL)
    store = CredentialStore(null.Keyring())
    ops = Operations(db)  # the window's database thread: the guard is asked again there
    dlg = email_dialog(
        db,
        now,
        follow_up_id=fu_id,
        credentials=store,
        ssl_context=server.client_context,
    )
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.banner.isHidden() and dlg.send_button.isEnabled()
    assert dlg.subject.text() == "Your quote Q-1042 from Carpenter Decks"
    assert dlg.missing.isHidden()
    assert dlg.password.isVisible()  # nothing stored yet: asked for this session

    # No next step yet: refused before anything leaves.
    dlg.send()
    assert "give the next follow-up a reason" in dlg.error.text()
    assert server.received == []

    dlg.next_step.reason.setText("Send photos of a similar deck")
    dlg.password.setText("wrong")
    dlg.send()
    assert dlg.busy and dlg.status.text() == "Sending…" and not dlg.send_button.isEnabled()
    dlg.reject()  # a send in flight is not abandoned halfway
    qtbot.waitUntil(lambda: not dlg.busy, timeout=20_000)
    assert dlg.isVisible()
    assert "refused the user name or password" in dlg.error.text()
    assert dlg.result() == 0 and _touches(db) == []
    settle(qtbot, ops)  # whether it may go now, asked again after the failure

    dlg.password.setText(SMTP_PASSWORD)
    with qtbot.waitSignal(dlg.sent):
        qtbot.mouseClick(dlg.send_button, Qt.MouseButton.LeftButton)
    assert dlg.result_message == "Email sent to zoe@example.com and logged."
    assert len(server.received) == 1
    [(channel, outcome, subject, _summary)] = _touches(db)
    assert (channel, outcome, subject) == (
        Channel.EMAIL,
        Outcome.SENT,
        "Your quote Q-1042 from Carpenter Decks",
    )
    # No keyring: the password is remembered for this session only.
    assert store.where(f"smtp:{SMTP_USER}@127.0.0.1:{server.port}") is Where.SESSION


def test_compose_will_not_send_a_visible_gap(
    qtbot: QtBot, db: Database, now: datetime, customer: LeadCreated, smtp_server: StartServer
) -> None:
    server = smtp_server(Security.PLAIN)
    _settings(db, server.port, Security.PLAIN)
    dlg = email_dialog(
        db,
        now,
        customer_id=customer.customer_id,
        credentials=CredentialStore(null.Keyring()),
    )
    qtbot.addWidget(dlg)
    dlg.show()
    assert "Fill in before sending (highlighted): " in dlg.missing.text()
    assert "[reason?]" in _highlighted(dlg.body)
    dlg.next_step.reason.setText("Send photos")
    dlg.send()
    # Quote words are left out (there is no quote); the reason is still a visible gap.
    assert "quote number" not in dlg.subject.text()
    assert "fill in reason before sending" in dlg.error.text()
    assert server.received == []


def test_text_outside_hours_is_refused_and_inside_hours_copied_and_logged(
    qtbot: QtBot, db: Database, now: datetime, customer: LeadCreated
) -> None:
    late = now + timedelta(hours=13)  # 22:00 in Sydney
    ops = Operations(db)  # the window's database thread: the guard is asked again there
    dlg = text_dialog(db, late, quote_id=customer.quote_id)
    qtbot.addWidget(dlg)
    dlg.show()
    assert "is outside the hours" in dlg.banner.text()
    assert not dlg.copy_button.isEnabled() and not dlg.open_button.isEnabled()
    assert not dlg.log_button.isEnabled()

    fu_id = _follow_up(db, customer, now, Channel.TEXT)
    dlg = text_dialog(db, now, follow_up_id=fu_id)
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.banner.isHidden()
    assert dlg.body.toPlainText().startswith(
        "Hi Zoë, it's Sam from Carpenter Decks. The reason I'm texting is to check whether"
    )
    # "ë" is outside the SMS alphabet: 70 characters a text, and the count says why.
    assert dlg.count.text() == "167 characters · 3 texts (ë not in the SMS alphabet: 70 a text)"
    dlg.body.setPlainText("Hi Zoe, see you Friday. Sam")
    assert dlg.count.text() == "27 characters · 1 text"
    dlg.body.setPlainText(
        "Hi Zoë, it's Sam. Any questions about the quote? Call me on 0412 555 019."
    )
    qtbot.mouseClick(dlg.copy_button, Qt.MouseButton.LeftButton)
    settle(qtbot, ops)  # copied once the guard said yes again
    assert QGuiApplication.clipboard().text() == dlg.body.toPlainText().strip()
    assert dlg.log_button.isEnabled()
    dlg.next_step.agreed.setChecked(True)
    dlg.next_step.words.setText("Text me Friday morning")
    dlg.next_step.reason.setText("Confirm the colour")
    dlg.next_step.day.setDate(QDate(2026, 11, 27))
    dlg.next_step.at.setTime(QTime(9, 30))
    with qtbot.waitSignal(dlg.sent):
        qtbot.mouseClick(dlg.log_button, Qt.MouseButton.LeftButton)
    [(channel, outcome, subject, summary)] = _touches(db)
    assert (channel, outcome, subject) == (Channel.TEXT, Outcome.SENT, None)
    assert summary is not None and summary.startswith("Hi Zoë")
    with db.reading() as s:
        nxt = s.execute(
            select(FollowUp).where(FollowUp.status == FollowUpStatus.PENDING)
        ).scalar_one()
        assert nxt.agreed_words == "Text me Friday morning"


def test_call_shows_cell_then_office_and_logs_a_voicemail(
    qtbot: QtBot, db: Database, now: datetime, customer: LeadCreated
) -> None:
    fu_id = _follow_up(db, customer, now, Channel.CALL)
    Operations(db)  # the window's database thread: the call is logged there
    dlg = call_dialog(db, now, follow_up_id=fu_id)
    qtbot.addWidget(dlg)
    dlg.show()
    assert [n.label for n in dlg.numbers] == ["cell", "office"]
    assert dlg.numbers_box.isVisible()
    script = dlg.script.text.toPlainText()
    assert "The reason I'm calling is to check whether the quote raised any questions." in script
    assert "Voicemail" in dlg.voicemail.template.currentText()
    dlg.outcome_buttons[Outcome.VOICEMAIL].setChecked(True)
    dlg.notes.setPlainText("Left a message about the steps")
    dlg.next_step.reason.setText("Try again after work")
    with qtbot.waitSignal(dlg.logged):
        qtbot.mouseClick(dlg.log_button, Qt.MouseButton.LeftButton)
    assert _touches(db) == [
        (Channel.CALL, Outcome.VOICEMAIL, None, "Left a message about the steps")
    ]

    with db.unit_of_work() as s:
        revoke_consent(
            s,
            customer.customer_id,
            ConsentChannel.CALL,
            source="text",
            words="stop calling",
            now=now,
        )
    dlg = call_dialog(db, now, customer_id=customer.customer_id)
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.numbers_box.isHidden() and not dlg.log_button.isEnabled()
    assert "revoked call contact" in dlg.banner.text()


def test_the_call_screen_is_built_from_what_was_read_and_logs_on_the_database_thread(
    qtbot: QtBot, db: Database, now: datetime, customer: LeadCreated
) -> None:
    fu_id = _follow_up(db, customer, now, Channel.CALL)
    with db.unit_of_work() as s:
        screen = read_call_screen(s, now=now, follow_up_id=fu_id)
    statements: list[str] = []
    stop = watch_statements(statements.append)
    try:
        dlg = CallDialog(db, screen, clock=lambda: now)
    finally:
        stop()
    qtbot.addWidget(dlg)
    assert statements == [], "building the call screen reads nothing"
    assert "The reason I'm calling is" in dlg.script.text.toPlainText()

    ops = Operations(db)  # the window's database thread: the call is logged there
    dlg.show()
    dlg.next_step.reason.setText("Try again after work")
    with qtbot.waitSignal(dlg.logged):
        dlg.log_button.click()
        dlg.log_button.click()  # pressed again while the first is on its way
    settle(qtbot, ops)
    assert [t[:2] for t in _touches(db)] == [(Channel.CALL, Outcome.REACHED)], "logged once"
    assert dlg.error.text() == "", "the second press asked for nothing"


def test_the_text_screen_is_built_from_what_was_read(
    qtbot: QtBot, db: Database, now: datetime, customer: LeadCreated
) -> None:
    fu_id = _follow_up(db, customer, now, Channel.TEXT)
    with db.unit_of_work() as s:
        screen = read_text_screen(s, now=now, follow_up_id=fu_id)
    statements: list[str] = []
    stop = watch_statements(statements.append)
    try:
        dlg = TextMessageDialog(db, screen, clock=lambda: now)
    finally:
        stop()
    qtbot.addWidget(dlg)
    assert statements == [], "building the text screen reads nothing"
    assert dlg.body.toPlainText().startswith("Hi Zoë, it's Sam from Carpenter Decks.")
    assert dlg.copy_button.isEnabled() and dlg.banner.isHidden()
    # Her cell as the owner in Australia dials it, as Today and the details show it.
    assert "cell 0412 000 111" in dlg.to_label.text()


def test_smtp_settings_without_a_keyring_explain_and_keep_the_password_out_of_the_database(
    qtbot: QtBot, db: Database
) -> None:
    store = CredentialStore(null.Keyring())
    ops = Operations(db)  # the window's database thread: the settings are read and saved there
    dlg = SmtpSettingsDialog(db, credentials=store)
    qtbot.addWidget(dlg)
    dlg.show()
    settle(qtbot, ops)
    assert "No system keyring is available" in dlg.keyring_label.text()
    assert not dlg.remember.isEnabled()
    dlg.host.setText("smtp.example.com")
    dlg.username.setText(SMTP_USER)
    dlg.from_address.setText(SMTP_USER)
    dlg.security.setCurrentIndex(dlg.security.findData(Security.PLAIN.value))
    dlg.password.setText(SMTP_PASSWORD)
    dlg.save()
    assert "in the clear" in dlg.error.text()
    dlg.security.setCurrentIndex(dlg.security.findData(Security.SSL.value))
    assert dlg.port.value() == 465
    with qtbot.waitSignal(dlg.saved):
        dlg.save()
    assert store.where(f"smtp:{SMTP_USER}@smtp.example.com:465") is Where.SESSION
    with db.reading() as s:
        values = [v for (v,) in s.execute(select(Setting.value))]
    assert "smtp.example.com" in values
    assert all(SMTP_PASSWORD not in v for v in values)


@pytest.fixture(autouse=True)
def _clear_clipboard() -> None:
    QGuiApplication.clipboard().clear() if QGuiApplication.instance() else None


def test_smtp_settings_test_email_proves_the_password_before_saving(
    qtbot: QtBot, db: Database, smtp_server: StartServer
) -> None:
    server = smtp_server(Security.STARTTLS, auth=True)
    store = CredentialStore(null.Keyring())
    ops = Operations(db)  # the window's database thread: the settings are read there
    dlg = SmtpSettingsDialog(db, credentials=store, ssl_context=server.client_context)
    qtbot.addWidget(dlg)
    dlg.show()
    settle(qtbot, ops)
    dlg.host.setText("127.0.0.1")
    dlg.port.setValue(server.port)
    dlg.username.setText(SMTP_USER)
    dlg.from_address.setText(SMTP_USER)
    dlg.password.setText("wrong")
    qtbot.mouseClick(dlg.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dlg.busy, timeout=20_000)
    assert "Test failed: the mail server refused the user name or password" in dlg.error.text()
    dlg.password.setText(SMTP_PASSWORD)
    qtbot.mouseClick(dlg.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dlg.busy, timeout=20_000)
    assert dlg.error.isHidden()
    assert f"Test email sent to {SMTP_USER}" in dlg.test_result.text()
    [got] = server.received
    assert got.rcpt_tos == [SMTP_USER] and got.login == SMTP_USER
    with db.reading() as s:
        assert list(s.execute(select(Setting.key))) == []  # nothing saved by a test


def test_today_entry_points_open_the_dialog_for_the_channel(
    qtbot: QtBot, db: Database, now: datetime, customer: LeadCreated
) -> None:
    from PySide6.QtWidgets import QApplication

    from deckfollow.ui.messaging.actions import act_on_follow_up, send_email_for_follow_up

    seen: list[str] = []
    logged: list[str] = []

    def cancel_the_open_one() -> None:
        # The entry point returned with the dialog on screen: no loop of its own waited.
        dialog = QApplication.activeModalWidget()
        assert dialog is not None
        seen.append(type(dialog).__name__)
        dialog.close()

    email = _follow_up(db, customer, now, Channel.EMAIL)
    call = _follow_up(db, customer, now + timedelta(days=8), Channel.CALL)
    Operations(db)  # the window's database thread: what a screen shows is read there
    send_email_for_follow_up(db, email, clock=lambda: now, done=lambda: logged.append("email"))
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is not None)  # with the answer
    cancel_the_open_one()
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None)
    act_on_follow_up(db, call, clock=lambda: now, done=lambda: logged.append("call"))
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is not None)  # with the answer
    cancel_the_open_one()
    assert seen == ["ComposeEmailDialog", "CallDialog"]
    assert logged == [], "cancelled: done is not called"
    assert _touches(db) == []  # cancelled: nothing logged


def test_text_through_the_gateway_from_the_dialog(
    qtbot: QtBot, db: Database, now: datetime, customer: LeadCreated, smtp_server: StartServer
) -> None:
    server = smtp_server(Security.PLAIN)
    _settings(db, server.port, Security.PLAIN)
    fu_id = _follow_up(db, customer, now, Channel.TEXT)
    ops = Operations(db)  # the window's database thread: the gateway is saved there
    dlg = text_dialog(db, now, follow_up_id=fu_id, credentials=CredentialStore(null.Keyring()))
    qtbot.addWidget(dlg)
    dlg.show()
    assert not dlg.gateway_button.isEnabled()
    assert "enter the carrier's email-to-SMS domain" in dlg.gateway_note.text()
    dlg.gateway_domain.setText("sms.example.net")
    dlg.gateway_domain.editingFinished.emit()
    settle(qtbot, ops)
    assert dlg.gateway_note.text() == "Sends to 412000111@sms.example.net."
    dlg.next_step.reason.setText("Confirm the colour")
    with qtbot.waitSignal(dlg.sent, timeout=20_000):
        qtbot.mouseClick(dlg.gateway_button, Qt.MouseButton.LeftButton)
    [got] = server.received
    assert got.rcpt_tos == ["412000111@sms.example.net"]
    assert [(c, o) for c, o, _s, _b in _touches(db)] == [(Channel.TEXT, Outcome.SENT)]


def test_a_follow_up_already_done_is_not_emailed_twice(
    qtbot: QtBot, db: Database, now: datetime, customer: LeadCreated
) -> None:
    from deckfollow.core.follow_up_closing import close_follow_up

    fu_id = _follow_up(db, customer, now, Channel.EMAIL)
    with db.unit_of_work() as s:
        close_follow_up(s, fu_id, FollowUpStatus.DONE, now=now)
    dlg = email_dialog(db, now, follow_up_id=fu_id, credentials=CredentialStore(null.Keyring()))
    qtbot.addWidget(dlg)
    dlg.show()
    assert "this follow-up is already done" in dlg.banner.text()
    assert not dlg.send_button.isEnabled()


def test_an_agreed_call_opens_with_the_agreed_time_script(
    qtbot: QtBot, db: Database, now: datetime, customer: LeadCreated
) -> None:
    from datetime import date, time

    from deckfollow.core.followups import agree_follow_up, agreed_plan

    with db.unit_of_work() as s:
        plan = agreed_plan(
            date(2026, 11, 26),
            time(18),
            time(19),
            "Australia/Sydney",
            Channel.CALL,
            "Go over the stain colours",
            "Call me Thursday after six",
        )
        fu_id = agree_follow_up(
            s, customer.customer_id, customer.quote_id, plan, now=now, source="site visit"
        ).id
    dlg = call_dialog(db, plan.due_at, follow_up_id=fu_id)
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.script.template.currentText() == "Call: the time we agreed"
    assert dlg.script.text.toPlainText().startswith(
        "Hi Zoë, it's Sam from Carpenter Decks. You asked me to call Thursday 26 November "
        "between 6 pm and 7 pm, so here I am.\n\nThe reason I'm calling is to go over the "
        "stain colours."
    )
    assert dlg.banner.isHidden()  # the agreed time stands


def test_a_next_call_outside_their_hours_is_refused_with_the_nearest_time_offered(
    qtbot: QtBot, db: Database, now: datetime, customer: LeadCreated
) -> None:
    fu_id = _follow_up(db, customer, now, Channel.CALL)
    ops = Operations(db)  # the window's database thread: the call is logged there
    dlg = call_dialog(db, now, follow_up_id=fu_id)
    qtbot.addWidget(dlg)
    dlg.show()
    nxt = dlg.next_step
    # Thursday 26 November at 22:00 in Sydney: after the 20:00 close on a weekday.
    nxt.day.setDate(QDate(2026, 11, 26))
    nxt.at.setTime(QTime(22, 0))
    nxt.reason.setText("Hear what the council said")
    dlg.log()
    settle(qtbot, ops)
    assert "outside the hours" in dlg.error.text()
    assert f"Nearest allowed time: Fri 27 Nov 2026 {clock_text(time(9))}" in dlg.error.text()
    assert _touches(db) == []  # nothing saved
    assert nxt.suggest_button.isVisible()
    assert nxt.suggest_button.text() == f"Use Fri 27 Nov {clock_text(time(9, 0))} instead"
    qtbot.mouseClick(nxt.suggest_button, Qt.MouseButton.LeftButton)
    assert (nxt.day.date(), nxt.at.time()) == (QDate(2026, 11, 27), QTime(9, 0))
    assert nxt.suggest_button.isHidden()
    with qtbot.waitSignal(dlg.logged):
        dlg.log()
    with db.reading() as s:
        planned = s.execute(
            select(FollowUp).where(FollowUp.status == FollowUpStatus.PENDING)
        ).scalar_one()
    assert planned.reason == "Hear what the council said"
    assert planned.due_at == datetime(2026, 11, 26, 22, 0, tzinfo=UTC)  # 09:00 Sydney


def test_the_gateway_asks_for_the_email_password_once_a_session_without_a_keyring(
    qtbot: QtBot, db: Database, now: datetime, customer: LeadCreated, smtp_server: StartServer
) -> None:
    from deckfollow.messaging.guard import set_gateway_domain

    server = smtp_server(Security.STARTTLS, auth=True)
    _settings(db, server.port, Security.STARTTLS, SMTP_USER)
    with db.unit_of_work() as s:
        set_gateway_domain(s, "sms.example.net", customer.customer_id)
    store = CredentialStore(null.Keyring())
    Operations(db)  # the window's database thread: the guard is asked again there

    def open_dialog() -> TextMessageDialog:
        fu_id = _follow_up(db, customer, now + timedelta(days=7 * len(_touches(db))), Channel.TEXT)
        dlg = text_dialog(
            db, now, follow_up_id=fu_id, credentials=store, ssl_context=server.client_context
        )
        qtbot.addWidget(dlg)
        dlg.show()
        dlg.next_step.reason.setText("Confirm the colour")
        return dlg

    dlg = open_dialog()
    assert dlg.gateway_button.isEnabled() and dlg.password.isVisible()
    dlg.send_gateway()
    assert "email password: enter it to send through the gateway" in dlg.error.text()
    dlg.password.setText("wrong")
    dlg.send_gateway()
    qtbot.waitUntil(lambda: not dlg.busy, timeout=20_000)
    assert "refused the user name or password" in dlg.error.text()
    assert server.received == [] and _touches(db) == []
    assert dlg.password.text() == ""  # asked again, not kept
    dlg.password.setText(SMTP_PASSWORD)
    with qtbot.waitSignal(dlg.sent, timeout=20_000):
        dlg.send_gateway()
    assert [r.rcpt_tos for r in server.received] == [["412000111@sms.example.net"]]
    # Remembered for the rest of this session only: the next text does not ask again.
    assert store.where(f"smtp:{SMTP_USER}@127.0.0.1:{server.port}") is Where.SESSION
    again = open_dialog()
    assert again.password.isHidden()


def test_smtp_settings_show_the_whole_keyring_sentence(qtbot: QtBot, db: Database) -> None:
    ops = Operations(db)  # the window's database thread: the settings are read there
    dlg = SmtpSettingsDialog(db, credentials=CredentialStore(null.Keyring()))
    qtbot.addWidget(dlg)
    dlg.show()
    settle(qtbot, ops)
    qtbot.waitExposed(dlg)
    label = dlg.keyring_label
    assert "asks for it once each time you start the app" in label.text()
    # Every wrapped line is on screen, none drawn over its neighbours.
    assert label.height() >= label.heightForWidth(label.width())


def test_setting_up_email_from_the_composer_opens_over_it_and_applies_once_saved(
    qtbot: QtBot, db: Database, now: datetime, customer: LeadCreated
) -> None:
    from PySide6.QtWidgets import QApplication

    fu_id = _follow_up(db, customer, now, Channel.EMAIL)
    ops = Operations(db)  # the window's database thread: the email settings are read there
    dlg = email_dialog(db, now, follow_up_id=fu_id, credentials=CredentialStore(null.Keyring()))
    qtbot.addWidget(dlg)
    dlg.show()
    settle(qtbot, ops)
    assert dlg.setup_box.isVisible() and not dlg.send_button.isEnabled()

    dlg.setup_button.click()
    # The click returned with the settings on screen: no loop of its own waited for them.
    settings = QApplication.activeModalWidget()
    assert isinstance(settings, SmtpSettingsDialog)
    assert dlg.setup_box.isVisible()
    settle(qtbot, ops)
    settings.host.setText("smtp.example.com")
    settings.username.setText(SMTP_USER)
    settings.from_address.setText(SMTP_USER)
    settings.security.setCurrentIndex(settings.security.findData(Security.SSL.value))
    settings.password.setText(SMTP_PASSWORD)
    settings.save()
    qtbot.waitUntil(lambda: not dlg.setup_box.isVisible())
    assert dlg.isVisible(), "the composer stays open, set up"


def test_attaching_files_opens_a_picker_without_holding_the_composer(
    qtbot: QtBot, db: Database, now: datetime, customer: LeadCreated, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QApplication, QFileDialog

    photo = tmp_path / "similar deck.jpg"
    photo.write_bytes(b"\xff\xd8\xff")
    fu_id = _follow_up(db, customer, now, Channel.EMAIL)
    dlg = email_dialog(db, now, follow_up_id=fu_id, credentials=CredentialStore(null.Keyring()))
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.attach_button.click()
    # The click returned with the picker on screen: no loop of its own waits for a choice.
    picker = QApplication.activeModalWidget()
    assert isinstance(picker, QFileDialog)
    picker.selectFile(str(photo))
    picker.accept()
    assert dlg.attachments == [photo]
    assert "similar deck.jpg" in dlg.attached.text()


def test_a_new_template_asks_what_it_is_for_without_holding_the_library(
    qtbot: QtBot, db: Database, now: datetime
) -> None:
    from PySide6.QtWidgets import QApplication, QInputDialog

    from deckfollow.messaging.builtin_templates import KIND_LABELS

    ops = Operations(db)  # the window's database thread: templates are read and made there
    dlg = TemplateLibraryDialog(db, clock=lambda: now)
    qtbot.addWidget(dlg)
    dlg.show()
    settle(qtbot, ops)
    dlg.new_button.click()
    # The click returned with the question on screen: no loop of its own waits for it.
    ask = QApplication.activeModalWidget()
    assert isinstance(ask, QInputDialog)
    ask.setTextValue(KIND_LABELS[TemplateKind.VOICEMAIL])
    ask.accept()
    settle(qtbot, ops)
    assert dlg.name.text() == f"My {KIND_LABELS[TemplateKind.VOICEMAIL].lower()}"
    assert dlg.kind_label.text() != ""
    qtbot.waitUntil(lambda: not dlg.findChildren(QInputDialog))  # gone once answered
