"""Recording many yeses at once leaves the ledger and the channels exactly as recording them
one by one does, and refuses what one by one refuses."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from deckfollow.core.consent import revoke_consent
from deckfollow.core.consent_batch import ChannelGrant, grant_channels_batch
from deckfollow.core.consent_ledger import grant_channels
from deckfollow.core.customers import NewCustomer, add_customer
from deckfollow.core.enums import ConsentChannel
from deckfollow.core.errors import ValidationError
from deckfollow.core.models import ChannelConsent, ConsentEvent, Customer
from deckfollow.storage.database import Database, open_database

CALL, TEXT, EMAIL, POST = (
    ConsentChannel.CALL,
    ConsentChannel.TEXT,
    ConsentChannel.EMAIL,
    ConsentChannel.POST,
)


def _business(path: Path, now: datetime) -> tuple[Database, list[int]]:
    """Three customers: one new, one who closed texts, one who said stop to everything."""
    db = open_database(str(path))
    with db.unit_of_work() as s:
        ids = [
            add_customer(s, NewCustomer(name=name, phone=phone, country="AU"), now=now).customer_id
            for name, phone in (
                ("Mia Chen", "0412 345 679"),
                ("Jack Hall", "0413 222 101"),
                ("Ava Brooks", "0414 555 019"),
            )
        ]
        later = now + timedelta(hours=1)
        revoke_consent(s, ids[1], TEXT, source="text", words="No texts please", now=later)
        revoke_consent(s, ids[2], None, source="call", words="Take me off", now=later)
    return db, ids


def _grants(ids: list[int], now: datetime) -> list[ChannelGrant]:
    mia, jack, ava = ids
    at = now + timedelta(days=1)
    return [
        ChannelGrant(
            mia, (CALL, TEXT, EMAIL, CALL), "web form", "Call or text, email the quote", at
        ),
        ChannelGrant(jack, (TEXT,), "call", "Texts are fine again", at + timedelta(hours=1)),
        ChannelGrant(mia, (POST,), "web form", "Happy to get a card", at + timedelta(hours=2)),
        ChannelGrant(
            ava, (CALL,), "call", "You can ring me about the deck", at + timedelta(hours=3)
        ),
        ChannelGrant(mia, (TEXT,), "text", "Text me on the day", at + timedelta(hours=4)),
    ]


def _seen(db: Database) -> tuple[list[Any], list[Any], list[Any]]:
    with db.reading() as s:
        events = s.execute(select(ConsentEvent).order_by(ConsentEvent.id)).scalars().all()
        order = {e.id: i for i, e in enumerate(events)}
        ledger = [(e.customer_id, e.kind, e.channel, e.at, e.source, e.words) for e in events]
        states = sorted(
            (
                c.customer_id,
                c.channel.value,
                c.state,
                c.since,
                c.source,
                c.words,
                order.get(c.event_id or 0),
            )
            for c in s.execute(select(ChannelConsent)).scalars()
        )
        people = [
            (c.id, c.do_not_contact, c.updated_at)
            for c in s.execute(select(Customer).order_by(Customer.id)).scalars()
        ]
    return ledger, states, people


def test_a_batch_of_yeses_is_the_same_as_each_recorded_alone(tmp_path: Path, now: datetime) -> None:
    (tmp_path / "one").mkdir()
    (tmp_path / "batch").mkdir()
    alone, ids = _business(tmp_path / "one" / "d.db", now)
    with alone.unit_of_work() as s:
        for g in _grants(ids, now):
            grant_channels(s, g.customer_id, g.channels, source=g.source, words=g.words, now=g.at)
    together, ids_again = _business(tmp_path / "batch" / "d.db", now)
    assert ids_again == ids
    with together.unit_of_work() as s:
        grant_channels_batch(s, _grants(ids, now))
    one, batch = _seen(alone), _seen(together)
    alone.close()
    together.close()
    assert one == batch
    ledger, states, people = batch
    # Texts re-opened for Jack; Ava's call re-opened in her words and the rest still closed.
    assert (ids[2], False) in [(cid, dnc) for cid, dnc, _ in people]
    assert sum(1 for s in states if s[0] == ids[2] and s[2].value == "granted") == 1
    assert len(ledger) > 8


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"words": " "}, "words"),
        ({"source": ""}, "source"),
        ({"channels": ()}, "channel"),
    ],
)
def test_a_bad_yes_is_refused_naming_which_and_nothing_is_kept(
    tmp_path: Path, now: datetime, bad: dict[str, Any], field: str
) -> None:
    db, ids = _business(tmp_path / "d.db", now)
    grants = _grants(ids, now)
    grants[1] = replace(grants[1], **bad)
    before = _seen(db)
    with pytest.raises(ValidationError) as refused, db.unit_of_work() as s:
        grant_channels_batch(s, grants)
    assert refused.value.field == field
    assert refused.value.message.startswith("yes 2: ")
    assert _seen(db) == before
    db.close()
