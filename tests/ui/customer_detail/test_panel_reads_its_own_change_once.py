# mypy: disable-error-code="no-untyped-call"
"""A screen opened from the details panel saves: the panel reads the customer again once,
staying on them, and Today (on screen beside it) reads its list once too."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from deckfollow.core.enums import ConsentChannel, Outcome
from deckfollow.core.leads import LeadCreated
from deckfollow.core.settings import save_setting
from deckfollow.messaging.smtp import Security, SmtpSettings, save_smtp_settings
from deckfollow.storage.database import Database
from deckfollow.ui.consent import ConsentEditorDialog, StopContactDialog
from deckfollow.ui.features import install_features
from deckfollow.ui.log_outcome import LogOutcomeDialog
from deckfollow.ui.main_window import MainWindow
from deckfollow.ui.messaging.call import CallDialog
from deckfollow.ui.messaging.compose_email import ComposeEmailDialog
from deckfollow.ui.quote_editor import QuoteDialog
from tests.factories import new_lead
from tests.messaging.conftest import StartServer
from tests.ui.waiting import settle

pytestmark = pytest.mark.usefixtures("first_run_layout")


@pytest.fixture
def lead(db: Database, now: datetime) -> LeadCreated:
    """A new lead whose first reply is due now: on Today, and in the details beside it."""
    return new_lead(
        db, "Mia Chen", phone="+61412345679", email="mia@example.com", job="Deck", now=now,
        timezone="Australia/Sydney",
    )  # fmt: skip


@pytest.fixture
def window(qtbot: QtBot, db: Database, now: datetime, lead: LeadCreated) -> MainWindow:
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


def _counted(owner: object, name: str) -> list[int]:
    """Count the calls of `owner.name` from now on (each is one read of the page's data)."""
    calls: list[int] = []
    original: Callable[..., None] = getattr(owner, name)

    def counting(*args: object, **kwargs: object) -> None:
        calls.append(1)
        original(*args, **kwargs)

    setattr(owner, name, counting)
    return calls


def _reads(window: MainWindow) -> tuple[list[int], list[int]]:
    """(the details panel's reads, Today's reads) from now on."""
    return _counted(window.detail, "_fetch"), _counted(window.today, "refresh")


def test_consent_recorded_from_the_details_is_read_once(
    qtbot: QtBot, window: MainWindow, lead: LeadCreated
) -> None:
    panel = window.detail
    qtbot.mouseClick(panel.edit_consent_button, Qt.MouseButton.LeftButton)
    dlg = panel.active_dialog
    assert isinstance(dlg, ConsentEditorDialog)
    settle(qtbot, window)
    dlg.channel.setCurrentIndex(dlg.channel.findData(ConsentChannel.EMAIL.value))
    dlg.words.setText("Email me the quote")
    panel_reads, today_reads = _reads(window)
    with qtbot.waitSignal(panel.changed):
        qtbot.mouseClick(dlg.grant_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert len(panel_reads) == 1
    assert len(today_reads) == 1
    assert panel.customer_id == lead.customer_id
    state, how = panel.consent_labels[ConsentChannel.EMAIL.value]
    assert state.text() == "yes"
    assert "Email me the quote" in how.toolTip()


def test_an_outcome_logged_from_the_details_is_read_once(
    qtbot: QtBot, window: MainWindow, lead: LeadCreated
) -> None:
    panel = window.detail
    qtbot.mouseClick(panel.log_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(panel.active_dialog, LogOutcomeDialog))
    dlg = panel.active_dialog
    assert isinstance(dlg, LogOutcomeDialog)
    settle(qtbot, window)
    dlg.close_quote.setChecked(True)
    dlg.won.setChecked(True)
    panel_reads, today_reads = _reads(window)
    with qtbot.waitSignal(panel.changed):
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert len(panel_reads) == 1
    assert len(today_reads) == 1
    assert (panel.customer_id, panel.quote_id) == (lead.customer_id, lead.quote_id)
    assert panel.stage_label.text() == "Won"


def test_a_stop_from_the_details_is_read_once(
    qtbot: QtBot, window: MainWindow, lead: LeadCreated
) -> None:
    panel = window.detail
    qtbot.mouseClick(panel.stop_button, Qt.MouseButton.LeftButton)
    dlg = panel.active_dialog
    assert isinstance(dlg, StopContactDialog)
    settle(qtbot, window)
    dlg.words.setPlainText("Please don't contact me again")
    panel_reads, today_reads = _reads(window)
    with qtbot.waitSignal(panel.changed):
        qtbot.mouseClick(dlg.stop_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert len(panel_reads) == 1
    assert len(today_reads) == 1
    assert panel.customer_id == lead.customer_id
    assert panel.dnc_label.isVisible()
    assert window.today.current_item() is None  # the waiting first reply was cancelled


def test_a_call_logged_from_the_details_is_read_once(
    qtbot: QtBot, window: MainWindow, lead: LeadCreated
) -> None:
    panel = window.detail
    qtbot.mouseClick(panel.call_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(panel.active_dialog, CallDialog))
    call = panel.active_dialog
    assert isinstance(call, CallDialog)
    settle(qtbot, window)
    call.outcome_buttons[Outcome.REACHED].setChecked(True)
    call.next_step.reason.setText("Send the revised quote")
    panel_reads, today_reads = _reads(window)
    with qtbot.waitSignal(panel.changed):
        qtbot.mouseClick(call.log_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert len(panel_reads) == 1
    assert len(today_reads) == 1
    assert panel.customer_id == lead.customer_id
    timeline = panel.timeline
    shown = [timeline.topLevelItem(i).text(1) for i in range(2)]  # type: ignore[union-attr]
    # The call just logged, under the next step it planned.
    assert shown == ["Planned call (to do)", "Call to them: reached them"]


def test_an_email_sent_from_the_details_is_read_once(
    qtbot: QtBot, window: MainWindow, db: Database, lead: LeadCreated, smtp_server: StartServer
) -> None:
    # Sent on a thread of its own and announced from there, not with an operation's answer.
    server = smtp_server(Security.PLAIN)
    with db.unit_of_work() as s:
        save_setting(s, "owner_name", "Dana Owner")
        save_setting(s, "business_name", "Harbour Decks")
        save_setting(s, "owner_phone", "+61400111222")
        save_smtp_settings(
            s,
            SmtpSettings("127.0.0.1", server.port, Security.PLAIN, "", "dana@example.com", "Dana"),
        )
    panel = window.detail
    qtbot.mouseClick(panel.email_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(panel.active_dialog, ComposeEmailDialog))
    email = panel.active_dialog
    assert isinstance(email, ComposeEmailDialog)
    settle(qtbot, window)
    email.next_step.reason.setText("Send photos of a similar deck")
    qtbot.waitUntil(email.send_button.isEnabled)
    panel_reads, today_reads = _reads(window)
    with qtbot.waitSignal(panel.changed, timeout=20_000):
        qtbot.mouseClick(email.send_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert len(server.received) == 1
    assert len(panel_reads) == 1
    assert len(today_reads) == 1
    assert panel.customer_id == lead.customer_id
    assert panel.timeline.topLevelItem(1).text(1).startswith("Email to them")  # type: ignore[union-attr]


def test_a_new_quote_from_the_details_is_shown_with_one_read(
    qtbot: QtBot, window: MainWindow, lead: LeadCreated
) -> None:
    panel = window.detail
    qtbot.mouseClick(panel.new_quote_button, Qt.MouseButton.LeftButton)
    dlg = panel.active_dialog
    assert isinstance(dlg, QuoteDialog)
    settle(qtbot, window)
    dlg.job.setText("Pergola, 4 × 3 m")
    dlg.amount.setText("7300")
    panel_reads, today_reads = _reads(window)
    with qtbot.waitSignal(dlg.saved) as saved:
        qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert len(panel_reads) == 1
    assert len(today_reads) == 1
    assert panel.customer_id == lead.customer_id
    assert panel.quote_id == saved.args[0]
    assert panel.quote_title.text() == "Pergola, 4 × 3 m"
