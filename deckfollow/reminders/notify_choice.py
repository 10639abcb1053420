"""Which desktop notification back-end this system uses, chosen at run time.

- Linux and the BSDs: the freedesktop service over D-Bus (`notify.DesktopNotifier`, jeepney),
  tested against a real daemon and able to hear the session wake and unlock.
- Windows and macOS: `notify_native.NativeNotifier` (desktop-notifier: WinRT toasts, macOS
  UserNotifications), both with buttons.
- Anything else, or a missing library: none, and the tray balloon or the window's banner
  shows the reminder instead.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from typing import Any

FREEDESKTOP = "freedesktop"
NATIVE = "native"


def notification_backend(
    platform: str = sys.platform,
    has_module: Callable[[str], bool] = lambda name: importlib.util.find_spec(name) is not None,
) -> str | None:
    """FREEDESKTOP, NATIVE or None for `platform` (given what is installed)."""
    if platform in ("win32", "darwin"):
        return NATIVE if has_module("desktop_notifier") else None
    if has_module("jeepney"):
        return FREEDESKTOP
    return None


def connect_notifier(on_signal: Callable[[str, tuple[Any, ...]], None] | None = None) -> Any:
    """This system's notifier (D-Bus on Linux, desktop-notifier on Windows and macOS), or
    None when it has no notification service that answers. Both have the same methods:
    notify, close_notification, close, and `info`."""
    backend = notification_backend()
    if backend == FREEDESKTOP:
        from deckfollow.reminders.notify import DesktopNotifier

        return DesktopNotifier.connect(on_signal)
    if backend == NATIVE:
        from deckfollow.reminders.notify_native import NativeNotifier

        return NativeNotifier.connect(on_signal)
    return None
