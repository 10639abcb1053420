"""A card repainted shows what is true now: the lines kept from its last paint give way when
the quote, the owner's clock or zone, or the day changes."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QListView
from pytestqt.qtbot import QtBot

from deckfollow.core.enums import Basis, Channel, Stage
from deckfollow.core.quote_index import NextFollowUp
from deckfollow.ui import formatting
from deckfollow.ui.board.delegate import CARD_HEIGHT, CardDelegate
from deckfollow.ui.board.model import StageCardModel
from tests.ui.pipeline.test_selected_card import _row


def test_a_kept_card_follows_the_quote_the_clock_and_the_zone(qtbot: QtBot, now: datetime) -> None:
    formatting.set_owner_zone("Australia/Sydney")
    clock = [now]
    view = QListView()
    qtbot.addWidget(view)
    model = StageCardModel(Stage.QUOTED, view)
    view.setModel(model)
    view.setItemDelegate(CardDelegate(lambda: clock[0], view))
    due = NextFollowUp(7, now + timedelta(days=2), Basis.AGREED, Channel.CALL, "Check in")
    card = _row(1, now)._replace(next_follow_up=due)
    model.set_rows([card])
    view.resize(260, CARD_HEIGHT + 10)

    def shot() -> QImage:
        return view.viewport().grab().toImage()

    first = shot()
    assert shot() == first, "a repaint with nothing changed draws the same card"

    formatting.set_owner_zone("Europe/London")  # the owner moved: the call reads another hour
    try:
        assert shot() != first
    finally:
        formatting.set_owner_zone("Australia/Sydney")
    assert shot() == first

    clock[0] = now + timedelta(days=3)  # a day later: the last touch is further back
    assert shot() != first
    clock[0] = now
    assert shot() == first

    model.set_rows([card._replace(customer="Someone Else")])  # the quote saved with a change
    assert shot() != first
