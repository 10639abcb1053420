"""Every new lead gets its first reply at once; the ledger records where a yes was said."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from deckfollow.core.board import load_quote_index
from deckfollow.core.consent import revoke_consent
from deckfollow.core.consent_ledger import ledger
from deckfollow.core.due import due_items
from deckfollow.core.due_list import OVERDUE_GRACE
from deckfollow.core.due_sqlite import read_due_items
from deckfollow.core.enums import (
    Basis,
    Channel,
    ConsentChannel,
    ConsentEventKind,
    Direction,
    FollowUpStatus,
    LedgerSource,
    Outcome,
)
from deckfollow.core.errors import ValidationError
from deckfollow.core.followups import agreed_plan
from deckfollow.core.history import customer_history
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.models import FollowUp, Quote
from deckfollow.core.settings import load_settings, save_owner_settings
from deckfollow.core.today import load_today
from deckfollow.core.touches import TouchRecord, log_touch
from deckfollow.reminders.check import run_check
from deckfollow.storage.database import Database

SYD = "Australia/Sydney"


@pytest.fixture
def au_owner(db: Database) -> Database:
    with db.unit_of_work() as s:
        save_owner_settings(
            s, {"default_country": "AU", "owner_region": "NSW", "owner_timezone": SYD}
        )
    return db


def _follow_ups(db: Database) -> list[FollowUp]:
    with db.reading() as s:
        return list(s.execute(select(FollowUp).order_by(FollowUp.id)).scalars())


def test_a_local_mobile_gets_a_text_due_now_that_today_and_reminders_show(
    au_owner: Database, now: datetime
) -> None:
    # Monday 09:00 in Sydney: inside the hours an Australian may be texted.
    with au_owner.unit_of_work() as s:
        created = add_lead(
            s, NewLead("Mia Chen", phone="0412 345 679", note="Deck, 5x4 m"), now=now
        )
    [fu] = _follow_ups(au_owner)
    assert created.follow_up_id == fu.id
    assert (fu.channel, fu.basis, fu.status) == (
        Channel.TEXT,
        Basis.PLANNED,
        FollowUpStatus.PENDING,
    )
    assert fu.due_at == now
    assert fu.reason == "First reply to their enquiry about deck, 5x4 m"
    assert fu.quote_id == created.quote_id
    with au_owner.reading() as s:
        [item] = due_items(s, day=date(2026, 11, 23), now=now, owner_tz=SYD)
        assert item.as_json()["basis"] == "planned"
        assert item.phone == "+61412345679"
    with au_owner.unit_of_work() as s:
        result = run_check(s, now + timedelta(seconds=1))
    assert "Text Mia Chen" in [n.summary for n in result.notices]


def test_outside_allowed_hours_the_first_reply_waits_for_the_nearest_allowed_slot(
    au_owner: Database,
) -> None:
    sunday_noon = datetime(2026, 11, 22, 1, 0, tzinfo=UTC)  # no calls or texts on Sundays
    with au_owner.unit_of_work() as s:
        add_lead(s, NewLead("Mia Chen", phone="0412 345 679"), now=sunday_noon)
    [fu] = _follow_ups(au_owner)
    assert fu.due_at == datetime(2026, 11, 22, 22, 0, tzinfo=UTC)  # Monday 09:00 Sydney
    assert fu.reason == "First reply to their enquiry"


def test_a_lead_waiting_for_the_customer_s_hours_is_on_today_s_list_at_once(
    au_owner: Database, db_path: Path
) -> None:
    sunday_noon = datetime(2026, 11, 22, 1, 0, tzinfo=UTC)  # no texts until Monday 09:00
    sunday = date(2026, 11, 22)
    with au_owner.unit_of_work() as s:
        lead = add_lead(
            s, NewLead("Mia Chen", phone="0412 345 679", note="A deck"), now=sunday_noon
        )
    with au_owner.reading() as s:
        [item] = due_items(s, day=sunday, now=sunday_noon, owner_tz=SYD)
        # Another day's list is as it was: only what falls due by then.
        assert due_items(s, day=date(2026, 11, 20), now=sunday_noon, owner_tz=SYD) == []
    assert (item.follow_up_id, item.reason) == (
        lead.follow_up_id,
        "First reply to their enquiry about a deck",
    )
    # It says when the text may go, and it is not late.
    assert item.due_at == datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo(SYD))
    assert not item.overdue
    with closing(sqlite3.connect(db_path)) as conn:
        assert read_due_items(conn, day=sunday, now=sunday_noon, owner_tz=SYD) == [item]
    # Answered, it leaves the list.
    with au_owner.unit_of_work() as s:
        log_touch(
            s,
            TouchRecord(
                lead.customer_id, Channel.EMAIL, Direction.OUTBOUND, Outcome.REACHED, sunday_noon
            ),
            agreed_plan(
                date(2026, 11, 26), time(10), None, SYD, Channel.CALL, "Book the measure-up", "Thu"
            ),
            now=sunday_noon,
        )
    with au_owner.reading() as s:
        assert due_items(s, day=sunday, now=sunday_noon, owner_tz=SYD) == []


def test_a_second_enquiry_before_the_first_is_answered_is_answered_with_it(
    au_owner: Database, now: datetime
) -> None:
    with au_owner.unit_of_work() as s:
        deck = add_lead(s, NewLead("Mia Chen", phone="0412 345 679", note="A deck"), now=now)
        later = now + timedelta(minutes=5)
        fence = add_lead(
            s,
            NewLead("Mia Chen", phone="0412 345 679", note="A fence", customer_id=deck.customer_id),
            now=later,
        )
    # One first reply waits for the person, not one per enquiry.
    assert [f.id for f in _follow_ups(au_owner)] == [deck.follow_up_id]
    assert fence.follow_up_id == deck.follow_up_id
    answered = now + timedelta(minutes=30)
    with au_owner.unit_of_work() as s:
        log_touch(
            s,
            TouchRecord(
                deck.customer_id,
                Channel.TEXT,
                Direction.OUTBOUND,
                Outcome.REACHED,
                answered,
                quote_id=deck.quote_id,
                follow_up_id=deck.follow_up_id,
            ),
            agreed_plan(
                date(2026, 11, 26), time(10), None, SYD, Channel.CALL, "Book the measure-up", "Thu"
            ),
            now=answered,
        )
    with au_owner.reading() as s:
        for quote_id in (deck.quote_id, fence.quote_id):
            quote = s.get(Quote, quote_id)
            assert quote is not None and quote.first_response_at == answered
        assert due_items(s, day=answered.date(), now=answered, owner_tz=SYD) == []


def test_a_landline_is_called_and_an_email_only_lead_is_emailed_at_once(
    au_owner: Database,
) -> None:
    sunday_noon = datetime(2026, 11, 22, 1, 0, tzinfo=UTC)
    with au_owner.unit_of_work() as s:
        home = add_lead(s, NewLead("Bo Lang", phone="(02) 9876 5432"), now=sunday_noon)
        mail = add_lead(s, NewLead("Ida Wells", email="ida@example.com"), now=sunday_noon)
    by_customer = {f.customer_id: f for f in _follow_ups(au_owner)}
    assert by_customer[home.customer_id].channel is Channel.CALL
    # An email is not timed: it goes now, even on a Sunday.
    assert by_customer[mail.customer_id].channel is Channel.EMAIL
    assert by_customer[mail.customer_id].due_at == sunday_noon


def test_speed_to_lead_counts_until_the_first_outbound_touch_only(
    au_owner: Database, now: datetime
) -> None:
    with au_owner.unit_of_work() as s:
        lead = add_lead(s, NewLead("Mia Chen", phone="0412 345 679"), now=now)
    reply_at = now + timedelta(minutes=20)
    with au_owner.unit_of_work() as s:
        # They text again before anyone answered: an inbound touch does not stop the clock.
        log_touch(
            s,
            TouchRecord(
                lead.customer_id, Channel.TEXT, Direction.INBOUND, Outcome.REPLIED, reply_at
            ),
            None,
            now=reply_at,
            await_decision=True,
        )
    with au_owner.reading() as s:
        quote = s.get(Quote, lead.quote_id)
        assert quote is not None and quote.first_response_at is None
    answered = now + timedelta(minutes=42)
    nxt = agreed_plan(
        date(2026, 11, 26), time(10), None, SYD, Channel.CALL, "Book the measure-up", "Thursday"
    )
    with au_owner.unit_of_work() as s:
        # Answered without opening the first reply: the clock stops and the first reply is done.
        log_touch(
            s,
            TouchRecord(
                lead.customer_id, Channel.CALL, Direction.OUTBOUND, Outcome.REACHED, answered
            ),
            nxt,
            now=answered,
        )
    with au_owner.reading() as s:
        quote = s.get(Quote, lead.quote_id)
        assert quote is not None and quote.first_response_at == answered
    statuses = [(f.basis, f.status) for f in _follow_ups(au_owner)]
    assert statuses == [
        (Basis.PLANNED, FollowUpStatus.DONE),
        (Basis.AGREED, FollowUpStatus.PENDING),
    ]


def test_a_yes_given_on_a_call_is_recorded_as_call_in_the_ledger(
    au_owner: Database, now: datetime
) -> None:
    with au_owner.unit_of_work() as s:
        lead = add_lead(s, NewLead("Mia Chen", phone="0412 345 679"), now=now)
    nxt = agreed_plan(
        date(2026, 12, 10), time(10), None, SYD, Channel.CALL, "Go through the quote", "Thursday"
    )
    with au_owner.unit_of_work() as s:
        log_touch(
            s,
            TouchRecord(
                lead.customer_id,
                Channel.CALL,
                Direction.OUTBOUND,
                Outcome.REACHED,
                now,
                quote_id=lead.quote_id,
                follow_up_id=lead.follow_up_id,
            ),
            nxt,
            now=now,
        )
    with au_owner.reading() as s:
        entries = ledger(s, lead.customer_id)
    assert {(e.kind, e.source) for e in entries} == {
        (ConsentEventKind.GRANTED, "call"),
        (ConsentEventKind.AGREED_FOLLOW_UP, "call"),
    }


@pytest.mark.parametrize(
    ("said", "source"),
    [
        ("phone call", LedgerSource.CALL),
        ("SMS", LedgerSource.TEXT),
        ("site visit", LedgerSource.IN_PERSON),
        ("web form", LedgerSource.WEB_FORM),
        ("import", LedgerSource.IMPORT),
        ("carrier pigeon", None),
    ],
)
def test_ledger_sources_are_a_fixed_list(said: str, source: LedgerSource | None) -> None:
    assert LedgerSource.parse(said) is source


def test_revoking_a_channel_says_which_agreed_follow_up_it_cancelled(
    au_owner: Database, now: datetime
) -> None:
    with au_owner.unit_of_work() as s:
        lead = add_lead(s, NewLead("Mia Chen", phone="0412 345 679", answered=True), now=now)
    nxt = agreed_plan(
        date(2026, 12, 10), time(10), None, SYD, Channel.CALL, "Go through the quote", "Thursday"
    )
    with au_owner.unit_of_work() as s:
        log_touch(
            s,
            TouchRecord(lead.customer_id, Channel.CALL, Direction.OUTBOUND, Outcome.REACHED, now),
            nxt,
            now=now,
        )
    with au_owner.unit_of_work() as s:
        changes = revoke_consent(
            s, lead.customer_id, ConsentChannel.CALL, source="text", words="No calls", now=now
        )
    assert changes.notices == ("Cancelled the agreed call on Thu 10 Dec at 10:00",)


def test_settings_are_checked_and_a_bad_one_saves_nothing(db: Database) -> None:
    with db.unit_of_work() as s:
        save_owner_settings(s, {"default_country": "uk", "currency": "gbp"})
    with pytest.raises(ValidationError, match=r"^timezone: 'Mars/Olympus'"), db.unit_of_work() as s:
        save_owner_settings(s, {"owner_name": "Sam", "owner_timezone": "Mars/Olympus"})
    with (
        pytest.raises(ValidationError, match=r"^region: 'Ohio' is not a state"),
        db.unit_of_work() as s,
    ):
        save_owner_settings(s, {"default_country": "AU", "owner_region": "Ohio"})
    with db.reading() as s:
        settings = load_settings(s)
    assert (settings.default_country, settings.currency, settings.owner_name) == ("GB", "GBP", "")


def test_an_australian_owner_s_local_mobile_is_their_cell(db: Database) -> None:
    with db.unit_of_work() as s:
        save_owner_settings(s, {"default_country": "AU", "owner_phone": "0412 345 679"})
        assert load_settings(s).owner_phone == "+61412345679"
        assert load_settings(s).currency == "AUD"  # the country's, until one is chosen


def test_a_reminder_reads_on_the_owner_s_clock_with_a_distant_customer_s_beside_it(
    au_owner: Database, now: datetime
) -> None:
    with au_owner.unit_of_work() as s:
        add_lead(s, NewLead("Tom Reid", phone="+1 312 555 0147", note="Holiday house"), now=now)
    with au_owner.unit_of_work() as s:
        result = run_check(s, now + timedelta(seconds=1))
    [notice] = [n for n in result.notices if n.summary == "Text Tom Reid"]
    # Monday 09:00 in Sydney is Sunday 16:00 in Chicago.
    assert "Due Mon 23 Nov 09:00 · Sun 16:00 their time (America/Chicago)" in notice.body


def test_the_first_reply_channel_is_a_text_to_a_cell_then_a_call_then_an_email() -> None:
    from deckfollow.core.leads import first_reply_channel

    assert first_reply_channel(cell="+61412345679", other_phone="+61295551234") is Channel.TEXT
    assert first_reply_channel(cell=None, other_phone="+61295551234") is Channel.CALL
    assert first_reply_channel(cell=None, other_phone=None) is Channel.EMAIL


def test_a_returning_customer_who_closed_texts_is_first_answered_by_a_call(
    au_owner: Database, now: datetime
) -> None:
    with au_owner.unit_of_work() as s:
        first = add_lead(s, NewLead("Mia Chen", phone="0412 345 679", answered=True), now=now)
        revoke_consent(
            s, first.customer_id, ConsentChannel.TEXT, source="call", words="No texts", now=now
        )
    later = now + timedelta(days=30)
    with au_owner.unit_of_work() as s:
        again = add_lead(
            s, NewLead("Mia Chen", job="Pergola", customer_id=first.customer_id), now=later
        )
    fu = next(f for f in _follow_ups(au_owner) if f.id == again.follow_up_id)
    assert (fu.channel, fu.reason) == (Channel.CALL, "First reply to their enquiry about pergola")
    # Closing every way they can be reached leaves the lead with no reply to plan.
    with au_owner.unit_of_work() as s:
        revoke_consent(
            s, first.customer_id, ConsentChannel.CALL, source="email", words="No calls", now=later
        )
        third = add_lead(
            s, NewLead("Mia Chen", job="Fence", customer_id=first.customer_id), now=later
        )
    assert third.follow_up_id is None


@pytest.mark.parametrize("how", ["quote with a sent day", "moved to quoted"])
def test_a_lead_that_has_its_quote_no_longer_waits_for_a_first_reply(
    au_owner: Database, now: datetime, how: str
) -> None:
    from deckfollow.core.enums import Stage
    from deckfollow.core.quotes import NewQuote, QuoteEdit, change_stage, create_quote

    with au_owner.unit_of_work() as s:
        lead = add_lead(s, NewLead("Mia Chen", phone="0412 345 679", note="Deck"), now=now)
    later = now + timedelta(days=2)
    with au_owner.unit_of_work() as s:
        if how == "moved to quoted":
            change_stage(s, lead.quote_id, Stage.QUOTED, now=later)
        else:
            fields = QuoteEdit(amount=Decimal("4850.00"), sent_on=later.date())
            saved = create_quote(
                s, NewQuote(customer_id=lead.customer_id, fields=fields), now=later
            )
            assert saved.quote_id == lead.quote_id  # the lead's own quote, not a second one
    with au_owner.reading() as s:
        assert due_items(s, day=later.date(), now=later, owner_tz=SYD) == []
        quote = s.get(Quote, lead.quote_id)
        assert quote is not None and quote.first_response_at is not None
        assert now <= quote.first_response_at <= later
    [fu] = _follow_ups(au_owner)
    assert fu.status is FollowUpStatus.DONE


@pytest.mark.parametrize(
    ("job", "reason"),
    [
        ("A spotted gum deck out the back", "about a spotted gum deck out the back"),
        ("Deck, 5x4 m", "about deck, 5x4 m"),
        ("BBQ area", "about BBQ area"),
        ("A", "about A"),
    ],
)
def test_the_first_reply_reads_the_job_as_a_sentence_would(job: str, reason: str) -> None:
    from deckfollow.core.leads import first_reply_reason

    assert first_reply_reason(job) == f"First reply to their enquiry {reason}"


@pytest.mark.parametrize(
    ("later", "overdue"),
    [
        (timedelta(seconds=1), False),
        (OVERDUE_GRACE, False),
        (OVERDUE_GRACE + timedelta(minutes=1), True),
    ],
)
def test_a_first_reply_due_now_reads_as_due_until_its_time_has_passed_by_the_grace(
    au_owner: Database, db_path: Path, now: datetime, later: timedelta, overdue: bool
) -> None:
    with au_owner.unit_of_work() as s:
        created = add_lead(s, NewLead("Mia Chen", phone="0412 345 679"), now=now)
    at = now + later
    with au_owner.reading() as s:
        # Today, the `due` command's two readings, the quote list and board, the timeline.
        [today] = load_today(s, now=at).items
        [listed] = due_items(s, day=date(2026, 11, 23), now=at, owner_tz=SYD)
        [row] = [r for r in load_quote_index(s, now=at).rows if r.quote_id == created.quote_id]
        timeline = customer_history(s, created.customer_id, now=at)
    with closing(sqlite3.connect(db_path)) as conn:
        [read] = read_due_items(conn, day=date(2026, 11, 23), now=at, owner_tz=SYD)
    assert (today.overdue, listed.overdue, read.overdue, row.overdue) == (overdue,) * 4
    words = " ".join(f"{e.title} {e.detail}" for e in timeline if e.kind == "follow_up")
    assert ("overdue" in words) is overdue
