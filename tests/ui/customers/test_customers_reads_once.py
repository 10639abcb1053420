# mypy: disable-error-code="no-untyped-call"
"""A customer added or two merged on the Customers page: the list is read once, the details
beside it read the customer once, and Today (off screen) reads once when next shown."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from pytestqt.qtbot import QtBot

from deckfollow.core.settings import save_setting
from deckfollow.storage.database import Database
from deckfollow.ui.customers import CustomersPage, MergeDialog, NewCustomerDialog
from deckfollow.ui.customers.model import NAME, Answer, Ask
from deckfollow.ui.features import install_features
from deckfollow.ui.main_window import MainWindow
from tests.factories import new_lead
from tests.ui.waiting import settle

pytestmark = pytest.mark.usefixtures("first_run_layout")


def _counted(owner: object, name: str) -> list[int]:
    """Count the calls of `owner.name` from now on (each is one read of the page's data)."""
    calls: list[int] = []
    original: Callable[..., None] = getattr(owner, name)

    def counting(*args: object, **kwargs: object) -> None:
        calls.append(1)
        original(*args, **kwargs)

    setattr(owner, name, counting)
    return calls


def _list_reads(page: CustomersPage) -> list[Ask]:
    """Each read of the list's rows from now on (a page of them, from where it asks)."""
    asked: list[Ask] = []
    read = page._read_rows

    def counting(ask: Ask, answer: Answer) -> None:
        asked.append(ask)
        read(ask, answer)

    page.model.set_reader(counting)
    return asked


@pytest.fixture
def window(qtbot: QtBot, db: Database, now: datetime) -> MainWindow:
    """The Customers page on screen with the details beside it: two records of one Mia (a
    lead typed in, and the same person enquiring again from work) and Tom."""
    with db.unit_of_work() as s:
        save_setting(s, "default_country", "AU")
        save_setting(s, "owner_timezone", "Australia/Sydney")
    new_lead(db, "Mia Chen", phone="0412 345 679", email="mia@example.com", job="Deck", now=now)
    new_lead(db, "Tom Reid", phone="0498 765 432", email="tom@reid.net", job="Pergola", now=now)
    new_lead(db, "Mia C", email="mia.c@work.com", job="Fence", now=now)
    window = MainWindow(db, clock=lambda: now)
    qtbot.addWidget(window)
    install_features(window, db, lambda: now)
    window.resize(1400, 900)
    window.show()
    window.refresh()
    settle(qtbot, window)
    window.show_page("customers")
    settle(qtbot, window)
    assert window.customers.model.rowCount() == 3
    assert window.detail_dock.isVisible()  # a selected customer opens the details beside
    return window


def test_a_customer_added_on_the_page_is_read_once(qtbot: QtBot, window: MainWindow) -> None:
    page = window.customers
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    dlg = page.active_dialog
    assert isinstance(dlg, NewCustomerDialog)
    settle(qtbot, window)
    qtbot.keyClicks(dlg.fields["display_name"], "Zara Young")
    qtbot.keyClicks(dlg.fields["phone_cell"], "0455 666 777")
    list_reads = _list_reads(page)
    panel_reads = _counted(window.detail, "_fetch")
    today_reads = _counted(window.today, "refresh")
    with qtbot.waitSignal(dlg.created) as created:
        qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert len(list_reads) == 1, "the list is read once"
    assert len(panel_reads) == 1, "the details read the new customer once"
    assert today_reads == [], "Today, off screen, reads when next shown"
    assert page.model.rowCount() == 4
    assert page.count.text() == "4 customers"
    assert page.selected_customer_id() == created.args[0]
    assert window.detail.name_label.text() == "Zara Young"
    window.show_page("today")
    settle(qtbot, window)
    assert len(today_reads) == 1


def test_a_customer_added_further_down_a_long_list_is_read_in_the_same_read(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("deckfollow.ui.customers.model.PAGE", 2)  # Zara comes after a page
    page = window.customers
    page.view.selectRow(0)
    settle(qtbot, window)
    dlg = page.new_customer()
    settle(qtbot, window)
    qtbot.keyClicks(dlg.fields["display_name"], "Zara Young")
    list_reads = _list_reads(page)
    panel_reads = _counted(window.detail, "_fetch")
    with qtbot.waitSignal(dlg.created) as created:
        qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert [(ask.offset, ask.until) for ask in list_reads] == [(0, created.args[0])]
    assert len(panel_reads) == 1, "the details go to Zara, not to the first row on the way"
    assert page.selected_customer_id() == created.args[0]
    assert window.detail.name_label.text() == "Zara Young"


def test_two_records_merged_on_the_page_are_read_once(qtbot: QtBot, window: MainWindow) -> None:
    page = window.customers
    page.search.setText("mia")
    page.apply_search()
    settle(qtbot, window)
    assert page.model.rowCount() == 2
    page.view.selectRow(0)
    page.view.selectionModel().select(
        page.model.index(1, 0),
        QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
    )
    settle(qtbot, window)
    qtbot.mouseClick(page.merge_button, Qt.MouseButton.LeftButton)
    dlg = page.active_dialog
    assert isinstance(dlg, MergeDialog)
    settle(qtbot, window)
    keep = next(d.id for d in dlg.details if d is not None and d.name == "Mia Chen")
    dlg.choose_keep(keep)
    list_reads = _list_reads(page)
    panel_reads = _counted(window.detail, "_fetch")
    today_reads = _counted(window.today, "refresh")
    with qtbot.waitSignal(dlg.merged):
        qtbot.mouseClick(dlg.merge_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert len(list_reads) == 1, "the list is read once"
    assert len(panel_reads) == 1, "the details read the customer kept once"
    assert today_reads == [], "Today, off screen, reads when next shown"
    assert [page.model.index(r, NAME).data() for r in range(page.model.rowCount())] == ["Mia Chen"]
    assert page.selected_customer_id() == keep
    assert window.detail.customer_id == keep
    assert window.detail.name_label.text() == "Mia Chen"
    window.show_page("today")
    settle(qtbot, window)
    assert len(today_reads) == 1
