"""Other members' changes, live: the listener thread's news delivered on the GUI thread."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from deckfollow.storage.database import Database
    from deckfollow.storage.notify import Change, ChangeListener


class LiveChanges(QObject):
    """Signals (queued onto the GUI thread) for a team database's changes and connection."""

    changed = Signal(object)  # a storage.notify.Change
    connection = Signal(bool, str)  # up?, and why not

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._listener: ChangeListener | None = None

    def start(self, db: Database) -> bool:
        """Listen to `db` if it is a team database; False for a one-person file."""
        if db.is_sqlite:
            return False
        from deckfollow.storage.notify import ChangeListener

        # Emitting from the listener's thread queues each signal onto this object's thread.
        self._listener = ChangeListener(
            db.target, self._deliver, on_state=self.connection.emit, ignore_origin=db.origin
        )
        self._listener.start()
        # The app's one view of the server: dialogs waiting to save follow it too.
        from deckfollow.ui.team.server_away import server_watch

        server_watch().watch(db.target)
        self.connection.connect(server_watch().set_state)
        return True

    def _deliver(self, change: Change) -> None:
        self.changed.emit(change)

    @property
    def listening(self) -> bool:
        return self._listener is not None and self._listener.listening.is_set()

    def stop(self) -> None:
        if self._listener is not None:
            self._listener.stop()
            self._listener = None
