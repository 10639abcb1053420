"""Today as a model: the same sections and keys, rows formatted as painted, and a page that
reads the day again only when a saved change concerns it."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from deckfollow.core.changes import Changes
from deckfollow.core.due import DueItem
from deckfollow.core.due_list import FIRST_REPLY
from deckfollow.core.enums import Basis, Channel
from deckfollow.core.followups import FollowUpPlan, schedule_follow_up
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.messaging.inbound import REPLIED_REASON, stop_reason
from deckfollow.storage.database import Database
from deckfollow.ui.formatting import date_time_text
from deckfollow.ui.operations import Operations
from deckfollow.ui.today_page import TodayPage
from deckfollow.ui.today_page import model as today_model
from deckfollow.ui.today_page.prepared import group_items
from tests.ui.waiting import settle


def _lead(db: Database, now: datetime, name: str, channel: Channel) -> tuple[int, int]:
    """A customer with one follow-up due in an hour; returns (customer id, quote id)."""
    with db.unit_of_work() as s:
        first = name.split(maxsplit=1)[0].lower()
        lead = NewLead(
            name=name, email=f"{first}@example.com", phone="0412 345 678", job="Deck",
            country="AU", timezone="Australia/Sydney", answered=True,
        )  # fmt: skip
        made = add_lead(s, lead, now=now - timedelta(days=2))
        plan = FollowUpPlan(due_at=now + timedelta(hours=1), channel=channel, reason=f"Ask {name}")
        schedule_follow_up(s, made.customer_id, made.quote_id, plan, now=now - timedelta(days=1))
        assert made.quote_id is not None
        return made.customer_id, made.quote_id


def _names(page: TodayPage) -> list[str]:
    tree = page.tree
    names = []
    for g in range(tree.topLevelItemCount()):
        group = tree.topLevelItem(g)
        assert group is not None
        names += [group.child(r).text(2) for r in range(group.childCount())]  # type: ignore[union-attr]
    return names


def test_the_arrow_keys_walk_the_follow_ups_past_the_section_titles(
    qtbot: QtBot, db: Database, now: datetime
) -> None:
    _lead(db, now, "Mia Chen", Channel.CALL)
    _lead(db, now, "Bo Lang", Channel.EMAIL)
    Operations(db)  # the window's database thread: Today is read there
    page = TodayPage(db, clock=lambda: now)
    qtbot.addWidget(page)
    acted: list[int] = []

    def act(follow_up_id: int, _done: object) -> None:
        acted.append(follow_up_id)  # nothing saved (done not called): the list stays as it is

    page.act = act
    page.resize(1400, 700)
    page.show()
    page.refresh()
    QApplication.processEvents()
    settle(qtbot, page)
    titles = [page.tree.topLevelItem(g).text(0) for g in range(2)]  # type: ignore[union-attr]
    assert titles == ["Calls  (1)", "Emails  (1)"]
    first = page.current_item()
    assert first is not None and first.customer == "Mia Chen"
    assert page.who.text().startswith("Mia Chen")
    page.tree.setFocus()
    QTest.keyClick(page.tree, Qt.Key.Key_Down)
    chosen = page.current_item()
    assert chosen is not None and chosen.customer == "Bo Lang", "the Emails title is skipped"
    assert page.who.text().startswith("Bo Lang") and page.primary.text() == "Email…"
    QTest.keyClick(page.tree, Qt.Key.Key_Return)
    assert acted == [chosen.follow_up_id], "Enter acts on the chosen follow-up"
    QTest.keyClick(page.tree, Qt.Key.Key_Up)
    back = page.current_item()
    assert back is not None and back.customer == "Mia Chen"
    QTest.keyClick(page.tree, Qt.Key.Key_Up)
    assert page.current_item() == back, "nothing above the first follow-up to move to"


def test_rows_are_formatted_only_when_the_view_asks(
    qtbot: QtBot, db: Database, now: datetime
) -> None:
    for n in range(3):
        _lead(db, now, f"Customer {n}", Channel.CALL)
    Operations(db)  # the window's database thread: Today is read there
    page = TodayPage(db, clock=lambda: now)
    qtbot.addWidget(page)
    page.refresh()  # never shown: nothing painted, so nothing formatted
    settle(qtbot, page)
    model = page.model
    assert model.rowCount() == 4, "the Calls title and its three follow-ups"
    asked: list[int] = []
    original = model._row_texts

    def spy(row: int) -> tuple[str, ...]:
        asked.append(row)
        return original(row)

    model._row_texts = spy  # type: ignore[method-assign]
    assert model.data(model.index(2, 2)) == "Customer 1"
    assert model.data(model.index(2, 0), Qt.ItemDataRole.DecorationRole) is None
    assert model.data(model.index(0, 0)) == "Calls  (3)"
    assert asked == [2], "one row asked for, one row formatted"


def test_off_screen_a_change_is_read_when_the_page_is_next_shown(
    qtbot: QtBot, db: Database, now: datetime
) -> None:
    _lead(db, now, "Mia Chen", Channel.CALL)
    Operations(db)  # the window's database thread: Today is read there
    page = TodayPage(db, clock=lambda: now)
    qtbot.addWidget(page)
    page.refresh()
    settle(qtbot, page)
    _lead(db, now, "Bo Lang", Channel.CALL)
    page.apply_changes(Changes(follow_ups=True))
    settle(qtbot, page)
    assert _names(page) == ["Mia Chen"], "hidden, the page only notes the change"
    page.show()
    QApplication.processEvents()
    settle(qtbot, page)
    assert _names(page) == ["Mia Chen", "Bo Lang"]


def test_a_change_to_someone_not_on_the_list_leaves_it_alone(
    qtbot: QtBot, db: Database, now: datetime
) -> None:
    mia, mia_quote = _lead(db, now, "Mia Chen", Channel.CALL)
    Operations(db)  # the window's database thread: Today is read there
    page = TodayPage(db, clock=lambda: now)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    settle(qtbot, page)
    _lead(db, now, "Bo Lang", Channel.CALL)  # not yet told to the page
    page.apply_changes(Changes(quotes=True, quote_ids=frozenset({mia_quote + 1000})))
    settle(qtbot, page)
    assert _names(page) == ["Mia Chen"], "a quote not on Today: nothing to read again"
    page.apply_changes(Changes(customers=True, customer_ids=frozenset({mia})))
    settle(qtbot, page)
    assert _names(page) == ["Mia Chen", "Bo Lang"], "Mia's details changed: read again"
    _lead(db, now, "Ann Ray", Channel.CALL)
    page.apply_changes(Changes(quotes=True))  # which quotes, unsaid: any row may show it
    settle(qtbot, page)
    assert _names(page) == ["Mia Chen", "Bo Lang", "Ann Ray"]


def _due(follow_up_id: int, channel: Channel, reason: str) -> DueItem:
    return DueItem(
        follow_up_id=follow_up_id, customer_id=follow_up_id, customer=f"Customer {follow_up_id}",
        quote_id=None, quote=None, job=None, due_at=datetime(2026, 11, 23, 9, tzinfo=UTC),
        channel=channel, reason=reason, basis=Basis.PLANNED, agreed_words=None, overdue=False,
        phone=None, email=None, timezone="UTC",
        # As the due list says it: the lead's own first reply, still to give.
        first_reply=reason.startswith(FIRST_REPLY),
    )  # fmt: skip


def test_sections_put_replies_then_new_leads_first_then_the_rest_by_channel() -> None:
    items = [
        _due(1, Channel.EMAIL, "Send the revised price"),
        _due(2, Channel.CALL, f"{FIRST_REPLY} about a deck"),
        _due(3, Channel.TEXT, REPLIED_REASON),
        _due(4, Channel.VISIT, "Measure up"),
        _due(5, Channel.VIDEO, "Walk through the plan"),
        _due(6, Channel.EMAIL, "Send the revised price"),  # a reason seen before
        _due(7, Channel.EMAIL, stop_reason(Channel.EMAIL)),
        _due(8, Channel.CARD, "Thank-you card"),
        _due(9, Channel.EMAIL, f"{FIRST_REPLY} about a deck"),
        # The same words on a lead already answered: an ordinary text, not a new lead.
        replace(_due(10, Channel.TEXT, f"{FIRST_REPLY} about a deck"), first_reply=False),
    ]
    sections = [(title, [i.follow_up_id for i in found]) for title, found in group_items(items)]
    assert sections == [
        ("Replies", [3, 7]),
        ("New leads", [2, 9]),
        ("Calls", [4]),
        ("Texts", [5, 10]),
        ("Emails", [1, 6]),
        ("Cards", [8]),
    ]
    assert group_items([]) == [], "no empty sections"


def test_a_reload_of_the_same_day_writes_no_time_again_but_keeps_the_one_chosen(
    qtbot: QtBot, db: Database, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(3):
        _lead(db, now, f"Customer {n}", Channel.CALL)
    written: list[datetime] = []

    def counting(dt: datetime, *args: object, **kwargs: object) -> str:
        written.append(dt)
        return date_time_text(dt)

    monkeypatch.setattr(today_model, "date_time_text", counting)
    Operations(db)  # the window's database thread: Today is read there
    page = TodayPage(db, clock=lambda: now)
    qtbot.addWidget(page)
    page.resize(1400, 700)
    page.show()
    settle(qtbot, page)
    qtbot.waitExposed(page)  # else a repaint paints nothing
    page.refresh()
    QApplication.processEvents()
    settle(qtbot, page)
    page.tree.viewport().repaint()
    first = len(written)
    assert first >= 1, "the due times are written as the rows are painted"
    page.tree.setCurrentIndex(page.model.index(2, 0))
    page.refresh()
    QApplication.processEvents()
    settle(qtbot, page)
    page.tree.viewport().repaint()
    assert len(written) == first, "the same follow-ups again: their times are not written again"
    assert _names(page) == ["Customer 0", "Customer 1", "Customer 2"]
    chosen = page.current_item()
    assert chosen is not None and chosen.customer == "Customer 1", "the chosen one stays"
