# mypy: disable-error-code="no-untyped-call"
"""Importing someone already known: the preview offers the existing customer (who gains the
details they lacked) or, ticked, creates a new one; nobody is duplicated silently."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from deckfollow.core.customers import NewCustomer, add_customer, customer_details
from deckfollow.core.models import Customer
from deckfollow.storage.database import Database
from deckfollow.ui.importer import ImportWizard
from deckfollow.ui.importer.wizard import PREVIEW_COLUMNS
from deckfollow.ui.operations import Operations
from tests.exchange.import_helpers import set_owner
from tests.ui.waiting import settle

FILE = (
    "Name,Mobile Phone,E-mail Address,City,Birthday\r\n"
    "Mia Chen,+61 412 345 679,mia@example.com,Balmain,1984-07-14\r\n"
    "Tom Reid,,tom@reid.net,Rozelle,\r\n"
    "Priya Nair,0421 000 111,priya@nair.au,Glebe,\r\n"
)


def _count(db: Database) -> int:
    with db.reading() as s:
        return int(s.scalar(select(func.count(Customer.id))) or 0)


def test_the_preview_offers_the_existing_customer_or_a_new_one(
    qtbot: QtBot, db: Database, now: datetime, tmp_path: Path
) -> None:
    set_owner(db)
    with db.unit_of_work() as s:
        mia = add_customer(s, NewCustomer(name="Mia Chen", phone="0412 345 679"), now=now)
        tom = add_customer(s, NewCustomer(name="Tom Reid", suburb="Rozelle"), now=now)
    path = tmp_path / "contacts.csv"
    path.write_text(FILE, encoding="utf-8")
    ops = Operations(db)  # the window's database thread: rows are checked and imported there
    wiz = ImportWizard(db, clock=lambda: now)
    qtbot.addWidget(wiz)
    wiz.open_file(path)
    wiz.show()
    wiz.next()
    settle(qtbot, ops)
    wiz.next()
    settle(qtbot, ops)
    page = wiz.preview_page
    assert wiz.currentPage() is page
    model = page.model
    rows = {model.text(i, 2): i for i in range(model.rowCount())}
    problems = len(PREVIEW_COLUMNS) - 1
    assert model.text(rows["Mia Chen"], 1) == "Use Mia Chen (0412 345 679)"
    assert "adds their email, suburb or city, birthday" in model.text(rows["Mia Chen"], problems)
    assert model.text(rows["Tom Reid"], 1) == "Use Tom Reid (Rozelle)"
    assert model.text(rows["Priya Nair"], 1) == "Import"
    assert page.summary.text() == "1 to import · 2 already there (2 gain details)"

    # Tom in the file is another Tom Reid of Rozelle: the owner unticks "Use Tom Reid".
    tick = model.index(rows["Tom Reid"], 1)
    assert model.flags(tick) & Qt.ItemFlag.ItemIsUserCheckable
    assert model.data(tick, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert model.setData(tick, Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole)
    assert model.text(rows["Tom Reid"], 1) == "Create new"
    assert page.summary.text() == "2 to import · 1 already there (1 gains details)"
    assert wiz.buttonText(QWizard.WizardButton.CommitButton) == "Import 2 customers"
    wiz.next()
    settle(qtbot, ops)
    assert wiz.currentPage() is wiz.summary_page
    assert "1 existing customer gained details they lacked" in wiz.summary_page.result.text()

    assert _count(db) == 4  # Mia was used, Tom and Priya added
    with db.reading() as s:
        d = customer_details(s, mia.customer_id)
        assert customer_details(s, tom.customer_id).email is None  # the other Tom's stays his
    assert (d.email, d.suburb, str(d.birthday)) == ("mia@example.com", "Balmain", "1984-07-14")
    assert d.phone_cell == "+61412345679"
