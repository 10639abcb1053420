"""Shared set-up for the GUI tests."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import pytest
from PySide6.QtCore import QLocale

import deckfollow.ui as ui_package
from deckfollow.storage.thread_guard import watch_statements
from deckfollow.ui import formatting


@pytest.fixture(autouse=True)
def _owner_clock_from_this_computer() -> Iterator[None]:
    """Each test starts with the owner's clock unknown (the computer's) and the locale it
    found, as a fresh app does: a zone or country saved by one test must not leak into the
    next."""
    locale = QLocale()
    formatting._OWNER_ZONE.clear()
    yield
    formatting._OWNER_ZONE.clear()
    QLocale.setDefault(locale)


# GUI modules that still run SQL on the GUI thread, each with the reason. Every other GUI
# module goes through `deckfollow.ui.operations`; a statement from one of them on the GUI
# thread fails the test that ran it.
GUI_THREAD_SQL_ALLOWED: dict[str, str] = {
    "app.py": "start-up opens, checks and migrates the database before the window's work",
    "customer_detail/panel.py": "the contact dialogs' half: converted with them",
    "log_outcome/dialog.py": "the contact dialogs' half: converted with them",
    "messaging/common.py": "the contact dialogs' half: converted with them",
    "messaging/call.py": "the contact dialogs' half: converted with them",
    "messaging/compose_email.py": "the contact dialogs' half: converted with them",
    "messaging/text_message.py": "the contact dialogs' half: converted with them",
    "messaging/actions.py": "the contact dialogs' half: converted with them",
    "backups/__init__.py": "not yet converted",
    "backups/corrupt.py": "not yet converted",
    "backups/page.py": "not yet converted",
    "backups/schedule.py": "not yet converted",
    "backups/trash.py": "not yet converted",
    "board/page.py": "not yet converted",
    "cards/batch_dialog.py": "not yet converted",
    "cards/common.py": "not yet converted",
    "cards/composer.py": "not yet converted",
    "consent/ask_permission.py": "not yet converted",
    "consent/cadences.py": "not yet converted",
    "consent/consent_editor.py": "not yet converted",
    "consent/ledger_view.py": "not yet converted",
    "consent/stop.py": "not yet converted",
    "customers/merge_dialog.py": "not yet converted",
    "customers/new_customer.py": "not yet converted",
    "customers/page.py": "not yet converted",
    "features.py": "not yet converted",
    "importer/export_actions.py": "not yet converted",
    "importer/wizard.py": "not yet converted",
    "main_window.py": "not yet converted",
    "messaging/inbox_settings.py": "not yet converted",
    "messaging/sms_settings.py": "not yet converted",
    "messaging/smtp_settings.py": "not yet converted",
    "messaging/template_library.py": "not yet converted",
    "messaging/inbox_watch.py": "not yet converted",
    "new_lead/dialog.py": "not yet converted",
    "owner_settings.py": "not yet converted",
    "quote_editor/dialog.py": "not yet converted",
    "reminders/controller.py": "not yet converted",
    "reminders/settings_page.py": "not yet converted",
    "reminders/snooze_dialog.py": "not yet converted",
    "reports/page.py": "not yet converted",
    "reports/holder.py": "not yet converted",
    "sample_data.py": "not yet converted",
    "today_page/page.py": "not yet converted",
}

_UI_DIR = Path(ui_package.__file__).resolve().parent


def _gui_module_running_sql() -> str | None:
    """The innermost GUI module on the stack, as a path inside `deckfollow/ui`."""
    frame: FrameType | None = sys._getframe(2)
    while frame is not None:
        path = Path(frame.f_code.co_filename)
        if path.is_relative_to(_UI_DIR):
            return f"{path.relative_to(_UI_DIR).as_posix()}:{frame.f_lineno}"
        frame = frame.f_back
    return None


@pytest.fixture(autouse=True)
def _no_sql_on_the_gui_thread() -> Iterator[None]:
    """Fail a test whose GUI ran a database statement on the GUI thread, where it would
    freeze the window for as long as the database takes to answer."""
    gui_thread = threading.main_thread().ident
    offences: list[str] = []

    def watch(statement: str) -> None:
        if threading.get_ident() != gui_thread:
            return
        where = _gui_module_running_sql()
        if where is None or where.rsplit(":", 1)[0] in GUI_THREAD_SQL_ALLOWED:
            return  # the test's own set-up or checks, or a module not yet converted
        offences.append(f"{where}: {statement.split(None, 1)[0]}")

    stop = watch_statements(watch)
    yield
    stop()
    if offences:
        pytest.fail("SQL ran on the GUI thread:\n" + "\n".join(sorted(set(offences))))
