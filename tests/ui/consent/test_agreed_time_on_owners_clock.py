# mypy: disable-error-code="no-untyped-call"
"""Ask permission reads the owner's clock: an owner in Sydney types the time Ken in
Fremantle agreed to as they see it, with Ken's own time beside it; the follow-up keeps the
instant in UTC with Ken's zone, and the ledger says when on his clock."""

from __future__ import annotations

from datetime import UTC, datetime, time

from PySide6.QtCore import QDate, QTime
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from deckfollow.core.enums import Channel, LedgerSource
from deckfollow.core.models import FollowUp
from deckfollow.storage.database import Database
from deckfollow.ui import formatting
from deckfollow.ui.consent.ask_permission import AskPermissionDialog
from deckfollow.ui.consent.common import chosen_source
from deckfollow.ui.operations import Operations
from tests.ui.ken_in_perth import NOW, sydney_owner_and_ken_in_perth
from tests.ui.waiting import settle


def test_the_agreed_window_is_typed_on_the_owners_clock(qtbot: QtBot, db: Database) -> None:
    ken = sydney_owner_and_ken_in_perth(db)
    ops = Operations(db)
    dlg = AskPermissionDialog(db, ken.customer_id, ken.quote_id, clock=lambda: NOW)
    qtbot.addWidget(dlg)
    dlg.show()
    settle(qtbot, ops)
    assert "Times are on your clock" in dlg.intro.text()
    assert "Australia/Perth" in dlg.intro.text()
    assert dlg.hours.text().startswith("Their usual hours, their time:")

    dlg.channel.setCurrentIndex(dlg.channel.findData(Channel.CALL.value))
    dlg.day.setDate(QDate(2026, 12, 7))
    dlg.start.setTime(QTime(12, 0))
    dlg.end.setTime(QTime(13, 0))
    nine, ten = formatting.clock_text(time(9)), formatting.clock_text(time(10))
    assert dlg.their_time.text() == f"{nine}\N{EN DASH}{ten} their time"
    assert dlg.their_time.isVisibleTo(dlg)
    dlg.reason.setText("Go over the jarrah sample")
    dlg.words.setPlainText("Monday morning is good")
    dlg.source.setCurrentIndex(dlg.source.findData(LedgerSource.CALL))
    assert chosen_source(dlg.source) == LedgerSource.CALL
    with qtbot.waitSignal(dlg.saved):
        dlg.save()
    with db.reading() as s:
        fu = s.execute(select(FollowUp)).scalar_one()
        assert fu.due_at.replace(tzinfo=UTC) == datetime(2026, 12, 7, 1, 0, tzinfo=UTC)
        assert fu.window_end is not None
        assert fu.window_end.replace(tzinfo=UTC) == datetime(2026, 12, 7, 2, 0, tzinfo=UTC)
        assert fu.timezone == "Australia/Perth"
