"""The daily and weekly backups while the app runs.

The app may stay in the tray for weeks without being restarted, so the rotating backups
cannot be a start-up job only: every half hour the scheduler asks for today's daily and
this week's weekly copy (`core.backup_shelf.backups_due` does nothing when they exist).
The copy is made on a worker thread of its own with SQLite's own connections (not the
window's database thread, where a long copy would hold every save back), so a large
database never freezes the window; the outcome comes back to the GUI thread as a signal.
"""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from deckfollow.core.backup_shelf import backups_due
from deckfollow.core.clock import Clock
from deckfollow.core.errors import DeckfollowError
from deckfollow.core.unit_of_work import Store

CHECK_EVERY_MS = 30 * 60 * 1000
FIRST_CHECK_MS = 2000  # after the window and its data are on screen


class BackupScheduler(QObject):
    """Keeps the daily and weekly backups coming for as long as the app runs."""

    made = Signal(list)  # the new backup files (a list of Path)
    failed = Signal(str)  # what went wrong, for the status bar
    finished = Signal()  # one check is over, whatever its outcome

    def __init__(
        self,
        db: Store,
        *,
        clock: Clock,
        parent: QObject | None = None,
        every_ms: int = CHECK_EVERY_MS,
    ) -> None:
        super().__init__(parent)
        self._path = db.path
        self._clock = clock
        self._running = threading.Lock()
        self._timer = QTimer(self)
        self._timer.setInterval(every_ms)
        self._timer.timeout.connect(self.check_now)

    def start(self, first_after_ms: int = FIRST_CHECK_MS) -> None:
        if self._path is None:
            return  # a server database is backed up by its server
        QTimer.singleShot(first_after_ms, self.check_now)
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def check_now(self) -> bool:
        """Start a check on a worker thread; False if one is still running (or no file)."""
        if self._path is None or not self._running.acquire(blocking=False):
            return False
        now = self._clock()
        worker = threading.Thread(
            target=self._work, args=(self._path, now), name="daily-backup", daemon=True
        )
        worker.start()
        return True

    def _work(self, path: Path, now: datetime) -> None:
        try:
            made = backups_due(path, now=now)
        except (DeckfollowError, OSError) as exc:
            self.failed.emit(f"Today's backup could not be made: {exc}")
        else:
            if made:
                self.made.emit(made)
        finally:
            self._running.release()
            self.finished.emit()
