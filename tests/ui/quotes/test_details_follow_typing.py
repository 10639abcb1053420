"""Typing into the quote search with the details panel open: the panel follows the first
row, and reads it only once the list has painted the rows it found (see `ui.after_paint`)."""

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
from deckfollow.ui import after_paint
from deckfollow.ui.customer_detail import panel
from deckfollow.ui.features import install_features
from deckfollow.ui.main_window import MainWindow
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


def test_the_panel_reads_the_first_row_found_after_the_list_has_painted_it(
    qtbot: QtBot, db: Database, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = ["Mia Chen", "Bo Lang", "Ken Ito", "Ana Silva", "Raj Patel", "Lu Wen"]
    with db.unit_of_work() as s:
        made = {n: add_lead(s, NewLead(n, timezone=SYD), now=now) for n in names}
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
    paints = _Paints()
    window.quotes.view.viewport().installEventFilter(paints)
    reads: list[tuple[float, int]] = []  # when each read began (database thread), and whom
    real = panel.customer_view  # type: ignore[attr-defined]

    def read(*args: object, **kwargs: object) -> object:
        assert threading.current_thread() is not threading.main_thread()
        reads.append((time.perf_counter(), int(args[1])))  # type: ignore[call-overload]
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(panel, "customer_view", read)
    # However busy the machine running this, the paint comes before the hold gives up.
    monkeypatch.setattr(after_paint, "WAIT_S", 10.0)
    asked: list[float] = []  # when the panel was asked to show a quote (GUI thread)
    real_show = window.detail.show_quote

    def show(quote_id: int, **kwargs: object) -> None:
        asked.append(time.perf_counter())
        real_show(quote_id, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(window.detail, "show_quote", show)
    window.quotes.search.setFocus()
    for name in ("Ken Ito", "Raj Patel", "Lu Wen"):
        window.quotes.search.clear()
        QTest.keyClicks(window.quotes.search, name[0])  # moves the first row: a read per key
        qtbot.wait(50)
        wait_idle(window)
        paints.at.clear()
        reads.clear()
        asked.clear()
        QTest.keyClicks(window.quotes.search, name[1:])
        qtbot.wait(50)  # the last key's search and its repaint
        wait_idle(window)
        assert window.quotes.selected_quote_id() == made[name].quote_id
        assert window.detail.customer_id == made[name].customer_id
        # One after the other on the database thread, each read began only after the list
        # had painted the rows of the key that asked for it.
        assert len(reads) == len(asked) > 0, name
        for when_asked, (began, _who) in zip(asked, reads, strict=True):
            assert any(when_asked < painted < began for painted in paints.at), name
