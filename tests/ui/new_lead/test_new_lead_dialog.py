# mypy: disable-error-code="no-untyped-call"
"""Capturing a lead: saved with its received time, or refused beside the field at fault."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from deckfollow.core.enums import Stage
from deckfollow.core.models import Customer, Quote
from deckfollow.storage.database import Database
from deckfollow.ui.new_lead import NewLeadDialog
from deckfollow.ui.operations import Operations
from tests.ui.waiting import settle


def _dialog(qtbot: QtBot, db: Database, now: datetime) -> NewLeadDialog:
    dlg = NewLeadDialog(Operations(db), clock=lambda: now)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def _customers(db: Database) -> int:
    with db.reading() as s:
        return int(s.execute(select(func.count()).select_from(Customer)).scalar_one())


def test_new_lead_is_saved_and_created_carries_its_quote(
    qtbot: QtBot, db: Database, now: datetime
) -> None:
    dlg = _dialog(qtbot, db, now)
    assert not dlg.save_button.isEnabled(), "a lead needs at least a name"
    qtbot.keyClicks(dlg.name, "Ada Lovelace")
    qtbot.keyClicks(dlg.phone, "+61 412 345 678")
    qtbot.keyClicks(dlg.email, "ada@example.com")
    dlg.job.setPlainText("Spotted gum deck with built-in bench")
    dlg.source.setEditText("Referral")
    with qtbot.waitSignal(dlg.created) as sig:
        qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert not dlg.isVisible()
    with db.reading() as s:
        quote = s.get(Quote, sig.args[0])
        assert quote is not None
        customer = s.get(Customer, quote.customer_id)
        assert customer is not None
        assert (customer.display_name, customer.phone_cell, customer.email) == (
            "Ada Lovelace",
            "+61412345678",
            "ada@example.com",
        )
        assert (quote.stage, quote.job, quote.source, quote.received_at) == (
            Stage.LEAD,
            "Spotted gum deck with built-in bench",
            "Referral",
            now,
        )
        assert quote.first_response_at is None


def test_invalid_phone_is_named_beside_the_phone_field_and_nothing_is_saved(
    qtbot: QtBot, db: Database, now: datetime
) -> None:
    dlg = _dialog(qtbot, db, now)
    qtbot.keyClicks(dlg.name, "Ada Lovelace")
    qtbot.keyClicks(dlg.phone, "12")
    qtbot.keyClicks(dlg.email, "ada@example.com")
    with qtbot.assertNotEmitted(dlg.created):
        qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
        settle(qtbot, dlg)
    assert dlg.isVisible()
    phone_error = dlg.field_errors["phone"]
    assert phone_error.isVisible()
    assert "'12' is not" in phone_error.text() and "phone number" in phone_error.text()
    assert not dlg.field_errors["email"].isVisible()
    assert dlg.focusWidget() is dlg.phone
    assert _customers(db) == 0

    # Fixing the number and saving again works from the same dialog.
    dlg.phone.setText("+61 412 345 678")
    dlg.email.setText("not-an-email")
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, dlg)
    assert not phone_error.isVisible()
    assert dlg.field_errors["email"].isVisible()
    assert _customers(db) == 0
