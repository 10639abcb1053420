"""The demo reads as a real small trade business: plans running, words that fit, a day's work."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from deckfollow.core.due import due_items
from deckfollow.core.enums import (
    Basis,
    CadenceRunStatus,
    Channel,
    ConsentEventKind,
    Direction,
    FollowUpStatus,
    Stage,
)
from deckfollow.core.followups import audit_rules
from deckfollow.core.models import (
    Cadence,
    CadenceRun,
    ConsentEvent,
    Customer,
    FollowUp,
    Quote,
    Touch,
)
from deckfollow.demo.generator import generate_demo
from deckfollow.demo.markets import MARKETS
from deckfollow.storage.database import Database, open_database

OWNER_TZ = "Australia/Sydney"


@pytest.fixture(scope="module")
def business(tmp_path_factory: pytest.TempPathFactory) -> Database:
    """The demo the app's launcher makes: 600 customers, 1,500 quotes."""
    from tests.conftest import FROZEN_NOW

    db = open_database(str(tmp_path_factory.mktemp("story") / "demo.db"))
    with db.unit_of_work() as session:
        generate_demo(session, customers=600, quotes=1500, seed=7, now=FROZEN_NOW, country="AU")
    return db


def test_every_rule_holds_with_the_plans_running(business: Database, now: datetime) -> None:
    with business.reading() as session:
        assert audit_rules(session) == []
        ledger = session.execute(select(ConsentEvent.at)).scalars().all()
    assert max(ledger) <= now, "nobody said anything in the future"


def test_the_built_in_plans_run_pause_stop_and_finish(business: Database) -> None:
    with business.reading() as session:
        runs = session.execute(
            select(CadenceRun.id, Cadence.key, CadenceRun.status, CadenceRun.paused_reason).join(
                Cadence, Cadence.id == CadenceRun.cadence_id
            )
        ).all()
        pending = Counter(
            session.execute(
                select(FollowUp.cadence_run_id).where(
                    FollowUp.status == FollowUpStatus.PENDING,
                    FollowUp.cadence_run_id.is_not(None),
                )
            ).scalars()
        )
    keys = {key for _, key, _, _ in runs}
    # A parked quote's revisit is the one the core plans as it is parked, not a plan's.
    assert keys == {"after_quote", "after_sale", "birthday", "anniversary"}
    statuses = Counter(status for _, _, status, _ in runs)
    assert set(statuses) == set(CadenceRunStatus)
    assert statuses[CadenceRunStatus.ACTIVE] > statuses[CadenceRunStatus.PAUSED] >= 5
    reasons = {reason for _, _, status, reason in runs if status is CadenceRunStatus.PAUSED}
    assert "the customer replied" in reasons
    for run_id, key, status, _ in runs:
        # A running plan has exactly its next step waiting; a stopped or finished one none.
        expected = 1 if status is CadenceRunStatus.ACTIVE else pending[run_id]
        assert pending[run_id] == expected, (run_id, key, status)
        if status in (CadenceRunStatus.STOPPED, CadenceRunStatus.FINISHED):
            assert pending[run_id] == 0


def test_a_done_plan_step_is_the_touch_that_did_it(business: Database, now: datetime) -> None:
    with business.reading() as session:
        done = session.execute(
            select(FollowUp.id, FollowUp.channel, FollowUp.due_at, FollowUp.completed_at).where(
                FollowUp.status == FollowUpStatus.DONE, FollowUp.cadence_run_id.is_not(None)
            )
        ).all()
        touches = {
            t.follow_up_id: t
            for t in session.execute(select(Touch).where(Touch.follow_up_id.is_not(None))).scalars()
        }
    assert len(done) > 300
    for fid, channel, due, completed in done:
        touch = touches[fid]
        assert touch.channel is channel
        assert touch.direction is Direction.OUTBOUND
        assert completed is not None
        assert due <= touch.at == completed <= now


def test_a_paused_plan_waits_on_a_reply_that_came_after_it_started(business: Database) -> None:
    with business.reading() as session:
        paused = session.execute(
            select(CadenceRun).where(CadenceRun.paused_reason == "the customer replied")
        ).scalars()
        for run in paused:
            replies = session.execute(
                select(Touch.at).where(
                    Touch.customer_id == run.customer_id,
                    Touch.direction == Direction.INBOUND,
                    Touch.at > run.started_at,
                )
            ).scalars()
            assert list(replies), run.id


def _day_words(local: datetime) -> set[str]:
    return {local.strftime("%A")} | {"today", "tomorrow"}


def test_agreed_words_fit_the_follow_ups_channel_and_time(business: Database) -> None:
    """ "Call me Thursday after 4" is a call on a Thursday at 16:00, never an email at 9."""
    channel_words = {
        Channel.CALL: re.compile(r"\b(call|ring|bell|check back)\b", re.I),
        Channel.TEXT: re.compile(r"\btext\b", re.I),
        Channel.EMAIL: re.compile(r"\b(email|send it through)\b", re.I),
    }
    other_ways = {
        Channel.CALL: re.compile(r"\b(text me|email)\b", re.I),
        Channel.TEXT: re.compile(r"\b(ring me|call me|email)\b", re.I),
        Channel.EMAIL: re.compile(r"\b(ring|call me|text)\b", re.I),
    }
    days = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    with business.reading() as session:
        rows = session.execute(
            select(FollowUp, ConsentEvent)
            .join(ConsentEvent, ConsentEvent.follow_up_id == FollowUp.id)
            .where(FollowUp.basis == Basis.AGREED)
        ).all()
    assert len(rows) > 30
    for fu, event in rows:
        words = fu.agreed_words or ""
        assert event.kind is ConsentEventKind.AGREED_FOLLOW_UP
        assert event.words == words and event.at < fu.due_at
        assert channel_words[fu.channel].search(words), (fu.channel, words)
        assert not other_ways[fu.channel].search(words), (fu.channel, words)
        tz = ZoneInfo(fu.timezone)
        due, said = fu.due_at.astimezone(tz), event.at.astimezone(tz)
        named = [d for d in days if d in words]
        assert named in ([], [due.strftime("%A")]), (words, due)
        if "tomorrow" in words:
            assert due.date() == said.date() + timedelta(days=1), (words, said, due)
        if "next " in words:
            assert 7 <= (due.date() - said.date()).days <= 13, (words, said, due)
        if m := re.search(r"after (\d+)\b", words):
            assert due.hour == int(m.group(1)) + 12 and due.minute == 0, (words, due)
        if "morning" in words:
            assert due.hour < 12, (words, due)
        if "evening" in words and fu.channel is not Channel.EMAIL:
            assert due.hour >= 17, (words, due)
        if "lunchtime" in words:
            assert (due.hour, due.minute) == (12, 30), (words, due)
        if "on site all week" in words:
            assert due.weekday() < 5, (words, due)


def test_a_refusal_is_worded_for_the_channel_it_closes(business: Database) -> None:
    said = {
        "text": re.compile(r"\btext", re.I),
        "email": re.compile(r"\bemail", re.I),
        "call": re.compile(r"\b(call|ring|phone)", re.I),
    }
    with business.reading() as session:
        refusals = session.execute(
            select(ConsentEvent).where(ConsentEvent.kind == ConsentEventKind.REVOKED)
        ).scalars()
        checked = 0
        for event in refusals:
            assert event.channel is not None and event.words
            assert said[event.channel.value].search(event.words), (event.channel, event.words)
            checked += 1
    assert checked >= 10


def test_today_is_a_days_work_not_a_backlog(business: Database, now: datetime) -> None:
    with business.reading() as session:
        items = due_items(
            session, day=now.astimezone(ZoneInfo(OWNER_TZ)).date(), now=now, owner_tz=OWNER_TZ
        )
        from_plans = session.execute(
            select(FollowUp.id).where(
                FollowUp.id.in_([i.follow_up_id for i in items]),
                FollowUp.cadence_run_id.is_not(None),
            )
        ).all()
    assert 20 <= len(items) <= 110, len(items)
    assert sum(i.overdue for i in items) < len(items) / 2
    assert {i.basis for i in items} == {Basis.AGREED, Basis.PLANNED}
    assert len(from_plans) >= 10, "plan steps are part of the day"


def test_each_quote_s_story_runs_in_order(business: Database, now: datetime) -> None:
    """Asked, answered, measured, quoted, followed up, closed: in that order, never ahead of
    now, with calls and visits in the customer's waking hours."""
    with business.reading() as session:
        quotes = {q.id: q for q in session.execute(select(Quote)).scalars()}
        zones = dict(session.execute(select(Customer.id, Customer.timezone)).all())
        touches = session.execute(select(Touch)).scalars().all()
    by_quote: dict[int, list[Touch]] = defaultdict(list)
    for t in touches:
        assert t.at <= now
        if t.quote_id is not None:
            by_quote[t.quote_id].append(t)
        if t.direction is Direction.OUTBOUND and t.channel in (Channel.CALL, Channel.VISIT):
            hour = t.at.astimezone(ZoneInfo(zones[t.customer_id])).hour
            assert 7 <= hour < 21, (t.summary, t.at, zones[t.customer_id])
    # A lead still waiting was entered as the owner enters one: no number, no touch yet.
    waiting = {
        q.id for q in quotes.values() if q.stage is Stage.LEAD and q.first_response_at is None
    }
    assert waiting
    assert all(
        q.number is None and q.id not in by_quote for q in quotes.values() if q.id in waiting
    )
    # A quote gets its number when it is made: an enquiry answered but not yet quoted has none.
    assert all(q.number is None for q in quotes.values() if q.sent_at is None)
    numbered = sorted(
        (q for q in quotes.values() if q.sent_at is not None), key=lambda q: (q.received_at, q.id)
    )
    assert [q.number for q in numbered] == sorted(q.number or "" for q in numbered)
    for q in numbered:
        steps = [q.received_at, q.first_response_at, q.sent_at, q.closed_at]
        present = [s for s in steps if s is not None]
        assert present == sorted(present), q.number
        mine = by_quote[q.id]
        assert min(t.at for t in mine) == q.received_at
        assert q.last_touch_at == max(t.at for t in mine)
        if q.stage is Stage.QUOTED:
            assert q.sent_at is not None
            outbound = [t for t in mine if t.direction is Direction.OUTBOUND and t.at > q.sent_at]
            assert outbound == [], "a quote nobody followed up yet is still 'quoted'"


def test_places_jobs_and_words_belong_to_the_customer_s_country(business: Database) -> None:
    """A Boulder customer lives in 80302 on Denver time and has a wood deck quoted in feet;
    a "repeat customer" bought from the business before."""
    places = {
        (m.country, p.suburb): (p.region, p.postcode, p.timezone) for m in MARKETS for p in m.places
    }
    foreign = {
        "US": re.compile(r"m²|Colorbond|benchtop|worktop|aluminium|storey|granny", re.I),
        "GB": re.compile(r"sq ft|Colorbond|benchtop|countertop|aluminum|granny", re.I),
        "AU": re.compile(r"sq ft|countertop|worktop|aluminum|ADU", re.I),
    }
    with business.reading() as session:
        customers = session.execute(
            select(
                Customer.id,
                Customer.country,
                Customer.suburb,
                Customer.region,
                Customer.postcode,
                Customer.timezone,
            )
        ).all()
        quotes = session.execute(
            select(Quote.customer_id, Quote.job, Quote.source, Quote.stage, Quote.received_at)
        ).all()
    country_of = {}
    for cid, country, suburb, region, postcode, zone in customers:
        assert places[(country, suburb or "")] == (region, postcode, zone)
        country_of[cid] = country
    won: dict[int, list[datetime]] = defaultdict(list)
    for cid, _job, _source, stage, received in quotes:
        if stage is Stage.WON:
            won[cid].append(received)
    repeat = 0
    for cid, job, source, _stage, received in quotes:
        words = foreign.get(country_of[cid], foreign["AU"])
        assert not words.search(job), (country_of[cid], job)
        if source == "repeat customer":
            repeat += 1
            assert any(at < received for at in won[cid]), (cid, job)
    assert repeat > 20


def test_each_follow_up_s_reason_fits_its_channel(business: Database) -> None:
    """No call asks to "post a handwritten note", no card is "the reason I'm calling"."""
    with business.reading() as session:
        rows = session.execute(select(FollowUp.channel, FollowUp.reason)).all()
    for channel, reason in rows:
        if re.search(r"\b(card|handwritten)\b", reason, re.I):
            assert channel is Channel.CARD, (channel, reason)
        if "I'm calling" in reason:
            assert channel is Channel.CALL, (channel, reason)
        if re.search(r"\b(send|sent) (photos|the refreshed quote)\b", reason, re.I):
            assert channel is Channel.EMAIL, (channel, reason)


def test_a_quote_lost_for_no_reply_was_tried_and_never_answered(business: Database) -> None:
    with business.reading() as session:
        lost = session.execute(
            select(Quote.id, Quote.sent_at).where(
                Quote.lost_reason.in_(
                    [
                        "no reply after three tries",
                        "no reply to any of our follow-ups",
                        "no reply in six months of follow-ups",
                    ]
                )
            )
        ).all()
        assert len(lost) > 10
        for qid, sent in lost:
            after = session.execute(
                select(Touch.direction, Touch.outcome).where(Touch.quote_id == qid, Touch.at > sent)
            ).all()
            assert all(d is Direction.OUTBOUND for d, _ in after), qid
            assert len(after) >= 3, qid
            assert all(o.value != "reached" for _, o in after), qid


@pytest.mark.parametrize(
    "when",
    [
        datetime(2027, 4, 6, 23, 0, tzinfo=UTC),  # Sydney's clocks went back on Sunday
        datetime(2027, 3, 16, 14, 0, tzinfo=UTC),  # New York's went forward on Sunday
        datetime(2026, 12, 27, 3, 0, tzinfo=UTC),  # between Christmas and New Year
    ],
)
def test_any_day_of_the_year_gives_a_business_inside_every_rule(
    tmp_path: Path, when: datetime
) -> None:
    db = open_database(str(tmp_path / "demo.db"))
    with db.unit_of_work() as session:
        generate_demo(session, customers=300, quotes=800, seed=when.day, now=when)
    with db.reading() as session:
        assert audit_rules(session) == []
        future = session.execute(select(Touch.id).where(Touch.at > when)).all()
        assert future == []
    db.close()
