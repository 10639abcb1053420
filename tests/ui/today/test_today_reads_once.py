# mypy: disable-error-code="no-untyped-call"
"""An action taken from Today (a call logged, an email sent, a text logged as sent, an
outcome logged):
Today reads the day once, moves on to the next follow-up rather than back to the top, and
the details panel open beside it reads the customer acted on once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from deckfollow.core.enums import Channel, Outcome
from deckfollow.core.settings import save_setting
from deckfollow.messaging.smtp import Security, SmtpSettings, save_smtp_settings
from deckfollow.storage.database import Database
from deckfollow.ui.features import install_features
from deckfollow.ui.log_outcome import LogOutcomeDialog
from deckfollow.ui.main_window import MainWindow
from deckfollow.ui.messaging.call import CallDialog
from deckfollow.ui.messaging.compose_email import ComposeEmailDialog
from deckfollow.ui.messaging.text_message import TextMessageDialog
from tests.messaging.conftest import StartServer
from tests.reminders.helpers import add_follow_up
from tests.ui.waiting import settle

SYD = ZoneInfo("Australia/Sydney")
NOW = datetime(2026, 11, 27, 14, 0, tzinfo=SYD).astimezone(UTC)

pytestmark = pytest.mark.usefixtures("first_run_layout")


def _counted(owner: object, name: str) -> list[int]:
    """Count the calls of `owner.name` from now on (each is one read of the page's data)."""
    calls: list[int] = []
    original: Callable[..., None] = getattr(owner, name)

    def counting(*args: object, **kwargs: object) -> None:
        calls.append(1)
        original(*args, **kwargs)

    setattr(owner, name, counting)
    return calls


def _three_due(db: Database, channel: Channel) -> list[int]:
    """Three follow-ups due this afternoon, the first on `channel`, in the order Today
    lists them."""
    first = add_follow_up(
        db, NOW, NOW - timedelta(hours=3), name="Ann Early", channel=channel, reason="Start date"
    )
    second = add_follow_up(
        db, NOW, NOW - timedelta(hours=2), name="Ben Middle", channel=channel, reason="Colour"
    )
    third = add_follow_up(
        db, NOW, NOW - timedelta(hours=1), name="Cal Late", channel=channel, reason="Timber"
    )
    return [first, second, third]


def _window(qtbot: QtBot, db: Database) -> MainWindow:
    with db.unit_of_work() as s:
        save_setting(s, "owner_timezone", "Australia/Sydney")
        save_setting(s, "default_country", "AU")
        save_setting(s, "owner_name", "Dana Owner")
        save_setting(s, "business_name", "Harbour Decks")
        save_setting(s, "owner_phone", "+61400111222")
    window = MainWindow(db, clock=lambda: NOW)
    qtbot.addWidget(window)
    install_features(window, db, lambda: NOW)
    window.resize(1400, 900)
    window.show()
    window.show_page("today")
    window.refresh()
    settle(qtbot, window)
    window.detail_dock.show()  # the details beside Today follow its selection
    return window


def _act_on_the_middle_one(
    qtbot: QtBot, window: MainWindow, ids: list[int], press: Callable[[], None]
) -> QDialog:
    """Choose the second follow-up, press an action, and return its screen once it opened."""
    assert window.today.select_follow_up(ids[1])
    settle(qtbot, window)
    assert window.detail.customer_id == window.today.current_item().customer_id  # type: ignore[union-attr]
    press()
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QDialog))
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, QDialog)
    settle(qtbot, window)
    return dialog


def _after_the_action(
    qtbot: QtBot, window: MainWindow, ids: list[int], save: Callable[[], None], said: str
) -> None:
    """Save the open screen; Today and the details each read once, and Today moved on."""
    acted_on = window.today.current_item()
    assert acted_on is not None
    today_reads = _counted(window.today, "refresh")
    panel_reads = _counted(window.detail, "_fetch")
    customers_reads = _counted(window.customers, "_read")
    save()
    qtbot.waitUntil(lambda: said in window.statusBar().currentMessage())
    settle(qtbot, window)
    assert window.statusBar().currentMessage().startswith(f"{said} {acted_on.customer}")
    assert len(today_reads) == 1, "Today read the day once"
    assert len(panel_reads) == 1, "the details beside it read the customer once"
    assert customers_reads == [], "the Customers page, off screen, reads when next shown"
    item = window.today.current_item()
    assert item is not None and item.follow_up_id == ids[2], "on to the next piece of work"
    assert window.today.model.ids_in_order() == [ids[0], ids[2]]
    assert window.detail.customer_id == acted_on.customer_id, "the details stay on them"
    window.show_page("customers")
    settle(qtbot, window)
    assert len(customers_reads) == 1


def test_a_call_logged_from_today_is_read_once(qtbot: QtBot, db: Database) -> None:
    ids = _three_due(db, Channel.CALL)
    window = _window(qtbot, db)
    call = _act_on_the_middle_one(qtbot, window, ids, window.today.primary.click)
    assert isinstance(call, CallDialog)
    call.outcome_buttons[Outcome.REACHED].setChecked(True)
    call.next_step.reason.setText("Hear what the council said")
    _after_the_action(qtbot, window, ids, call.log_button.click, "Logged the call with")


def test_an_email_sent_from_today_is_read_once(
    qtbot: QtBot, db: Database, smtp_server: StartServer
) -> None:
    server = smtp_server(Security.PLAIN)
    with db.unit_of_work() as s:
        save_smtp_settings(
            s,
            SmtpSettings("127.0.0.1", server.port, Security.PLAIN, "", "dana@example.com", "Dana"),
        )
    ids = _three_due(db, Channel.EMAIL)
    window = _window(qtbot, db)
    email = _act_on_the_middle_one(qtbot, window, ids, window.today.primary.click)
    assert isinstance(email, ComposeEmailDialog)
    email.next_step.reason.setText("Send photos of a similar deck")
    qtbot.waitUntil(email.send_button.isEnabled)
    _after_the_action(qtbot, window, ids, email.send_button.click, "Sent and logged the email to")
    assert len(server.received) == 1


def test_a_text_logged_as_sent_from_today_is_read_once(qtbot: QtBot, db: Database) -> None:
    ids = _three_due(db, Channel.TEXT)
    window = _window(qtbot, db)
    text = _act_on_the_middle_one(qtbot, window, ids, window.today.primary.click)
    assert isinstance(text, TextMessageDialog)
    text.copy_button.click()  # handed to the phone, then sent from there
    qtbot.waitUntil(text.log_button.isEnabled)
    text.next_step.reason.setText("See if the colour suits")
    _after_the_action(qtbot, window, ids, text.log_button.click, "Logged the text to")


def test_an_outcome_logged_from_today_is_read_once(qtbot: QtBot, db: Database) -> None:
    ids = _three_due(db, Channel.CALL)
    window = _window(qtbot, db)
    dialog = _act_on_the_middle_one(qtbot, window, ids, window.today.outcome.click)
    assert isinstance(dialog, LogOutcomeDialog)
    dialog.outcome.setCurrentIndex(dialog.outcome.findData(Outcome.REACHED.value))
    dialog.plan_next.setChecked(True)
    dialog.reason.setText("Go through the quote together")
    _after_the_action(
        qtbot,
        window,
        ids,
        dialog.ok_button.click,
        "Saved what happened with",
    )
