"""Test data made the way the owner makes it: through the core's services, one unit of work."""

from __future__ import annotations

from datetime import datetime

from deckfollow.core.leads import LeadCreated, NewLead, add_lead
from deckfollow.storage.database import Database


def new_lead(
    db: Database,
    name: str,
    phone: str | None = None,
    email: str | None = None,
    *,
    now: datetime,
    note: str | None = None,
    job: str | None = None,
    source: str | None = None,
    country: str | None = None,
    timezone: str | None = None,
    answered: bool = False,
    customer_id: int | None = None,
) -> LeadCreated:
    """A lead typed in at `now` (Ctrl+N or `add-lead`), with its first reply planned."""
    lead = NewLead(
        name,
        phone=phone,
        email=email,
        note=note,
        job=job,
        source=source,
        country=country,
        timezone=timezone,
        answered=answered,
        customer_id=customer_id,
    )
    with db.unit_of_work() as session:
        return add_lead(session, lead, now=now)
