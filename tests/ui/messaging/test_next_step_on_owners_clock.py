# mypy: disable-error-code="no-untyped-call"
"""The call, text and email screens' "What's next?" reads the owner's clock too: the owner
in Sydney picks 12:00 pm for Ken in Fremantle and sees "9:00 am their time"; the plan is the
same instant, and a suggestion after a refusal lands on the owner's clock."""

from __future__ import annotations

from datetime import UTC, datetime, time

from PySide6.QtCore import QDate, QTime
from pytestqt.qtbot import QtBot

from deckfollow.core.enums import Channel
from deckfollow.core.errors import PermissionRefused
from deckfollow.core.followups import FollowUpPlan
from deckfollow.storage.database import Database
from deckfollow.ui import formatting
from deckfollow.ui.messaging.common import NextStepWidget
from tests.ui.ken_in_perth import NOW, sydney_owner_and_ken_in_perth

PERTH = "Australia/Perth"


def test_the_next_step_is_the_owners_time_with_theirs_beside_it(qtbot: QtBot, db: Database) -> None:
    sydney_owner_and_ken_in_perth(db)
    step = NextStepWidget(timezone=PERTH, now=NOW, channel=Channel.CALL, has_quote=True)
    qtbot.addWidget(step)
    step.show()
    step.plan_radio.setChecked(True)
    step.day.setDate(QDate(2026, 12, 7))
    step.at.setTime(QTime(12, 0))
    assert step.their_time.text() == f"{formatting.clock_text(time(9))} their time"
    step.reason.setText("Go over the jarrah sample")
    plan = step.next_step()
    assert isinstance(plan, FollowUpPlan)
    assert plan.due_at == datetime(2026, 12, 7, 1, 0, tzinfo=UTC)

    # A suggestion (9:00 am in Perth) is put back on the owner's clock: 12:00 pm.
    step.at.setTime(QTime(8, 0))
    step.offer(PermissionRefused("too early there", datetime(2026, 12, 7, 1, 0, tzinfo=UTC)))
    step.suggest_button.click()
    assert (step.day.date(), step.at.time()) == (QDate(2026, 12, 7), QTime(12, 0))
