"""Desktop notifications over D-Bus (org.freedesktop.Notifications), with actions.

Spoken with `jeepney` rather than QtDBus: QtDBus marshals the notification id and timeout
with the wrong integer types for several daemons. Everything here is optional: with no
session bus or no notification service, `DesktopNotifier.connect()` returns None and the app
falls back to its tray balloon or a banner in its window.

Signals (a notification clicked or closed, the session unlocked, the computer woke) arrive on
a background thread; callers get plain callbacks and hop to their own thread themselves.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from jeepney import (  # type: ignore[import-untyped]
    DBusAddress,
    MatchRule,
    MessageType,
    message_bus,
    new_method_call,
)
from jeepney.io.threading import (  # type: ignore[import-untyped]
    DBusRouter,
    RouterClosed,
    open_dbus_connection,
)
from jeepney.low_level import HeaderFields  # type: ignore[import-untyped]

from deckfollow.app_icon import notification_icon

NOTIFICATIONS = DBusAddress(
    "/org/freedesktop/Notifications",
    bus_name="org.freedesktop.Notifications",
    interface="org.freedesktop.Notifications",
)
APP_NAME = "deckfollow"
# The action a daemon sends when the notification body itself is clicked.
DEFAULT_ACTION = "default"
CALL_TIMEOUT = 3.0


class NotificationsUnavailable(Exception):
    """No session bus or no notification service: use another way to remind."""


@dataclass(frozen=True)
class ServerInfo:
    name: str
    vendor: str
    version: str
    capabilities: tuple[str, ...]

    @property
    def has_actions(self) -> bool:
        return "actions" in self.capabilities


class _CallbackQueue:
    """Stands in for the Queue a jeepney filter fills: hands each message to a callback."""

    def __init__(self, callback: Callable[[str, tuple[Any, ...]], None]) -> None:
        self._callback = callback

    def put_nowait(self, msg: Any) -> None:
        member = str(msg.header.fields.get(HeaderFields.member, ""))
        # A failing callback must not kill the receiving thread (later clicks still count).
        with contextlib.suppress(Exception):
            self._callback(member, tuple(msg.body))


class _Router(DBusRouter):  # type: ignore[misc]
    """jeepney's router, except that a bus going away ends its thread quietly."""

    def _receiver(self) -> None:
        with contextlib.suppress(OSError, EOFError):
            super()._receiver()


class _Bus:
    """One connection with a receiving thread, replies matched to calls, signals to callbacks."""

    def __init__(self, bus: str) -> None:
        try:
            self.conn = open_dbus_connection(bus=bus)
        except (OSError, KeyError, ValueError) as exc:
            # KeyError: no DBUS_SESSION_BUS_ADDRESS; OSError: no bus at that address.
            raise NotificationsUnavailable(f"no {bus.lower()} bus: {exc}") from exc
        self.router = _Router(self.conn)
        self._filters: list[Any] = []

    def call(self, msg: Any) -> Any:
        try:
            reply = self.router.send_and_get_reply(msg, timeout=CALL_TIMEOUT)
        except (OSError, TimeoutError, RouterClosed) as exc:
            raise NotificationsUnavailable(str(exc)) from exc
        if reply.header.message_type is MessageType.error:
            raise NotificationsUnavailable(" ".join(str(b) for b in reply.body))
        return reply

    def subscribe(
        self, rules: Sequence[MatchRule], callback: Callable[[str, tuple[Any, ...]], None]
    ) -> None:
        for rule in rules:
            self._filters.append(self.router.filter(rule, queue=_CallbackQueue(callback)))
            self.call(message_bus.AddMatch(rule))

    def close(self) -> None:
        for handle in self._filters:
            handle.close()
        self._filters.clear()
        self.router.close()
        self.conn.close()


class DesktopNotifier:
    """Sends notifications to the desktop's notification service and hears their clicks.

    The service sends a click (ActionInvoked) only to the connection that showed the
    notification, so sending and listening share one connection.
    """

    def __init__(self, bus: _Bus, info: ServerInfo) -> None:
        self._bus = bus
        self.info = info

    @classmethod
    def connect(
        cls, on_signal: Callable[[str, tuple[Any, ...]], None] | None = None
    ) -> DesktopNotifier | None:
        """A notifier if the desktop has a notification service, else None.

        `on_signal(member, body)` gets ActionInvoked(id, action_key) and
        NotificationClosed(id, reason), on a background thread.
        """
        try:
            bus = _Bus("SESSION")
        except NotificationsUnavailable:
            return None
        try:
            reply = bus.call(new_method_call(NOTIFICATIONS, "GetServerInformation"))
            caps = bus.call(new_method_call(NOTIFICATIONS, "GetCapabilities"))
            if on_signal is not None:
                bus.subscribe(notification_rules(), on_signal)
        except NotificationsUnavailable:
            bus.close()
            return None
        name, vendor, version = (str(v) for v in reply.body[:3])
        capabilities = tuple(caps.body[0]) if caps.body else ()
        return cls(bus, ServerInfo(name, vendor, version, capabilities))

    def notify(
        self,
        summary: str,
        body: str,
        *,
        actions: Sequence[tuple[str, str]] = (),
        replaces_id: int = 0,
        expire_ms: int = -1,
        urgency: int = 1,
    ) -> int:
        """Show a notification; returns its id (for matching clicks and closing it)."""
        flat: list[str] = []
        if self.info.has_actions:
            for key, label in actions:
                flat += [key, label]
        hints = {"urgency": ("y", urgency), "desktop-entry": ("s", APP_NAME)}
        # The app's own icon, so the reminder is recognisably deckfollow's.
        icon = notification_icon()
        msg = new_method_call(
            NOTIFICATIONS,
            "Notify",
            "susssasa{sv}i",
            (APP_NAME, replaces_id, icon, summary, body, flat, hints, expire_ms),
        )
        return int(self._bus.call(msg).body[0])

    def close_notification(self, notification_id: int) -> None:
        """Take a notification off the screen (it was acted on in the app)."""
        msg = new_method_call(NOTIFICATIONS, "CloseNotification", "u", (notification_id,))
        with contextlib.suppress(NotificationsUnavailable):
            self._bus.call(msg)

    def close(self) -> None:
        self._bus.close()


class SignalListener:
    """Calls `callback(member, body)` for matching D-Bus signals, on a background thread."""

    def __init__(
        self,
        bus: str,
        rules: Sequence[MatchRule],
        callback: Callable[[str, tuple[Any, ...]], None],
    ) -> None:
        self._bus = _Bus(bus)
        try:
            self._bus.subscribe(rules, callback)
        except NotificationsUnavailable:
            self._bus.close()
            raise

    def stop(self) -> None:
        """Stop listening."""
        self._bus.close()


def notification_rules() -> list[MatchRule]:
    """Clicks on our notifications' actions, and their closing."""
    return [
        MatchRule(
            type="signal",
            interface="org.freedesktop.Notifications",
            path="/org/freedesktop/Notifications",
            member=member,
        )
        for member in ("ActionInvoked", "NotificationClosed")
    ]


def session_wake_rules() -> list[MatchRule]:
    """Screen locker signals on the session bus (unlocking means: check again)."""
    return [
        MatchRule(type="signal", interface=iface, member="ActiveChanged")
        for iface in ("org.freedesktop.ScreenSaver", "org.gnome.ScreenSaver")
    ]


def system_wake_rules() -> list[MatchRule]:
    """logind's PrepareForSleep on the system bus (False means: just woke up)."""
    return [
        MatchRule(
            type="signal",
            interface="org.freedesktop.login1.Manager",
            member="PrepareForSleep",
        )
    ]
