"""Customers who asked not to be contacted, marked so through the core as the owner does.

Each goes through `core.consent.revoke_consent` (every channel) at the moment they said
it, in the order they said it: the ledger entry, every channel closed, anything pending
cancelled and their plans stopped are the app's own doing, not rows the demo writes.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from deckfollow.core.consent import revoke_consent
from deckfollow.demo.people import SOURCE_OF, Person


def enter_do_not_contact(session: Session, people: Sequence[Person]) -> int:
    """Mark each customer who said "stop" as do-not-contact; how many there were."""
    said = sorted((p for p in people if p.dnc_at is not None), key=lambda p: (p.dnc_at, p.id))
    for person in said:
        assert person.dnc_at is not None and person.dnc_words is not None
        words, way = person.dnc_words
        revoke_consent(
            session, person.id, None, source=SOURCE_OF[way], words=words, now=person.dnc_at
        )
    return len(said)
