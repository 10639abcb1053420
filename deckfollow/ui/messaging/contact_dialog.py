"""The base every contact screen (call, text, email, log outcome) stands on: who it is
about, the clock it reads, "what's next?", and saving through the one seam."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLayout,
    QVBoxLayout,
    QWidget,
)

from deckfollow.core.changes import Changes
from deckfollow.core.enums import Channel
from deckfollow.core.errors import DeckfollowError
from deckfollow.core.unit_of_work import Session, Store
from deckfollow.messaging.outbox import SendResult
from deckfollow.ui.messaging.common import (
    Clock,
    ErrorLabel,
    GuardBanner,
    NextStepWidget,
    Target,
    announce,
    change,
    run_task,
)
from deckfollow.ui.team.server_away import hold_until_server_back

__all__ = ["ContactDialog"]


class ContactDialog(QDialog):
    """A dialog about one customer (and quote, and follow-up) that ends in a logged touch.

    A subclass builds its own middle, then calls `lay_out`; it names the signal that carries
    the core's Changes once something was saved (`done_signal`).
    """

    def __init__(
        self,
        store: Store,
        *,
        clock: Clock,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._db, self._clock = store, clock
        # The moment the dialog opened: the preview and "what's next?" start from it.
        self._opened_at: datetime = clock()
        self.result_message = ""
        self.banner = GuardBanner()
        self.error = ErrorLabel()
        self._logging = False  # a log on its way: a second press does not log it twice

    # -- what's next -----------------------------------------------------------------------

    def next_step_section(self, target: Target, channel: Channel) -> QGroupBox:
        """The "What's next?" box; the widget is `self.next_step`."""
        self.next_step = NextStepWidget(
            timezone=target.timezone,
            now=self._opened_at,
            channel=channel,
            has_quote=target.quote_id is not None,
            plan_name=target.plan_name,
            closed=target.closed_channels,
        )
        box = QGroupBox("What's next?")
        QVBoxLayout(box).addWidget(self.next_step)
        return box

    def lay_out(
        self,
        main: QLayout,
        side: QWidget,
        buttons: QDialogButtonBox,
        *,
        above: tuple[QWidget, ...] = (),
        below: tuple[QWidget, ...] = (),
    ) -> None:
        """The guard banner on top, the main part beside "what's next?", then the error
        line and the buttons: the same on every contact screen."""
        right = QVBoxLayout()
        right.addWidget(side)
        right.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(main, 3)
        columns.addLayout(right, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        for w in above:
            layout.addWidget(w)
        layout.addLayout(columns, 1)
        layout.addWidget(self.error)
        for w in below:
            layout.addWidget(w)
        layout.addWidget(buttons)

    # -- saving ----------------------------------------------------------------------------

    def done_signal(self) -> SignalInstance:
        """The signal that carries what the save changed."""
        raise NotImplementedError

    def save_change(
        self,
        op: Callable[[Session], Changes],
        *,
        refused: Callable[[DeckfollowError], object],
    ) -> None:
        """Run `op` through the one seam; on success pass on its Changes and close."""
        change(self, self._db, op, success=self._saved, failure=refused)

    def _saved(self, changes: Changes) -> None:
        self.done_signal().emit(changes)
        self.accept()

    def log_once(
        self, button: QAbstractButton, store: Store, task: Callable[[], SendResult]
    ) -> None:
        """Run `task` (it logs a touch) on the window's database thread; close once it is
        logged, or say why not. With the team server away it is logged once it is back."""

        def refused(exc: DeckfollowError) -> None:
            self._logging = False
            self.error.show_error(f"Not logged: {exc}")
            self.next_step.offer(exc)
            hold_until_server_back(button, exc)

        def logged(result: SendResult) -> None:
            self._logging = False
            self.finish(result)

        self._logging = True
        run_task(self, store, task, success=logged, failure=refused)

    def finish(self, result: SendResult) -> None:
        """After a send or a log: close with what it changed, or say why it was not logged."""
        self.result_message = result.message
        if not result.logged:
            self.error.show_error(result.message)
            return
        announce(self._db, result.changes, self)
        self._saved(result.changes)
