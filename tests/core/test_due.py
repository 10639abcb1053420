"""What is due shows the number to use: a text needs the cell, a call tries every number."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from deckfollow.core.due import due_items
from deckfollow.core.enums import Basis, Channel
from deckfollow.core.followups import FollowUpPlan, schedule_follow_up
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.models import Customer
from deckfollow.storage.database import Database


def test_a_call_uses_the_office_number_when_there_is_no_cell(db: Database, now: datetime) -> None:
    with db.unit_of_work() as s:
        lead = add_lead(
            s,
            NewLead("Office Only", country="AU", timezone="Australia/Sydney", answered=True),
            now=now,
        )
        c = s.get(Customer, lead.customer_id)
        assert c is not None
        c.phone_office, c.phone_home = "+61298765432", "+61291234567"
        # A planned call and an agreed text (two planned ones would be a day apart).
        for hours, channel, basis in (
            (1, Channel.CALL, Basis.PLANNED),
            (2, Channel.TEXT, Basis.AGREED),
        ):
            plan = FollowUpPlan(
                now + timedelta(hours=hours),
                channel,
                "Check the quote arrived",
                basis,
                "Text me when it is sent" if basis is Basis.AGREED else None,
            )
            schedule_follow_up(s, lead.customer_id, lead.quote_id, plan, now=now)
    day = now.astimezone(ZoneInfo("Australia/Sydney")).date()
    with db.reading() as s:
        items = {i.channel: i for i in due_items(s, day=day, now=now, owner_tz="Australia/Sydney")}
    assert items[Channel.CALL].phone == "+61298765432"
    assert items[Channel.TEXT].phone is None  # no cell: nothing to text


def test_the_due_list_holds_exactly_the_rows_of_the_subquery_form(
    db: Database, now: datetime
) -> None:
    """The inline NOT EXISTS form lists the same follow-ups, in the same order, as the
    `id IN (actionable follow-ups)` form it replaced, over revoked channels, paused plans,
    snoozes, the trash and do-not-contact customers of a demo business."""
    from sqlalchemy import select

    from deckfollow.core.due import (
        actionable_follow_ups,
        day_bounds,
        effective_due,
        shown_to_user,
    )
    from deckfollow.core.models import FollowUp, Quote
    from deckfollow.demo.generator import generate_demo

    with db.unit_of_work() as session:
        generate_demo(session, customers=150, quotes=300, seed=11, now=now)
    tz = "Australia/Sydney"
    today = now.astimezone(ZoneInfo(tz)).date()
    seen = 0
    with db.reading() as session:
        for day in (today - timedelta(days=3), today, today + timedelta(days=30)):
            _, end = day_bounds(day, tz)
            due = effective_due()
            subquery_form = (
                select(FollowUp.id)
                .join(Customer, Customer.id == FollowUp.customer_id)
                .outerjoin(Quote, Quote.id == FollowUp.quote_id)
                .where(FollowUp.id.in_(actionable_follow_ups()), due < end, *shown_to_user())
                .order_by(due, FollowUp.id)
            )
            expected = list(session.execute(subquery_form).scalars())
            listed = [i.follow_up_id for i in due_items(session, day=day, now=now, owner_tz=tz)]
            assert listed == expected
            seen += len(expected)
    assert seen > 30  # the comparison covered a real list, not two empty ones


def test_two_customers_due_at_one_instant_each_keep_their_own_clock() -> None:
    """Items of one read share what repeats (a reason, a due moment in the same zone), but a
    customer in Auckland and one in Sydney due at the same instant each show their own
    local time."""
    from datetime import UTC

    from deckfollow.core.due_list import ItemReader

    at = datetime(2026, 12, 7, 0, 0, tzinfo=UTC)

    def row(fid: int, name: str, zone: str) -> tuple[object, ...]:
        # Each row its own string objects, as a database read gives them.
        reason = "".join(["Check the quote ", "arrived"])
        return (fid, fid, name, None, None, None, at, "call", reason, "planned", None,
                "+61400000000", None, None, None, "".join([zone]), False)  # fmt: skip

    reader = ItemReader(at)
    sydney, auckland, sydney_again = (
        reader.item(row(1, "Sam", "Australia/Sydney")),
        reader.item(row(2, "Aroha", "Pacific/Auckland")),
        reader.item(row(3, "Jo", "Australia/Sydney")),
    )
    assert (sydney.due_at.hour, str(sydney.due_at.tzinfo)) == (11, "Australia/Sydney")
    assert (auckland.due_at.hour, str(auckland.due_at.tzinfo)) == (13, "Pacific/Auckland")
    assert sydney_again.due_at == sydney.due_at and sydney_again.due_at.hour == 11
    assert sydney.reason == auckland.reason == "Check the quote arrived"
    assert sydney.reason is auckland.reason is sydney_again.reason  # one copy held
