"""A private desktop for tests: its own session bus, a virtual display and the dunst daemon."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DUNSTRC = """
[global]
    font = Monospace 9
    width = 400
    origin = top-right
    offset = 10x10
    mouse_left_click = do_action, close_current
    mouse_middle_click = close_all
    mouse_right_click = close_current
    history_length = 50
    idle_threshold = 0
    sticky_history = yes
"""


# A session bus with no service activation: nothing starts behind the test's back.
BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={dir}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


@dataclass
class Desktop:
    env: dict[str, str]
    display: str
    bus: str
    procs: list[subprocess.Popen[Any]]
    dunstrc: Path

    def stop_dunst(self) -> None:
        """Stop the notification daemon (as when the user's desktop session restarts it)."""
        dunst = self.procs.pop()
        dunst.terminate()
        dunst.wait(timeout=10)
        _wait_for(lambda: not _has_owner(self.bus, "org.freedesktop.Notifications"), "dunst stop")

    def start_dunst(self) -> None:
        self.procs.append(_start_dunst(self.env, self.dunstrc))
        _wait_for(lambda: _has_owner(self.bus, "org.freedesktop.Notifications"), "dunst")

    def dunstctl(self, *args: str) -> str:
        out = subprocess.run(
            ["dunstctl", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        if out.returncode != 0:
            raise RuntimeError(f"dunstctl {' '.join(args)}: {out.stderr.strip()}")
        return out.stdout

    def history(self) -> list[dict[str, Any]]:
        """What arrived (dunst keeps closed notifications in its history)."""
        data = json.loads(self.dunstctl("history"))
        rows = data["data"][0]
        return [{k: v["data"] for k, v in row.items()} for row in rows]


def missing_tools() -> list[str]:
    return [t for t in ("dbus-daemon", "Xvfb", "dunst", "dunstctl") if shutil.which(t) is None]


def _wait_for(check: Any, what: str, limit: float = 20.0) -> None:
    # Readiness of a starting daemon, not a timed assertion: give up only after a long while.
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not start")


def _has_owner(address: str, name: str) -> bool:
    from jeepney import message_bus  # type: ignore[import-untyped]
    from jeepney.io.blocking import open_dbus_connection  # type: ignore[import-untyped]

    with open_dbus_connection(bus=address) as conn:
        reply = conn.send_and_get_reply(message_bus.NameHasOwner(name), timeout=5)
        return bool(reply.body[0])


@contextmanager
def private_bus(tmp: Path) -> Iterator[str]:
    """A private session bus (its address), stopped afterwards."""
    sockets = tmp / "bus"
    sockets.mkdir(exist_ok=True)
    config = tmp / "bus.conf"
    config.write_text(BUS_CONFIG.format(dir=sockets))
    bus = subprocess.Popen(
        ["dbus-daemon", f"--config-file={config}", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert bus.stdout is not None
        yield bus.stdout.readline().strip()
    finally:
        bus.terminate()
        bus.wait(timeout=10)
        if bus.stdout is not None:
            bus.stdout.close()


@contextmanager
def private_desktop(tmp: Path) -> Iterator[Desktop]:
    """Start dbus-daemon, Xvfb and dunst; stop exactly those processes afterwards."""
    procs: list[subprocess.Popen[Any]] = []
    with private_bus(tmp) as address:
        try:
            yield from _desktop(tmp, address, procs)
        finally:
            for p in reversed(procs):
                p.terminate()
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()


def _start_dunst(env: dict[str, str], rc: Path) -> subprocess.Popen[Any]:
    return subprocess.Popen(
        ["dunst", "-config", str(rc)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _desktop(tmp: Path, address: str, procs: list[subprocess.Popen[Any]]) -> Iterator[Desktop]:
    read_fd, write_fd = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stderr=subprocess.DEVNULL,
        text=True,
    )
    procs.append(xvfb)
    os.close(write_fd)
    with os.fdopen(read_fd) as f:
        display = ":" + f.readline().strip()
    env = {**os.environ, "DISPLAY": display, "DBUS_SESSION_BUS_ADDRESS": address}
    env.pop("WAYLAND_DISPLAY", None)
    rc = tmp / "dunstrc"
    rc.write_text(DUNSTRC)
    procs.append(_start_dunst(env, rc))
    _wait_for(lambda: _has_owner(address, "org.freedesktop.Notifications"), "dunst")
    yield Desktop(env=env, display=display, bus=address, procs=procs, dunstrc=rc)
