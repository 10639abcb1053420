"""The enquiries still waiting for a first reply, entered as the owner enters a lead.

Each goes through `core.leads.add_lead` at the moment it came in, so its first-reply
follow-up (channel, reason, due time inside the customer's hours and under the cap) and
its place under "New leads" are exactly what a typed-in lead gets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from deckfollow.core.enums import Stage
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.demo.people import Person, StoryQuote
from deckfollow.demo.workbench import Workbench


@dataclass(frozen=True)
class WaitingLead:
    person: Person
    quote: StoryQuote


@dataclass(frozen=True)
class LeadsEntered:
    quotes: int
    first_replies: int


def is_waiting(q: StoryQuote) -> bool:
    """An enquiry nobody has answered yet (the speed-to-lead clock still runs)."""
    return q.row["stage"] is Stage.LEAD and q.row["first_response_at"] is None


def take_waiting_leads(wb: Workbench, people: Sequence[Person]) -> list[WaitingLead]:
    """The waiting leads, taken out of the rows the demo writes itself (oldest first)."""
    waiting = [WaitingLead(p, q) for p in people for q in p.quotes if is_waiting(q)]
    taken = {q.quote.row["id"] for q in waiting}
    wb.quotes[:] = [r for r in wb.quotes if r["id"] not in taken]
    for qid in taken:
        del wb.by_id[qid]
    waiting.sort(key=lambda w: (w.quote.row["received_at"], w.person.id))
    return waiting


def enter_leads(session: Session, waiting: Sequence[WaitingLead]) -> LeadsEntered:
    """Add each waiting lead for its customer, with the core's own first reply."""
    replies = 0
    for w in waiting:
        row = w.quote.row
        created = add_lead(
            session,
            NewLead(
                name=w.person.row["display_name"],
                job=row["job"],
                source=row["source"],
                customer_id=w.person.id,
            ),
            now=row["received_at"],
        )
        replies += created.follow_up_id is not None
    return LeadsEntered(len(waiting), replies)
