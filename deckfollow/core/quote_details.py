"""A quote as the quote dialog and the command line show it, as plain values.

`quotes` reads it through the session; `sqlite_reads` from a SQLite file with sqlite3 alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from deckfollow.core.enums import Stage


@dataclass(frozen=True)
class QuoteDetails:
    """A quote as the quote dialog and the command line show it (read inside a session)."""

    id: int
    customer_id: int
    customer: str
    number: str | None
    job: str
    amount: Decimal | None
    currency: str
    stage: Stage
    sent_on: date | None
    valid_until: date | None
    competing_quotes: int | None
    file: str | None
    version: int
    lost_reason: str | None = None
    parked_until: date | None = None

    def missing_for(self, stage: Stage) -> tuple[str, ...]:
        return missing_details(stage, self.amount, self.sent_on)

    def as_json(self) -> dict[str, Any]:
        """Plain JSON values: money a decimal string beside its currency, never a float."""
        return {
            "id": self.id,
            "customer_id": self.customer_id,
            "customer": self.customer,
            "number": self.number,
            "job": self.job,
            "amount": str(self.amount) if self.amount is not None else None,
            "currency": self.currency,
            "stage": self.stage.value,
            "sent": self.sent_on.isoformat() if self.sent_on else None,
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
            "competing_quotes": self.competing_quotes,
            "file": self.file,
            "lost_reason": self.lost_reason,
            "parked_until": self.parked_until.isoformat() if self.parked_until else None,
        }


def missing_details(stage: Stage, amount: Decimal | None, sent_on: date | None) -> tuple[str, ...]:
    """What a quote in `stage` should have and does not (a lead needs nothing yet)."""
    if stage is Stage.LEAD:
        return ()
    missing = []
    if amount is None:
        missing.append("amount")
    if sent_on is None and stage in (Stage.QUOTED, Stage.FOLLOWING_UP):
        missing.append("sent date")
    return tuple(missing)
