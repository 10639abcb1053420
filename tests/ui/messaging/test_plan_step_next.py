"""Calling, texting or emailing a plan's step: "let the plan continue" is the first answer."""

from __future__ import annotations

from datetime import datetime

from pytestqt.qtbot import QtBot
from sqlalchemy import select

from deckfollow.core.cadence_library import seed_builtin_cadences
from deckfollow.core.cadence_runs import start_cadence
from deckfollow.core.enums import FollowUpStatus
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.models import FollowUp
from deckfollow.core.touches import PlanContinues
from deckfollow.storage.database import Database
from tests.ui.messaging.screens import call_dialog


def test_a_call_for_a_plan_step_lets_the_plan_continue(
    qtbot: QtBot, db: Database, now: datetime
) -> None:
    with db.unit_of_work() as s:
        seed_builtin_cadences(s)
        lead = add_lead(
            s,
            NewLead("Grace Hopper", phone="+61412000111", country="AU",
                    timezone="Australia/Sydney", job="Hardwood deck", answered=True),
            now=now,
        )  # fmt: skip
        start_cadence(s, lead.customer_id, "after_sale", quote_id=lead.quote_id, now=now)
        step_id = s.execute(
            select(FollowUp.id).where(FollowUp.status == FollowUpStatus.PENDING)
        ).scalar_one()
    dialog = call_dialog(db, now, follow_up_id=step_id)
    qtbot.addWidget(dialog)
    widget = dialog.next_step
    assert widget.continue_radio.isVisibleTo(dialog) and widget.continue_radio.isChecked()
    assert not widget.plan_box.isVisibleTo(dialog), "nothing to plan by hand"
    assert isinstance(widget.next_step(), PlanContinues)
    widget.plan_radio.setChecked(True)
    assert widget.plan_box.isVisibleTo(dialog)
