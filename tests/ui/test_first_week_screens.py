# mypy: disable-error-code="no-untyped-call"
"""What a new owner sees in their first week on an empty database: the first reply's words,
the Customers page with its details panel, counts in good English and dates that read the
same in every country."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

import pytest
from PySide6.QtCore import QItemSelectionModel, QLocale, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.merge_fields import job_phrase
from deckfollow.core.settings import save_setting
from deckfollow.storage.database import Database
from deckfollow.ui.board.stage_dialogs import ParkUntilDialog
from deckfollow.ui.customers.model import EMAIL, NAME, OPEN, PHONE
from deckfollow.ui.features import install_features
from deckfollow.ui.main_window import MainWindow
from deckfollow.ui.operations import Operations
from deckfollow.ui.quote_editor.dialog import QuoteDialog
from deckfollow.ui.today_page import TodayPage
from tests.ui.waiting import settle

_ALIGN = Qt.ItemDataRole.TextAlignmentRole
_HORIZONTAL = Qt.AlignmentFlag.AlignHorizontal_Mask


@pytest.fixture
def business(db: Database, now: datetime) -> Database:
    """Zoë's deck business, just set up (no built-in wordings seeded yet), with one lead."""
    with db.unit_of_work() as s:
        for key, value in (
            ("default_country", "AU"),
            ("owner_timezone", "Australia/Sydney"),
            ("owner_name", "Zoë Carter"),
            ("business_name", "Harbour Decks"),
            ("owner_phone", "+61412555019"),
        ):
            save_setting(s, key, value)
        add_lead(
            s,
            NewLead(
                "Łukasz Nowak",
                phone="0412 345 678",
                job="A spotted gum deck out the back, about 20 m²",
                country="AU",
                timezone="Australia/Sydney",
            ),
            now=now,
        )
    return db


@pytest.fixture
def window(qtbot: QtBot, business: Database, now: datetime) -> MainWindow:
    win = MainWindow(business, clock=lambda: now)
    qtbot.addWidget(win)
    install_features(win, business, lambda: now)
    win.resize(1400, 900)
    win.show()
    win.refresh()
    QApplication.processEvents()
    return win


@pytest.fixture
def bare_c_locale() -> Iterator[None]:
    """A machine left at the "C" locale (a fresh Linux box, a container)."""
    before = QLocale()
    QLocale.setDefault(QLocale.c())
    yield
    QLocale.setDefault(before)


def test_a_first_reply_reads_as_a_reply_before_the_wordings_are_seeded(
    qtbot: QtBot, business: Database, now: datetime
) -> None:
    Operations(business)  # the window's database thread: Today is read there
    page = TodayPage(business, clock=lambda: now)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    settle(qtbot, page)
    qtbot.waitUntil(lambda: page.current_item() is not None)
    script = page.script.toPlainText()
    assert script.startswith(
        "Hi Łukasz, it's Zoë from Harbour Decks. Thanks for getting in touch about the "
        "spotted gum deck out the back, about 20 m²."
    ), script
    assert "First reply" not in script
    assert "The reason I'm calling is:" not in script
    assert "about the A " not in script


def _open_customers(qtbot: QtBot, win: MainWindow) -> None:
    go = next(a for a in win.menu("View").actions() if a.shortcut() == QKeySequence("Ctrl+4"))
    go.trigger()
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.customers)


def test_the_customers_page_shows_the_selected_customers_details(
    qtbot: QtBot, window: MainWindow, business: Database, now: datetime
) -> None:
    with business.unit_of_work() as s:
        add_lead(s, NewLead("Mia Chen", phone="0412 345 679", country="AU"), now=now)
    window.refresh()
    _open_customers(qtbot, window)
    page = window.customers
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)

    # The panel opens beside the list on the customer selected there, and follows the row.
    qtbot.waitUntil(window.detail_dock.isVisible)
    first = page.model.row_at(0)
    assert first is not None and first.name == "Łukasz Nowak"
    qtbot.waitUntil(lambda: window.detail.name_label.text() == "Łukasz Nowak")
    page.view.selectionModel().setCurrentIndex(
        page.model.index(1, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    qtbot.waitUntil(lambda: window.detail.name_label.text() == "Mia Chen")

    # A search that finds nobody shows nobody; cleared, the first customer is back.
    page.search.setText("nobody by this name")
    page.apply_search()
    qtbot.waitUntil(lambda: window.detail.customer_id is None)
    assert window.detail.empty_label.isVisibleTo(window.detail)
    page.search.clear()
    page.apply_search()
    qtbot.waitUntil(lambda: window.detail.name_label.text() == "Łukasz Nowak")
    second = page.model.row_at(1)
    assert second is not None
    page.select_customer(second.id)
    qtbot.waitUntil(lambda: window.detail.name_label.text() == "Mia Chen")

    # Closed and opened again (Ctrl+D) it shows who is selected here, not a quote elsewhere.
    window.detail_dock.hide()
    window.current_quote_id = 1  # Łukasz's lead, last chosen on the Quotes page
    window.detail_dock.show()
    qtbot.waitUntil(lambda: window.detail.name_label.text() == "Mia Chen")


def test_customer_columns_share_the_width_and_headings_sit_over_their_cells(
    qtbot: QtBot, window: MainWindow
) -> None:
    _open_customers(qtbot, window)
    page = window.customers
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    header = page.view.horizontalHeader()
    name, email = header.sectionSize(NAME), header.sectionSize(EMAIL)
    # Beside the details panel: an ordinary name is not cut short, nor is the row scrolled.
    assert name >= page.view.fontMetrics().horizontalAdvance("Alexandra Fitzgerald")
    assert email > 0 and page.view.horizontalScrollBar().maximum() == 0
    assert header.sectionSize(PHONE) >= page.view.fontMetrics().horizontalAdvance("0412 345 678")
    for col in range(page.model.columnCount()):
        heading = int(page.model.headerData(col, Qt.Orientation.Horizontal, _ALIGN))
        cell = page.model.data(page.model.index(0, col), _ALIGN)
        side = int(cell) if cell is not None else int(Qt.AlignmentFlag.AlignLeft)
        assert heading & int(_HORIZONTAL) == side & int(_HORIZONTAL), col
    assert int(page.model.headerData(OPEN, Qt.Orientation.Horizontal, _ALIGN)) & int(
        Qt.AlignmentFlag.AlignRight
    )


def test_counts_say_one_quote_and_one_customer(qtbot: QtBot, window: MainWindow) -> None:
    window.show_page("quotes")
    window.refresh()
    qtbot.waitUntil(lambda: window.quotes.count.text() == "1 quote")
    _open_customers(qtbot, window)
    page = window.customers
    qtbot.waitUntil(lambda: page.count.text() == "1 customer")
    qtbot.keyClicks(page.search, "nobody here")
    page.apply_search()
    qtbot.waitUntil(lambda: page.count.text() == "Nobody matches “nobody here” among 1 customer")


def test_quote_dates_read_as_day_month_name_year_on_a_bare_c_locale(
    qtbot: QtBot, business: Database, now: datetime, bare_c_locale: None
) -> None:
    Operations(business)
    dialog = QuoteDialog(business, clock=lambda: now, customer_id=1)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.form is not None)
    dialog.sent.set_value(date(2026, 12, 7))
    dialog.valid_until.set_value(date(2027, 1, 6))
    assert dialog.sent.edit.text() == "7 Dec 2026"
    assert dialog.valid_until.edit.text() == "6 Jan 2027"

    park = ParkUntilDialog("Łukasz Nowak", "deck", date(2026, 12, 7))
    qtbot.addWidget(park)
    assert park.until.text() == "7 Mar 2027"


def test_date_fields_follow_the_users_language(
    qtbot: QtBot, business: Database, now: datetime
) -> None:
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    try:
        Operations(business)
        dialog = QuoteDialog(business, clock=lambda: now, customer_id=1)
        qtbot.addWidget(dialog)
        qtbot.waitUntil(lambda: dialog.form is not None)
        dialog.sent.set_value(date(2026, 12, 7))
        assert dialog.sent.edit.text() == "7 Dez. 2026"
    finally:
        QLocale.setDefault(before)


@pytest.mark.parametrize(
    ("job", "named"),
    [
        ("A spotted gum deck out the back", "spotted gum deck out the back"),
        ("Pool fence — aluminum, self-closing gate", "pool fence — aluminum, self-closing gate"),
        ("The pergola", "pergola"),
        ("NSW-compliant pool fence", "NSW-compliant pool fence"),
        ("A-frame carport", "A-frame carport"),
        ("I want a deck", "I want a deck"),
    ],
)
def test_a_job_reads_mid_sentence_in_the_wordings(job: str, named: str) -> None:
    assert job_phrase(job) == named
