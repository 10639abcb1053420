"""The quote dialog saved after a colleague changed the quote: who and when, their amount
beside the one typed, and the typed one saved when the user applies it."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pytestqt.qtbot import QtBot

from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.quotes import QuoteEdit, edit_quote, quote_details
from deckfollow.core.settings import save_setting
from deckfollow.storage.database import Database
from deckfollow.ui.operations import Operations
from deckfollow.ui.quote_editor import QuoteDialog
from tests.ui.team.clash_answers import answer_clash


def test_apply_my_amount_over_a_colleague_s(qtbot: QtBot, db: Database, now: datetime) -> None:
    with db.unit_of_work() as s:
        save_setting(s, "owner_name", "Dana Owner")
        made = add_lead(s, NewLead("Grace Hopper", phone="+61412000111", country="AU"), now=now)
    Operations(db)  # the window's database thread, which reads and saves for the dialog
    dialog = QuoteDialog(db, clock=lambda: now, quote_id=made.quote_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.form is not None)  # read: the fields are open for typing
    with db.unit_of_work() as s:  # a colleague saves first
        edit_quote(s, made.quote_id, QuoteEdit(amount=Decimal(999)), version=None, now=now)
    dialog.amount.setText("4850")
    shown: list[str] = []
    answered = answer_clash(apply_mine=True, shown=shown)
    dialog.save()
    # Save returned at once; the question opens with the database's answer, without a loop
    # of its own (the nested-loop guard fails the test otherwise).
    assert not answered
    qtbot.waitUntil(lambda: bool(answered))
    assert "was changed by Dana Owner at" in shown[0]
    assert "999.00" in shown[0] and "4850" in shown[0]
    qtbot.waitUntil(lambda: not dialog.isVisible())  # saved and closed
    with db.reading() as s:
        assert quote_details(s, made.quote_id).amount == Decimal("4850.00")
