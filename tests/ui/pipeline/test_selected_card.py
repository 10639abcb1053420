"""The card the user picked on the board is outlined in the selection colour; the others
keep their quiet border."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QListView
from pytestqt.qtbot import QtBot

from deckfollow.core.enums import Stage
from deckfollow.core.quote_index import QuoteRow
from deckfollow.ui.board.delegate import _MARGIN, CARD_HEIGHT, CardDelegate
from deckfollow.ui.board.model import StageCardModel


def _row(quote_id: int, now: datetime) -> QuoteRow:
    return QuoteRow(
        quote_id=quote_id,
        customer_id=quote_id,
        customer=f"Customer {quote_id}",
        job="Timber deck",
        number=None,
        amount=Decimal("4200.00"),
        currency="AUD",
        stage=Stage.QUOTED,
        received_at=now - timedelta(days=3),
        first_response_at=now - timedelta(days=3),
        last_touch_at=now - timedelta(days=1),
        stage_changed_at=now - timedelta(days=2),
        parked_until=None,
        phone=None,
        email=None,
        timezone="Australia/Sydney",
        going_cold=False,
        next_follow_up=None,
        overdue=False,
    )


def test_the_picked_card_alone_is_outlined_in_the_selection_colour(
    qtbot: QtBot, now: datetime
) -> None:
    view = QListView()
    qtbot.addWidget(view)
    model = StageCardModel(Stage.QUOTED, view)
    view.setModel(model)
    view.setItemDelegate(CardDelegate(lambda: now, view))
    model.set_rows([_row(1, now), _row(2, now), _row(3, now)])
    view.resize(260, 3 * CARD_HEIGHT + 10)
    highlight = QApplication.palette().color(QPalette.ColorRole.Highlight)

    def top_edges() -> list[QColor]:
        # The middle of each card's top edge, where its outline runs.
        shot = view.viewport().grab().toImage()
        edges = []
        for row in range(3):
            cell = view.visualRect(model.index(row))
            edges.append(shot.pixelColor(cell.center().x(), cell.top() + _MARGIN // 2))
        return edges

    assert highlight not in top_edges()
    chosen = view.selectionModel()
    chosen.select(model.index(1), QItemSelectionModel.SelectionFlag.ClearAndSelect)
    edges = top_edges()
    assert edges[1] == highlight
    assert edges[0] != highlight and edges[2] != highlight
