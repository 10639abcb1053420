# mypy: disable-error-code="no-untyped-call"
"""The detail panel: one newest-first timeline, contact details edited in place."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from deckfollow.core.consent import revoke_consent
from deckfollow.core.enums import Basis, Channel, ConsentChannel, Direction, Outcome, Stage
from deckfollow.core.followups import FollowUpPlan
from deckfollow.core.leads import LeadCreated, NewLead, add_lead
from deckfollow.core.models import Customer, Quote
from deckfollow.core.touches import TouchRecord, log_touch
from deckfollow.storage.database import Database
from deckfollow.ui import operations
from deckfollow.ui.consent import StopContactDialog
from deckfollow.ui.customer_detail import DetailPanel
from deckfollow.ui.formatting import clock_text
from deckfollow.ui.log_outcome import LogOutcomeDialog
from deckfollow.ui.operations import Operations
from tests.factories import new_lead
from tests.ui.waiting import settle


@pytest.fixture
def lead(db: Database, now: datetime) -> LeadCreated:
    return new_lead(
        db,
        "Grace Hopper",
        phone="+61 412 345 678",
        email="grace@example.com",
        job="Hardwood deck, 30 m²",
        source="Website form",
        timezone="Australia/Sydney",
        now=now - timedelta(hours=2, minutes=14),
    )


def _panel(qtbot: QtBot, db: Database, now: datetime) -> DetailPanel:
    # The window's database thread: the panel reads and saves there.
    if operations.serving(db) is None:
        Operations(db)
    panel = DetailPanel(db, clock=lambda: now)
    qtbot.addWidget(panel)
    panel.resize(640, 900)
    panel.show()
    return panel


def _showing(qtbot: QtBot, db: Database, now: datetime, quote_id: int) -> DetailPanel:
    """A panel showing `quote_id` and its customer, once they have been read."""
    panel = _panel(qtbot, db, now)
    panel.show_quote(quote_id)
    settle(qtbot, panel)
    return panel


def _timeline(panel: DetailPanel) -> list[tuple[str, str]]:
    tree = panel.timeline
    return [
        (tree.topLevelItem(i).text(1), tree.topLevelItem(i).text(3))  # type: ignore[union-attr]
        for i in range(tree.topLevelItemCount())
    ]


def test_unanswered_lead_shows_its_age_and_the_customers_time(
    qtbot: QtBot, db: Database, lead: LeadCreated, now: datetime
) -> None:
    panel = _panel(qtbot, db, now)
    assert panel.empty_label.isVisible()
    panel.show_quote(lead.quote_id)
    settle(qtbot, panel)
    assert not panel.empty_label.isVisible()
    assert panel.name_label.text() == "Grace Hopper"
    assert panel.lead_age_label.text() == "received 2 h 14 min ago — no reply yet"
    assert f"Mon {clock_text(time(9, 0))} · Australia/Sydney" in panel.local_time_label.text()
    # Her hours read in the same clock as every time on screen ("9:00 AM–8:00 PM", "09:00–20:00").
    nine_to_eight = f"{clock_text(time(9))}\N{EN DASH}{clock_text(time(20))}"
    assert f"Contact hours: weekdays {nine_to_eight}" in panel.hours_label.text()
    assert panel.fields["phone_cell"].text() == "0412 345 678"  # type: ignore[union-attr]
    assert panel.amount_label.text() == "no amount yet"
    panel.clear()
    assert panel.empty_label.isVisible()


def test_timeline_shows_touches_follow_ups_and_consent_newest_first(
    qtbot: QtBot, db: Database, lead: LeadCreated, now: datetime
) -> None:
    with db.unit_of_work() as s:
        log_touch(
            s,
            TouchRecord(
                lead.customer_id,
                Channel.CALL,
                Direction.OUTBOUND,
                Outcome.REACHED,
                now - timedelta(hours=1),
                quote_id=lead.quote_id,
                summary="Wants merbau",
            ),
            FollowUpPlan(
                now + timedelta(days=1),
                Channel.CALL,
                "Go over the timber choice",
                Basis.AGREED,
                "Ring me tomorrow",
            ),
            now=now - timedelta(minutes=50),
        )
        revoke_consent(
            s,
            lead.customer_id,
            ConsentChannel.TEXT,
            source="phone call",
            words="No texts please",
            now=now - timedelta(minutes=30),
        )
    panel = _panel(qtbot, db, now)
    panel.show_customer(lead.customer_id)
    settle(qtbot, panel)
    rows = _timeline(panel)
    assert rows[0] == (
        "Agreed call (to do)",
        'Go over the timber choice — they said "Ring me tomorrow"',
    )
    assert rows[1] == ("Said no to text", '"No texts please" (phone call)')
    # The lead came in before nine: its first reply was due at nine, and the call answered
    # it an hour ago: the first reply stands where the call gave it, beside the call.
    first_reply = (
        "Planned text (done)",
        "First reply to their enquiry about hardwood deck, 30 m²",
    )
    call = ("Call to them: reached them", "Wants merbau")
    assert set(rows[-2:]) == {first_reply, call}  # the oldest, both at the call's moment
    # The first reply ended the lead's wait: the panel now says how fast it was.
    assert panel.lead_age_label.text() == "answered 1 h 14 min after it came in"
    state, _how = panel.consent_labels["text"]
    assert state.text() == "no"


def test_email_edited_in_place_persists(
    qtbot: QtBot, db: Database, lead: LeadCreated, now: datetime
) -> None:
    panel = _showing(qtbot, db, now, lead.quote_id)
    assert not panel.save_button.isEnabled()
    email = panel.fields["email"]
    email.clear()
    qtbot.keyClicks(email, "grace.hopper@navy.example.org")
    assert panel.save_button.isEnabled()
    with qtbot.waitSignal(panel.changed):
        qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, panel)
    assert not panel.save_button.isEnabled()
    with db.reading() as s:
        customer = s.get(Customer, lead.customer_id)
        assert customer is not None
        assert customer.email == "grace.hopper@navy.example.org"
        assert customer.updated_at == now
    # A fresh panel shows the saved address.
    again = _panel(qtbot, db, now)
    again.show_customer(lead.customer_id)
    settle(qtbot, again)
    assert again.fields["email"].text() == "grace.hopper@navy.example.org"  # type: ignore[union-attr]


def keep_theirs_when_asked() -> list[bool]:
    """Answer the clash dialog with Keep theirs once it opens; the list fills when it was."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from deckfollow.ui.team.clash import ClashDialog

    answered: list[bool] = []

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, ClashDialog):
            dialog.keep_theirs.click()
            answered.append(True)
        else:
            QTimer.singleShot(10, poll)

    QTimer.singleShot(0, poll)
    return answered


def test_bad_phone_and_concurrent_edit_are_shown_inline_and_not_saved(
    qtbot: QtBot, db: Database, lead: LeadCreated, now: datetime
) -> None:
    panel = _showing(qtbot, db, now, lead.quote_id)
    office = panel.fields["phone_office"]
    qtbot.keyClicks(office, "12")
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, panel)
    assert panel.contact_error.isVisible()
    assert panel.contact_error.text().startswith("office phone: '12' is not")
    with db.reading() as s:
        customer = s.get(Customer, lead.customer_id)
        assert customer is not None and customer.phone_office is None

    # Someone else saves an office number after the panel loaded the customer.
    with db.unit_of_work() as s:
        other = s.get(Customer, lead.customer_id)
        assert other is not None
        other.phone_office = "+61298765000"
    office.clear()
    qtbot.keyClicks(office, "+61 2 9876 5432")
    answered = keep_theirs_when_asked()  # the clash dialog: keep what the other person saved
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(answered))
    assert panel.contact_error.text().startswith(
        "Grace Hopper's office phone was changed by someone else at"
    )
    with db.reading() as s:
        customer = s.get(Customer, lead.customer_id)
        assert customer is not None and customer.phone_office == "+61298765000"
    qtbot.mouseClick(panel.revert_button, Qt.MouseButton.LeftButton)
    settle(qtbot, panel)
    assert panel.fields["phone_office"].text() == "(02) 9876 5000"  # type: ignore[union-attr]
    assert not panel.contact_error.isVisible()


def test_an_edit_survives_a_refresh_and_other_changes_are_kept(
    qtbot: QtBot, db: Database, lead: LeadCreated, now: datetime
) -> None:
    panel = _showing(qtbot, db, now, lead.quote_id)
    street = panel.fields["street"]
    qtbot.keyClicks(street, "12 Banksia Way")
    # Meanwhile someone renames the customer and revokes texts; the main window refreshes.
    with db.unit_of_work() as s:
        other = s.get(Customer, lead.customer_id)
        assert other is not None
        other.display_name = "Grace B. Hopper"
        revoke_consent(
            s, lead.customer_id, ConsentChannel.TEXT, source="email", words=None, now=now
        )
    panel.reload()
    settle(qtbot, panel)
    assert panel.name_label.text() == "Grace B. Hopper"
    assert panel.consent_labels["text"][0].text() == "no"
    assert street.text() == "12 Banksia Way"  # type: ignore[union-attr]
    with qtbot.waitSignal(panel.changed):
        qtbot.keyClick(street, Qt.Key.Key_Return)
    with db.reading() as s:
        customer = s.get(Customer, lead.customer_id)
        assert customer is not None
        assert (customer.display_name, customer.street) == ("Grace B. Hopper", "12 Banksia Way")


def test_a_quote_in_the_trash_says_so(
    qtbot: QtBot, db: Database, lead: LeadCreated, now: datetime
) -> None:
    with db.unit_of_work() as s:
        quote = s.get(Quote, lead.quote_id)
        assert quote is not None
        quote.deleted_at = now
    panel = _showing(qtbot, db, now, lead.quote_id)
    assert panel.empty_label.text() == "That quote is in the trash or no longer exists."
    panel.show_customer(lead.customer_id)
    settle(qtbot, panel)
    assert panel.no_quote_label.isVisible()


def test_log_outcome_button_opens_the_dialog_for_the_quote_and_refreshes(
    qtbot: QtBot, db: Database, lead: LeadCreated, now: datetime
) -> None:
    Operations(db)  # the window's database thread: the dialog's data is read there
    panel = _showing(qtbot, db, now, lead.quote_id)
    qtbot.mouseClick(panel.log_button, Qt.MouseButton.LeftButton)
    # Opens once what it shows has been read.
    qtbot.waitUntil(lambda: isinstance(panel.active_dialog, LogOutcomeDialog))
    dlg = panel.active_dialog
    assert isinstance(dlg, LogOutcomeDialog)
    dlg.close_quote.setChecked(True)
    dlg.won.setChecked(True)
    with qtbot.waitSignal(panel.changed):
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot, panel)
    assert panel.stage_label.text() == "Won"
    rows = _timeline(panel)
    # The after-sale thank-you call is next, above the touch just logged.
    assert rows[0][0] == "Planned call (to do)"
    assert rows[0][1].startswith("Thank you for choosing us")
    assert rows[1][0] == "Call to them: reached them"
    with db.reading() as s:
        quote = s.get(Quote, lead.quote_id)
        assert quote is not None and quote.stage is Stage.WON


def test_an_email_of_someone_who_asked_not_to_be_contacted_is_refused(
    qtbot: QtBot, db: Database, lead: LeadCreated, now: datetime
) -> None:
    with db.unit_of_work() as s:
        stopped = add_lead(
            s, NewLead("Alan Turing", email="alan@example.com", answered=True), now=now
        )
        revoke_consent(
            s, stopped.customer_id, None, source="phone call", words="Stop calling", now=now
        )
    panel = _showing(qtbot, db, now, lead.quote_id)
    email = panel.fields["email"]
    email.clear()
    qtbot.keyClicks(email, "Alan@example.com")
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, panel)
    assert "Alan Turing" in panel.contact_error.text()
    assert "asked not to be contacted" in panel.contact_error.text()
    with db.reading() as s:
        customer = s.get(Customer, lead.customer_id)
        assert customer is not None and customer.email == "grace@example.com"


def test_stop_contact_from_the_panel_shows_at_once(
    qtbot: QtBot, db: Database, lead: LeadCreated, now: datetime
) -> None:
    ops = Operations(db)  # the window's database thread: the panel and stop screen read there
    panel = _panel(qtbot, db, now)
    panel.show_quote(lead.quote_id)
    settle(qtbot, ops)
    assert not panel.dnc_label.isVisible()
    qtbot.mouseClick(panel.stop_button, Qt.MouseButton.LeftButton)
    dlg = panel.active_dialog
    assert isinstance(dlg, StopContactDialog)
    settle(qtbot, ops)
    dlg.words.setPlainText("Please don't contact me again")
    with qtbot.waitSignal(panel.changed):
        qtbot.mouseClick(dlg.stop_button, Qt.MouseButton.LeftButton)
    settle(qtbot, ops)
    assert panel.dnc_label.isVisible()
    assert all(state.text() == "no" for state, _how in panel.consent_labels.values())
    # Stopping cancelled the waiting first reply (due at the same moment) too.
    assert set(_timeline(panel)[:2]) == {
        ("Asked not to be contacted at all", '"Please don\'t contact me again" (call)'),
        (
            "Planned text (cancelled)",
            "First reply to their enquiry about hardwood deck, 30 m²"
            " — cancelled: customer asked not to be contacted",
        ),
    }


def test_a_save_on_its_way_is_sent_once_and_the_panel_then_moves_on(
    qtbot: QtBot, db: Database, lead: LeadCreated, now: datetime
) -> None:
    with db.unit_of_work() as s:
        ada = add_lead(s, NewLead("Ada Lovelace", email="ada@example.com"), now=now)
    panel = _showing(qtbot, db, now, lead.quote_id)
    with db.reading() as s:
        version = s.get(Customer, lead.customer_id).version  # type: ignore[union-attr]
    street = panel.fields["street"]
    qtbot.keyClicks(street, "12 Banksia Way")
    saves: list[object] = []
    panel.changed.connect(lambda: saves.append(True))
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    # On its way: what was sent stays as sent, and neither Save nor Return sends it again.
    assert street.isReadOnly() and not panel.save_button.isEnabled()
    assert not panel.revert_button.isEnabled()
    qtbot.keyClick(street, Qt.Key.Key_Return)
    # Picking someone else meanwhile waits for the save, without a word about unsaved edits.
    panel.show_customer(ada.customer_id)
    assert panel.contact_error.isHidden()
    settle(qtbot, panel)
    assert saves == [True]
    with db.reading() as s:
        customer = s.get(Customer, lead.customer_id)
        assert customer is not None
        assert (customer.street, customer.version) == ("12 Banksia Way", version + 1)
    assert panel.name_label.text() == "Ada Lovelace"
    assert panel.customer_id == ada.customer_id
    assert not street.isReadOnly() and street.text() == ""  # type: ignore[union-attr]
    assert not panel.save_button.isEnabled()


def test_a_refused_save_stays_on_the_customer_with_what_was_typed(
    qtbot: QtBot, db: Database, lead: LeadCreated, now: datetime
) -> None:
    panel = _showing(qtbot, db, now, lead.quote_id)
    birthday = panel.fields["birthday"]
    qtbot.keyClicks(birthday, "31/31/1980")
    qtbot.keyClick(birthday, Qt.Key.Key_Return)
    settle(qtbot, panel)
    # One line naming the field; the field is marked and can be corrected at once.
    assert panel.contact_error.text().startswith("birthday:")
    assert "\n" not in panel.contact_error.text()
    assert birthday.text() == "31/31/1980" and not birthday.isReadOnly()  # type: ignore[union-attr]
    assert panel.customer_id == lead.customer_id and panel.save_button.isEnabled()
    with db.reading() as s:
        customer = s.get(Customer, lead.customer_id)
        assert customer is not None and customer.birthday is None
