"""One customer as plain data (their details, quotes and how much has happened with them):
what the customer panel, `customer show` and merge show.

`customers` reads it through the session; `sqlite_reads` from a SQLite file with sqlite3 alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from deckfollow.core.enums import Stage


@dataclass(frozen=True)
class QuoteSummary:
    id: int
    number: str | None
    job: str
    stage: Stage
    amount: str | None  # exact decimal as text, with `currency` beside it
    currency: str
    received_at: datetime


@dataclass(frozen=True)
class CustomerDetails:
    """One customer as plain data: what the panel, `customer show` and merge show."""

    id: int
    version: int
    name: str
    company: str | None
    phone_cell: str | None
    phone_office: str | None
    phone_home: str | None
    email: str | None
    street: str | None
    suburb: str | None
    region: str | None
    postcode: str | None
    country: str
    timezone: str
    birthday: date | None
    notes: str | None
    do_not_contact: bool
    created_at: datetime
    updated_at: datetime
    quotes: tuple[QuoteSummary, ...]
    touches: int
    follow_ups: int
    last_touch_at: datetime | None

    @property
    def phones(self) -> tuple[str, ...]:
        return tuple(p for p in (self.phone_cell, self.phone_office, self.phone_home) if p)

    @property
    def address_lines(self) -> tuple[str, ...]:
        """The postal address as it goes on an envelope (empty parts left out)."""
        town = " ".join(p for p in (self.suburb, self.region, self.postcode) if p)
        return tuple(p for p in (self.street, town) if p)

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "version": self.version,
            "name": self.name,
            "company": self.company,
            "phone_cell": self.phone_cell,
            "phone_office": self.phone_office,
            "phone_home": self.phone_home,
            "email": self.email,
            "street": self.street,
            "suburb": self.suburb,
            "region": self.region,
            "postcode": self.postcode,
            "country": self.country,
            "timezone": self.timezone,
            "birthday": self.birthday.isoformat() if self.birthday else None,
            "notes": self.notes,
            "do_not_contact": self.do_not_contact,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "touches": self.touches,
            "follow_ups": self.follow_ups,
            "last_touch_at": self.last_touch_at.isoformat() if self.last_touch_at else None,
            "quotes": [
                {
                    "id": q.id,
                    "number": q.number,
                    "job": q.job,
                    "stage": q.stage.value,
                    "amount": q.amount,
                    "currency": q.currency,
                    "received_at": q.received_at.isoformat(),
                }
                for q in self.quotes
            ],
        }
