"""Reminders in the desktop app: tray, notifications, snooze dialog, settings page.

The names below load on first use: the main window imports the light `banner` module before
its first paint, and must not pull in the reminder machinery (SQLAlchemy, D-Bus) with it.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from deckfollow.ui.reminders.banner import ReminderBanner
    from deckfollow.ui.reminders.controller import ReminderController
    from deckfollow.ui.reminders.settings_page import (
        ReminderSettingsWidget,
        ask_and_export_calendar,
    )
    from deckfollow.ui.reminders.snooze_dialog import SnoozeDialog

_WHERE = {
    "ReminderBanner": "banner",
    "ReminderController": "controller",
    "ReminderSettingsWidget": "settings_page",
    "ask_and_export_calendar": "settings_page",
    "SnoozeDialog": "snooze_dialog",
}

__all__ = [
    "ReminderBanner",
    "ReminderController",
    "ReminderSettingsWidget",
    "SnoozeDialog",
    "ask_and_export_calendar",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{module}"), name)
