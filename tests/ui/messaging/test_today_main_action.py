"""Today's main action (Call…, Text…, Email…) from the window, as the owner uses it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from deckfollow.core.enums import Channel
from deckfollow.core.settings import save_setting
from deckfollow.storage.database import Database
from deckfollow.ui.features import install_features
from deckfollow.ui.main_window import MainWindow
from deckfollow.ui.messaging.call import CallDialog
from deckfollow.ui.messaging.text_message import TextMessageDialog
from tests.reminders.helpers import add_follow_up
from tests.ui.waiting import settle

SYD = ZoneInfo("Australia/Sydney")
NOW = datetime(2026, 11, 27, 14, 0, tzinfo=SYD).astimezone(UTC)


def _window(qtbot: QtBot, db: Database) -> MainWindow:
    with db.unit_of_work() as s:
        save_setting(s, "owner_timezone", "Australia/Sydney")
    window = MainWindow(db, clock=lambda: NOW)
    qtbot.addWidget(window)
    install_features(window, db, lambda: NOW)
    window.show()
    window.show_page("today")
    window.refresh()
    settle(qtbot, window)
    return window


def test_a_call_from_today_opens_without_holding_the_window_and_moves_on_once_logged(
    qtbot: QtBot, db: Database
) -> None:
    first = add_follow_up(db, NOW, NOW - timedelta(hours=2), name="Ann Early", reason="Start date")
    second = add_follow_up(db, NOW, NOW - timedelta(hours=1), name="Ben Later", reason="Colour")
    window = _window(qtbot, db)
    assert window.today.select_follow_up(first)

    window.today.primary.click()
    # The click returned at once: who it is about is read on the database thread, and the
    # call screen opens with the answer, without a loop of its own.
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), CallDialog))
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, CallDialog) and dialog.target.name == "Ann Early"
    assert "Logged" not in window.statusBar().currentMessage()
    dialog.next_step.reason.setText("Hear what the council said")
    dialog.log_button.click()
    qtbot.waitUntil(lambda: "Logged" in window.statusBar().currentMessage())
    settle(qtbot, window)

    assert window.statusBar().currentMessage() == "Logged the call with Ann Early"
    item = window.today.current_item()
    assert item is not None and item.follow_up_id == second, "on to the next piece of work"
    assert QApplication.activeModalWidget() is None


def test_a_text_cancelled_from_today_leaves_the_list_and_status_line_alone(
    qtbot: QtBot, db: Database
) -> None:
    fid = add_follow_up(db, NOW, NOW - timedelta(hours=1), name="Cat Text", channel=Channel.TEXT)
    window = _window(qtbot, db)
    assert window.today.select_follow_up(fid)
    window.statusBar().showMessage("before")

    window.today.primary.click()
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), TextMessageDialog))
    dialog = QApplication.activeModalWidget()
    assert dialog is not None
    dialog.close()
    settle(qtbot, window)

    assert window.statusBar().currentMessage() == "before"
    item = window.today.current_item()
    assert item is not None and item.follow_up_id == fid


def test_a_follow_up_gone_before_its_screen_opened_is_said_in_one_line(
    qtbot: QtBot, db: Database
) -> None:
    from deckfollow.core.models import FollowUp

    fid = add_follow_up(db, NOW, NOW - timedelta(hours=1), name="Dan Gone")
    window = _window(qtbot, db)
    assert window.today.select_follow_up(fid)
    with db.unit_of_work() as s:  # another window of the team removed it meanwhile
        gone = s.get(FollowUp, fid)
        assert gone is not None
        s.delete(gone)

    window.today.primary.click()
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QMessageBox))
    note = QApplication.activeModalWidget()
    assert isinstance(note, QMessageBox) and "follow-up" in note.text().lower()
    note.close()
    assert "Logged" not in window.statusBar().currentMessage()


def test_a_double_click_on_call_opens_one_call_screen(qtbot: QtBot, db: Database) -> None:
    fid = add_follow_up(db, NOW, NOW - timedelta(hours=1), name="Eve Twice")
    window = _window(qtbot, db)
    assert window.today.select_follow_up(fid)

    window.today.primary.click()
    window.today.primary.click()  # before the first screen could open
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), CallDialog))
    settle(qtbot, window)
    assert len([w for w in QApplication.topLevelWidgets() if isinstance(w, CallDialog)]) == 1
    first = QApplication.activeModalWidget()
    assert first is not None
    first.close()
    settle(qtbot, window)
    window.today.primary.click()  # once it closed, Call opens it again
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), CallDialog))
    again = QApplication.activeModalWidget()
    assert again is not None and again is not first
    again.close()
