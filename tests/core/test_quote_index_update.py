"""The quote index takes the rows a change names instead of being read again whole."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from deckfollow.core.board import load_index_update, load_quote_index
from deckfollow.core.changes import EVERYTHING, Changes
from deckfollow.core.customer_merge import merge_customers
from deckfollow.core.customers import update_customer
from deckfollow.core.enums import Channel, Direction, Outcome, Stage
from deckfollow.core.followups import FollowUpPlan, schedule_follow_up
from deckfollow.core.leads import LeadCreated, NewLead, add_lead
from deckfollow.core.models import Customer
from deckfollow.core.pipeline import move_stage
from deckfollow.core.quote_index import (
    QuoteFilter,
    QuoteIndex,
    QuoteRow,
    Reread,
    SortKey,
    rows_to_reread,
)
from deckfollow.core.quotes import QuoteEdit, change_stage, edit_quote
from deckfollow.core.touches import TouchRecord, log_touch
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


def _same_as_a_full_read(index: QuoteIndex, db: Database, now: datetime, step: str) -> None:
    """Rows, board columns (cards in order, totals) and what each search and order finds:
    all as a fresh read of the whole file gives them."""
    with db.reading() as s:
        full = load_quote_index(s, now=now)
    assert sorted(index.rows, key=lambda r: r.quote_id) == sorted(
        full.rows, key=lambda r: r.quote_id
    ), step
    assert index.board() == full.board(), step
    for flt in _ASKED:
        mine = [r.quote_id for r in index.select(flt)]
        assert mine == [r.quote_id for r in full.select(flt)], f"{step}: {flt}"


_ASKED = [
    QuoteFilter(),
    QuoteFilter(sort=SortKey.AMOUNT, descending=False),
    QuoteFilter(sort=SortKey.AMOUNT),
    QuoteFilter(sort=SortKey.CUSTOMER, descending=False),
    QuoteFilter(sort=SortKey.NEXT_FOLLOW_UP, descending=False),
    QuoteFilter(text="o"),
    QuoteFilter(text="kirra"),
    QuoteFilter(text="ro", sort=SortKey.AMOUNT),
    QuoteFilter(text="zo"),
    QuoteFilter(text="mia 04"),
    QuoteFilter(text="0499 111", sort=SortKey.CUSTOMER, descending=False),
    QuoteFilter(text="(04) 99111222"),
    QuoteFilter(text="+61 499-111-222"),
    QuoteFilter(text="0412"),
    QuoteFilter(stages=frozenset({Stage.QUOTED})),
]


def test_a_day_of_changes_taken_row_by_row_reads_as_the_whole_file(
    db: Database, now: datetime
) -> None:
    """Stage moves, edits of amount, name and phone, a new lead, a call logged, a merge and
    deletes, each saved through the core and taken into the index by the rows its changes
    name: after each, the index is what a full read gives."""
    people = [
        _lead(db, now, name, phone)
        for name, phone in [
            ("Mia Chen", "0412 345 678"),
            ("Bob Ortiz", "0413 222 333"),
            ("Ann Ray", "0414 555 666"),
            ("Kirra Moss", "0416 101 202"),
            ("Mia Chen", "0417 303 404"),  # another Mia, merged into the first below
        ]
    ]
    mia, bob, ann, kirra, mia2 = people
    assert all(p.quote_id is not None for p in people)
    with db.reading() as s:
        index = load_quote_index(s, now=now)
    for flt in _ASKED:  # orders and searches worked out, as the list has them
        index.select(flt)
    index.prepare_search()
    index.board()
    _same_as_a_full_read(index, db, now, "as read")

    def saved(step: str, op: Callable[[Session], Changes]) -> None:
        with db.unit_of_work() as s:
            changes = op(s)
        reread = rows_to_reread(changes)
        assert reread is not None, f"{step}: the change names its rows"
        with db.reading() as s:
            swapped = index.apply_update(load_index_update(s, now=now, reread=reread))
        assert swapped.quote_ids, step
        _same_as_a_full_read(index, db, now, step)

    def qid(lead: LeadCreated) -> int:
        assert lead.quote_id is not None
        return lead.quote_id

    quoted = QuoteEdit(amount=Decimal("4200.00"), sent_on=now.date() - timedelta(days=1))
    saved(
        "Mia's card dragged to Quoted, with its amount",
        lambda s: change_stage(s, qid(mia), Stage.QUOTED, now=now, fill=quoted).changes,
    )
    saved(
        "Bob's quoted",
        lambda s: change_stage(s, qid(bob), Stage.QUOTED, now=now, fill=quoted).changes,
    )
    saved(
        "Mia's amount edited",
        lambda s: (
            edit_quote(
                s, qid(mia), QuoteEdit(amount=Decimal("3900.50")), version=None, now=now
            ).changes
        ),
    )
    saved(
        "Bob renamed",
        lambda s: update_customer(s, bob.customer_id, {"display_name": "Robert Ortiz"}, now=now),
    )
    saved(
        "Kirra's number changed",
        lambda s: update_customer(s, kirra.customer_id, {"phone_cell": "0499 111 222"}, now=now),
    )
    call = TouchRecord(
        customer_id=mia.customer_id,
        channel=Channel.CALL,
        direction=Direction.OUTBOUND,
        outcome=Outcome.REACHED,
        at=now - timedelta(minutes=5),
        quote_id=qid(mia),
    )
    plan = FollowUpPlan(due_at=now + timedelta(days=2), channel=Channel.CALL, reason="Check in")
    saved("a call to Mia logged, a call planned", lambda s: log_touch(s, call, plan, now=now))
    zoe = _lead(db, now, "Zoë Müller", "0415 777 888")
    saved("a new lead", lambda s: zoe.changes)
    saved(
        "Bob won",
        lambda s: change_stage(s, qid(bob), Stage.WON, now=now).changes,
    )
    saved(
        "Ann lost",
        lambda s: change_stage(s, qid(ann), Stage.LOST, now=now, lost_reason="Price").changes,
    )
    saved(
        "the second Mia merged into the first",
        lambda s: merge_customers(s, mia.customer_id, mia2.customer_id, now=now).changes,
    )
    saved("Zoë's quote deleted", lambda s: trash_quote(s, qid(zoe), now=now))
    saved("Kirra deleted", lambda s: trash_customer(s, kirra.customer_id, now=now))
    assert not index.select(QuoteFilter(text="kirra")), "a deleted customer's quotes left"
    found = {r.customer for r in index.select(QuoteFilter(text="mia"))}
    assert found == {"Mia Chen"} and len(index.select(QuoteFilter(text="mia"))) == 2
