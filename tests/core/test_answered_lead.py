"""Once a lead is answered, nothing of that person's is a new lead any more: not on Today,
in the digest, `due` (either read) or the first reply a new enquiry gets, whatever words
the owner kept for the next step."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from deckfollow.core.due import due_items
from deckfollow.core.due_sqlite import read_due_items
from deckfollow.core.enums import Channel, Direction, FollowUpStatus, Outcome, Stage
from deckfollow.core.follow_up_target import contact_follow_up, resolve_target
from deckfollow.core.followups import FollowUpPlan
from deckfollow.core.leads import LeadCreated, NewLead, add_lead
from deckfollow.core.models import FollowUp, Quote
from deckfollow.core.quotes import change_stage
from deckfollow.core.settings import save_owner_settings
from deckfollow.core.today import load_today
from deckfollow.core.touches import TouchRecord, log_touch
from deckfollow.reminders.check import run_check
from deckfollow.reminders.digest import build_digest
from deckfollow.storage.database import Database

SYD = ZoneInfo("Australia/Sydney")
FRIDAY = datetime(2026, 12, 4, 10, 0, tzinfo=SYD)
SUNDAY = datetime(2026, 12, 6, 10, 0, tzinfo=SYD)
TUESDAY = datetime(2026, 12, 8, 10, 0, tzinfo=SYD)
KEPT_WORDS = "First reply to their enquiry about a new deck, 5x4 m"


@pytest.fixture
def lead(db: Database) -> LeadCreated:
    """An Australian owner, on an empty database, and Friday morning's enquiry."""
    with db.unit_of_work() as s:
        save_owner_settings(
            s,
            {"default_country": "AU", "owner_region": "NSW", "owner_timezone": "Australia/Sydney"},
        )
        return add_lead(
            s, NewLead("Mia Chen", phone="0412 345 679", note="A new deck, 5x4 m"), now=FRIDAY
        )


def _answer(db: Database, lead: LeadCreated, *, next_reason: str = KEPT_WORDS) -> int:
    """The first reply texted on Friday, the next text planned for Tuesday with the reason
    as the log-outcome screen used to fill it (kept by the owner); the next step's id."""
    at = FRIDAY.replace(minute=30)
    with db.unit_of_work() as s:
        log_touch(
            s,
            TouchRecord(
                lead.customer_id,
                Channel.TEXT,
                Direction.OUTBOUND,
                Outcome.REACHED,
                at,
                quote_id=lead.quote_id,
                follow_up_id=lead.follow_up_id,
            ),
            FollowUpPlan(TUESDAY, Channel.TEXT, next_reason),
            now=at,
        )
        return int(
            s.execute(
                select(FollowUp.id).where(FollowUp.status == FollowUpStatus.PENDING)
            ).scalar_one()
        )


def test_a_waiting_first_reply_is_a_new_lead_everywhere(
    db: Database, db_path: Path, lead: LeadCreated
) -> None:
    with db.reading() as s:
        [item] = load_today(s, now=FRIDAY).items
        digest = build_digest(s, FRIDAY)
    assert item.first_reply and item.as_json()["first_reply"] is True
    assert item.as_json()["basis"] == "planned"
    assert digest.total == 1
    with closing(sqlite3.connect(db_path)) as conn:
        assert read_due_items(conn, day=FRIDAY.date(), now=FRIDAY, owner_tz="Australia/Sydney") == [
            item
        ]


def test_an_answered_lead_s_next_step_is_not_a_new_lead_whatever_its_words(
    db: Database, db_path: Path, lead: LeadCreated
) -> None:
    next_id = _answer(db, lead)
    sunday = SUNDAY.date()
    with db.reading() as s:
        # Sunday: the next text is Tuesday's; nothing is to do today.
        assert load_today(s, now=SUNDAY).items == []
        assert due_items(s, day=sunday, now=SUNDAY, owner_tz="Australia/Sydney") == []
        assert build_digest(s, SUNDAY).text == "Today: nothing due."
        # Tuesday: it is due then, as an ordinary text, not a new lead.
        [item] = due_items(s, day=TUESDAY.date(), now=TUESDAY, owner_tz="Australia/Sydney")
        # Nothing waits to be given as a first reply any more: a call today is one-off.
        assert (
            contact_follow_up(s, Channel.CALL, customer_id=lead.customer_id, quote_id=None) is None
        )
    with db.unit_of_work() as s:
        # No reminder on Sunday either; Tuesday's text reminds on Tuesday.
        sunday_notices = run_check(s, SUNDAY).notices
        assert [n.body for n in sunday_notices if not n.follow_up_ids] == ["Today: nothing due."]
        assert [n for n in sunday_notices if n.follow_up_ids] == []
        tuesday_notices = run_check(s, TUESDAY).notices
        assert [n.follow_up_ids for n in tuesday_notices if n.follow_up_ids] == [(next_id,)]
    assert (item.follow_up_id, item.reason, item.first_reply) == (next_id, KEPT_WORDS, False)
    assert item.as_json()["first_reply"] is False
    with closing(sqlite3.connect(db_path)) as conn:
        assert read_due_items(conn, day=sunday, now=SUNDAY, owner_tz="Australia/Sydney") == []
        assert read_due_items(
            conn, day=TUESDAY.date(), now=TUESDAY, owner_tz="Australia/Sydney"
        ) == [item]


def test_moving_an_answered_lead_on_leaves_its_next_step_to_do(
    db: Database, lead: LeadCreated
) -> None:
    next_id = _answer(db, lead)
    with db.unit_of_work() as s:
        change_stage(s, lead.quote_id, Stage.QUOTED, now=SUNDAY)
    with db.reading() as s:
        fu = s.get(FollowUp, next_id)
        quote = s.get(Quote, lead.quote_id)
        assert fu is not None and quote is not None
        # Not silently marked done as if it were the first reply.
        assert fu.status is FollowUpStatus.PENDING
        # The clock stopped when the text went, not when the quote moved.
        assert quote.first_response_at == FRIDAY.replace(minute=30)


def test_a_new_enquiry_after_an_answered_one_gets_its_own_first_reply(
    db: Database, lead: LeadCreated
) -> None:
    next_id = _answer(db, lead)
    with db.unit_of_work() as s:
        again = add_lead(
            s,
            NewLead("Mia Chen", note="A pergola", customer_id=lead.customer_id),
            now=SUNDAY.replace(hour=12),
        )
    assert again.follow_up_id is not None and again.follow_up_id != next_id
    with db.reading() as s:
        items = load_today(s, now=SUNDAY.replace(hour=12)).items
    # The pergola waits for its first reply (Monday's text, on Today at once); the deck's
    # Tuesday text is not today's.
    assert [(i.follow_up_id, i.first_reply) for i in items] == [(again.follow_up_id, True)]


def test_the_next_step_after_a_first_reply_follows_the_enquiry_up(
    db: Database, lead: LeadCreated
) -> None:
    assert lead.follow_up_id is not None
    with db.reading() as s:
        target = resolve_target(s, follow_up_id=lead.follow_up_id)
    assert target.reason == "First reply to their enquiry about a new deck, 5x4 m"
    assert target.next_reason == "Follow up on their enquiry about a new deck, 5x4 m"


def test_another_follow_up_s_reason_is_the_next_step_s_starting_point(
    db: Database, lead: LeadCreated
) -> None:
    next_id = _answer(db, lead, next_reason="Check they got the price")
    with db.reading() as s:
        assert resolve_target(s, follow_up_id=next_id).next_reason == "Check they got the price"


def test_an_old_lead_still_waiting_stays_on_today_until_answered(
    db: Database, lead: LeadCreated
) -> None:
    # Nobody answered Friday's enquiry: on Sunday it is still a new lead, and late.
    with db.reading() as s:
        [item] = due_items(s, day=date(2026, 12, 6), now=SUNDAY, owner_tz="Australia/Sydney")
    assert item.first_reply and item.overdue
