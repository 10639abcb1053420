"""Reminders while the app runs: what a check claimed, shown where the desktop allows.

The decisions (what is due, once per due time, catch-up, digest) are in deckfollow.reminders.
This controller checks and shows; its helpers each do one job:
- `WakeTimer` (wake_timer.py) wakes it at the next due or digest time, at the latest every
  few minutes, when the app becomes active and when the computer's time zone changes,
- `DesktopNotifications` (desktop_bus.py) shows desktop notifications with their buttons and
  hears the computer wake or the screen unlock (D-Bus),
- `ReminderTray` (tray.py) is the tray icon, its menu and its messages.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QSystemTrayIcon, QWidget

from deckfollow.core.changes import Changes
from deckfollow.core.clock import Clock
from deckfollow.core.errors import DeckfollowError
from deckfollow.core.settings import get_setting, set_setting
from deckfollow.core.timezones import system_timezone
from deckfollow.core.unit_of_work import Store
from deckfollow.messaging.inbox import InboxReport
from deckfollow.reminders.autostart import started_at_login
from deckfollow.reminders.check import (
    CheckResult,
    Notice,
    NoticeKind,
    digest_notice,
    run_check,
)
from deckfollow.reminders.digest import Digest, build_digest
from deckfollow.reminders.quick_snooze import Snoozed, snooze_all_due, snooze_by_choice
from deckfollow.reminders.snooze import SnoozeChoice
from deckfollow.ui import operations
from deckfollow.ui.messaging.inbox_watch import InboxWatcher
from deckfollow.ui.reminders.banner import ReminderBanner
from deckfollow.ui.reminders.desktop_bus import DesktopNotifications, notice_actions
from deckfollow.ui.reminders.tray import ReminderTray
from deckfollow.ui.reminders.wake_timer import SAFETY_INTERVAL, ZONE_FILES, WakeTimer

if TYPE_CHECKING:
    from deckfollow.core.unit_of_work import Session
    from deckfollow.ui.operations import Operations

log = logging.getLogger(__name__)

__all__ = ["NO_TRAY_TEXT", "SAFETY_INTERVAL", "ZONE_FILES", "ReminderController", "notice_actions"]

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
        return _DIGEST_KEY
    return f"{notice.kind.value}:" + ",".join(str(i) for i in notice.follow_up_ids)


_DIGEST_KEY = "digest"  # one row for the digest, however often it is shown


class ReminderController(QObject):
    """Tray icon, notifications and the reminder timer for one open database.

    Signals: `open_follow_up(int)` when a reminder for one follow-up is clicked;
    `open_today()` when a grouped reminder or the digest is clicked; `in_window_reminder(str)`
    with text to show inside the window (always emitted; also shown in the window's banner
    when it has `show_banner`); `checked(list)` with the notices of each finished check;
    `snoozed(int)` with how many follow-ups a snooze from a reminder or the tray moved;
    `follow_ups_changed()` when the inbox pass logged replies. A snooze's change reaches
    the open views through the operations' `changes_applied`, once.
    """

    open_follow_up = Signal(int)
    open_today = Signal()
    in_window_reminder = Signal(str)
    follow_ups_changed = Signal()
    checked = Signal(list)
    snoozed = Signal(int)
    notices_shown = Signal(list)
    zone_changed = Signal(str)

    def __init__(
        self,
        db: Store,
        *,
        clock: Clock,
        main_window: QWidget | None,
        parent: QObject | None = None,
        ops: Operations | None = None,
    ) -> None:
        """Every check, snooze and digest runs on the database thread of `ops` (by default
        the operations serving `db`, the window's) and shows its result once done."""
        super().__init__(parent)
        self._db = db
        ops = ops if ops is not None else operations.serving(db)
        if ops is None:
            raise RuntimeError("reminders need the operations of an open database")
        self._ops: Operations = ops
        self._clock = clock
        self._window = main_window
        self._wake = WakeTimer(self)
        self._wake.wake.connect(self.check_now)
        self._tray: ReminderTray | None = None
        self._desktop = DesktopNotifications(self)
        self._desktop.invoked.connect(self._on_notification_button)
        # Heard on a listener's thread: checked on this one.
        self._desktop.woke.connect(self.check_now, Qt.ConnectionType.QueuedConnection)
        self._last_tray_notice: Notice | None = None
        self._zone = system_timezone()
        self._quitting = False
        self._started = False
        self._use_desktop = False
        self.next_wake: datetime | None = None
        self.last_check: datetime | None = None
        self.snooze_dialog: QDialog | None = None  # the last one opened from the window
        # The inbox pass (opt-in) runs beside the reminder check, in its own worker thread.
        self.inbox = InboxWatcher(db, clock=clock, parent=self)
        self.inbox.checked.connect(self._on_inbox)
        self.inbox.failed.connect(self.in_window_reminder.emit)
        ops.changes_applied.connect(self._recount_digest)

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
            self._desktop.connect_desktop()
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.aboutToQuit.connect(self.stop)
        if self._window is not None:
            self._window.installEventFilter(self)
        self._wake.start()
        QTimer.singleShot(0, self, self.check_now)
        self.inbox.start()

    def stop(self) -> None:
        """Stop the timer and the D-Bus connections (the app is quitting)."""
        self._wake.stop()
        self.inbox.stop()
        self._desktop.stop()
        if self._tray is not None:
            self._tray.hide()
        if self._started:
            app = QGuiApplication.instance()
            if isinstance(app, QGuiApplication):
                with contextlib.suppress(RuntimeError, TypeError):
                    app.aboutToQuit.disconnect(self.stop)
            if self._window is not None:
                self._window.removeEventFilter(self)
        self._started = False

    @property
    def tray(self) -> QSystemTrayIcon | None:
        return self._tray.icon if self._tray is not None else None

    @property
    def has_tray(self) -> bool:
        return self._tray is not None

    @property
    def shown_notifications(self) -> dict[int, Notice]:
        """Desktop notifications on screen now, by their id (a copy)."""
        return self._desktop.shown

    @property
    def desktop_notifications(self) -> str | None:
        """The notification service's name, or None when there is none."""
        return self._desktop.name

    # -- checking -------------------------------------------------------------------------

    def check_now(self) -> None:
        """Check on the database thread; once done, show what fell due, arm the timer for
        the next moment and emit `checked`."""
        now = self._clock()
        zone = system_timezone()
        if zone != self._zone:
            # Nothing due moves (due times are instants); the digest follows the new morning.
            log.info("time zone changed from %s to %s", self._zone, zone)
            self._zone = zone
            self.zone_changed.emit(zone)
        # The due SQL and the customers' holiday calendars never hold the window.
        self._ops.run_task(
            None,
            lambda: self._check(now),
            success=lambda result: self._checked(result, now),
            failure=lambda exc: self._check_failed(exc, now),
        )

    def _check(self, now: datetime) -> CheckResult:
        with self._db.unit_of_work() as session:
            return run_check(session, now)

    def _check_failed(self, exc: DeckfollowError, now: datetime) -> None:
        # A busy or briefly unreachable database: try again at the next safety tick.
        log.warning("reminder check failed: %s", exc)
        self._arm(None, now)

    def _checked(self, result: CheckResult, now: datetime) -> None:
        self.last_check = now
        self._present(result.notices)
        self._arm(result.next_wake, now)
        self.checked.emit(list(result.notices))

    def _on_inbox(self, report: InboxReport) -> None:
        if report.logged:
            self.in_window_reminder.emit(report.summary())
            self.follow_ups_changed.emit()
            self.check_now()

    def _arm(self, wake: datetime | None, now: datetime) -> None:
        self.next_wake = wake
        self._wake.arm(wake, now)

    @property
    def timer_interval_ms(self) -> int:
        return self._wake.interval_ms

    def watch_zone_files(self, paths: Sequence[str]) -> None:
        """Re-check as soon as one of these files changes (the machine's zone was changed)."""
        self._wake.watch_zone_files(paths)

    # -- showing --------------------------------------------------------------------------

    def _present(self, notices: Sequence[Notice]) -> None:
        if not notices:
            return
        desktop = self._desktop
        if self._use_desktop and desktop.possible and not desktop.connected:
            # No service at the last try: the desktop may have one now.
            desktop.reconnect()
        for notice in notices:
            shown = desktop.send(notice) if desktop.connected else False
            if not shown and self._tray is not None:
                self._last_tray_notice = notice
                self._tray.show_message(notice.summary, notice.body)
                shown = True
            if self._tray is None or not shown:
                self._show_in_window(notice)
        self.notices_shown.emit(list(notices))

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
        # The dialog's save tells the open views itself (the operations' broadcast): only
        # the timer is re-armed here, so no view refreshes twice for one snooze.
        dialog.snoozed.connect(lambda landings: self._snoozed_here(len(landings)))
        dialog.rejected.connect(lambda: self._show_in_window(notice))
        self.snooze_dialog = dialog
        dialog.open()

    def show_digest(self) -> None:
        """Today's digest on request (the tray menu), read on the database thread and shown
        once read; the morning one is not affected."""
        self._read_digest(self._show_digest)

    def _read_digest(self, success: Callable[[Digest], object]) -> None:
        now = self._clock()

        def read(session: Session) -> Digest:
            return build_digest(session, now)

        self._ops.run_query(self._window, read, success=success)

    def _show_digest(self, digest: Digest) -> None:
        self._present([digest_notice(digest)])

    def _recount_digest(self, changes: Changes, _initiator: object) -> None:
        """A digest left in the window stays true: "nothing due" must not stand beside a
        Today that lists a new lead. Re-counted on the database thread after a change to
        anything it counts, only while its row is shown."""
        banner = self._banner()
        if banner is None or banner.row(_DIGEST_KEY) is None:
            return
        if not (changes.follow_ups or changes.quotes or changes.customers or changes.consent):
            return
        self._read_digest(self._digest_recounted)

    def _digest_recounted(self, digest: Digest) -> None:
        banner = self._banner()
        row = banner.row(_DIGEST_KEY) if banner is not None else None
        if banner is None or row is None or row.plain.endswith(digest.text):
            return  # closed meanwhile, or still true
        notice = digest_notice(digest)
        banner.show_reminder(_DIGEST_KEY, notice.summary, notice.body, self._row_actions(notice))

    # -- actions --------------------------------------------------------------------------

    def snooze(self, follow_up_ids: Sequence[int], choice: SnoozeChoice) -> None:
        """Snooze these follow-ups by a menu choice on the database thread; once saved,
        `snoozed(count)`, and every open view hears of it through the operations."""
        ids, now = list(follow_up_ids), self._clock()

        def change(session: Session) -> Snoozed:
            return snooze_by_choice(session, ids, choice, now=now)

        self._run_snooze(change)

    def snooze_all(self, choice: SnoozeChoice = SnoozeChoice.HOUR_1) -> None:
        """Snooze everything due now (the tray's "Snooze all due 1 hour")."""
        now = self._clock()

        def change(session: Session) -> Snoozed:
            return snooze_all_due(session, choice, now=now)

        self._run_snooze(change)

    def _run_snooze(self, change: Callable[[Session], Snoozed]) -> None:
        self._ops.run_change(
            self._window,
            change,
            initiator=self,
            success=lambda done: self._snoozed_here(len(done.landings)),
            error_title="Not snoozed",
        )

    def _snoozed_here(self, count: int) -> None:
        self._arm_after_change()
        self.snoozed.emit(count)

    def _arm_after_change(self) -> None:
        # A snooze moves the next due time: recompute it without showing anything new twice.
        QTimer.singleShot(0, self, self.check_now)

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

    def _on_notification_button(self, notice: Notice, key: str) -> None:
        if key == "default":
            self._open(notice)
        elif key in _SNOOZE_ACTIONS:
            self.snooze(notice.follow_up_ids, _SNOOZE_ACTIONS[key])

    def _make_tray(self) -> None:
        self._tray = ReminderTray(
            [
                ("Open deckfollow", self.show_window),
                ("Today's digest", self.show_digest),
                ("Snooze all due 1 hour", self.snooze_all),
                ("Export calendar…", self.export_calendar),
            ],
            self.quit,
            self,
        )
        self._tray.open_requested.connect(self.show_window)
        self._tray.message_clicked.connect(self._on_tray_message_clicked)

    def export_calendar(self) -> None:
        """Ask where, write the .ics file, and say what was written."""
        from deckfollow.ui.reminders.settings_page import ask_and_export_calendar

        def said(message: str) -> None:
            if self._tray is not None:
                self._tray.show_message("Calendar exported", message, 10000)
            else:
                self.in_window_reminder.emit(message)

        ask_and_export_calendar(self._db, clock=self._clock, parent=self._window, said=said)

    def add_tray_action(self, text: str, slot: Callable[[], object]) -> None:
        """Add an entry to the tray menu above Quit (e.g. "Export calendar…")."""
        if self._tray is not None:
            self._tray.add_action(text, slot)

    def _on_tray_message_clicked(self) -> None:
        if self._last_tray_notice is not None:
            self._open(self._last_tray_notice)

    def _say_no_tray_once(self) -> None:
        # Noted on the database thread, said once noted.
        self._ops.run_task(
            None,
            self._note_no_tray,
            success=lambda first: self._say_no_tray() if first else None,
        )

    def _note_no_tray(self) -> bool:
        """Note that the user was told; True the first time."""
        with self._db.unit_of_work() as session:
            already = get_setting(session, NO_TRAY_KEY) is not None
            if not already:
                set_setting(session, NO_TRAY_KEY, datetime.now(UTC).date().isoformat())
        return not already

    def _say_no_tray(self) -> None:
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
            and self._tray is not None
            and not self._quitting
        ):
            event.ignore()
            assert self._window is not None
            self._window.hide()
            self._hint_still_running()
            return True
        return super().eventFilter(watched, event)

    def _hint_still_running(self) -> None:
        # Noted on the database thread; the hint shows once noted, the first time only.
        self._ops.run_task(
            None,
            self._note_hint,
            success=lambda first: self._say_still_running() if first else None,
        )

    def _note_hint(self) -> bool:
        """Note that the hint was shown; True the first time."""
        with self._db.unit_of_work() as session:
            first = get_setting(session, TRAY_HINT_KEY) is None
            if first:
                set_setting(session, TRAY_HINT_KEY, "1")
        return first

    def _say_still_running(self) -> None:
        if self._tray is not None:
            self._tray.show_message(
                "deckfollow is still running",
                "Reminders keep coming while the window is closed. Quit from this icon's menu.",
                8000,
            )
