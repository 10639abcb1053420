"""Logging a step of a follow-up plan: the plan's own next step is the answer offered first."""

from __future__ import annotations

from datetime import datetime, timedelta

from pytestqt.qtbot import QtBot
from sqlalchemy import select

from deckfollow.core.cadence_library import seed_builtin_cadences
from deckfollow.core.cadence_runs import start_cadence
from deckfollow.core.enums import FollowUpStatus
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.models import FollowUp
from deckfollow.storage.database import Database
from tests.ui.messaging.screens import log_outcome_dialog


def _pending(db: Database, customer_id: int) -> list[tuple[int, int | None]]:
    with db.reading() as s:
        rows = s.execute(
            select(FollowUp.id, FollowUp.cadence_step)
            .where(FollowUp.customer_id == customer_id, FollowUp.status == FollowUpStatus.PENDING)
            .order_by(FollowUp.due_at)
        ).all()
    return [(fid, step) for fid, step in rows]


def test_a_plan_step_offers_to_let_the_plan_continue(
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
        start_cadence(s, lead.customer_id, "after_quote", quote_id=lead.quote_id, now=now)
    [(step_id, first)] = _pending(db, lead.customer_id)
    assert first == 0
    later = now + timedelta(days=3)
    dialog = log_outcome_dialog(db, lambda: later, follow_up_id=step_id)
    qtbot.addWidget(dialog)
    assert dialog.plan_continues.isVisibleTo(dialog)
    assert dialog.plan_continues.isChecked()
    assert "After a quote" in dialog.plan_continues.text()
    assert dialog.ok_button.isEnabled()
    with qtbot.waitSignal(dialog.logged):
        dialog.ok_button.click()
    pending = _pending(db, lead.customer_id)
    assert [step for _, step in pending] == [1], "the plan's next step, and nothing doubled"


def test_a_touch_outside_a_plan_does_not_offer_it(
    qtbot: QtBot, db: Database, now: datetime
) -> None:
    with db.unit_of_work() as s:
        lead = add_lead(
            s, NewLead("Ada Byron", phone="+61412000222", country="AU", answered=True), now=now
        )
    dialog = log_outcome_dialog(db, lambda: now, quote_id=lead.quote_id)
    qtbot.addWidget(dialog)
    assert not dialog.plan_continues.isVisibleTo(dialog)
    assert not dialog.ok_button.isEnabled(), "what's next still has to be answered"
