"""Two members' windows on one team database: what one saves appears in the other's open
window (board and Today) without a reload; the server going away shows a banner."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from pytestqt.qtbot import QtBot

from deckfollow.core.leads import NewLead, add_lead
from deckfollow.storage.database import Database, open_database
from deckfollow.storage.notify import Change
from deckfollow.ui.main_window import MainWindow
from tests.storage.pg_server import postgres_server


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    with postgres_server() as url:
        yield url


@pytest.fixture
def two(pg_url: str, qtbot: QtBot, now: datetime) -> Iterator[tuple[Database, MainWindow]]:
    colleague, mine = open_database(pg_url), open_database(pg_url)
    win = MainWindow(mine, clock=lambda: now)
    qtbot.addWidget(win)
    win.show()
    win.refresh()
    qtbot.waitUntil(lambda: win.live.listening, timeout=10_000)
    yield colleague, win
    win.close()
    colleague.close()
    mine.close()


def test_a_colleague_s_new_lead_and_its_first_reply_appear_in_my_open_window(
    qtbot: QtBot, two: tuple[Database, MainWindow], now: datetime
) -> None:
    colleague, win = two
    with colleague.unit_of_work() as s:
        made = add_lead(s, NewLead("Live Lead", phone="+61412000555", country="AU"), now=now)
    # Delivered by the listener thread, refreshed on the GUI thread, with no reload asked.
    qtbot.waitUntil(lambda: win.board.select_quote(made.quote_id), timeout=10_000)
    win.today.whole_team.setChecked(True)
    qtbot.waitUntil(
        lambda: any(i.quote_id == made.quote_id for i in win.today._items), timeout=10_000
    )


def test_the_banner_says_the_server_is_away_and_goes_when_it_is_back(
    qtbot: QtBot, two: tuple[Database, MainWindow]
) -> None:
    _, win = two
    win.live.connection.emit(False, "connection refused")
    assert win.server_banner.isVisible()
    said = win.server_banner.label.text()
    # The server as its members know it (host and database), never its URL or sign-in.
    assert "Can't reach the team server 127.0.0.1" in said and "(deckfollow)" in said
    assert ": the connection was refused — retrying…" in said and "Last reached at" in said
    assert "postgresql" not in said and "@" not in said
    win.live.changed.emit(Change(frozenset({"*"}), None))  # the catch-up after reconnecting
    win.live.connection.emit(True, "")
    assert not win.server_banner.isVisible()
