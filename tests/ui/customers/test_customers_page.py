# mypy: disable-error-code="no-untyped-call"
"""The Customers page as an owner uses it: imported contacts found by a phone typed another
way, the existing person offered instead of a duplicate, two records merged into one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from deckfollow.core.models import Customer, FollowUp, Quote, Touch
from deckfollow.core.settings import save_setting
from deckfollow.exchange.csv_import import import_table
from deckfollow.exchange.csv_sniff import read_csv
from deckfollow.storage.database import Database
from deckfollow.ui.customers import (
    CustomersPage,
    CustomerTableModel,
    MergeDialog,
    NewCustomerDialog,
)
from deckfollow.ui.customers.model import COLUMNS, NAME, PHONE, SUBURB
from deckfollow.ui.features import install_features
from deckfollow.ui.main_window import MainWindow
from deckfollow.ui.new_lead import NewLeadDialog
from deckfollow.ui.operations import Operations
from tests.ui.waiting import settle

FIVE = (
    b"Name,Mobile Phone,E-mail Address,Company,Street,City,State,Postcode,Birthday\r\n"
    b"Mia Chen,0412 345 679,mia@example.com,,12 Darling St,Balmain,NSW,2041,1984-07-14\r\n"
    b"Tom Reid,0498 765 432,tom@reid.net,Reid Joinery,3 Mullens St,Rozelle,NSW,2039,\r\n"
    b"Priya Nair,0421 000 111,priya@nair.au,,,Glebe,NSW,2037,1990-02-01\r\n"
    b"Sam O'Neill,0400 222 333,,O'Neill Builders,,Leichhardt,NSW,2040,\r\n"
    b"Grace Wu,0433 444 555,grace@wu.id.au,,,Newtown,NSW,2042,\r\n"
)


def _customers(db: Database) -> int:
    with db.reading() as s:
        return int(
            s.execute(
                select(func.count(Customer.id)).where(Customer.deleted_at.is_(None))
            ).scalar_one()
        )


@pytest.fixture
def imported(db: Database, now: datetime) -> Database:
    """An Australian owner who has just imported five contacts (no quotes yet)."""
    with db.unit_of_work() as s:
        save_setting(s, "default_country", "AU")
        save_setting(s, "owner_timezone", "Australia/Sydney")
        plan = import_table(s, read_csv(FIVE), now=now)
    assert plan.imported == 5
    return db


@pytest.fixture
def window(qtbot: QtBot, imported: Database, now: datetime) -> MainWindow:
    win = MainWindow(imported, clock=lambda: now)
    qtbot.addWidget(win)
    install_features(win, imported, lambda: now)
    win.show()
    win.refresh()
    QApplication.processEvents()
    return win


def _open_customers(qtbot: QtBot, win: MainWindow) -> CustomersPage:
    go = next(a for a in win.menu("View").actions() if a.shortcut() == QKeySequence("Ctrl+4"))
    go.trigger()
    page = win.customers
    qtbot.waitUntil(lambda: win.stack.currentWidget() is page)
    return page


def test_an_imported_contact_is_found_by_a_phone_typed_another_way(
    qtbot: QtBot, window: MainWindow
) -> None:
    page = _open_customers(qtbot, window)
    assert page.model.rowCount() == 5
    assert page.count.text() == "5 customers"
    find = next(a for a in window.menu("View").actions() if a.text() == "&Find a quote…")
    find.trigger()  # Ctrl+F on the Customers page searches the customers
    assert window.stack.currentWidget() is page and page.search.hasFocus()
    qtbot.keyClicks(page.search, "+61412345679")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert page.model.index(0, NAME).data() == "Mia Chen"
    # The owner reads their own country's numbers the way they dial them.
    assert page.model.index(0, PHONE).data() == "0412 345 679"
    assert page.model.index(0, SUBURB).data() == "Balmain"
    assert page.count.text() == "1 of 5 customers"
    page.search.clear()
    qtbot.keyClicks(page.search, "412 345")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)

    # Enter in the search goes to the list; Enter on the row opens the details panel.
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert page.view.hasFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_Return)
    qtbot.waitUntil(window.detail_dock.isVisible)
    panel = window.detail
    settle(qtbot, window)  # the panel shows her once she is read
    assert panel.name_label.text() == "Mia Chen"
    values = {k: panel.fields[k] for k in ("street", "suburb", "region", "postcode", "birthday")}
    assert [w.text() for w in values.values()] == [  # type: ignore[union-attr]
        "12 Darling St",
        "Balmain",
        "NSW",
        "2041",
        "1984-07-14",
    ]
    assert panel.no_quote_label.isVisibleTo(panel)

    page.search.clear()
    qtbot.keyClicks(page.search, "nobody here")
    qtbot.waitUntil(lambda: page.model.rowCount() == 0)
    assert "Nobody matches" in page.count.text()


def test_headers_sort_in_the_database_and_the_model_keeps_qt_s_rules(
    qtbot: QtBot, window: MainWindow, qtmodeltester: ModelTester
) -> None:
    page = _open_customers(qtbot, window)
    names = lambda: [page.model.index(r, NAME).data() for r in range(page.model.rowCount())]  # noqa: E731
    assert names() == ["Grace Wu", "Mia Chen", "Priya Nair", "Sam O'Neill", "Tom Reid"]
    page.view.sortByColumn(SUBURB, Qt.SortOrder.DescendingOrder)
    assert names()[0] == "Tom Reid"  # Rozelle
    page.view.sortByColumn(1, Qt.SortOrder.AscendingOrder)  # company: blanks last
    assert names()[:2] == ["Sam O'Neill", "Tom Reid"]
    check: Callable[..., None] = qtmodeltester.check
    check(page.model, force_py=True)
    page.search.setText("nsw")
    page.apply_search()
    check(page.model, force_py=True)
    assert len(COLUMNS) == page.model.columnCount()


def test_ctrl_n_with_the_same_name_and_phone_offers_the_existing_person(
    qtbot: QtBot, window: MainWindow, imported: Database
) -> None:
    seen: dict[str, object] = {}

    def fill_in() -> None:
        dlg = QApplication.activeModalWidget()
        if not isinstance(dlg, NewLeadDialog):
            QTimer.singleShot(20, fill_in)
            return
        qtbot.keyClicks(dlg.name, "Mia Chen")
        qtbot.keyClicks(dlg.phone, "0412345679")
        dlg.job.setPlainText("A second deck at the back")
        qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(dlg.offer.use_buttons))  # checked on the database thread
        seen["offered"] = [b.text() for b in dlg.offer.use_buttons]
        seen["still open"] = dlg.isVisible()
        seen["customers before"] = _customers(imported)
        dlg.created.connect(lambda quote_id: seen.setdefault("quote", quote_id))
        qtbot.mouseClick(dlg.offer.use_buttons[0], Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, fill_in)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "quote" in seen)
    assert seen["offered"] == ["Use Mia Chen (0412 345 679, Balmain)"]
    assert seen["still open"] and seen["customers before"] == 5
    assert _customers(imported) == 5
    with imported.reading() as s:
        quote = s.get(Quote, seen["quote"])
        assert quote is not None
        assert quote.customer.display_name == "Mia Chen"
        assert quote.customer.email == "mia@example.com"  # the imported details stay
        # Their new enquiry is answered like any other: its first reply is planned at once.
        planned = s.scalars(select(FollowUp).where(FollowUp.quote_id == quote.id)).all()
        assert [f.reason.startswith("First reply") for f in planned] == [True]


def test_create_new_is_the_owners_choice_and_a_changed_detail_is_checked_again(
    qtbot: QtBot, imported: Database, now: datetime
) -> None:
    ops = Operations(imported)  # the window's database thread: the customer is saved there
    dlg = NewCustomerDialog(imported, clock=lambda: now)
    qtbot.addWidget(dlg)
    dlg.show()
    settle(qtbot, ops)
    qtbot.keyClicks(dlg.fields["display_name"], "Tom Reid")
    qtbot.keyClicks(dlg.fields["suburb"], "rozelle")
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, ops)
    assert dlg.offer.isVisible()
    assert [b.text() for b in dlg.offer.use_buttons] == ["Use Tom Reid (0498 765 432, Rozelle)"]
    assert "same name and suburb" in [w.text() for w in dlg.offer.findChildren(QLabel)]
    # Typing another suburb withdraws the offer: it was for the details as they were.
    qtbot.keyClicks(dlg.fields["suburb"], " north")
    assert not dlg.offer.isVisible()
    dlg.fields["suburb"].setText("Rozelle")  # type: ignore[union-attr]
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, ops)
    assert dlg.offer.isVisible()
    with qtbot.waitSignal(dlg.created):
        qtbot.mouseClick(dlg.offer.new_button, Qt.MouseButton.LeftButton)
    assert _customers(imported) == 6


def test_a_bad_detail_is_named_beside_its_field_and_nothing_is_saved(
    qtbot: QtBot, imported: Database, now: datetime
) -> None:
    ops = Operations(imported)  # the window's database thread: the customer is checked there
    dlg = NewCustomerDialog(imported, clock=lambda: now)
    qtbot.addWidget(dlg)
    dlg.show()
    assert not dlg.fields["display_name"].isEnabled()  # open once the owner's country is read
    settle(qtbot, ops)
    assert dlg.fields["country"].text() == "AU"  # type: ignore[union-attr]
    qtbot.keyClicks(dlg.fields["display_name"], "Ann Lee")
    qtbot.keyClicks(dlg.fields["birthday"], "1984-02-30")
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, ops)
    assert dlg.errors["birthday"].isVisible()
    assert "is not a date" in dlg.errors["birthday"].text()
    assert dlg.isVisible() and _customers(imported) == 5


def test_two_records_are_merged_in_the_gui(
    qtbot: QtBot, window: MainWindow, imported: Database, now: datetime
) -> None:
    # A lead typed in by hand before the import was checked: a second Mia.
    with imported.unit_of_work() as s:
        from deckfollow.core.leads import NewLead, add_lead

        lead = add_lead(s, NewLead(name="Mia C", email="mia.c@work.com", job="Pergola"), now=now)
    window.refresh()
    page = _open_customers(qtbot, window)
    qtbot.waitUntil(lambda: page.model.rowCount() == 6)
    page.search.setText("mia")
    page.apply_search()
    assert page.model.rowCount() == 2
    page.view.selectRow(0)
    page.view.selectionModel().select(
        page.model.index(1, 0),
        QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
    )
    assert page.merge_button.isEnabled()
    menu = page.context_menu()
    assert [a.text() for a in menu.actions() if a.text()] == [
        "Open details",
        "Merge…",
        "New customer…",
    ]
    assert not menu.actions()[0].isEnabled()  # two are selected: whose details?
    qtbot.mouseClick(page.merge_button, Qt.MouseButton.LeftButton)
    dlg = page.active_dialog
    assert isinstance(dlg, MergeDialog)
    settle(qtbot, window)
    names = {b.text() for b in dlg.keep_buttons}
    assert names == {"Keep Mia Chen (customer 1)", f"Keep Mia C (customer {lead.customer_id})"}
    dlg.choose_keep(1)
    assert dlg.cells[0]["Address"].text() or dlg.cells[1]["Address"].text()
    with qtbot.waitSignal(dlg.merged):
        qtbot.mouseClick(dlg.merge_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert page.model.index(0, NAME).data() == "Mia Chen"
    assert page.model.index(0, 5).data() == "1"  # the other record's lead came along
    settle(qtbot, window)
    assert window.detail.name_label.text() == "Mia Chen"
    said = window.statusBar().currentMessage()
    # How many follow-ups came along depends on what a new lead plans; the rest is fixed.
    assert said.startswith("Mia C merged into Mia Chen: 1 quote, 0 touches, ")
    assert said.endswith(" moved; filled in notes.")
    with imported.reading() as s:
        assert s.get(Quote, lead.quote_id).customer_id == 1  # type: ignore[union-attr]
        assert s.execute(select(func.count(Touch.id))).scalar_one() == 0
    assert _customers(imported) == 5


def test_a_long_list_is_read_a_page_at_a_time_and_a_new_customer_is_shown(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, qtmodeltester: ModelTester
) -> None:
    monkeypatch.setattr("deckfollow.ui.customers.model.PAGE", 2)
    page = _open_customers(qtbot, window)
    page.refresh()
    assert page.model.rowCount() == 2 and page.model.canFetchMore(QModelIndex())
    assert page.count.text() == "5 customers"
    # Checked apart from the view: a view attached before the checker fetches its next page
    # inside the reset's signal, which the checker would take for the model's doing.
    alone = CustomerTableModel()
    alone.set_loader(page._load)
    alone.reload()
    check: Callable[..., None] = qtmodeltester.check
    check(alone, force_py=True)
    assert alone.rowCount() == 5  # the checker read every page
    assert page.select_customer(5)  # Tom Reid, last by name: read on demand
    assert page.selected_customer_id() == 5
    dlg = page.new_customer()
    assert isinstance(dlg, NewCustomerDialog)
    settle(qtbot, window)
    qtbot.keyClicks(dlg.fields["display_name"], "Zara Young")
    qtbot.keyClicks(dlg.fields["phone_cell"], "0455 666 777")
    with qtbot.waitSignal(dlg.created) as sig:
        qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.selected_customer_id() == sig.args[0])
    assert page.count.text() == "6 customers"
    settle(qtbot, window)
    assert window.detail.name_label.text() == "Zara Young"


def test_the_customer_selected_on_the_page_is_the_one_moved_to_the_trash(
    qtbot: QtBot, window: MainWindow, imported: Database
) -> None:
    page = _open_customers(qtbot, window)
    page.search.setText("Tom")
    page.apply_search()
    assert page.selected_customer_id() == 2

    def yes() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, yes)
            return
        assert "Tom Reid" in box.text()
        box.button(QMessageBox.StandardButton.Yes).click()

    QTimer.singleShot(0, yes)
    window.trash_current_customer()
    qtbot.waitUntil(lambda: page.model.rowCount() == 0)
    assert _customers(imported) == 4
    assert "Tom Reid moved to the trash" in window.statusBar().currentMessage()


def test_merging_one_record_finds_the_other_by_typing_and_opens_only_once_read(
    qtbot: QtBot, imported: Database, now: datetime
) -> None:
    ops = Operations(imported)  # the window's database thread: both records are read there
    with imported.reading() as s:
        ids = {name: cid for name, cid in s.execute(select(Customer.display_name, Customer.id))}
    dlg = MergeDialog(imported, ids["Mia Chen"], clock=lambda: now)
    qtbot.addWidget(dlg)
    dlg.show()
    assert not dlg.pick_search.isEnabled() and not dlg.merge_button.isEnabled()
    settle(qtbot, ops)
    assert dlg.keep_buttons[0].text() == f"Keep Mia Chen (customer {ids['Mia Chen']})"
    assert dlg.pick_list.count() == 4  # everyone but Mia herself
    qtbot.keyClicks(dlg.pick_search, "tom")
    settle(qtbot, ops)
    assert [dlg.pick_list.item(i).text() for i in range(dlg.pick_list.count())] == [
        "Tom Reid (Rozelle, tom@reid.net)"
    ]
    dlg.pick_list.setCurrentRow(0)
    settle(qtbot, ops)
    assert dlg.keep_buttons[1].text() == f"Keep Tom Reid (customer {ids['Tom Reid']})"
    assert dlg.merge_button.isEnabled()
