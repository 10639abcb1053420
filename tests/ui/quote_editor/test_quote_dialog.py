# mypy: disable-error-code="no-untyped-call"
"""Entering a quote in the app, from an empty database, as an owner would."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QModelIndex, QObject, Qt, QTimer, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from deckfollow.core.cadence_library import seed_builtin_cadences
from deckfollow.core.enums import Stage
from deckfollow.core.quotes import QuoteEdit, edit_quote, quote_details
from deckfollow.core.settings import save_setting
from deckfollow.storage.database import Database
from deckfollow.ui.features import install_features
from deckfollow.ui.main_window import MainWindow
from deckfollow.ui.new_lead import NewLeadDialog
from deckfollow.ui.quote_editor import QuoteDialog
from deckfollow.ui.team.clash import ClashDialog
from tests.ui.waiting import settle, wait_idle


@pytest.fixture(autouse=True)
def _australian_english() -> Iterator[None]:
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.Australia))
    yield
    QLocale.setDefault(before)


@pytest.fixture
def window(qtbot: QtBot, db: Database, now: datetime) -> MainWindow:
    """The whole app on an empty Australian business."""
    with db.unit_of_work() as s:
        seed_builtin_cadences(s)
        save_setting(s, "default_country", "AU")
        save_setting(s, "owner_timezone", "Australia/Sydney")
    win = MainWindow(db, clock=lambda: now)
    qtbot.addWidget(win)
    install_features(win, db, lambda: now)
    win.show()
    win.refresh()
    QApplication.processEvents()
    return win


def _add_lead(
    qtbot: QtBot,
    window: MainWindow,
    now: datetime,
    name: str = "Grace Hopper",
    phone: str = "0412 345 679",
) -> int:
    dialog = NewLeadDialog(window.ops, clock=lambda: now)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.name, name)
    qtbot.keyClicks(dialog.phone, phone)
    dialog.job.setPlainText("Hardwood deck with steps")
    dialog.save()
    settle(qtbot, window)
    assert dialog.quote_id is not None
    window.refresh()
    settle(qtbot, window)
    return dialog.quote_id


def _when_modal(act: Callable[[QuoteDialog], None]) -> list[QuoteDialog]:
    """Run `act` on the quote dialog once it opens; the list fills when it ran."""

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QuoteDialog) or dialog.form is None:  # open, and read
            QTimer.singleShot(10, poll)
            return
        act(dialog)
        acted.append(dialog)

    acted: list[QuoteDialog] = []
    QTimer.singleShot(0, poll)
    return acted


def _drag(window: MainWindow, quote_id: int, to: Stage) -> None:
    source = next(c for c in window.board.columns.values() if c.model.row_of(quote_id) >= 0)
    mime = source.model.mimeData([source.model.index(source.model.row_of(quote_id))])
    window.board.columns[to].model.dropMimeData(
        mime, Qt.DropAction.MoveAction, -1, -1, QModelIndex()
    )
    wait_idle(window)


def test_a_leads_quote_entered_from_the_details_shows_in_the_board_total(
    qtbot: QtBot, window: MainWindow, now: datetime
) -> None:
    quote_id = _add_lead(qtbot, window, now)
    assert window.board.columns[Stage.LEAD].money.text() == "no amounts yet"
    window.open_quote(quote_id)
    settle(qtbot, window)  # the panel reads the quote on the database thread
    assert window.detail.amount_label.text() == "no amount yet"
    qtbot.mouseClick(window.detail.edit_quote_button, Qt.MouseButton.LeftButton)
    dialog = window.detail.active_dialog
    assert isinstance(dialog, QuoteDialog)
    settle(qtbot, window)  # what it shows is read on the database thread
    assert dialog.number.text() == "Q-0001"  # the first in the business's sequence
    assert dialog.currency.currentText() == "AUD"
    qtbot.keyClicks(dialog.amount, "4,850")
    closed: list[int] = []
    dialog.finished.connect(closed.append)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)  # saved on the database thread, then closed
    assert closed == [QuoteDialog.DialogCode.Accepted]
    assert "4,850" in window.board.columns[Stage.LEAD].money.text()
    assert "4,850.00" in window.detail.amount_label.text()
    assert window.detail.quote_box.title() == "Quote Q-0001"
    with window.ops.store.reading() as s:
        assert quote_details(s, quote_id).amount == Decimal("4850.00")


def test_dragging_to_quoted_asks_for_the_amount_and_sent_date_first(
    qtbot: QtBot, window: MainWindow, now: datetime
) -> None:
    quote_id = _add_lead(qtbot, window, now)
    asked: list[str] = []

    def cancel(dialog: QuoteDialog) -> None:
        asked.append(dialog.windowTitle())
        dialog.reject()

    answered = _when_modal(cancel)
    _drag(window, quote_id, Stage.QUOTED)
    qtbot.waitUntil(lambda: bool(answered))  # asked once the read found what is missing
    assert asked == ["Move to Quoted"]
    with window.ops.store.reading() as s:
        assert quote_details(s, quote_id).stage is Stage.LEAD  # cancelled: not moved

    def answer(dialog: QuoteDialog) -> None:
        assert dialog.sent.value() == date(2026, 11, 23)  # today, in the owner's clock
        dialog.save()  # no amount yet: refused beside the field
        assert dialog.isVisible()
        assert dialog.field_errors["amount"].isVisible()
        dialog.amount.setText("$12 480.50")
        dialog.save()

    answered = _when_modal(answer)
    _drag(window, quote_id, Stage.QUOTED)
    qtbot.waitUntil(lambda: bool(answered))
    settle(qtbot, window)  # the board follows what the dialog saved
    with window.ops.store.reading() as s:
        moved = quote_details(s, quote_id)
    assert (moved.stage, moved.amount, moved.sent_on) == (
        Stage.QUOTED,
        Decimal("12480.50"),
        date(2026, 11, 23),
    )
    assert "12" in window.board.columns[Stage.QUOTED].money.text()
    assert window.board.columns[Stage.QUOTED].model.row_of(quote_id) >= 0


def test_an_edit_saved_elsewhere_meanwhile_is_refused_and_keeps_what_was_typed(
    qtbot: QtBot, window: MainWindow, now: datetime
) -> None:
    quote_id = _add_lead(qtbot, window, now)
    dialog = QuoteDialog(window.ops.store, clock=lambda: now, quote_id=quote_id)
    qtbot.addWidget(dialog)
    dialog.show()
    settle(qtbot, window)
    with window.ops.store.unit_of_work() as s:  # a teammate saves first
        edit_quote(s, quote_id, QuoteEdit(amount=Decimal(999)), version=None, now=now)
    dialog.amount.setText("4850")
    from tests.ui.team.clash_answers import answer_clash

    answered = answer_clash(apply_mine=False)  # shown theirs beside mine: keep theirs
    dialog.save()
    qtbot.waitUntil(lambda: bool(answered))  # the question is opened: Save returns at once
    assert dialog.isVisible()
    assert "was changed by" in dialog.error.text()
    assert dialog.amount.text() == "4850"
    # The question is gone once answered (deleted before the dialog it asked over).
    qtbot.waitUntil(lambda: not dialog.findChildren(ClashDialog))
    with window.ops.store.reading() as s:
        assert quote_details(s, quote_id).amount == Decimal("999.00")


def test_a_new_quote_for_someone_new_from_the_quotes_page(
    qtbot: QtBot, window: MainWindow, now: datetime
) -> None:
    def fill(dialog: QuoteDialog) -> None:
        assert dialog.customer.currentText() == "New customer"
        line = dialog.customer.lineEdit()
        assert line is not None and line.selectedText() == "New customer", "typing replaces it"
        dialog.name.setText("Ada Lovelace")
        dialog.phone.setText("0412 000 111")
        dialog.job.setText("Pergola, 4 × 3 m")
        dialog.amount.setText("7300")
        dialog.competing.setValue(2)
        dialog.save()

    filled = _when_modal(fill)
    window.show_page("quotes")
    qtbot.mouseClick(window.quotes.new_quote_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(filled))  # the dialog is opened: the click returns at once
    settle(qtbot, window)
    assert window.quotes.model.rowCount() == 1
    assert window.detail.name_label.text() == "Ada Lovelace"
    with window.ops.store.reading() as s:
        shown = quote_details(s, window.detail.quote_id or 0)
    assert (shown.job, shown.amount, shown.competing_quotes) == (
        "Pergola, 4 × 3 m",
        Decimal("7300.00"),
        2,
    )


class _Viewer(QObject):
    """Stands in for the system's PDF viewer: Qt hands it the URL to open."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[QUrl] = []

    @Slot(QUrl)
    def show(self, url: QUrl) -> None:
        self.opened.append(url)


@pytest.fixture
def viewer() -> Iterator[_Viewer]:
    handler = _Viewer()
    # PySide6 takes the slot's name as a str at run time, though its stub says bytes.
    QDesktopServices.setUrlHandler("file", handler, "show")  # type: ignore[arg-type]
    yield handler
    QDesktopServices.unsetUrlHandler("file")


def test_the_file_sent_is_kept_and_opened_with_one_click(
    qtbot: QtBot, window: MainWindow, now: datetime, tmp_path: Path, viewer: _Viewer
) -> None:
    quote_id = _add_lead(qtbot, window, now)
    pdf = tmp_path / "Q-0001 Hopper deck.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    dialog = QuoteDialog(window.ops.store, clock=lambda: now, quote_id=quote_id)
    qtbot.addWidget(dialog)
    settle(qtbot, window)
    assert not dialog.open_button.isEnabled()
    dialog.file.setText(str(pdf))
    dialog.save()
    settle(qtbot, window)
    again = QuoteDialog(window.ops.store, clock=lambda: now, quote_id=quote_id)
    qtbot.addWidget(again)
    settle(qtbot, window)
    assert again.file.text() == str(pdf)
    qtbot.mouseClick(again.open_button, Qt.MouseButton.LeftButton)
    assert [u.toLocalFile() for u in viewer.opened] == [str(pdf)]
    pdf.unlink()
    assert not again.open_file()
    assert "not there any more" in again.field_errors["file"].text()


def test_the_details_stay_on_the_quote_acted_on_after_a_refresh(
    qtbot: QtBot, window: MainWindow, now: datetime
) -> None:
    first = _add_lead(qtbot, window, now)
    second = _add_lead(qtbot, window, now, "Ada Lovelace", "0412 000 111")
    window.show_page("quotes")
    window.quotes.select_quote(second)  # the list's selection, then the board on screen
    window.show_page("board")
    window.open_quote(first)
    window.refresh()  # a save anywhere reloads every page
    settle(qtbot, window)
    assert window.detail.quote_id == first


def test_a_cards_double_click_and_menu_open_its_quote(
    qtbot: QtBot, window: MainWindow, now: datetime
) -> None:
    quote_id = _add_lead(qtbot, window, now)
    window.show_page("board")
    column = window.board.columns[Stage.LEAD]
    index = column.model.index(column.model.row_of(quote_id))
    seen: list[str] = []

    def close(dialog: QuoteDialog) -> None:
        seen.append(f"{dialog.windowTitle()}: {dialog.job.text()}")
        dialog.reject()

    _when_modal(close)
    column.view.doubleClicked.emit(index)
    qtbot.waitUntil(lambda: len(seen) == 1)
    assert seen == ["Quote: Hardwood deck with steps"]

    def pick_edit() -> None:
        menu = QApplication.activePopupWidget()
        if not isinstance(menu, QMenu):
            QTimer.singleShot(10, pick_edit)
            return
        assert [a.text() for a in menu.actions() if a.text()] == [
            "&Edit quote…",
            "&New quote for Grace Hopper…",
            "Show &details",
        ]
        _when_modal(close)
        menu.actions()[0].trigger()
        menu.close()

    QTimer.singleShot(0, pick_edit)
    column.view.customContextMenuRequested.emit(column.view.visualRect(index).center())
    qtbot.waitUntil(lambda: len(seen) == 2)
    assert len(seen) == 2


def test_choosing_the_file_sent_opens_a_picker_without_holding_the_window(
    qtbot: QtBot, window: MainWindow, now: datetime, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QFileDialog

    quote_id = _add_lead(qtbot, window, now)
    pdf = tmp_path / "Q-0001 Hopper deck.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    dialog = QuoteDialog(window.ops.store, clock=lambda: now, quote_id=quote_id)
    qtbot.addWidget(dialog)
    dialog.show()
    settle(qtbot, window)
    dialog.choose_button.click()
    # The click returned with the picker on screen: no loop of its own waits for a choice.
    picker = QApplication.activeModalWidget()
    assert isinstance(picker, QFileDialog)
    picker.selectFile(str(pdf))
    picker.accept()
    assert dialog.file.text() == str(pdf)
    assert dialog.open_button.isEnabled()


def test_a_lead_given_its_sent_day_moves_to_quoted_and_a_corrected_amount_loses_its_red(
    qtbot: QtBot, window: MainWindow, now: datetime
) -> None:
    quote_id = _add_lead(qtbot, window, now)
    dialog = QuoteDialog(window.ops.store, clock=lambda: now, quote_id=quote_id, parent=window)
    qtbot.addWidget(dialog)
    dialog.show()
    settle(qtbot, window)
    qtbot.keyClicks(dialog.amount, "12,3x")
    dialog.save()
    assert dialog.field_errors["amount"].isVisible()
    dialog.amount.clear()
    assert not dialog.field_errors["amount"].isVisible(), "the corrected field is not red"
    qtbot.keyClicks(dialog.amount, "4,850")
    dialog.sent.set_value(date(2026, 11, 22))
    dialog.save()
    settle(qtbot, window)
    with window.ops.store.reading() as s:
        saved = quote_details(s, quote_id)
    assert (saved.stage, saved.amount) == (Stage.QUOTED, Decimal("4850.00"))
    assert window.board.columns[Stage.QUOTED].model.row_of(quote_id) >= 0
    assert "4,850" in window.board.columns[Stage.QUOTED].money.text()
