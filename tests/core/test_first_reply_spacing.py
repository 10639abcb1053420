"""A call that answers a lead before its planned first reply is the touch the next step is
kept a day clear of: the first reply it settled is recorded when it was given, not when it
had been planned."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from deckfollow.core.enums import Channel, Direction, FollowUpStatus, Outcome, Stage
from deckfollow.core.errors import PermissionRefused
from deckfollow.core.followups import FollowUpPlan, audit_rules
from deckfollow.core.history import customer_history
from deckfollow.core.leads import LeadCreated
from deckfollow.core.models import FollowUp
from deckfollow.core.quotes import change_stage
from deckfollow.core.settings import save_owner_settings
from deckfollow.core.touches import TouchRecord, log_touch
from deckfollow.storage.database import Database, open_database
from tests.conftest import Prebuilt
from tests.examples import examples
from tests.factories import new_lead

SYD = ZoneInfo("Australia/Sydney")
# Saturday night: the customer's hours put the first reply at Monday 9:00 am.
SATURDAY_NIGHT = datetime(2026, 12, 5, 22, 0, tzinfo=SYD)
SUNDAY_CALL = datetime(2026, 12, 6, 10, 0, tzinfo=SYD)
MONDAY_NOON = datetime(2026, 12, 7, 12, 0, tzinfo=SYD)


@pytest.fixture
def lead(db: Database) -> LeadCreated:
    with db.unit_of_work() as s:
        save_owner_settings(
            s,
            {"default_country": "AU", "owner_region": "NSW", "owner_timezone": "Australia/Sydney"},
        )
    return new_lead(db, "Mia Chen", "0412 345 679", note="A new deck", now=SATURDAY_NIGHT)


def _first_reply(db: Database, lead: LeadCreated) -> FollowUp:
    with db.reading() as s:
        fu = s.get(FollowUp, lead.follow_up_id)
        assert fu is not None
        return fu


def _call(
    db: Database, lead: LeadCreated, *, follow_up_id: int | None, next_at: datetime = MONDAY_NOON
) -> None:
    """Sunday's call to the lead, a text planned as its next step."""
    with db.unit_of_work() as s:
        log_touch(
            s,
            TouchRecord(
                lead.customer_id,
                Channel.CALL,
                Direction.OUTBOUND,
                Outcome.REACHED,
                SUNDAY_CALL,
                quote_id=lead.quote_id,
                follow_up_id=follow_up_id,
            ),
            FollowUpPlan(next_at, Channel.TEXT, "Send the photos of the spotted gum deck"),
            now=SUNDAY_CALL + timedelta(minutes=5),
        )


def test_the_first_reply_waits_for_monday_morning(db: Database, lead: LeadCreated) -> None:
    planned = _first_reply(db, lead).due_at.astimezone(SYD)
    assert planned > MONDAY_NOON - timedelta(days=1)  # the case below is a real crowding


@pytest.mark.parametrize("from_today", [True, False], ids=["its-follow-up", "the-quote"])
def test_a_call_answering_the_lead_early_lets_the_next_step_follow_a_day_after_it(
    db: Database, lead: LeadCreated, from_today: bool
) -> None:
    _call(db, lead, follow_up_id=lead.follow_up_id if from_today else None)

    first = _first_reply(db, lead)
    assert first.status is FollowUpStatus.DONE
    assert first.due_at == SUNDAY_CALL  # when it was given, on the timeline too
    with db.reading() as s:
        pending = list(
            s.execute(select(FollowUp).where(FollowUp.status == FollowUpStatus.PENDING)).scalars()
        )
        assert [(f.due_at, f.channel) for f in pending] == [(MONDAY_NOON, Channel.TEXT)]
        assert audit_rules(s) == []
        entries = customer_history(s, lead.customer_id)
    done = [e for e in entries if e.kind == "follow_up" and "(done)" in e.title]
    assert [e.at for e in done] == [SUNDAY_CALL]  # beside the call, not on Monday


def test_a_next_step_within_a_day_of_the_call_itself_is_still_refused(
    db: Database, lead: LeadCreated
) -> None:
    with pytest.raises(PermissionRefused, match="a day apart"):
        _call(
            db,
            lead,
            follow_up_id=lead.follow_up_id,
            next_at=SUNDAY_CALL + timedelta(hours=23, minutes=30),
        )
    # Nothing of the refused unit of work is kept: the first reply still waits.
    assert _first_reply(db, lead).status is FollowUpStatus.PENDING


def test_a_quote_sent_on_sunday_records_the_first_reply_then(
    db: Database, lead: LeadCreated
) -> None:
    with db.unit_of_work() as s:
        change_stage(s, lead.quote_id, Stage.QUOTED, now=SUNDAY_CALL)
    first = _first_reply(db, lead)
    assert first.status is FollowUpStatus.DONE
    assert first.due_at == SUNDAY_CALL


@settings(
    max_examples=examples(60),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    added=st.integers(0, 7 * 24 * 60),
    answered=st.floats(0, 1),
    gap=st.integers(60, 4 * 24 * 60),
)
def test_the_next_step_is_kept_a_day_from_the_answer_not_from_the_plan(
    tmp_path_factory: pytest.TempPathFactory,
    prebuilt: Prebuilt,
    added: int,
    answered: float,
    gap: int,
) -> None:
    """Whenever the lead came in and however early the call answered it, a next email is
    refused exactly when it lies within a day of that call, and the rules audit holds."""
    path = prebuilt.migrated(tmp_path_factory.mktemp("spacing") / "deckfollow.db")
    db = open_database(str(path))
    try:
        with db.unit_of_work() as s:
            save_owner_settings(
                s, {"default_country": "AU", "owner_region": "NSW", "owner_timezone": str(SYD)}
            )
        start = datetime(2026, 11, 30, 0, 0, tzinfo=SYD) + timedelta(minutes=added)
        lead = new_lead(db, "Mia Chen", "0412 345 679", "mia@example.com", now=start)
        planned = _first_reply(db, lead).due_at
        call = start + (planned - start) * answered
        nxt = call + timedelta(minutes=gap)
        try:
            with db.unit_of_work() as s:
                log_touch(
                    s,
                    TouchRecord(
                        lead.customer_id,
                        Channel.CALL,
                        Direction.OUTBOUND,
                        Outcome.REACHED,
                        call,
                        quote_id=lead.quote_id,
                    ),
                    FollowUpPlan(nxt, Channel.EMAIL, "Send the photos of the deck"),
                    now=call,
                )
            refused = False
        except PermissionRefused:
            refused = True
        assert refused is (nxt - call < timedelta(days=1)), (call, planned, nxt)
        with db.reading() as s:
            assert audit_rules(s) == []
    finally:
        db.close()
