"""At start the quotes are read once: the read made before the database opened fills the
board and the list, and Today waits until it is first shown."""

from __future__ import annotations

from datetime import datetime

import pytest
from pytestqt.qtbot import QtBot

from deckfollow.core import board as core_board
from deckfollow.demo.generator import generate_demo
from deckfollow.storage.database import Database
from deckfollow.storage.quick_board import BoardFirst, read_board_first, read_index
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


def test_the_board_shows_first_and_the_list_gets_the_other_quotes_of_the_same_read(
    qtbot: QtBot, db: Database, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As a user who left the pipeline open starts the app: the board's quotes are read
    before the database opens (the file closed, no log beside it), the board keeps the card
    chosen meanwhile, and the list gets every quote without the quotes being read again."""
    from PySide6.QtCore import QItemSelectionModel

    from deckfollow.core.enums import Stage
    from deckfollow.storage.database import open_database

    with db.unit_of_work() as session:
        generate_demo(session, customers=40, quotes=150, seed=4, now=now, country="AU")
    assert db.path is not None
    db.close()
    reads: list[int] = []
    real = core_board.load_quote_index
    monkeypatch.setattr(
        core_board,
        "load_quote_index",
        lambda *a, **k: reads.append(1) or real(*a, **k),  # type: ignore[func-returns-value]
    )
    window, first = _board_read_ahead(qtbot, db, now)
    on_board = len(first.board.rows)
    column = window.board.columns[Stage.QUOTED]
    chosen = column.model.index(1)
    column.view.selectionModel().setCurrentIndex(
        chosen, QItemSelectionModel.SelectionFlag.ClearAndSelect
    )
    opened = open_database(str(db.path))
    try:
        window.attach(opened)
        window.refresh()
        settle(qtbot, window)
        assert reads == [], "the quotes read ahead are not read again"
        assert window.quotes.model.total == 150 > on_board
        assert window.quotes.model.quote_index is window.board.quote_index()
        assert column.view.currentIndex() == chosen, "the board is not laid out again"
        window.close()
    finally:
        opened.close()


def test_at_start_the_details_panel_waits_until_the_page_shows_its_data(
    qtbot: QtBot, db: Database, now: datetime
) -> None:
    """The panel (a tenth of a second to build) is not built on the way to the first data;
    opening a quote still builds it at once."""
    window = MainWindow(None, clock=lambda: now)
    qtbot.addWidget(window)
    window.show()
    window.attach(db)
    window.build_details_later()
    window.refresh()
    settle(qtbot, window)
    qtbot.wait(20)
    assert not hasattr(window, "detail_dock")
    window.build_details()
    assert window.detail_dock is not None


def test_a_file_written_between_the_board_and_the_rest_shows_everywhere_as_written(
    qtbot: QtBot, db: Database, now: datetime
) -> None:
    """Another program renames a customer after the board was read from the closed file
    and before the other quotes are: every quote is then read afresh, and the board shows
    the new name too (it kept its first read's cards before, stale beside the list)."""
    import sqlite3

    from deckfollow.core.enums import Stage
    from deckfollow.storage.database import open_database

    with db.unit_of_work() as session:
        generate_demo(session, customers=40, quotes=150, seed=4, now=now, country="AU")
    assert db.path is not None
    db.close()
    window, _first = _board_read_ahead(qtbot, db, now)
    column = window.board.columns[Stage.QUOTED]
    card = column.model.row_at(0)
    assert card is not None
    with sqlite3.connect(db.path) as conn:
        conn.execute(
            "UPDATE customer SET display_name = 'Renamed Elsewhere' WHERE id = ?",
            (card.customer_id,),
        )
    conn.close()
    opened = open_database(str(db.path))
    try:
        window.attach(opened)
        window.refresh()
        settle(qtbot, window)
        on_board = [
            row.customer
            for stage_column in window.board.columns.values()
            for i in range(stage_column.model.rowCount())
            if (row := stage_column.model.row_at(i)) is not None
            and row.customer_id == card.customer_id
        ]
        assert on_board and set(on_board) == {"Renamed Elsewhere"}
        listed = window.quotes.model.quote_index
        assert listed is not None and listed is window.board.quote_index()
        assert {r.customer for r in listed.rows if r.customer_id == card.customer_id} == {
            "Renamed Elsewhere"
        }
        window.close()
    finally:
        opened.close()


def _board_read_ahead(qtbot: QtBot, db: Database, now: datetime) -> tuple[MainWindow, BoardFirst]:
    """The window showing the board's quotes read from the closed file before the database
    opened, as at a start with the pipeline left open."""
    assert db.path is not None
    window = MainWindow(None, clock=lambda: now)
    qtbot.addWidget(window)
    window.show()
    first = read_board_first(db.path, now=now)
    assert first is not None
    window.preview_board(first.board, rest=first)
    return window, first
