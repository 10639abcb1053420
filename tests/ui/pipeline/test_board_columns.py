"""The board's column headers and card order on a small business with known amounts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtGui import QFont, QPalette
from pytestqt.qtbot import QtBot

from deckfollow.core.board import load_quote_index
from deckfollow.core.enums import Stage
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.models import Quote
from deckfollow.core.pipeline import Close, close_quote, move_stage
from deckfollow.storage.database import Database
from deckfollow.ui.board import BoardPage
from deckfollow.ui.operations import Operations
from deckfollow.ui.theme import active_theme

# name, days since the enquiry came in, stage, amount
QUOTES = [
    ("Ruth Quoted", 2, Stage.QUOTED, "1000.10"),
    ("Sam Quoted", 3, Stage.QUOTED, "2000.20"),
    ("Tess Quoted", 40, Stage.QUOTED, "9000.30"),  # untouched for 40 days: going cold
    ("Uma Lead", 1, Stage.LEAD, None),
    ("Vic Won", 5, Stage.WON, "12500.00"),
]


@pytest.fixture(autouse=True)
def _australian_english() -> Iterator[None]:
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.Australia))
    yield
    QLocale.setDefault(before)


@pytest.fixture
def board(qtbot: QtBot, db: Database, now: datetime) -> BoardPage:
    with db.unit_of_work() as session:
        for i, (name, age, stage, amount) in enumerate(QUOTES):
            made = add_lead(
                session,
                NewLead(name, phone=f"0412 000 {100 + i}", country="AU", job="Deck", answered=True),
                now=now - timedelta(days=age),
            )
            quote = session.get(Quote, made.quote_id)
            assert quote is not None
            quote.amount = Decimal(amount) if amount else None
            if stage is Stage.WON:
                close_quote(session, made.quote_id, Close(Stage.WON), now=now)
            elif stage is not Stage.LEAD:
                move_stage(session, made.quote_id, stage, now=now)
    page = BoardPage(Operations(db), clock=lambda: now)
    qtbot.addWidget(page)
    with db.reading() as session:
        page.set_index(load_quote_index(session, now=now))
    page.resize(1500, 800)
    page.show()
    return page


def test_each_column_header_counts_its_quotes_and_adds_up_their_value(board: BoardPage) -> None:
    quoted = board.columns[Stage.QUOTED]
    assert quoted.summary.text() == "3 quotes"
    # 1,000.10 + 2,000.20 + 9,000.30 = 12,000.60: shown whole, in thousands
    assert quoted.money.text() in {"A$12k", "$12k"}
    assert "12,000.60" in quoted.summary.toolTip()
    assert board.columns[Stage.LEAD].summary.text() == "1 quote"
    assert board.columns[Stage.LEAD].money.text() == "no amounts yet"
    assert board.columns[Stage.WON].summary.text() == "1 quote, last 60 days"
    assert board.columns[Stage.LOST].summary.text() == "0 quotes, last 60 days"
    assert board.columns[Stage.PARKED].summary.text() == "0 quotes"


def test_a_quote_nobody_touched_for_weeks_is_marked_going_cold(board: BoardPage) -> None:
    model = board.columns[Stage.QUOTED].model
    cold = {
        row.customer
        for row in (model.row_at(i) for i in range(model.rowCount()))
        if row is not None and row.going_cold
    }
    assert cold == {"Tess Quoted"}


def test_every_quote_sits_in_exactly_one_column(board: BoardPage) -> None:
    placed = sorted(
        row.customer
        for column in board.columns.values()
        for row in (column.model.row_at(i) for i in range(column.model.rowCount()))
        if row is not None
    )
    assert placed == sorted(name for name, *_ in QUOTES)


def test_each_heading_is_in_its_stage_colour_over_quieter_counts(board: BoardPage) -> None:
    theme = active_theme()
    for stage, column in board.columns.items():
        title = column.title
        assert title.palette().color(title.foregroundRole()).name() == theme.stage(stage.value)
        assert title.font().weight() >= QFont.Weight.Bold
        assert title.font().pixelSize() == 14
        for caption in (column.summary, column.money):
            assert caption.palette().color(caption.foregroundRole()).name() == theme.muted_text
            assert caption.font().weight() < QFont.Weight.Bold
    # The columns' own colour shows behind their cards: the card lists paint no background.
    view = board.columns[Stage.QUOTED].view
    assert view.palette().color(QPalette.ColorRole.Window).alpha() == 0
