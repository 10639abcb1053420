"""The quote list's search box and filters, typed into as a user would, on known customers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from deckfollow.core.board import load_quote_index
from deckfollow.core.enums import Basis, Channel, Stage
from deckfollow.core.followups import FollowUpPlan, schedule_follow_up
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.models import Quote
from deckfollow.core.pipeline import Close, close_quote, move_stage
from deckfollow.storage.database import Database
from deckfollow.ui.quote_list import QuoteListPage
from tests.conftest import Prebuilt

# name, phone (as a customer gives it), email, country, zone, quote number, job, amount
PEOPLE = [
    ("Grace Hopper", "0412 000 111", "grace@example.com", "AU", "Australia/Sydney",
     "Q-7001", "Hardwood deck, 30 m²", "18450.00"),
    ("Björn Lindqvist", "+44 7911 123456", "bjorn.l@example.co.uk", "GB", "Europe/London",
     "Q-7002", "Pergola — timber", "6200.50"),
    ("Ada Byron", "(212) 555-0143", "ada@analytical.example", "US", "America/New_York",
     "Q-7003", "Retaining wall — sleeper", "9100.00"),
    ("Zoë Tane", "021 555 0198", "zoe@kiwi.example", "NZ", "Pacific/Auckland",
     "Q-7004", "Pool fence — glass", None),
]  # fmt: skip


@pytest.fixture
def quote_ids(db: Database, now: datetime, prebuilt: Prebuilt) -> dict[str, int]:
    """The six quotes (made once per run, then copied into each test's database)."""
    return prebuilt.fill(db, ("quote search", now), lambda d: _quotes(d, now))


def _quotes(db: Database, now: datetime) -> dict[str, int]:
    ids: dict[str, int] = {}
    customers: dict[str, int] = {}
    with db.unit_of_work() as session:
        for i, (name, phone, email, country, tz, number, job, amount) in enumerate(PEOPLE):
            made = add_lead(
                session,
                NewLead(
                    name,
                    phone=phone,
                    email=email,
                    country=country,
                    timezone=tz,
                    job=job,
                    answered=True,
                ),
                now=now - timedelta(days=30 - i),
            )
            quote = session.get(Quote, made.quote_id)
            assert quote is not None
            quote.number = number
            quote.amount = Decimal(amount) if amount is not None else None
            ids[name] = made.quote_id
            customers[name] = made.customer_id
        move_stage(session, ids["Grace Hopper"], Stage.QUOTED, now=now)
        close_quote(session, ids["Ada Byron"], Close(Stage.WON), now=now)
        schedule_follow_up(
            session,
            customers["Zoë Tane"],  # she asked for the samples by email next week
            ids["Zoë Tane"],
            FollowUpPlan(
                now + timedelta(days=7, hours=1),
                Channel.EMAIL,
                "Send the glass samples she asked about",
                basis=Basis.AGREED,
                agreed_words="email me the samples next week",
            ),
            now=now,
        )
    return ids


@pytest.fixture
def page(qtbot: QtBot, db: Database, now: datetime, quote_ids: dict[str, int]) -> QuoteListPage:
    widget = QuoteListPage()
    qtbot.addWidget(widget)
    with db.reading() as session:
        widget.set_index(load_quote_index(session, now=now))
    widget.resize(1200, 500)
    widget.show()
    return widget


def _shown(page: QuoteListPage) -> list[str]:
    rows = (page.model.row_at(i) for i in range(page.model.rowCount()))
    return [r.customer for r in rows if r is not None]


def _typed(qtbot: QtBot, page: QuoteListPage, text: str) -> list[str]:
    """Clear the box, type `text` key by key, and return who is listed once it settles."""
    page.search.clear()
    if text.isascii():
        qtbot.keyClicks(page.search, text)  # type: ignore[no-untyped-call]
    else:
        # QTest can only synthesise ASCII keys; an input method delivers "ë" like this.
        page.search.insert(text)
    qtbot.waitUntil(lambda: page.model.filter.text == text)
    return _shown(page)


@pytest.mark.parametrize(
    ("typed", "who"),
    [
        ("grace", "Grace Hopper"),
        ("HOPPER", "Grace Hopper"),
        ("hopper deck", "Grace Hopper"),
        ("pergola", "Björn Lindqvist"),
        ("Q-7003", "Ada Byron"),
        ("q-7003", "Ada Byron"),
        ("ada@analytical", "Ada Byron"),
        ("example.co.uk", "Björn Lindqvist"),
        ("Zoë", "Zoë Tane"),
    ],
)
def test_search_finds_by_name_job_number_and_email(
    qtbot: QtBot, page: QuoteListPage, typed: str, who: str
) -> None:
    assert _typed(qtbot, page, typed) == [who]


@pytest.mark.parametrize(
    ("typed", "who"),
    [
        ("0412 000 111", "Grace Hopper"),  # as written on the van
        ("(0412) 000-111", "Grace Hopper"),
        ("+61 412 000 111", "Grace Hopper"),
        ("0412000111", "Grace Hopper"),
        ("07911 123456", "Björn Lindqvist"),  # UK mobile with its trunk 0
        ("+447911123456", "Björn Lindqvist"),
        ("212-555-0143", "Ada Byron"),
        ("(212) 555 0143", "Ada Byron"),
        ("212.555.0143", "Ada Byron"),
    ],
)
def test_search_finds_a_phone_however_it_is_formatted(
    qtbot: QtBot, page: QuoteListPage, typed: str, who: str
) -> None:
    assert _typed(qtbot, page, typed) == [who]


def test_a_search_that_matches_nobody_shows_an_empty_list_and_clearing_brings_all_back(
    qtbot: QtBot, page: QuoteListPage
) -> None:
    assert _typed(qtbot, page, "no such person") == []
    assert page.count.text() == "0 of 4 quotes"
    page.search.clear()
    qtbot.waitUntil(lambda: page.model.rowCount() == len(PEOPLE))
    assert page.count.text() == "4 quotes"


def test_stage_and_agreed_filters(qtbot: QtBot, page: QuoteListPage) -> None:
    page.stage.setCurrentText(Stage.WON.label)
    qtbot.waitUntil(lambda: page.model.filter.stages == frozenset({Stage.WON}))
    assert _shown(page) == ["Ada Byron"]

    page.stage.setCurrentIndex(1)  # open quotes: lead, quoted, following up
    qtbot.waitUntil(lambda: Stage.LEAD in (page.model.filter.stages or ()))
    assert sorted(_shown(page)) == ["Björn Lindqvist", "Grace Hopper", "Zoë Tane"]

    page.stage.setCurrentIndex(0)
    page.agreed.setChecked(True)
    qtbot.waitUntil(lambda: page.model.filter.agreed_only)
    assert _shown(page) == ["Zoë Tane"]
    # A filter and a search narrow together.
    assert _typed(qtbot, page, "grace") == []


def test_clicking_a_header_sorts_by_it_and_again_reverses(
    qtbot: QtBot, page: QuoteListPage
) -> None:
    header = page.view.horizontalHeader()

    def click(section: int) -> None:
        x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
        QTest.mouseClick(
            header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2)
        )

    click(0)  # Customer
    first = _shown(page)
    click(0)
    second = _shown(page)
    assert {tuple(first), tuple(second)} == {
        tuple(sorted(first, key=str.casefold)),
        tuple(sorted(first, key=str.casefold, reverse=True)),
    }
    assert first != second

    click(3)  # Amount
    amounts = [page.model.row_at(i).amount for i in range(page.model.rowCount())]  # type: ignore[union-attr]
    present = [a for a in amounts if a is not None]
    assert present in (sorted(present), sorted(present, reverse=True))
    assert amounts[-1] is None, "a quote without an amount sorts last"


def test_keyboard_only_search_then_enter_opens_the_quote(
    qtbot: QtBot, page: QuoteListPage, quote_ids: dict[str, int]
) -> None:
    opened: list[int] = []
    page.quote_activated.connect(opened.append)
    _typed(qtbot, page, "lindqvist")
    page.view.setFocus()
    qtbot.waitUntil(lambda: page.selected_quote_id() == quote_ids["Björn Lindqvist"])
    QTest.keyClick(page.view, Qt.Key.Key_Return)
    assert opened == [quote_ids["Björn Lindqvist"]]


@pytest.fixture(autouse=True)
def _english_locale() -> Iterator[None]:
    from PySide6.QtCore import QLocale

    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.Australia))
    yield
    QLocale.setDefault(before)
