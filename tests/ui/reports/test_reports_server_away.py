"""The Reports page on a team database whose server goes away: it says so, and the figures
fill in by themselves once the server is back."""

from __future__ import annotations

from datetime import datetime

from pytestqt.qtbot import QtBot

from deckfollow.core.reports_model import Report
from deckfollow.storage.database import Database
from deckfollow.ui.operations import Operations
from deckfollow.ui.reports.page import ReportsPage
from tests.storage.pg_proxy import Relay
from tests.ui.team.test_server_away_dialogs import BACK, away  # noqa: F401 - `away` is a fixture
from tests.ui.waiting import settle


def _shown(page: ReportsPage) -> Report | None:
    return page.report


def test_the_figures_fill_in_once_the_server_is_back(
    qtbot: QtBot,
    away: tuple[Relay, Database],  # noqa: F811
    now: datetime,
) -> None:
    relay, db = away
    ops = Operations(db)
    relay.cut()
    page = ReportsPage(db, clock=lambda: now)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()  # asks for the figures, which find the server away
    qtbot.waitUntil(lambda: "Can't reach the team server" in page.status.text(), timeout=BACK)
    assert "fills in by itself" in page.status.text() and _shown(page) is None
    assert "postgresql" not in page.status.text() and "psycopg" not in page.status.text()
    assert not page.export_pdf.isEnabled()
    relay.restore()
    with qtbot.waitSignal(page.report_ready, timeout=BACK):
        pass
    assert _shown(page) is not None and page.status.text().startswith("Figures as of")
    settle(qtbot, ops)
    ops.close()
