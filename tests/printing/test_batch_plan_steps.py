"""A mailed card that was a step of a follow-up plan: the plan goes on, nothing is doubled."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from deckfollow.core.cadence_library import seed_builtin_cadences
from deckfollow.core.cadence_runs import start_cadence
from deckfollow.core.card_kinds import MailedNextStep
from deckfollow.core.enums import Channel, FollowUpStatus
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.models import Customer, FollowUp
from deckfollow.printing.batch import mark_mailed
from deckfollow.storage.database import Database


def test_a_birthday_card_mailed_lets_the_yearly_plan_go_on(db: Database, now: datetime) -> None:
    with db.unit_of_work() as s:
        seed_builtin_cadences(s)
        lead = add_lead(
            s,
            NewLead("Grace Hopper", phone="+61412000111", country="AU",
                    timezone="Australia/Sydney", answered=True),
            now=now,
        )  # fmt: skip
        customer = s.get(Customer, lead.customer_id)
        assert customer is not None
        customer.street, customer.suburb, customer.postcode = "4 Wattle St", "Paddington", "2021"
        customer.birthday = (now + timedelta(days=9)).date().replace(year=1970)
        start_cadence(s, lead.customer_id, "birthday", now=now)
        card = s.execute(
            select(FollowUp.id, FollowUp.due_at).where(FollowUp.channel == Channel.CARD)
        ).one()
    with db.unit_of_work() as s:
        result = mark_mailed(s, [card.id], MailedNextStep(), now=now)
    assert result.logged == [card.id] and not result.problems
    with db.reading() as s:
        pending = s.execute(
            select(FollowUp.channel, FollowUp.due_at).where(
                FollowUp.status == FollowUpStatus.PENDING
            )
        ).all()
    assert [ch for ch, _ in pending] == [Channel.CARD], "next year's card, and no extra call"
    next_year: date = pending[0].due_at.date()
    assert next_year.year == card.due_at.year + 1
    assert result.next_steps[card.id] == pending[0].due_at
