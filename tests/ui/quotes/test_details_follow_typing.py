"""Typing into the quote search with the details panel open: the panel follows the first
row the search settles on once the typing pauses, read after the list has painted it; not
each first row a key chose and the next key replaced."""

from __future__ import annotations

import threading
import time
from datetime import datetime

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from deckfollow.core.leads import NewLead, add_lead
from deckfollow.storage.database import Database
from deckfollow.ui.customer_detail import panel
from deckfollow.ui.features import install_features
from deckfollow.ui.main_window import MainWindow
from deckfollow.ui.quote_list.page import TYPING_PAUSE_MS
from tests.ui.waiting import wait_idle

pytestmark = pytest.mark.usefixtures("first_run_layout")

SYD = "Australia/Sydney"


class _Paints(QObject):
    """When the list's rows were painted (GUI thread)."""

    def __init__(self) -> None:
        super().__init__()
        self.at: list[float] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.at.append(time.perf_counter())
        return False


def _quotes_with_the_panel_open(qtbot: QtBot, db: Database, now: datetime) -> MainWindow:
    """The window on the quote list, every quote read, with the details panel open."""
    window = MainWindow(db, clock=lambda: now)
    qtbot.addWidget(window)
    install_features(window, db, lambda: now)
    window.resize(1400, 900)
    window.show()
    window.show_page("quotes")
    window.refresh()
    wait_idle(window)
    window.detail_dock.show()
    wait_idle(window)
    return window


def test_the_panel_reads_the_row_a_search_settled_on_once_typing_pauses(
    qtbot: QtBot, db: Database, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each key of each name moves the first row: "R" finds Raj and Ana... "Ra" Raj, "Raj".
    names = ["Mia Chen", "Bo Lang", "Ken Ito", "Ana Silva", "Raj Patel", "Lu Wen", "Rae Ko"]
    with db.unit_of_work() as s:
        made = {n: add_lead(s, NewLead(n, timezone=SYD), now=now) for n in names}
    window = _quotes_with_the_panel_open(qtbot, db, now)
    paints = _Paints()
    window.quotes.view.viewport().installEventFilter(paints)
    reads: list[tuple[float, int]] = []  # when each read began (database thread), and whom
    real = panel.customer_view  # type: ignore[attr-defined]

    def read(*args: object, **kwargs: object) -> object:
        assert threading.current_thread() is not threading.main_thread()
        reads.append((time.perf_counter(), int(args[1])))  # type: ignore[call-overload]
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(panel, "customer_view", read)
    window.quotes.search.setFocus()
    for name in ("Ken Ito", "Raj Patel", "Lu Wen"):
        window.quotes.search.clear()
        qtbot.wait(TYPING_PAUSE_MS * 2)
        wait_idle(window)
        paints.at.clear()
        reads.clear()
        for key in name:  # a quick typist: each key's search shown before the next key
            QTest.keyClicks(window.quotes.search, key)
            qtbot.wait(20)
        assert window.quotes.selected_quote_id() == made[name].quote_id
        assert reads == [], name  # none of the first rows chosen while typing on
        chosen = made[name]
        qtbot.waitUntil(lambda: window.detail.customer_id == chosen.customer_id)  # noqa: B023
        wait_idle(window)
        # One read, of the row the search settled on, after the list had painted it.
        assert [who for _at, who in reads] == [made[name].customer_id], name
        assert min(paints.at) < reads[0][0], name
        assert window.detail.quote_id == made[name].quote_id


def test_a_row_picked_in_the_list_is_shown_at_once(
    qtbot: QtBot, db: Database, now: datetime
) -> None:
    with db.unit_of_work() as s:
        made = [add_lead(s, NewLead(n, timezone=SYD), now=now) for n in ("Mia Chen", "Bo Lang")]
    window = _quotes_with_the_panel_open(qtbot, db, now)
    page = window.quotes
    page.view.setFocus()
    for lead in made:
        row = page.model.row_of(lead.quote_id)
        page.view.selectRow(row)
        # Read as soon as the list has repainted, well before a pause in typing would be.
        shown = lambda q=lead.quote_id: window.detail.quote_id == q  # noqa: E731
        qtbot.waitUntil(shown, timeout=TYPING_PAUSE_MS)
