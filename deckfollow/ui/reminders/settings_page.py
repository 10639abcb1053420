"""Reminder settings: the morning digest time, start at login, the calendar export."""

from __future__ import annotations

from datetime import UTC, datetime, time
from pathlib import Path

from PySide6.QtCore import QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from deckfollow.core.clock import Clock
from deckfollow.core.errors import ServerAwayError
from deckfollow.core.unit_of_work import Store
from deckfollow.reminders.autostart import (
    autostart_path,
    disable_autostart,
    enable_autostart,
    is_autostart_enabled,
    launch_command,
    login_target,
)
from deckfollow.reminders.digest import DEFAULT_DIGEST_TIME, digest_time, set_digest_time
from deckfollow.reminders.ics import export_calendar, write_calendar_file
from deckfollow.ui.formatting import readable_time_edit
from deckfollow.ui.team.server_away import hold_until_server_back
from deckfollow.ui.theme import active_theme


def _utc_now() -> datetime:
    return datetime.now(UTC)


def export_calendar_to(db: Store, path: Path, *, now: datetime, days: int = 60) -> int:
    """Write the calendar file; returns how many follow-ups it holds."""
    with db.unit_of_work() as session:
        text, count = export_calendar(session, now=now, days=days)
    write_calendar_file(path, text)
    return count


def ask_and_export_calendar(db: Store, *, clock: Clock, parent: QWidget | None) -> str | None:
    """ "Export calendar…": ask where, write, and say what was written (None if cancelled)."""
    name, _filter = QFileDialog.getSaveFileName(
        parent,
        "Export follow-ups as a calendar",
        str(Path.home() / "deckfollow-follow-ups.ics"),
        "Calendar files (*.ics)",
    )
    if not name:
        return None
    path = Path(name if name.endswith(".ics") else name + ".ics")
    try:
        count = export_calendar_to(db, path, now=clock())
    except OSError as exc:
        return f"Could not write {path}: {exc.strerror or exc}. Nothing was changed."
    noun = "follow-up" if count == 1 else "follow-ups"
    return f"Wrote {count} {noun} to {path}. Import it again later to update the same events."


class ReminderSettingsWidget(QWidget):
    """A settings page; every change is saved at once and announced with `changed`."""

    changed = Signal()

    def __init__(
        self, db: Store, *, clock: Clock = _utc_now, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._clock = clock
        with db.reading() as session:
            at = digest_time(session)
        title = QLabel("Reminders")
        title.setStyleSheet("font-size: 18px; font-weight: 600;")
        self.digest_on = QCheckBox(
            "Send a morning digest (\u201cToday: 4 calls, 2 texts, 1 card\u201d)"
        )
        self.digest_on.setChecked(at is not None)
        self.digest_time = QTimeEdit()
        self.digest_time.setAccessibleName("Morning summary time")
        readable_time_edit(self.digest_time)
        shown = at or DEFAULT_DIGEST_TIME
        self.digest_time.setTime(QTime(shown.hour, shown.minute))
        self.digest_time.setEnabled(at is not None)
        digest_row = QHBoxLayout()
        digest_row.addWidget(self.digest_time)
        digest_row.addWidget(QLabel("(also when \u201ctomorrow morning\u201d snoozes end)"))
        digest_row.addStretch(1)

        self.autostart = QCheckBox("Start deckfollow when I log in")
        self.autostart.setChecked(is_autostart_enabled())
        self.autostart_where = QLabel()
        self.autostart_where.setStyleSheet(f"color: {active_theme().muted_text};")
        self.autostart_where.setWordWrap(True)
        self._show_autostart_place()

        self.export_button = QPushButton("Export calendar…")
        self.export_status = QLabel(
            "Writes your pending follow-ups as an .ics file for phone and desktop calendars."
        )
        self.export_status.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.digest_on)
        form.addRow("Digest time:", digest_row)
        form.addRow(self.autostart)
        form.addRow(self.autostart_where)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(title)
        layout.addLayout(form)
        export_row = QHBoxLayout()
        export_row.addWidget(self.export_button)
        export_row.addWidget(self.export_status, 1)
        layout.addLayout(export_row)
        layout.addStretch(1)

        self.digest_on.toggled.connect(self._save_digest)
        self.digest_time.timeChanged.connect(self._save_digest)
        self.autostart.toggled.connect(self._save_autostart)
        self.export_button.clicked.connect(self._export)

    def _save_digest(self, *_args: object) -> None:
        on = self.digest_on.isChecked()
        self.digest_time.setEnabled(on)
        t = self.digest_time.time()
        try:
            with self._db.unit_of_work() as session:
                set_digest_time(session, time(t.hour(), t.minute()) if on else None)
        except ServerAwayError as exc:
            # Kept as chosen on screen, and saved once the server is back.
            hold_until_server_back(self.digest_on, exc, on_back=self._save_digest)
            return
        self.changed.emit()

    def _save_autostart(self, on: bool) -> None:
        try:
            if on:
                enable_autostart(launch_command(login_target(self._db.target, self._db.path)))
            else:
                disable_autostart()
        except OSError as exc:
            self.autostart_where.setText(f"Could not change it: {exc}")
            return
        self._show_autostart_place()
        self.changed.emit()

    def _show_autostart_place(self) -> None:
        if not self.autostart.isChecked():
            self.autostart_where.setText("")
            return
        path = autostart_path()
        where = (
            str(path)
            if path is not None
            else "HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run"
        )
        self.autostart_where.setText(f"Set up in {where}")

    def _export(self) -> None:
        message = ask_and_export_calendar(self._db, clock=self._clock, parent=self)
        if message:
            self.export_status.setText(message)
