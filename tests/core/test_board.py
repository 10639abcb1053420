"""The board and the quote list: what a user sees when they look for a quote."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from deckfollow.core.board import load_quote_index
from deckfollow.core.enums import Basis, Channel, Stage
from deckfollow.core.followups import FollowUpPlan, schedule_follow_up
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.models import Quote
from deckfollow.core.pipeline import Close, close_quote, move_stage
from deckfollow.core.quote_index import QuoteFilter, SortKey
from deckfollow.storage.database import Database


@pytest.fixture
def shop(db: Database, now: datetime) -> dict[str, int]:
    """Three customers with quotes in different states."""
    ids: dict[str, int] = {}
    with db.unit_of_work() as s:
        mia = add_lead(
            s,
            NewLead(
                name="Mia Chen",
                phone="0412 345 678",
                email="mia@example.com",
                job="Hardwood deck",
                country="AU",
                timezone="Australia/Sydney",
                answered=True,
            ),
            now=now - timedelta(days=30),
        )
        bob = add_lead(
            s,
            NewLead(
                name="Bob Ortiz",
                phone="+1 512 555 0199",
                job="Pergola",
                country="US",
                timezone="America/Chicago",
                answered=True,
            ),
            now=now - timedelta(days=2),
        )
        zoe = add_lead(
            s,
            NewLead(
                name="Zoë Müller",
                email="zoe@example.co.uk",
                job="Paved patio",
                country="GB",
                timezone="Europe/London",
            ),
            now=now - timedelta(hours=3),
        )
        for key, made in (("mia", mia), ("bob", bob), ("zoe", zoe)):
            ids[key] = made.quote_id
            ids[f"{key}_customer"] = made.customer_id
        quote = s.get(Quote, mia.quote_id)
        assert quote is not None
        quote.amount = Decimal("12480.50")
        quote.number = "Q-2026-00042"
        move_stage(s, mia.quote_id, Stage.FOLLOWING_UP, now=now - timedelta(days=29))
        bob_quote = s.get(Quote, bob.quote_id)
        assert bob_quote is not None
        bob_quote.amount = Decimal("8000.00")
        bob_quote.currency = "USD"
        move_stage(s, bob.quote_id, Stage.QUOTED, now=now - timedelta(days=1))
        schedule_follow_up(
            s,
            bob.customer_id,
            bob.quote_id,
            FollowUpPlan(
                due_at=now - timedelta(hours=20),
                channel=Channel.CALL,
                reason="Walk through the pergola options",
                basis=Basis.AGREED,
                agreed_words="Call me Monday morning",
            ),
            now=now - timedelta(days=1),
        )
    return ids


def test_search_finds_by_name_job_number_email_and_any_phone_format(
    db: Database, now: datetime, shop: dict[str, int]
) -> None:
    with db.reading() as s:
        index = load_quote_index(s, now=now)

    def found(text: str) -> set[int]:
        return {r.quote_id for r in index.select(QuoteFilter(text=text))}

    assert found("mia") == {shop["mia"]}
    assert found("CHEN deck") == {shop["mia"]}, "words match anywhere, any case"
    assert found("pergola") == {shop["bob"]}
    assert found("00042") == {shop["mia"]}
    assert found("zoe@example") == {shop["zoe"]}
    assert found("müller") == {shop["zoe"]}
    assert found("0412 345 678") == {shop["mia"]}, "national format with the trunk 0"
    assert found("+61412345678") == {shop["mia"]}, "international format"
    assert found("(512) 555-0199") == {shop["bob"]}
    assert found("nobody") == set()
    assert len(index.select(QuoteFilter())) == 3


def test_filters_overdue_agreed_cold_and_stage(
    db: Database, now: datetime, shop: dict[str, int]
) -> None:
    with db.reading() as s:
        index = load_quote_index(s, now=now)

    def ids(flt: QuoteFilter) -> set[int]:
        return {r.quote_id for r in index.select(flt)}

    # Zoë's enquiry has waited three hours for its first reply: that is overdue too.
    assert ids(QuoteFilter(overdue_only=True)) == {shop["bob"], shop["zoe"]}
    assert ids(QuoteFilter(agreed_only=True)) == {shop["bob"]}
    assert ids(QuoteFilter(cold_only=True)) == {shop["mia"]}, "30 days without a touch"
    assert ids(QuoteFilter(stages=frozenset({Stage.LEAD}))) == {shop["zoe"]}


def test_sorting_puts_empty_values_last_both_ways(
    db: Database, now: datetime, shop: dict[str, int]
) -> None:
    with db.reading() as s:
        index = load_quote_index(s, now=now)
    up = [r.quote_id for r in index.select(QuoteFilter(sort=SortKey.AMOUNT, descending=False))]
    down = [r.quote_id for r in index.select(QuoteFilter(sort=SortKey.AMOUNT, descending=True))]
    assert up == [shop["bob"], shop["mia"], shop["zoe"]]
    assert down == [shop["mia"], shop["bob"], shop["zoe"]]
    by_name = [
        r.customer for r in index.select(QuoteFilter(sort=SortKey.CUSTOMER, descending=False))
    ]
    assert by_name == ["Bob Ortiz", "Mia Chen", "Zoë Müller"]


def test_board_columns_count_total_by_currency_and_order_by_urgency(
    db: Database, now: datetime, shop: dict[str, int]
) -> None:
    with db.unit_of_work() as s:
        close_quote(s, shop["mia"], Close(Stage.WON), now=now)
    with db.reading() as s:
        columns = {c.stage: c for c in load_quote_index(s, now=now).board()}
    assert [c for c in columns] == list(Stage)
    assert columns[Stage.WON].count == 1
    assert list(columns[Stage.WON].totals.values()) == [Decimal("12480.50")]
    assert columns[Stage.QUOTED].totals == {"USD": Decimal("8000.00")}
    assert columns[Stage.LEAD].rows[0].awaiting_first_reply
    bob = columns[Stage.QUOTED].rows[0]
    assert bob.next_follow_up is not None and bob.agreed and bob.overdue
    assert bob.days_since_touch(now) >= 1


def test_won_and_lost_leave_the_board_after_sixty_days(
    db: Database, now: datetime, shop: dict[str, int]
) -> None:
    with db.unit_of_work() as s:
        close_quote(
            s, shop["mia"], Close(Stage.LOST, lost_reason="price"), now=now - timedelta(days=61)
        )
    with db.reading() as s:
        index = load_quote_index(s, now=now)
    columns = {c.stage: c for c in index.board()}
    assert columns[Stage.LOST].count == 0
    assert {r.quote_id for r in index.select(QuoteFilter(text="mia"))} == {shop["mia"]}


def test_search_ignores_accents_both_ways(
    db: Database, now: datetime, shop: dict[str, int]
) -> None:
    with db.reading() as s:
        index = load_quote_index(s, now=now)
    for typed in ("zoe", "ZOË", "muller", "Müller"):
        assert {r.quote_id for r in index.select(QuoteFilter(text=typed))} == {shop["zoe"]}
    from deckfollow.core.text_folding import fold

    assert fold("Łukasz Sørensen") == "lukasz sorensen"


def test_typing_and_deleting_finds_what_a_fresh_search_finds(db: Database, now: datetime) -> None:
    """The list reuses earlier searches while the user types; the answers must not change."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from deckfollow.demo.generator import generate_demo
    from tests.examples import examples

    with db.unit_of_work() as s:
        generate_demo(s, customers=60, quotes=150, seed=5, now=now, country="AU")
    with db.reading() as s:
        index = load_quote_index(s, now=now)

    # Pieces of what people type: names, jobs, numbers, phone digits, spaces, accents.
    pieces = st.sampled_from(
        ["s", "m", "it", "smith", "deck", "a", "e ", " ", "q-2026", "04", "12", "+61", "zo", "ë"]
    )
    typed = st.lists(st.lists(pieces, max_size=4).map("".join), min_size=1, max_size=12)
    stages = st.sampled_from([None, frozenset({Stage.LEAD, Stage.QUOTED}), frozenset(Stage)])

    @settings(
        max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
    @given(texts=typed, stage=stages, key=st.sampled_from(list(SortKey)), down=st.booleans())
    def check(texts: list[str], stage: frozenset[Stage] | None, key: SortKey, down: bool) -> None:
        for text in texts:
            flt = QuoteFilter(text=text, stages=stage, sort=key, descending=down)
            fresh = type(index)(index.rows, index.now, index._phones)
            assert [r.quote_id for r in index.select(flt)] == [
                r.quote_id for r in fresh.select(flt)
            ], text

    check()
