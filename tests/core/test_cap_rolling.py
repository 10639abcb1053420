"""Rule 5: persistence that never bunches up.

Two plans started together used to give one customer two planned touches at the same
minute, and counting the Monday-Sunday week let three fall within seven days across a week
boundary. Planned touches now stay a day apart and at most the cap in any seven days;
agreed touches are exempt and never moved.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from deckfollow.core.cadence_library import seed_builtin_cadences
from deckfollow.core.cadence_runs import start_cadence
from deckfollow.core.enums import Basis, Channel, FollowUpStatus
from deckfollow.core.errors import PermissionRefused
from deckfollow.core.followups import FollowUpPlan, audit_rules, schedule_follow_up
from deckfollow.core.leads import LeadCreated, NewLead, add_lead
from deckfollow.core.models import FollowUp
from deckfollow.core.settings import set_setting
from deckfollow.storage.database import Database

SYD = ZoneInfo("Australia/Sydney")


@pytest.fixture
def lead(db: Database, now: datetime) -> LeadCreated:
    with db.unit_of_work() as s:
        seed_builtin_cadences(s)
        return add_lead(
            s,
            NewLead(
                "Grace Hopper",
                email="grace@example.com",
                country="AU",
                timezone=str(SYD),
                answered=True,
            ),
            now=now,
        )


def _planned(db: Database, customer_id: int) -> list[datetime]:
    with db.reading() as s:
        return sorted(
            s.scalars(
                select(FollowUp.due_at).where(
                    FollowUp.customer_id == customer_id,
                    FollowUp.basis == Basis.PLANNED,
                    FollowUp.status == FollowUpStatus.PENDING,
                )
            )
        )


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), SYD)


def test_two_plans_started_together_do_not_land_on_the_same_minute(
    db: Database, lead: LeadCreated, now: datetime
) -> None:
    with db.unit_of_work() as s:
        for key in ("after_quote", "after_sale"):
            start_cadence(s, lead.customer_id, key, quote_id=lead.quote_id, now=now)
    first, second = _planned(db, lead.customer_id)
    assert second - first >= timedelta(days=1)
    with db.reading() as s:
        assert audit_rules(s) == []


def test_three_planned_touches_never_fall_within_seven_days_across_a_week_boundary(
    db: Database, lead: LeadCreated, now: datetime
) -> None:
    friday, sunday, monday = date(2026, 11, 27), date(2026, 11, 29), date(2026, 11, 30)
    with db.unit_of_work() as s:
        for day in (friday, sunday):
            plan = FollowUpPlan(_at(day, 10), Channel.EMAIL, "Send the colour samples")
            schedule_follow_up(s, lead.customer_id, lead.quote_id, plan, now=now)
    # Monday starts a new calendar week, but Friday to Monday is four days: refused, and
    # the offer is when Friday's touch leaves the seven days (the next Friday at 10:00).
    monday_plan = FollowUpPlan(_at(monday, 10), Channel.EMAIL, "Check the samples arrived")
    with (
        pytest.raises(PermissionRefused, match="limit is 2 in any seven days") as refused,
        db.unit_of_work() as s,
    ):
        schedule_follow_up(s, lead.customer_id, lead.quote_id, monday_plan, now=now)
    assert refused.value.suggestion == _at(date(2026, 12, 4), 10)
    # An agreed touch is exempt: the customer asked for Monday, so Monday it is.
    agreed = FollowUpPlan(
        _at(monday, 10),
        Channel.CALL,
        "Talk through the samples",
        Basis.AGREED,
        "Call me Monday at ten",
    )
    with db.unit_of_work() as s:
        fu = schedule_follow_up(s, lead.customer_id, lead.quote_id, agreed, now=now)
        assert fu.due_at == _at(monday, 10)


def test_the_cap_stays_configurable(db: Database, lead: LeadCreated, now: datetime) -> None:
    with db.unit_of_work() as s:
        set_setting(s, "weekly_cap", "3")
        for day in (23, 24, 25):
            plan = FollowUpPlan(_at(date(2026, 11, day), 10), Channel.EMAIL, "Samples")
            schedule_follow_up(s, lead.customer_id, lead.quote_id, plan, now=now)
    # Three in seven days is allowed with a cap of three; a fourth is not ...
    fourth = FollowUpPlan(_at(date(2026, 11, 27), 10), Channel.EMAIL, "Samples")
    with (
        pytest.raises(PermissionRefused, match="limit is 3 in any seven days"),
        db.unit_of_work() as s,
    ):
        schedule_follow_up(s, lead.customer_id, lead.quote_id, fourth, now=now)
    # ... and a touch 23 hours after another is too close, whatever the cap.
    close = FollowUpPlan(_at(date(2026, 11, 25), 10) + timedelta(hours=23), Channel.CARD, "Card")
    with pytest.raises(PermissionRefused, match="at least a day apart"), db.unit_of_work() as s:
        schedule_follow_up(s, lead.customer_id, lead.quote_id, close, now=now)
