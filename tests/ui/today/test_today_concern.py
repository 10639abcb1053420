"""Today reads the day again after a change to a customer or quote it lists, and only then:
decided from whom and what its rows are for, without walking the rows (thousands on a big
business, on the window's thread, for every change saved anywhere)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pytestqt.qtbot import QtBot

from deckfollow.core.changes import Changes
from deckfollow.core.due import DueItem
from deckfollow.storage.database import Database
from deckfollow.ui.main_window import MainWindow
from tests.reminders.helpers import add_follow_up
from tests.ui.waiting import settle

SYD = ZoneInfo("Australia/Sydney")
NOW = datetime(2026, 11, 27, 14, 0, tzinfo=SYD).astimezone(UTC)


class _Unwalkable(list[DueItem]):
    """The rows shown, refusing to be walked: deciding whether a change concerns the day's
    work must not go through them one by one."""

    def __iter__(self) -> Iterator[DueItem]:
        raise AssertionError("Today walked its rows to decide whether a change concerns it")


@pytest.fixture
def window(qtbot: QtBot, db: Database) -> MainWindow:
    add_follow_up(db, NOW, NOW - timedelta(hours=2), name="Ann Early")
    add_follow_up(db, NOW, NOW - timedelta(hours=1), name="Ben Later")
    window = MainWindow(db, clock=lambda: NOW)
    qtbot.addWidget(window)
    window.show()
    window.show_page("today")
    window.refresh()
    settle(qtbot, window)
    return window


def _reads(window: MainWindow) -> list[int]:
    calls: list[int] = []
    original = window.today.refresh

    def counting() -> None:
        calls.append(1)
        original()

    window.today.refresh = counting  # type: ignore[method-assign]
    return calls


def test_a_change_to_someone_today_lists_reads_the_day_again(
    qtbot: QtBot, window: MainWindow
) -> None:
    item = window.today.current_item()
    assert item is not None and item.quote_id is not None
    reads = _reads(window)
    window.today.apply_changes(Changes(customers=True, customer_ids=frozenset({item.customer_id})))
    assert len(reads) == 1
    settle(qtbot, window)
    window.today.apply_changes(Changes(quotes=True, quote_ids=frozenset({item.quote_id})))
    assert len(reads) == 2
    settle(qtbot, window)


def test_a_change_to_nobody_today_lists_leaves_it_as_it_was(
    qtbot: QtBot, window: MainWindow
) -> None:
    listed = window.today.model.ids_in_order()
    assert len(listed) == 2
    reads = _reads(window)
    elsewhere = Changes(
        customers=True,
        customer_ids=frozenset({10_001}),
        quotes=True,
        quote_ids=frozenset({10_002}),
    )
    window.today.apply_changes(elsewhere)
    settle(qtbot, window)
    assert reads == []
    assert window.today.model.ids_in_order() == listed


def test_whether_a_change_concerns_today_is_decided_without_walking_its_rows(
    window: MainWindow,
) -> None:
    item = window.today.current_item()
    assert item is not None
    reads = _reads(window)
    window.today._items = _Unwalkable(window.today._items)
    window.today.apply_changes(Changes(customers=True, customer_ids=frozenset({10_001})))
    assert reads == []
    window.today.apply_changes(Changes(customers=True, customer_ids=frozenset({item.customer_id})))
    assert len(reads) == 1
