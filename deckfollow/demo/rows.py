"""The demo's rows it still builds in memory, and the one place they are written."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from deckfollow.core.enums import (
    Basis,
    Channel,
    Direction,
    FollowUpStatus,
    Outcome,
)
from deckfollow.core.models import (
    CadenceRun,
    FollowUp,
    Quote,
)
from deckfollow.demo.people import Person
from deckfollow.demo.workbench import Workbench
from deckfollow.storage.sequences import advance_sequences


def row_follow_up(
    fid: int,
    person: Person,
    quote_id: int | None,
    due: datetime,
    channel: Channel,
    reason: str,
    created: datetime,
    *,
    basis: Basis = Basis.PLANNED,
    words: str | None = None,
    run_id: int | None = None,
    step: int | None = None,
) -> dict[str, Any]:
    return {
        "id": fid,
        "customer_id": person.id,
        "quote_id": quote_id,
        "due_at": due,
        "window_end": None,
        "timezone": person.row["timezone"],
        "channel": channel,
        "reason": reason,
        "basis": basis,
        "agreed_words": words,
        "status": FollowUpStatus.PENDING,
        "cadence_run_id": run_id,
        "cadence_step": step,
        "template_id": None,
        "snoozed_until": None,
        "notified_at": None,
        "completed_at": None,
        "cancel_reason": None,
        "created_at": created,
        "version": 1,
    }


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


def write_plans(session: Session, wb: Workbench) -> None:
    """Insert the plan runs and follow-ups the demo still makes itself, before the touches
    that did them are logged."""
    _insert(session, ((CadenceRun, wb.runs), (FollowUp, wb.follow_ups)))


def _insert(session: Session, inserted: tuple[tuple[type[Any], list[dict[str, Any]]], ...]) -> None:
    # Bulk inserts through Core: the ORM unit of work would track 100k objects for nothing.
    for model, rows in inserted:
        if rows:
            session.execute(model.__table__.insert(), rows)
    # The rows carry their own ids: the next ordinary insert must not reuse one.
    advance_sequences(session, [model.__tablename__ for model, _rows in inserted])
    session.flush()
