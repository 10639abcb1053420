"""Which notification back-end each system gets, and the desktop-notifier one at work.

The Windows/macOS back-end (desktop-notifier) also speaks D-Bus on Linux, so its adapter is
exercised here against the same real daemon (dunst) as the Linux client.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from deckfollow.reminders.notify import DEFAULT_ACTION
from deckfollow.reminders.notify_choice import FREEDESKTOP, NATIVE, notification_backend
from tests.reminders.desktop import Desktop, missing_tools, private_desktop


def _installed(*names: str):
    return lambda name: name in names


def test_each_system_gets_its_back_end():
    both = _installed("jeepney", "desktop_notifier")
    assert notification_backend("linux", both) == FREEDESKTOP
    assert notification_backend("win32", both) == NATIVE
    assert notification_backend("darwin", both) == NATIVE


def test_without_the_library_the_tray_takes_over():
    assert notification_backend("win32", _installed("jeepney")) is None
    assert notification_backend("darwin", _installed()) is None
    assert notification_backend("linux", _installed("desktop_notifier")) is None


@pytest.fixture
def desktop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Desktop]:
    if missing_tools():
        pytest.skip(f"needs {', '.join(missing_tools())}")
    with private_desktop(tmp_path) as d:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", d.bus)
        monkeypatch.setenv("DISPLAY", d.display)
        yield d


@pytest.mark.slow
def test_the_native_notifier_shows_buttons_and_hears_the_click(desktop: Desktop):
    pytest.importorskip("desktop_notifier")
    from deckfollow.reminders.notify_native import NativeNotifier

    got: list[tuple[str, tuple[Any, ...]]] = []
    arrived = threading.Event()

    def on_signal(member: str, body: tuple[Any, ...]) -> None:
        got.append((member, body))
        arrived.set()

    notifier = NativeNotifier.connect(on_signal)
    assert notifier is not None
    try:
        nid = notifier.notify(
            "Call Jane Smith",
            "Ask if the spotted gum sample suits them",
            actions=[(DEFAULT_ACTION, "Open"), ("snooze-1h", "1 hour")],
        )
        assert desktop.dunstctl("count", "displayed").strip() == "1"
        desktop.dunstctl("action", "0")
        assert arrived.wait(10)
        assert ("ActionInvoked", (nid, DEFAULT_ACTION)) in got
    finally:
        notifier.close()
    desktop.dunstctl("close-all")
    [shown] = [h for h in desktop.history() if h["summary"] == "Call Jane Smith"]
    assert shown["appname"] == "deckfollow"
    assert "spotted gum" in shown["body"]
