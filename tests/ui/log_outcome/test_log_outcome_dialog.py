# mypy: disable-error-code="no-untyped-call"
"""Logging an outcome: nothing is saved until "what's next?" is answered and allowed."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QDateTime, Qt, QTime
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from deckfollow.core.consent import revoke_consent
from deckfollow.core.enums import (
    Basis,
    Channel,
    ConsentChannel,
    Direction,
    FollowUpStatus,
    Outcome,
    Stage,
)
from deckfollow.core.followups import FollowUpPlan, schedule_follow_up
from deckfollow.core.leads import LeadCreated, NewLead, add_lead
from deckfollow.core.models import FollowUp, Quote, Touch
from deckfollow.core.today import load_today
from deckfollow.storage.database import Database
from deckfollow.ui import operations
from deckfollow.ui.formatting import clock_text
from deckfollow.ui.log_outcome import LogOutcomeDialog
from tests.factories import new_lead
from tests.ui.messaging.screens import log_outcome_dialog
from tests.ui.waiting import settle


@pytest.fixture
def lead(db: Database, now: datetime) -> LeadCreated:
    return new_lead(
        db,
        "Grace Hopper",
        phone="0412 345 678",
        email="grace@example.com",
        job="Hardwood deck, 30 m²",
        country="AU",
        timezone="Australia/Sydney",
        answered=True,
        now=now,
    )


def _dialog(
    qtbot: QtBot,
    db: Database,
    now: datetime,
    *,
    quote_id: int | None = None,
    follow_up_id: int | None = None,
) -> LogOutcomeDialog:
    dlg = log_outcome_dialog(db, lambda: now, quote_id=quote_id, follow_up_id=follow_up_id)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def _count(db: Database, model: type[Touch] | type[FollowUp]) -> int:
    with db.reading() as s:
        return int(s.execute(select(func.count()).select_from(model)).scalar_one())


def test_ok_stays_disabled_until_whats_next_is_answered(
    qtbot: QtBot, db: Database, lead: LeadCreated, now: datetime
) -> None:
    dlg = _dialog(qtbot, db, now, quote_id=lead.quote_id)
    assert not dlg.ok_button.isEnabled()
    dlg.plan_next.setChecked(True)
    assert not dlg.ok_button.isEnabled(), "a follow-up without a reason is no answer"
    dlg.reason.setText("Go over the timber choice")
    assert dlg.ok_button.isEnabled()
    dlg.agreed.setChecked(True)
    assert not dlg.ok_button.isEnabled(), "an agreed follow-up keeps their words"
    dlg.agreed_words.setText("Call me Wednesday morning")
    assert dlg.ok_button.isEnabled()
    dlg.close_quote.setChecked(True)
    assert not dlg.ok_button.isEnabled()
    dlg.lost.setChecked(True)
    assert not dlg.ok_button.isEnabled(), "lost needs a reason"
    dlg.lost_reason.setText("went with a cheaper quote")
    assert dlg.ok_button.isEnabled()
    assert _count(db, Touch) == 0


def test_a_customer_on_the_owners_clock_gets_no_second_time(
    qtbot: QtBot, db: Database, lead: LeadCreated, now: datetime
) -> None:
    dlg = _dialog(qtbot, db, now, quote_id=lead.quote_id)
    # Grace lives in Sydney, as the owner does: one clock, no zone named, no "their time".
    assert dlg.zone_label.text().startswith("Times are on your clock.")
    assert "Australia/Sydney" not in dlg.zone_label.text()
    assert f"usual hours: weekdays {clock_text(time(9, 0))}" in dlg.zone_label.text()
    assert dlg.their_time.text() == ""
    assert not dlg.their_time.isVisibleTo(dlg)


def test_outcome_with_next_follow_up_saves_touch_and_follow_up(
    qtbot: QtBot, db: Database, lead: LeadCreated, now: datetime
) -> None:
    dlg = _dialog(qtbot, db, now, quote_id=lead.quote_id)
    dlg.outcome.setCurrentIndex(dlg.outcome.findData(Outcome.REACHED.value))
    dlg.note.setPlainText("Wants merbau, not treated pine")
    dlg.plan_next.setChecked(True)
    dlg.next_channel.setCurrentIndex(dlg.next_channel.findData(Channel.CALL.value))
    dlg.reason.setText("Go over the timber choice")
    dlg.agreed.setChecked(True)
    dlg.agreed_words.setText("Call me Wednesday at ten")
    with qtbot.waitSignal(dlg.logged) as sig:
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert sig.args[0].touches and sig.args[0].follow_ups
    assert not dlg.isVisible()
    with db.reading() as s:
        touch = s.execute(select(Touch)).scalar_one()
        fu = s.execute(select(FollowUp)).scalar_one()
        quote = s.get(Quote, lead.quote_id)
        assert quote is not None
        first_response = quote.first_response_at
    assert (touch.outcome, touch.direction, touch.summary) == (
        Outcome.REACHED,
        Direction.OUTBOUND,
        "Wants merbau, not treated pine",
    )
    assert first_response == now, "the lead's first response is this touch"
    # Wednesday 25 Nov 10:00 in Sydney is 23:00 UTC on the 24th.
    assert fu.due_at == datetime.fromisoformat("2026-11-24T23:00:00+00:00")
    assert (fu.channel, fu.basis, fu.agreed_words, fu.reason) == (
        Channel.CALL,
        Basis.AGREED,
        "Call me Wednesday at ten",
        "Go over the timber choice",
    )


def test_next_step_on_a_revoked_channel_is_refused_and_nothing_is_saved(
    qtbot: QtBot, db: Database, lead: LeadCreated, now: datetime
) -> None:
    with db.unit_of_work() as s:
        revoke_consent(
            s,
            lead.customer_id,
            ConsentChannel.TEXT,
            source="phone call",
            words="No texts please",
            now=now,
        )
    dlg = _dialog(qtbot, db, now, quote_id=lead.quote_id)
    dlg.plan_next.setChecked(True)
    dlg.next_channel.setCurrentIndex(dlg.next_channel.findData(Channel.TEXT.value))
    assert dlg.blocked.isVisible() and "revoked text" in dlg.blocked.text()
    dlg.reason.setText("Send the revised price")
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot, operations.current())  # refused on the window's database thread
    assert dlg.isVisible()
    assert dlg.error.isVisible()
    assert "Grace Hopper revoked text contact" in dlg.error.text()
    assert "No texts please" in dlg.error.text()
    assert _count(db, Touch) == 0
    assert _count(db, FollowUp) == 0


def test_closing_as_lost_with_a_reason_moves_the_quote(
    qtbot: QtBot, db: Database, lead: LeadCreated, now: datetime
) -> None:
    dlg = _dialog(qtbot, db, now, quote_id=lead.quote_id)
    dlg.outcome.setCurrentIndex(dlg.outcome.findData(Outcome.REACHED.value))
    dlg.close_quote.setChecked(True)
    dlg.lost.setChecked(True)
    dlg.lost_reason.setText("went with a cheaper quote")
    with qtbot.waitSignal(dlg.logged) as sig:
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert sig.args[0].quotes
    with db.reading() as s:
        quote = s.get(Quote, lead.quote_id)
        assert quote is not None
        assert (quote.stage, quote.lost_reason) == (Stage.LOST, "went with a cheaper quote")
    assert _count(db, Touch) == 1


def test_prefills_from_the_follow_up_and_completes_it(
    qtbot: QtBot, db: Database, lead: LeadCreated, now: datetime
) -> None:
    with db.unit_of_work() as s:
        fu = schedule_follow_up(
            s,
            lead.customer_id,
            lead.quote_id,
            FollowUpPlan(
                datetime.fromisoformat("2026-11-23T23:00:00+00:00"),
                Channel.EMAIL,
                "Check the quote arrived",
            ),
            now=now,
        )
        s.flush()
        fu_id = fu.id
    dlg = _dialog(qtbot, db, now, follow_up_id=fu_id)
    assert Channel(dlg.channel.currentData()) is Channel.EMAIL
    assert Channel(dlg.next_channel.currentData()) is Channel.EMAIL
    assert dlg.reason.text() == "Check the quote arrived"
    dlg.outcome.setCurrentIndex(dlg.outcome.findData(Outcome.SENT.value))
    dlg.close_quote.setChecked(True)
    dlg.parked.setChecked(True)
    with qtbot.waitSignal(dlg.logged):
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    with db.reading() as s:
        done = s.get(FollowUp, fu_id)
        assert done is not None and done.status is FollowUpStatus.DONE
        quote = s.get(Quote, lead.quote_id)
        assert quote is not None and quote.stage is Stage.PARKED


def test_a_time_outside_their_hours_is_refused_with_the_nearest_allowed_time_one_click_away(
    qtbot: QtBot, db: Database, lead: LeadCreated, now: datetime
) -> None:
    dlg = _dialog(qtbot, db, now, quote_id=lead.quote_id)
    dlg.plan_next.setChecked(True)
    dlg.next_channel.setCurrentIndex(dlg.next_channel.findData(Channel.CALL.value))
    dlg.reason.setText("Go over the timber choice")
    dlg.next_time.setTime(QTime(23, 30))
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot, operations.current())  # refused on the window's database thread
    assert dlg.isVisible() and dlg.error.isVisible()
    assert "Nearest allowed time" in dlg.error.text()
    assert _count(db, Touch) == 0
    assert dlg.suggest_button.isVisible()
    assert dlg.suggest_button.text().startswith("Use Thu 26 Nov")
    qtbot.mouseClick(dlg.suggest_button, Qt.MouseButton.LeftButton)
    assert not dlg.error.isVisible()
    with qtbot.waitSignal(dlg.logged):
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    with db.reading() as s:
        fu = s.execute(select(FollowUp)).scalar_one()
    assert fu.due_at.astimezone(ZoneInfo("Australia/Sydney")).date().isoformat() == "2026-11-26"


def test_a_reply_is_logged_as_inbound(
    qtbot: QtBot, db: Database, lead: LeadCreated, now: datetime
) -> None:
    dlg = _dialog(qtbot, db, now, quote_id=lead.quote_id)
    dlg.outcome.setCurrentIndex(dlg.outcome.findData(Outcome.REPLIED.value))
    assert Direction(dlg.direction.currentData()) is Direction.INBOUND


@pytest.mark.parametrize("after_sale", [True, False])
def test_won_starts_the_after_sale_plan_unless_unticked(
    qtbot: QtBot, db: Database, lead: LeadCreated, now: datetime, after_sale: bool
) -> None:
    dlg = _dialog(qtbot, db, now, quote_id=lead.quote_id)
    dlg.close_quote.setChecked(True)
    assert not dlg.after_sale.isEnabled()
    dlg.won.setChecked(True)
    assert dlg.after_sale.isEnabled() and dlg.after_sale.isChecked()
    dlg.after_sale.setChecked(after_sale)
    with qtbot.waitSignal(dlg.logged):
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    with db.reading() as s:
        quote = s.get(Quote, lead.quote_id)
        assert quote is not None and quote.stage is Stage.WON
        pending = list(
            s.execute(select(FollowUp).where(FollowUp.status == FollowUpStatus.PENDING)).scalars()
        )
    if after_sale:
        assert [(f.channel, f.reason[:9]) for f in pending] == [(Channel.CALL, "Thank you")]
        # "Tonight" is in the customer's evening: 18:00 in Sydney.
        local = pending[0].due_at.astimezone(ZoneInfo("Australia/Sydney"))
        assert (local.date().isoformat(), local.hour) == ("2026-11-23", 18)
    else:
        assert pending == []


def test_a_call_logged_later_keeps_the_time_it_happened(
    qtbot: QtBot, db: Database, now: datetime
) -> None:
    with db.unit_of_work() as s:
        lead = add_lead(
            s,
            NewLead("Ada Lovelace", phone="+61 412 345 678", timezone="Australia/Sydney"),
            now=now - timedelta(hours=3),
        )
    dlg = _dialog(qtbot, db, now, quote_id=lead.quote_id)
    called = now - timedelta(hours=2, minutes=48)
    dlg.happened_at.setDateTime(QDateTime.fromSecsSinceEpoch(int(called.timestamp())))
    dlg.plan_next.setChecked(True)
    dlg.reason.setText("Send the measured plan")
    with qtbot.waitSignal(dlg.logged):
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    with db.reading() as s:
        touch = s.execute(select(Touch)).scalar_one()
        quote = s.get(Quote, lead.quote_id)
        assert quote is not None
        assert (touch.at, quote.first_response_at) == (called, called)


def test_after_a_first_reply_the_next_step_follows_the_enquiry_up(
    qtbot: QtBot, db: Database, now: datetime
) -> None:
    """The first reply's words are not the next step's: once answered, it is no new lead."""
    waiting = new_lead(
        db, "Mia Chen", phone="0412 345 679", job="Hardwood deck, 30 m²", country="AU",
        timezone="Australia/Sydney", now=now,
    )  # fmt: skip
    assert waiting.follow_up_id is not None
    dlg = _dialog(qtbot, db, now, follow_up_id=waiting.follow_up_id)
    assert dlg.reason.text() == "Follow up on their enquiry about hardwood deck, 30 m²"
    dlg.plan_next.setChecked(True)
    with qtbot.waitSignal(dlg.logged):
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    with db.reading() as s:
        [(reason, due_at)] = s.execute(
            select(FollowUp.reason, FollowUp.due_at).where(
                FollowUp.status == FollowUpStatus.PENDING
            )
        ).all()
        assert reason == "Follow up on their enquiry about hardwood deck, 30 m²"
        # Not today's, and not a new lead on the day it is due either.
        assert load_today(s, now=now).items == []
        [item] = load_today(s, now=due_at).items
        assert not item.first_reply
