"""A follow-up whose due time moves is reminded once at its new time, never twice at one time.

The reminder state is `notified_at`; these tests move due times through the real services
(a change of the customer's hours, an agreed follow-up that pushes a cadence step aside,
resuming a paused plan, a snooze) after a reminder came from a clock that ran fast, and drive
the checks with a clock the test sets by hand.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from deckfollow.core.cadence_library import seed_builtin_cadences
from deckfollow.core.cadence_runs import resume_cadence, start_cadence
from deckfollow.core.consent import ContactPreferences, set_contact_preferences
from deckfollow.core.enums import Basis, Channel, Direction, Outcome
from deckfollow.core.followups import agree_follow_up, agreed_plan, refit_planned
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.models import FollowUp
from deckfollow.core.touches import TouchRecord, log_touch
from deckfollow.reminders.scheduler import claim_due, next_due_at
from deckfollow.reminders.snooze import snooze
from deckfollow.storage.database import Database, open_database

from .helpers import Clock, add_follow_up

SYD = ZoneInfo("Australia/Sydney")


def _syd(y: int, m: int, d: int, hh: int, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SYD).astimezone(UTC)


def _claim(db: Database, now: datetime) -> list[int]:
    with db.unit_of_work() as s:
        return [r.follow_up_id for r in claim_due(s, now).all]


def _due(db: Database, fid: int) -> datetime:
    with db.reading() as s:
        fu = s.get(FollowUp, fid)
        assert fu is not None
        return fu.snoozed_until or fu.due_at


def _reminded_once_at(db: Database, fid: int, at: datetime) -> None:
    """Nothing before `at`, the reminder at `at`, then never again (restart included)."""
    with db.reading() as s:
        assert next_due_at(s, at - timedelta(minutes=1)) == at
    assert _claim(db, at - timedelta(seconds=1)) == []
    assert _claim(db, at) == [fid]
    for later in (at + timedelta(minutes=1), at + timedelta(hours=3), at + timedelta(days=30)):
        assert _claim(db, later) == []
    with db.reading() as s:
        assert next_due_at(s, at) is None


def test_new_hours_move_a_call_and_it_is_reminded_at_its_new_time(db: Database, now: datetime):
    due = _syd(2026, 11, 23, 10)
    fid = add_follow_up(db, now, due, name="Evening Eve")
    # The computer's clock ran a day fast: the reminder came (early) and was stamped then.
    assert _claim(db, due + timedelta(days=1)) == [fid]
    # The clock is put right; the customer asks for evenings only, so the call moves to 17:00.
    clock = Clock(_syd(2026, 11, 23, 9, 30))
    with db.unit_of_work() as s:
        fu = s.get(FollowUp, fid)
        assert fu is not None
        set_contact_preferences(
            s,
            fu.customer_id,
            ContactPreferences(contact_hours="evenings only"),
            source="phone call",
            words="Only after five please, I'm on site all day",
            now=clock(),
        )
    moved = _due(db, fid)
    assert moved.astimezone(SYD).time() == time(17)
    assert moved < due + timedelta(days=1)  # earlier than the fast clock's stamp
    _reminded_once_at(db, fid, moved)


def test_a_cadence_step_pushed_aside_by_an_agreed_call_is_reminded_once_at_its_new_time(
    db: Database, now: datetime
):
    with db.unit_of_work() as s:
        seed_builtin_cadences(s)
        lead = add_lead(
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
        start_cadence(s, lead.customer_id, "after_quote", quote_id=lead.quote_id, now=now)
        step = s.execute(
            select(FollowUp).where(
                FollowUp.customer_id == lead.customer_id, FollowUp.basis == Basis.PLANNED
            )
        ).scalar_one()
        step_id, step_due = step.id, step.due_at
    # A clock a week fast reminded of the step (early) ...
    stamp = step_due + timedelta(days=7)
    assert _claim(db, stamp) == [step_id]
    # ... then, the clock right again, the customer agrees to a call right beside the step.
    local = step_due.astimezone(SYD)
    plan = agreed_plan(
        local.date(),
        (local + timedelta(minutes=30)).time(),
        None,
        "Australia/Sydney",
        Channel.CALL,
        "Talk through the balustrade options",
        "Call me then, I'll be home",
    )
    with db.unit_of_work() as s:
        agreed = agree_follow_up(
            s, lead.customer_id, lead.quote_id, plan, now=now, source="phone call"
        )
        agreed_id = agreed.id
    moved = _due(db, step_id)
    assert moved != step_due
    assert moved < stamp
    # The agreed call itself is new and reminded at its own time; the step at its new one.
    assert _claim(db, plan.due_at) == [agreed_id]
    _reminded_once_at(db, step_id, moved)


def test_resuming_a_paused_plan_reminds_of_its_stale_step_once(db: Database, now: datetime):
    with db.unit_of_work() as s:
        seed_builtin_cadences(s)
        lead = add_lead(
            s,
            NewLead(
                "Ada Lovelace",
                phone="+61412000222",
                email="ada@example.com",
                country="AU",
                timezone="Australia/Sydney",
                job="Pergola",
                answered=True,
            ),
            now=now,
        )
        run = start_cadence(s, lead.customer_id, "after_quote", quote_id=lead.quote_id, now=now)
        assert run.next_due is not None
        step_due = run.next_due
    # Reminded once by a clock that ran a month fast, then the customer replied (plan paused).
    stamp = step_due + timedelta(days=30)
    [step_id] = _claim(db, stamp)
    reply_at = step_due + timedelta(hours=1)
    with db.unit_of_work() as s:
        log_touch(
            s,
            TouchRecord(
                lead.customer_id,
                Channel.EMAIL,
                Direction.INBOUND,
                Outcome.REPLIED,
                reply_at,
                quote_id=lead.quote_id,
                summary="Could we do it in spotted gum?",
            ),
            None,
            now=reply_at,
            await_decision=True,
        )
    # Ten days later the owner resumes the plan: the stale step is placed afresh.
    resumed_at = step_due + timedelta(days=10)
    with db.unit_of_work() as s:
        resume_cadence(s, run.id, now=resumed_at)
    moved = _due(db, step_id)
    assert resumed_at <= moved < stamp
    _reminded_once_at(db, step_id, max(moved, resumed_at))


def test_a_change_that_keeps_the_due_time_does_not_remind_again(db_path, now: datetime):
    db = open_database(str(db_path))
    due = _syd(2026, 11, 23, 10)
    fid = add_follow_up(db, now, due, name="Steady Sam")
    assert _claim(db, due) == [fid]
    with db.unit_of_work() as s:
        fu = s.get(FollowUp, fid)
        assert fu is not None
        cid = fu.customer_id
        # New hours that still allow the call, best times, a re-fit of the plan: nothing moves.
        set_contact_preferences(
            s,
            cid,
            ContactPreferences(
                contact_hours="mon-fri 08:00-18:00", best_times="mon-fri 09:00-11:00"
            ),
            source="phone call",
            now=due + timedelta(minutes=5),
        )
        refit_planned(s, cid, now=due + timedelta(minutes=5))
        # An edit that writes the same time again (with a new reason) is no move either.
        fu.reason = "Ask whether the deck quote suits them"
        fu.due_at = due
    assert _due(db, fid) == due
    db.close()
    db = open_database(str(db_path), create=False)
    for at in (due + timedelta(minutes=6), due + timedelta(days=2)):
        assert _claim(db, at) == []
    db.close()


def test_a_snooze_then_a_move_back_onto_the_same_time_reminds_once(db: Database, now: datetime):
    due = _syd(2026, 11, 23, 10)
    fid = add_follow_up(db, now, due)
    assert _claim(db, due) == [fid]
    with db.unit_of_work() as s:
        snooze(s, fid, due + timedelta(hours=1), now=due + timedelta(minutes=1))
    at = due + timedelta(hours=1)
    assert _claim(db, at) == [fid]
    # The snooze's end becomes the due time itself (the instant the owner was reminded of):
    # the effective due time is unchanged, so no second reminder for it.
    with db.unit_of_work() as s:
        fu = s.get(FollowUp, fid)
        assert fu is not None
        fu.due_at, fu.snoozed_until = at, None
    assert _claim(db, at + timedelta(minutes=1)) == []
    assert _claim(db, at + timedelta(days=1)) == []
