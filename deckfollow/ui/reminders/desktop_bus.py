"""Desktop notifications and the desktop's wake-up signals (D-Bus on Linux) for reminders.

Sends a reminder as a desktop notification with its buttons, reconnects once when the
service restarted, and reports a clicked button (`invoked`) or a wake-up / unlock
(`woke`) on the GUI thread.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

from deckfollow.reminders.check import Notice, NoticeKind
from deckfollow.reminders.notify_choice import FREEDESKTOP, connect_notifier, notification_backend

log = logging.getLogger(__name__)


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


class DesktopNotifications(QObject):
    """The desktop's notification service and its wake-up signals, while connected."""

    invoked = Signal(object, str)  # the Notice, the button's action key
    woke = Signal()  # the computer woke up or the screen was unlocked
    _bus_signal = Signal(str, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._notifier: Any = None
        self._listeners: list[Any] = []
        self._shown: dict[int, Notice] = {}
        # False where this system has no notification back-end: the tray or window instead.
        self.possible = notification_backend() is not None
        # The notification service calls back on its own thread: queued onto this one.
        self._bus_signal.connect(self._on_bus_signal, Qt.ConnectionType.QueuedConnection)

    @property
    def connected(self) -> bool:
        return self._notifier is not None

    @property
    def name(self) -> str | None:
        """The notification service's name, or None when there is none."""
        return self._notifier.info.name if self._notifier is not None else None

    @property
    def shown(self) -> dict[int, Notice]:
        """Notifications on screen now, by their id (a copy)."""
        return dict(self._shown)

    def connect_desktop(self) -> None:
        """Connect to the notification service and, on D-Bus, to the wake-up signals."""
        backend = notification_backend()
        if backend is None:
            self.possible = False
            return
        self._notifier = connect_notifier(self._bus_signal.emit)
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
                self._listeners.append(SignalListener(bus, rules, self._on_wake))
            except NotificationsUnavailable:
                continue

    def reconnect(self) -> None:
        if self._notifier is not None:
            with contextlib.suppress(Exception):
                self._notifier.close()
        self._shown.clear()
        self._notifier = connect_notifier(self._bus_signal.emit)

    def send(self, notice: Notice) -> bool:
        """Show `notice` as a desktop notification; False when the desktop cannot."""
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
                    self.reconnect()
                continue
            self._shown[nid] = notice
            return True
        return False

    def stop(self) -> None:
        for listener in self._listeners:
            with contextlib.suppress(Exception):
                listener.stop()
        self._listeners.clear()
        if self._notifier is not None:
            with contextlib.suppress(Exception):
                self._notifier.close()
            self._notifier = None

    def _on_bus_signal(self, member: str, body: object) -> None:
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
        self.invoked.emit(notice, str(body[1]))
        if self._notifier is not None:
            self._notifier.close_notification(nid)

    def _on_wake(self, _member: str, body: tuple[Any, ...]) -> None:
        # ActiveChanged(False): the screen was unlocked; PrepareForSleep(False): woke up.
        if body and body[0] is False:
            self.woke.emit()  # from the listener's thread: queued to the GUI thread
