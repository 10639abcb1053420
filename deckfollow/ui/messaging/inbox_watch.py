"""The inbox pass on a timer, off the GUI thread: replies and stops appear by themselves."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal

from deckfollow.core.errors import DeckfollowError
from deckfollow.core.unit_of_work import Store
from deckfollow.messaging.credentials import CredentialStore, default_store
from deckfollow.messaging.watch import check_if_due

log = logging.getLogger(__name__)

# How often to ask whether a pass is due (the pass itself follows the owner's interval).
TICK_MS = 60_000


class InboxWatcher(QObject):
    """Runs `check_if_due` in a worker thread once a minute; `checked` carries the report."""

    checked = Signal(object)  # InboxReport, delivered on the GUI thread
    failed = Signal(str)

    def __init__(
        self,
        db: Store,
        *,
        clock: Callable[[], datetime],
        store: CredentialStore | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._clock = clock
        self._store = store or default_store()
        self._busy = threading.Lock()
        self._thread: threading.Thread | None = None
        self._last_failure = ""
        self._stopped = False
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.check_soon)

    def start(self) -> None:
        self.timer.start()
        QTimer.singleShot(0, self, self.check_soon)

    def stop(self) -> None:
        self._stopped = True  # a check asked for after this (a queued timer) does not start
        self.timer.stop()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def check_soon(self) -> bool:
        """Start a pass in the background unless one is running; False if one was."""
        if self._stopped or not self._busy.acquire(blocking=False):
            return False
        self._thread = threading.Thread(target=self._run, name="inbox-pass", daemon=True)
        self._thread.start()
        return True

    def _run(self) -> None:
        try:
            report = check_if_due(self._db, self._store, clock=self._clock)
        except DeckfollowError as exc:
            # Said once, not every minute while it lasts (offline, a sign-in to renew).
            if str(exc) != self._last_failure:
                self._last_failure = str(exc)
                log.warning("inbox pass failed: %s", exc)
                self.failed.emit(f"Replies could not be read: {exc}")
            return
        finally:
            self._busy.release()
        self._last_failure = ""
        if report is not None and report.handled:
            self.checked.emit(report)
