"""Desktop notifications with buttons on Windows and macOS, through `desktop-notifier`.

Windows toasts (WinRT) and macOS's UserNotifications framework both show buttons, which
Qt's tray balloon cannot (and Qt documents that balloon as possibly never shown). The
library's calls are asynchronous, so they run on an event loop in a thread of their own;
clicks come back as `on_signal("ActionInvoked", (id, key))` and closes as
`on_signal("NotificationClosed", (id, 2))`, the same calls the D-Bus notifier makes, so the
reminder controller treats both alike. Linux keeps the D-Bus client in `notify.py`.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import threading
from collections.abc import Callable, Coroutine, Sequence
from typing import Any, TypeVar

from deckfollow.app_icon import NOTIFICATION_SIZE, icon_png
from deckfollow.reminders.notify import (
    APP_NAME,
    DEFAULT_ACTION,
    NotificationsUnavailable,
    ServerInfo,
)

T = TypeVar("T")
Signal = Callable[[str, tuple[Any, ...]], None]
CALL_TIMEOUT = 10.0
DISMISSED = 2  # the freedesktop reason code "dismissed by the user"


class NativeNotifier:
    """The same small interface as notify.DesktopNotifier, backed by desktop-notifier."""

    def __init__(self, on_signal: Signal | None, backend_name: str) -> None:
        from desktop_notifier import DesktopNotifier, Icon

        self._on_signal = on_signal
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="notifications", daemon=True
        )
        self._thread.start()
        self._ids = itertools.count(1)
        self._native: dict[int, Any] = {}
        icon = Icon(path=icon_png(NOTIFICATION_SIZE).resolve())
        self._notifier = self._call(_make(DesktopNotifier, APP_NAME, icon))
        # Both back-ends on Windows and macOS show buttons.
        self.info = ServerInfo(backend_name, "desktop-notifier", "", ("actions", "body"))

    @classmethod
    def connect(cls, on_signal: Signal | None = None) -> NativeNotifier | None:
        """A notifier when the system lets this app notify, else None (the tray is next)."""
        try:
            notifier = cls(on_signal, _backend_name())
            if not notifier._call(notifier._notifier.request_authorisation()):
                notifier.close()
                return None
        except Exception:  # no permission, no service: the caller falls back
            return None
        return notifier

    def _call(self, coro: Coroutine[Any, Any, T]) -> T:
        future = asyncio.run_coroutine_threadsafe(coro, self._loop)
        try:
            return future.result(CALL_TIMEOUT)
        except Exception as exc:
            raise NotificationsUnavailable(str(exc)) from exc

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
        from desktop_notifier import Button, Notification, Urgency

        nid = replaces_id or next(self._ids)
        if replaces_id:
            self.close_notification(replaces_id)

        def send(key: str) -> Callable[[], None]:
            return lambda: self._emit("ActionInvoked", (nid, key))

        buttons = tuple(
            Button(title=label, on_pressed=send(key))
            for key, label in actions
            if key != DEFAULT_ACTION
        )
        level = {0: Urgency.Low, 2: Urgency.Critical}.get(urgency, Urgency.Normal)
        note = Notification(
            title=summary,
            message=body,
            buttons=buttons,
            urgency=level,
            on_clicked=send(DEFAULT_ACTION),
            on_dismissed=lambda: self._emit("NotificationClosed", (nid, DISMISSED)),
            # Reminders stay until dealt with (0); others may fade at the system's pace.
            timeout=-1,
        )
        self._native[nid] = self._call(self._notifier.send_notification(note))
        return nid

    def _emit(self, member: str, body: tuple[Any, ...]) -> None:
        if member == "NotificationClosed":
            self._native.pop(int(body[0]), None)
        if self._on_signal is not None:
            self._on_signal(member, body)

    def close_notification(self, notification_id: int) -> None:
        """Take a notification off the screen (it was acted on in the app)."""
        native = self._native.pop(notification_id, None)
        if native is not None:
            with contextlib.suppress(NotificationsUnavailable):
                self._call(self._notifier.clear(native))

    def close(self) -> None:
        with contextlib.suppress(NotificationsUnavailable):
            self._call(_disconnect(self._notifier))
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(CALL_TIMEOUT)
        with contextlib.suppress(RuntimeError):
            self._loop.close()


async def _make(factory: Any, app_name: str, icon: Any) -> Any:
    # Made on the notifier's own loop: the back-ends bind to the loop they start on.
    return factory(app_name=app_name, app_icon=icon)


async def _disconnect(notifier: Any) -> None:
    # The D-Bus back-end (Linux) holds a bus connection; WinRT and macOS hold none.
    bus = getattr(getattr(notifier, "_backend", None), "bus", None)
    if bus is not None:
        bus.disconnect()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(bus.wait_for_disconnect(), CALL_TIMEOUT)


def _backend_name() -> str:
    import sys

    return {"win32": "Windows notifications", "darwin": "macOS notifications"}.get(
        sys.platform, "desktop notifications"
    )
