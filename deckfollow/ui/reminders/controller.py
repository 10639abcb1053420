"""Reminders while the app runs: tray icon, desktop notifications, a timer that wakes on time.

The decisions (what is due, once per due time, catch-up, digest) are in deckfollow.reminders;
this class only wakes at the right moments and shows what a check claimed. It wakes:
- at the next due time or digest time (one single-shot timer, re-armed after each check),
- at the latest every few minutes as a safety net: a computer that slept or had its clock
  changed may leave a timer late, and a check is cheap and never repeats a reminder,
- when the app becomes active, the screen is unlocked or the computer wakes (D-Bus), and
- when the computer's time zone changes (the digest follows the local morning).
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import QEvent, QFileSystemWatcher, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QMenu, QSystemTrayIcon, QWidget

from deckfollow.core.clock import Clock
from deckfollow.core.errors import DeckfollowError
from deckfollow.core.settings import get_setting, load_settings, set_setting
from deckfollow.core.timezones import system_timezone
from deckfollow.messaging.inbox import InboxReport
from deckfollow.reminders.autostart import started_at_login
from deckfollow.reminders.check import Notice, NoticeKind, run_check
from deckfollow.reminders.digest import build_digest, morning_time
from deckfollow.reminders.notify_choice import (
    FREEDESKTOP,
    connect_notifier,
    notification_backend,
)
from deckfollow.reminders.scheduler import due_now_ids
from deckfollow.reminders.snooze import SnoozeChoice, requested_until, snooze_many
from deckfollow.storage.database import Database
from deckfollow.ui.app_icon import app_icon
from deckfollow.ui.messaging.inbox_watch import InboxWatcher
from deckfollow.ui.reminders.banner import ReminderBanner

log = logging.getLogger(__name__)

# The longest the timer sleeps before checking again (see the module docstring).
SAFETY_INTERVAL = timedelta(minutes=5)
# Where Linux keeps the machine's zone; changing the zone replaces one of these.
ZONE_FILES = ("/etc/localtime", "/etc/timezone")
NO_TRAY_KEY = "reminders.no_tray_notice_shown"
TRAY_HINT_KEY = "reminders.tray_hint_shown"
NO_TRAY_TEXT = (
    "This desktop has no system tray, so deckfollow reminds you here in its window while it "
    "is open (and as desktop notifications where the desktop shows them). Closing the window "
    "quits deckfollow."
)

_SNOOZE_ACTIONS = {
    "snooze-15m": SnoozeChoice.MINUTES_15,
    "snooze-1h": SnoozeChoice.HOUR_1,
    "snooze-tomorrow": SnoozeChoice.TOMORROW_MORNING,
}


def _row_key(notice: Notice) -> str:
    """One banner row per follow-up (or group): a later reminder of it replaces the row."""
    if notice.kind is NoticeKind.DIGEST:
        return "digest"
    return f"{notice.kind.value}:" + ",".join(str(i) for i in notice.follow_up_ids)


def notice_actions(notice: Notice) -> list[tuple[str, str]]:
    """The buttons a notification offers ("default" is a click on the notification itself)."""
    if notice.kind is NoticeKind.SINGLE:
        return [
            ("default", "Open"),
            ("snooze-15m", "15 min"),
            ("snooze-1h", "1 hour"),
            ("snooze-tomorrow", "Tomorrow"),
        ]
    if notice.kind is NoticeKind.DIGEST:
        return [("default", "Open Today")]
    return [("default", "Open Today"), ("snooze-1h", "Snooze all 1 hour")]


class ReminderController(QObject):
    """Tray icon, notifications and the reminder timer for one open database.

    Signals: `open_follow_up(int)` when a reminder for one follow-up is clicked;
    `open_today()` when a grouped reminder or the digest is clicked; `in_window_reminder(str)`
    with text to show inside the window (always emitted; also shown in the window's banner
    when it has `show_banner`); `follow_ups_changed()` after a snooze.
    """

    open_follow_up = Signal(int)
    open_today = Signal()
    in_window_reminder = Signal(str)
    follow_ups_changed = Signal()
    notices_shown = Signal(list)
    zone_changed = Signal(str)
    _dbus_signal = Signal(str, object)
    _wake_signal = Signal()

    def __init__(
        self,
        db: Database,
        *,
        clock: Clock,
        main_window: QWidget | None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._clock = clock
        self._window = main_window
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.check_now)
        self.tray: QSystemTrayIcon | None = None
        self._notifier: Any = None
        self._listeners: list[Any] = []
        self._shown: dict[int, Notice] = {}
        self._last_tray_notice: Notice | None = None
        self._zone = system_timezone()
        self._quitting = False
        self._started = False
        self._use_desktop = False
        # False where this system has no notification back-end: the tray or window instead.
        self._desktop_possible = notification_backend() is not None
        self.next_wake: datetime | None = None
        self.last_check: datetime | None = None
        self.snooze_dialog: QDialog | None = None  # the last one opened from the window
        self._zone_watch = QFileSystemWatcher(self)
        self._zone_watch.fileChanged.connect(self._on_zone_file)
        self._zone_files: tuple[str, ...] = ZONE_FILES
        self._dbus_signal.connect(self._on_dbus_signal, Qt.ConnectionType.QueuedConnection)
        self._wake_signal.connect(self.check_now, Qt.ConnectionType.QueuedConnection)
        # The inbox pass (opt-in) runs beside the reminder check, in its own worker thread.
        self.inbox = InboxWatcher(db, clock=clock, parent=self)
        self.inbox.checked.connect(self._on_inbox)
        self.inbox.failed.connect(self.in_window_reminder.emit)

    # -- life cycle -----------------------------------------------------------------------

    def start(self, *, connect_desktop: bool = True, use_tray: bool | None = None) -> None:
        """Show the tray (or say once that there is none), connect, and check at once.

        Call after the main window exists (and after data loads); the first check shows in
        one notice everything that fell due while the app was closed. `use_tray` overrides
        the desktop's answer to "is there a system tray?" (None: ask the desktop). When the
        login entry started the app and there is a tray, the window is hidden.
        """
        if self._started:
            return
        self._started = True
        if use_tray is None:
            use_tray = QSystemTrayIcon.isSystemTrayAvailable()
        if use_tray:
            self._make_tray()
            if started_at_login() and self._window is not None:
                # Started by the login entry: stay quietly in the tray until needed.
                self._window.hide()
        else:
            self._say_no_tray_once()
        self._use_desktop = connect_desktop
        if connect_desktop:
            self._connect_desktop()
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.applicationStateChanged.connect(self._on_app_state)
            app.aboutToQuit.connect(self.stop)
        if self._window is not None:
            self._window.installEventFilter(self)
        self.watch_zone_files(self._zone_files)
        QTimer.singleShot(0, self.check_now)
        self.inbox.start()

    def stop(self) -> None:
        """Stop the timer and the D-Bus connections (the app is quitting)."""
        self._timer.stop()
        self.inbox.stop()
        for listener in self._listeners:
            with contextlib.suppress(Exception):
                listener.stop()
        self._listeners.clear()
        if self._notifier is not None:
            with contextlib.suppress(Exception):
                self._notifier.close()
            self._notifier = None
        if self.tray is not None:
            self.tray.hide()
        if self._started:
            app = QGuiApplication.instance()
            if isinstance(app, QGuiApplication):
                with contextlib.suppress(RuntimeError, TypeError):
                    app.applicationStateChanged.disconnect(self._on_app_state)
                    app.aboutToQuit.disconnect(self.stop)
            if self._window is not None:
                self._window.removeEventFilter(self)
        self._started = False

    @property
    def has_tray(self) -> bool:
        return self.tray is not None

    @property
    def shown_notifications(self) -> dict[int, Notice]:
        """Desktop notifications on screen now, by their id (a copy)."""
        return dict(self._shown)

    @property
    def desktop_notifications(self) -> str | None:
        """The notification service's name, or None when there is none."""
        return self._notifier.info.name if self._notifier is not None else None

    # -- checking -------------------------------------------------------------------------

    def check_now(self) -> list[Notice]:
        """Check, show what fell due, and arm the timer for the next moment."""
        now = self._clock()
        zone = system_timezone()
        if zone != self._zone:
            # Nothing due moves (due times are instants); the digest follows the new morning.
            log.info("time zone changed from %s to %s", self._zone, zone)
            self._zone = zone
            self.zone_changed.emit(zone)
        try:
            with self._db.unit_of_work() as session:
                result = run_check(session, now)
        except DeckfollowError as exc:  # storage maps busy or unreachable to StorageError
            # A busy or briefly unreachable database: try again at the next safety tick.
            log.warning("reminder check failed: %s", exc)
            self._arm(None, now)
            return []
        self.last_check = now
        self._present(result.notices)
        self._arm(result.next_wake, now)
        return result.notices

    def _on_inbox(self, report: InboxReport) -> None:
        if report.logged:
            self.in_window_reminder.emit(report.summary())
            self.follow_ups_changed.emit()
            self.check_now()

    def _arm(self, wake: datetime | None, now: datetime) -> None:
        self.next_wake = wake
        delay = (
            SAFETY_INTERVAL if wake is None else min(max(wake - now, timedelta()), SAFETY_INTERVAL)
        )
        # A second late rather than early: a check a hair before the due time finds nothing.
        self._timer.start(int(delay.total_seconds() * 1000) + 1000)

    @property
    def timer_interval_ms(self) -> int:
        return self._timer.interval() if self._timer.isActive() else -1

    # -- showing --------------------------------------------------------------------------

    def _present(self, notices: Sequence[Notice]) -> None:
        if not notices:
            return
        if self._use_desktop and self._desktop_possible and self._notifier is None:
            # No service at the last try: the desktop may have one now.
            self._reconnect()
        for notice in notices:
            shown = False
            if self._notifier is not None:
                shown = self._send_desktop(notice)
            if not shown and self.tray is not None:
                self._last_tray_notice = notice
                self.tray.showMessage(
                    notice.summary, notice.body, QSystemTrayIcon.MessageIcon.Information, 0
                )
                shown = True
            if self.tray is None or not shown:
                self._show_in_window(notice)
        self.notices_shown.emit(list(notices))

    def _reconnect(self) -> None:
        if self._notifier is not None:
            with contextlib.suppress(Exception):
                self._notifier.close()
        self._shown.clear()
        self._notifier = connect_notifier(self._dbus_signal.emit)

    def _send_desktop(self, notice: Notice) -> bool:
        from deckfollow.reminders.notify import NotificationsUnavailable

        for attempt in (1, 2):
            if self._notifier is None:
                return False
            try:
                nid = self._notifier.notify(
                    notice.summary,
                    notice.body,
                    actions=notice_actions(notice),
                    # Reminders stay until dealt with; the digest may fade.
                    expire_ms=-1 if notice.kind is NoticeKind.DIGEST else 0,
                )
            except NotificationsUnavailable as exc:
                log.warning("desktop notification failed (attempt %d): %s", attempt, exc)
                if attempt == 1:
                    # The service restarted (a new desktop session): connect again, once.
                    self._reconnect()
                continue
            self._shown[nid] = notice
            return True
        return False

    def _banner(self) -> ReminderBanner | None:
        banner = getattr(self._window, "banner", None)
        return banner if isinstance(banner, ReminderBanner) else None

    def _show_in_window(self, notice: Notice) -> None:
        single = notice.kind is NoticeKind.SINGLE
        # A single reminder reads "Call Jane Smith — the reason"; a group or the digest by
        # its headline ("While you were away: 5 follow-ups fell due").
        detail = notice.body.splitlines()[0] if single and notice.body else ""
        if notice.kind is NoticeKind.DIGEST:
            detail = notice.body
        text = f"{notice.summary} — {detail}" if detail else notice.summary
        self.in_window_reminder.emit(text)
        banner = self._banner()
        if banner is not None:
            banner.show_reminder(
                _row_key(notice), notice.summary, detail, self._row_actions(notice)
            )
        else:
            show = getattr(self._window, "show_banner", None)
            if callable(show):
                show(text)
        if self._window is not None:
            # Flash the taskbar entry: the window may be behind others.
            QApplication.alert(self._window)

    def _row_actions(self, notice: Notice) -> list[tuple[str, Callable[[], object]]]:
        """The buttons of a reminder shown in the window (as a notification's buttons)."""
        ids = notice.follow_up_ids
        if notice.kind is NoticeKind.SINGLE:
            return [
                ("Open", lambda: self._open(notice)),
                ("Snooze…", lambda: self.ask_snooze(notice)),
            ]
        actions: list[tuple[str, Callable[[], object]]] = [
            ("Open Today", lambda: self._open(notice))
        ]
        if ids:
            actions.append(("Snooze all 1 hour", lambda: self.snooze(ids, SnoozeChoice.HOUR_1)))
        return actions

    def ask_snooze(self, notice: Notice) -> None:
        """The snooze dialog (15 min, 1 hour, tomorrow morning or a chosen time) for a reminder
        shown in the window; cancelled, the reminder comes back to the window."""
        from deckfollow.ui.reminders.snooze_dialog import SnoozeDialog

        dialog = SnoozeDialog(
            self._db, list(notice.follow_up_ids), clock=self._clock, parent=self._window
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.snoozed.connect(lambda _landings: self.follow_ups_changed.emit())
        dialog.snoozed.connect(lambda _landings: self._arm_after_change())
        dialog.rejected.connect(lambda: self._show_in_window(notice))
        self.snooze_dialog = dialog
        dialog.open()

    def show_digest(self) -> None:
        """Today's digest on request (the tray menu); the morning one is not affected."""
        with self._db.reading() as session:
            digest = build_digest(session, self._clock())
        self._present([Notice(NoticeKind.DIGEST, "deckfollow — today", digest.text)])

    # -- actions --------------------------------------------------------------------------

    def snooze(self, follow_up_ids: Sequence[int], choice: SnoozeChoice) -> int:
        """Snooze these follow-ups by a menu choice; returns how many were snoozed."""
        now = self._clock()
        with self._db.unit_of_work() as session:
            owner_tz = load_settings(session).owner_timezone
            until = requested_until(
                choice, now=now, owner_tz=owner_tz, morning=morning_time(session)
            )
            done = snooze_many(session, follow_up_ids, until, now=now)
        self.follow_ups_changed.emit()
        self._arm_after_change()
        return len(done)

    def snooze_all(self, choice: SnoozeChoice = SnoozeChoice.HOUR_1) -> int:
        """Snooze everything due now (the tray's "Snooze all 1 h")."""
        with self._db.reading() as session:
            ids = due_now_ids(session, self._clock())
        return self.snooze(ids, choice) if ids else 0

    def _arm_after_change(self) -> None:
        # A snooze moves the next due time: recompute it without showing anything new twice.
        QTimer.singleShot(0, self.check_now)

    def show_window(self) -> None:
        if self._window is None:
            return
        self._window.showNormal()
        self._window.raise_()
        self._window.activateWindow()

    def _open(self, notice: Notice) -> None:
        self.show_window()
        if notice.kind is NoticeKind.SINGLE and notice.follow_up_ids:
            self.open_follow_up.emit(notice.follow_up_ids[0])
        else:
            self.open_today.emit()

    def _on_dbus_signal(self, member: str, body: object) -> None:
        if not isinstance(body, tuple) or len(body) < 2:
            return
        nid = int(body[0])
        notice = self._shown.get(nid)
        if notice is None:
            return
        if member == "NotificationClosed":
            self._shown.pop(nid, None)
            return
        if member != "ActionInvoked":
            return
        key = str(body[1])
        if key == "default":
            self._open(notice)
        elif key in _SNOOZE_ACTIONS:
            self.snooze(notice.follow_up_ids, _SNOOZE_ACTIONS[key])
        if self._notifier is not None:
            self._notifier.close_notification(nid)

    # -- desktop plumbing -----------------------------------------------------------------

    def _connect_desktop(self) -> None:
        backend = notification_backend()
        if backend is None:
            self._desktop_possible = False
            return
        self._notifier = connect_notifier(self._dbus_signal.emit)
        if backend != FREEDESKTOP:
            return
        # Waking and unlocking are heard on D-Bus where there is one.
        from deckfollow.reminders.notify import (
            NotificationsUnavailable,
            SignalListener,
            session_wake_rules,
            system_wake_rules,
        )

        for bus, rules in (("SESSION", session_wake_rules()), ("SYSTEM", system_wake_rules())):
            try:
                self._listeners.append(SignalListener(bus, rules, self._on_wake_dbus))
            except NotificationsUnavailable:
                continue

    def watch_zone_files(self, paths: Sequence[str]) -> None:
        """Re-check as soon as one of these files changes (the machine's zone was changed)."""
        self._zone_files = tuple(paths)
        watched = self._zone_watch.files()
        if watched:
            self._zone_watch.removePaths(watched)
        existing = [p for p in self._zone_files if os.path.exists(p)]
        if existing:
            self._zone_watch.addPaths(existing)

    def _on_zone_file(self, _path: str) -> None:
        # The file is usually replaced, not edited: watch the new one too.
        self.watch_zone_files(self._zone_files)
        self.check_now()

    def _on_wake_dbus(self, member: str, body: tuple[Any, ...]) -> None:
        # ActiveChanged(False): the screen was unlocked; PrepareForSleep(False): woke up.
        if body and body[0] is False:
            self._wake_signal.emit()

    def _on_app_state(self, state: Qt.ApplicationState) -> None:
        if state == Qt.ApplicationState.ApplicationActive:
            self.check_now()

    def _make_tray(self) -> None:
        tray = QSystemTrayIcon(app_icon(), self)
        tray.setToolTip("deckfollow — follow-up reminders")
        menu = QMenu()
        self._tray_menu = menu
        for text, slot in (
            ("Open deckfollow", self.show_window),
            ("Today's digest", self.show_digest),
            ("Snooze all due 1 hour", self.snooze_all),
            ("Export calendar…", self.export_calendar),
        ):
            action = QAction(text, menu)
            action.triggered.connect(slot)
            menu.addAction(action)
        menu.addSeparator()
        quit_action = QAction("Quit deckfollow", menu)
        quit_action.triggered.connect(self.quit)
        menu.addAction(quit_action)
        tray.setContextMenu(menu)
        tray.activated.connect(self._on_tray_activated)
        tray.messageClicked.connect(self._on_tray_message_clicked)
        tray.show()
        self.tray = tray
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.setQuitOnLastWindowClosed(False)

    def export_calendar(self) -> None:
        """Ask where, write the .ics file, and say what was written."""
        from deckfollow.ui.reminders.settings_page import ask_and_export_calendar

        message = ask_and_export_calendar(self._db, clock=self._clock, parent=self._window)
        if message and self.tray is not None:
            self.tray.showMessage("Calendar exported", message)
        elif message:
            self.in_window_reminder.emit(message)

    def add_tray_action(self, text: str, slot: Callable[[], object]) -> None:
        """Add an entry to the tray menu above Quit (e.g. "Export calendar…")."""
        if self.tray is None:
            return
        action = QAction(text, self._tray_menu)
        action.triggered.connect(slot)
        separator = self._tray_menu.actions()[-2]
        self._tray_menu.insertAction(separator, action)

    def _on_tray_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self.show_window()

    def _on_tray_message_clicked(self) -> None:
        if self._last_tray_notice is not None:
            self._open(self._last_tray_notice)

    def _say_no_tray_once(self) -> None:
        with self._db.unit_of_work() as session:
            already = get_setting(session, NO_TRAY_KEY) is not None
            if not already:
                set_setting(session, NO_TRAY_KEY, datetime.now(UTC).date().isoformat())
        if already:
            return
        self.in_window_reminder.emit(NO_TRAY_TEXT)
        banner = self._banner()
        if banner is not None:
            # A note of its own: the reminders that follow at once must not cover it.
            banner.show_note(NO_TRAY_TEXT, key="no-tray")
        else:
            show = getattr(self._window, "show_banner", None)
            if callable(show):
                show(NO_TRAY_TEXT)

    def quit(self) -> None:
        """Really quit (the tray's Quit): closing the window only hides it."""
        self._quitting = True
        self.stop()
        if self._window is not None:
            self._window.close()
        QApplication.quit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self._window
            and event.type() == QEvent.Type.Close
            and self.tray is not None
            and not self._quitting
        ):
            event.ignore()
            assert self._window is not None
            self._window.hide()
            self._hint_still_running()
            return True
        return super().eventFilter(watched, event)

    def _hint_still_running(self) -> None:
        with self._db.unit_of_work() as session:
            first = get_setting(session, TRAY_HINT_KEY) is None
            if first:
                set_setting(session, TRAY_HINT_KEY, "1")
        if first and self.tray is not None:
            self.tray.showMessage(
                "deckfollow is still running",
                "Reminders keep coming while the window is closed. Quit from this icon's menu.",
                QSystemTrayIcon.MessageIcon.Information,
                8000,
            )
