"""While the team server is away: dialogs keep what was typed and Save comes back with it.

`server_watch()` is the app's one view of the server: up or away, and why. The live
listener feeds it (storage.notify reconnects by itself); a save that failed because the
server was away reports it too, and then the watch probes the server every few seconds
in a thread of its own, so Save comes back even when nothing else noticed the outage.

A dialog's save calls `hold_until_server_back(button, error)` with the error it caught: for
a ServerAwayError the dialog stays open with everything typed, its Save button waits, and
the reconnect enables it again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QAbstractButton
from shiboken6 import isValid

from deckfollow.core.errors import ServerAwayError

PROBE_MS = 2000
_WAITING = "Waiting for the team server…"


class ServerWatch(QObject):
    """Up or away (and why), on the GUI thread."""

    state = Signal(bool, str)
    _probed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.up = True
        self.why = ""
        self._target: str | None = None
        self._probing = False
        self._timer = QTimer(self)
        self._timer.setInterval(PROBE_MS)
        self._timer.timeout.connect(self._probe)
        self._probed.connect(self._after_probe)

    def set_state(self, up: bool, why: str = "") -> None:
        """What the listener (or a probe, or a failed save) found."""
        if up:
            self._timer.stop()
        if up == self.up and why == self.why:
            return
        self.up, self.why = up, why
        self.state.emit(up, why)

    def report_away(self, why: str, target: str | None = None) -> None:
        """A save found the server away: say so, and probe `target` until it answers."""
        if target is not None:
            self._target = target
        self.set_state(False, why)
        if self._target is not None and not self._timer.isActive():
            self._timer.start()

    def _probe(self) -> None:
        if self._probing or self._target is None:
            return
        self._probing = True
        target = self._target

        def run() -> None:
            from deckfollow.storage.team_connection import server_reachable

            self._probed.emit(server_reachable(target))  # queued onto the GUI thread

        threading.Thread(target=run, name="deckfollow-probe", daemon=True).start()

    def _after_probe(self, up: bool) -> None:
        self._probing = False
        if up:
            self.set_state(True)


_WATCH: list[ServerWatch] = []  # the one watch, made on first use


def server_watch() -> ServerWatch:
    """The app-wide watch (made on first use, on the GUI thread)."""
    if not _WATCH:
        _WATCH.append(ServerWatch())
    return _WATCH[0]


def hold_until_server_back(
    button: QAbstractButton,
    error: BaseException,
    *,
    target: str | None = None,
    on_back: Callable[[], None] | None = None,
) -> bool:
    """After a failed save: if the server was away, keep Save waiting until it is back.

    Returns True when `error` was the server being away (the dialog shows its message and
    stays open); False for any other error, which the dialog handles as before.
    """
    if not isinstance(error, ServerAwayError):
        return False
    watch = server_watch()
    label = button.text()
    if label != _WAITING:
        button.setProperty("deckfollow_label", label)
    button.setEnabled(False)
    button.setText(_WAITING)

    def back(up: bool, _why: str) -> None:
        if not up:
            return
        watch.state.disconnect(back)
        if not isValid(button):
            return  # the dialog was closed meanwhile
        button.setText(str(button.property("deckfollow_label") or label))
        button.setEnabled(True)
        if on_back is not None:
            on_back()

    watch.state.connect(back)
    watch.report_away("", target)
    return True
