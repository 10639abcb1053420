"""When the reminders look again: at the next due moment, at the latest every few minutes,
when the app comes to the front, and when the computer's time zone changes."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from datetime import datetime, timedelta

from PySide6.QtCore import QFileSystemWatcher, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication

# The longest the timer sleeps before checking again: a computer that slept or had its
# clock changed may leave a timer late, and a check is cheap and never repeats a reminder.
SAFETY_INTERVAL = timedelta(minutes=5)
# Where Linux keeps the machine's zone; changing the zone replaces one of these.
ZONE_FILES = ("/etc/localtime", "/etc/timezone")


class WakeTimer(QObject):
    """`wake` at the moment armed (or the safety interval), on a zone file's change and when
    the app becomes active."""

    wake = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.wake)
        self._zone_watch = QFileSystemWatcher(self)
        self._zone_watch.fileChanged.connect(self._on_zone_file)
        self._zone_files: tuple[str, ...] = ZONE_FILES
        self._listening = False

    def start(self) -> None:
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.applicationStateChanged.connect(self._on_app_state)
            self._listening = True
        self.watch_zone_files(self._zone_files)

    def stop(self) -> None:
        self._timer.stop()
        app = QGuiApplication.instance()
        if self._listening and isinstance(app, QGuiApplication):
            with _quietly():
                app.applicationStateChanged.disconnect(self._on_app_state)
        self._listening = False

    def arm(self, wake: datetime | None, now: datetime) -> None:
        """Wake at `wake` (None: after the safety interval), never later than that interval."""
        delay = (
            SAFETY_INTERVAL if wake is None else min(max(wake - now, timedelta()), SAFETY_INTERVAL)
        )
        # A second late rather than early: a check a hair before the due time finds nothing.
        self._timer.start(int(delay.total_seconds() * 1000) + 1000)

    @property
    def interval_ms(self) -> int:
        return self._timer.interval() if self._timer.isActive() else -1

    def watch_zone_files(self, paths: Sequence[str]) -> None:
        """Wake as soon as one of these files changes (the machine's zone was changed)."""
        self._zone_files = tuple(paths)
        watched = self._zone_watch.files()
        if watched:
            self._zone_watch.removePaths(watched)
        existing = [p for p in self._zone_files if os.path.exists(p)]
        if existing:
            self._zone_watch.addPaths(existing)

    def _on_zone_file(self, _path: str) -> None:
        # The file is usually replaced, not edited: watch the new one too.
        self.watch_zone_files(self._zone_files)
        self.wake.emit()

    def _on_app_state(self, state: Qt.ApplicationState) -> None:
        if state == Qt.ApplicationState.ApplicationActive:
            self.wake.emit()


def _quietly() -> contextlib.AbstractContextManager[None]:
    return contextlib.suppress(RuntimeError, TypeError)
