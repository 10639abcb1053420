"""Cadences: built-in plans, copies, and runs that keep every rule of permission."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from deckfollow.core.cadence_library import (
    copy_cadence,
    get_cadence,
    list_cadences,
    seed_builtin_cadences,
    update_cadence,
)
from deckfollow.core.cadence_placement import preview
from deckfollow.core.cadence_runs import resume_cadence, start_cadence, stop_cadence
from deckfollow.core.cadence_specs import BUILTIN, StepSpec
from deckfollow.core.consent import revoke_consent
from deckfollow.core.enums import (
    Basis,
    CadenceRunStatus,
    Channel,
    ConsentChannel,
    Direction,
    FollowUpStatus,
    Outcome,
)
from deckfollow.core.errors import PermissionRefused, ValidationError
from deckfollow.core.follow_up_closing import complete_step, skip_step
from deckfollow.core.followups import agreed_plan, schedule_follow_up
from deckfollow.core.leads import LeadCreated, NewLead, add_lead
from deckfollow.core.merge_fields import reason_phrase
from deckfollow.core.models import Cadence, CadenceStep, Customer, FollowUp
from deckfollow.core.permission import AGREED_CLEARANCE
from deckfollow.core.touches import TouchRecord, log_touch
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
                phone="+61412000111",
                email="grace@example.com",
                country="AU",
                timezone="Australia/Sydney",
                job="Hardwood deck",
                answered=True,
            ),
            now=now,
        )


def _pending(db: Database, customer_id: int) -> list[FollowUp]:
    with db.reading() as s:
        return list(
            s.execute(
                select(FollowUp)
                .where(
                    FollowUp.customer_id == customer_id,
                    FollowUp.status == FollowUpStatus.PENDING,
                )
                .order_by(FollowUp.due_at)
            ).scalars()
        )


def test_seeding_is_idempotent_and_gives_the_five_plans(db: Database):
    with db.unit_of_work() as s:
        assert seed_builtin_cadences(s) == 5
    with db.unit_of_work() as s:
        assert seed_builtin_cadences(s) == 0
    with db.reading() as s:
        assert len(s.execute(select(Cadence)).all()) == 5
        assert len(s.execute(select(CadenceStep)).all()) == sum(len(c.steps) for c in BUILTIN)
        keys = [c.key for c in list_cadences(s)]
    assert set(keys) == {"after_quote", "after_sale", "parked", "birthday", "anniversary"}


def test_after_quote_is_twelve_touches_over_six_months_on_four_channels_with_reasons(
    db: Database,
):
    with db.unit_of_work() as s:
        seed_builtin_cadences(s)
        spec = get_cadence(s, "after_quote")
    assert len(spec.steps) == 12
    assert 170 <= spec.steps[-1].offset_days <= 190
    assert {st.channel for st in spec.steps} == {
        Channel.TEXT,
        Channel.CALL,
        Channel.EMAIL,
        Channel.CARD,
    }
    for st in spec.steps:
        assert "ready yet" not in st.reason.lower()
        if st.channel is Channel.CALL:
            # Said on the call as "The reason I'm calling is …", to the customer.
            said = reason_phrase(st.reason)
            assert said is not None and said.split(" ", 1)[0] in {"to", "we"}, said
            assert not {"them", "their"} & set(said.split()), said


def test_after_sale_thanks_the_same_evening_then_next_day_three_weeks_and_quarterly(
    db: Database,
):
    with db.unit_of_work() as s:
        seed_builtin_cadences(s)
        spec = get_cadence(s, "after_sale")
    days = [p.day for p in preview(spec, date(2026, 11, 23), count=7)]
    start = date(2026, 11, 23)
    assert [(d - start).days for d in days] == [0, 1, 21, 111, 202, 293, 384]
    assert spec.steps[0].at_hour == 18


def test_built_ins_cannot_be_edited_but_a_copy_can(db: Database):
    with db.unit_of_work() as s:
        seed_builtin_cadences(s)
        original = get_cadence(s, "after_quote")
        with pytest.raises(ValidationError, match="copy it"):
            update_cadence(s, original)
        copy = copy_cadence(s, "after_quote", name="Our deck follow-up")
        assert copy.steps == original.steps and not copy.builtin
        edited = update_cadence(
            s,
            type(copy)(
                key=copy.key,
                name=copy.name,
                description="shorter",
                steps=(*copy.steps[:3], StepSpec(30, Channel.CARD, "Card with a photo")),
            ),
        )
    assert len(edited.steps) == 4
    with db.unit_of_work() as s:
        with pytest.raises(ValidationError, match="not a reason"):
            update_cadence(
                s,
                type(copy)(
                    copy.key, copy.name, "", (StepSpec(1, Channel.CALL, "Are you ready yet?"),)
                ),
            )
        assert get_cadence(s, "after_quote").steps == original.steps


def test_starting_places_the_first_step_inside_allowed_hours(
    db: Database, lead: LeadCreated, now: datetime
):
    with db.unit_of_work() as s:
        info = start_cadence(s, lead.customer_id, "after_quote", quote_id=lead.quote_id, now=now)
    assert info.status is CadenceRunStatus.ACTIVE
    assert info.next_channel is Channel.TEXT
    assert info.next_due is not None
    local = info.next_due.astimezone(SYD)
    # Day 1 at 10:00 Sydney: Tuesday 24 Nov 2026.
    assert (local.date(), local.time()) == (date(2026, 11, 24), time(10))


def test_completing_and_skipping_move_the_plan_on(db: Database, lead: LeadCreated, now: datetime):
    with db.unit_of_work() as s:
        start_cadence(s, lead.customer_id, "after_quote", quote_id=lead.quote_id, now=now)
    first = _pending(db, lead.customer_id)[0]
    later = now + timedelta(days=1, hours=2)
    with db.unit_of_work() as s:
        complete_step(s, first.id, now=later)
    second = _pending(db, lead.customer_id)
    assert [(f.channel, f.cadence_step) for f in second] == [(Channel.CALL, 1)]
    with db.unit_of_work() as s:
        skip_step(s, second[0].id, now=later, reason="spoke at the yard")
    third = _pending(db, lead.customer_id)
    assert [(f.channel, f.cadence_step) for f in third] == [(Channel.EMAIL, 2)]


def test_logging_the_touch_for_a_step_moves_the_plan_on(
    db: Database, lead: LeadCreated, now: datetime
):
    with db.unit_of_work() as s:
        start_cadence(s, lead.customer_id, "after_quote", quote_id=lead.quote_id, now=now)
    step = _pending(db, lead.customer_id)[0]
    at = step.due_at + timedelta(minutes=5)
    agreed = agreed_plan(
        date(2027, 1, 20),
        time(9),
        None,
        "Australia/Sydney",
        Channel.CALL,
        "Talk through the colour samples",
        "Call me after the holidays",
    )
    with db.unit_of_work() as s:
        log_touch(
            s,
            TouchRecord(
                lead.customer_id,
                Channel.TEXT,
                Direction.OUTBOUND,
                Outcome.SENT,
                at,
                quote_id=lead.quote_id,
                follow_up_id=step.id,
            ),
            agreed,
            now=at,
        )
    pending = _pending(db, lead.customer_id)
    assert [(f.basis, f.cadence_step) for f in pending] == [
        (Basis.PLANNED, 1),
        (Basis.AGREED, None),
    ]


def test_a_step_never_crowds_or_moves_an_agreed_follow_up(
    db: Database, lead: LeadCreated, now: datetime
):
    # The customer agreed to a call on Tuesday 24 Nov at 11:00, right beside step 1.
    plan = agreed_plan(
        date(2026, 11, 24),
        time(11),
        time(12),
        "Australia/Sydney",
        Channel.CALL,
        "Answer questions about the balustrade",
        "Ring me Tuesday late morning",
    )
    with db.unit_of_work() as s:
        fu = schedule_follow_up(s, lead.customer_id, lead.quote_id, plan, now=now)
        agreed_id, agreed_due = fu.id, fu.due_at
        start_cadence(s, lead.customer_id, "after_quote", quote_id=lead.quote_id, now=now)
    pending = _pending(db, lead.customer_id)
    agreed = [f for f in pending if f.basis is Basis.AGREED]
    planned = [f for f in pending if f.basis is Basis.PLANNED]
    assert [(f.id, f.due_at) for f in agreed] == [(agreed_id, agreed_due)]
    assert len(planned) == 1
    assert abs(planned[0].due_at - agreed_due) >= AGREED_CLEARANCE

    # An agreed follow-up added later pushes the planned step away, never the reverse.
    step_due = planned[0].due_at
    plan2 = agreed_plan(
        step_due.astimezone(SYD).date(),
        time(15),
        None,
        "Australia/Sydney",
        Channel.TEXT,
        "Send the stain colour chart",
        "Text it to me that afternoon",
    )
    with db.unit_of_work() as s:
        later = schedule_follow_up(s, lead.customer_id, lead.quote_id, plan2, now=now)
        later_due = later.due_at
    pending = _pending(db, lead.customer_id)
    step = next(f for f in pending if f.basis is Basis.PLANNED)
    assert all(abs(step.due_at - a) >= AGREED_CLEARANCE for a in (agreed_due, later_due))
    assert {f.due_at for f in pending if f.basis is Basis.AGREED} == {agreed_due, later_due}


def test_steps_on_a_revoked_channel_are_passed_over_with_the_reason(
    db: Database, lead: LeadCreated, now: datetime
):
    with db.unit_of_work() as s:
        revoke_consent(
            s,
            lead.customer_id,
            ConsentChannel.TEXT,
            source="phone call",
            words="No texts please",
            now=now,
        )
        start_cadence(s, lead.customer_id, "after_quote", quote_id=lead.quote_id, now=now)
    with db.reading() as s:
        rows = list(s.execute(select(FollowUp).order_by(FollowUp.cadence_step)).scalars())
    assert rows[0].channel is Channel.TEXT and rows[0].status is FollowUpStatus.CANCELLED
    assert "revoked text" in (rows[0].cancel_reason or "")
    assert rows[1].channel is Channel.CALL and rows[1].status is FollowUpStatus.PENDING


def test_revoking_the_channel_of_the_pending_step_moves_to_the_next_open_one(
    db: Database, lead: LeadCreated, now: datetime
):
    with db.unit_of_work() as s:
        start_cadence(s, lead.customer_id, "after_quote", quote_id=lead.quote_id, now=now)
        revoke_consent(
            s, lead.customer_id, ConsentChannel.TEXT, source="text reply", words="STOP", now=now
        )
    pending = _pending(db, lead.customer_id)
    assert [f.channel for f in pending] == [Channel.CALL]


def test_do_not_contact_stops_every_run_and_refuses_new_ones(
    db: Database, lead: LeadCreated, now: datetime
):
    with db.unit_of_work() as s:
        info = start_cadence(s, lead.customer_id, "after_quote", quote_id=lead.quote_id, now=now)
        revoke_consent(
            s,
            lead.customer_id,
            None,
            source="phone call",
            words="Please don't contact me again",
            now=now,
        )
    assert _pending(db, lead.customer_id) == []
    with db.unit_of_work() as s:
        from deckfollow.core.cadence_runs import run_info

        assert run_info(s, info.id).status is CadenceRunStatus.STOPPED
        with pytest.raises(PermissionRefused, match="asked not to be contacted"):
            start_cadence(s, lead.customer_id, "after_sale", now=now)


def test_a_reply_pauses_and_resuming_replaces_a_stale_step(
    db: Database, lead: LeadCreated, now: datetime
):
    with db.unit_of_work() as s:
        info = start_cadence(s, lead.customer_id, "after_quote", quote_id=lead.quote_id, now=now)
    reply_at = now + timedelta(hours=1)
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
                summary="Can we change to merbau?",
            ),
            None,
            now=reply_at,
            await_decision=True,
        )
    much_later = now + timedelta(days=10)
    with db.unit_of_work() as s:
        resume_cadence(s, info.id, now=much_later)
    pending = _pending(db, lead.customer_id)
    assert len(pending) == 1 and pending[0].due_at >= much_later
    with db.unit_of_work() as s:
        stop_cadence(s, info.id, now=much_later)
    assert _pending(db, lead.customer_id) == []


def test_the_weekly_cap_spreads_planned_steps(db: Database, lead: LeadCreated, now: datetime):
    from deckfollow.core.settings import set_setting

    with db.unit_of_work() as s:
        set_setting(s, "weekly_cap", "1")
        start_cadence(s, lead.customer_id, "after_sale", quote_id=lead.quote_id, now=now)
    first = _pending(db, lead.customer_id)[0]
    with db.unit_of_work() as s:
        complete_step(s, first.id, now=first.due_at)
    second = _pending(db, lead.customer_id)[0]
    # Thank-you Monday evening; the next-day check waits for the next week (cap of 1).
    assert second.due_at.astimezone(SYD).date() >= date(2026, 11, 30)


def test_birthday_cards_come_every_year_a_week_early(
    db: Database, lead: LeadCreated, now: datetime
):
    with pytest.raises(ValidationError, match="birthday"), db.unit_of_work() as s:
        start_cadence(s, lead.customer_id, "birthday", now=now)
    with db.unit_of_work() as s:
        c = s.get(Customer, lead.customer_id)
        assert c is not None
        c.birthday = date(1980, 3, 9)
        start_cadence(s, lead.customer_id, "birthday", now=now)
    card = _pending(db, lead.customer_id)[0]
    assert card.channel is Channel.CARD
    assert card.due_at.astimezone(SYD).date() == date(2027, 3, 2)
    with db.unit_of_work() as s:
        complete_step(s, card.id, now=card.due_at)
    nxt = _pending(db, lead.customer_id)[0]
    assert nxt.due_at.astimezone(SYD).date() == date(2028, 3, 2)


def test_closing_the_quote_stops_its_cadence(db: Database, lead: LeadCreated, now: datetime):
    from deckfollow.core.cadence_runs import run_info
    from deckfollow.core.enums import Stage
    from deckfollow.core.pipeline import Close, close_quote

    with db.unit_of_work() as s:
        info = start_cadence(s, lead.customer_id, "after_quote", quote_id=lead.quote_id, now=now)
        close_quote(s, lead.quote_id, Close(Stage.WON), now=now)
        assert run_info(s, info.id).status is CadenceRunStatus.STOPPED
        after_sale = start_cadence(
            s, lead.customer_id, "after_sale", quote_id=lead.quote_id, now=now
        )
    assert after_sale.next_channel is Channel.CALL
    assert after_sale.next_due is not None
    # The thank-you call the same evening: 18:00 Monday in Sydney.
    local = after_sale.next_due.astimezone(SYD)
    assert (local.date(), local.time()) == (date(2026, 11, 23), time(18))
    assert [f.cadence_run_id for f in _pending(db, lead.customer_id)] == [after_sale.id]


def test_best_times_are_preferred_for_planned_calls(db: Database, lead: LeadCreated, now: datetime):
    from deckfollow.core.consent import ContactPreferences, set_contact_preferences

    with db.unit_of_work() as s:
        set_contact_preferences(
            s,
            lead.customer_id,
            ContactPreferences(best_times="tue-thu 18:30-19:30"),
            source="phone call",
            now=now,
        )
        info = start_cadence(s, lead.customer_id, "after_quote", quote_id=lead.quote_id, now=now)
    assert info.next_due is not None
    local = info.next_due.astimezone(SYD)
    assert (local.date(), local.time()) == (date(2026, 11, 24), time(18, 30))


def test_a_leap_day_birthday_card_comes_every_year():
    from deckfollow.core.cadence_placement import occurrences
    from deckfollow.core.cadence_specs import Anchor, CadenceSpec

    spec = CadenceSpec(
        "b",
        "Birthday",
        "",
        (StepSpec(-7, Channel.CARD, "Birthday card"),),
        anchor=Anchor.BIRTHDAY,
        repeat_yearly=True,
    )
    days = [o.day for _, o in zip(range(5), occurrences(spec, date(2028, 2, 29), 0), strict=False)]
    assert days == [
        date(2028, 2, 22),
        date(2029, 2, 21),
        date(2030, 2, 21),
        date(2031, 2, 21),
        date(2032, 2, 22),
    ]


def test_the_plan_continues_answers_whats_next_for_a_plan_step(
    db: Database, lead: LeadCreated, now: datetime
):
    from deckfollow.core.touches import PlanContinues, continuing_plan

    with db.unit_of_work() as s:
        start_cadence(s, lead.customer_id, "after_quote", quote_id=lead.quote_id, now=now)
    step = _pending(db, lead.customer_id)[0]
    with db.reading() as s:
        assert continuing_plan(s, step.id) == "After a quote"
    at = step.due_at + timedelta(minutes=5)
    record = TouchRecord(
        lead.customer_id,
        Channel.TEXT,
        Direction.OUTBOUND,
        Outcome.SENT,
        at,
        quote_id=lead.quote_id,
        follow_up_id=step.id,
    )
    with db.unit_of_work() as s:
        log_touch(s, record, PlanContinues(), now=at)
    pending = _pending(db, lead.customer_id)
    assert [(f.basis, f.cadence_step) for f in pending] == [(Basis.PLANNED, 1)], (
        "the plan placed its next step and nothing was planned over it"
    )


def test_the_plan_continues_is_refused_for_a_touch_outside_a_plan(
    db: Database, lead: LeadCreated, now: datetime
):
    from deckfollow.core.touches import PlanContinues

    record = TouchRecord(
        lead.customer_id, Channel.CALL, Direction.OUTBOUND, Outcome.REACHED, now,
        quote_id=lead.quote_id,
    )  # fmt: skip
    with (
        pytest.raises(ValidationError, match="not a step of an active follow-up plan"),
        db.unit_of_work() as s,
    ):
        log_touch(s, record, PlanContinues(), now=now)
    from deckfollow.core.models import Touch

    with db.reading() as s:
        touches = s.execute(select(Touch.id)).all()
    assert touches == [], "nothing was saved"


def test_best_times_never_push_the_same_evening_thank_you_to_next_week(
    db: Database, lead: LeadCreated, now: datetime
):
    from deckfollow.core.consent import ContactPreferences, set_contact_preferences

    with db.unit_of_work() as s:
        set_contact_preferences(
            s,
            lead.customer_id,
            ContactPreferences(best_times="sat 09:00-12:00"),
            source="phone call",
            now=now,
        )
        thanks = start_cadence(s, lead.customer_id, "after_sale", quote_id=lead.quote_id, now=now)
    assert thanks.next_due is not None
    # Monday's sale: the thank-you call is that evening, not their favourite Saturday.
    local = thanks.next_due.astimezone(SYD)
    assert (local.date(), local.time()) == (date(2026, 11, 23), time(18))


def test_an_email_step_the_cap_pushes_on_goes_out_at_its_hour_not_the_freed_minute() -> None:
    """Day 7 of "After a quote" is an email; with the seven days from it already holding two
    planned touches (Tuesday and Wednesday at 08:00) it waits until the first of them has
    left the seven days, and goes out that Tuesday at its own 10:00, not at 08:00."""
    from deckfollow.core.cadence_placement import plan_next_step
    from deckfollow.core.permission import ContactSnapshot

    spec = next(s for s in BUILTIN if s.key == "after_quote")
    snap = ContactSnapshot(
        customer_id=1,
        name="Grace Hopper",
        country="AU",
        region="NSW",
        timezone="Australia/Sydney",
        contact_hours=None,
        do_not_contact=False,
    )
    anchor = date(2026, 11, 2)  # a Monday: the email falls on Monday the 9th
    week = [datetime.combine(date(2026, 11, d), time(8), SYD) for d in (10, 11)]
    placed = plan_next_step(
        spec,
        anchor,
        snap,
        last_index=1,  # the text and the call are done
        now=datetime.combine(date(2026, 11, 5), time(17, 30), SYD),
        planned=week,
        agreed=[],
        cap=2,
    ).placed
    assert placed is not None and placed.occurrence.step.channel is Channel.EMAIL
    assert placed.due_at.astimezone(SYD) == datetime.combine(date(2026, 11, 17), time(10), SYD)
