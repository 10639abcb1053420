"""A card dragged to another column: the quote index takes that quote's row alone (the whole
index is not read again), the card lands in its new column, the two columns' counts and
totals follow, and nothing else on the board or the list is laid out again."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.qtbot import QtBot

from deckfollow.core import board
from deckfollow.core.enums import Stage
from deckfollow.core.quote_index import QuoteIndex
from deckfollow.core.quotes import QuoteEdit, change_stage
from deckfollow.storage.database import Database
from deckfollow.ui.formatting import compact_money
from deckfollow.ui.main_window import MainWindow
from tests.factories import new_lead
from tests.ui.waiting import wait_idle


def _quoted(db: Database, now: datetime, name: str, phone: str, amount: str) -> int:
    lead = new_lead(db, name, phone, now=now - timedelta(days=4), answered=True,
                    country="AU", timezone="Australia/Sydney", job="Deck")  # fmt: skip
    assert lead.quote_id is not None
    fill = QuoteEdit(amount=Decimal(amount), sent_on=(now - timedelta(days=2)).date())
    with db.unit_of_work() as s:
        change_stage(s, lead.quote_id, Stage.QUOTED, now=now - timedelta(days=2), fill=fill)
    return lead.quote_id


def test_a_dragged_card_moves_by_its_row_alone(
    qtbot: QtBot, db: Database, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    mia = _quoted(db, now, "Mia Chen", "0412 345 678", "4200.00")
    bob = _quoted(db, now, "Bob Ortiz", "0413 222 333", "1800.00")
    ann = new_lead(db, "Ann Ray", "0414 555 666", now=now, answered=True,
                   country="AU", timezone="Australia/Sydney")  # fmt: skip
    window = MainWindow(db, clock=lambda: now)
    qtbot.addWidget(window)
    window.show()
    window.refresh()
    wait_idle(window)
    window.quotes.search.setText("ortiz")
    window.quotes.apply_filter()
    quoted = window.board.columns[Stage.QUOTED]
    following = window.board.columns[Stage.FOLLOWING_UP]
    assert quoted.model.rowCount() == 2 and following.model.rowCount() == 0
    assert following.money.text() == "no amounts yet"

    full_reads: list[object] = []
    read_all = board.load_quote_index

    def counted(*args: Any, **kwargs: Any) -> QuoteIndex:
        full_reads.append(args)
        return read_all(*args, **kwargs)

    monkeypatch.setattr(board, "load_quote_index", counted)
    resets: list[str] = []
    for stage, column in window.board.columns.items():
        column.model.modelReset.connect(lambda s=stage: resets.append(s.label))
    window.quotes.model.modelReset.connect(lambda: resets.append("quote list"))
    selected_before = window.quotes.selected_quote_id()

    # What a drop does: the view hands the dragged card's data to the column it lands on.
    mime = quoted.model.mimeData([quoted.model.index(quoted.model.row_of(mia))])
    following.model.dropMimeData(mime, Qt.DropAction.MoveAction, -1, -1, QModelIndex())
    wait_idle(window)

    assert not full_reads, "the whole index was read again for one card"
    assert following.model.row_of(mia) == 0, "the card is in its new column"
    assert quoted.model.row_of(mia) < 0 and quoted.model.row_of(bob) == 0
    assert following.summary.text() == "1 quote"
    assert quoted.summary.text() == "1 quote"
    assert following.money.text() == compact_money(Decimal("4200.00"), "AUD")
    assert quoted.money.text() == compact_money(Decimal("1800.00"), "AUD")
    assert window.board.columns[Stage.LEAD].model.row_of(ann.quote_id or 0) == 0
    assert not resets, f"laid out again from scratch: {resets}"
    assert window.quotes.selected_quote_id() == selected_before == bob, "the list kept its row"
    window.quotes.search.setText("chen")
    window.quotes.apply_filter()
    row = window.quotes.model.row_at(0)
    assert row is not None and row.quote_id == mia and row.stage is Stage.FOLLOWING_UP
