"""What customers said and what the owner planned by hand, once the rows are in, entered
through the core in the order it happened: new enquiries nobody has answered yet, next
contacts they agreed to, next contacts the owner planned, and the times they said no.

- An enquiry still waiting goes through `core.leads.add_lead` at the moment it came in, so
  its first-reply follow-up (channel, reason, due time inside the customer's hours and
  under the cap) and its place under "New leads" are exactly what a typed-in lead gets.
- A next contact they agreed to goes through `core.followups.agree_follow_up` at the
  moment they said it: the follow-up in their words, its ledger entry, and planned steps
  moved clear of it, as the log-outcome dialog and `touch log` record one.
- A next contact the owner planned by hand (a check-in on an open quote, a thank-you
  card, the revisit of a parked quote) goes through `core.followups.schedule_follow_up`
  at the moment it was planned, checked against the business as it then stood; refused,
  it takes the nearest allowed time the core offers, as the dialog does.
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
from deckfollow.demo.by_hand import enter_hand_plan
from deckfollow.demo.new_leads import WaitingLead, enter_lead
from deckfollow.demo.people import Agreement, HandPlan
from deckfollow.demo.refusals import Refusal, enter_refusal


@dataclass(frozen=True)
class Entered:
    """What the core made from what customers said."""

    leads: int
    first_replies: int
    agreed: int
    agreed_pending: int  # agreed follow-ups still pending once everything was said
    by_hand: int  # follow-ups the owner planned by hand
    by_hand_pending: int  # of those, still pending once everything was said
    refusals: int


def enter_in_time_order(
    session: Session,
    waiting: Sequence[WaitingLead],
    agreements: Sequence[Agreement],
    hand_plans: Sequence[HandPlan],
    refusals: Sequence[Refusal],
) -> Entered:
    """Enter every lead, agreement, follow-up planned by hand and refusal through the
    core, oldest first."""
    replies = 0
    agreed: list[FollowUp] = []
    planned: list[FollowUp] = []

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

    def plan(h: HandPlan) -> Callable[[], None]:
        def go() -> None:
            fu = enter_hand_plan(session, h)
            if fu is not None:
                planned.append(fu)

        return go

    def refuse(r: Refusal) -> Callable[[], None]:
        return lambda: enter_refusal(session, r)

    # At the same moment: a lead before what was agreed or planned in it, a no after all.
    said: list[tuple[datetime, int, int, Callable[[], None]]] = []
    said += [(w.quote.row["received_at"], 0, w.person.id, lead(w)) for w in waiting]
    said += [(a.said, 1, a.customer.id, agree(a)) for a in agreements]
    said += [(h.planned, 2, h.customer.id, plan(h)) for h in hand_plans]
    said += [(r.at, 3, r.customer_id, refuse(r)) for r in refusals]
    said.sort(key=lambda s: s[:3])
    for *_key, go in said:
        go()
    pending = sum(fu.status is FollowUpStatus.PENDING for fu in agreed)
    by_hand = sum(fu.status is FollowUpStatus.PENDING for fu in planned)
    return Entered(
        len(waiting), replies, len(agreed), pending, len(planned), by_hand, len(refusals)
    )
