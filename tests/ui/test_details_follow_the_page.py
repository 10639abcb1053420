# mypy: disable-error-code="no-untyped-call"
"""The details panel shows whom the page on screen has selected: Today's selected follow-up
(from the first rows shown, and as the selection moves), each page's own choice when the
user comes back to it, and nobody on a page that selects nobody."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from deckfollow.core.consent import revoke_consent
from deckfollow.core.leads import LeadCreated, NewLead, add_lead
from deckfollow.core.models import Customer
from deckfollow.storage.database import Database
from deckfollow.ui.customer_detail.panel import _EMPTY
from deckfollow.ui.features import install_features
from deckfollow.ui.main_window import MainWindow
from tests.ui.waiting import wait_idle

SYD = "Australia/Sydney"


pytestmark = pytest.mark.usefixtures("first_run_layout")


@pytest.fixture
def leads(db: Database, now: datetime) -> tuple[LeadCreated, LeadCreated]:
    """Two new leads, each with a first reply due now: Mia at the top of Today, then Bo."""
    with db.unit_of_work() as s:
        mia = add_lead(s, NewLead("Mia Chen", phone="+61412345679", timezone=SYD), now=now)
        bo = add_lead(s, NewLead("Bo Lang", phone="+61413222333", timezone=SYD), now=now)
    return mia, bo


def _start(qtbot: QtBot, db: Database, now: datetime) -> MainWindow:
    window = MainWindow(db, clock=lambda: now)
    qtbot.addWidget(window)
    install_features(window, db, lambda: now)
    window.resize(1400, 900)
    window.show()
    window.show_page("today")
    window.refresh()
    wait_idle(window)
    wait_idle(window)
    return window


def _shows(window: MainWindow) -> int | None:
    """Whom the panel shows, once what it was asked to read is in."""
    wait_idle(window)
    assert window.detail.empty_label.isHidden() == (window.detail.customer_id is not None)
    return window.detail.customer_id


def test_the_details_open_beside_today_show_its_selected_follow_up_and_follow_it(
    qtbot: QtBot, db: Database, now: datetime, leads: tuple[LeadCreated, LeadCreated]
) -> None:
    mia, bo = leads
    # Yesterday the owner worked with the details open: the window opens with them again.
    first = _start(qtbot, db, now)
    first.detail_dock.show()
    wait_idle(first)
    first.close()

    window = _start(qtbot, db, now)
    assert window.detail_dock.isVisible()
    item = window.today.current_item()
    assert item is not None and item.customer_id == mia.customer_id
    assert window.today.who.text().startswith("Mia Chen")
    # Not "Select a quote or a customer…" while Today has Mia selected.
    assert _shows(window) == mia.customer_id

    # The owner moves down to Bo: the panel moves with Today's own.
    tree = window.today.tree
    tree.setCurrentIndex(window.today.model.index_of(window.today.model.ids_in_order()[1]))
    assert window.today.who.text().startswith("Bo Lang")
    assert _shows(window) == bo.customer_id
    # And back up.
    tree.setCurrentIndex(window.today.model.index_of(window.today.model.ids_in_order()[0]))
    assert _shows(window) == mia.customer_id

    # Mia asks not to be contacted: her follow-up leaves Today, which moves on to Bo. The
    # panel stays on Mia, the customer acted on, until the owner picks Bo's row.
    with db.unit_of_work() as s:
        revoke_consent(s, mia.customer_id, None, source="call", words="Please stop", now=now)
    window.refresh()
    wait_idle(window)
    item = window.today.current_item()
    assert item is not None and item.customer_id == bo.customer_id
    assert _shows(window) == mia.customer_id
    window.today.tree.clicked.emit(window.today.model.index_of(item.follow_up_id))
    assert _shows(window) == bo.customer_id


def test_a_page_without_a_selection_shows_nobody_and_each_page_gets_its_own_back(
    qtbot: QtBot, db: Database, now: datetime, leads: tuple[LeadCreated, LeadCreated]
) -> None:
    mia, bo = leads
    window = _start(qtbot, db, now)
    window.detail_dock.show()
    assert _shows(window) == mia.customer_id  # Today's selected follow-up

    # The Pipeline, where no card was chosen yet: nobody, not Today's Mia.
    window.show_page("board")
    assert _shows(window) is None
    assert window.detail.empty_label.text() == _EMPTY
    # Reports select nobody at all.
    window.show_page("reports")
    assert _shows(window) is None

    # On Quotes the owner picks Bo.
    window.show_page("quotes")
    wait_idle(window)
    assert window.quotes.select_quote(bo.quote_id)
    assert _shows(window) == bo.customer_id
    # Back on Today: Today's own selection, Mia.
    window.show_page("today")
    assert _shows(window) == mia.customer_id
    # Back on Quotes: Bo again, the row still highlighted there.
    window.show_page("quotes")
    assert window.quotes.selected_quote_id() == bo.quote_id
    assert _shows(window) == bo.customer_id

    # On the Pipeline the owner clicks Mia's card; away and back, it is still hers.
    window.show_page("board")
    assert window.board.select_quote(mia.quote_id)
    column = next(c for c in window.board.columns.values() if c.model.row_of(mia.quote_id) >= 0)
    column.view.clicked.emit(column.model.index(column.model.row_of(mia.quote_id)))
    assert _shows(window) == mia.customer_id
    window.show_page("quotes")
    assert _shows(window) == bo.customer_id
    window.show_page("board")
    assert _shows(window) == mia.customer_id
    window.show_page("reports")
    assert _shows(window) is None

    # Closed and opened again on a page without a selection: still nobody.
    window.detail_dock.hide()
    window.detail_dock.show()
    assert _shows(window) is None


def test_details_typed_and_not_saved_stay_until_saved_or_reverted(
    qtbot: QtBot, db: Database, now: datetime, leads: tuple[LeadCreated, LeadCreated]
) -> None:
    mia, bo = leads
    window = _start(qtbot, db, now)
    window.detail_dock.show()
    assert _shows(window) == mia.customer_id
    email = window.detail.fields["email"]
    assert isinstance(email, QLineEdit)
    assert email.text() == ""
    qtbot.keyClicks(email, "mia@chen.example")

    # The owner moves down to Bo before saving: the panel keeps Mia and what was typed, and
    # says why it has not moved.
    tree = window.today.tree
    tree.setCurrentIndex(window.today.model.index_of(window.today.model.ids_in_order()[1]))
    assert _shows(window) == mia.customer_id
    assert email.text() == "mia@chen.example"
    assert "changes to Mia Chen" in window.detail.contact_error.text()
    # A page that selects nobody does not drop them either.
    window.show_page("reports")
    assert _shows(window) == mia.customer_id
    assert email.text() == "mia@chen.example"

    # Saved: Mia's email is kept, and the panel goes on to where the owner went.
    window.detail.save_button.click()
    assert _shows(window) is None
    with db.reading() as s:
        assert s.get(Customer, mia.customer_id).email == "mia@chen.example"  # type: ignore[union-attr]

    # Revert lets go of what was typed and moves on at once.
    window.show_page("today")
    assert _shows(window) == bo.customer_id
    qtbot.keyClicks(window.detail.fields["email"], "bo@typo")
    tree.setCurrentIndex(window.today.model.index_of(window.today.model.ids_in_order()[0]))
    assert _shows(window) == bo.customer_id
    window.detail.revert_button.click()
    assert _shows(window) == mia.customer_id
    assert window.detail.contact_error.text() == ""
