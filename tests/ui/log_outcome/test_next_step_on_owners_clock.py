# mypy: disable-error-code="no-untyped-call"
"""One clock in "What's next?": the owner in Sydney picks the next step's time on their own
clock, as "Happened at" reads, and sees the customer's time in Perth beside it; the
follow-up keeps the instant in UTC with the customer's zone."""

from __future__ import annotations

from datetime import UTC, datetime, time

from PySide6.QtCore import QDate, QTime
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from deckfollow.core.enums import FollowUpStatus
from deckfollow.core.models import FollowUp
from deckfollow.storage.database import Database
from deckfollow.ui import formatting, operations
from deckfollow.ui.log_outcome import LogOutcomeDialog
from tests.ui.ken_in_perth import NOW, sydney_owner_and_ken_in_perth
from tests.ui.messaging.screens import log_outcome_dialog
from tests.ui.waiting import settle


def _dialog(qtbot: QtBot, db: Database, quote_id: int) -> LogOutcomeDialog:
    dlg = log_outcome_dialog(db, lambda: NOW, quote_id=quote_id)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def test_the_next_step_is_picked_on_the_owners_clock_with_theirs_beside_it(
    qtbot: QtBot, db: Database
) -> None:
    quote_id = sydney_owner_and_ken_in_perth(db).quote_id
    dlg = _dialog(qtbot, db, quote_id)
    assert "Australia/Perth" in dlg.zone_label.text()
    assert "Times are on your clock" in dlg.zone_label.text()

    dlg.plan_next.setChecked(True)
    dlg.next_day.setDate(QDate(2026, 12, 7))
    dlg.next_time.setTime(QTime(12, 0))
    nine = formatting.clock_text(time(9))
    assert dlg.their_time.text() == f"{nine} their time"
    assert dlg.their_time.isVisibleTo(dlg)
    # The label follows the time as it changes.
    dlg.next_time.setTime(QTime(14, 30))
    assert dlg.their_time.text() == f"{formatting.clock_text(time(11, 30))} their time"
    dlg.next_time.setTime(QTime(12, 0))

    dlg.reason.setText("Go over the jarrah sample")
    dlg.save()
    settle(qtbot, operations.current())
    with db.reading() as s:
        fu = s.execute(
            select(FollowUp).where(
                FollowUp.quote_id == quote_id, FollowUp.status == FollowUpStatus.PENDING
            )
        ).scalar_one()
        assert fu.due_at.replace(tzinfo=UTC) == datetime(2026, 12, 7, 1, 0, tzinfo=UTC)
        assert fu.timezone == "Australia/Perth"


def test_the_allowed_hours_are_still_the_customers(qtbot: QtBot, db: Database) -> None:
    """8:00 am in Sydney is 5:00 am in Perth: refused, and the nearest allowed time is
    offered on the owner's clock, 12:00 pm (9:00 am there)."""
    quote_id = sydney_owner_and_ken_in_perth(db).quote_id
    dlg = _dialog(qtbot, db, quote_id)
    dlg.plan_next.setChecked(True)
    dlg.next_day.setDate(QDate(2026, 12, 7))
    dlg.next_time.setTime(QTime(8, 0))
    assert dlg.their_time.text() == f"{formatting.clock_text(time(5))} their time"
    dlg.reason.setText("Go over the jarrah sample")
    dlg.save()
    settle(qtbot, operations.current())
    noon, nine = formatting.clock_text(time(12)), formatting.clock_text(time(9))
    assert "outside the hours Ken Perth may be contacted" in dlg.error.text()
    assert dlg.suggest_button.text() == f"Use Mon 7 Dec {noon} · {nine} their time instead"
    dlg.suggest_button.click()
    assert dlg.next_day.date() == QDate(2026, 12, 7)
    assert dlg.next_time.time() == QTime(12, 0)
    assert dlg.their_time.text() == f"{nine} their time"
    assert dlg.picked_next_at() == datetime(2026, 12, 7, 1, 0, tzinfo=UTC)
    with db.reading() as s:
        assert s.execute(select(FollowUp).where(FollowUp.quote_id == quote_id)).first() is None
