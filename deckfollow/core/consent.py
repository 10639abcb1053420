"""Consent services: the ledger, per-channel state, do-not-contact (spec rules 1, 2, 7)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from deckfollow.core.changes import Changes
from deckfollow.core.enums import (
    Channel,
    ConsentChannel,
    ConsentEventKind,
    ConsentState,
    FollowUpStatus,
)
from deckfollow.core.errors import NotFoundError, ValidationError
from deckfollow.core.models import ChannelConsent, ConsentEvent, Customer, FollowUp
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
    )


def _set_state(
    session: Session,
    customer_id: int,
    channel: ConsentChannel,
    state: ConsentState,
    event: ConsentEvent,
) -> None:
    row = session.execute(
        select(ChannelConsent).where(
            ChannelConsent.customer_id == customer_id, ChannelConsent.channel == channel
        )
    ).scalar_one_or_none()
    if row is None:
        row = ChannelConsent(customer_id=customer_id, channel=channel)
        session.add(row)
    row.state = state
    row.since = event.at
    row.source = event.source
    row.words = event.words
    row.event_id = event.id


def append_event(session: Session, event: ConsentEvent) -> ConsentEvent:
    """Add one ledger entry (the ledger is append-only; the database enforces it too)."""
    session.add(event)
    session.flush()
    return event


def grant_consent(
    session: Session,
    customer_id: int,
    channel: ConsentChannel,
    *,
    source: str,
    words: str | None,
    now: datetime,
) -> Changes:
    """Record the customer's yes for a channel; after a refusal their own words are required."""
    customer = get_customer(session, customer_id)
    snap = load_snapshot(session, customer_id)
    reopening = customer.do_not_contact or snap.consent(channel).state is ConsentState.REVOKED
    if reopening and not (words and words.strip()):
        raise ValidationError(
            "words",
            f"{customer.display_name} had said no; record their own words to re-open "
            f"{channel.value} contact",
        )
    event = append_event(
        session,
        ConsentEvent(
            customer_id=customer_id,
            kind=ConsentEventKind.GRANTED,
            channel=channel,
            at=now,
            source=source,
            words=words,
        ),
    )
    _set_state(session, customer_id, channel, ConsentState.GRANTED, event)
    if customer.do_not_contact:
        # A new consent in their words re-opens only that channel; the rest stay revoked.
        customer.do_not_contact = False
        customer.updated_at = now
    return Changes(customers=True, consent=True)


def revoke_consent(
    session: Session,
    customer_id: int,
    channel: ConsentChannel | None,
    *,
    source: str,
    words: str | None,
    now: datetime,
) -> Changes:
    """Revoke one channel, or every channel (do-not-contact) when `channel` is None.

    Pending follow-ups that the revocation covers are cancelled in the same transaction.
    """
    customer = get_customer(session, customer_id)
    kind = ConsentEventKind.REVOKED if channel else ConsentEventKind.DO_NOT_CONTACT
    event = append_event(
        session,
        ConsentEvent(
            customer_id=customer_id, kind=kind, channel=channel, at=now, source=source, words=words
        ),
    )
    channels = [channel] if channel else list(ConsentChannel)
    for ch in channels:
        _set_state(session, customer_id, ch, ConsentState.REVOKED, event)
    covered = [c for c in Channel if c.consent_channel in channels]
    why = "customer asked not to be contacted" if channel is None else f"{channel.value} revoked"
    session.execute(
        update(FollowUp)
        .where(
            FollowUp.customer_id == customer_id,
            FollowUp.status == FollowUpStatus.PENDING,
            FollowUp.channel.in_(covered),
        )
        .values(status=FollowUpStatus.CANCELLED, cancel_reason=why, completed_at=now)
        .execution_options(synchronize_session=False)
    )
    if channel is None:
        customer.do_not_contact = True
    customer.updated_at = now
    return Changes(customers=True, consent=True, follow_ups=True)


def ledger(session: Session, customer_id: int) -> list[ConsentEvent]:
    """The customer's consent ledger, oldest first."""
    return list(
        session.execute(
            select(ConsentEvent)
            .where(ConsentEvent.customer_id == customer_id)
            .order_by(ConsentEvent.at, ConsentEvent.id)
        ).scalars()
    )
