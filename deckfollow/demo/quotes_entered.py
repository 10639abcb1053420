"""Every quote of the demo business, entered as the owner enters one, in the order it
happened (`core.quote_batch`, the batch form of the quote services):

- the enquiry through `add_lead` for the customer, at the moment it came in, with the
  first reply the core plans for it;
- the first reply given, at the moment of the call-back (its touch is logged later,
  `touches_logged`, and finds the clock already stopped where it stops it);
- the figures (number, amount, sent date, valid until, competing quotes) through
  `edit_quote` when it went out; the sent date becomes the moment the core makes of it;
- the move to Quoted as it went out, and the close (won, lost or parked: the core plans
  a parked quote's revisit) when it happened.

All this goes in before the stories are told, so the plans, agreements and follow-ups
planned by hand are placed around the first replies and revisits, as the app would
place them. Two moves wait for the stories: a quote "following up" moves there when
its follow-up began (`following_up`), and a quote still "quoted" moves there once its
touches are in (`touches_logged`: the core takes an outbound touch of a quoted quote for
its follow-up). Enquiries still waiting for a reply go in with what customers said
(`new_leads`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from deckfollow.core.enums import Stage
from deckfollow.core.errors import PermissionRefused
from deckfollow.core.pipeline import Close
from deckfollow.core.quote_batch import Move, QuoteBatch, move_quotes
from deckfollow.core.quotes import QuoteEdit
from deckfollow.demo.people import Person, StoryQuote
from deckfollow.demo.workbench import Workbench

# At the same moment: the enquiry, its answer, the figures, the move, the close.
_LEAD, _ANSWERED, _FIGURES, _QUOTED, _CLOSED = range(5)


def enter_quotes(session: Session, wb: Workbench, people: Sequence[Person]) -> int:
    """Enter every quote made so far (not the waiting enquiries) through the core, oldest
    first; each row takes the id and the moments the core gave it. How many."""
    batch = QuoteBatch(session)
    batch.read(p.id for p in people)
    ids: dict[int, int] = {}  # the quote's id in the demo: the one the core gave it
    steps: list[tuple[datetime, int, int, Callable[[], None]]] = []
    for person in people:
        for q in person.quotes:
            if q.row["id"] in wb.by_id:
                steps += _steps(batch, q, ids)
    steps.sort(key=lambda s: s[:3])
    for *_key, go in steps:
        go()
    batch.write()
    by_id: dict[int, StoryQuote] = {}
    for q in wb.by_id.values():
        row = q.row
        stored = batch.quotes[ids[row["id"]]]
        # What the core made of it: its id, the sent moment, a parked quote's close.
        for key in ("id", "sent_at", "closed_at"):
            row[key] = stored[key]
        by_id[row["id"]] = q
    wb.by_id = by_id
    return len(batch.quotes)


def _steps(
    batch: QuoteBatch, q: StoryQuote, ids: dict[int, int]
) -> list[tuple[datetime, int, int, Callable[[], None]]]:
    row: dict[str, Any] = q.row
    key = row["id"]
    stage: Stage = row["stage"]

    def lead() -> None:
        customer, received = row["customer_id"], row["received_at"]
        try:
            ids[key] = batch.add_lead(customer, job=row["job"], source=row["source"], now=received)
        except PermissionRefused:
            # No first reply fits their week (a customer asking for a quote every few
            # days): the owner took the call as it came, which the core enters as answered.
            ids[key] = batch.add_lead(
                customer, job=row["job"], source=row["source"], now=received, answered=True
            )
            row["first_response_at"] = received

    def answered() -> None:
        batch.answered(ids[key], at=row["first_response_at"])

    def figures() -> None:
        sent: datetime = row["sent_at"]
        fields = QuoteEdit(
            number=row["number"],
            amount=row["amount"],
            currency=row["currency"],
            sent_on=sent.astimezone(batch.owner_zone).date(),
            valid_until=row["valid_until"],
            competing_quotes=row["competing_quotes"],
        )
        batch.edit(ids[key], fields, now=sent)

    def quoted() -> None:
        batch.move(ids[key], Stage.QUOTED, now=row["sent_at"])

    def closed() -> None:
        close = Close(stage, lost_reason=row["lost_reason"], parked_until=row["parked_until"])
        batch.close(ids[key], close, now=row["closed_at"] or row["stage_changed_at"])

    steps = [(row["received_at"], _LEAD, key, lead)]
    if row["first_response_at"] is not None:
        steps.append((row["first_response_at"], _ANSWERED, key, answered))
    if row["sent_at"] is not None:
        steps.append((row["sent_at"], _FIGURES, key, figures))
        if stage is not Stage.QUOTED:
            steps.append((row["sent_at"], _QUOTED, key, quoted))
    if not stage.is_open:
        steps.append((row["closed_at"] or row["stage_changed_at"], _CLOSED, key, closed))
    return steps


def following_up(session: Session, wb: Workbench) -> int:
    """Quotes being followed up move there when their follow-up began (the stories say
    when: the plan's first step done, or the first check-in)."""
    moves = sorted(
        (
            Move(row["id"], Stage.FOLLOWING_UP, row["stage_changed_at"])
            for row in (q.row for q in wb.by_id.values())
            if row["stage"] is Stage.FOLLOWING_UP
        ),
        key=lambda m: (m.at, m.quote_id),
    )
    return move_quotes(session, moves)
