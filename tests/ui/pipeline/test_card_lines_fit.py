"""A card on the board keeps the day of its next step and its last touch readable at the
board's usual column width, instead of cutting them to "Overdue: email Sat 5 Dec…"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from deckfollow.core.board import load_quote_index
from deckfollow.core.enums import Basis, Channel
from deckfollow.core.followups import FollowUpPlan, schedule_follow_up
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.quote_index import QuoteRow
from deckfollow.core.quotes import QuoteEdit, edit_quote
from deckfollow.core.settings import save_setting
from deckfollow.storage.database import Database
from deckfollow.ui.board.delegate import CardDelegate, _Fonts

SYD = ZoneInfo("Australia/Sydney")
# A card's text width in a board column at the window's usual size (the cards were cut there).
CARD_TEXT_WIDTH = 150


def _card(db: Database, now: datetime, basis: Basis) -> QuoteRow:
    """A quoted deck with an email step due yesterday morning, unanswered for 15 days."""
    with db.unit_of_work() as s:
        save_setting(s, "default_country", "AU")
        save_setting(s, "owner_timezone", "Australia/Sydney")
        lead = add_lead(
            s,
            NewLead(
                "Priya Brown", phone="0412 345 678", country="AU", job="Paved patio", answered=True
            ),
            now=now - timedelta(days=15),
        )
        assert lead.quote_id is not None
        edit_quote(s, lead.quote_id, QuoteEdit(amount=Decimal("16650")), version=None, now=now)
        due = datetime(2026, 11, 22, 9, 45, tzinfo=SYD).astimezone(UTC)  # yesterday morning
        schedule_follow_up(
            s,
            lead.customer_id,
            lead.quote_id,
            FollowUpPlan(
                due,
                Channel.EMAIL,
                "Send the paver samples",
                basis=basis,
                agreed_words="Email me Tuesday" if basis is Basis.AGREED else None,
            ),
            now=now - timedelta(days=15),
        )
        quote_id = lead.quote_id
    with db.reading() as s:
        index = load_quote_index(s, now=now)
    return next(r for r in index.rows if r.quote_id == quote_id)


def test_the_next_step_keeps_its_day_whole_on_a_narrow_card(
    qtbot: QtBot, db: Database, now: datetime
) -> None:
    small = _Fonts(QApplication.font()).small_metrics
    for basis in (Basis.PLANNED, Basis.AGREED):
        row = _card(db, now, basis)
        assert row.overdue
        full, _colour = CardDelegate._next(row, now)
        # The long form ("Overdue: email Sun 22 Nov 9:45 am · agreed") is wider than the card.
        assert small.horizontalAdvance(full) > CARD_TEXT_WIDTH, full
        shown = CardDelegate._next_fitting(row, now, small, CARD_TEXT_WIDTH)
        assert small.elidedText(shown, Qt.TextElideMode.ElideRight, CARD_TEXT_WIDTH) == shown
        assert shown.startswith("Overdue: email") and "22 Nov" in shown, shown
        assert shown.endswith("\N{CHECK MARK}") == (basis is Basis.AGREED), shown
    # A roomy card keeps every word.
    assert CardDelegate._next_fitting(row, now, small, 1000) == full


def test_the_last_touch_beside_an_amount_reads_as_the_quote_list_does(
    qtbot: QtBot, db: Database, now: datetime
) -> None:
    row = _card(db, now, Basis.PLANNED)
    age, _colour = CardDelegate._age(row, now)
    assert age == "15 d since touch · going cold"
    assert CardDelegate._short_age(row, now) == "15 d ago"
    small: QFontMetrics = _Fonts(QApplication.font()).small_metrics
    assert small.horizontalAdvance("15 d ago") < small.horizontalAdvance(age)
