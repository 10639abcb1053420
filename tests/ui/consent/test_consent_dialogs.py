# mypy: disable-error-code="no-untyped-call"
"""The consent dialogs driven like a user would, on a real database (pytest-qt, offscreen)."""

from __future__ import annotations

import csv
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt, QTime
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from deckfollow.core.consent import revoke_consent
from deckfollow.core.consent_ledger import ledger_entries
from deckfollow.core.enums import (
    Basis,
    Channel,
    ConsentChannel,
    ConsentEventKind,
    FollowUpStatus,
    LedgerSource,
)
from deckfollow.core.followups import FollowUpPlan, schedule_follow_up
from deckfollow.core.leads import LeadCreated
from deckfollow.core.models import Customer, FollowUp
from deckfollow.storage.database import Database
from deckfollow.ui.consent import (
    AskPermissionDialog,
    ConsentEditorDialog,
    LedgerModel,
    LedgerViewerDialog,
    StopContactDialog,
)
from deckfollow.ui.formatting import clock_text
from deckfollow.ui.operations import Operations
from tests.factories import new_lead
from tests.ui.waiting import settle


@pytest.fixture
def lead(db: Database, now: datetime) -> LeadCreated:
    return new_lead(
        db,
        "Grace Hopper",
        phone="+61412000111",
        country="AU",
        timezone="Australia/Sydney",
        answered=True,
        now=now,
    )


def _ask(qtbot: QtBot, db: Database, lead: LeadCreated, now: datetime) -> AskPermissionDialog:
    ops = Operations(db)  # the window's database thread: the customer is read there
    dlg = AskPermissionDialog(db, lead.customer_id, lead.quote_id, clock=lambda: now)
    qtbot.addWidget(dlg)
    dlg.show()
    assert not dlg.save_button.isEnabled()  # open for typing once the customer is read
    settle(qtbot, ops)
    return dlg


def test_ask_permission_records_an_agreed_follow_up_and_its_ledger_entry(
    qtbot: QtBot, db: Database, lead: LeadCreated, now: datetime
):
    dlg = _ask(qtbot, db, lead, now)
    dlg.channel.setCurrentIndex(dlg.channel.findData(Channel.CALL.value))
    dlg.day.setDate(QDate(2026, 11, 26))
    dlg.start.setTime(QTime(17, 0))
    dlg.end.setTime(QTime(18, 0))
    qtbot.keyClicks(dlg.reason, "The reason I'm calling is to go over the stain colours")
    qtbot.keyClicks(dlg.words, "Sure, check in Thursday after five")
    # The ledger's sources are a fixed list: what was said on site is "in person".
    assert dlg.source.isEditable() is False
    dlg.source.setCurrentIndex(dlg.source.findData(LedgerSource.IN_PERSON))
    with qtbot.waitSignal(dlg.saved):
        qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert dlg.result() == dlg.DialogCode.Accepted
    with db.reading() as s:
        fu = s.execute(select(FollowUp)).scalar_one()
        entries = ledger_entries(s, lead.customer_id)
    assert (fu.basis, fu.channel, fu.agreed_words) == (
        Basis.AGREED,
        Channel.CALL,
        "Sure, check in Thursday after five",
    )
    assert fu.window_end is not None and fu.window_end - fu.due_at == timedelta(hours=1)
    assert entries[-1].kind is ConsentEventKind.AGREED_FOLLOW_UP
    assert entries[-1].follow_up_id == dlg.follow_up_id
    assert entries[-1].source == "in person"


def test_ask_permission_without_a_reason_says_so_and_saves_nothing(
    qtbot: QtBot, db: Database, lead: LeadCreated, now: datetime
):
    dlg = _ask(qtbot, db, lead, now)
    qtbot.keyClicks(dlg.words, "Text me tomorrow")
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, dlg)
    assert dlg.isVisible()
    assert dlg.error.isVisible() and "reason" in dlg.error.text()
    with db.reading() as s:
        assert s.execute(select(FollowUp)).first() is None


def test_a_revoked_channel_shows_why_and_needs_an_explicit_reopen(
    qtbot: QtBot, db: Database, lead: LeadCreated, now: datetime
):
    with db.unit_of_work() as s:
        revoke_consent(
            s,
            lead.customer_id,
            ConsentChannel.TEXT,
            source="text reply",
            words="STOP",
            now=now - timedelta(days=2),
        )
    dlg = _ask(qtbot, db, lead, now)
    dlg.channel.setCurrentIndex(dlg.channel.findData(Channel.TEXT.value))
    assert dlg.blocked.isVisible()
    # The time reads as every clock on screen does ("9:00 AM" or "09:00", by locale).
    said = f"revoked text contact on 21 Nov 2026 at {clock_text(time(9))} (text reply)"
    assert said in dlg.blocked.text()
    qtbot.keyClicks(dlg.reason, "Send the photos of the finished job")
    qtbot.keyClicks(dlg.words, "Actually, texting is fine for the photos")
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, dlg)
    assert "Not recorded" in dlg.error.text()
    dlg.reopen.setChecked(True)
    with qtbot.waitSignal(dlg.saved):
        qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    with db.reading() as s:
        kinds = [e.kind for e in ledger_entries(s, lead.customer_id)]
    assert kinds == [
        ConsentEventKind.REVOKED,
        ConsentEventKind.GRANTED,
        ConsentEventKind.AGREED_FOLLOW_UP,
    ]


def test_stop_for_every_channel_cancels_what_is_pending(
    qtbot: QtBot, db: Database, lead: LeadCreated, now: datetime
):
    with db.unit_of_work() as s:
        schedule_follow_up(
            s,
            lead.customer_id,
            lead.quote_id,
            FollowUpPlan(now + timedelta(hours=2), Channel.CALL, "Go over the quote"),
            now=now,
        )
    ops = Operations(db)  # the window's database thread: read and recorded there
    dlg = StopContactDialog(db, lead.customer_id, clock=lambda: now)
    qtbot.addWidget(dlg)
    dlg.show()
    # Nothing to press, and no count guessed, until the customer is read.
    assert not dlg.stop_button.isEnabled() and dlg.effect.text() == ""
    settle(qtbot, ops)
    assert dlg.windowTitle() == "Stop contact: Grace Hopper"
    assert "cancels 1 pending follow-up." in dlg.effect.text()
    dlg.scope.setCurrentIndex(dlg.scope.findData(ConsentChannel.EMAIL.value))
    assert "cancels 0 pending follow-ups" in dlg.effect.text()
    dlg.scope.setCurrentIndex(0)
    qtbot.keyClicks(dlg.words, "Please don't contact me again")
    dlg.source.setCurrentIndex(dlg.source.findData(LedgerSource.CALL))
    with qtbot.waitSignal(dlg.saved):
        qtbot.mouseClick(dlg.stop_button, Qt.MouseButton.LeftButton)
    with db.reading() as s:
        assert s.get(Customer, lead.customer_id).do_not_contact  # type: ignore[union-attr]
        assert s.execute(select(FollowUp.status)).scalar_one() is FollowUpStatus.CANCELLED


def test_consent_editor_records_yes_and_no_and_refuses_bad_hours(
    qtbot: QtBot, db: Database, lead: LeadCreated, now: datetime
):
    ops = Operations(db)  # the window's database thread: consent is read and saved there
    dlg = ConsentEditorDialog(db, lead.customer_id, clock=lambda: now)
    qtbot.addWidget(dlg)
    dlg.show()
    assert not dlg.grant_button.isEnabled()  # open once what is recorded has been read
    settle(qtbot, ops)
    dlg.table.setCurrentCell(1, 0)  # the text row picks the text channel
    assert dlg.channel.currentData() == ConsentChannel.TEXT.value
    qtbot.keyClicks(dlg.words, "Texting is easiest for me")
    with qtbot.waitSignal(dlg.changed):
        qtbot.mouseClick(dlg.grant_button, Qt.MouseButton.LeftButton)
    settle(qtbot, ops)
    assert dlg.table.item(1, 0).text() == "granted"  # type: ignore[union-attr]
    assert dlg.table.item(1, 3).text() == "Texting is easiest for me"  # type: ignore[union-attr]

    dlg.hours.setText("whenever suits")
    qtbot.mouseClick(dlg.save_prefs_button, Qt.MouseButton.LeftButton)
    settle(qtbot, ops)
    assert "contact hours" in dlg.error.text()
    dlg.hours.setText("evenings only; not mon")
    dlg.timezone.setCurrentText("Australia/Perth")
    with qtbot.waitSignal(dlg.changed):
        qtbot.mouseClick(dlg.save_prefs_button, Qt.MouseButton.LeftButton)
    settle(qtbot, ops)
    assert not dlg.error.isVisible()
    assert "evenings only; not mon" in dlg.effective.text()
    with db.reading() as s:
        c = s.get(Customer, lead.customer_id)
        assert c is not None and (c.timezone, c.contact_hours) == (
            "Australia/Perth",
            "evenings only; not mon",
        )


def test_ledger_viewer_lists_entries_and_exports_evidence(
    qtbot: QtBot, qtmodeltester, db: Database, lead: LeadCreated, now: datetime, tmp_path: Path
):
    with db.unit_of_work() as s:
        revoke_consent(
            s,
            lead.customer_id,
            ConsentChannel.CALL,
            source="phone call",
            words="Don't call me at work",
            now=now,
        )
    ops = Operations(db)  # the window's database thread: the ledger is read there
    dlg = LedgerViewerDialog(db, lead.customer_id, clock=lambda: now)
    qtbot.addWidget(dlg)
    dlg.show()
    settle(qtbot, ops)
    qtmodeltester.check(dlg.model)
    assert isinstance(dlg.model, LedgerModel) and dlg.model.rowCount() == 1
    assert dlg.model.index(0, 4).data() == "Don't call me at work"
    csv_path = dlg.export_to(tmp_path / "l.csv", "csv")
    pdf_path = dlg.export_to(tmp_path / "l.pdf", "pdf")
    assert csv_path is not None and pdf_path is not None
    with csv_path.open(encoding="utf-8-sig") as fh:
        assert next(iter(csv.DictReader(fh)))["customer's words"] == "Don't call me at work"
    assert pdf_path.read_bytes().startswith(b"%PDF")
    assert dlg.export_to(csv_path / "inside-a-file.csv", "csv") is None
    assert dlg.error.isVisible()
