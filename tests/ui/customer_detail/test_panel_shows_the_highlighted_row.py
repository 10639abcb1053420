# mypy: disable-error-code="no-untyped-call"
"""The details panel shows the person the list highlights, after every action: a lead
given to an existing customer from the Customers page, a quote moved to the trash, a
search cleared. Never two people side by side, each with a Stop contact button."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from deckfollow.core.due import DueItem
from deckfollow.core.enums import Channel
from deckfollow.core.leads import LeadCreated
from deckfollow.core.settings import save_setting
from deckfollow.core.trash import trash_quote
from deckfollow.storage.database import Database
from deckfollow.ui.customer_detail.panel import _EMPTY
from deckfollow.ui.customers.model import Answer, Ask
from deckfollow.ui.features import install_features
from deckfollow.ui.main_window import MainWindow
from deckfollow.ui.new_lead import NewLeadDialog
from deckfollow.ui.today_page import TodayPage
from tests.factories import new_lead
from tests.ui.waiting import settle

pytestmark = pytest.mark.usefixtures("first_run_layout")


@pytest.fixture
def people(db: Database, now: datetime) -> dict[str, LeadCreated]:
    """Three leads typed in from an empty database, each with a first reply due now."""
    with db.unit_of_work() as s:
        save_setting(s, "default_country", "AU")
        save_setting(s, "owner_timezone", "Australia/Sydney")
    return {
        "tom": new_lead(db, "Tom Bradley", phone="0412 345 679", job="Deck", now=now),
        "jack": new_lead(db, "Jack Harris", phone="0498 765 432", job="Pergola", now=now),
        "megan": new_lead(db, "Megan Ito", email="megan@ito.net", job="Steps", now=now),
    }


def _window(qtbot: QtBot, db: Database, now: datetime, page: str) -> MainWindow:
    window = MainWindow(db, clock=lambda: now)
    qtbot.addWidget(window)
    install_features(window, db, lambda: now)
    window.resize(1400, 900)
    window.show()
    window.refresh()
    settle(qtbot, window)
    window.show_page(page)
    settle(qtbot, window)
    window.detail_dock.show()
    settle(qtbot, window)
    return window


def _counted(owner: object, name: str) -> list[int]:
    """Count the calls of `owner.name` from now on (each is one read of its data)."""
    calls: list[int] = []
    original: Callable[..., None] = getattr(owner, name)

    def counting(*args: object, **kwargs: object) -> None:
        calls.append(1)
        original(*args, **kwargs)

    setattr(owner, name, counting)
    return calls


def _panel_shows(qtbot: QtBot, window: MainWindow) -> str | None:
    settle(qtbot, window)
    if window.detail.customer_id is None:
        return None
    return window.detail.name_label.text()


def _listed(today: TodayPage) -> list[DueItem]:
    """Today's follow-ups in the order it lists them."""
    found = [today.model.item(today.model.index_of(fid)) for fid in today.model.ids_in_order()]
    return [item for item in found if item is not None]


def _highlighted(window: MainWindow) -> str | None:
    page = window.customers
    index = page.view.currentIndex()
    if not index.isValid() or not page.view.selectionModel().isRowSelected(index.row()):
        return None
    row = page.model.row_at(index.row())
    return row.name if row is not None else None


def test_a_lead_for_an_existing_customer_added_on_customers_stays_on_them(
    qtbot: QtBot, db: Database, now: datetime, people: dict[str, LeadCreated]
) -> None:
    window = _window(qtbot, db, now, "customers")
    page = window.customers
    page.select_customer(people["megan"].customer_id)
    assert _panel_shows(qtbot, window) == "Megan Ito"

    # Ctrl+N with Tom's name and number: the dialog offers Tom rather than a second record.
    new = next(a for a in window.menu("File").actions() if a.text() == "&New lead…")
    new.trigger()
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), NewLeadDialog))
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, NewLeadDialog)
    qtbot.keyClicks(dialog.name, "Tom Bradley")
    qtbot.keyClicks(dialog.phone, "0412345679")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: bool(dialog.offer.use_buttons))
    settle(qtbot, window)
    list_reads: list[Ask] = []
    read = page._read_rows

    def counting(ask: Ask, answer: Answer) -> None:
        list_reads.append(ask)
        read(ask, answer)

    page.model.set_reader(counting)
    panel_reads = _counted(window.detail, "_fetch")
    assert dialog.offer.use_buttons[0].text().startswith("Use Tom Bradley")
    added: list[int] = []
    dialog.created.connect(added.append)
    dialog.offer.use_buttons[0].click()
    qtbot.waitUntil(lambda: bool(added))

    # The list highlights Tom and the panel shows him, with the lead just added.
    assert _panel_shows(qtbot, window) == "Tom Bradley"
    assert _highlighted(window) == "Tom Bradley"
    assert window.detail.customer_id == people["tom"].customer_id
    assert window.detail.quote_id == added[0]
    assert len(list_reads) == 1, "the list is read once"
    assert len(panel_reads) == 1, "the details read Tom once"


def test_clearing_the_search_keeps_the_person_found(
    qtbot: QtBot, db: Database, now: datetime, people: dict[str, LeadCreated]
) -> None:
    window = _window(qtbot, db, now, "customers")
    page = window.customers
    page.search.setText("megan")
    page.apply_search()  # as the next turn of the loop does
    settle(qtbot, window)
    assert _highlighted(window) == "Megan Ito"
    assert _panel_shows(qtbot, window) == "Megan Ito"

    page.search.clear()  # the box's clear button
    page.apply_search()
    settle(qtbot, window)
    assert page.model.rowCount() == 3
    assert _highlighted(window) == "Megan Ito"
    assert _panel_shows(qtbot, window) == "Megan Ito"


def test_clearing_the_search_keeps_the_person_found_further_down_a_long_list(
    qtbot: QtBot,
    db: Database,
    now: datetime,
    people: dict[str, LeadCreated],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("deckfollow.ui.customers.model.PAGE", 1)  # Tom comes after a page
    window = _window(qtbot, db, now, "customers")
    page = window.customers
    page.search.setText("tom")
    page.apply_search()
    settle(qtbot, window)
    assert _highlighted(window) == "Tom Bradley"

    page.search.clear()
    page.apply_search()
    settle(qtbot, window)
    assert _highlighted(window) == "Tom Bradley"
    assert _panel_shows(qtbot, window) == "Tom Bradley"


def test_a_search_that_finds_nobody_empties_the_panel(
    qtbot: QtBot, db: Database, now: datetime, people: dict[str, LeadCreated]
) -> None:
    window = _window(qtbot, db, now, "customers")
    window.customers.search.setText("zzz")
    window.customers.apply_search()
    settle(qtbot, window)
    assert _highlighted(window) is None
    assert _panel_shows(qtbot, window) is None
    assert window.detail.empty_label.text() == _EMPTY


def test_after_a_quote_is_trashed_the_panel_stays_on_its_customer_not_the_trash_message(
    qtbot: QtBot, db: Database, now: datetime, people: dict[str, LeadCreated]
) -> None:
    window = _window(qtbot, db, now, "today")
    today = window.today
    first = today.current_item()
    assert first is not None and first.customer == "Tom Bradley"
    assert _panel_shows(qtbot, window) == "Tom Bradley"

    with db.unit_of_work() as s:  # moved to the trash elsewhere (another window, the CLI)
        trash_quote(s, people["tom"].quote_id, now=now)
    window.refresh()  # F5
    settle(qtbot, window)
    item = today.current_item()
    assert item is not None and item.customer == "Jack Harris"
    # The details stay on the person they showed (their quote gone), until another row is
    # picked: never a blank "in the trash" beside Jack's row.
    assert _panel_shows(qtbot, window) == "Tom Bradley"
    today.tree.clicked.emit(today.model.index_of(item.follow_up_id))
    assert _panel_shows(qtbot, window) == "Jack Harris"


def test_after_cards_are_marked_mailed_today_moves_on_and_the_panel_stays_on_whom_was_acted_on(
    qtbot: QtBot, db: Database, now: datetime, tmp_path: Path
) -> None:
    from deckfollow.ui.cards import CardBatchDialog
    from tests.printing.data import seed
    from tests.ui.cards.rendering import ready

    seed(db, now)
    # Two and a half days on: Renée's, Zoë's and Łukasz's cards are due (Zoë has no address).
    window = _window(qtbot, db, now + timedelta(days=2.5), "today")
    today = window.today
    listed = _listed(today)
    cards = [i.customer for i in listed if i.channel is Channel.CARD]
    assert cards == ["Renée Müller", "Zoë Brown", "Łukasz Nowak"]
    renee = next(i for i in listed if i.customer == "Renée Müller")
    assert today.select_follow_up(renee.follow_up_id)
    assert _panel_shows(qtbot, window) == "Renée Müller"

    batch = next(a for a in window.menu("Tools").actions() if a.text().startswith("Cards to"))
    batch.trigger()
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), CardBatchDialog))
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, CardBatchDialog)
    ready(qtbot, dialog)  # read, checked and rendered (off the GUI thread)
    dialog.save_to(tmp_path / "week.pdf")  # saved to print: they can be marked as mailed
    settle(qtbot, window)
    dialog.mark_as_mailed()
    settle(qtbot, window)

    # The status line names whose cards were logged; Today moved on to the next piece of
    # work, and the details stay on Renée, the customer acted on, until a row is picked.
    said = window.statusBar().currentMessage()
    assert said.startswith("Logged 2 cards as mailed: Renée Müller and Łukasz Nowak.")
    item = today.current_item()
    assert item is not None and item.customer == "Zoë Brown"
    assert _panel_shows(qtbot, window) == "Renée Müller"
