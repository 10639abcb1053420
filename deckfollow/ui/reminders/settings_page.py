"""Reminder settings: the morning digest time, start at login, the calendar export."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
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

from deckfollow.core.changes import Changes
from deckfollow.core.clock import Clock
from deckfollow.core.errors import DeckfollowError, ServerAwayError
from deckfollow.core.unit_of_work import Session, Store
from deckfollow.reminders.autostart import (
    autostart_path,
    disable_autostart,
    enable_autostart,
    is_autostart_enabled,
    launch_command,
    login_target,
)
from deckfollow.reminders.calendar_export import calendar_written, export_calendar_to
from deckfollow.reminders.digest import DEFAULT_DIGEST_TIME, digest_time, set_digest_time
from deckfollow.ui import operations
from deckfollow.ui.formatting import readable_time_edit
from deckfollow.ui.operations import Operations
from deckfollow.ui.team.server_away import hold_until_server_back
from deckfollow.ui.theme import active_theme


def _utc_now() -> datetime:
    return datetime.now(UTC)


def ask_and_export_calendar(
    db: Store, *, clock: Clock, parent: QWidget | None, said: Callable[[str], object]
) -> None:
    """ "Export calendar…": ask where, write it on the database thread, then `said(what was
    written)` (nothing when cancelled)."""
    name, _filter = QFileDialog.getSaveFileName(
        parent,
        "Export follow-ups as a calendar",
        str(Path.home() / "deckfollow-follow-ups.ics"),
        "Calendar files (*.ics)",
    )
    if not name:
        return
    path = Path(name if name.endswith(".ics") else name + ".ics")
    now = clock()
    _operations(db).run_change(
        parent,
        lambda session: _Written(export_calendar_to(session, path, now=now)),
        success=lambda written: said(calendar_written(written.count, path)),
        failure=lambda exc: said(f"{_sentence(str(exc))}. Nothing was changed."),
    )


@dataclass(frozen=True)
class _Written:
    count: int
    changes: Changes = field(default_factory=Changes)  # the calendar's identity only


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _operations(db: Store) -> Operations:
    ops = operations.serving(db)
    if ops is None:
        raise RuntimeError("the reminder settings need the operations of an open database")
    return ops


SAVED = Changes(settings=True)


class ReminderSettingsWidget(QWidget):
    """A settings page; every change is saved at once and announced with `changed`."""

    changed = Signal()
    loaded = Signal()  # what is set has been read and shown

    def __init__(
        self, db: Store, *, clock: Clock = _utc_now, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._ops = _operations(db)
        self._clock = clock
        title = QLabel("Reminders")
        title.setStyleSheet("font-size: 18px; font-weight: 600;")
        self.digest_on = QCheckBox(
            "Send a morning digest (\u201cToday: 4 calls, 2 texts, 1 card\u201d)"
        )
        self.digest_time = QTimeEdit()
        self.digest_time.setAccessibleName("Morning summary time")
        readable_time_edit(self.digest_time)
        # Open for a choice once what is set has been read (quicker than a person can click).
        self.digest_on.setEnabled(False)
        self.digest_time.setEnabled(False)
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

        self.autostart.toggled.connect(self._save_autostart)
        self.export_button.clicked.connect(self._export)
        self._ops.run_query(self, digest_time, success=self._fill)

    def _fill(self, at: time | None) -> None:
        """Show the digest time read, then save each change the owner makes."""
        shown = at or DEFAULT_DIGEST_TIME
        self.digest_on.setChecked(at is not None)
        self.digest_time.setTime(QTime(shown.hour, shown.minute))
        self.digest_on.setEnabled(True)
        self.digest_time.setEnabled(at is not None)
        self.digest_on.toggled.connect(self._save_digest)
        self.digest_time.timeChanged.connect(self._save_digest)
        self.loaded.emit()

    def _save_digest(self, *_args: object) -> None:
        on = self.digest_on.isChecked()
        self.digest_time.setEnabled(on)
        t = self.digest_time.time()
        at = time(t.hour(), t.minute()) if on else None

        def save(session: Session) -> Changes:
            set_digest_time(session, at)
            return SAVED

        self._ops.run_change(
            self,
            save,
            initiator=self,
            success=lambda _changes: self.changed.emit(),
            failure=self._not_saved,
        )

    def _not_saved(self, exc: DeckfollowError) -> None:
        if isinstance(exc, ServerAwayError):
            # Kept as chosen on screen, and saved once the server is back.
            hold_until_server_back(self.digest_on, exc, on_back=self._save_digest)
            return
        self.export_status.setText(f"Not saved: {exc}")

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
        ask_and_export_calendar(
            self._db, clock=self._clock, parent=self, said=self.export_status.setText
        )
