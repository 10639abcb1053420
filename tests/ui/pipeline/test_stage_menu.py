"""Edit › Move quote to: changing a quote's stage from the keyboard, from the list or the board."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from deckfollow.core.enums import Stage
from deckfollow.core.models import Quote
from deckfollow.demo.generator import generate_demo
from deckfollow.storage.database import Database
from deckfollow.ui.board.stage_dialogs import LostReasonDialog
from deckfollow.ui.main_window import MainWindow
from tests.conftest import Prebuilt
from tests.ui.waiting import wait_for, wait_idle


def _demo(db: Database, now: datetime) -> None:
    from deckfollow.core.cadence_library import seed_builtin_cadences

    with db.unit_of_work() as session:
        seed_builtin_cadences(session)
        generate_demo(session, customers=30, quotes=60, seed=5, now=now, country="AU")


@pytest.fixture
def window(qtbot: QtBot, db: Database, now: datetime, prebuilt: Prebuilt) -> MainWindow:
    prebuilt.fill(db, ("stage menu demo", now), lambda d: _demo(d, now))
    win = MainWindow(db, clock=lambda: now)
    qtbot.addWidget(win)
    win.show()
    win.refresh()
    qtbot.waitUntil(lambda: win.quotes.model.rowCount() > 0)
    return win


def _open_quote_in(db: Database, stage: Stage) -> int:
    with db.reading() as session:
        return int(
            session.execute(
                select(Quote.id).where(Quote.stage == stage, Quote.deleted_at.is_(None)).limit(1)
            ).scalar_one()
        )


def _stage_of(db: Database, quote_id: int) -> Stage:
    with db.reading() as session:
        quote = session.get(Quote, quote_id)
        assert quote is not None
        return quote.stage


def _when_modal(act: Callable[[object], None]) -> list[object]:
    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, poll)
            return
        act(dialog)
        acted.append(dialog)

    acted: list[object] = []  # filled once `act` ran: a test can wait for the answer
    QTimer.singleShot(0, poll)
    return acted


def test_every_stage_has_a_keyboard_shortcut(window: MainWindow) -> None:
    shortcuts = [window.stage_actions[s].shortcut().toString() for s in Stage]
    assert shortcuts == [f"Ctrl+Alt+{n}" for n in range(1, 7)]


def test_without_a_selection_nothing_moves_and_the_status_bar_says_why(
    window: MainWindow,
) -> None:
    window.current_quote_id = None
    window.stage_actions[Stage.QUOTED].trigger()
    wait_idle(window)
    assert "Select a quote" in window.statusBar().currentMessage()


def test_a_quote_selected_in_the_list_moves_to_following_up(
    qtbot: QtBot, window: MainWindow, db: Database
) -> None:
    quote_id = _open_quote_in(db, Stage.QUOTED)
    window.show_page("quotes")
    assert window.quotes.select_quote(quote_id)
    assert window.current_quote_id == quote_id
    window.stage_actions[Stage.FOLLOWING_UP].trigger()
    wait_idle(window)
    assert _stage_of(db, quote_id) is Stage.FOLLOWING_UP
    # The board shows it in its new column once the window has reloaded.
    column = window.board.columns[Stage.FOLLOWING_UP]
    qtbot.waitUntil(lambda: column.model.row_of(quote_id) >= 0)


def test_moving_to_lost_from_the_keyboard_asks_why(window: MainWindow, db: Database) -> None:
    quote_id = _open_quote_in(db, Stage.FOLLOWING_UP)
    window.show_page("quotes")
    assert window.quotes.select_quote(quote_id)

    def answer(dialog: object) -> None:
        assert isinstance(dialog, LostReasonDialog)
        dialog.reason.setCurrentIndex(1)
        dialog.accept()

    answered = _when_modal(answer)
    window.stage_actions[Stage.LOST].trigger()
    wait_for(lambda: answered)  # the question is opened: the menu returns at once
    wait_idle(window)
    with db.reading() as session:
        quote = session.get(Quote, quote_id)
        assert quote is not None
        assert quote.stage is Stage.LOST
        assert quote.lost_reason


def test_moving_to_won_offers_the_after_sale_plan_and_no_leaves_it_unstarted(
    window: MainWindow, db: Database
) -> None:
    quote_id = _open_quote_in(db, Stage.QUOTED)
    window.show_page("quotes")
    assert window.quotes.select_quote(quote_id)
    asked: list[str] = []

    def decline(dialog: object) -> None:
        assert isinstance(dialog, QMessageBox)
        asked.append(dialog.text())
        dialog.button(QMessageBox.StandardButton.No).click()

    answered = _when_modal(decline)
    window.stage_actions[Stage.WON].trigger()
    wait_for(lambda: answered)  # the question comes once the move was saved
    wait_idle(window)
    assert _stage_of(db, quote_id) is Stage.WON
    assert asked and "after-sale" in asked[0]
