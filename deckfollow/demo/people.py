"""Who the demo business's customers are: names, contact details and where they live."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from deckfollow.core.contact_hours import AllowedHours
from deckfollow.core.enums import (
    Channel,
    ConsentChannel,
    ConsentState,
)
from deckfollow.core.permission import ConsentInfo, ContactSnapshot
from deckfollow.demo.markets import Market


@dataclass
class StoryQuote:
    """A quote's row and what its story needs beyond the row."""

    row: dict[str, Any]
    title: str  # the job's kind in lower case ("hardwood deck"), for reasons and notes
    latest: bool
    visit_at: datetime | None = None
    visit_touch: dict[str, Any] | None = None
    last_touch: datetime | None = None
    first_plan_touch: datetime | None = None
    # How its follow-up went: None (by hand), "running", "stopped" (by the close) or "full"
    # (a lost quote whose whole plan went unanswered).
    after_quote: str | None = None


@dataclass(frozen=True)
class Grant:
    """A yes the customer gave for one channel, entered through the core (`grants`)."""

    at: datetime
    channel: ConsentChannel
    source: str
    words: str


@dataclass(frozen=True)
class Agreement:
    """A next contact the customer agreed to, entered through the core (`in_time_order`)."""

    said: datetime
    customer: Person
    quote_id: int
    due: datetime
    channel: Channel
    reason: str
    source: str
    words: str


@dataclass(frozen=True)
class HandPlan:
    """A next contact the owner planned by hand, entered through the core (`in_time_order`)
    at the moment they planned it."""

    planned: datetime
    customer: Person
    quote_id: int
    due: datetime
    channel: Channel
    reason: str


@dataclass
class Person:
    row: dict[str, Any]
    market: Market
    hours: AllowedHours
    has_email: bool
    has_post: bool
    consent_roll: float
    on_record: bool  # False: an old contact with no consent on record
    dnc: bool = False
    dnc_at: datetime | None = None
    dnc_words: tuple[str, str] | None = None
    # One channel the customer closed: (channel, when, their words, how they said it).
    revoked: tuple[ConsentChannel, datetime, str, str] | None = None
    quotes: list[StoryQuote] = field(default_factory=list)
    # Every yes they gave, in the order given: entered through the core once they exist.
    grants: list[Grant] = field(default_factory=list)
    _snaps: dict[str, ContactSnapshot] = field(default_factory=dict)

    @property
    def id(self) -> int:
        return int(self.row["id"])

    @property
    def tz(self) -> ZoneInfo:
        return self.hours.tz

    def snapshot(self, at: datetime) -> ContactSnapshot:
        """What permission knew about the customer at `at` (before or after they said no)."""
        if self.dnc_at is not None and at >= self.dnc_at:
            kind = "dnc"
        elif self.revoked is not None and at >= self.revoked[1]:
            kind = "revoked"
        else:
            kind = "open"
        snap = self._snaps.get(kind)
        if snap is None:
            consents: dict[ConsentChannel, ConsentInfo] = {}
            dnc_since = dnc_source = None
            if kind == "dnc":
                assert self.dnc_at is not None and self.dnc_words is not None
                dnc_since, dnc_source = self.dnc_at, SOURCE_OF[self.dnc_words[1]]
            if kind != "open" and self.revoked is not None:
                ch, since, words, source = self.revoked
                consents[ch] = ConsentInfo(ConsentState.REVOKED, since, source, words)
            row = self.row
            snap = ContactSnapshot(
                customer_id=self.id,
                name=row["display_name"],
                country=row["country"],
                region=row["region"],
                timezone=row["timezone"],
                contact_hours=row["contact_hours"],
                do_not_contact=kind == "dnc",
                dnc_since=dnc_since,
                dnc_source=dnc_source,
                consents=consents,
                best_times=row["best_times"],
            )
            self._snaps[kind] = snap
        return snap

    def open_at(self, channel: Channel, at: datetime) -> bool:
        """May the owner use `channel` at `at` (not closed by then, and the details exist)?"""
        if channel is Channel.EMAIL and not self.has_email:
            return False
        if channel is Channel.CARD and not self.has_post:
            return False
        if self.dnc_at is not None and at >= self.dnc_at:
            return False
        return not (
            self.revoked is not None
            and self.revoked[0] is channel.consent_channel
            and at >= self.revoked[1]
        )


# How the customer said it, as the app's ledger records it (core.enums.LedgerSource).
SOURCE_OF = {"call": "call", "text": "text", "email": "email"}


def first_contact_source(person: Person) -> str:
    """How the customer first got in touch, as the ledger records it: a form online, or a call."""
    first = person.quotes[0].row["source"] if person.quotes else "call"
    return "web form" if first in ("website form", "Google", "Houzz") else "call"
