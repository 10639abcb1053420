"""A customer as the rules of permission see them: one live customer, and their snapshot."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from deckfollow.core.customer_gone import customer_not_found
from deckfollow.core.enums import ConsentEventKind
from deckfollow.core.models import ChannelConsent, ConsentEvent, Customer
from deckfollow.core.permission import ConsentInfo, ContactSnapshot

_CHUNK = 5000  # ids per query (SQLite takes at most 32,766 parameters)


def get_customer(session: Session, customer_id: int) -> Customer:
    customer = session.get(Customer, customer_id)
    if customer is None or customer.deleted_at is not None:
        raise customer_not_found(
            customer_id,
            in_trash=customer is not None,
            notes=customer.notes if customer is not None else None,
        )
    return customer


def load_snapshot(session: Session, customer_id: int) -> ContactSnapshot:
    """Everything permission needs about one customer, read in two small queries."""
    c = get_customer(session, customer_id)
    rows = session.execute(
        select(ChannelConsent).where(ChannelConsent.customer_id == customer_id)
    ).scalars()
    dnc = None
    if c.do_not_contact:
        dnc = session.execute(
            select(ConsentEvent)
            .where(
                ConsentEvent.customer_id == customer_id,
                ConsentEvent.kind == ConsentEventKind.DO_NOT_CONTACT,
            )
            .order_by(ConsentEvent.at.desc(), ConsentEvent.id.desc())
            .limit(1)
        ).scalar_one_or_none()
    return snapshot_of(c, rows, dnc)


def snapshot_of(
    c: Customer, consents: Iterable[ChannelConsent], dnc: ConsentEvent | None
) -> ContactSnapshot:
    """A customer's snapshot from their row, channel states and latest "stop" (if any)."""
    return ContactSnapshot(
        customer_id=c.id,
        name=c.display_name,
        country=c.country,
        region=c.region,
        timezone=c.timezone,
        contact_hours=c.contact_hours,
        do_not_contact=c.do_not_contact,
        dnc_since=dnc.at if dnc is not None and c.do_not_contact else None,
        dnc_source=dnc.source if dnc is not None and c.do_not_contact else None,
        consents={r.channel: ConsentInfo(r.state, r.since, r.source, r.words) for r in consents},
        best_times=c.best_times,
    )


def load_snapshots(session: Session, customer_ids: Sequence[int]) -> dict[int, Customer]:
    """Many live customers by id, with what their snapshots need loaded beside them in a
    few queries (`snapshots_of`); the missing and deleted are left out."""
    found: dict[int, Customer] = {}
    for start in range(0, len(customer_ids), _CHUNK):
        chunk = list(customer_ids[start : start + _CHUNK])
        found.update(
            (c.id, c)
            for c in session.execute(
                select(Customer).where(Customer.id.in_(chunk), Customer.deleted_at.is_(None))
            ).scalars()
        )
    return found


def snapshots_of(session: Session, customers: Sequence[Customer]) -> dict[int, ContactSnapshot]:
    """Each customer's snapshot, as `load_snapshot` reads it, in a few queries for all."""
    consents: dict[int, list[ChannelConsent]] = {c.id: [] for c in customers}
    dnc: dict[int, ConsentEvent] = {}
    ids = [c.id for c in customers]
    stopped = [c.id for c in customers if c.do_not_contact]
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        for row in session.execute(
            select(ChannelConsent).where(ChannelConsent.customer_id.in_(chunk))
        ).scalars():
            consents[row.customer_id].append(row)
    for start in range(0, len(stopped), _CHUNK):
        chunk = stopped[start : start + _CHUNK]
        events = session.execute(
            select(ConsentEvent)
            .where(
                ConsentEvent.customer_id.in_(chunk),
                ConsentEvent.kind == ConsentEventKind.DO_NOT_CONTACT,
            )
            .order_by(ConsentEvent.at.desc(), ConsentEvent.id.desc())
        ).scalars()
        for ev in events:
            dnc.setdefault(ev.customer_id, ev)  # the latest comes first
    return {c.id: snapshot_of(c, consents[c.id], dnc.get(c.id)) for c in customers}
