"""Moving a won quote back out of Won stops the after-sale plan winning started: nobody is
thanked for a job they have not bought. Winning again starts it again, once."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from deckfollow.core.cadence_library import seed_builtin_cadences
from deckfollow.core.enums import (
    CadenceRunStatus,
    Channel,
    Direction,
    FollowUpStatus,
    Outcome,
    Stage,
)
from deckfollow.core.errors import ConcurrentEditError
from deckfollow.core.history import customer_history
from deckfollow.core.leads import LeadCreated, NewLead, add_lead
from deckfollow.core.models import CadenceRun, FollowUp, Quote
from deckfollow.core.pipeline import Close
from deckfollow.core.quotes import change_stage
from deckfollow.core.touches import TouchRecord, log_touch
from deckfollow.storage.database import Database

THANKS = "Thank you for choosing us, and confirm the start date"


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


def _pending(db: Database) -> list[str]:
    with db.reading() as s:
        return list(
            s.execute(
                select(FollowUp.reason)
                .where(FollowUp.status == FollowUpStatus.PENDING)
                .order_by(FollowUp.id)
            ).scalars()
        )


def _runs(db: Database) -> list[CadenceRunStatus]:
    with db.reading() as s:
        return list(s.execute(select(CadenceRun.status).order_by(CadenceRun.id)).scalars())


@pytest.mark.parametrize("back_to", [Stage.FOLLOWING_UP, Stage.QUOTED, Stage.LEAD])
def test_leaving_won_cancels_the_after_sale_plan_and_says_so(
    db: Database, lead: LeadCreated, now: datetime, back_to: Stage
) -> None:
    with db.unit_of_work() as s:
        won = change_stage(s, lead.quote_id, Stage.WON, now=now, after_sale=True)
    assert won.after_sale_started and _pending(db) == [THANKS]
    later = now + timedelta(minutes=5)
    with db.unit_of_work() as s:
        moved = change_stage(s, lead.quote_id, back_to, now=later)
    assert _pending(db) == []
    assert _runs(db) == [CadenceRunStatus.STOPPED]
    assert moved.after_sale_stopped == 1
    assert moved.after_sale_stopped_text == (
        "the after-sale plan was stopped: 1 follow-up cancelled"
    )
    assert moved.changes.follow_ups
    assert moved.changes.notices == ("The after-sale plan was stopped: 1 follow-up cancelled.",)
    with db.reading() as s:
        timeline = customer_history(s, lead.customer_id, now=later)
    [thanks] = [h for h in timeline if THANKS in h.detail]
    assert "cancelled" in thanks.title
    assert f"after-sale plan stopped: the quote moved from Won to {back_to.label}" in thanks.detail


def test_winning_again_starts_the_plan_again_without_a_second_thank_you(
    db: Database, lead: LeadCreated, now: datetime
) -> None:
    with db.unit_of_work() as s:
        change_stage(s, lead.quote_id, Stage.WON, now=now, after_sale=True)
    with db.unit_of_work() as s:
        change_stage(s, lead.quote_id, Stage.FOLLOWING_UP, now=now + timedelta(minutes=1))
    with db.unit_of_work() as s:
        again = change_stage(
            s, lead.quote_id, Stage.WON, now=now + timedelta(minutes=2), after_sale=True
        )
    assert again.after_sale_started and again.after_sale_stopped is None
    assert _pending(db) == [THANKS]
    assert _runs(db) == [CadenceRunStatus.STOPPED, CadenceRunStatus.ACTIVE]
    # Won once more while won (a second drop on Won, `quote stage … won` again): the plan
    # runs on, not stopped and started over.
    with db.unit_of_work() as s:
        same = change_stage(
            s, lead.quote_id, Stage.WON, now=now + timedelta(minutes=3), after_sale=True
        )
    assert not same.after_sale_started and same.after_sale_stopped is None
    assert _pending(db) == [THANKS]
    assert _runs(db) == [CadenceRunStatus.STOPPED, CadenceRunStatus.ACTIVE]


def test_logging_the_thank_you_call_and_closing_as_won_keeps_the_plan_going(
    db: Database, lead: LeadCreated, now: datetime
) -> None:
    with db.unit_of_work() as s:
        change_stage(s, lead.quote_id, Stage.WON, now=now, after_sale=True)
        thanks = s.execute(select(FollowUp.id).where(FollowUp.reason == THANKS)).scalar_one()
    at = now + timedelta(hours=2)
    with db.unit_of_work() as s:
        log_touch(
            s,
            TouchRecord(
                lead.customer_id,
                Channel.CALL,
                Direction.OUTBOUND,
                Outcome.REACHED,
                at,
                quote_id=lead.quote_id,
                follow_up_id=thanks,
            ),
            Close(Stage.WON),
            now=at,
        )
    # The plan moved on to its next step, not back to the thank-you it just did.
    assert _runs(db) == [CadenceRunStatus.ACTIVE]
    pending = _pending(db)
    assert len(pending) == 1 and pending != [THANKS]


def test_lost_after_won_says_the_after_sale_plan_stopped(
    db: Database, lead: LeadCreated, now: datetime
) -> None:
    with db.unit_of_work() as s:
        change_stage(s, lead.quote_id, Stage.WON, now=now, after_sale=True)
    with db.unit_of_work() as s:
        lost = change_stage(
            s, lead.quote_id, Stage.LOST, now=now + timedelta(minutes=1), lost_reason="cancelled"
        )
    assert lost.after_sale_stopped == 1 and _pending(db) == []


def test_a_move_refused_as_stale_stops_nothing(
    db: Database, lead: LeadCreated, now: datetime
) -> None:
    with db.unit_of_work() as s:
        change_stage(s, lead.quote_id, Stage.WON, now=now, after_sale=True)
        seen = s.execute(select(Quote.version).where(Quote.id == lead.quote_id)).scalar_one()
    with db.unit_of_work() as s:  # someone else saved the quote meanwhile
        s.execute(update(Quote).where(Quote.id == lead.quote_id).values(version=seen + 1))
    with pytest.raises(ConcurrentEditError), db.unit_of_work() as s:
        change_stage(s, lead.quote_id, Stage.FOLLOWING_UP, now=now, version=seen)
    assert _pending(db) == [THANKS]
    with db.reading() as s:
        count = s.execute(select(func.count()).select_from(CadenceRun)).scalar_one()
    assert count == 1
