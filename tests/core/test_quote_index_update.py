"""The quote index takes the rows a change names instead of being read again whole."""

from __future__ import annotations

from datetime import datetime, timedelta

from deckfollow.core.board import load_index_update, load_quote_index
from deckfollow.core.changes import EVERYTHING, Changes
from deckfollow.core.enums import Channel, Stage
from deckfollow.core.followups import FollowUpPlan, schedule_follow_up
from deckfollow.core.leads import LeadCreated, NewLead, add_lead
from deckfollow.core.models import Customer
from deckfollow.core.pipeline import move_stage
from deckfollow.core.quote_index import QuoteFilter, QuoteRow, Reread, rows_to_reread
from deckfollow.core.trash import trash_customer, trash_quote
from deckfollow.storage.database import Database


def _lead(db: Database, now: datetime, name: str, phone: str) -> LeadCreated:
    with db.unit_of_work() as s:
        lead = NewLead(name=name, phone=phone, job="Deck", country="AU",
                       timezone="Australia/Sydney", answered=True)  # fmt: skip
        return add_lead(s, lead, now=now - timedelta(days=3))


def _full(db: Database, now: datetime) -> list[QuoteRow]:
    with db.reading() as s:
        return sorted(load_quote_index(s, now=now).rows, key=lambda r: r.quote_id)


def test_an_update_leaves_the_index_as_a_full_read_would(db: Database, now: datetime) -> None:
    mia = _lead(db, now, "Mia Chen", "0412 345 678")
    bob = _lead(db, now, "Bob Ortiz", "0413 222 333")
    ann = _lead(db, now, "Ann Ray", "0414 555 666")
    with db.reading() as s:
        index = load_quote_index(s, now=now)
    assert {r.quote_id for r in index.select(QuoteFilter(text="mia"))} == {mia.quote_id}
    assert mia.quote_id and bob.quote_id and ann.quote_id
    with db.unit_of_work() as s:
        move_stage(s, mia.quote_id, Stage.QUOTED, now=now)
        plan = FollowUpPlan(due_at=now + timedelta(days=1), channel=Channel.CALL, reason="Ask")
        schedule_follow_up(s, mia.customer_id, mia.quote_id, plan, now=now)
        customer = s.get(Customer, bob.customer_id)
        assert customer is not None
        customer.display_name = "Robert Ortiz"
        trash_quote(s, ann.quote_id, now=now)
    zoe = _lead(db, now, "Zoë Müller", "0415 777 888")
    assert zoe.quote_id is not None
    changes = Changes(
        quotes=True,
        follow_ups=True,
        customers=True,
        quote_ids=frozenset({mia.quote_id, ann.quote_id, zoe.quote_id}),
        customer_ids=frozenset({bob.customer_id}),
    )
    reread = rows_to_reread(changes)
    assert reread is not None
    with db.reading() as s:
        index.apply_update(load_index_update(s, now=now, reread=reread))
    assert sorted(index.rows, key=lambda r: r.quote_id) == _full(db, now)
    found = {r.quote_id for r in index.select(QuoteFilter(text="robert"))}
    assert found == {bob.quote_id}, "the search text follows the new name"
    assert not index.select(QuoteFilter(text="ray")), "the trashed quote left the list"
    assert {r.quote_id for r in index.select(QuoteFilter(text="0415 777"))} == {zoe.quote_id}


def test_a_customer_trashed_takes_their_quotes_out_of_the_index(
    db: Database, now: datetime
) -> None:
    mia = _lead(db, now, "Mia Chen", "0412 345 678")
    _lead(db, now, "Bob Ortiz", "0413 222 333")
    with db.reading() as s:
        index = load_quote_index(s, now=now)
    with db.unit_of_work() as s:
        trash_customer(s, mia.customer_id, now=now)
    reread = rows_to_reread(Changes(customers=True, customer_ids=frozenset({mia.customer_id})))
    assert reread == Reread(customer_ids=frozenset({mia.customer_id}))
    with db.reading() as s:
        index.apply_update(load_index_update(s, now=now, reread=reread))
    assert sorted(index.rows, key=lambda r: r.quote_id) == _full(db, now)
    assert [r.customer for r in index.rows] == ["Bob Ortiz"]


def test_what_a_change_makes_stale() -> None:
    assert rows_to_reread(Changes(consent=True)) == Reread(), "consent: no row shows it"
    assert rows_to_reread(Changes(quotes=True)) is None, "which quotes, unsaid: read all"
    assert rows_to_reread(Changes(customers=True)) is None
    assert rows_to_reread(Changes(settings=True)) is None
    assert rows_to_reread(EVERYTHING) is None
    named = Changes(touches=True, quote_ids=frozenset({4}))
    assert rows_to_reread(named) == Reread(quote_ids=frozenset({4}))
