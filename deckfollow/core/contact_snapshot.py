"""A customer as the rules of permission see them: one live customer, and their snapshot."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from deckfollow.core.enums import ConsentEventKind
from deckfollow.core.errors import NotFoundError
from deckfollow.core.models import ChannelConsent, ConsentEvent, Customer
from deckfollow.core.permission import ConsentInfo, ContactSnapshot


def get_customer(session: Session, customer_id: int) -> Customer:
    customer = session.get(Customer, customer_id)
    if customer is None or customer.deleted_at is not None:
        raise NotFoundError(f"no customer with id {customer_id}")
    return customer


def load_snapshot(session: Session, customer_id: int) -> ContactSnapshot:
    """Everything permission needs about one customer, read in two small queries."""
    c = get_customer(session, customer_id)
    rows = session.execute(
        select(ChannelConsent).where(ChannelConsent.customer_id == customer_id)
    ).scalars()
    consents = {r.channel: ConsentInfo(r.state, r.since, r.source, r.words) for r in rows}
    dnc_since = dnc_source = None
    if c.do_not_contact:
        ev = session.execute(
            select(ConsentEvent)
            .where(
                ConsentEvent.customer_id == customer_id,
                ConsentEvent.kind == ConsentEventKind.DO_NOT_CONTACT,
            )
            .order_by(ConsentEvent.at.desc(), ConsentEvent.id.desc())
            .limit(1)
        ).scalar_one_or_none()
        if ev is not None:
            dnc_since, dnc_source = ev.at, ev.source
    return ContactSnapshot(
        customer_id=c.id,
        name=c.display_name,
        country=c.country,
        region=c.region,
        timezone=c.timezone,
        contact_hours=c.contact_hours,
        do_not_contact=c.do_not_contact,
        dnc_since=dnc_since,
        dnc_source=dnc_source,
        consents=consents,
        best_times=c.best_times,
    )
