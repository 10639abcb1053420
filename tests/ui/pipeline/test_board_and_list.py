"""The pipeline board, the quote list and Today, driven as a user would, offscreen."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import QDate, QModelIndex, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from deckfollow.core.enums import CadenceRunStatus, FollowUpStatus, Stage
from deckfollow.core.models import Cadence, CadenceRun, FollowUp, Quote
from deckfollow.demo.generator import generate_demo
from deckfollow.storage.database import Database
from deckfollow.ui.board.stage_dialogs import LostReasonDialog, ParkUntilDialog
from deckfollow.ui.main_window import MainWindow
from tests.conftest import Prebuilt
from tests.ui.waiting import wait_for, wait_idle


def _demo(db: Database, now: datetime) -> None:
    with db.unit_of_work() as session:
        from deckfollow.core.cadence_library import seed_builtin_cadences

        seed_builtin_cadences(session)
        generate_demo(session, customers=60, quotes=150, seed=11, now=now, country="AU")


@pytest.fixture
def window(qtbot: QtBot, db: Database, now: datetime, prebuilt: Prebuilt) -> MainWindow:
    prebuilt.fill(db, ("board demo", now), lambda d: _demo(d, now))
    win = MainWindow(db, clock=lambda: now)
    qtbot.addWidget(win)
    win.show()
    win.refresh()
    wait_idle(win)  # the quotes are read on the database thread
    return win


def _when_modal(act: Callable[[object], None]) -> list[object]:
    """Run `act` on the next modal dialog as soon as it is on screen."""

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, poll)
            return
        act(dialog)
        acted.append(dialog)

    acted: list[object] = []  # filled once `act` ran: a test can wait for the answer
    QTimer.singleShot(0, poll)
    return acted


def _drag(window: MainWindow, quote_id: int, to: Stage) -> None:
    """What a drop does: the view hands the dragged card's data to the target column."""
    source = next(c for c in window.board.columns.values() if c.model.row_of(quote_id) >= 0)
    mime = source.model.mimeData([source.model.index(source.model.row_of(quote_id))])
    target = window.board.columns[to].model
    assert target.canDropMimeData(mime, Qt.DropAction.MoveAction, -1, -1, QModelIndex())
    target.dropMimeData(mime, Qt.DropAction.MoveAction, -1, -1, QModelIndex())
    wait_idle(window)


def _first(window: MainWindow, stage: Stage) -> int:
    row = window.board.columns[stage].model.row_at(0)
    assert row is not None
    return row.quote_id


def _stage(db: Database, quote_id: int) -> Quote:
    with db.reading() as session:
        quote = session.get(Quote, quote_id)
        assert quote is not None
        session.expunge(quote)
        return quote


def test_board_shows_every_stage_with_counts(window: MainWindow) -> None:
    columns = window.board.columns
    assert list(columns) == list(Stage)
    for column in columns.values():
        n = column.model.rowCount()
        assert column.summary.text().startswith(f"{n:,} quote")
    assert columns[Stage.FOLLOWING_UP].model.rowCount() > 0


def test_drag_to_following_up_moves_the_card(window: MainWindow, db: Database) -> None:
    quote_id = _first(window, Stage.QUOTED)
    _drag(window, quote_id, Stage.FOLLOWING_UP)
    assert _stage(db, quote_id).stage is Stage.FOLLOWING_UP
    assert window.board.columns[Stage.FOLLOWING_UP].model.row_of(quote_id) >= 0
    assert window.board.columns[Stage.QUOTED].model.row_of(quote_id) < 0


def test_drag_to_lost_asks_why_and_cancel_changes_nothing(window: MainWindow, db: Database) -> None:
    quote_id = _first(window, Stage.FOLLOWING_UP)

    def cancel(dialog: object) -> None:
        assert isinstance(dialog, LostReasonDialog)
        dialog.reject()

    cancelled = _when_modal(cancel)
    _drag(window, quote_id, Stage.LOST)
    wait_for(lambda: cancelled)  # the question is opened: the drop returns at once
    wait_idle(window)
    assert _stage(db, quote_id).stage is Stage.FOLLOWING_UP
    assert window.board.columns[Stage.FOLLOWING_UP].model.row_of(quote_id) >= 0

    def answer(dialog: object) -> None:
        assert isinstance(dialog, LostReasonDialog)
        dialog.reason.setEditText("Went with a cheaper quote")
        dialog.accept()

    answered = _when_modal(answer)
    _drag(window, quote_id, Stage.LOST)
    wait_for(lambda: answered)
    wait_idle(window)
    quote = _stage(db, quote_id)
    assert quote.stage is Stage.LOST and quote.lost_reason == "Went with a cheaper quote"
    assert window.board.columns[Stage.LOST].model.row_of(quote_id) >= 0


def test_the_lost_question_is_opened_without_holding_the_window(
    window: MainWindow, db: Database
) -> None:
    quote_id = _first(window, Stage.FOLLOWING_UP)
    cancelled = _when_modal(lambda dialog: dialog.reject())  # type: ignore[attr-defined]
    assert window.board.move_quote(quote_id, Stage.LOST)
    # The move returned with the question on screen, before any event ran: no loop of its
    # own holds the database's answers back while the user thinks.
    assert isinstance(QApplication.activeModalWidget(), LostReasonDialog)
    assert not cancelled
    wait_for(lambda: cancelled)
    wait_idle(window)
    assert _stage(db, quote_id).stage is Stage.FOLLOWING_UP


def test_drag_to_parked_asks_until_when_and_plans_the_revisit(
    window: MainWindow, db: Database, now: datetime
) -> None:
    quote_id = _first(window, Stage.QUOTED)
    revisit = date(2027, 3, 1)

    def answer(dialog: object) -> None:
        assert isinstance(dialog, ParkUntilDialog)
        dialog.until.setDate(QDate(revisit.year, revisit.month, revisit.day))
        dialog.accept()

    answered = _when_modal(answer)
    _drag(window, quote_id, Stage.PARKED)
    wait_for(lambda: answered)
    wait_idle(window)
    quote = _stage(db, quote_id)
    assert quote.stage is Stage.PARKED and quote.parked_until == revisit
    with db.reading() as session:
        pending = (
            session.execute(
                select(FollowUp.due_at).where(
                    FollowUp.quote_id == quote_id, FollowUp.status == FollowUpStatus.PENDING
                )
            )
            .scalars()
            .all()
        )
    assert any(d.date() >= revisit - timedelta(days=1) for d in pending), "a revisit is planned"


def test_drag_to_won_offers_the_after_sale_plan(window: MainWindow, db: Database) -> None:
    quote_id = _first(window, Stage.FOLLOWING_UP)

    def yes(dialog: object) -> None:
        assert isinstance(dialog, QMessageBox)
        assert "after-sale" in dialog.text()
        dialog.button(QMessageBox.StandardButton.Yes).click()

    answered = _when_modal(yes)
    _drag(window, quote_id, Stage.WON)
    wait_for(lambda: answered)  # the question comes once the move was saved
    wait_idle(window)
    assert _stage(db, quote_id).stage is Stage.WON
    with db.reading() as session:
        runs = dict(
            session.execute(
                select(Cadence.key, CadenceRun.status)
                .join(Cadence, Cadence.id == CadenceRun.cadence_id)
                .where(CadenceRun.quote_id == quote_id)
            ).all()
        )
    assert runs.pop("after_sale") is CadenceRunStatus.ACTIVE
    # A follow-up plan the open quote ran stopped when it was won.
    assert set(runs.values()) <= {CadenceRunStatus.STOPPED}


def test_dragging_a_won_card_back_stops_its_after_sale_plan_and_says_so(
    window: MainWindow, db: Database
) -> None:
    quote_id = _first(window, Stage.FOLLOWING_UP)
    answered = _when_modal(
        lambda d: d.button(QMessageBox.StandardButton.Yes).click()  # type: ignore[attr-defined]
    )
    _drag(window, quote_id, Stage.WON)
    wait_for(lambda: answered)
    wait_idle(window)
    _drag(window, quote_id, Stage.FOLLOWING_UP)
    assert _stage(db, quote_id).stage is Stage.FOLLOWING_UP
    message = window.statusBar().currentMessage()
    assert message.startswith("The after-sale plan was stopped: ")
    with db.reading() as session:
        pending = session.scalars(
            select(FollowUp.id)
            .join(CadenceRun, CadenceRun.id == FollowUp.cadence_run_id)
            .join(Cadence, Cadence.id == CadenceRun.cadence_id)
            .where(
                CadenceRun.quote_id == quote_id,
                Cadence.key == "after_sale",
                FollowUp.status == FollowUpStatus.PENDING,
            )
        ).all()
    assert pending == [], "nobody is thanked for a job they have not given"


def test_search_box_filters_as_you_type(qtbot: QtBot, window: MainWindow, db: Database) -> None:
    page = window.quotes
    window.show_page("quotes")
    total = page.model.rowCount()
    assert page.count.text() == f"{total:,} quotes"
    with db.reading() as session:
        number = session.execute(
            select(Quote.number).where(Quote.number.is_not(None)).limit(1)
        ).scalar_one()
    qtbot.keyClicks(page.search, number)  # type: ignore[no-untyped-call]
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert page.count.text() == f"1 of {total:,} quotes"
    row = page.model.row_at(0)
    assert row is not None and row.number == number

    # A phone number typed the way people say it, with spaces and the trunk 0.
    assert row.phone is not None
    local = "0" + row.phone[3:] if row.phone.startswith("+61") else row.phone
    spaced = " ".join(local[i : i + 3] for i in range(0, len(local), 3))
    page.search.setText(spaced)
    qtbot.waitUntil(lambda: page.model.row_of(row.quote_id) >= 0)

    page.search.setText("no such customer anywhere")
    qtbot.waitUntil(lambda: page.model.rowCount() == 0)
    assert page.count.text() == f"0 of {total:,} quotes"


def test_filters_and_header_sort(qtbot: QtBot, window: MainWindow) -> None:
    page = window.quotes
    page.overdue.setChecked(True)
    qtbot.waitUntil(lambda: page.model.filter.overdue_only)
    assert page.model.rowCount() > 0
    assert all(page.model.row_at(i).overdue for i in range(page.model.rowCount()))  # type: ignore[union-attr]
    page.overdue.setChecked(False)
    page.cold.setChecked(True)
    qtbot.waitUntil(lambda: page.model.filter.cold_only)
    assert all(page.model.row_at(i).going_cold for i in range(page.model.rowCount()))  # type: ignore[union-attr]
    page.cold.setChecked(False)
    qtbot.waitUntil(lambda: not page.model.filter.cold_only)

    page.view.sortByColumn(3, Qt.SortOrder.DescendingOrder)  # Amount, largest first
    amounts = [page.model.row_at(i).amount for i in range(page.model.rowCount())]  # type: ignore[union-attr]
    present = [a for a in amounts if a is not None]
    assert present == sorted(present, reverse=True)
    assert amounts[: len(present)] == present, "quotes without an amount come last"


def test_column_widths_and_last_page_are_remembered(
    qtbot: QtBot, db: Database, now: datetime, window: MainWindow
) -> None:
    window.show_page("quotes")
    window.quotes.view.horizontalHeader().resizeSection(0, 333)
    window.close()
    again = MainWindow(db, clock=lambda: now)
    qtbot.addWidget(again)
    again.restore_last_page()
    assert again.stack.currentWidget() is again.quotes
    assert again.quotes.view.horizontalHeader().sectionSize(0) == 333


def test_today_groups_by_channel_and_copies_the_words(window: MainWindow) -> None:
    today = window.today
    titles = [
        today.tree.topLevelItem(i).text(0)  # type: ignore[union-attr]
        for i in range(today.tree.topLevelItemCount())
    ]
    groups = {"New", "Calls", "Texts", "Emails", "Cards"}  # new leads first, then by channel
    assert titles and all(t.split()[0] in groups for t in titles)
    item = today.current_item()
    assert item is not None
    assert item.reason in today.why.text()
    today.copy.click()
    copied = QApplication.clipboard().text()
    assert copied and copied == today.script.toPlainText()
    assert "[" not in copied or "?]" in copied  # a missing field shows, never a blank


def test_move_to_trash_and_undo(window: MainWindow, db: Database) -> None:
    quote_id = _first(window, Stage.QUOTED)
    column = window.board.columns[Stage.QUOTED]
    index = column.model.index(column.model.row_of(quote_id))
    column.view.setCurrentIndex(index)
    column.view.clicked.emit(index)
    window.trash_current_quote()
    wait_idle(window)
    assert _stage(db, quote_id).deleted_at is not None
    assert column.model.row_of(quote_id) < 0, "the card leaves the board"
    assert window.statusBar().currentMessage().startswith("Quote moved to the trash")
    window._undo.click()
    wait_idle(window)
    assert _stage(db, quote_id).deleted_at is None
    assert column.model.row_of(quote_id) >= 0, "and comes back with Undo"
    assert window.statusBar().currentMessage() == "Quote restored from the trash."


def test_opening_a_quote_shows_its_details_and_follows_the_selection(
    window: MainWindow,
) -> None:
    window.show_page("board")  # cards are clicked where they are seen
    first = _first(window, Stage.FOLLOWING_UP)
    column = window.board.columns[Stage.FOLLOWING_UP]
    column.view.activated.emit(column.model.index(0))
    assert window.detail_dock.isVisible()
    wait_idle(window)  # the panel shows the quote once it is read
    assert window.detail.quote_id == first
    second = column.model.row_at(1)
    assert second is not None
    column.view.clicked.emit(column.model.index(1))
    wait_idle(window)
    assert window.detail.quote_id == second.quote_id


def test_keyboard_moves_from_search_to_results_and_across_columns(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.show_page("quotes")
    page = window.quotes
    page.search.setFocus()
    qtbot.keyClick(page.search, Qt.Key.Key_Down)  # type: ignore[no-untyped-call]
    assert page.view.hasFocus()
    assert page.selected_quote_id() is not None

    window.show_page("board")
    lead = window.board.columns[Stage.LEAD]
    lead.view.setFocus()
    lead.view.setCurrentIndex(lead.model.index(0))
    qtbot.keyClick(lead.view, Qt.Key.Key_Right)  # type: ignore[no-untyped-call]
    quoted = window.board.columns[Stage.QUOTED]
    assert quoted.view.hasFocus()
    assert window.current_quote_id == quoted.model.row_at(0).quote_id  # type: ignore[union-attr]


def test_move_a_customer_to_the_trash_after_asking(window: MainWindow, db: Database) -> None:
    quote_id = _first(window, Stage.FOLLOWING_UP)
    window.current_quote_id = quote_id
    customer_id = _stage(db, quote_id).customer_id

    def yes(dialog: object) -> None:
        assert isinstance(dialog, QMessageBox)
        assert "all their quotes" in dialog.text()
        dialog.button(QMessageBox.StandardButton.Yes).click()

    answered = _when_modal(yes)
    window.trash_current_customer()
    wait_for(lambda: answered)  # the question comes once the customer's name was read
    wait_idle(window)
    with db.reading() as session:
        from deckfollow.core.models import Customer

        customer = session.get(Customer, customer_id)
        assert customer is not None and customer.deleted_at is not None
        name = customer.display_name
    assert window.board.columns[Stage.FOLLOWING_UP].model.row_of(quote_id) < 0
    assert window.statusBar().currentMessage() == f"{name} moved to the trash."
    window._undo.click()  # offered beside the message, as for a quote
    wait_idle(window)
    with db.reading() as session:
        back = session.get(Customer, customer_id)
        assert back is not None and back.deleted_at is None
    assert window.statusBar().currentMessage() == f"{name} restored from the trash."
    assert window.board.columns[Stage.FOLLOWING_UP].model.row_of(quote_id) >= 0


def test_the_list_and_board_models_keep_qt_s_model_rules(
    window: MainWindow, qtmodeltester: ModelTester
) -> None:
    """Qt's own model checks (rows, columns, parents, data types) over real quotes."""
    check: Callable[..., None] = qtmodeltester.check  # pytest-qt leaves it untyped
    check(window.quotes.model, force_py=True)
    for column in window.board.columns.values():
        check(column.model, force_py=True)
    window.quotes.search.setText("deck")
    window.quotes.apply_filter()
    check(window.quotes.model, force_py=True)


def test_the_details_panel_opened_from_the_menu_shows_the_selection(window: MainWindow) -> None:
    """Ctrl+D (View › Details panel) shows what is selected, not an empty panel."""
    window.detail_dock.hide()  # as a user who closed it last time finds it
    window.show_page("board")
    column = window.board.columns[Stage.FOLLOWING_UP]
    column.view.clicked.emit(column.model.index(2))
    picked = column.model.row_at(2)
    assert picked is not None
    toggle = window.detail_dock.toggleViewAction()
    assert toggle.shortcut().toString() == "Ctrl+D"
    toggle.trigger()
    assert window.detail_dock.isVisible()
    wait_idle(window)  # the panel shows the quote once it is read
    assert window.detail.quote_id == picked.quote_id

    toggle.trigger()  # closed; on Today the panel then shows Today's selected follow-up
    window.show_page("today")
    item = window.today.current_item()
    assert item is not None and item.quote_id is not None
    toggle.trigger()
    wait_idle(window)
    assert window.detail.quote_id == item.quote_id


def test_a_card_s_menu_is_shown_without_holding_the_window(window: MainWindow) -> None:
    from PySide6.QtWidgets import QMenu

    column = window.board.columns[Stage.FOLLOWING_UP]
    column.view.scrollToTop()
    QApplication.processEvents()
    quote_id = _first(window, Stage.FOLLOWING_UP)
    pos = column.view.visualRect(column.model.index(0)).center()
    shown: list[int] = []
    window.board.quote_activated.connect(shown.append)
    column.view.customContextMenuRequested.emit(pos)
    # The request returned with the menu on screen: no loop of its own waited for a choice.
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu) and menu.isVisible()
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts[0] == "&Edit quote…" and texts[-1] == "Show &details"
    next(a for a in menu.actions() if a.text() == "Show &details").trigger()
    menu.close()
    wait_for(lambda: shown)
    assert shown == [quote_id]
