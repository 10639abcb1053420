"""The demo's rows it still builds in memory, and the one place they are written."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from deckfollow.core.enums import (
    Channel,
    Direction,
    Outcome,
)
from deckfollow.core.models import Quote
from deckfollow.demo.people import Person
from deckfollow.demo.workbench import Workbench
from deckfollow.storage.sequences import advance_sequences


def touch_row(
    person: Person,
    quote_id: int | None,
    at: datetime,
    channel: Channel,
    direction: Direction,
    outcome: Outcome,
    summary: str,
    subject: str | None = None,
    follow_up_id: int | None = None,
) -> dict[str, Any]:
    return {
        "customer_id": person.id,
        "quote_id": quote_id,
        "follow_up_id": follow_up_id,
        "at": at,
        "channel": channel,
        "direction": direction,
        "outcome": outcome,
        "subject": subject,
        "summary": summary,
        "created_at": at,
    }


def write_quotes(session: Session, wb: Workbench) -> None:
    """Insert the quotes the demo still makes itself (see `tests/demo/test_built_like_the_app`
    for each kind and why); their touches are logged through the core after."""
    _insert(session, ((Quote, wb.quotes),))


def _insert(session: Session, inserted: tuple[tuple[type[Any], list[dict[str, Any]]], ...]) -> None:
    # Bulk inserts through Core: the ORM unit of work would track 100k objects for nothing.
    for model, rows in inserted:
        if rows:
            session.execute(model.__table__.insert(), rows)
    # The rows carry their own ids: the next ordinary insert must not reuse one.
    advance_sequences(session, [model.__tablename__ for model, _rows in inserted])
    session.flush()
