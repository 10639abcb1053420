"""The quote search works from the moment the list has its quotes: at start they are made
searchable on the database thread once the start's own steps are done, and a search typed
before then makes them searchable itself."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from deckfollow.core.text_folding import fold
from deckfollow.demo.generator import generate_demo
from deckfollow.storage.database import Database
from deckfollow.ui.main_window import MainWindow
from tests.ui.starting import start_on
from tests.ui.waiting import settle


def _shown(window: MainWindow) -> list[str]:
    model = window.quotes.model
    rows = [model.row_at(i) for i in range(model.rowCount())]
    return [row.customer for row in rows if row is not None]


def test_a_search_typed_as_the_app_starts_finds_the_customer_s_quotes(
    qtbot: QtBot, db: Database, now: datetime
) -> None:
    with db.unit_of_work() as session:
        generate_demo(session, customers=40, quotes=150, seed=4, now=now, country="AU")
    db.close()
    assert db.path is not None
    window, start = start_on(qtbot, db.path, now, "quotes")
    try:
        qtbot.waitUntil(
            lambda: hasattr(window, "quotes") and window.quotes.model.total == 150, timeout=15000
        )
        index = window.quotes.model.quote_index
        assert index is not None
        name = index.rows[0].customer
        word = fold(name.split()[-1])
        expected = sorted(r.customer for r in index.rows if word in fold(r.customer))
        assert expected, name

        # Typed at once, while the start's steps may still be running.
        qtbot.keyClicks(window.quotes.search, name.split()[-1])  # type: ignore[no-untyped-call]
        qtbot.waitUntil(lambda: sorted(_shown(window)) == expected, timeout=5000)

        # Once the start is done (the details panel built, nothing left on its thread),
        # the same search again finds the same quotes.
        qtbot.waitUntil(lambda: hasattr(window, "detail_dock"), timeout=15000)
        settle(qtbot, window)
        window.quotes.search.clear()
        qtbot.waitUntil(lambda: window.quotes.model.rowCount() == 150, timeout=5000)
        qtbot.keyClicks(window.quotes.search, name.split()[-1])  # type: ignore[no-untyped-call]
        qtbot.waitUntil(lambda: sorted(_shown(window)) == expected, timeout=5000)
        assert not [w for w in window.findChildren(QMessageBox) if w.isVisible()]
    finally:
        window.close()
        settle(qtbot, window)
        if start.db is not None:
            start.db.close()
