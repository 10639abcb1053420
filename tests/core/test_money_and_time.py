"""Money stays exact and times stay UTC, whatever the database does with them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from deckfollow.core.enums import Stage
from deckfollow.core.models import Quote
from deckfollow.storage.database import Database
from tests.examples import examples


def _quote(customer_id: int, amount: Decimal, at: datetime) -> Quote:
    return Quote(
        customer_id=customer_id,
        job="Deck",
        amount=amount,
        stage=Stage.QUOTED,
        received_at=at,
        stage_changed_at=at,
        created_at=at,
        updated_at=at,
    )


@pytest.fixture
def customer_id(db: Database, now: datetime) -> int:
    from deckfollow.core.leads import NewLead, add_lead

    with db.unit_of_work() as s:
        return add_lead(s, NewLead("Money Person", answered=True), now=now).customer_id


@settings(
    max_examples=examples(60),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(cents=st.integers(min_value=0, max_value=10**13))
def test_amounts_round_trip_exactly(db: Database, customer_id: int, now: datetime, cents: int):
    amount = Decimal(cents) / 100
    with db.unit_of_work() as s:
        q = _quote(customer_id, amount, now)
        s.add(q)
        s.flush()
        qid = q.id
    with db.reading() as s:
        assert s.get(Quote, qid).amount == amount  # type: ignore[union-attr]


def test_sums_in_sql_are_exact(db: Database, customer_id: int, now: datetime):
    with db.unit_of_work() as s:
        for _ in range(10):
            s.add(_quote(customer_id, Decimal("0.10"), now))
    with db.reading() as s:
        total = s.execute(select(func.sum(Quote.amount))).scalar_one()
    assert total == Decimal("1.00")


def test_times_are_stored_in_utc_and_come_back_aware(db: Database, customer_id: int):
    sydney_morning = datetime(2026, 11, 23, 9, 0, tzinfo=timezone(timedelta(hours=11)))
    with db.unit_of_work() as s:
        q = _quote(customer_id, Decimal(1), sydney_morning)
        s.add(q)
        s.flush()
        qid = q.id
    with db.reading() as s:
        got = s.get(Quote, qid).received_at  # type: ignore[union-attr]
    assert got == sydney_morning
    assert got.tzinfo is UTC
    assert got.hour == 22


def test_naive_times_are_refused(db: Database, customer_id: int):
    from sqlalchemy.exc import StatementError

    with pytest.raises(StatementError, match="naive datetime"), db.unit_of_work() as s:
        s.add(_quote(customer_id, Decimal(1), datetime(2026, 1, 1)))
        s.flush()
