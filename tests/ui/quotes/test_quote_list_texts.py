"""The quote list writes each quote's amount, next follow-up and received day as the rest of
the app does, for each quote's own customer, and on the owner's clock as it is now: quotes
that share a moment or an amount each read right, and a search after the owner's zone
changed shows the new clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from deckfollow.core.enums import Basis, Channel, Stage
from deckfollow.core.quote_index import NextFollowUp, QuoteIndex, QuoteRow
from deckfollow.ui import formatting
from deckfollow.ui.formatting import date_text, date_time_text, money_text
from deckfollow.ui.quote_list import QuoteListPage
from deckfollow.ui.quote_list.page import AMOUNT, CUSTOMER, NEXT, RECEIVED

NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
DUE = datetime(2026, 12, 8, 23, 30, tzinfo=UTC)  # a day apart between Perth and Auckland
RECEIVED_AT = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)


def _row(qid: int, name: str, zone: str, amount: Decimal | None, currency: str) -> QuoteRow:
    nxt = NextFollowUp(qid, DUE, Basis.AGREED, Channel.CALL, "Check in")
    return QuoteRow(
        qid, qid, name, "Deck", f"Q-{qid:04d}", amount, currency, Stage.QUOTED,
        RECEIVED_AT - timedelta(minutes=qid), None, None, RECEIVED_AT, None,
        None, None, zone, False, nxt, False,
    )  # fmt: skip


ROWS = [
    _row(1, "Ann Perth", "Australia/Perth", Decimal("1200"), "AUD"),
    _row(2, "Bob Auckland", "Pacific/Auckland", Decimal("1200"), "NZD"),
    _row(3, "Cy Sydney", "Australia/Sydney", Decimal("1200.00"), "AUD"),
    _row(4, "Di Perth", "Australia/Perth", None, "AUD"),
]


def _page(qtbot: QtBot) -> QuoteListPage:
    formatting.set_owner_zone("Australia/Sydney")
    page = QuoteListPage()
    qtbot.addWidget(page)
    page.set_index(QuoteIndex(list(ROWS), NOW))
    page.resize(1400, 400)
    page.show()
    QTest.qWaitForWindowExposed(page)
    return page


def _shown(page: QuoteListPage) -> dict[str, tuple[str, str, str]]:
    model = page.model
    return {
        model.index(r, CUSTOMER).data(): (
            model.index(r, AMOUNT).data(),
            model.index(r, NEXT).data(),
            model.index(r, RECEIVED).data(),
        )
        for r in range(model.rowCount())
    }


def _expected(row: QuoteRow) -> tuple[str, str, str]:
    assert row.next_follow_up is not None
    due = date_time_text(row.next_follow_up.due_at, row.timezone)
    return (
        money_text(row.amount, row.currency),
        f"{due} · call ✓",
        date_text(row.received_at),
    )


def test_quotes_sharing_a_moment_or_an_amount_each_read_for_their_own_customer(
    qtbot: QtBot,
) -> None:
    page = _page(qtbot)
    shown = _shown(page)
    assert shown == {row.customer: _expected(row) for row in ROWS}
    # The same due moment reads in each customer's own time beside the owner's.
    assert shown["Ann Perth"][1] != shown["Bob Auckland"][1]
    assert shown["Ann Perth"][0] != shown["Bob Auckland"][0]  # A$ against NZ$
    assert shown["Di Perth"][0] == ""


def test_a_search_after_the_owners_zone_changed_shows_the_new_clock(qtbot: QtBot) -> None:
    page = _page(qtbot)
    before = _shown(page)
    formatting.set_owner_zone("Europe/London")
    page.search.setFocus()
    QTest.keyClicks(page.search, "perth")
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)
    QTest.keyClick(page.search, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(page.search, Qt.Key.Key_Backspace)
    qtbot.waitUntil(lambda: page.model.rowCount() == len(ROWS))
    after = _shown(page)
    assert after == {row.customer: _expected(row) for row in ROWS}
    assert after["Ann Perth"][1] != before["Ann Perth"][1]  # 10:30 am Sydney, 11:30 pm London
