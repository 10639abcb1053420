"""At start the quotes are read once: the read made before the database opened fills the
board and the list, and Today waits until it is first shown."""

from __future__ import annotations

from datetime import datetime

import pytest
from pytestqt.qtbot import QtBot

from deckfollow.core import board as core_board
from deckfollow.demo.generator import generate_demo
from deckfollow.storage.database import Database
from deckfollow.storage.quick_board import read_index
from deckfollow.ui.main_window import MainWindow
from tests.ui.waiting import settle


def test_the_quotes_read_ahead_serve_every_page_without_reading_again(
    qtbot: QtBot, db: Database, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    with db.unit_of_work() as session:
        generate_demo(session, customers=40, quotes=100, seed=4, now=now, country="AU")
    assert db.path is not None
    reads: list[int] = []
    real = core_board.load_quote_index

    def counted(*args: object, **kwargs: object) -> object:
        reads.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(core_board, "load_quote_index", counted)
    today_reads: list[int] = []
    window = MainWindow(None, clock=lambda: now)
    qtbot.addWidget(window)
    window.show()
    ahead = read_index(db.path, now=now)
    assert ahead is not None
    window.preview_board(ahead, complete=True)
    window.attach(db)
    real_today = window.today.refresh

    def today_counted() -> None:
        today_reads.append(1)
        real_today()

    monkeypatch.setattr(window.today, "refresh", today_counted)
    window.refresh()
    settle(qtbot, window)
    assert window.quotes.model.total == 100 and window.quotes.model.quote_index is ahead
    assert reads == [], "the quotes read ahead are not read again"
    assert today_reads == [], "Today is not read behind the pipeline"
    window.show_page("today")
    settle(qtbot, window)  # read on the database thread, shown once read
    assert today_reads == [1] and window.today.tree.topLevelItemCount() > 0
    window.show_page("board")
    window.refresh()  # a later refresh (View › Refresh) reads the quotes afresh
    settle(qtbot, window)
    assert reads == [1]
