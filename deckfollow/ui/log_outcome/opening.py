"""Opening "Log outcome…": what it shows is read on the window's database thread first."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from deckfollow.core.clock import Clock
from deckfollow.core.errors import DeckfollowError, ServerAwayError
from deckfollow.core.unit_of_work import Session, Store
from deckfollow.messaging.screens import LogOutcomeScreen, read_log_outcome_screen
from deckfollow.ui.log_outcome.dialog import LogOutcomeDialog
from deckfollow.ui.messaging.common import read_then
from deckfollow.ui.operations import show_error
from deckfollow.ui.team.server_away import fill_when_server_back

__all__ = ["open_log_outcome"]


def open_log_outcome(
    db: Store,
    *,
    clock: Clock,
    parent: QWidget | None,
    opened: Callable[[LogOutcomeDialog], object],
    follow_up_id: int | None = None,
    quote_id: int | None = None,
    customer_id: int | None = None,
) -> None:
    """Read who it is about and what the next step must fit around, then build the dialog
    (which reads nothing more) and hand it to `opened`. Why it cannot open is said in one
    line; with the team server away it opens by itself once the server is back."""

    def read(session: Session) -> LogOutcomeScreen:
        return read_log_outcome_screen(
            session, follow_up_id=follow_up_id, quote_id=quote_id, customer_id=customer_id
        )

    def arrived(screen: LogOutcomeScreen) -> None:
        opened(LogOutcomeDialog(db, screen, clock=clock, parent=parent))

    def not_read(error: DeckfollowError) -> None:
        if isinstance(error, ServerAwayError):
            fill_when_server_back(
                parent,
                lambda: open_log_outcome(
                    db,
                    clock=clock,
                    parent=parent,
                    opened=opened,
                    follow_up_id=follow_up_id,
                    quote_id=quote_id,
                    customer_id=customer_id,
                ),
            )
            return
        show_error(parent, "Log outcome", error)

    read_then(parent, db, read, success=arrived, failure=not_read, error_title="Log outcome")
