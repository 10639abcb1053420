"""The rules about typed data hold in the core, so the app and every script meet them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from deckfollow.core.cadence_library import copy_cadence, seed_builtin_cadences
from deckfollow.core.consent import ContactPreferences, set_contact_preferences
from deckfollow.core.consent_ledger import grant_consent
from deckfollow.core.enums import Channel, ConsentChannel, Direction, Outcome
from deckfollow.core.errors import ValidationError
from deckfollow.core.followups import FollowUpPlan, agree_follow_up, agreed_plan
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.models import ConsentEvent, Customer, FollowUp, Quote, Touch
from deckfollow.core.touches import TouchRecord, log_touch
from deckfollow.storage.database import Database


@pytest.fixture
def made(db: Database, now: datetime) -> tuple[int, int]:
    with db.unit_of_work() as s:
        seed_builtin_cadences(s)
        lead = add_lead(s, NewLead("Mia Chen", phone="+61412345679", country="AU"), now=now)
    return lead.customer_id, lead.quote_id


def _counts(db: Database) -> tuple[int, ...]:
    with db.reading() as s:
        return tuple(
            s.execute(select(func.count()).select_from(t)).scalar_one()
            for t in (Customer, Quote, FollowUp, ConsentEvent, Touch)
        )


def _refused(db: Database, field: str, act: Callable[[Session], object]) -> str:
    before = _counts(db)
    with pytest.raises(ValidationError) as caught, db.unit_of_work() as s:
        act(s)
    assert caught.value.field == field
    assert _counts(db) == before
    return caught.value.message


@pytest.mark.parametrize(
    ("lead", "field", "says"),
    [
        (NewLead("A" * 101), "name", "at most 100"),
        (NewLead("Bo", job="j" * 301), "job", "at most 300"),
        (NewLead("Bo", source="s" * 101), "source", "at most 100"),
        (NewLead("Bo", note="n" * 10_001), "note", "at most 10,000"),
        (NewLead("Bo", email="b" * 250 + "@x.com"), "email", "at most 254"),
        (NewLead("Bo", timezone="Z" * 5000), "time zone", "not a known IANA time zone"),
    ],
)
def test_a_lead_longer_than_its_columns_is_refused(
    db: Database, now: datetime, made: tuple[int, int], lead: NewLead, field: str, says: str
):
    assert says in _refused(db, field, lambda s: add_lead(s, lead, now=now))


def test_a_yes_is_recorded_only_with_the_customers_words(
    db: Database, now: datetime, made: tuple[int, int]
):
    cid, _ = made

    def grant(words: str | None) -> Callable[[Session], object]:
        return lambda s: grant_consent(
            s, cid, ConsentChannel.TEXT, source="phone call", words=words, now=now
        )

    for words in (None, "", "   "):
        _refused(db, "words", grant(words))
    _refused(
        db,
        "words",
        lambda s: grant_consent(
            s, cid, ConsentChannel.TEXT, source="phone call", words="w" * 2001, now=now
        ),
    )
    _refused(
        db,
        "source",
        lambda s: grant_consent(
            s, cid, ConsentChannel.TEXT, source="s" * 101, words="Text me", now=now
        ),
    )


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (date(1900, 1, 1), "in the past"),
        (date(2026, 11, 22), "in the past"),  # yesterday, in Sydney
        (date(2032, 11, 23), "at most 5 years ahead"),
    ],
)
def test_an_agreed_follow_up_lies_ahead_within_five_years(
    db: Database, now: datetime, made: tuple[int, int], day: date, message: str
):
    cid, qid = made
    plan = agreed_plan(
        day, time(10), None, "Australia/Sydney", Channel.CALL, "Go through the quote", "Yes, call"
    )
    assert message in _refused(
        db,
        "when",
        lambda s: agree_follow_up(s, cid, qid, plan, now=now, source="phone call"),
    )


def test_the_next_step_after_a_touch_is_not_in_the_past(
    db: Database, now: datetime, made: tuple[int, int]
):
    cid, qid = made
    record = TouchRecord(cid, Channel.CALL, Direction.OUTBOUND, Outcome.REACHED, now, qid)
    past = FollowUpPlan(now - timedelta(hours=1), Channel.CALL, "Check the measurements")
    assert "in the past" in _refused(db, "next step", lambda s: log_touch(s, record, past, now=now))
    long_reason = FollowUpPlan(now + timedelta(days=2), Channel.EMAIL, "r" * 301)
    _refused(db, "reason", lambda s: log_touch(s, record, long_reason, now=now))


def test_hours_and_plan_names_fit_their_columns(db: Database, now: datetime, made: tuple[int, int]):
    cid, _ = made
    prefs = ContactPreferences(contact_hours="evenings only; " * 20)
    _refused(
        db,
        "contact hours",
        lambda s: set_contact_preferences(s, cid, prefs, source="phone call", now=now),
    )
    _refused(db, "name", lambda s: copy_cadence(s, "after_quote", name="n" * 121))
