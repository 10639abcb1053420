"""The tray for real: the app on a virtual X display registers with a tray host over D-Bus.

A small StatusNotifierWatcher (the protocol KDE's and GNOME's AppIndicator trays speak)
stands in for the desktop's tray; the app runs as its own process with Qt's X11 platform.
The test reads the tray menu the way a tray host does (com.canonical.dbusmenu), clicks the
icon, and quits from the menu.
"""

from __future__ import annotations

import struct
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from deckfollow.app_icon import icon_png
from deckfollow.core.settings import set_setting
from deckfollow.storage.database import Database
from tests.reminders.desktop import Desktop, missing_tools, private_desktop
from tests.reminders.helpers import add_follow_up
from tests.reminders.sni_watcher import Watcher

SYD = ZoneInfo("Australia/Sydney")


@pytest.fixture
def desktop_with_tray(tmp_path: Path) -> Iterator[tuple[Desktop, Watcher]]:
    if missing_tools():
        pytest.skip(f"needs {missing_tools()}")
    with private_desktop(tmp_path) as d:
        watcher = Watcher(d.bus)
        try:
            yield d, watcher
        finally:
            watcher.stop()


def _call(
    conn: Any, dest: str, path: str, iface: str, member: str, sig: str, body: tuple[Any, ...]
) -> Any:
    from jeepney import DBusAddress, MessageType, new_method_call  # type: ignore[import-untyped]

    addr = DBusAddress(path, bus_name=dest, interface=iface)
    reply = conn.send_and_get_reply(new_method_call(addr, member, sig, body), timeout=10)
    assert reply.header.message_type is MessageType.method_return, reply.body
    return reply.body


def _sni_pixels(path: Path) -> bytes:
    """A PNG as a tray host receives it (StatusNotifierItem: ARGB32, network byte order)."""
    from PySide6.QtGui import QImage

    image = QImage(str(path)).convertToFormat(QImage.Format.Format_ARGB32)
    return b"".join(
        struct.pack(">I", image.pixel(x, y))
        for y in range(image.height())
        for x in range(image.width())
    )


def _labels(layout: Any) -> list[tuple[int, str]]:
    _id, _props, children = layout
    out = []
    for child in children:
        _sig, (cid, props, _kids) = child
        label = props.get("label", ("s", ""))[1]
        out.append((cid, label))
    return out


def test_tray_icon_menu_click_and_quit(
    desktop_with_tray: tuple[Desktop, Watcher], db: Database, db_path: Path, now: datetime
):
    from jeepney.io.blocking import open_dbus_connection  # type: ignore[import-untyped]

    desktop, watcher = desktop_with_tray
    with db.unit_of_work() as s:
        set_setting(s, "reminders.digest_time", "off")
    fid = add_follow_up(db, now, datetime(2026, 11, 23, 9, tzinfo=SYD), name="Tray Tess")
    env = {**desktop.env, "QT_QPA_PLATFORM": "xcb"}
    app = subprocess.Popen(
        [
            sys.executable,
            str(Path(__file__).with_name("tray_app.py")),
            str(db_path),
            now.isoformat(),
        ],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=str(Path(__file__).parents[3]),
    )
    try:
        assert app.stdout is not None
        assert app.stdin is not None

        def tell(cmd: str) -> str:
            assert app.stdin is not None and app.stdout is not None
            app.stdin.write(cmd + "\n")
            app.stdin.flush()
            return app.stdout.readline().strip()

        assert watcher.registered.wait(60), "the app never registered a tray icon"
        lines = [app.stdout.readline().strip() for _ in range(2)]
        assert "READY tray=True quit_on_close=False" in lines
        [(_sender, service)] = watcher.items
        with open_dbus_connection(bus=desktop.bus) as conn:
            item = ("/StatusNotifierItem", "org.kde.StatusNotifierItem")
            props = "org.freedesktop.DBus.Properties"
            (menu_path,) = _call(conn, service, item[0], props, "Get", "ss", (item[1], "Menu"))
            (_rev, layout) = _call(
                conn,
                service,
                menu_path[1],
                "com.canonical.dbusmenu",
                "GetLayout",
                "iias",
                (0, -1, []),
            )
            labels = _labels(layout)
            # The tray host draws deckfollow's own icon: the pixmaps it was handed are the
            # drawn PNGs themselves at every tray size (16 px pixel for pixel, not a blur).
            ((_sig, pixmaps),) = _call(
                conn, service, item[0], props, "Get", "ss", (item[1], "IconPixmap")
            )
            sent = {w: bytes(data) for w, h, data in pixmaps if w == h}
            assert {16, 22, 24, 32} <= set(sent)
            for size, data in sent.items():
                # Qt keeps icons premultiplied: a half-transparent edge pixel may come back
                # one step off per channel. A scaled (blurred) icon differs by far more.
                drawn = _sni_pixels(icon_png(size))
                assert len(data) == len(drawn), f"{size} px"
                assert max(abs(a - b) for a, b in zip(data, drawn, strict=True)) <= 2, f"{size} px"
            texts = [t for _i, t in labels]
            assert texts[:4] == [
                "Open deckfollow",
                "Today's digest",
                "Snooze all due 1 hour",
                "Export calendar…",
            ]
            assert texts[-1] == "Quit deckfollow"
            # The reminder that was due reached the notification daemon; clicking it opens
            # that follow-up in the app.
            assert desktop.dunstctl("count", "displayed").strip() == "1"
            desktop.dunstctl("action", "0")
            assert app.stdout.readline().strip() == f"OPEN {fid}"
            # Closing the window hides it; the app keeps running in the tray ...
            assert tell("close") == "VISIBLE False"
            assert app.poll() is None
            # The hint comes once its first showing is noted on the database thread.
            _wait_until(lambda: desktop.dunstctl("count", "displayed").strip() == "1")
            # ... and a click on the tray icon brings it back.
            _call(conn, service, item[0], item[1], "Activate", "ii", (0, 0))
            assert tell("state") == "VISIBLE True"
            # Quit from the tray menu: the process ends by itself.
            quit_id = next(i for i, t in labels if t == "Quit deckfollow")
            _call(
                conn,
                service,
                menu_path[1],
                "com.canonical.dbusmenu",
                "Event",
                "isvu",
                (quit_id, "clicked", ("s", ""), 0),
            )
        out, err = app.communicate(timeout=60)
        assert app.returncode == 0, err
        assert "QUIT" in out
    finally:
        if app.poll() is None:
            app.kill()
            app.communicate()
    desktop.dunstctl("close-all")
    # The reminder, and (once, on the first close) the hint that the app is still running.
    assert sorted(h["summary"] for h in desktop.history()) == [
        "Call Tray Tess",
        "deckfollow is still running",
    ]


def _wait_until(condition: Callable[[], bool], timeout: float = 30) -> None:
    """Until `condition()` holds, as a person watching the screen would wait."""
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "it never came"
        time.sleep(0.05)
