"""A new owner's first morning on an empty database, as they would click through it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time

import pytest
from PySide6.QtCore import QDate, Qt, QTime, QTimer
from PySide6.QtGui import QKeySequence, QStandardItemModel
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from deckfollow.core.consent import revoke_consent
from deckfollow.core.consent_ledger import ledger
from deckfollow.core.contact_hours import local_to_utc, zone
from deckfollow.core.enums import Channel, ConsentChannel, ConsentEventKind, Outcome
from deckfollow.core.leads import LeadCreated, NewLead, add_lead
from deckfollow.core.models import Customer, FollowUp
from deckfollow.core.settings import load_settings, save_owner_settings
from deckfollow.storage.database import Database
from deckfollow.ui.app import offer_welcome
from deckfollow.ui.consent.ledger_view import LedgerViewerDialog
from deckfollow.ui.features import install_features
from deckfollow.ui.formatting import clock_text, date_time_text, full_date_time_text
from deckfollow.ui.log_outcome import LogOutcomeDialog
from deckfollow.ui.main_window import MainWindow
from deckfollow.ui.new_lead import NewLeadDialog
from deckfollow.ui.operations import Operations
from deckfollow.ui.welcome import WelcomeDialog
from tests.ui.messaging.screens import log_outcome_dialog
from tests.ui.waiting import settle, wait_for, wait_idle

SYD = "Australia/Sydney"


def _when_modal(kind: type[QWidget], act: Callable[[QWidget], None]) -> list[bool]:
    """Act on the modal dialog of `kind` once it is on screen; the list says when."""
    done: list[bool] = []

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            QTimer.singleShot(20, look)
            return
        act(dialog)
        done.append(True)

    QTimer.singleShot(0, look)
    return done


def _welcome_from_australia(dialog: QWidget) -> None:
    assert isinstance(dialog, WelcomeDialog)
    dialog.owner_name.setText("Sam Carter")
    dialog.business_name.setText("Harbour Decks")
    dialog.owner_phone.setText("0412 555 019")
    place = dialog.place
    place.country.setCurrentIndex(place.country.findData("AU"))
    # A new country brings its own zone, currency and list of states.
    assert (place.timezone.currentText(), place.currency.currentText()) == (SYD, "AUD")
    place.region.setCurrentIndex(place.region.findData("NSW"))
    dialog.empty_button.click()


def _new_lead(name: str, phone: str, job: str) -> Callable[[QWidget], None]:
    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, NewLeadDialog)
        dialog.name.setText(name)
        dialog.phone.setText(phone)
        dialog.job.setPlainText(job)
        dialog.save_button.click()

    return fill


def _agreed_call_on_thursday(dialog: QWidget) -> None:
    assert isinstance(dialog, LogOutcomeDialog)
    dialog.channel.setCurrentIndex(dialog.channel.findData("call"))
    dialog.outcome.setCurrentIndex(dialog.outcome.findData(Outcome.REACHED.value))
    dialog.plan_next.setChecked(True)
    dialog.next_channel.setCurrentIndex(dialog.next_channel.findData("call"))
    dialog.next_day.setDate(QDate(2026, 11, 26))
    dialog.next_time.setTime(QTime(10, 0))
    dialog.reason.setText("Go through the quote together")
    dialog.agreed.setChecked(True)
    dialog.agreed_words.setText("Thursday at ten suits me")
    dialog.ok_button.click()


def test_first_morning_welcome_lead_first_reply_and_the_panel_stays_on_that_person(
    qtbot: QtBot, db: Database, now: datetime
) -> None:
    # Monday 23 Nov, 09:00 in Sydney.
    clock = lambda: now  # noqa: E731
    window = MainWindow(db, clock=clock)
    qtbot.addWidget(window)
    install_features(window, db, clock)
    window.show()
    answered = _when_modal(WelcomeDialog, _welcome_from_australia)
    offer_welcome(window, clock)
    qtbot.waitUntil(lambda: bool(answered))
    settle(qtbot, window)
    with db.reading() as s:
        settings = load_settings(s)
    assert (settings.default_country, settings.owner_region, settings.owner_timezone) == (
        "AU",
        "NSW",
        SYD,
    )
    assert (settings.currency, settings.owner_phone) == ("AUD", "+61412555019")

    new_lead = next(a for a in window.menu("File").actions() if a.text() == "&New lead…")
    assert new_lead.shortcut() == QKeySequence("Ctrl+N")
    for name, phone, job in (
        ("Mia Chen", "0412 345 679", "Deck, 5x4 m"),
        ("Bo Lang", "0413 222 333", "Pergola"),
    ):
        added = _when_modal(NewLeadDialog, _new_lead(name, phone, job))
        new_lead.trigger()
        wait_for(added.copy)  # the dialog is opened: the menu returns at once
        wait_idle(window)

    # Both are on Today at once, under New leads, each with a first reply due now.
    window.show_page("today")
    window.refresh()
    wait_idle(window)
    tree = window.today.tree
    group = tree.topLevelItem(0)
    assert group is not None and group.text(0) == "New leads  (2)"
    rows = [group.child(i) for i in range(group.childCount())]
    assert [r.text(2) for r in rows if r is not None] == ["Mia Chen", "Bo Lang"]
    assert window.today.why.text() == "First reply to their enquiry about deck, 5x4 m"
    assert "[" not in window.today.script.toPlainText(), "the first reply reads naturally"

    with db.reading() as s:
        mia = s.execute(select(Customer).where(Customer.display_name == "Mia Chen")).scalar_one()
        mia_id = mia.id
    # The owner opens the details beside Today and answers Mia first.
    assert rows[0] is not None
    tree.setCurrentItem(rows[0])
    chosen = window.today.current_item()
    assert chosen is not None and chosen.quote_id is not None
    mia_quote = chosen.quote_id
    window.open_quote(mia_quote)
    wait_idle(window)  # the panel shows her once she is read
    assert window.detail.customer_id == mia_id
    logged = _when_modal(LogOutcomeDialog, _agreed_call_on_thursday)
    window.today.outcome.click()
    wait_for(lambda: logged)  # the dialog is opened: the click returns at once
    wait_idle(window)

    # Today moves on to the next piece of work; the details stay on the person acted on.
    current = window.today.current_item()
    assert current is not None and current.customer == "Bo Lang"
    wait_idle(window)
    assert window.detail.customer_id == mia_id
    assert window.statusBar().currentMessage().startswith("Saved what happened with Mia Chen")

    # The agreement made on the phone is a call in the ledger.
    with db.reading() as s:
        entries = ledger(s, mia_id)
        agreed = s.execute(
            select(FollowUp).where(
                FollowUp.customer_id == mia_id, FollowUp.agreed_words.is_not(None)
            )
        ).scalar_one()
    assert {(e.kind, e.source) for e in entries} >= {(ConsentEventKind.AGREED_FOLLOW_UP, "call")}

    # One agreed call reads the same on every screen: Thursday 10:00 on the owner's clock.
    due = local_to_utc(date(2026, 11, 26), time(10), zone(SYD))
    assert agreed.due_at == due
    ten = clock_text(time(10))
    short = date_time_text(due, SYD)
    assert short.startswith("Thu 26 Nov") and short.endswith(ten) and "their time" not in short
    window.show_page("quotes")
    window.refresh()
    wait_idle(window)
    # On the Quotes page the owner picks Mia again: the panel follows that page's choice.
    assert window.quotes.select_quote(mia_quote)
    wait_idle(window)
    assert window.detail.customer_id == mia_id
    model = window.quotes.model
    next_column = [
        i
        for i in range(model.columnCount())
        if model.headerData(i, Qt.Orientation.Horizontal) == "Next follow-up"
    ]
    shown_next = {model.index(r, next_column[0]).data() for r in range(model.rowCount())}
    assert any(text.startswith(short) for text in shown_next), shown_next
    timeline = window.detail.timeline
    times = [timeline.topLevelItem(i).text(0) for i in range(timeline.topLevelItemCount())]  # type: ignore[union-attr]
    assert full_date_time_text(due) in times
    viewer = LedgerViewerDialog(db, mia_id, clock=clock)
    qtbot.addWidget(viewer)
    wait_idle(window)  # the ledger is read on the window's database thread
    ledger_times = {viewer.model.index(r, 0).data() for r in range(viewer.model.rowCount())}
    assert full_date_time_text(now) in ledger_times
    # Still Mia after the page changed and everything refreshed.
    assert window.detail.customer_id == mia_id


def test_the_next_step_never_proposes_a_channel_the_customer_revoked(
    qtbot: QtBot, db: Database, now: datetime
) -> None:
    with db.unit_of_work() as s:
        lead = add_lead(s, NewLead("Mia Chen", phone="+61412345679"), now=now)
        revoke_consent(
            s, lead.customer_id, ConsentChannel.TEXT, source="call", words="No texts", now=now
        )
        lead_call = add_lead(
            s, NewLead("Bo Lang", phone="+61413222333", email="bo@example.com"), now=now
        )
        revoke_consent(
            s, lead_call.customer_id, ConsentChannel.CALL, source="email", words="No calls", now=now
        )
    dialog = log_outcome_dialog(db, lambda: now, customer_id=lead_call.customer_id)
    qtbot.addWidget(dialog)
    assert dialog.next_channel.currentData() == "text"
    model = dialog.next_channel.model()
    assert isinstance(model, QStandardItemModel)
    call_row = dialog.next_channel.findData("call")
    assert not model.item(call_row).isEnabled()
    assert "revoked call contact" in model.item(call_row).toolTip()
    # Mia's first reply was a text, now revoked: it is no longer proposed either.
    with db.reading() as s:
        assert (
            s.execute(select(FollowUp).where(FollowUp.customer_id == lead.customer_id))
            .scalars()
            .all()[0]
            .status.value
            == "cancelled"
        )
    dialog = log_outcome_dialog(db, lambda: now, customer_id=lead.customer_id)
    qtbot.addWidget(dialog)
    assert dialog.next_channel.currentData() == "call"


def test_details_stay_on_the_customer_acted_on_from_the_quotes_page(
    qtbot: QtBot, db: Database, now: datetime
) -> None:
    with db.unit_of_work() as s:
        mia = add_lead(s, NewLead("Mia Chen", phone="+61412345679", timezone=SYD), now=now)
        bo = add_lead(s, NewLead("Bo Lang", phone="+61413222333", timezone=SYD), now=now)
    clock = lambda: now  # noqa: E731
    window = MainWindow(db, clock=clock)
    qtbot.addWidget(window)
    install_features(window, db, clock)
    window.show()
    window.show_page("today")
    window.refresh()
    wait_idle(window)
    assert window.today.current_item().customer_id == mia.customer_id  # type: ignore[union-attr]
    window.show_page("quotes")
    window.refresh()
    wait_idle(window)
    assert window.quotes.select_quote(bo.quote_id)
    window.open_quote(bo.quote_id)
    wait_idle(window)  # the panel shows Bo once he is read
    assert window.detail.customer_id == bo.customer_id
    # Stop contact on Bo (what the panel's Stop contact… saves), then everything refreshes.
    with db.unit_of_work() as s:
        revoke_consent(s, bo.customer_id, None, source="call", words="Please stop", now=now)
    window.detail.changed.emit()
    wait_idle(window)
    wait_idle(window)
    assert window.detail.customer_id == bo.customer_id, "not Today's Mia"
    window.refresh()
    settle(qtbot, window)
    assert window.detail.customer_id == bo.customer_id


def _contact(
    qtbot: QtBot, db: Database, channel: Channel, lead: LeadCreated, now: datetime
) -> QDialog:
    """The details' Call/Text/Email screen for `lead`, opened once its read is in."""
    from deckfollow.ui.messaging.actions import open_contact

    Operations(db)  # the window's database thread: which follow-up it is about is read there
    opened: list[QDialog] = []
    open_contact(
        db,
        channel,
        customer_id=lead.customer_id,
        quote_id=lead.quote_id,
        clock=lambda: now,
        opened=lambda dialog, _logged: opened.append(dialog),
        failed=lambda error: pytest.fail(str(error)),
    )
    qtbot.waitUntil(lambda: bool(opened))
    return opened[0]


def test_calling_a_new_lead_instead_of_texting_reads_naturally_and_answers_it(
    qtbot: QtBot, db: Database, now: datetime
) -> None:
    from deckfollow.messaging.template_library import seed_builtin_templates
    from deckfollow.ui.messaging.call import CallDialog

    with db.unit_of_work() as s:
        seed_builtin_templates(s)
        save_owner_settings(
            s,
            {
                "owner_name": "Sam Carter",
                "business_name": "Harbour Decks",
                "default_country": "AU",
                "owner_phone": "0412 555 019",
            },
        )
        lead = add_lead(s, NewLead("Mia Chen", phone="+61412345679", note="Deck"), now=now)
    # The first reply was planned as a text; the owner rings from the details instead.
    dialog = _contact(qtbot, db, Channel.CALL, lead, now)
    qtbot.addWidget(dialog)
    assert isinstance(dialog, CallDialog)
    script = dialog.script.text.toPlainText()
    assert "[" not in script, script
    assert "The reason I'm calling is to answer your enquiry." in script


def test_a_lead_with_nothing_planned_still_gets_natural_first_words(
    qtbot: QtBot, db: Database, now: datetime
) -> None:
    from deckfollow.messaging.template_library import seed_builtin_templates
    from deckfollow.ui.messaging.text_message import TextMessageDialog

    with db.unit_of_work() as s:
        seed_builtin_templates(s)
        save_owner_settings(
            s,
            {
                "owner_name": "Sam Carter",
                "business_name": "Harbour Decks",
                "owner_phone": "+61412555019",
            },
        )
        lead = add_lead(
            s, NewLead("Mia Chen", phone="+61412345679", note="Deck", answered=True), now=now
        )
    dialog = _contact(qtbot, db, Channel.TEXT, lead, now)
    qtbot.addWidget(dialog)
    assert isinstance(dialog, TextMessageDialog)
    words = dialog.body.toPlainText()
    assert "[" not in words, words
    assert words.startswith("Hi Mia, it's Sam from Harbour Decks. Thanks for getting in touch")
