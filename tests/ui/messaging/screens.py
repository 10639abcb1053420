"""Contact screens as the window opens them: what they show is read first, then they are built."""

from __future__ import annotations

from datetime import datetime

from deckfollow.messaging.screens import read_call_screen
from deckfollow.storage.database import Database
from deckfollow.ui.messaging.call import CallDialog


def call_dialog(
    db: Database,
    now: datetime,
    *,
    follow_up_id: int | None = None,
    quote_id: int | None = None,
    customer_id: int | None = None,
) -> CallDialog:
    """The call screen at `now` for whichever id the caller had, its data read beforehand."""
    with db.unit_of_work() as s:
        screen = read_call_screen(
            s, now=now, follow_up_id=follow_up_id, quote_id=quote_id, customer_id=customer_id
        )
    return CallDialog(db, screen, clock=lambda: now)
