"""Touches logged in one batch, written together (`log_touch(..., into=rows)`).

Logging many touches in one session (history entered at once) spends most of its time
making and flushing a mapped object per touch; the rows go in with one insert instead.
Nothing read while logging a touch reads touches, so the rules applied are the same.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

from deckfollow.core.models import Touch

# The table itself, not the mapped class: an insert of the class would go through the
# session's bulk path, which converts every row again for nothing.
_TOUCHES = cast(Table, Touch.__table__)


class TouchRows:
    """Touches waiting to be written, in the order they were logged."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def __len__(self) -> int:
        return len(self.rows)

    def write(self, session: Session) -> int:
        """Insert the waiting touches; how many went in."""
        written = len(self.rows)
        if self.rows:
            session.execute(insert(_TOUCHES), self.rows)
            self.rows = []
        return written
