"""The consent ledger: append-only entries, the per-channel state they give, and a yes.

Every consent change is a ledger entry (spec rule 7); the current state of each channel is
projected from it. Granting consent lives here because it touches nothing but the ledger;
revoking (which cancels follow-ups and stops cadences) is in `core.consent`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from deckfollow.core import limits
from deckfollow.core.changes import Changes
from deckfollow.core.contact_snapshot import get_customer
from deckfollow.core.enums import ConsentChannel, ConsentEventKind, ConsentState
from deckfollow.core.errors import ValidationError
from deckfollow.core.models import ChannelConsent, ConsentEvent


def set_channel_state(
    session: Session,
    customer_id: int,
    channel: ConsentChannel,
    state: ConsentState,
    event: ConsentEvent,
) -> None:
    """Set a channel's current state from the ledger entry that changed it."""
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
    return grant_channels(session, customer_id, (channel,), source=source, words=words, now=now)


def grant_channels(
    session: Session,
    customer_id: int,
    channels: Sequence[ConsentChannel],
    *,
    source: str,
    words: str | None,
    now: datetime,
) -> Changes:
    """Record one yes that covers several channels ("call or text me, email the quote"):
    a ledger entry per channel, each channel granted, checked and read once."""
    customer = get_customer(session, customer_id)
    require_source(source)
    if not channels:
        raise ValidationError("channel", "choose at least one channel")
    current = {
        row.channel: row
        for row in session.execute(
            select(ChannelConsent).where(ChannelConsent.customer_id == customer_id)
        ).scalars()
    }
    reopened = [
        ch
        for ch in channels
        if customer.do_not_contact or (ch in current and current[ch].state is ConsentState.REVOKED)
    ]
    if reopened and not (words and words.strip()):
        raise ValidationError(
            "words",
            f"{customer.display_name} had said no; record their own words to re-open "
            f"{reopened[0].value} contact",
        )
    if not (words and words.strip()):
        # The ledger is evidence: a yes is kept in the customer's own words.
        raise ValidationError("words", "record what the customer said when they agreed")
    limits.check_length("words", words, limits.WORDS)
    events = [
        ConsentEvent(
            customer_id=customer_id,
            kind=ConsentEventKind.GRANTED,
            channel=ch,
            at=now,
            source=source,
            words=words,
        )
        for ch in dict.fromkeys(channels)
    ]
    session.add_all(events)
    session.flush()  # the channel states refer to their entries
    for event in events:
        assert event.channel is not None
        row = current.get(event.channel)
        if row is None:
            row = ChannelConsent(customer_id=customer_id, channel=event.channel)
            session.add(row)
        row.state = ConsentState.GRANTED
        row.since = event.at
        row.source = event.source
        row.words = event.words
        row.event_id = event.id
    if customer.do_not_contact:
        # A new consent in their words re-opens only these channels; the rest stay revoked.
        customer.do_not_contact = False
        customer.updated_at = now
    return Changes(customers=True, consent=True)


def require_source(source: str) -> None:
    """How the customer told us is part of the evidence: required, and of a sane length."""
    if not (source and source.strip()):
        raise ValidationError("source", 'say how the customer told you (e.g. "phone call")')
    limits.check_length("source", source.strip(), limits.SOURCE)


def ledger(session: Session, customer_id: int) -> list[ConsentEvent]:
    """The customer's consent ledger, oldest first."""
    return list(
        session.execute(
            select(ConsentEvent)
            .where(ConsentEvent.customer_id == customer_id)
            .order_by(ConsentEvent.at, ConsentEvent.id)
        ).scalars()
    )


@dataclass(frozen=True)
class LedgerEntry:
    """One ledger entry as plain data (for views and evidence exports)."""

    id: int
    at: datetime
    kind: ConsentEventKind
    channel: ConsentChannel | None
    source: str
    words: str | None
    detail: str | None
    follow_up_id: int | None
    recorded_by: str | None

    @property
    def channel_label(self) -> str:
        return self.channel.value if self.channel else "all channels"

    @property
    def kind_label(self) -> str:
        return _KIND_LABELS[self.kind]


_KIND_LABELS = {
    ConsentEventKind.GRANTED: "Consent given",
    ConsentEventKind.REVOKED: "Consent revoked",
    ConsentEventKind.DO_NOT_CONTACT: "Do not contact",
    ConsentEventKind.AGREED_FOLLOW_UP: "Agreed follow-up",
    ConsentEventKind.HOURS_CHANGED: "Contact hours changed",
    ConsentEventKind.CUSTOMER_MERGED: "Records merged",
}


def ledger_entries(session: Session, customer_id: int) -> list[LedgerEntry]:
    """The customer's consent ledger, oldest first, as plain dataclasses."""
    return [
        LedgerEntry(
            e.id,
            e.at,
            e.kind,
            e.channel,
            e.source,
            e.words,
            e.detail,
            e.follow_up_id,
            e.recorded_by,
        )
        for e in ledger(session, customer_id)
    ]


def project_ledger(session: Session, customer_id: int) -> None:
    """Rebuild the current per-channel state and the do-not-contact flag from the ledger."""
    customer = get_customer(session, customer_id)
    dnc = False
    last: dict[ConsentChannel, tuple[ConsentState, ConsentEvent]] = {}
    for ev in ledger(session, customer_id):
        if ev.kind is ConsentEventKind.DO_NOT_CONTACT:
            dnc = True
            for ch in ConsentChannel:
                last[ch] = (ConsentState.REVOKED, ev)
        elif ev.kind is ConsentEventKind.REVOKED and ev.channel is not None:
            last[ev.channel] = (ConsentState.REVOKED, ev)
        elif ev.kind is ConsentEventKind.GRANTED and ev.channel is not None:
            last[ev.channel] = (ConsentState.GRANTED, ev)
            dnc = False
    for ch, (state, ev) in last.items():
        set_channel_state(session, customer_id, ch, state, ev)
    customer.do_not_contact = dnc


def last_event(session: Session, customer_id: int) -> ConsentEvent:
    """The customer's newest ledger entry."""
    return session.execute(
        select(ConsentEvent)
        .where(ConsentEvent.customer_id == customer_id)
        .order_by(ConsentEvent.id.desc())
        .limit(1)
    ).scalar_one()
