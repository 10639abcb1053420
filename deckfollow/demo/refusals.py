"""Customers who said no, to one channel or to everything, entered through the core as
the owner enters it.

Each refusal goes through `core.consent.revoke_consent` at the moment it was said, in
time order with what else customers said (`in_time_order`): the ledger entry, the
channels closed, anything pending on them cancelled and plans stopped or moved are the
app's own doing, not rows the demo writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from deckfollow.core.consent import revoke_consent
from deckfollow.core.enums import ConsentChannel
from deckfollow.demo.people import SOURCE_OF, Person


@dataclass(frozen=True)
class Refusal:
    at: datetime
    customer_id: int
    channel: ConsentChannel | None  # None: do not contact at all
    source: str
    words: str


def closings(p: Person) -> list[Refusal]:
    """One customer's refusals (a channel, everything), as their story decided them."""
    said = []
    if p.revoked is not None:
        channel, at, words, source = p.revoked
        said.append(Refusal(at, p.id, channel, source, words))
    if p.dnc_at is not None:
        assert p.dnc_words is not None
        words, way = p.dnc_words
        said.append(Refusal(p.dnc_at, p.id, None, SOURCE_OF[way], words))
    return said


def refusals(people: Sequence[Person]) -> list[Refusal]:
    """Every refusal in the business, in the order they were said."""
    said = [r for p in people for r in closings(p)]
    said.sort(key=lambda r: (r.at, r.customer_id, r.channel is None))
    return said


def enter_refusal(session: Session, r: Refusal) -> None:
    """Record one refusal through the core, at the moment it was said."""
    revoke_consent(session, r.customer_id, r.channel, source=r.source, words=r.words, now=r.at)
