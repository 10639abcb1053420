"""The Reports page is built off screen once the start is done, in a turn of the event loop
of its own: opening it then only shows it and asks for its figures (built on opening, its
nine cards held the window up to a tenth of a second). Its figures are still computed only
once it is shown."""

from __future__ import annotations

from datetime import datetime

import pytest
from pytestqt.qtbot import QtBot

from deckfollow.demo.generator import generate_demo
from deckfollow.storage.database import Database
from tests.ui.starting import start_on
from tests.ui.waiting import settle


def test_the_reports_page_is_ready_before_it_is_opened(
    qtbot: QtBot, db: Database, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    from deckfollow.core.reports import build_report
    from deckfollow.ui.reports import page as reports_page

    with db.unit_of_work() as session:
        generate_demo(session, customers=10, quotes=20, seed=3, now=now, country="AU")
    db.close()
    assert db.path is not None
    built: list[int] = []

    def counted(session: object, *args: object, **kwargs: object) -> object:
        built.append(1)
        return build_report(session, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(reports_page, "build_report", counted)
    window, start = start_on(qtbot, db.path, now, "today")
    # The pages are built a few turns after the database opened (their modules load first).
    qtbot.waitUntil(
        lambda: hasattr(window, "reports") and window.reports._page is not None, timeout=20000
    )
    settle(qtbot, window)
    page = window.reports.page
    assert not page.isVisible() and window.stack.currentWidget() is window.today
    assert built == [], "figures are computed once the page is shown, not ahead"
    window.show_page("reports")
    page.wait_for_report()
    assert window.reports.page is page and page.isVisible()
    assert page.report is not None and built == [1]
    window.close()
    assert start.db is not None
    start.db.close()
