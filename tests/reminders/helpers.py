"""Building follow-ups through the real services, and a clock the test moves by hand."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import count

from deckfollow.core.enums import Basis, Channel
from deckfollow.core.followups import FollowUpPlan, schedule_follow_up
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.storage.database import Database

_numbers = count(100)


class Clock:
    """A controllable clock: tests jump it instead of sleeping."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def add_follow_up(
    db: Database,
    now: datetime,
    due: datetime,
    *,
    name: str | None = None,
    channel: Channel = Channel.CALL,
    reason: str = "See if the deck quote works for them",
    tz: str = "Australia/Sydney",
    country: str = "AU",
    basis: Basis = Basis.PLANNED,
    window_end: datetime | None = None,
    job: str | None = "Hardwood deck",
) -> int:
    """A new customer with one follow-up (a customer each keeps the weekly cap out of it)."""
    n = next(_numbers)
    phone = f"+614120{n:05d}" if country == "AU" else f"+1212555{n:04d}"
    with db.unit_of_work() as s:
        lead = add_lead(
            s,
            NewLead(
                name or f"Customer {n}",
                phone=phone,
                email=f"c{n}@example.com",
                country=country,
                timezone=tz,
                job=job,
                answered=True,
            ),
            now=now,
        )
        fu = schedule_follow_up(
            s,
            lead.customer_id,
            lead.quote_id,
            FollowUpPlan(
                due,
                channel,
                reason,
                basis=basis,
                agreed_words="Ring me then" if basis is Basis.AGREED else None,
                window_end=window_end,
            ),
            now=now,
        )
        return fu.id
