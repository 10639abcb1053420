"""The window follows what another program writes to its file: a script or the command line
run beside the open app shows on every page within seconds, as the window's own saves do."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication

from deckfollow.core.changes import EVERYTHING
from deckfollow.core.errors import DeckfollowError
from deckfollow.core.outside_writes import WriteMark, write_mark

if TYPE_CHECKING:
    from deckfollow.ui.operations import Operations

# A look costs one pragma on the database thread; a write outside shows within this time,
# and at once when the owner comes back to the window from the terminal.
LOOK_EVERY_MS = 2000


class OutsideWrites(QObject):
    """Looks at the file's write mark every LOOK_EVERY_MS and whenever the app becomes
    active; a mark moved by another program is announced as a change to everything."""

    def __init__(self, ops: Operations, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._last: WriteMark | None = None
        self._looking = False
        self._timer = QTimer(self)
        self._timer.setInterval(LOOK_EVERY_MS)
        self._timer.timeout.connect(self.look)
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.applicationStateChanged.connect(self._state_changed)

    def start(self) -> None:
        self._timer.start()
        self.look()

    def stop(self) -> None:
        self._timer.stop()

    def look(self) -> None:
        """Read the mark on the database thread (one look at a time)."""
        if self._looking or self._ops.is_closed():
            return
        self._looking = True
        self._ops.run_query(None, write_mark, success=self._seen, failure=self._not_seen)

    def _state_changed(self, state: Qt.ApplicationState) -> None:
        if state is Qt.ApplicationState.ApplicationActive and self._timer.isActive():
            self.look()

    def _seen(self, mark: WriteMark | None) -> None:
        self._looking = False
        if mark is None:
            self.stop()  # a team server says itself what its members wrote
            return
        if mark.moved_since(self._last):
            self._ops.announce(EVERYTHING, self)
        self._last = mark

    def _not_seen(self, _error: DeckfollowError) -> None:
        self._looking = False  # looked at again at the next tick
