"""Recording many yeses in one unit of work, each exactly as `grant_channels` records one.

History entered at once (an import of a business's past, the sample business) gives
thousands of yeses; recorded one by one, each reads its customer and their channels and
flushes twice. Here the customers and their channels are read in a few queries, every
yes is checked by the same rules in the order given, and the ledger entries and the
channels' states are stored in two flushes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from deckfollow.core import limits
from deckfollow.core.changes import Changes
from deckfollow.core.consent_ledger import require_source
from deckfollow.core.enums import ConsentChannel, ConsentEventKind, ConsentState
from deckfollow.core.errors import NotFoundError, ValidationError
from deckfollow.core.models import ChannelConsent, ConsentEvent, Customer

_CHUNK = 5000  # ids per query (SQLite takes at most 32,766 parameters)


@dataclass(frozen=True)
class ChannelGrant:
    """One yes: the customer, the channels it covers, how and in what words, and when."""

    customer_id: int
    channels: Sequence[ConsentChannel]
    source: str
    words: str | None
    at: datetime


def grant_channels_batch(session: Session, grants: Sequence[ChannelGrant]) -> Changes:
    """Record the yeses in the order given, as `grant_channels` would one after another.

    A bad one raises ValidationError naming the field and which yes of the batch it is
    (the first is 1); nothing of the batch is kept (the caller's unit of work rolls back).
    """
    if not grants:
        return Changes()
    ids = sorted({g.customer_id for g in grants})
    customers: dict[int, Customer] = {}
    states: dict[tuple[int, ConsentChannel], ChannelConsent] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        customers.update(
            (c.id, c)
            for c in session.execute(select(Customer).where(Customer.id.in_(chunk))).scalars()
        )
        states.update(
            ((row.customer_id, row.channel), row)
            for row in session.execute(
                select(ChannelConsent).where(ChannelConsent.customer_id.in_(chunk))
            ).scalars()
        )
    # Each yes is checked against the channels as the ones before it in the batch left them.
    revoked = {key for key, row in states.items() if row.state is ConsentState.REVOKED}
    stopped = {cid for cid, c in customers.items() if c.do_not_contact}
    events: list[ConsentEvent] = []
    reopened_at: dict[int, datetime] = {}
    for number, g in enumerate(grants, start=1):
        try:
            customer = customers.get(g.customer_id)
            if customer is None or customer.deleted_at is not None:
                raise NotFoundError(f"no customer with id {g.customer_id}")
            _check(customer, g, stopped, revoked)
        except ValidationError as exc:
            raise ValidationError(exc.field, f"yes {number}: {exc.message}") from exc
        for ch in dict.fromkeys(g.channels):
            revoked.discard((g.customer_id, ch))
            events.append(
                ConsentEvent(
                    customer_id=g.customer_id,
                    kind=ConsentEventKind.GRANTED,
                    channel=ch,
                    at=g.at,
                    source=g.source,
                    words=g.words,
                )
            )
        if g.customer_id in stopped:
            stopped.discard(g.customer_id)
            reopened_at[g.customer_id] = g.at
    session.add_all(events)
    session.flush()  # the channel states refer to their entries
    for event in events:  # in order: each channel ends as its latest yes left it
        assert event.channel is not None
        key = (event.customer_id, event.channel)
        row = states.get(key)
        if row is None:
            row = ChannelConsent(customer_id=event.customer_id, channel=event.channel)
            session.add(row)
            states[key] = row
        row.state = ConsentState.GRANTED
        row.since = event.at
        row.source = event.source
        row.words = event.words
        row.event_id = event.id
    for cid, at in reopened_at.items():
        # A new consent in their words re-opens only these channels; the rest stay revoked.
        customers[cid].do_not_contact = False
        customers[cid].updated_at = at
    session.flush()
    return Changes(customers=True, consent=True)


def _check(
    customer: Customer,
    g: ChannelGrant,
    stopped: set[int],
    revoked: set[tuple[int, ConsentChannel]],
) -> None:
    """The checks of `grant_channels`, in its order and words."""
    require_source(g.source)
    if not g.channels:
        raise ValidationError("channel", "choose at least one channel")
    reopened = [
        ch for ch in g.channels if g.customer_id in stopped or (g.customer_id, ch) in revoked
    ]
    if reopened and not (g.words and g.words.strip()):
        raise ValidationError(
            "words",
            f"{customer.display_name} had said no; record their own words to re-open "
            f"{reopened[0].value} contact",
        )
    if not (g.words and g.words.strip()):
        # The ledger is evidence: a yes is kept in the customer's own words.
        raise ValidationError("words", "record what the customer said when they agreed")
    limits.check_length("words", g.words, limits.WORDS)
