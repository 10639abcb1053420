"""The rules audit (run over demo data, restores and the property test) reads the whole
business at once and still names each broken follow-up with its own customer."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from deckfollow.core.enums import Basis, Channel, FollowUpStatus
from deckfollow.core.followups import FollowUpPlan, audit_rules, schedule_follow_up
from deckfollow.core.models import Customer, FollowUp
from deckfollow.core.settings import set_setting
from deckfollow.storage.database import Database
from tests.factories import new_lead

SYD = ZoneInfo("Australia/Sydney")


def _planned_call(db: Database, name: str, at: datetime, now: datetime) -> tuple[int, int]:
    lead = new_lead(
        db, name, "+61412000111", country="AU", timezone="Australia/Sydney", answered=True, now=now
    )
    with db.unit_of_work() as s:
        fu = schedule_follow_up(
            s,
            lead.customer_id,
            lead.quote_id,
            FollowUpPlan(at, Channel.CALL, "Go over it"),
            now=now,
        )
        return lead.customer_id, fu.id


def test_each_customer_s_broken_follow_ups_are_named_in_one_audit(db: Database, now: datetime):
    tomorrow = now.astimezone(SYD).date() + timedelta(days=1)
    ten = datetime.combine(tomorrow, time(10), SYD)
    _ann, ann_fu = _planned_call(db, "Ann Able", ten, now)
    bob, bob_fu = _planned_call(db, "Bob Baker", ten, now)
    cal, _ = _planned_call(db, "Cal Cole", ten, now)
    dee, dee_fu = _planned_call(db, "Dee Dunn", ten, now)
    _planned_call(db, "Eve Ends", ten, now)  # kept to every rule
    with db.unit_of_work() as s:
        assert audit_rules(s) == []
        # Careless edits behind the services' back.
        ann_call = s.get(FollowUp, ann_fu)
        assert ann_call is not None
        ann_call.due_at = datetime.combine(tomorrow, time(23), SYD)  # outside allowed hours
        bob_row, cal_row = s.get(Customer, bob), s.get(Customer, cal)
        assert bob_row is not None and cal_row is not None
        bob_row.do_not_contact = True
        # In the trash, and so out of the audit, whatever their follow-ups say.
        cal_row.deleted_at = now
        cal_row.do_not_contact = True
        # A second planned call two days after Dee's first, with the cap lowered to one.
        another = FollowUp(
            customer_id=dee,
            due_at=ten + timedelta(days=2),
            timezone="Australia/Sydney",
            channel=Channel.CALL,
            reason="Another go",
            basis=Basis.PLANNED,
            status=FollowUpStatus.PENDING,
            created_at=now,
        )
        s.add(another)
        set_setting(s, "weekly_cap", "1")
        s.flush()
        another_id = another.id
        problems = audit_rules(s)
        only_bob = audit_rules(s, [bob, cal])
    assert problems[0] == f"follow-up {ann_fu} (Ann Able, call): due outside allowed hours"
    assert problems[1].startswith(f"follow-up {bob_fu} (Bob Baker, call): Bob Baker asked not")
    assert problems[2].startswith(f"follow-up {dee_fu} (Dee Dunn, call): Dee Dunn already has 1")
    assert problems[3].startswith(f"follow-up {another_id} (Dee Dunn, call): Dee Dunn already")
    assert len(problems) == 4
    assert only_bob == [problems[1]]
