"""Logging touches ("what's next?" is required), closing quotes, speed-to-lead."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from deckfollow.core.enums import (
    Basis,
    CadenceRunStatus,
    Channel,
    Direction,
    FollowUpStatus,
    Outcome,
    Stage,
)
from deckfollow.core.errors import NotFoundError, ValidationError
from deckfollow.core.followups import FollowUpPlan, schedule_follow_up
from deckfollow.core.leads import LeadCreated, NewLead, add_lead
from deckfollow.core.models import Cadence, CadenceRun, Customer, FollowUp, Quote, Touch
from deckfollow.core.pipeline import Close, close_quote, move_stage
from deckfollow.core.touches import TouchRecord, log_touch
from deckfollow.storage.database import Database
from tests.factories import new_lead


@pytest.fixture
def lead(db: Database, now: datetime) -> LeadCreated:
    return new_lead(
        db,
        "Grace Hopper",
        phone="+61412000111",
        email="grace@example.com",
        country="AU",
        timezone="Australia/Sydney",
        note="Hardwood deck",
        answered=True,
        now=now - timedelta(hours=3),
    )


@pytest.fixture
def waiting_lead(db: Database, now: datetime) -> LeadCreated:
    """A lead nobody has answered yet: its first reply waits and the clock runs."""
    return new_lead(
        db,
        "Grace Hopper",
        phone="+61412000111",
        country="AU",
        timezone="Australia/Sydney",
        note="Hardwood deck",
        now=now - timedelta(hours=3),
    )


def _call(lead: LeadCreated, at: datetime, **kw) -> TouchRecord:
    return TouchRecord(
        lead.customer_id,
        Channel.CALL,
        kw.pop("direction", Direction.OUTBOUND),
        kw.pop("outcome", Outcome.REACHED),
        at,
        quote_id=lead.quote_id,
        **kw,
    )


def test_add_lead_refuses_an_empty_name_and_saves_nothing(db: Database, now: datetime):
    with pytest.raises(ValidationError, match="name"), db.unit_of_work() as s:
        add_lead(s, NewLead("   ", email="x@example.com", answered=True), now=now)
    with db.reading() as s:
        assert s.execute(select(Customer)).first() is None


def test_a_touch_without_a_next_step_is_refused(db: Database, lead: LeadCreated, now: datetime):
    with pytest.raises(ValidationError, match="what's next"), db.unit_of_work() as s:
        log_touch(s, _call(lead, now), None, now=now)
    with db.reading() as s:
        assert s.execute(select(Touch)).first() is None


def test_first_outbound_touch_stops_the_speed_to_lead_clock(
    db: Database, waiting_lead: LeadCreated, now: datetime
):
    lead = waiting_lead
    nxt = FollowUpPlan(
        now + timedelta(days=1, hours=1),
        Channel.TEXT,
        "Send the timber samples photo",
        Basis.AGREED,
        "Text me tomorrow",
    )
    with db.unit_of_work() as s:
        log_touch(s, _call(lead, now - timedelta(minutes=5)), nxt, now=now)
    with db.reading() as s:
        quote = s.get(Quote, lead.quote_id)
        assert quote is not None
        assert quote.first_response_at == now - timedelta(minutes=5)
        assert quote.first_response_at - quote.received_at == timedelta(hours=2, minutes=55)
        assert quote.last_touch_at == now - timedelta(minutes=5)
        # The call answered the enquiry: its waiting first reply is done, the agreed text waits.
        rows = s.execute(select(FollowUp).order_by(FollowUp.id)).scalars().all()
        assert [(f.basis, f.channel, f.status) for f in rows] == [
            (Basis.PLANNED, Channel.TEXT, FollowUpStatus.DONE),
            (Basis.AGREED, Channel.TEXT, FollowUpStatus.PENDING),
        ]


def test_completing_a_follow_up_marks_it_done(db: Database, lead: LeadCreated, now: datetime):
    with db.unit_of_work() as s:
        fu = schedule_follow_up(
            s,
            lead.customer_id,
            lead.quote_id,
            FollowUpPlan(now + timedelta(hours=1), Channel.CALL, "Walk through the quote"),
            now=now,
        )
        fid = fu.id
    later = now + timedelta(hours=2)
    with db.unit_of_work() as s:
        log_touch(s, _call(lead, later, follow_up_id=fid), Close(Stage.WON), now=later)
    with db.reading() as s:
        assert s.get(FollowUp, fid).status is FollowUpStatus.DONE  # type: ignore[union-attr]
        assert s.get(Quote, lead.quote_id).stage is Stage.WON  # type: ignore[union-attr]


def test_lost_needs_a_reason_and_cancels_planned_steps_but_keeps_agreed_ones(
    db: Database, lead: LeadCreated, now: datetime
):
    with db.unit_of_work() as s:
        schedule_follow_up(
            s,
            lead.customer_id,
            lead.quote_id,
            FollowUpPlan(now + timedelta(days=2), Channel.EMAIL, "Send the warranty details"),
            now=now,
        )
        schedule_follow_up(
            s,
            lead.customer_id,
            lead.quote_id,
            FollowUpPlan(
                now + timedelta(days=30),
                Channel.CALL,
                "Ask how the build went elsewhere",
                Basis.AGREED,
                "Sure, call me in a month",
            ),
            now=now,
        )
    with pytest.raises(ValidationError, match="lost reason"), db.unit_of_work() as s:
        close_quote(s, lead.quote_id, Close(Stage.LOST), now=now)
    with db.unit_of_work() as s:
        close_quote(
            s, lead.quote_id, Close(Stage.LOST, lost_reason="Went with a cheaper quote"), now=now
        )
    with db.reading() as s:
        statuses = {f.basis: f.status for f in s.execute(select(FollowUp)).scalars()}
    assert statuses == {
        Basis.PLANNED: FollowUpStatus.CANCELLED,
        Basis.AGREED: FollowUpStatus.PENDING,
    }


def test_parking_plans_the_revisit_on_the_agreed_date(
    db: Database, lead: LeadCreated, now: datetime
):
    with db.unit_of_work() as s:
        close_quote(s, lead.quote_id, Close(Stage.PARKED, parked_until=date(2027, 5, 24)), now=now)
    with db.reading() as s:
        fu = s.execute(select(FollowUp)).scalar_one()
        quote = s.get(Quote, lead.quote_id)
    assert quote is not None and quote.parked_until == date(2027, 5, 24)
    local = fu.due_at.astimezone(__import__("zoneinfo").ZoneInfo("Australia/Sydney"))
    assert (local.date(), local.hour) == (date(2027, 5, 24), 10)
    assert "parked" in fu.reason.lower()


def test_parking_needs_a_future_date(db: Database, lead: LeadCreated, now: datetime):
    with pytest.raises(ValidationError, match="future"), db.unit_of_work() as s:
        close_quote(s, lead.quote_id, Close(Stage.PARKED, parked_until=now.date()), now=now)


def test_a_reply_pauses_the_cadence_until_the_user_decides(
    db: Database, lead: LeadCreated, now: datetime
):
    from deckfollow.core.due import due_items

    with db.unit_of_work() as s:
        cad = Cadence(key="t", name="Test plan")
        s.add(cad)
        s.flush()
        run = CadenceRun(
            cadence_id=cad.id,
            customer_id=lead.customer_id,
            quote_id=lead.quote_id,
            started_at=now,
            status=CadenceRunStatus.ACTIVE,
        )
        s.add(run)
        s.flush()
        fu = schedule_follow_up(
            s,
            lead.customer_id,
            lead.quote_id,
            FollowUpPlan(now + timedelta(hours=1), Channel.CALL, "Check the quote arrived"),
            now=now,
        )
        fu.cadence_run_id = run.id
        run_id = run.id
    reply = TouchRecord(
        lead.customer_id,
        Channel.TEXT,
        Direction.INBOUND,
        Outcome.REPLIED,
        now,
        quote_id=lead.quote_id,
        summary="Can you do it in merbau instead?",
    )
    with db.unit_of_work() as s:
        log_touch(s, reply, None, now=now, await_decision=True)
    with db.reading() as s:
        assert s.get(CadenceRun, run_id).status is CadenceRunStatus.PAUSED  # type: ignore[union-attr]
        listed = due_items(
            s, day=now.date() + timedelta(days=1), now=now, owner_tz="Australia/Sydney"
        )
    assert listed == []


def test_moving_an_open_quote_between_stages(db: Database, lead: LeadCreated, now: datetime):
    with db.unit_of_work() as s:
        move_stage(s, lead.quote_id, Stage.QUOTED, now=now)
    with db.reading() as s:
        assert s.get(Quote, lead.quote_id).stage is Stage.QUOTED  # type: ignore[union-attr]
    with pytest.raises(ValidationError), db.unit_of_work() as s:
        move_stage(s, lead.quote_id, Stage.WON, now=now)
    with pytest.raises(NotFoundError), db.unit_of_work() as s:
        move_stage(s, 9999, Stage.QUOTED, now=now)


def test_a_do_not_contact_person_cannot_come_back_as_a_new_lead(db: Database, now: datetime):
    from deckfollow.core.consent import revoke_consent

    with db.unit_of_work() as s:
        first = add_lead(
            s, NewLead("Dan Nocontact", phone="+61412000333", country="AU", answered=True), now=now
        )
        revoke_consent(
            s, first.customer_id, None, source="phone call", words="Stop calling", now=now
        )
    with pytest.raises(ValidationError, match="not to be contacted"), db.unit_of_work() as s:
        add_lead(s, NewLead("Daniel N", phone="0412 000 333", country="AU", answered=True), now=now)
    with db.reading() as s:
        assert len(s.execute(select(Customer)).all()) == 1
