"""Winning a quote and starting the after-sale plan: one service for the board and the
log-outcome screen."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from deckfollow.core.cadence_library import seed_builtin_cadences
from deckfollow.core.consent import revoke_consent
from deckfollow.core.enums import Channel, Direction, FollowUpStatus, Outcome, Stage
from deckfollow.core.errors import ConcurrentEditError, ValidationError
from deckfollow.core.leads import LeadCreated, NewLead, add_lead
from deckfollow.core.models import FollowUp, Quote, Touch
from deckfollow.core.touches import TouchRecord
from deckfollow.core.winning import start_after_sale_plan, win_quote
from deckfollow.storage.database import Database


@pytest.fixture
def lead(db: Database, now: datetime) -> LeadCreated:
    with db.unit_of_work() as s:
        seed_builtin_cadences(s)
        return add_lead(
            s,
            NewLead(
                "Grace Hopper",
                phone="+61412000111",
                email="grace@example.com",
                country="AU",
                timezone="Australia/Sydney",
                job="Hardwood deck",
                answered=True,
            ),
            now=now,
        )


def _pending(db: Database, customer_id: int) -> list[FollowUp]:
    with db.reading() as s:
        return list(
            s.execute(
                select(FollowUp).where(
                    FollowUp.customer_id == customer_id,
                    FollowUp.status == FollowUpStatus.PENDING,
                )
            ).scalars()
        )


def test_winning_on_the_board_moves_the_quote_and_starts_the_thank_you_call(
    db: Database, lead: LeadCreated, now: datetime
):
    with db.unit_of_work() as s:
        changes = win_quote(s, lead.quote_id, now=now, after_sale=True)
    assert changes.quotes and changes.follow_ups and not changes.notices
    with db.reading() as s:
        assert s.get(Quote, lead.quote_id).stage is Stage.WON  # type: ignore[union-attr]
    pending = _pending(db, lead.customer_id)
    assert pending and pending[0].channel is Channel.CALL
    assert all(f.quote_id == lead.quote_id for f in pending)


def test_winning_without_the_plan_plans_nothing(db: Database, lead: LeadCreated, now: datetime):
    with db.unit_of_work() as s:
        changes = win_quote(s, lead.quote_id, now=now, after_sale=False)
    assert changes.quotes and not changes.notices
    assert _pending(db, lead.customer_id) == []


def test_a_win_logged_with_its_touch_records_both_in_one_go(
    db: Database, lead: LeadCreated, now: datetime
):
    touch = TouchRecord(
        customer_id=lead.customer_id,
        channel=Channel.CALL,
        direction=Direction.INBOUND,
        outcome=Outcome.REACHED,
        at=now - timedelta(minutes=5),
        quote_id=lead.quote_id,
        summary="Go ahead with the deck",
    )
    with db.unit_of_work() as s:
        changes = win_quote(s, lead.quote_id, now=now, after_sale=True, touch=touch)
    assert changes.touches and changes.follow_ups
    with db.reading() as s:
        assert s.get(Quote, lead.quote_id).stage is Stage.WON  # type: ignore[union-attr]
        summaries = list(s.execute(select(Touch.summary)).scalars())
    assert summaries == ["Go ahead with the deck"]


def test_a_touch_about_another_quote_wins_nothing(db: Database, lead: LeadCreated, now: datetime):
    touch = TouchRecord(
        customer_id=lead.customer_id,
        channel=Channel.CALL,
        direction=Direction.OUTBOUND,
        outcome=Outcome.REACHED,
        at=now,
        quote_id=None,
    )
    with db.unit_of_work() as s, pytest.raises(ValidationError, match="another quote"):
        win_quote(s, lead.quote_id, now=now, after_sale=True, touch=touch)


def test_someone_who_asked_not_to_be_contacted_is_told_why_no_plan_started(
    db: Database, lead: LeadCreated, now: datetime
):
    with db.unit_of_work() as s:
        revoke_consent(s, lead.customer_id, None, source="phone call", words="No more", now=now)
    with db.unit_of_work() as s:
        changes = win_quote(s, lead.quote_id, now=now, after_sale=True)
    assert changes.quotes
    assert changes.notices == (
        "The after-sale plan was not started: Grace Hopper asked not to be contacted.",
    )
    assert _pending(db, lead.customer_id) == []


def test_the_plan_starts_once_however_often_it_is_asked_for(
    db: Database, lead: LeadCreated, now: datetime
):
    with db.unit_of_work() as s:
        win_quote(s, lead.quote_id, now=now, after_sale=True)
    first = len(_pending(db, lead.customer_id))
    with db.unit_of_work() as s:
        again = start_after_sale_plan(s, lead.quote_id, now=now)
    assert not again.follow_ups and "already runs" in again.notices[0]
    assert len(_pending(db, lead.customer_id)) == first


def test_an_open_quote_gets_no_after_sale_plan(db: Database, lead: LeadCreated, now: datetime):
    with db.unit_of_work() as s, pytest.raises(ValidationError, match="won quote"):
        start_after_sale_plan(s, lead.quote_id, now=now)


def test_a_win_from_a_stale_board_is_refused_and_nothing_starts(
    db: Database, lead: LeadCreated, now: datetime
):
    with db.reading() as s:
        seen = s.get(Quote, lead.quote_id).version  # type: ignore[union-attr]
    with db.unit_of_work() as s:
        win_quote(s, lead.quote_id, now=now, after_sale=False)  # someone else, first
    with db.unit_of_work() as s, pytest.raises(ConcurrentEditError):
        win_quote(s, lead.quote_id, now=now, after_sale=True, version=seen)
    assert _pending(db, lead.customer_id) == []
