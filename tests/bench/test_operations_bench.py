"""The window on a 20,000-quote business: how long the GUI thread is busy per action, and
how long from a saved change to every open view being current, against the full reload
every save used to cost (the same reads, run on the GUI thread as before)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from deckfollow.core.board import load_quote_index
from deckfollow.core.changes import Changes
from deckfollow.core.customers import update_customer
from deckfollow.core.enums import Channel, Direction, Outcome, Stage
from deckfollow.core.followups import FollowUpPlan
from deckfollow.core.touches import TouchRecord, log_touch
from deckfollow.core.unit_of_work import Session
from deckfollow.demo.generator import generate_demo
from deckfollow.storage.database import Database, open_database
from deckfollow.ui.main_window import MainWindow
from tests.bench.report import record
from tests.conftest import FROZEN_NOW

pytestmark = pytest.mark.bench


class StallMeter:
    """The longest the GUI thread went without running its event loop: a 1 ms timer's
    longest gap between two ticks (a blocking call on the GUI thread stretches it)."""

    def __init__(self) -> None:
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(1)
        self._timer.timeout.connect(self._tick)
        self._last = 0.0
        self.longest = 0.0

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self._last)
        self._last = now

    def start(self) -> None:
        self.longest = 0.0
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> float:
        self._tick()
        self._timer.stop()
        return self.longest


@pytest.fixture(scope="module")
def big_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("operations") / "big.db"
    db = open_database(str(path))
    with db.unit_of_work() as session:
        generate_demo(session, customers=8_000, quotes=20_000, seed=7, now=FROZEN_NOW, country="AU")
    db.close()
    return path


@pytest.fixture
def big(big_path: Path) -> Iterator[Database]:
    db = open_database(str(big_path))
    yield db
    db.close()


def _idle(window: MainWindow) -> None:
    deadline = time.monotonic() + 60
    while not window.ops.is_idle():
        assert time.monotonic() < deadline, "the window's database work did not finish"
        QApplication.processEvents()
        time.sleep(0.0005)
    QApplication.processEvents()


def _measure(window: MainWindow, act: Callable[[], object]) -> tuple[float, float]:
    """(longest GUI-thread stall, time until every view is current), in ms."""
    meter = StallMeter()
    meter.start()
    started = time.perf_counter()
    act()
    _idle(window)
    current = time.perf_counter() - started
    return meter.stop() * 1000, current * 1000


def _full_reload_as_before(window: MainWindow, db: Database, now: datetime) -> float:
    """What every save cost before: the same reads, one after another on the GUI thread."""
    started = time.perf_counter()
    with db.reading() as session:  # the page on screen first ...
        board = load_quote_index(session, now=now, board_only=True)
    window.board.set_index(board)
    with db.reading() as session:  # ... then every page and the full list of quotes
        index = load_quote_index(session, now=now)
    window.quotes.set_index(index)
    window.board.set_index(index)
    window.today.refresh()
    window.customers.refresh()
    _idle(window)  # Today's own read
    return (time.perf_counter() - started) * 1000


def test_a_working_session_on_20k_quotes(qtbot: QtBot, big: Database) -> None:
    now = FROZEN_NOW
    window = MainWindow(big, clock=lambda: now)
    qtbot.addWidget(window)
    window.resize(1480, 920)
    window.show()
    figures: dict[str, tuple[float, float]] = {}

    # Open Today (the app's first read of the day's work, and the quotes behind the board).
    figures["open Today"] = _measure(window, window.refresh)
    window.show_page("today")
    item = window.today.current_item()
    assert item is not None, "the demo has work due"

    # Log a call with its next step (what the log-outcome dialog saves).
    def log_call() -> None:
        record_ = TouchRecord(
            customer_id=item.customer_id,
            channel=Channel.CALL,
            direction=Direction.OUTBOUND,
            outcome=Outcome.REACHED,
            at=now,
            quote_id=item.quote_id,
            follow_up_id=item.follow_up_id,
            summary="Talked it through",
        )
        plan = FollowUpPlan(now + timedelta(days=3), Channel.CALL, "Check they got the quote")

        def op(session: Session) -> Changes:
            return log_touch(session, record_, plan, now=now)

        window.ops.run_change(window, op)

    figures["log a call with its next step"] = _measure(window, log_call)

    # Drag a card from Quoted to Following up on the board.
    window.show_page("board")
    source = window.board.columns[Stage.QUOTED].model
    quote_id = source.row_at(0).quote_id  # type: ignore[union-attr]

    def drag() -> None:
        mime = source.mimeData([source.index(source.row_of(quote_id))])
        target = window.board.columns[Stage.FOLLOWING_UP].model
        target.dropMimeData(mime, Qt.DropAction.MoveAction, -1, -1, QModelIndex())

    figures["drag a card"] = _measure(window, drag)
    assert window.board.columns[Stage.FOLLOWING_UP].model.row_of(quote_id) >= 0

    # Edit a customer (what the details panel saves).
    def edit() -> None:
        window.ops.run_change(
            window,
            lambda session: update_customer(
                session, item.customer_id, {"company": "Harbour Decks"}, now=now
            ),
        )

    figures["edit a customer"] = _measure(window, edit)

    # Search the quotes.
    window.show_page("quotes")

    def search() -> None:
        qtbot.keyClicks(window.quotes.search, "smi")  # type: ignore[no-untyped-call]
        # Current once every match is in: a long search shows its first screenful a turn of
        # the loop before the rest.
        qtbot.waitUntil(
            lambda: window.quotes.model.complete and window.quotes.model.filter.text == "smi"
        )

    figures["search the quotes"] = _measure(window, search)

    for action, (stall, current) in figures.items():
        record("operations", f"{action}: longest GUI-thread stall", stall, "ms", "<= 50 ms")
        record("operations", f"{action}: until every view is current", current, "ms")
    window.show_page("board")
    before = sorted(_full_reload_as_before(window, big, now) for _ in range(3))[1]
    record("operations", "before: a save's full reload, all on the GUI thread", before, "ms")
