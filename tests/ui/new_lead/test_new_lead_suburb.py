# mypy: disable-error-code="no-untyped-call"
"""The New lead dialog's suburb: Li Wei of Glebe with a new number is offered as the Li Wei
already a customer, not entered twice; Li Wei of another suburb is someone new; Li Wei with
no suburb and another number is asked about once, adding them anew the default."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from deckfollow.core.models import Customer, FollowUp, Quote
from deckfollow.core.settings import save_setting
from deckfollow.exchange.csv_import import import_table
from deckfollow.exchange.csv_sniff import read_csv
from deckfollow.storage.database import Database
from deckfollow.ui.features import install_features
from deckfollow.ui.main_window import MainWindow
from deckfollow.ui.new_lead import NewLeadDialog
from deckfollow.ui.operations import Operations
from tests.ui.waiting import settle

CONTACTS = (
    b"Name,Mobile Phone,E-mail Address,City,State\r\n"
    b"Li Wei,0412 345 679,,Glebe,NSW\r\n"
    b"Tom Reid,0498 765 432,tom@reid.net,Rozelle,NSW\r\n"
)


def _people(db: Database) -> list[tuple[str, str | None, str | None, str | None]]:
    with db.reading() as s:
        rows = s.execute(
            select(Customer.display_name, Customer.suburb, Customer.phone_cell, Customer.timezone)
            .where(Customer.deleted_at.is_(None))
            .order_by(Customer.id)
        )
        return [(n, sub, p, z) for n, sub, p, z in rows]


@pytest.fixture
def imported(db: Database, now: datetime) -> Database:
    """An Australian owner who has imported Li Wei of Glebe (and Tom Reid)."""
    with db.unit_of_work() as s:
        save_setting(s, "default_country", "AU")
        save_setting(s, "owner_timezone", "Australia/Sydney")
        assert import_table(s, read_csv(CONTACTS), now=now).imported == 2
    return db


def _dialog(qtbot: QtBot, db: Database, now: datetime) -> tuple[NewLeadDialog, Operations]:
    ops = Operations(db)
    dlg = NewLeadDialog(ops, clock=lambda: now)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg, ops


def test_ctrl_n_li_wei_of_glebe_with_a_new_number_offers_the_li_wei_already_known(
    qtbot: QtBot, imported: Database, now: datetime
) -> None:
    win = MainWindow(imported, clock=lambda: now)
    qtbot.addWidget(win)
    install_features(win, imported, lambda: now)
    win.show()
    win.refresh()
    QApplication.processEvents()
    seen: dict[str, object] = {}

    def fill_in() -> None:
        dlg = QApplication.activeModalWidget()
        if not isinstance(dlg, NewLeadDialog):
            QTimer.singleShot(20, fill_in)
            return
        qtbot.keyClicks(dlg.name, "Li Wei")
        qtbot.keyClicks(dlg.phone, "0498 111 222")
        qtbot.keyClicks(dlg.suburb, " glebe")  # typed as people type it
        dlg.job.setPlainText("Replace the rotten deck boards")
        qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(dlg.offer.use_buttons))  # checked on the database thread
        seen["offered"] = [b.text() for b in dlg.offer.use_buttons]
        seen["why"] = dlg.offer.use_buttons[0].toolTip()
        seen["people while offered"] = _people(imported)
        dlg.created.connect(lambda quote_id: seen.setdefault("quote", quote_id))
        qtbot.mouseClick(dlg.offer.use_buttons[0], Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, fill_in)
    qtbot.keyClick(win, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "quote" in seen)
    assert seen["offered"] == ["Use Li Wei (0412 345 679, Glebe)"]
    assert seen["why"] == "same name and suburb as what you typed"
    before = [
        ("Li Wei", "Glebe", "+61412345679", "Australia/Sydney"),
        ("Tom Reid", "Rozelle", "+61498765432", "Australia/Sydney"),
    ]
    assert seen["people while offered"] == before
    # Using them adds no customer: the lead is the known Li Wei's, and the new number theirs.
    assert _people(imported) == before
    with imported.reading() as s:
        quote = s.get(Quote, seen["quote"])
        assert quote is not None
        assert quote.customer.display_name == "Li Wei"
        assert quote.customer.phone_office == "+61498111222"
        planned = s.scalars(select(FollowUp).where(FollowUp.quote_id == quote.id)).all()
        assert [f.reason for f in planned] == [
            "First reply to their enquiry about replace the rotten deck boards"
        ]
    settle(qtbot, win)


def test_li_wei_of_another_suburb_is_added_as_someone_new_who_lives_there(
    qtbot: QtBot, imported: Database, now: datetime
) -> None:
    dlg, ops = _dialog(qtbot, imported, now)
    qtbot.keyClicks(dlg.name, "Li Wei")
    qtbot.keyClicks(dlg.phone, "0498 111 222")
    qtbot.keyClicks(dlg.suburb, "Perth")
    with qtbot.waitSignal(dlg.created):
        qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert not dlg.offer.isVisible()
    # Where they live sets the hours they are called in (Perth is two or three hours behind).
    assert _people(imported)[2] == ("Li Wei", "Perth", "+61498111222", "Australia/Perth")
    settle(qtbot, ops)


def test_changing_the_suburb_withdraws_the_offer_and_create_new_adds_them(
    qtbot: QtBot, imported: Database, now: datetime
) -> None:
    dlg, ops = _dialog(qtbot, imported, now)
    qtbot.keyClicks(dlg.name, "Li Wei")
    qtbot.keyClicks(dlg.suburb, "Glebe")
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dlg.offer.use_buttons))
    assert dlg.offer.isVisible()
    # The offer matched the suburb as it was; one typed anew is checked anew.
    qtbot.keyClicks(dlg.suburb, " North")
    assert not dlg.offer.isVisible()
    with qtbot.waitSignal(dlg.created):
        qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert [p[:2] for p in _people(imported)] == [
        ("Li Wei", "Glebe"),
        ("Tom Reid", "Rozelle"),
        ("Li Wei", "Glebe North"),
    ]
    settle(qtbot, ops)


def test_create_new_adds_a_second_li_wei_of_glebe_when_the_owner_says_so(
    qtbot: QtBot, imported: Database, now: datetime
) -> None:
    dlg, ops = _dialog(qtbot, imported, now)
    qtbot.keyClicks(dlg.name, "Li Wei")
    qtbot.keyClicks(dlg.suburb, "Glebe")
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dlg.offer.use_buttons))
    with qtbot.waitSignal(dlg.created):
        qtbot.mouseClick(dlg.offer.new_button, Qt.MouseButton.LeftButton)
    assert [p[:2] for p in _people(imported)][-1] == ("Li Wei", "Glebe")
    assert len(_people(imported)) == 3
    settle(qtbot, ops)


def test_a_suburb_too_long_is_named_beside_its_field(
    qtbot: QtBot, imported: Database, now: datetime
) -> None:
    dlg, ops = _dialog(qtbot, imported, now)
    qtbot.keyClicks(dlg.name, "Ann Lee")
    dlg.suburb.setText("x" * 101)
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dlg.field_errors["suburb"].isVisible)
    assert "101 characters" in dlg.field_errors["suburb"].text()
    assert dlg.focusWidget() is dlg.suburb
    assert len(_people(imported)) == 2
    settle(qtbot, ops)


def test_a_namesake_is_asked_about_and_enter_adds_someone_new(
    qtbot: QtBot, imported: Database, now: datetime
) -> None:
    dlg, ops = _dialog(qtbot, imported, now)
    qtbot.keyClicks(dlg.name, "li wei")
    qtbot.keyClicks(dlg.phone, "0498 111 222")
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dlg.offer.use_buttons))
    assert dlg.offer.title.text() == (
        "Someone with this name is already a customer. The same person?"
    )
    assert [b.text() for b in dlg.offer.use_buttons] == ["Use Li Wei (0412 345 679, Glebe)"]
    assert dlg.offer.use_buttons[0].toolTip() == "same name, other details as what you typed"
    assert len(_people(imported)) == 2  # nothing added while asking
    # Only the name in common: Return adds them as someone new.
    assert dlg.offer.new_button.isDefault()
    with qtbot.waitSignal(dlg.created):
        qtbot.keyClick(dlg.offer.new_button, Qt.Key.Key_Return)
    assert [p[:3] for p in _people(imported)][-1] == ("li wei", None, "+61498111222")
    settle(qtbot, ops)


def test_use_files_the_lead_under_the_namesake_already_known(
    qtbot: QtBot, imported: Database, now: datetime
) -> None:
    dlg, ops = _dialog(qtbot, imported, now)
    qtbot.keyClicks(dlg.name, "Li Wei")
    qtbot.keyClicks(dlg.email, "li.wei@example.com")
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dlg.offer.use_buttons))
    with qtbot.waitSignal(dlg.created) as made:
        qtbot.mouseClick(dlg.offer.use_buttons[0], Qt.MouseButton.LeftButton)
    assert len(_people(imported)) == 2
    with imported.reading() as s:
        quote = s.scalars(select(Quote).where(Quote.id == made.args[0])).one()
        assert quote.customer.display_name == "Li Wei"
    settle(qtbot, ops)
