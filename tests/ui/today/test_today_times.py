"""Today reads in the owner's time, with the customer's own clock beside it when it differs."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from deckfollow.core.enums import Basis, Channel
from deckfollow.core.followups import FollowUpPlan, schedule_follow_up
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.settings import save_setting
from deckfollow.storage.database import Database
from deckfollow.ui.formatting import clock_text, long_date_text, weekday_time_text
from deckfollow.ui.operations import Operations
from deckfollow.ui.today_page import TodayPage
from tests.ui.waiting import settle


def _lead(db: Database, now: datetime, name: str, tz: str, country: str, due: datetime) -> None:
    with db.unit_of_work() as s:
        email = f"{name.split(maxsplit=1)[0].lower()}@example.com"
        lead = NewLead(
            name=name, email=email, job="Deck", country=country, timezone=tz, answered=True
        )
        made = add_lead(s, lead, now=now - timedelta(days=1))
        schedule_follow_up(
            s,
            made.customer_id,
            made.quote_id,
            FollowUpPlan(
                due_at=due,
                channel=Channel.EMAIL,
                reason="Send the revised price",
                basis=Basis.AGREED,
                agreed_words="Email me the new price",
            ),
            now=now - timedelta(days=1),
        )


def test_due_times_are_the_owners_with_a_distant_customers_clock_beside(
    qtbot: QtBot, db: Database, now: datetime
) -> None:
    # Sunday 22 Nov 22:00 UTC is Monday 09:00 in Sydney and Sunday 16:00 in Chicago.
    with db.unit_of_work() as s:
        save_setting(s, "owner_timezone", "Australia/Sydney")
    _lead(db, now, "Mia Chen", "Australia/Sydney", "AU", now + timedelta(hours=1))
    _lead(db, now, "Bob Ortiz", "America/Chicago", "US", now + timedelta(minutes=30))
    Operations(db)  # the window's database thread: Today is read there
    page = TodayPage(db, clock=lambda: now)
    qtbot.addWidget(page)
    page.refresh()
    QApplication.processEvents()
    settle(qtbot, page)

    emails = page.tree.topLevelItem(0)
    assert emails is not None and emails.text(0).startswith("Emails")
    rows = [emails.child(i) for i in range(emails.childCount())]
    seen = [(r.text(0), r.text(1), r.text(2)) for r in rows if r is not None]
    sydney_day = long_date_text((now + timedelta(hours=11)).date())
    assert sydney_day.startswith("Monday")
    assert page.headline.text() == f"2 follow-ups for {sydney_day}"
    assert [name for *_, name in seen] == ["Bob Ortiz", "Mia Chen"], "in the owner's order"
    assert seen[0][0].startswith("Mon 23 Nov") and seen[1][0].startswith("Mon 23 Nov")
    # Bob's afternoon is still Sunday where he is; Mia shares the owner's clock.
    bob_local = (now + timedelta(minutes=30)).astimezone(ZoneInfo("America/Chicago"))
    assert seen[0][1] == weekday_time_text(bob_local) and seen[0][1].startswith("Sun")
    assert clock_text(bob_local) in seen[0][1]
    assert seen[1][1] == ""


def test_a_call_that_would_be_refused_now_says_why_before_the_click(
    qtbot: QtBot, db: Database, now: datetime
) -> None:
    # Planned for Monday 10:00 in Sydney; the owner looks again at 21:00, after their hours.
    with db.unit_of_work() as s:
        save_setting(s, "owner_timezone", "Australia/Sydney")
        lead = NewLead(
            name="Mia Chen", phone="0412 345 678", job="Deck", country="AU",
            timezone="Australia/Sydney", answered=True
        )  # fmt: skip
        made = add_lead(s, lead, now=now - timedelta(days=1))
        plan = FollowUpPlan(
            due_at=now + timedelta(hours=1), channel=Channel.CALL, reason="Talk through the deck"
        )
        schedule_follow_up(s, made.customer_id, made.quote_id, plan, now=now)
    evening = now + timedelta(hours=12)
    Operations(db)  # the window's database thread: Today is read there
    page = TodayPage(db, clock=lambda: evening)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    QApplication.processEvents()
    settle(qtbot, page)
    item = page.current_item()
    assert item is not None and item.channel is Channel.CALL
    assert page.not_now.isVisible()
    assert "outside the hours Mia Chen may be contacted" in page.not_now.text()

    Operations(db)  # the window's database thread: Today is read there
    morning = TodayPage(db, clock=lambda: now + timedelta(hours=1))
    qtbot.addWidget(morning)
    morning.show()
    morning.refresh()
    QApplication.processEvents()
    settle(qtbot, morning)
    assert not morning.not_now.isVisible(), "inside their hours nothing is in the way"


def test_a_narrow_list_keeps_room_for_the_reason(qtbot: QtBot, db: Database, now: datetime) -> None:
    _lead(db, now, "Bob Ortiz", "America/Chicago", "US", now + timedelta(minutes=30))
    Operations(db)  # the window's database thread: Today is read there
    page = TodayPage(db, clock=lambda: now)
    qtbot.addWidget(page)
    page.resize(1500, 700)
    page.show()
    page.refresh()
    settle(qtbot, page)
    page.splitter.setSizes([1000, 500])
    QApplication.processEvents()
    settle(qtbot, page)
    assert not page.tree.isColumnHidden(1) and not page.tree.isColumnHidden(4)
    page.splitter.setSizes([460, 1000])  # squeezed, as with the details panel open beside it
    QApplication.processEvents()
    settle(qtbot, page)
    assert page.tree.isColumnHidden(1) and page.tree.isColumnHidden(4)
    assert page.tree.columnWidth(3) >= 120, "the reason stays readable"


def test_a_new_zone_in_settings_rewrites_the_times_on_the_next_reload(
    qtbot: QtBot, db: Database, now: datetime
) -> None:
    # Sunday 22 Nov 22:00 UTC: Monday 09:00 in Sydney, Sunday 16:00 in Chicago.
    with db.unit_of_work() as s:
        save_setting(s, "owner_timezone", "Australia/Sydney")
    _lead(db, now, "Bob Ortiz", "America/Chicago", "US", now + timedelta(minutes=30))
    Operations(db)  # the window's database thread: Today is read there
    page = TodayPage(db, clock=lambda: now)
    qtbot.addWidget(page)
    page.refresh()
    QApplication.processEvents()
    settle(qtbot, page)
    emails = page.tree.topLevelItem(0)
    assert emails is not None
    bob = emails.child(0)
    assert bob is not None and bob.text(0).startswith("Mon 23 Nov") and bob.text(1) != ""
    with db.unit_of_work() as s:
        save_setting(s, "owner_timezone", "America/Chicago")
    page.refresh()
    QApplication.processEvents()
    settle(qtbot, page)
    emails = page.tree.topLevelItem(0)
    assert emails is not None
    bob = emails.child(0)
    assert bob is not None
    bob_local = (now + timedelta(minutes=30)).astimezone(ZoneInfo("America/Chicago"))
    assert bob.text(0).startswith("Sun 22 Nov") and clock_text(bob_local) in bob.text(0)
    assert bob.text(1) == "", "the owner now shares Bob's clock"
