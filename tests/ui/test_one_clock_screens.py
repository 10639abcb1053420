# mypy: disable-error-code="no-untyped-call"
"""One clock on the screens that still wrote a fixed 24-hour time: the snooze dialog's own
time field, asking permission's hours and time window, and the Reports page's "Figures as
of …" read as the user's locale reads a time ("9:00 AM" in the United States, "9:00 am" in
Australia, "09:00" in Britain); and Reports signs money as the business does, not as this
computer's locale would."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from deckfollow.core.customers import NewCustomer, add_customer
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.quotes import NewQuote, QuoteEdit, create_quote
from deckfollow.core.settings import save_setting
from deckfollow.storage.database import Database
from deckfollow.ui import formatting
from deckfollow.ui.consent.ask_permission import AskPermissionDialog
from deckfollow.ui.operations import Operations
from deckfollow.ui.reminders import SnoozeDialog
from deckfollow.ui.reports.page import ReportsPage
from tests.reminders.helpers import add_follow_up
from tests.ui.waiting import settle

SYD = ZoneInfo("Australia/Sydney")

LOCALES = [
    ("US", QLocale.Country.UnitedStates, "9:00\u202fAM"),
    ("AU", QLocale.Country.Australia, "9:00\u202fam"),
    ("GB", QLocale.Country.UnitedKingdom, "09:00"),
]


def _locale(country: str, territory: QLocale.Country) -> None:
    QLocale.setDefault(QLocale(QLocale.Language.English, territory))
    formatting.use_sensible_locale(country)  # as the app's start does


@pytest.mark.parametrize(("country", "territory", "nine"), LOCALES)
def test_the_snooze_dialogs_time_field_reads_the_locales_clock(
    qtbot: QtBot, db: Database, now: datetime, country: str, territory: QLocale.Country, nine: str
) -> None:
    _locale(country, territory)
    with db.unit_of_work() as s:
        save_setting(s, "owner_timezone", "Australia/Sydney")
    fid = add_follow_up(db, now, now + timedelta(days=1), name="Evening Eve")
    # The field starts two hours on: 9:00 in the morning on the owner's clock.
    start = datetime(2026, 11, 28, 7, tzinfo=SYD).astimezone(UTC)
    ops = Operations(db)  # the window's database thread: the owner's zone is read there
    dlg = SnoozeDialog(db, fid, clock=lambda: start)
    qtbot.addWidget(dlg)
    dlg.show()
    settle(qtbot, ops)
    assert formatting.clock_text(time(9)) == nine
    assert dlg.when.text() == f"Sat 28 Nov 2026 {nine}"
    # Typed in that clock, the time chosen is the one read.
    dlg.when.setTime(dlg.when.time().addSecs(5 * 3600))  # 2:00 PM / 14:00
    assert dlg.when.text().endswith(formatting.clock_text(time(14)))
    assert dlg.requested() == datetime(2026, 11, 28, 14, tzinfo=SYD)


def _business(db: Database, country: str, zone: str, when: datetime) -> None:
    """A business in `country` with a quote in its own currency and one in US dollars."""
    with db.unit_of_work() as s:
        save_setting(s, "business_name", "Harbour Decks")
        save_setting(s, "default_country", country)
        save_setting(s, "owner_timezone", zone)
        for name, amount, currency in (("Mia Chen", "4850", None), ("Bo Lang", "2000", "USD")):
            added = add_customer(s, NewCustomer(name), now=when)
            fields = QuoteEdit(job="Deck", amount=Decimal(amount), sent_on=date(2026, 12, 1))
            if currency is not None:
                fields = replace(fields, currency=currency)
            create_quote(s, NewQuote(customer_id=added.customer_id, fields=fields), now=when)


def _report(qtbot: QtBot, db: Database, when: datetime) -> ReportsPage:
    Operations(db)  # the window's database thread: the report is read there
    page = ReportsPage(db, clock=lambda: when)
    qtbot.addWidget(page)
    page.resize(1200, 900)
    with qtbot.waitSignal(page.report_ready, timeout=20_000):
        page.show()
        page.compute()
    return page


def _open_pipeline(page: ReportsPage) -> dict[str, str]:
    """The "open" figure for each currency the pipeline card offers."""
    shown = {}
    for i in range(page.pipeline.choice.count()):
        page.pipeline.choice.setCurrentIndex(i)
        shown[page.pipeline.choice.currentText()] = page.pipeline.figures[0].value.text()
    return shown


@pytest.mark.parametrize(
    ("computer", "nine", "business", "zone", "own"),
    [
        # An Australian business on an American computer: its dollars are plain "$", the
        # American ones "US$" (the computer's "$" is not the business's), times 12-hour.
        (LOCALES[0], "9:00\u202fAM", "AU", "Australia/Sydney", ("AUD", "$4,850  (1)")),
        # A British business on the same computer: its pounds, and US dollars named as such.
        (LOCALES[0], "9:00\u202fAM", "GB", "Europe/London", ("GBP", "£4,850  (1)")),
        # The Australian business on a British computer: 24-hour, its own dollars still "$".
        (LOCALES[2], "09:00", "AU", "Australia/Sydney", ("AUD", "$4,850  (1)")),
    ],
)
def test_reports_read_the_clock_and_sign_money_as_the_business_does(
    qtbot: QtBot,
    db: Database,
    computer: tuple[str, QLocale.Country, str],
    nine: str,
    business: str,
    zone: str,
    own: tuple[str, str],
) -> None:
    _locale(computer[0], computer[1])
    when = datetime(2026, 12, 5, 9, tzinfo=ZoneInfo(zone)).astimezone(UTC)
    _business(db, business, zone, when)
    page = _report(qtbot, db, when)
    assert page.status.text() == f"Figures as of 5 Dec {nine}"
    assert _open_pipeline(page) == {own[0]: own[1], "USD": "US$2,000  (1)"}


@pytest.mark.parametrize(("country", "territory", "nine"), LOCALES)
def test_asking_permission_reads_the_hours_and_times_in_the_locales_clock(
    qtbot: QtBot, db: Database, now: datetime, country: str, territory: QLocale.Country, nine: str
) -> None:
    _locale(country, territory)
    with db.unit_of_work() as s:
        lead = add_lead(s, NewLead("Mia Chen", phone="+61412345679", timezone=SYD.key), now=now)
    ops = Operations(db)  # the window's database thread: the customer is read there
    dlg = AskPermissionDialog(db, lead.customer_id, clock=lambda: now)
    qtbot.addWidget(dlg)
    dlg.show()
    settle(qtbot, ops)
    [hours] = [
        label.text()
        for label in dlg.findChildren(QLabel)
        if label.text().startswith("Their usual hours")
    ]
    # "weekdays 9:00 AM–8:00 PM", not the stored rule's "09:00-20:00" beside a 12-hour clock.
    assert f"{nine}\N{EN DASH}{formatting.clock_text(time(20))}" in hours, hours
    assert dlg.start.text() == formatting.clock_text(time(10))
    assert dlg.end.text() == formatting.clock_text(time(11))
