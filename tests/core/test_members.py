"""Who did what, and a move checked against the version the user started from."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from deckfollow.core.enums import Channel, Direction, Outcome, Stage
from deckfollow.core.errors import ConcurrentEditError
from deckfollow.core.followups import FollowUpPlan
from deckfollow.core.leads import LeadCreated
from deckfollow.core.models import FollowUp, Quote, Touch
from deckfollow.core.pipeline import Close, close_quote, move_stage
from deckfollow.core.settings import save_setting
from deckfollow.core.touches import TouchRecord, log_touch
from deckfollow.storage.database import Database
from tests.factories import new_lead


@pytest.fixture
def lead(db: Database, now: datetime) -> LeadCreated:
    with db.unit_of_work() as s:
        save_setting(s, "owner_name", "Dana Owner")
        save_setting(s, "owner_timezone", "Australia/Sydney")
    return new_lead(
        db,
        "Grace Hopper",
        phone="+61412000111",
        country="AU",
        note="Hardwood deck",
        now=now - timedelta(hours=3),
    )


def test_on_sqlite_the_owner_s_name_is_the_member_on_what_they_record(
    db: Database, lead: LeadCreated, now: datetime
):
    touch = TouchRecord(
        lead.customer_id, Channel.CALL, Direction.OUTBOUND, Outcome.REACHED, now,
        quote_id=lead.quote_id,
    )  # fmt: skip
    plan = FollowUpPlan(now + timedelta(days=2), Channel.CALL, "Walk through the quote")
    with db.unit_of_work() as s:
        log_touch(s, touch, plan, now=now)
    with db.reading() as s:
        quote = s.get(Quote, lead.quote_id)
        assert quote is not None
        assert (quote.owner, quote.updated_by) == ("Dana Owner", "Dana Owner")
        assert s.execute(select(Touch.member)).scalar_one() == "Dana Owner"
        assert set(s.execute(select(FollowUp.member)).scalars()) == {"Dana Owner"}


def test_a_move_from_a_stale_version_is_refused_naming_who_and_when(
    db: Database, lead: LeadCreated, now: datetime
):
    with db.reading() as s:
        seen = s.get(Quote, lead.quote_id).version  # type: ignore[union-attr]
    # Someone else moves it first (11:00 UTC is 22:00 in Sydney).
    moved_at = now.replace(hour=11, minute=0, second=0, microsecond=0)
    with db.unit_of_work() as s:
        move_stage(s, lead.quote_id, Stage.QUOTED, now=moved_at, expected_version=seen)
    with pytest.raises(ConcurrentEditError) as caught, db.unit_of_work() as s:
        close_quote(s, lead.quote_id, Close(Stage.WON), now=now, expected_version=seen)
    err = caught.value
    assert "Dana Owner at 22:00" in str(err) and "Quoted" in str(err)
    assert err.who == "Dana Owner" and err.theirs["stage"] == "Quoted"
    with db.reading() as s:
        assert s.get(Quote, lead.quote_id).stage is Stage.QUOTED  # type: ignore[union-attr]
    # Reapplying from the version now shown goes through.
    with db.unit_of_work() as s:
        move_stage(
            s, lead.quote_id, Stage.FOLLOWING_UP, now=now,
            expected_version=int(err.theirs["version"]),
        )  # fmt: skip
    with db.reading() as s:
        quote = s.get(Quote, lead.quote_id)
        assert quote is not None and quote.stage is Stage.FOLLOWING_UP
        assert quote.stage_changed_by == "Dana Owner"
