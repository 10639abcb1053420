"""A snooze that lands later because of the customer's hours says when on the owner's
clock, the customer's time beside it: Ken in Fremantle, an owner in Sydney."""

from __future__ import annotations

from datetime import UTC, datetime

from deckfollow.core.clock_format import set_clock_style, style_for_country
from deckfollow.core.customers import NewCustomer, add_customer
from deckfollow.core.enums import Channel
from deckfollow.core.followups import FollowUpPlan, schedule_follow_up
from deckfollow.core.settings import save_setting
from deckfollow.reminders.snooze import preview_snooze
from deckfollow.storage.database import Database

# Friday 4 December 2026, 1:00 pm in Sydney, 10:00 am in Fremantle.
NOW = datetime(2026, 12, 4, 2, 0, tzinfo=UTC)


def test_a_snooze_past_their_hours_names_the_owners_time_and_theirs(db: Database) -> None:
    set_clock_style(style_for_country("AU"))
    with db.unit_of_work() as s:
        save_setting(s, "default_country", "AU")
        save_setting(s, "owner_timezone", "Australia/Sydney")
        ken = add_customer(s, NewCustomer("Ken Perth", suburb="Fremantle", region="WA"), now=NOW)
        due = datetime(2026, 12, 4, 3, 0, tzinfo=UTC)  # Friday 11:00 am in Fremantle
        fu = schedule_follow_up(
            s, ken.customer_id, None, FollowUpPlan(due, Channel.CALL, "Jarrah sample"), now=NOW
        )
        # Snoozed to Saturday 9:00 pm in Sydney: 6:00 pm in Fremantle, after his Saturday.
        landing = preview_snooze(s, fu.id, datetime(2026, 12, 5, 10, 0, tzinfo=UTC))
    assert landing.lands_at == datetime(2026, 12, 7, 1, 0, tzinfo=UTC)
    assert landing.note == (
        "Ken Perth may be contacted from Mon 7 Dec 12:00 pm · 9:00 am their time, "
        "so the reminder comes then."
    )
