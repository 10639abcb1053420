"""A real notification reaches a real notification daemon (dunst on a virtual display)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from deckfollow.app_icon import NOTIFICATION_SIZE, icon_png
from deckfollow.core.settings import set_setting
from deckfollow.reminders.check import NoticeKind, run_check
from deckfollow.reminders.notify import DEFAULT_ACTION, DesktopNotifier
from deckfollow.storage.database import Database

from .desktop import Desktop, missing_tools, private_bus, private_desktop
from .helpers import add_follow_up

pytestmark = pytest.mark.skipif(bool(missing_tools()), reason=f"needs {missing_tools()}")

SYD = ZoneInfo("Australia/Sydney")


@pytest.fixture
def desktop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Desktop]:
    with private_desktop(tmp_path) as d:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", d.bus)
        monkeypatch.setenv("DISPLAY", d.display)
        yield d


class Signals:
    def __init__(self) -> None:
        self.got: list[tuple[str, tuple[Any, ...]]] = []
        self.arrived = threading.Event()

    def __call__(self, member: str, body: tuple[Any, ...]) -> None:
        self.got.append((member, body))
        self.arrived.set()


def test_a_due_follow_up_arrives_with_who_and_why(desktop: Desktop, db: Database, now: datetime):
    with db.unit_of_work() as s:
        set_setting(s, "reminders.digest_time", "off")
    due = datetime(2026, 11, 23, 10, tzinfo=SYD).astimezone(UTC)
    add_follow_up(
        db, now, due, name="Jane Smith", reason="Ask if the spotted gum sample suits them"
    )
    signals = Signals()
    notifier = DesktopNotifier.connect(signals)
    assert notifier is not None
    assert notifier.info.name == "dunst"
    assert notifier.info.has_actions
    try:
        with db.unit_of_work() as s:
            result = run_check(s, due)
        [notice] = result.notices
        assert notice.kind is NoticeKind.SINGLE
        nid = notifier.notify(
            notice.summary,
            notice.body,
            actions=[(DEFAULT_ACTION, "Open"), ("snooze-1h", "Snooze 1 h")],
            expire_ms=0,
        )
        assert desktop.dunstctl("count", "displayed").strip() == "1"
        # Clicking it (dunst's "action" on the top notification) tells us which one.
        desktop.dunstctl("action", "0")
        assert signals.arrived.wait(10)
        assert ("ActionInvoked", (nid, DEFAULT_ACTION)) in signals.got
    finally:
        notifier.close()
    desktop.dunstctl("close-all")
    [shown] = [h for h in desktop.history() if h["id"] == nid]
    assert shown["appname"] == "deckfollow"
    assert shown["summary"] == "Call Jane Smith"
    assert "Ask if the spotted gum sample suits them" in shown["body"]
    assert "Due Mon 23 Nov 10:00 (Australia/Sydney)" in shown["body"]
    assert "0412 0" in shown["body"]
    # The daemon found deckfollow's own icon for it (and drew it beside the words).
    assert Path(shown["icon_path"]) == icon_png(NOTIFICATION_SIZE).resolve()


def test_missed_reminders_arrive_as_one_notification(desktop: Desktop, db: Database, now: datetime):
    for hour, name in [(10, "Ann Lee"), (11, "Bo Diaz"), (12, "Cy Young")]:
        add_follow_up(db, now, datetime(2026, 11, 23, hour, tzinfo=SYD), name=name)
    notifier = DesktopNotifier.connect()
    assert notifier is not None
    try:
        with db.unit_of_work() as s:
            result = run_check(s, datetime(2026, 11, 23, 16, tzinfo=SYD).astimezone(UTC))
        for notice in result.notices:
            notifier.notify(notice.summary, notice.body)
    finally:
        notifier.close()
    desktop.dunstctl("close-all")
    summaries = [h["summary"] for h in desktop.history()]
    assert sorted(summaries) == [
        "While you were away: 3 follow-ups fell due",
        "deckfollow — today",
    ]
    [catch_up] = [h for h in desktop.history() if h["summary"].startswith("While")]
    for name in ("Ann Lee", "Bo Diaz", "Cy Young"):
        assert f"Call {name}" in catch_up["body"]


def test_no_notification_service_means_no_notifier(tmp_path: Path, monkeypatch):
    # A session bus where nothing provides notifications (and nothing is activated).
    with private_bus(tmp_path) as address:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
        assert DesktopNotifier.connect() is None
    # No session bus at all.
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path}/nothing-here")
    assert DesktopNotifier.connect() is None
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS")
    assert DesktopNotifier.connect() is None


def test_remind_once_command_notifies_the_desktop(
    desktop: Desktop, db: Database, db_path: Path, now: datetime
):
    from tests.cli.helpers import run_cli_process

    add_follow_up(
        db, now, datetime(2026, 11, 23, 10, tzinfo=SYD), name="Cron Carla", reason="Deck oil"
    )
    args = ("--db", str(db_path), "--now", "2026-11-23T10:00+11:00", "remind", "--once")
    res = run_cli_process(*args, env=desktop.env)
    assert res.returncode == 0, res.stderr
    assert "no desktop notification service" not in res.stderr
    assert run_cli_process(*args, env=desktop.env).stdout.strip() == "Nothing new to remind of."
    desktop.dunstctl("close-all")
    shown = {h["summary"]: h["body"] for h in desktop.history()}
    assert "Deck oil" in shown["Call Cron Carla"]
    assert shown["deckfollow — today"] == "Today: 1 call"
