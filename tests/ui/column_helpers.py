"""A small business of ordinary people, in a window the width the issue measured, with the
details panel open; and the list's column settings cleared around each test."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QTableView
from pytestqt.qtbot import QtBot

from deckfollow.core.customer_batch import NewCustomerAt, add_customers
from deckfollow.core.customers import NewCustomer
from deckfollow.core.quotes import NewQuote, QuoteEdit, create_quote
from deckfollow.core.settings import save_setting
from deckfollow.storage.database import Database
from deckfollow.ui.features import install_features
from deckfollow.ui.main_window import MainWindow

# (name, company, suburb, mobile, email, job, amount)
PEOPLE = [
    (
        "Aaliyah Rodriguez",
        None,
        "Marrickville",
        "0412 111 001",
        "aaliyah.rodriguez85@outlook.com",
        "Spotted gum deck out the back, about 20 m²",
        "12490.49",
    ),
    (
        "Alexandra Fitzgerald",
        "Fitzgerald Property Group",
        "Port Macquarie",
        "0412 111 002",
        "alexandra.fitzgerald@bigpond.com",
        "Pool fence — frameless glass, self-closing gate",
        "8750",
    ),
    (
        "Christopher Nguyen",
        None,
        "Parramatta",
        "0412 111 003",
        "chris.nguyen@gmail.com",
        "Pergola — louvred roof, attached to the house",
        None,
    ),
    (
        "Mia Chen",
        "Chen Rentals Pty Ltd",
        "Balmain",
        "0412 111 004",
        None,
        "Retaining wall — sandstone blocks, 1.2 m high",
        "4850",
    ),
    (
        "Łukasz Nowak",
        None,
        "Newtown",
        "0412 111 005",
        "lukasz.nowak@example.pl",
        "Composite deck and steps",
        "30289.22",
    ),
]
PANEL_WINDOW = (1400, 900)


@pytest.fixture(autouse=True)
def _no_remembered_columns() -> Iterator[None]:
    """Each test starts as a first run does: no widths the user gave, no saved header."""
    # And no details panel width saved by an earlier window.
    keys = ("customers/columns", "quotes/columns", "quotes/header", "main/state")
    for key in keys:
        QSettings().remove(key)
    yield
    for key in keys:
        QSettings().remove(key)


@pytest.fixture
def business(db: Database, now: datetime) -> Database:
    with db.unit_of_work() as s:
        for key, value in (
            ("default_country", "AU"),
            ("owner_timezone", "Australia/Sydney"),
            ("business_name", "Harbour Decks"),
        ):
            save_setting(s, key, value)
        ids, _ = add_customers(
            s,
            [
                NewCustomerAt(
                    NewCustomer(n, phone=p, email=e, company=c, suburb=sub, region="NSW"),
                    now - timedelta(days=30),
                )
                for n, c, sub, p, e, _job, _amount in PEOPLE
            ],
        )
        for cid, (*_rest, job, amount) in zip(ids, PEOPLE, strict=True):
            create_quote(
                s,
                NewQuote(
                    customer_id=cid,
                    fields=QuoteEdit(
                        number=f"Q-2026-{cid:05d}",
                        job=job,
                        amount=Decimal(amount) if amount else None,
                    ),
                ),
                now=now,
            )
    return db


@pytest.fixture
def window(qtbot: QtBot, business: Database, now: datetime) -> MainWindow:
    win = MainWindow(business, clock=lambda: now)
    qtbot.addWidget(win)
    install_features(win, business, lambda: now)
    win.resize(*PANEL_WINDOW)
    win.show()
    win.refresh()
    QApplication.processEvents()
    return win


def shown_width(view: QTableView) -> int:
    header = view.horizontalHeader()
    return sum(
        header.sectionSize(c) for c in range(header.count()) if not header.isSectionHidden(c)
    )


def whole(view: QTableView, column: int, text: str) -> bool:
    """The text fits its cell beside the cell's margins (Qt would otherwise cut it)."""
    size = view.horizontalHeader().sectionSize(column)
    return not view.horizontalHeader().isSectionHidden(column) and (
        view.fontMetrics().horizontalAdvance(text) + 8 <= size
    )
