"""Every yes a customer gave, entered through the core as the owner enters it.

Each yes is recorded as `core.consent_ledger.grant_channels` records it (through its batch
form, `core.consent_batch.grant_channels_batch`, which checks every yes by the same rules),
at the moment it was given, in the order given (one yes may cover several channels: "call
or text me, email the quote").
The ledger entries and the channels' states are the app's own doing, not rows the demo
writes. Grants come before the refusals (`refusals`), which close channels afterwards
exactly as the consent editor would.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from deckfollow.core.consent_batch import ChannelGrant, grant_channels_batch
from deckfollow.core.enums import ConsentChannel
from deckfollow.demo.people import Grant, Person

_ORDER = {ch: i for i, ch in enumerate(ConsentChannel)}


def grants(people: Sequence[Person]) -> list[tuple[int, Grant]]:
    """Every grant in the business as (customer id, grant), in the order given."""
    given = [(p.id, g) for p in people for g in p.grants]
    given.sort(key=lambda pg: (pg[1].at, pg[0], _ORDER[pg[1].channel]))
    return given


def enter_grants(session: Session, people: Sequence[Person]) -> int:
    """Record each yes through the core; how many ledger entries they made."""
    given = grants(people)
    said: dict[tuple[int, datetime, str, str], list[ConsentChannel]] = {}
    for customer_id, g in given:
        said.setdefault((customer_id, g.at, g.source, g.words), []).append(g.channel)
    grant_channels_batch(
        session,
        [
            ChannelGrant(customer_id, channels, source, words, at)
            for (customer_id, at, source, words), channels in said.items()
        ],
    )
    return len(given)
