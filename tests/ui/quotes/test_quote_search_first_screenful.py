"""A search through many quotes shows its first screenful at once and the rest a turn of
the loop later: typed with real keys, the list ends as a one-step search leaves it."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from deckfollow.core import quote_index
from deckfollow.core.enums import Stage
from deckfollow.core.quote_index import QuoteFilter, QuoteIndex, QuoteRow, SortKey
from deckfollow.ui.quote_list import QuoteListPage

NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
NAMES = ["Mia Chen", "Bob Smith", "Ann Smithers", "Deck Doctors", "Sam Obi", "Lee Park"]
JOBS = ["Deck", "Decking and stairs", "Bathroom — full strip-out", "Fence", "Pergola"]
PHONES = ["0412 345 678", "(02) 9876 5432", "", "0413 222 333"]


def _index(count: int) -> QuoteIndex:
    rnd = random.Random(3)
    rows, phones = [], []
    for qid in range(1, count + 1):
        received = NOW - timedelta(days=rnd.randrange(400), minutes=qid)
        rows.append(
            QuoteRow(
                qid, qid % 50, rnd.choice(NAMES), rnd.choice(JOBS), f"Q-{qid:04d}",
                rnd.choice([None, Decimal(rnd.randrange(100, 9000))]), "AUD",
                rnd.choice(list(Stage)), received, None, None, received, None,
                None, None, "Australia/Sydney", False, None, False,
            )
        )  # fmt: skip
        phones.append(rnd.choice(PHONES))
    return QuoteIndex(rows, NOW, phones)


@pytest.fixture
def page(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> QuoteListPage:
    # Every search not remembered counts as long here: a few hundred quotes stand in for
    # the tens of thousands that make it so in use.
    monkeypatch.setattr(quote_index, "_LOOKED_THROUGH_AT_ONCE", 0)
    # In the order a one-step search gives (`_whole`), not as another test's list was left
    # sorted: Qt reads its settings' folder once per process, so they outlive a test.
    QSettings().remove("quotes/header")
    widget = QuoteListPage()
    qtbot.addWidget(widget)
    widget.set_index(_index(400))
    widget.resize(900, 300)  # a screenful of a few rows: most searches find more
    widget.show()
    QTest.qWaitForWindowExposed(widget)
    return widget


def _ids(page: QuoteListPage) -> list[int]:
    rows = (page.model.row_at(i) for i in range(page.model.rowCount()))
    return [r.quote_id for r in rows if r is not None]


def _whole(page: QuoteListPage, text: str) -> list[int]:
    """What a one-step search finds (a fresh index: nothing remembered)."""
    return [r.quote_id for r in _index(400).select(QuoteFilter(text=text))]


def _all_in(page: QuoteListPage) -> bool:
    """Every row of the search typed is in the list (none still to come)."""
    return page.model.complete


def _counted(found: int) -> str:
    return "400 quotes" if found == 400 else f"{found:,} of 400 quotes"


def _key(page: QuoteListPage, key: str) -> None:
    """One key typed, and one turn of the loop: the keystroke's search runs, not yet what
    it leaves for the next turn."""
    if key == "\b":
        QTest.keyClick(page.search, Qt.Key.Key_Backspace)
    else:
        QTest.keyClicks(page.search, key)
    QApplication.processEvents()


def test_each_key_shows_the_first_rows_at_once_and_ends_with_every_match(
    qtbot: QtBot, page: QuoteListPage
) -> None:
    page.search.setFocus()
    text = ""
    for key in ["s", "m", "\b", "\b", *"0412", " ", "3", *"\b" * 6, *"deck"]:
        text = text[:-1] if key == "\b" else text + key
        whole = _whole(page, text)
        _key(page, key)
        shown = _ids(page)
        # Right away: the first rows of the answer, in order, as many as fill the list.
        assert shown == whole[: len(shown)], text
        assert len(shown) >= min(len(whole), page.view.viewport().height() // 28), text
        assert page.selected_quote_id() == (whole[0] if whole else None), text
        if not _all_in(page):  # the count waits for the rest, and says so meanwhile
            assert page.count.text() == "Searching 400 quotes…", text
        qtbot.waitUntil(lambda: _all_in(page))
        assert _ids(page) == whole, text
        assert page.model.filter.text == text
        assert page.count.text() == _counted(len(whole)), text
        assert page.view.verticalScrollBar().value() == 0


def test_a_key_typed_before_the_rest_arrive_shows_only_its_own_search(
    qtbot: QtBot, page: QuoteListPage
) -> None:
    page.search.setFocus()
    _key(page, "d")
    assert not _all_in(page), "found more than a screenful: the rest come next turn"
    _key(page, "e")  # before the rest of "d" were put in
    qtbot.waitUntil(lambda: _all_in(page))
    QTest.qWait(20)  # the rest of "d" never come after "de"
    assert _ids(page) == _whole(page, "de")
    assert page.count.text() == _counted(len(_whole(page, "de")))


def test_the_rest_keep_the_row_chosen_and_where_the_list_is_scrolled(
    qtbot: QtBot, page: QuoteListPage
) -> None:
    page.search.setFocus()
    _key(page, "s")
    assert not _all_in(page)
    shown = page.model.rowCount()
    page.view.selectRow(shown - 1)
    page.view.scrollToBottom()
    chosen, scrolled = page.selected_quote_id(), page.view.verticalScrollBar().value()
    qtbot.waitUntil(lambda: _all_in(page))
    assert page.model.rowCount() > shown
    assert page.selected_quote_id() == chosen
    assert page.view.verticalScrollBar().value() == scrolled


def test_sorting_or_enter_before_the_rest_arrive_act_on_the_whole_search(
    qtbot: QtBot, page: QuoteListPage
) -> None:
    page.search.setFocus()
    _key(page, "s")
    assert not _all_in(page)
    header = page.view.horizontalHeader()
    x = header.sectionViewportPosition(0) + header.sectionSize(0) // 2
    QTest.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2)
    )
    assert _all_in(page) and page.model.filter.sort is SortKey.CUSTOMER
    assert page.model.filter.text == "s"
    fresh = _index(400)
    by_customer = QuoteFilter(text="s", sort=page.model.filter.sort,
                              descending=page.model.filter.descending)  # fmt: skip
    assert _ids(page) == [r.quote_id for r in fresh.select(by_customer)]

    _key(page, "m")
    assert not _all_in(page)
    QTest.keyClick(page.search, Qt.Key.Key_Return)  # to the results, as in a mail client
    assert _all_in(page) and page.model.filter.text == "sm"
    assert _ids(page) == [
        r.quote_id for r in fresh.select(QuoteFilter(text="sm", sort=by_customer.sort,
                                                     descending=by_customer.descending))
    ]  # fmt: skip


def test_a_quote_chosen_or_quotes_read_again_before_the_rest_arrive(
    qtbot: QtBot, page: QuoteListPage
) -> None:
    """Choosing a quote further down than the first screenful (from the board, a report)
    finds it; quotes read again meanwhile are shown with the search typed, whole."""
    page.search.setFocus()
    _key(page, "s")
    assert not _all_in(page)
    whole = _whole(page, "s")
    assert page.select_quote(whole[-1])
    assert page.selected_quote_id() == whole[-1]
    assert _ids(page) == whole and page.count.text() == _counted(len(whole))

    _key(page, "m")
    assert not _all_in(page)
    page.set_index(_index(400))
    assert _all_in(page) and page.model.filter.text == "sm"
    assert _ids(page) == _whole(page, "sm")
    assert page.count.text() == _counted(len(_whole(page, "sm")))
