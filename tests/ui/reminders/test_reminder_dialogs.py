# mypy: disable-error-code="no-untyped-call"
"""Snooze dialog, tray menu and the reminder settings page, used as a person would."""

from __future__ import annotations

import os
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from PySide6.QtCore import QLocale, QTime
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from deckfollow.core.changes import Changes
from deckfollow.core.models import FollowUp
from deckfollow.core.settings import save_setting
from deckfollow.reminders.calendar_export import export_calendar_to
from deckfollow.reminders.digest import digest_time
from deckfollow.reminders.snooze import SnoozeChoice
from deckfollow.storage.database import Database
from deckfollow.ui import formatting
from deckfollow.ui.formatting import clock_text
from deckfollow.ui.main_window import MainWindow
from deckfollow.ui.operations import Operations
from deckfollow.ui.reminders import (
    ReminderController,
    ReminderSettingsWidget,
    SnoozeDialog,
)
from tests.reminders.helpers import Clock, add_follow_up
from tests.ui.waiting import settle

SYD = ZoneInfo("Australia/Sydney")
SHOTS = Path(os.environ.get("DECKFOLLOW_SHOTS", "")) if os.environ.get("DECKFOLLOW_SHOTS") else None


def _shot(widget: object, name: str) -> None:
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(SHOTS / f"{name}.png"))  # type: ignore[attr-defined]


@pytest.fixture
def owner(db: Database) -> Database:
    with db.unit_of_work() as s:
        save_setting(s, "owner_timezone", "Australia/Sydney")
    return db


@pytest.mark.parametrize(
    ("country", "territory", "nine"),
    [
        ("US", QLocale.Country.UnitedStates, "9:00\u202fAM"),
        ("GB", QLocale.Country.UnitedKingdom, "09:00"),
    ],
)
def test_a_refusal_in_a_dialog_reads_the_screens_clock(
    qtbot: QtBot,
    owner: Database,
    now: datetime,
    country: str,
    territory: QLocale.Country,
    nine: str,
):
    """The core's "may be contacted from …" beside the dialog's own "Reminds you …": one
    clock, 12-hour with the locale's AM in the United States, 24-hour in Britain."""
    QLocale.setDefault(QLocale(QLocale.Language.English, territory))
    formatting.use_sensible_locale(country)  # as the app's start does
    due = datetime(2026, 11, 27, 19, 50, tzinfo=SYD)
    fid = add_follow_up(owner, now, due, name="Evening Eve", reason="Confirm the start date")
    clock = Clock(datetime(2026, 11, 27, 19, 40, tzinfo=SYD).astimezone(UTC))
    ops = Operations(owner)  # the window's database thread: the snooze is read there
    dlg = SnoozeDialog(owner, fid, clock=clock)
    qtbot.addWidget(dlg)
    dlg.show()
    settle(qtbot, ops)
    text = dlg.landing.text()
    assert clock_text(time(9)) == nine
    assert f"Reminds you Sat 28 Nov at {nine}." in text  # the screen's own words
    assert f"Evening Eve may be contacted from Sat 28 Nov {nine}, so" in text
    _shot(dlg, f"snooze-refusal-{country}")


def test_snooze_dialog_shows_where_a_late_snooze_lands_and_saves_it(
    qtbot: QtBot, owner: Database, now: datetime
):
    db = owner
    due = datetime(2026, 11, 27, 19, 50, tzinfo=SYD)
    fid = add_follow_up(db, now, due, name="Evening Eve", reason="Confirm the start date")
    clock = Clock(datetime(2026, 11, 27, 19, 40, tzinfo=SYD).astimezone(UTC))
    ops = Operations(db)  # the window's database thread: read, previewed and saved there
    dlg = SnoozeDialog(db, fid, clock=clock)
    qtbot.addWidget(dlg)
    dlg.show()
    # Nothing to choose, and no landing guessed, until the read has arrived.
    assert not dlg.box.button(dlg.box.StandardButton.Ok).isEnabled()
    assert dlg.landing.text() == "" and dlg.when.text().strip() == ""
    settle(qtbot, ops)
    assert dlg.box.button(dlg.box.StandardButton.Ok).isEnabled()
    assert dlg.choice_buttons[SnoozeChoice.HOUR_1].isChecked()
    text = dlg.landing.text()
    assert f"Reminds you Sat 28 Nov at {clock_text(time(9, 0))}." in text
    assert f"Evening Eve may be contacted from Sat 28 Nov {clock_text(time(9))}" in text
    _shot(dlg, "snooze-dialog")
    dlg.choice_buttons[SnoozeChoice.MINUTES_15].setChecked(True)
    settle(qtbot, ops)
    # 15 minutes stays inside her hours (calls until 20:00): exactly where asked, no note.
    assert dlg.landing.text() == f"Reminds you Fri 27 Nov at {clock_text(time(19, 55))}."
    with qtbot.waitSignal(dlg.snoozed) as saved:
        dlg.choice_buttons[SnoozeChoice.HOUR_1].setChecked(True)
        dlg.box.accepted.emit()
    [landing] = saved.args[0]
    assert landing.lands_at == datetime(2026, 11, 28, 9, tzinfo=SYD)
    with db.reading() as s:
        fu = s.get(FollowUp, fid)
        assert fu is not None
        assert fu.snoozed_until == datetime(2026, 11, 28, 9, tzinfo=SYD)


def test_tray_menu_and_closing_the_window_hides_it(qtbot: QtBot, owner: Database, now: datetime):
    # The offscreen platform has no tray to show the icon in; the icon object, its menu and
    # the close-to-tray behaviour are the same code a desktop with a tray runs.
    window = MainWindow(owner, clock=lambda: now)
    qtbot.addWidget(window)
    controller = ReminderController(owner, clock=lambda: now, main_window=window)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    try:
        controller.start(connect_desktop=False, use_tray=True)
        assert controller.tray is not None
        controller.add_tray_action("Reminder settings…", lambda: None)
        menu = controller.tray.contextMenu()
        assert [a.text() for a in menu.actions()] == [
            "Open deckfollow",
            "Today's digest",
            "Snooze all due 1 hour",
            "Export calendar…",
            "Reminder settings…",
            "",
            "Quit deckfollow",
        ]
        assert not app.quitOnLastWindowClosed()
        window.show()
        window.close()
        assert window.isHidden(), "closing hides to the tray"
        controller.show_window()
        assert window.isVisible()
    finally:
        controller.stop()
        app.setQuitOnLastWindowClosed(True)


def test_settings_page_saves_digest_time_and_start_at_login(
    qtbot: QtBot, owner: Database, now: datetime, tmp_path: Path
):
    ops = Operations(owner)  # the window's database thread: it reads and saves for the page
    page = ReminderSettingsWidget(owner, clock=lambda: now)
    qtbot.addWidget(page)
    page.resize(640, 320)
    page.show()
    assert not page.digest_on.isEnabled()  # closed for a choice until what is set was read
    settle(qtbot, ops)
    assert page.digest_on.isChecked() and page.digest_on.isEnabled()
    with qtbot.waitSignal(page.changed):
        page.digest_time.setTime(QTime(6, 45))
    with owner.reading() as s:
        assert digest_time(s) == time(6, 45)
    with qtbot.waitSignal(page.changed):
        page.autostart.setChecked(True)
    entry = Path(os.environ["XDG_CONFIG_HOME"]) / "autostart" / "deckfollow.desktop"
    assert entry.is_file()
    assert str(entry) in page.autostart_where.text()
    _shot(page, "reminder-settings")
    page.autostart.setChecked(False)
    assert not entry.exists()
    page.digest_on.setChecked(False)
    settle(qtbot, ops)
    with owner.reading() as s:
        assert digest_time(s) is None
    assert not page.digest_time.isEnabled()


def test_export_calendar_from_the_app(owner: Database, now: datetime, tmp_path: Path):
    add_follow_up(owner, now, datetime(2026, 11, 23, 10, tzinfo=SYD), name="Jane Smith")
    path = tmp_path / "cal.ics"
    with owner.unit_of_work() as s:
        assert export_calendar_to(s, path, now=now) == 1
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    [event] = cal.walk("VEVENT")
    assert str(event["SUMMARY"]).startswith("Call Jane Smith")
    assert event.decoded("DTSTART") == datetime(2026, 11, 23, 10, tzinfo=SYD)


def test_reminder_shows_in_the_main_window_banner(qtbot: QtBot, owner: Database, now: datetime):
    add_follow_up(owner, now, datetime(2026, 11, 23, 9, tzinfo=SYD), name="Jane Smith")
    window = MainWindow(owner, clock=lambda: now)
    qtbot.addWidget(window)
    window.resize(1100, 560)
    controller = ReminderController(owner, clock=lambda: now, main_window=window, parent=window)
    try:
        controller.start(connect_desktop=False)
        qtbot.waitUntil(lambda: controller.last_check is not None)
        window.refresh()
        window.show()
        settle(qtbot, window)
        # No tray offscreen: the notice was shown once, then the reminder in the banner.
        assert any(m.startswith("Call Jane Smith") for m in window.banner.messages())
        _shot(window, "main-window-reminder-banner")
        with (
            qtbot.waitSignal(window.ops.changes_applied) as told,
            qtbot.waitSignal(controller.snoozed) as snoozed,
        ):
            controller.snooze_all()
        assert snoozed.args == [1]
        assert told.args == [Changes(follow_ups=True), controller]
    finally:
        controller.stop()


def test_snooze_to_a_chosen_time_outside_hours_moves_to_the_next_allowed(
    qtbot: QtBot, owner: Database, now: datetime
):
    from PySide6.QtCore import QDate, QDateTime, QTimeZone

    fid = add_follow_up(owner, now, datetime(2026, 11, 23, 10, tzinfo=SYD), name="Sat Sam")
    ops = Operations(owner)  # the window's database thread: read, previewed and saved there
    dlg = SnoozeDialog(owner, fid, clock=lambda: now)
    qtbot.addWidget(dlg)
    dlg.show()
    settle(qtbot, ops)
    assert not dlg.choice_buttons[None].isChecked()  # the field's start is not a choice
    # Saturday 18:00 in Sydney: AU calls end 17:00 on Saturdays and never on Sundays.
    dlg.when.setDateTime(
        QDateTime(QDate(2026, 11, 28), QTime(18, 0), QTimeZone(b"Australia/Sydney"))
    )
    assert dlg.choice_buttons[None].isChecked()
    assert dlg.requested() == datetime(2026, 11, 28, 18, tzinfo=SYD)
    settle(qtbot, ops)
    assert f"Reminds you Mon 30 Nov at {clock_text(time(9, 0))}." in dlg.landing.text()
    with qtbot.waitSignal(dlg.snoozed):
        dlg.box.accepted.emit()
    with owner.reading() as s:
        fu = s.get(FollowUp, fid)
        assert fu is not None
        assert fu.snoozed_until == datetime(2026, 11, 30, 9, tzinfo=SYD)


def test_started_at_login_with_a_tray_stays_in_the_tray(
    qtbot: QtBot, owner: Database, now: datetime, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("DECKFOLLOW_STARTED_AT_LOGIN", "1")
    window = MainWindow(owner, clock=lambda: now)
    qtbot.addWidget(window)
    window.show()
    controller = ReminderController(owner, clock=lambda: now, main_window=window)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    try:
        controller.start(connect_desktop=False, use_tray=True)
        assert window.isHidden()
    finally:
        controller.stop()
        app.setQuitOnLastWindowClosed(True)
    # Without a tray there is no other way to the app: the window stays.
    window.show()
    other = ReminderController(owner, clock=lambda: now, main_window=window)
    try:
        other.start(connect_desktop=False, use_tray=False)
        assert window.isVisible()
    finally:
        other.stop()


def test_snooze_from_today_opens_the_dialog_and_says_so_once_saved(
    qtbot: QtBot, owner: Database
) -> None:
    from PySide6.QtCore import QTimer

    from deckfollow.ui.features import install_features

    now = datetime(2026, 11, 27, 10, 0, tzinfo=SYD).astimezone(UTC)
    fid = add_follow_up(owner, now, now, name="Morning Mo", reason="Confirm the start date")
    window = MainWindow(owner, clock=lambda: now)
    qtbot.addWidget(window)
    install_features(window, owner, lambda: now)
    window.show()
    window.show_page("today")
    window.refresh()
    settle(qtbot, window)
    assert window.today.select_follow_up(fid)
    snoozed: list[SnoozeDialog] = []

    def snooze_an_hour() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, SnoozeDialog) or not dialog.ok.isEnabled():
            # Not open yet, or its choices not yet read: a person waits for them too.
            QTimer.singleShot(10, snooze_an_hour)
            return
        dialog.choice_buttons[SnoozeChoice.HOUR_1].setChecked(True)
        dialog.box.accepted.emit()
        snoozed.append(dialog)

    QTimer.singleShot(0, snooze_an_hour)
    window.today.snooze_button.click()
    # The click returned with the dialog on screen: no loop of its own waited for the answer.
    assert isinstance(QApplication.activeModalWidget(), SnoozeDialog) and not snoozed
    assert "Snoozed" not in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: bool(snoozed))
    settle(qtbot, window)
    assert window.statusBar().currentMessage() == "Snoozed the call with Morning Mo"
    with owner.reading() as s:
        fu = s.get(FollowUp, fid)
        assert fu is not None and fu.snoozed_until == now + timedelta(hours=1)
