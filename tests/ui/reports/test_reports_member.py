"""The Reports page's Member chooser: hidden for a one-person business, Everyone and each
member once the business has members, and choosing one shows that member's figures."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from deckfollow.core.enums import MemberRole
from deckfollow.core.models import FollowUp, Member, Quote
from deckfollow.core.reports_behind import Drill, Figure
from deckfollow.storage.database import Database
from deckfollow.ui.operations import Operations
from deckfollow.ui.reports.page import ReportsPage
from tests.core.test_reports import NOW, Q, shop  # noqa: F401 - `shop` is a fixture
from tests.ui.reports.test_reports_page import _june


def _page(qtbot: QtBot, db: Database) -> ReportsPage:
    Operations(db)  # the window's database thread: the report is read there
    page = ReportsPage(db, clock=lambda: NOW)
    qtbot.addWidget(page)
    page.resize(1400, 900)
    page.show()
    QApplication.processEvents()
    _june(page, qtbot)
    return page


def test_one_person_business_has_no_member_chooser(qtbot: QtBot, db: Database, shop) -> None:  # noqa: F811
    page = _page(qtbot, db)
    assert not page.member.isVisible() and not page.member_label.isVisible()
    assert page.report is not None and page.report.member is None


def test_choosing_a_member_shows_their_quotes_figures(
    qtbot: QtBot,
    db: Database,
    shop: dict[str, Q],  # noqa: F811
    tmp_path: Path,
) -> None:
    pergola = shop["pergola"].quote_id
    with db.unit_of_work() as s:
        for login, name in (("dana", "Dana Owner"), ("sam", "Sam Lee")):
            s.add(Member(login=login, name=name, role=MemberRole.STAFF, created_at=NOW))
        # Sam owns the pergola (and its follow-ups); Dana everything else.
        s.execute(update(Quote).values(owner="dana"))
        s.execute(update(Quote).where(Quote.id == pergola).values(owner="sam"))
        s.execute(update(FollowUp).values(member="dana"))
        s.execute(update(FollowUp).where(FollowUp.quote_id == pergola).values(member="sam"))
    page = _page(qtbot, db)
    everyone = page.report
    assert everyone is not None
    assert page.member.isVisible()
    names = [page.member.itemText(i) for i in range(page.member.count())]
    assert names == ["Everyone", "Dana Owner", "Sam Lee"]

    with qtbot.waitSignal(page.report_ready, timeout=20_000):
        page.member.setCurrentIndex(2)
    sam = page.report
    assert sam is not None and sam.member == "sam" and sam.title.endswith("· Sam Lee")
    # The pergola was lost for no reply in June: Sam's only loss, and nobody else's win.
    assert sam.lost_reasons.total == 1 and sam.touches_to_close.won.quotes == 0
    assert everyone.touches_to_close.won.quotes == 1
    with qtbot.waitSignal(page.show_quotes, timeout=20_000) as listed:
        page.open_drill(Drill(Figure.LOST_REASON, label="Lost"))
    assert listed.args[0] == [pergola]
    page.grab().save(str(tmp_path / "reports-member.png"))

    # The choice survives a refresh, and Everyone brings the whole business back.
    page.refresh()
    page.wait_for_report()
    assert page.member.currentText() == "Sam Lee"
    with qtbot.waitSignal(page.report_ready, timeout=20_000):
        page.member.setCurrentIndex(0)
    assert page.report is not None and page.report.member is None
    assert page.report.lost_reasons.total == everyone.lost_reasons.total
