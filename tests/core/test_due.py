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
