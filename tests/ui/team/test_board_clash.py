"""A board move chosen after someone else moved the same quote: who and when, both stages,
and the user's choice (apply theirs or keep what is saved)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from deckfollow.core.cadence_library import seed_builtin_cadences
from deckfollow.core.enums import Stage
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.models import Quote
from deckfollow.core.pipeline import move_stage
from deckfollow.core.quotes import QuoteEdit, edit_quote
from deckfollow.core.settings import save_setting
from deckfollow.demo.generator import generate_demo
from deckfollow.storage.database import Database
from deckfollow.ui.main_window import MainWindow
from deckfollow.ui.team.clash import ClashDialog
from tests.ui.waiting import wait_idle


@pytest.fixture
def window(qtbot: QtBot, db: Database, now: datetime) -> MainWindow:
    with db.unit_of_work() as session:
        seed_builtin_cadences(session)
        generate_demo(session, customers=20, quotes=40, seed=5, now=now)
        # A lead of the owner's own: the sample may have none waiting for its quote.
        add_lead(session, NewLead("Ava Brooks", phone="0412 555 019", job="Deck"), now=now)
        save_setting(session, "owner_name", "Dana Owner")
    win = MainWindow(db, clock=lambda: now)
    qtbot.addWidget(win)
    win.show()
    win.refresh()
    qtbot.waitUntil(lambda: win.quotes.model.rowCount() > 0)
    return win


def _lead(db: Database) -> int:
    with db.reading() as session:
        return int(
            session.execute(
                select(Quote.id).where(Quote.stage == Stage.LEAD, Quote.deleted_at.is_(None))
            )
            .scalars()
            .first()  # type: ignore[arg-type]
        )


def _stage(db: Database, quote_id: int) -> Stage:
    with db.reading() as session:
        return session.get(Quote, quote_id).stage  # type: ignore[union-attr]


def _answer(act: Callable[[ClashDialog], None], seen: list[str]) -> None:
    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ClashDialog):
            QTimer.singleShot(10, poll)
            return
        seen.append(_text_of(dialog))
        act(dialog)

    QTimer.singleShot(0, poll)


def _text_of(dialog: ClashDialog) -> str:
    from PySide6.QtWidgets import QLabel

    return " | ".join(label.text() for label in dialog.findChildren(QLabel))


def _moved_elsewhere(db: Database, quote_id: int, now: datetime) -> None:
    """Another member's move, saved after this window read the board."""
    with db.unit_of_work() as session:
        move_stage(session, quote_id, Stage.QUOTED, now=now)


@pytest.mark.parametrize("reapply", [True, False])
def test_a_stale_board_move_says_who_and_when_and_lets_the_user_choose(
    qtbot: QtBot, window: MainWindow, db: Database, now: datetime, reapply: bool
) -> None:
    quote_id = _lead(db)
    with db.unit_of_work() as session:  # amount and sent date: the move asks for nothing
        edit_quote(
            session, quote_id, QuoteEdit(amount=Decimal(4850), sent_on=now.date()),
            version=None, now=now,
        )  # fmt: skip
    window.refresh()  # the board shows this version
    wait_idle(window)
    _moved_elsewhere(db, quote_id, now)
    seen: list[str] = []
    _answer(lambda d: (d.apply_mine if reapply else d.keep_theirs).click(), seen)
    assert window.board.move_quote(quote_id, Stage.FOLLOWING_UP)
    qtbot.waitUntil(lambda: bool(seen))  # the clash was shown and answered
    wait_idle(window)
    # Moved: the card is in the column it was dropped on, as the board now shows it.
    moved = window.board.columns[Stage.FOLLOWING_UP].model.row_of(quote_id) >= 0
    shown = seen[-1]
    assert "changed by Dana Owner at" in shown
    assert "Quoted" in shown and "Following up" in shown  # theirs beside mine
    assert moved is reapply
    assert _stage(db, quote_id) is (Stage.FOLLOWING_UP if reapply else Stage.QUOTED)
