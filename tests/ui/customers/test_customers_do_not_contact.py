# mypy: disable-error-code="no-untyped-call"
"""The Customers page marks a customer who asked not to be contacted as the command line
does, "(do not contact)", on a muted row with a tooltip saying why; typing the mark finds
them, and sorting by name keeps them among the others by their name."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from deckfollow.core.consent import revoke_consent
from deckfollow.core.settings import save_setting
from deckfollow.storage.database import Database
from deckfollow.ui.customers.model import EMAIL, NAME, PHONE
from deckfollow.ui.features import install_features
from deckfollow.ui.main_window import MainWindow
from deckfollow.ui.theme import active_theme
from tests.factories import new_lead
from tests.ui.waiting import settle

pytestmark = pytest.mark.usefixtures("first_run_layout")


@pytest.fixture
def window(qtbot: QtBot, db: Database, now: datetime) -> MainWindow:
    """From an empty database: three leads typed in; Tom then asked to be left alone."""
    with db.unit_of_work() as s:
        save_setting(s, "default_country", "AU")
        save_setting(s, "owner_timezone", "Australia/Sydney")
    new_lead(db, "Jack Harris", phone="0498 765 432", now=now)
    tom = new_lead(db, "Tom Bradley", phone="0412 345 679", email="tom@bradley.au", now=now)
    new_lead(db, "Megan Ito", email="megan@ito.net", now=now)
    with db.unit_of_work() as s:
        revoke_consent(s, tom.customer_id, None, source="call", words="Please stop", now=now)
    window = MainWindow(db, clock=lambda: now)
    qtbot.addWidget(window)
    install_features(window, db, lambda: now)
    window.resize(1400, 900)
    window.show()
    window.show_page("customers")
    settle(qtbot, window)
    return window


def _names(window: MainWindow) -> list[str]:
    model = window.customers.model
    return [model.index(r, NAME).data() for r in range(model.rowCount())]


def test_a_customer_who_asked_not_to_be_contacted_is_marked_on_a_muted_row(
    window: MainWindow,
) -> None:
    assert _names(window) == ["Jack Harris", "Megan Ito", "Tom Bradley (do not contact)"]
    model = window.customers.model
    muted = QColor(active_theme().muted_text)
    fg = Qt.ItemDataRole.ForegroundRole
    for column in (NAME, PHONE, EMAIL):
        assert model.index(2, column).data(fg) == muted  # the whole row recedes
        assert model.index(0, column).data(fg) is None  # Jack as every row is
    assert "Do not contact" in model.index(2, NAME).data(Qt.ItemDataRole.ToolTipRole)
    assert "Do not contact" in model.index(2, PHONE).data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(0, PHONE).data(Qt.ItemDataRole.ToolTipRole) is None


def test_typing_the_mark_finds_them_and_sorting_keeps_them_by_name(
    qtbot: QtBot, window: MainWindow
) -> None:
    page = window.customers
    page.search.setText("do not contact")
    page.apply_search()
    settle(qtbot, window)
    assert _names(window) == ["Tom Bradley (do not contact)"]
    assert page.count.text() == "1 of 3 customers"
    assert window.detail.name_label.text() == "Tom Bradley"
    assert window.detail.dnc_label.isVisible()

    page.search.clear()
    page.apply_search()
    settle(qtbot, window)
    page.view.sortByColumn(NAME, Qt.SortOrder.DescendingOrder)
    settle(qtbot, window)
    assert _names(window) == ["Tom Bradley (do not contact)", "Megan Ito", "Jack Harris"]
    assert page.selected_customer_id() == window.detail.customer_id  # still Tom, highlighted
    assert window.detail.name_label.text() == "Tom Bradley"
