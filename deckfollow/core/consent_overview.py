"""What the consent editor shows for one customer, as plain values made from their snapshot.

`consent.consent_overview` reads it through the session; `sqlite_reads` from a SQLite file with
sqlite3 alone. Both build it here, so both show the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from deckfollow.core.enums import Channel, ConsentChannel, ConsentState
from deckfollow.core.permission import ContactSnapshot


@dataclass(frozen=True)
class ChannelState:
    channel: ConsentChannel
    state: ConsentState
    since: datetime | None
    source: str | None
    words: str | None


@dataclass(frozen=True)
class ConsentOverview:
    """Everything the consent editor shows for one customer."""

    customer_id: int
    name: str
    country: str
    timezone: str
    contact_hours: str | None
    best_times: str | None
    preferred_channel: Channel | None
    do_not_contact: bool
    channels: tuple[ChannelState, ...]
    effective_hours: str


def overview_of(snap: ContactSnapshot, preferred_channel: Channel | None) -> ConsentOverview:
    """The overview of the customer `snap` describes."""
    channels = tuple(
        ChannelState(ch, info.state, info.since, info.source, info.words)
        for ch in ConsentChannel
        for info in [snap.consent(ch)]
    )
    return ConsentOverview(
        customer_id=snap.customer_id,
        name=snap.name,
        country=snap.country,
        timezone=snap.timezone,
        contact_hours=snap.contact_hours,
        best_times=snap.best_times,
        preferred_channel=preferred_channel,
        do_not_contact=snap.do_not_contact,
        channels=channels,
        effective_hours=snap.hours.hours.description or "any time",
    )
