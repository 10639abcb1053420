"""Today's list made ready off the GUI thread: the rows, their follow-ups, the customers on
another clock, whom and what the day concerns and how many are overdue, as the list shows."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from deckfollow.core.due import DueItem
from deckfollow.core.enums import Basis, Channel
from deckfollow.core.today import TodayRows
from deckfollow.messaging.inbound import REPLIED_REASON
from deckfollow.ui.today_page.prepared import TITLE_ID, prepare_today

# 9 am in Sydney, in summer (UTC+11); Perth reads 6 am, Hobart shares Sydney's clock.
_DUE = datetime(2026, 12, 4, 22, tzinfo=UTC)


def _due(follow_up_id: int, channel: Channel, zone: str, reason: str = "Ask again") -> DueItem:
    return DueItem(
        follow_up_id=follow_up_id, customer_id=100 + follow_up_id % 3,
        customer=f"Customer {follow_up_id}", quote_id=200 + follow_up_id, quote=None, job=None,
        due_at=_DUE, channel=channel, reason=reason, basis=Basis.PLANNED, agreed_words=None,
        overdue=follow_up_id % 2 == 0, phone=None, email=None, timezone=zone, first_reply=False,
    )  # fmt: skip


def test_the_list_is_made_ready_in_the_order_and_rows_it_is_shown() -> None:
    items = [
        _due(1, Channel.EMAIL, "Australia/Perth"),
        _due(2, Channel.CALL, "Australia/Sydney"),
        _due(3, Channel.TEXT, "Australia/Hobart", REPLIED_REASON),
        _due(4, Channel.CALL, "Australia/Perth"),
        replace(_due(5, Channel.EMAIL, "Australia/Sydney"), quote_id=None),
    ]
    today = prepare_today(TodayRows(date(2026, 12, 5), "Australia/Sydney", "AU", items))

    assert [title for title, _ in today.groups] == ["Replies", "Calls", "Emails"]
    # Each section's title, then its follow-ups: the rows as the list shows them.
    assert today.entries == [
        "Replies  (1)", items[2], "Calls  (2)", items[1], items[3],
        "Emails  (2)", items[0], items[4],
    ]  # fmt: skip
    assert today.title_rows == [0, 2, 5]
    assert today.row_ids == [TITLE_ID, 3, TITLE_ID, 2, 4, TITLE_ID, 1, 5]
    assert today.ids_in_order == [3, 2, 4, 1, 5]
    # Only Perth's clock reads otherwise at 9 am Sydney time: those rows get "their time".
    assert today.other_clock_rows == [4, 6]
    assert today.customer_ids == {100, 101, 102}
    assert today.quote_ids == {201, 202, 203, 204, None}
    assert today.overdue == 2


def test_an_empty_day_makes_an_empty_list() -> None:
    today = prepare_today(TodayRows(date(2026, 12, 5), "UTC", None, []))
    assert today.groups == [] and today.entries == [] and today.ids_in_order == []
    assert today.other_clock_rows == [] and today.overdue == 0
