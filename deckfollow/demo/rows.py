"""A touch as the demo tells it, before it is logged through the core (`touches_logged`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from deckfollow.core.enums import (
    Channel,
    Direction,
    Outcome,
)
from deckfollow.demo.people import Person


def touch_row(
    person: Person,
    quote_id: int | None,
    at: datetime,
    channel: Channel,
    direction: Direction,
    outcome: Outcome,
    summary: str,
    subject: str | None = None,
    follow_up_id: int | None = None,
) -> dict[str, Any]:
    return {
        "customer_id": person.id,
        "quote_id": quote_id,
        "follow_up_id": follow_up_id,
        "at": at,
        "channel": channel,
        "direction": direction,
        "outcome": outcome,
        "subject": subject,
        "summary": summary,
        "created_at": at,
    }
