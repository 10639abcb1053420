"""Reminders in the desktop app: tray, notifications, snooze dialog, settings page."""

from deckfollow.ui.reminders.controller import ReminderController
from deckfollow.ui.reminders.settings_page import (
    ReminderSettingsWidget,
    ask_and_export_calendar,
    export_calendar_to,
)
from deckfollow.ui.reminders.snooze_dialog import SnoozeDialog

__all__ = [
    "ReminderController",
    "ReminderSettingsWidget",
    "SnoozeDialog",
    "ask_and_export_calendar",
    "export_calendar_to",
]
