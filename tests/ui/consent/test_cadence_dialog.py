# mypy: disable-error-code="no-untyped-call"
"""Choosing, copying, editing and starting a follow-up plan from the dialog."""

from __future__ import annotations

from datetime import datetime, time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QSpinBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from deckfollow.core.cadence_library import get_cadence
from deckfollow.core.enums import Basis, Channel, FollowUpStatus
from deckfollow.core.leads import LeadCreated
from deckfollow.core.models import FollowUp
from deckfollow.storage.database import Database
from deckfollow.ui.consent import CadenceDialog
from deckfollow.ui.formatting import clock_text
from deckfollow.ui.operations import Operations
from tests.factories import new_lead
from tests.ui.waiting import settle


@pytest.fixture
def lead(db: Database, now: datetime) -> LeadCreated:
    return new_lead(
        db, "Grace Hopper", country="AU", timezone="Australia/Sydney", answered=True, now=now
    )


def _dialog(qtbot: QtBot, db: Database, lead: LeadCreated, now: datetime) -> CadenceDialog:
    Operations(db)  # the window's database thread: plans are read and saved there
    dlg = CadenceDialog(
        db,
        clock=lambda: now,
        customer_id=lead.customer_id,
        quote_id=lead.quote_id,
        timezone="Australia/Sydney",
    )
    qtbot.addWidget(dlg)
    dlg.show()
    assert not dlg.plans.isEnabled()  # open for a choice once the plans are read
    settle(qtbot, dlg)
    return dlg


def _cell(dlg: CadenceDialog, row: int, col: int) -> str:
    item = dlg.runs.item(row, col)
    assert item is not None
    return item.text()


def test_built_ins_are_listed_read_only_and_start_places_the_first_step(
    qtbot: QtBot, db: Database, lead: LeadCreated, now: datetime
):
    dlg = _dialog(qtbot, db, lead, now)
    assert dlg.plans.count() == 5
    dlg.select("after_quote")
    assert dlg.steps.rowCount() == 12
    assert not dlg.save_button.isEnabled()
    with qtbot.waitSignal(dlg.started):
        qtbot.mouseClick(dlg.start_button, Qt.MouseButton.LeftButton)
    settle(qtbot, dlg)
    assert (
        f"First step: text Tue 24 Nov 2026 {clock_text(time(10, 0))} (Australia/Sydney)"
        in dlg.status.text()
    )
    with db.reading() as s:
        fu = s.execute(select(FollowUp)).scalar_one()
    assert (fu.basis, fu.channel, fu.status) == (
        Basis.PLANNED,
        Channel.TEXT,
        FollowUpStatus.PENDING,
    )
    qtbot.mouseClick(dlg.start_button, Qt.MouseButton.LeftButton)
    settle(qtbot, dlg)
    assert "already running" in dlg.error.text()


def test_a_copy_can_be_edited_and_a_bad_reason_is_refused(
    qtbot: QtBot, db: Database, lead: LeadCreated, now: datetime
):
    dlg = _dialog(qtbot, db, lead, now)
    dlg.select("after_sale")
    assert dlg.copy_current()
    settle(qtbot, dlg)
    spec = dlg.current()
    assert spec.key == "after_sale-copy" and not spec.builtin
    assert dlg.save_button.isEnabled()
    day = dlg.steps.cellWidget(2, 0)
    channel = dlg.steps.cellWidget(2, 2)
    assert isinstance(day, QSpinBox) and isinstance(channel, QComboBox)
    assert dlg.name.isEnabled()
    dlg.name.setText("After the sale, with a site visit")
    day.setValue(28)
    channel.setCurrentIndex(channel.findData(Channel.VISIT.value))
    assert dlg.save_current()
    settle(qtbot, dlg)
    with db.reading() as s:
        saved = get_cadence(s, "after_sale-copy")
    assert (saved.steps[2].offset_days, saved.steps[2].channel) == (28, Channel.VISIT)
    assert saved.name == "After the sale, with a site visit"

    item = dlg.steps.item(0, 3)
    assert item is not None
    item.setText("Are you ready yet?")
    assert not dlg.save_current()
    settle(qtbot, dlg)
    assert "not a reason" in dlg.error.text()
    with db.reading() as s:
        assert get_cadence(s, "after_sale-copy").steps[0].reason.startswith("Thank you")


def test_a_step_keeps_its_own_wording_when_a_copy_is_saved(
    qtbot: QtBot, db: Database, lead: LeadCreated, now: datetime
):
    from dataclasses import replace

    from deckfollow.core.cadence_library import update_cadence

    dlg = _dialog(qtbot, db, lead, now)
    dlg.select("parked")
    assert dlg.copy_current()
    settle(qtbot, dlg)
    with db.unit_of_work() as s:
        spec = get_cadence(s, "parked-copy")
        steps = (replace(spec.steps[0], template_key="call_agreed"), *spec.steps[1:])
        update_cadence(s, replace(spec, steps=steps))
    dlg.reload(select_key="parked-copy")
    settle(qtbot, dlg)
    dlg.name.setText("Parked, my way")
    assert dlg.save_current()
    settle(qtbot, dlg)
    with db.reading() as s:
        assert get_cadence(s, "parked-copy").steps[0].template_key == "call_agreed"


def test_the_customers_plans_can_be_stopped_and_resumed_after_a_reply(
    qtbot: QtBot, db: Database, lead: LeadCreated, now: datetime
):
    from datetime import timedelta

    from deckfollow.core.enums import Direction, Outcome
    from deckfollow.core.touches import TouchRecord, log_touch

    dlg = _dialog(qtbot, db, lead, now)
    assert dlg.runs.isVisible() and dlg.runs.rowCount() == 0
    dlg.select("after_quote")
    assert dlg.start_current()
    settle(qtbot, dlg)
    assert dlg.runs.rowCount() == 1
    assert [_cell(dlg, 0, c) for c in (0, 1)] == ["After a quote", "running"]
    assert _cell(dlg, 0, 2).startswith(
        f"text Tue 24 Nov 2026 {clock_text(time(10, 0))}: Check the quote"
    )

    # The customer replies: the plan waits for the owner's decision.
    later = now + timedelta(hours=2)
    with db.unit_of_work() as s:
        reply = TouchRecord(
            lead.customer_id,
            Channel.EMAIL,
            Direction.INBOUND,
            Outcome.REPLIED,
            later,
            lead.quote_id,
            summary="Can you do it in merbau instead?",
        )
        log_touch(s, reply, None, now=later, await_decision=True)
    dlg.reload_runs()
    settle(qtbot, dlg)
    assert _cell(dlg, 0, 1) == "paused"
    assert _cell(dlg, 0, 3) == "the customer replied"
    dlg.runs.selectRow(0)
    assert dlg.resume_run_button.isEnabled() and dlg.stop_run_button.isEnabled()
    with qtbot.waitSignal(dlg.started):
        qtbot.mouseClick(dlg.resume_run_button, Qt.MouseButton.LeftButton)
    settle(qtbot, dlg)
    assert _cell(dlg, 0, 1) == "running"
    assert not dlg.resume_run_button.isEnabled()
    assert dlg.status.text() == "Resumed After a quote."

    qtbot.mouseClick(dlg.stop_run_button, Qt.MouseButton.LeftButton)
    settle(qtbot, dlg)
    assert _cell(dlg, 0, 1) == "stopped" and _cell(dlg, 0, 2) == ""
    assert not dlg.stop_run_button.isEnabled()
    with db.reading() as s:
        statuses = set(s.execute(select(FollowUp.status)).scalars())
    assert statuses == {FollowUpStatus.CANCELLED}


def test_the_details_panel_opens_the_customers_plans(
    qtbot: QtBot, db: Database, lead: LeadCreated, now: datetime
):
    from deckfollow.ui.customer_detail.panel import DetailPanel

    Operations(db)  # the window's database thread: the plans are read there
    panel = DetailPanel(db, clock=lambda: now)
    qtbot.addWidget(panel)
    panel.show_quote(lead.quote_id)
    settle(qtbot, panel)  # the panel shows the customer once read
    dlg = panel.open_plans()
    assert dlg is not None and dlg.start_button.isVisible()
    settle(qtbot, dlg)
    dlg.select("after_quote")
    assert dlg.start_current()
    settle(qtbot, dlg)
    assert dlg.runs.rowCount() == 1
    dlg.close()


def test_a_copy_can_change_what_happens_after_its_last_step(
    qtbot: QtBot, db: Database, lead: LeadCreated, now: datetime
):
    dlg = _dialog(qtbot, db, lead, now)
    dlg.select("after_sale")
    assert dlg.repeat.currentText() == "Then repeat the last step every"
    assert dlg.repeat_days.value() == 91 and not dlg.repeat.isEnabled()  # built in
    assert dlg.copy_current()
    settle(qtbot, dlg)
    assert dlg.repeat.isEnabled() and dlg.repeat_days.isEnabled()
    dlg.repeat_days.setValue(120)
    assert dlg.save_current()
    settle(qtbot, dlg)
    with db.reading() as s:
        saved = get_cadence(s, "after_sale-copy")
    assert (saved.repeat_last_every_days, saved.repeat_yearly) == (120, False)
    assert "Then the last step every 120 days." in dlg.description.text()

    dlg.repeat.setCurrentIndex(dlg.repeat.findText("Start again every year"))
    assert dlg.repeat_days.isHidden()
    assert dlg.save_current()
    settle(qtbot, dlg)
    dlg.repeat.setCurrentIndex(dlg.repeat.findText("Stop after the last step"))
    with db.reading() as s:
        yearly = get_cadence(s, "after_sale-copy")
    assert (yearly.repeat_last_every_days, yearly.repeat_yearly) == (None, True)
    assert dlg.save_current()
    settle(qtbot, dlg)
    with db.reading() as s:
        once = get_cadence(s, "after_sale-copy")
    assert (once.repeat_last_every_days, once.repeat_yearly) == (None, False)
