"""Finding a customer among 20,000: the core's SQL search against a bare sqlite3 query.

The baseline reads the same columns of the same customers with one plain sqlite3 SELECT
(no open-quote count, no last touch, no phone matching); the ratio says what the search's
joins and matching cost. The keystroke figure types into the real Customers page.
"""

from __future__ import annotations

import sqlite3
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from deckfollow.core.customer_search import CustomerSort, search_customers
from deckfollow.core.enums import Channel, Direction, Outcome, Stage
from deckfollow.core.models import Customer, Quote, Touch
from deckfollow.exchange.csv_import import import_table
from deckfollow.exchange.csv_sniff import read_csv
from deckfollow.storage.database import Database
from deckfollow.ui.operations import Operations
from tests.bench.report import median_seconds, record
from tests.exchange.import_helpers import contacts_csv, set_owner

pytestmark = pytest.mark.bench

CUSTOMERS = 20_000


@pytest.fixture
def big(db: Database, now: datetime) -> Database:
    set_owner(db)
    with db.unit_of_work() as s:
        plan = import_table(s, read_csv(contacts_csv(CUSTOMERS)), now=now)
        assert plan.imported == CUSTOMERS
        ids = list(s.scalars(select(Customer.id)))
        quotes = [
            {
                "customer_id": cid,
                "job": "Deck",
                "stage": Stage.FOLLOWING_UP if n % 3 else Stage.WON,
                "currency": "AUD",
                "received_at": now,
                "stage_changed_at": now,
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
            for n, cid in enumerate(ids[::2])
        ]
        s.execute(insert(Quote), quotes)
        touches = [
            {
                "customer_id": cid,
                "at": now - timedelta(hours=n % 5000),
                "channel": Channel.CALL,
                "direction": Direction.OUTBOUND,
                "outcome": Outcome.REACHED,
                "created_at": now,
            }
            for n, cid in enumerate(ids * 3)
        ]
        s.execute(insert(Touch), touches)
    return db


def _bare(path: Path) -> float:
    con = sqlite3.connect(path)

    def everyone() -> None:
        con.execute(
            "SELECT id, display_name, company, suburb, region, phone_cell, email "
            "FROM customer WHERE deleted_at IS NULL ORDER BY lower(display_name), id"
        ).fetchall()

    took = median_seconds(everyone)
    con.close()
    return took


def test_search_20k_customers(big: Database, db_path: Path) -> None:
    def run(text: str, sort: CustomerSort = CustomerSort.NAME, desc: bool = False) -> int:
        with big.reading() as s:
            return len(search_customers(s, text, sort=sort, descending=desc))

    assert run("") == CUSTOMERS
    assert run("0400 123 000") == 1
    everyone = median_seconds(lambda: run(""))
    floor = _bare(db_path)
    phone = median_seconds(lambda: run("0400 123 000"))
    words = median_seconds(lambda: run("smith newtown"))
    cold = median_seconds(lambda: run("", CustomerSort.LAST_TOUCH, True))
    record(
        "customers",
        f"all {CUSTOMERS} customers, by name, with quotes and last touch",
        everyone,
        "s",
    )
    record("customers", "bare sqlite3 SELECT of the same customers", floor, "s")
    record("customers", "customer list / bare baseline", everyone / floor, "x")
    record("customers", "search by a phone typed with spaces", phone, "s")
    record("customers", "search by two words (name and suburb)", words, "s")
    record("customers", "everyone sorted by last touch, latest first", cold, "s")


def test_typing_into_the_customers_page(big: Database, qtbot: object, now: datetime) -> None:
    from PySide6.QtWidgets import QApplication
    from pytestqt.qtbot import QtBot

    from deckfollow.ui.customers import CustomersPage

    assert isinstance(qtbot, QtBot)
    page = CustomersPage(Operations(big), clock=lambda: now)
    qtbot.addWidget(page)
    page.resize(1200, 800)

    def rows_in() -> None:
        # The rows asked for are read on the database thread: until they are shown.
        while page.model.is_reading():
            QApplication.processEvents()
            time.sleep(0.0005)

    started = time.perf_counter()
    page.show()
    QApplication.processEvents()
    rows_in()
    page.view.repaint()
    shown = time.perf_counter() - started
    assert page.matching == CUSTOMERS
    samples = []
    for key in "0400 12":
        started = time.perf_counter()
        qtbot.keyClick(page.search, key)  # type: ignore[no-untyped-call]
        page.apply_search()
        rows_in()
        page.view.repaint()
        samples.append(time.perf_counter() - started)
    qtbot.waitUntil(lambda: 0 < page.matching < CUSTOMERS)
    samples.sort()
    assert big.path is not None
    bare = _bare_keystrokes(big.path, "0400 12")
    record("customers", f"Customers page shown with {CUSTOMERS} customers", shown, "s")
    record(
        "customers",
        "one keystroke in its search, read on the database thread and painted (median)",
        samples[len(samples) // 2],
        "s",
        "< 0.1 s",
    )
    record("customers", "bare sqlite3 LIKE on name, email and phone, first 201 rows", bare, "s")
    record("customers", "keystroke / bare query", samples[len(samples) // 2] / bare, "x")
    # A name typed fast without accents: "muller" finds every Müller.
    page.search.clear()
    page.apply_search()
    rows_in()
    words = []
    for key in "muller":
        started = time.perf_counter()
        qtbot.keyClick(page.search, key)  # type: ignore[no-untyped-call]
        page.apply_search()
        rows_in()
        page.view.repaint()
        words.append(time.perf_counter() - started)
    words.sort()
    qtbot.waitUntil(lambda: page.matching < CUSTOMERS)  # counted once typing pauses
    record(
        "customers",
        "one keystroke of a name typed without accents (median)",
        words[len(words) // 2],
        "s",
        "< 0.1 s",
    )
    record("customers", 'customers found by "muller"', page.matching, "")


def _bare_keystrokes(path: Path, typed: str) -> float:
    """The median time of the plainest query that answers the same keystrokes."""
    con = sqlite3.connect(path)
    times = []
    for n in range(1, len(typed) + 1):
        like = f"%{typed[:n].replace(' ', '').lstrip('0') or '0'}%"
        started = time.perf_counter()
        con.execute(
            "SELECT id, display_name, company, suburb, phone_cell, email FROM customer "
            "WHERE deleted_at IS NULL AND (display_name LIKE ? OR email LIKE ? "
            "OR phone_cell LIKE ?) ORDER BY lower(display_name), id LIMIT 201",
            (like, like, like),
        ).fetchall()
        times.append(time.perf_counter() - started)
    con.close()
    return sorted(times)[len(times) // 2]


def test_scrolling_the_customers_page(big: Database, qtbot: object, now: datetime) -> None:
    """Scrolled a screenful per frame (60 a second: Page Down held is half that) through
    20,000 customers: how often the list stood at the end of the rows read while more were
    still being read (what a user would see as a pause), and the GUI thread's busiest frame
    (scrolling, painting, and taking in rows that arrived)."""
    from PySide6.QtCore import QModelIndex
    from PySide6.QtWidgets import QApplication
    from pytestqt.qtbot import QtBot

    from deckfollow.ui.customers import CustomersPage

    assert isinstance(qtbot, QtBot)
    page = CustomersPage(Operations(big), clock=lambda: now)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    qtbot.waitUntil(lambda: page.model.rowCount() > 0 and not page.model.is_reading())
    bar = page.view.verticalScrollBar()
    frames, at_the_end = 0, 0
    busy: list[float] = []
    started_all = time.perf_counter()
    while page.model.rowCount() < 4_000 and frames < 2_000:
        started = time.perf_counter()
        bar.setValue(bar.value() + bar.pageStep())
        page.view.viewport().repaint()
        spent = time.perf_counter() - started
        # The rest of the frame: answers from the database thread are taken in meanwhile.
        until = started + 1 / 60
        while time.perf_counter() < until:
            began = time.perf_counter()
            QApplication.processEvents()
            spent += time.perf_counter() - began
            time.sleep(0.001)
        busy.append(spent)
        frames += 1
        if bar.value() >= bar.maximum() and page.model.canFetchMore(QModelIndex()):
            at_the_end += 1
    took = time.perf_counter() - started_all
    assert page.model.rowCount() >= 4_000
    busy.sort()
    record("customers", "scrolling to 4,000 rows a screenful a frame: frames", frames, "")
    record("customers", "scrolling: frames that stood at the end of the rows read", at_the_end, "")
    record("customers", "scrolling: time to 4,000 rows", took, "s")
    record(
        "customers",
        "scrolling: GUI thread busy per frame (median)",
        busy[len(busy) // 2] * 1000,
        "ms",
    )
    record("customers", "scrolling: GUI thread busiest frame", busy[-1] * 1000, "ms")
