"""Other members' changes, live: the listener thread's news delivered on the GUI thread."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from deckfollow.core.changes import EVERYTHING, Changes

if TYPE_CHECKING:
    from deckfollow.core.unit_of_work import Store
    from deckfollow.storage.notify import Change, ChangeListener


# Which of a window's views a table's rows show up in.
_TABLE_CHANGES = {
    "customer": Changes(customers=True),
    "quote": Changes(quotes=True),
    "touch": Changes(touches=True),
    "follow_up": Changes(follow_ups=True),
    "cadence_run": Changes(follow_ups=True),
    "channel_consent": Changes(consent=True),
    "consent_event": Changes(consent=True),
    "suppression": Changes(consent=True),
    "cadence": Changes(settings=True),
    "cadence_step": Changes(settings=True),
    "template": Changes(settings=True),
    "setting": Changes(settings=True),
    "member": Changes(settings=True),
}


def changes_in(tables: frozenset[str]) -> Changes:
    """What another member's commit changed, from the tables it touched (an empty or unknown
    list may have changed anything)."""
    if not tables or not tables <= _TABLE_CHANGES.keys():
        return EVERYTHING
    found = Changes()
    for table in sorted(tables):
        found |= _TABLE_CHANGES[table]
    return found


class LiveChanges(QObject):
    """Signals (queued onto the GUI thread) for a team database's changes and connection."""

    changed = Signal(object)  # a storage.notify.Change (`changes_in` says what it changed)
    connection = Signal(bool, str)  # up?, and why not

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._listener: ChangeListener | None = None

    def start(self, db: Store) -> bool:
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
