"""The pipeline read ahead is usable before the database has opened: every page is listed
from its first paint, and a card dragged then waits for the database and is saved."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QModelIndex, Qt
from pytestqt.qtbot import QtBot

from deckfollow.core.enums import Stage
from deckfollow.demo.generator import generate_demo
from deckfollow.storage.database import Database
from deckfollow.ui import app as app_module
from deckfollow.ui.board.model import MIME_TYPE
from tests.ui.starting import start_on


def _stage(path: Path, quote_id: int) -> str:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return str(conn.execute("SELECT stage FROM quote WHERE id = ?", (quote_id,)).fetchone()[0])
    finally:
        conn.close()


def _db_of(start: app_module._Start) -> Database | None:
    return start.db


@pytest.fixture
def held_open(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """The database opens only once the test lets it (the real opening, held back), as on
    a large file or a slow disk while SQLAlchemy still loads."""
    release = threading.Event()
    real = app_module.open_on_database_thread

    def held(target: str, **kwargs: object) -> app_module.Opened:
        release.wait(20)
        return real(target, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(app_module, "open_on_database_thread", held)
    yield release
    release.set()


def test_a_card_dragged_before_the_database_opened_is_saved(
    qtbot: QtBot, db: Database, now: datetime, held_open: threading.Event
) -> None:
    with db.unit_of_work() as session:
        generate_demo(session, customers=20, quotes=60, seed=3, now=now, country="AU")
    db.close()
    assert db.path is not None
    window, start = start_on(qtbot, db.path, now, "board")
    qtbot.waitUntil(lambda: start.previewed, timeout=15000)

    # Usable while the database still opens: the board shows the file's quotes and every
    # page is already listed, so the navigation does not change under the user.
    assert not window.ops.is_open() and _db_of(start) is None
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert titles == ["Today", "Pipeline", "Quotes", "Customers", "Reports"]
    assert window.stack.currentWidget() is window.board
    index = window.board.quote_index()
    assert index is not None
    card = next(r for r in index.rows if r.stage is Stage.QUOTED and r.amount is not None)
    assert _stage(db.path, card.quote_id) == Stage.QUOTED.value

    data = QMimeData()
    data.setData(MIME_TYPE, str(card.quote_id).encode())
    target = window.board.columns[Stage.FOLLOWING_UP]
    # As a drag ends on the column (the card stays put until the move is saved).
    target.model.dropMimeData(data, Qt.DropAction.MoveAction, -1, 0, QModelIndex())
    qtbot.wait(50)
    assert _db_of(start) is None, "the drag was made before the database opened"
    assert window.statusBar().currentMessage().startswith("Opening the database…")

    held_open.set()
    qtbot.waitUntil(
        lambda: _stage(db.path, card.quote_id) == Stage.FOLLOWING_UP.value,  # type: ignore[arg-type]
        timeout=20000,
    )
    qtbot.waitUntil(lambda: target.model.row_of(card.quote_id) >= 0, timeout=20000)
    qtbot.waitUntil(lambda: hasattr(window, "today"), timeout=20000)  # the pages joined
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert titles == ["Today", "Pipeline", "Quotes", "Customers", "Reports"]
    assert window.page("today") is window.today, "the page built took its place"
    qtbot.waitUntil(window.ops.is_idle, timeout=20000)
    window.close()
    assert start.db is not None
    start.db.close()


def test_a_page_chosen_before_the_database_opened_shows_once_it_has(
    qtbot: QtBot, db: Database, now: datetime, held_open: threading.Event
) -> None:
    with db.unit_of_work() as session:
        generate_demo(session, customers=20, quotes=40, seed=3, now=now, country="AU")
    db.close()
    assert db.path is not None
    window, start = start_on(qtbot, db.path, now, "board")
    qtbot.waitUntil(lambda: start.previewed, timeout=15000)
    window.show_page("quotes")
    waiting = window.stack.currentWidget()
    assert waiting is not window.board
    window.refresh()  # View › Refresh meanwhile: the pages read everything as they join
    held_open.set()
    qtbot.waitUntil(lambda: hasattr(window, "quotes"), timeout=20000)
    assert window.stack.currentWidget() is window.quotes
    qtbot.waitUntil(lambda: window.quotes.model.total == 40, timeout=20000)
    qtbot.waitUntil(window.ops.is_idle, timeout=20000)
    window.close()
    assert start.db is not None
    start.db.close()
