# mypy: disable-error-code="no-untyped-call"
"""The reminder controller in a running app: no-tray fallback, real notifications, clicks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtWidgets import QSystemTrayIcon
from pytestqt.qtbot import QtBot

from deckfollow.core.settings import set_setting
from deckfollow.reminders.check import Notice
from deckfollow.reminders.scheduler import next_due_at
from deckfollow.storage.database import Database, open_database
from deckfollow.ui.main_window import MainWindow
from deckfollow.ui.reminders import ReminderController
from deckfollow.ui.reminders.controller import NO_TRAY_TEXT, SAFETY_INTERVAL
from tests.reminders.desktop import Desktop, missing_tools, private_desktop
from tests.reminders.helpers import Clock, add_follow_up
from tests.ui.waiting import settle

SYD = ZoneInfo("Australia/Sydney")
DUE = datetime(2026, 11, 23, 10, tzinfo=SYD).astimezone(UTC)


@pytest.fixture(autouse=True)
def _no_host_buses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never talk to the machine's own session or system bus."""
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path}/no-session-bus")
    monkeypatch.setenv("DBUS_SYSTEM_BUS_ADDRESS", f"unix:path={tmp_path}/no-system-bus")


def _quiet_mornings(db: Database) -> None:
    with db.unit_of_work() as s:
        set_setting(s, "reminders.digest_time", "off")


Make = Callable[[Database, Clock], tuple[ReminderController, MainWindow]]


def _check(qtbot: QtBot, controller: ReminderController) -> list[Notice]:
    """A check run now, on the window's database thread: the notices it showed."""
    with qtbot.waitSignal(controller.checked, timeout=10000) as done:
        controller.check_now()
    notices: list[Notice] = done.args[0]
    return notices


def _snooze(qtbot: QtBot, controller: ReminderController, act: Callable[[], object]) -> int:
    """How many follow-ups the snooze `act` starts moved, once saved."""
    with qtbot.waitSignal(controller.snoozed, timeout=10000) as done:
        act()
    count: int = done.args[0]
    return count


@pytest.fixture
def make_controller(qtbot: QtBot) -> Iterator[Make]:
    """Controllers on a real main window; stopped before the test's desktop goes away."""
    made: list[ReminderController] = []

    def make(db: Database, clock: Clock) -> tuple[ReminderController, MainWindow]:
        window = MainWindow(db, clock=clock)
        qtbot.addWidget(window)
        controller = ReminderController(db, clock=clock, main_window=window)
        made.append(controller)
        return controller, window

    yield make
    for controller in made:
        controller.stop()


def test_without_a_tray_it_says_so_once_and_reminds_in_the_window(
    qtbot: QtBot, db_path: Path, now: datetime, make_controller: Make
):
    db = open_database(str(db_path))
    _quiet_mornings(db)
    fid = add_follow_up(db, now, DUE, name="Jane Smith", reason="Ask about the stain colour")
    clock = Clock(now)
    controller, window = make_controller(db, clock)
    assert not QSystemTrayIcon.isSystemTrayAvailable()  # offscreen, like many bare desktops
    with qtbot.waitSignal(controller.in_window_reminder) as said:
        controller.start()
    assert said.args == [NO_TRAY_TEXT]
    assert window.banner.messages() == [NO_TRAY_TEXT]
    assert not controller.has_tray
    assert controller.desktop_notifications is None
    qtbot.waitUntil(lambda: controller.last_check is not None)
    # Nothing due yet; the timer waits (capped by the safety net), it does not poll.
    assert controller.next_wake == DUE
    assert controller.timer_interval_ms == SAFETY_INTERVAL.total_seconds() * 1000 + 1000
    clock.now = DUE - timedelta(minutes=2)
    assert _check(qtbot, controller) == []
    assert controller.timer_interval_ms == 2 * 60 * 1000 + 1000

    clock.now = DUE + timedelta(seconds=1)
    with qtbot.waitSignal(controller.in_window_reminder) as reminded:
        notices = _check(qtbot, controller)
    assert [n.follow_up_ids for n in notices] == [(fid,)]
    assert reminded.args == ["Call Jane Smith — Ask about the stain colour"]
    # The note stays (it was said once and must be read); the reminder comes under it.
    assert window.banner.messages() == [
        NO_TRAY_TEXT,
        "Call Jane Smith — Ask about the stain colour",
    ]
    assert _check(qtbot, controller) == []
    # The reminder's own button opens that follow-up and answers the reminder.
    row = window.banner.row(f"single:{fid}")
    assert row is not None
    with qtbot.waitSignal(controller.open_follow_up) as opened:
        row.buttons["Open"].click()
    assert opened.args == [fid]
    assert window.banner.messages() == [NO_TRAY_TEXT]
    note = window.banner.row("no-tray")
    assert note is not None
    note.close_button.click()
    assert window.banner.isHidden()
    controller.stop()

    # Restart: the no-tray notice is not repeated, and the reminder is not shown again.
    db.close()
    db = open_database(str(db_path), create=False)
    controller, window = make_controller(db, clock)
    with qtbot.assertNotEmitted(controller.in_window_reminder, wait=50):
        controller.start()
        qtbot.waitUntil(lambda: controller.last_check is not None)
    assert window.banner.isHidden()
    # Without a tray, closing the window really closes it (there is no other way back).
    window.show()
    window.close()
    assert not window.isVisible()
    controller.stop()
    db.close()


def test_snooze_all_from_the_app_moves_what_is_due(
    qtbot: QtBot, db: Database, now: datetime, make_controller: Make
):
    _quiet_mornings(db)
    ids = [add_follow_up(db, now, DUE, name=f"P {i}") for i in range(2)]
    clock = Clock(DUE + timedelta(minutes=5))
    controller, _window = make_controller(db, clock)
    controller.start(connect_desktop=False)
    qtbot.waitUntil(lambda: controller.last_check is not None)
    assert _snooze(qtbot, controller, controller.snooze_all) == 2
    assert _check(qtbot, controller) == []
    assert controller.next_wake == DUE + timedelta(minutes=5, hours=1)
    # A check still on its way from before the hour passed answers first, not for this one.
    settle(qtbot, controller)
    clock.now = DUE + timedelta(hours=1, minutes=5)
    assert sorted(i for n in _check(qtbot, controller) for i in n.follow_up_ids) == ids


@pytest.fixture
def desktop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Desktop]:
    if missing_tools():
        pytest.skip(f"needs {missing_tools()}")
    with private_desktop(tmp_path) as d:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", d.bus)
        yield d


def test_clicking_the_notification_opens_that_follow_up(
    qtbot: QtBot, db: Database, now: datetime, desktop: Desktop, make_controller: Make
):
    _quiet_mornings(db)
    add_follow_up(db, now, DUE - timedelta(hours=1), name="Early Bird")
    fid = add_follow_up(db, now, DUE, name="Jane Smith", reason="Ask about the stain colour")
    clock = Clock(now + timedelta(minutes=30))  # the app starts at 09:30
    controller, _window = make_controller(db, clock)
    controller.start()
    assert controller.desktop_notifications == "dunst"
    qtbot.waitUntil(lambda: controller.last_check is not None)
    # The 09:00 follow-up was due before the app started: it comes as the catch-up, and a
    # click on that opens Today.
    assert desktop.dunstctl("count", "displayed").strip() == "1"
    with qtbot.waitSignal(controller.open_today, timeout=10000):
        desktop.dunstctl("action", "0")
    desktop.dunstctl("close-all")
    clock.now = DUE
    _check(qtbot, controller)
    assert desktop.dunstctl("count", "displayed").strip() == "1"
    with qtbot.waitSignal(controller.open_follow_up, timeout=10000) as opened:
        desktop.dunstctl("action", "0")
    assert opened.args == [fid]
    desktop.dunstctl("close-all")
    summaries = [h["summary"] for h in desktop.history()]
    assert summaries.count("Call Jane Smith") == 1
    assert summaries.count("While you were away: 1 follow-up fell due") == 1


def test_unlocking_the_screen_checks_again(
    qtbot: QtBot, db: Database, now: datetime, desktop: Desktop, make_controller: Make
):
    from jeepney import DBusAddress, new_signal  # type: ignore[import-untyped]
    from jeepney.io.blocking import open_dbus_connection  # type: ignore[import-untyped]

    _quiet_mornings(db)
    add_follow_up(db, now, DUE, name="Jane Smith")
    clock = Clock(now)
    controller, _window = make_controller(db, clock)
    controller.start()
    qtbot.waitUntil(lambda: controller.last_check is not None)
    # The computer slept through the due time; nothing fires until something wakes us.
    clock.now = DUE + timedelta(hours=3)
    saver = DBusAddress("/org/freedesktop/ScreenSaver", interface="org.freedesktop.ScreenSaver")
    with (
        qtbot.waitSignal(controller.notices_shown, timeout=10000) as shown,
        open_dbus_connection(bus=desktop.bus) as conn,
    ):
        conn.send(new_signal(saver, "ActiveChanged", "b", (False,)))
    [notice] = shown.args[0]
    assert notice.summary == "While you were away: 1 follow-up fell due"


def test_a_time_zone_change_moves_the_digest_to_the_new_morning(
    qtbot: QtBot, db: Database, now: datetime, tmp_path: Path, monkeypatch, make_controller: Make
):
    # No zone chosen in the settings: the digest follows the computer's zone.
    clock = Clock(datetime(2026, 11, 22, 20, 45, tzinfo=UTC))  # Mon 07:45 in Sydney
    controller, _window = make_controller(db, clock)
    zone_file = tmp_path / "localtime"
    zone_file.write_text("Australia/Sydney\n")
    controller.watch_zone_files([str(zone_file)])
    controller.start(connect_desktop=False, use_tray=False)
    qtbot.waitUntil(lambda: controller.last_check is not None)
    # Sydney's 07:30 digest went out; the next one is Tuesday 07:30 Sydney.
    assert controller.next_wake == datetime(2026, 11, 24, 7, 30, tzinfo=SYD).astimezone(UTC)
    # The owner flies to London, where it is Sunday 20:45: the next digest is 07:30 there.
    monkeypatch.setenv("TZ", "Europe/London")
    with (
        qtbot.waitSignal(controller.zone_changed) as changed,
        qtbot.waitSignal(controller.checked),  # the check that follows, on the database thread
    ):
        zone_file.write_text("Europe/London\n")
    assert changed.args == ["Europe/London"]
    assert controller.next_wake == datetime(2026, 11, 23, 7, 30, tzinfo=UTC)


def test_the_snooze_button_on_a_notification_snoozes_inside_allowed_hours(
    qtbot: QtBot, db: Database, now: datetime, desktop: Desktop, make_controller: Make
):
    from jeepney import DBusAddress, new_signal
    from jeepney.io.blocking import open_dbus_connection

    _quiet_mornings(db)
    # Friday 19:30; calls are allowed until 20:00, Saturday from 09:00.
    due = datetime(2026, 11, 27, 19, 30, tzinfo=SYD).astimezone(UTC)
    fid = add_follow_up(db, now, due, name="Late Larry")
    clock = Clock(due)
    controller, _window = make_controller(db, clock)
    controller.start()
    qtbot.waitUntil(lambda: bool(controller.shown_notifications))
    [(nid, notice)] = controller.shown_notifications.items()
    assert notice.summary == "Call Late Larry"
    # Pressing "1 hour" makes the daemon send ActionInvoked(id, "snooze-1h"); dunst offers
    # the buttons only through a menu program, so the test sends that same signal on the bus.
    daemon = DBusAddress(
        "/org/freedesktop/Notifications", interface="org.freedesktop.Notifications"
    )
    with (
        qtbot.waitSignal(controller.snoozed, timeout=10000),
        open_dbus_connection(bus=desktop.bus) as conn,
    ):
        conn.send(new_signal(daemon, "ActionInvoked", "us", (nid, "snooze-1h")))
    from deckfollow.core.models import FollowUp

    with db.reading() as s:
        fu = s.get(FollowUp, fid)
        assert fu is not None
        assert fu.snoozed_until == datetime(2026, 11, 28, 9, tzinfo=SYD)
    qtbot.waitUntil(lambda: not controller.shown_notifications)  # taken off the screen
    # The timer is armed again by the check that follows the snooze (on the database thread).
    qtbot.waitUntil(lambda: controller.next_wake == datetime(2026, 11, 28, 9, tzinfo=SYD))


def test_a_restarted_notification_service_is_found_again(
    qtbot: QtBot, db: Database, now: datetime, desktop: Desktop, make_controller: Make
):
    _quiet_mornings(db)
    first = add_follow_up(db, now, DUE, name="During Outage")
    second = add_follow_up(db, now, DUE + timedelta(hours=1), name="After Restart")
    clock = Clock(now)
    controller, window = make_controller(db, clock)
    controller.start()
    qtbot.waitUntil(lambda: controller.last_check is not None)
    assert _service(controller) == "dunst"
    desktop.stop_dunst()
    clock.now = DUE
    notices = _check(qtbot, controller)
    assert [n.follow_up_ids for n in notices] == [(first,)]
    # Nothing to show it on the desktop: it is not lost, it shows in the window.
    assert window.banner.messages()[-1].startswith("Call During Outage")
    assert _service(controller) is None
    desktop.start_dunst()
    clock.now = DUE + timedelta(hours=1)
    assert [n.follow_up_ids for n in _check(qtbot, controller)] == [(second,)]
    assert _service(controller) == "dunst"
    desktop.dunstctl("close-all")
    assert [h["summary"] for h in desktop.history()] == ["Call After Restart"]


def _service(controller: ReminderController) -> str | None:
    return controller.desktop_notifications


def test_without_a_tray_a_catch_up_at_start_leaves_the_no_tray_note_readable(
    qtbot: QtBot, db: Database, now: datetime, make_controller: Make
):
    _quiet_mornings(db)
    ids = [
        add_follow_up(db, now, DUE + timedelta(minutes=m), name=name)
        for m, name in ((0, "Ann Lee"), (5, "Bo Diaz"), (10, "Cy Young"))
    ]
    # The app starts long after they fell due (it was closed, the computer slept).
    clock = Clock(DUE + timedelta(hours=3))
    controller, window = make_controller(db, clock)
    controller.start()
    qtbot.waitUntil(lambda: controller.last_check is not None)
    assert window.banner.messages() == [
        NO_TRAY_TEXT,
        "While you were away: 3 follow-ups fell due",
    ]
    row = window.banner.row("catch_up:" + ",".join(str(i) for i in ids))
    assert row is not None
    assert list(row.buttons) == ["Open Today", "Snooze all 1 hour"]
    assert _snooze(qtbot, controller, row.buttons["Snooze all 1 hour"].click) == 3
    assert window.banner.messages() == [NO_TRAY_TEXT]
    with db.reading() as s:
        assert next_due_at(s, clock()) == clock() + timedelta(hours=1)


def test_the_window_keeps_the_three_newest_reminders(qtbot: QtBot):
    from deckfollow.ui.reminders.banner import MAX_REMINDERS, ReminderBanner

    banner = ReminderBanner()
    qtbot.addWidget(banner)
    banner.show_note("No tray here", key="no-tray")
    for n in range(5):
        banner.show_reminder(f"single:{n}", f"Call Customer {n}", "the reason")
    assert MAX_REMINDERS == 3
    assert banner.messages() == [
        "No tray here",
        "Call Customer 4 — the reason",
        "Call Customer 3 — the reason",
        "Call Customer 2 — the reason",
    ]
    banner.show_reminder("single:3", "Call Customer 3", "snoozed, due again")
    assert banner.messages()[1] == "Call Customer 3 — snoozed, due again"
    assert len(banner.messages()) == 4


def test_a_reminder_in_the_window_snoozes_through_the_snooze_dialog(
    qtbot: QtBot, db: Database, now: datetime, make_controller: Make
):
    from deckfollow.reminders.snooze import SnoozeChoice
    from deckfollow.ui.reminders.snooze_dialog import SnoozeDialog

    _quiet_mornings(db)
    fid = add_follow_up(db, now, DUE, name="Jane Smith", reason="Ask about the stain colour")
    clock = Clock(DUE + timedelta(seconds=5))
    controller, window = make_controller(db, clock)
    controller.start()
    qtbot.waitUntil(lambda: controller.last_check is not None)
    row = window.banner.row(f"single:{fid}")
    assert row is not None and list(row.buttons) == ["Open", "Snooze…"]
    # Cancelled: the reminder is still there to act on.
    row.buttons["Snooze…"].click()
    dialog = controller.snooze_dialog
    assert isinstance(dialog, SnoozeDialog) and dialog.isVisible()
    dialog.reject()
    assert window.banner.row(f"single:{fid}") is not None
    # Snoozed for 15 minutes: gone from the window, back once when the snooze ends.
    row = window.banner.row(f"single:{fid}")
    assert row is not None
    row.buttons["Snooze…"].click()
    dialog = controller.snooze_dialog
    assert isinstance(dialog, SnoozeDialog)
    settle(qtbot, window)  # the choices open once the follow-up is read
    dialog.choice_buttons[SnoozeChoice.MINUTES_15].setChecked(True)
    assert _snooze(qtbot, controller, dialog.box.accepted.emit) == 1
    assert window.banner.row(f"single:{fid}") is None
    clock.advance(minutes=15)
    assert [n.follow_up_ids for n in _check(qtbot, controller)] == [(fid,)]
    assert window.banner.row(f"single:{fid}") is not None


def test_a_snooze_from_a_reminder_refreshes_the_open_views_once(
    qtbot: QtBot, db: Database, now: datetime
):
    from deckfollow.reminders.snooze import SnoozeChoice
    from deckfollow.ui.app import _start_reminders
    from deckfollow.ui.reminders.snooze_dialog import SnoozeDialog

    _quiet_mornings(db)
    fid = add_follow_up(db, now, DUE, name="Jane Smith", reason="Ask about the stain colour")
    later = add_follow_up(db, now, DUE + timedelta(minutes=30), name="Bo Diaz")
    clock = Clock(DUE + timedelta(seconds=5))
    window = MainWindow(db, clock=clock)
    qtbot.addWidget(window)
    window.show()
    window.show_page("today")
    window.refresh()
    settle(qtbot, window)
    reloads: list[int] = []
    reload_today = window.today.refresh

    def counted_reload() -> None:
        reloads.append(1)
        reload_today()

    window.today.refresh = counted_reload  # type: ignore[method-assign]
    _start_reminders(window, db, clock)  # wired as the app wires it
    controller = window.reminders
    assert isinstance(controller, ReminderController)
    try:
        qtbot.waitUntil(lambda: window.banner.row(f"single:{fid}") is not None)
        settle(qtbot, window)
        assert reloads == []  # a reminder shown changes nothing on Today
        # Snoozed through the reminder's dialog: Today is read again once, not twice.
        row = window.banner.row(f"single:{fid}")
        assert row is not None
        row.buttons["Snooze…"].click()
        dialog = controller.snooze_dialog
        assert isinstance(dialog, SnoozeDialog)
        settle(qtbot, window)
        dialog.choice_buttons[SnoozeChoice.HOUR_1].setChecked(True)
        assert _snooze(qtbot, controller, dialog.box.accepted.emit) == 1
        settle(qtbot, window)
        assert len(reloads) == 1
        assert _snoozed_until(db, fid) == clock() + timedelta(hours=1)
        # Snoozed from the tray's "Snooze all due 1 hour": once again.
        clock.now = DUE + timedelta(minutes=31)
        assert _snooze(qtbot, controller, controller.snooze_all) == 1
        settle(qtbot, window)
        assert len(reloads) == 2
        assert _snoozed_until(db, later) == clock() + timedelta(hours=1)
    finally:
        controller.stop()


def _snoozed_until(db: Database, follow_up_id: int) -> datetime | None:
    from deckfollow.core.models import FollowUp

    with db.reading() as s:
        fu = s.get(FollowUp, follow_up_id)
        assert fu is not None
        return fu.snoozed_until


def test_todays_digest_on_request_is_read_off_the_window_and_shown_once_read(
    qtbot: QtBot, db: Database, now: datetime, make_controller: Make
):
    _quiet_mornings(db)
    add_follow_up(db, now, DUE, name="Jane Smith")
    add_follow_up(db, now, DUE + timedelta(hours=2), name="Bo Diaz")
    clock = Clock(DUE + timedelta(hours=1))  # one overdue, one later today
    controller, window = make_controller(db, clock)
    controller.start(connect_desktop=False)
    qtbot.waitUntil(lambda: controller.last_check is not None)
    with qtbot.waitSignal(controller.notices_shown) as shown:
        controller.show_digest()
    [notice] = shown.args[0]
    assert notice.body == "Today: 2 calls (1 overdue)"
    assert window.banner.row("digest") is not None


def test_a_digest_left_in_the_window_is_counted_again_after_a_change(
    qtbot: QtBot, db: Database, now: datetime, make_controller: Make
):
    from deckfollow.core.leads import NewLead, add_lead
    from deckfollow.core.settings import save_setting

    _quiet_mornings(db)
    with db.unit_of_work() as s:
        save_setting(s, "default_country", "AU")
        save_setting(s, "owner_timezone", "Australia/Sydney")
    clock = Clock(DUE)
    controller, window = make_controller(db, clock)
    controller.start(connect_desktop=False)
    qtbot.waitUntil(lambda: controller.last_check is not None)
    with qtbot.waitSignal(controller.notices_shown):
        controller.show_digest()
    row = window.banner.row("digest")
    assert row is not None and row.plain.endswith("Today: nothing due.")

    window.ops.run_change(
        None,
        lambda s: (
            add_lead(
                s, NewLead("Tom Bradley", phone="0412 345 679", country="AU"), now=clock()
            ).changes
        ),
    )
    settle(qtbot, window)
    row = window.banner.row("digest")
    assert row is not None and row.plain == "deckfollow — today — Today: 1 text"

    # Closed by the owner, it stays closed: a later change reads nothing for it.
    window.banner._remove("digest")
    window.ops.run_change(
        None,
        lambda s: (
            add_lead(s, NewLead("Bo Diaz", phone="0413 555 019", country="AU"), now=clock()).changes
        ),
    )
    settle(qtbot, window)
    assert window.banner.row("digest") is None
