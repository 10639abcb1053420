"""What customers said once the rows are in, entered through the core in the order it
happened: new enquiries nobody has answered yet, next contacts they agreed to, and the
times they said no.

- An enquiry still waiting goes through `core.leads.add_lead` at the moment it came in, so
  its first-reply follow-up (channel, reason, due time inside the customer's hours and
  under the cap) and its place under "New leads" are exactly what a typed-in lead gets.
- A next contact they agreed to goes through `core.followups.agree_follow_up` at the
  moment they said it: the follow-up in their words, its ledger entry, and planned steps
  moved clear of it, as the log-outcome dialog and `touch log` record one.
- A no (to one channel, or to everything) goes through `core.consent.revoke_consent`:
  the ledger entry, the channels closed, anything pending on them cancelled and plans
  stopped or moved are the app's own doing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from deckfollow.core.enums import Basis, FollowUpStatus
from deckfollow.core.followups import FollowUpPlan, agree_follow_up
from deckfollow.core.models import FollowUp
from deckfollow.demo.new_leads import WaitingLead, enter_lead
from deckfollow.demo.people import Agreement
from deckfollow.demo.refusals import Refusal, enter_refusal


@dataclass(frozen=True)
class Entered:
    """What the core made from what customers said."""

    leads: int
    first_replies: int
    agreed: int
    agreed_pending: int  # agreed follow-ups still pending once everything was said
    refusals: int


def enter_in_time_order(
    session: Session,
    waiting: Sequence[WaitingLead],
    agreements: Sequence[Agreement],
    refusals: Sequence[Refusal],
) -> Entered:
    """Enter every lead, agreement and refusal through the core, oldest first."""
    replies = 0
    agreed: list[FollowUp] = []

    def lead(w: WaitingLead) -> Callable[[], None]:
        def go() -> None:
            nonlocal replies
            replies += enter_lead(session, w)

        return go

    def agree(a: Agreement) -> Callable[[], None]:
        plan = FollowUpPlan(a.due, a.channel, a.reason, Basis.AGREED, a.words)

        def go() -> None:
            agreed.append(
                agree_follow_up(
                    session, a.customer.id, a.quote_id, plan, now=a.said, source=a.source
                )
            )

        return go

    def refuse(r: Refusal) -> Callable[[], None]:
        return lambda: enter_refusal(session, r)

    # At the same moment: a lead before what was agreed in it, a no after both.
    said: list[tuple[datetime, int, int, Callable[[], None]]] = []
    said += [(w.quote.row["received_at"], 0, w.person.id, lead(w)) for w in waiting]
    said += [(a.said, 1, a.customer.id, agree(a)) for a in agreements]
    said += [(r.at, 2, r.customer_id, refuse(r)) for r in refusals]
    said.sort(key=lambda s: s[:3])
    for *_key, go in said:
        go()
    pending = sum(fu.status is FollowUpStatus.PENDING for fu in agreed)
    return Entered(len(waiting), replies, len(agreed), pending, len(refusals))
