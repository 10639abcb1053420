"""The pipeline board: a column per stage, a card per quote, drag a card to move it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QMenu,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from deckfollow.core.changes import Changes
from deckfollow.core.clock import Clock
from deckfollow.core.enums import Stage
from deckfollow.core.errors import ConcurrentEditError, DeckfollowError
from deckfollow.core.quote_index import (
    QuoteIndex,
    QuoteRow,
    StageColumn,
    Swapped,
)
from deckfollow.ui.board.delegate import CardDelegate
from deckfollow.ui.board.model import StageCardModel
from deckfollow.ui.board.stage_dialogs import LostReasonDialog, ParkUntilDialog
from deckfollow.ui.formatting import compact_money
from deckfollow.ui.qt_values import QUOTE_ID_ROLE
from deckfollow.ui.team.clash import offer_to_reapply
from deckfollow.ui.team.server_away import open_when_server_back
from deckfollow.ui.theme import Theme, active_theme

if TYPE_CHECKING:  # the board can paint before SQLAlchemy loads
    from deckfollow.core.unit_of_work import Session
    from deckfollow.ui.operations import Operations


def board_style_sheet(theme: Theme) -> str:
    """The board's one style sheet, for the strip of columns: the columns, their headings and
    their card lists (the strip holds nothing else, so plain selectors reach only those).

    Set once instead of on each of the board's widgets: every style sheet set on a widget
    styles it and its children again, which was most of the time building the board took."""
    headings = "".join(
        f"QLabel#stage_{stage.value}"
        f" {{ font-weight: 700; font-size: 14px; color: {theme.stage(stage.value)}; }}"
        for stage in Stage
    )
    return (
        "QFrame#stageColumn { background: palette(alternate-base); border-radius: 8px; }"
        f"QLabel {{ color: {theme.muted_text}; }}"
        f"{headings}"
        "QListView#cards { background: transparent; border: none; }"
        "QScrollBar:vertical { width: 8px; background: transparent; margin: 2px; }"
        f"QScrollBar::handle:vertical {{ background: {theme.scroll_handle};"
        " border-radius: 3px; min-height: 28px; }"
        "QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical { height: 0; }"
        "QScrollBar::add-page:vertical, QScrollBar::sub-page:vertical"
        " { background: transparent; }"
    )


class StageColumnWidget(QFrame):
    """A header with the stage, its count and value, over a list of cards.

    Styled by the board's sheet (`board_style_sheet`): the column sets none of its own."""

    def __init__(self, stage: Stage, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stage = stage
        self.setObjectName("stageColumn")
        self.setMinimumWidth(200)
        # Each widget is made inside its parent, in the order it is laid out: none is moved
        # to another parent after (each move would have it styled again).
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 10, 6, 6)
        layout.setSpacing(6)
        header = QWidget(self)
        head = QVBoxLayout(header)
        head.setContentsMargins(8, 0, 8, 0)
        head.setSpacing(0)
        self.title = QLabel(stage.label, header)
        self.title.setObjectName(f"stage_{stage.value}")  # its colour in the board's sheet
        self.summary = QLabel(header)
        self.money = QLabel(header)
        head.addWidget(self.title)
        head.addWidget(self.summary)
        head.addWidget(self.money)
        layout.addWidget(header)
        self.model = StageCardModel(stage, self)
        self.view = QListView(self)
        self.view.setObjectName("cards")
        self.view.setModel(self.model)
        self.view.setItemDelegate(CardDelegate(clock, self.view))
        self.view.setUniformItemSizes(True)
        self.view.setFrameShape(QFrame.Shape.NoFrame)
        self.view.setAccessibleName(f"{stage.label} quotes")
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)  # drags and drops
        self.view.setDropIndicatorShown(True)
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        layout.addWidget(self.view, 1)

    def show_column(self, column: StageColumn) -> None:
        self.model.set_rows(column.rows)
        self._show_summary(column)

    def swap_cards(self, column: StageColumn, swapped: Swapped) -> None:
        """Show the column after the `swapped` quotes' cards left, joined or changed in it:
        only those cards move; the others keep their place, selection and scroll."""
        self.model.swap_rows(column.rows, swapped)
        self._show_summary(column)

    def _show_summary(self, column: StageColumn) -> None:
        totals = sorted(column.totals.items(), key=lambda kv: kv[1], reverse=True)
        money = " · ".join(compact_money(v, c) for c, v in totals[:2])
        if len(totals) > 2:
            money += " …"
        count = f"{column.count:,} {'quote' if column.count == 1 else 'quotes'}"
        when = ", last 60 days" if column.recent_only else ""
        self.summary.setText(f"{count}{when}")
        self.money.setText(money or "no amounts yet")
        self.summary.setToolTip(
            "\n".join(f"{c}: {v:,.2f}" for c, v in totals) or "No amounts quoted yet"
        )


class BoardPage(QWidget):
    """The whole pipeline at a glance; a card dropped on a column moves the quote there."""

    quote_selected = Signal(int)
    quote_activated = Signal(int)

    def __init__(
        self, ops: Operations | None, *, clock: Clock, parent: QWidget | None = None
    ) -> None:
        """Without `ops` the board only shows quotes until `attach` gives it the database."""
        super().__init__(parent)
        self._ops = ops
        self._clock = clock
        self._index: QuoteIndex | None = None
        self.active_dialog: QDialog | None = None
        self.columns: dict[Stage, StageColumnWidget] = {}
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        # Six readable columns need about 1,400 px; narrower windows scroll sideways.
        self.scroller = QScrollArea(self)
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer.addWidget(self.scroller)
        strip = QWidget()
        layout = QHBoxLayout(strip)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(10)
        self.scroller.setWidget(strip)
        # Once, on the strip in its place (a widget with a style sheet moved to another parent
        # is styled again, with all its children) and before any column: each widget in it
        # is styled once, as it is first shown.
        strip.setStyleSheet(board_style_sheet(active_theme()))
        for stage in Stage:
            column = StageColumnWidget(stage, clock, strip)
            column.model.dropped.connect(self.move_quote)
            column.view.clicked.connect(self._on_clicked)
            column.view.activated.connect(self._on_activated)
            column.view.doubleClicked.connect(self._on_double_clicked)
            column.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            column.view.customContextMenuRequested.connect(
                lambda pos, v=column.view: self._card_menu(v, pos)
            )
            column.view.installEventFilter(self)
            self.columns[stage] = column
            layout.addWidget(column, 1)

    def attach(self, ops: Operations) -> None:
        """The opened database, for moving quotes (the board may be on screen already)."""
        self._ops = ops

    def show_swapped(self, index: QuoteIndex, swapped: Swapped) -> None:
        """Show `index` after it took a change's rows (`QuoteIndex.apply_update`): only the
        columns the changed cards left or joined are touched, and in them only those cards."""
        if index is not self._index:
            self.set_index(index)
            return
        for column in index.board():
            if column.stage in swapped.stages:
                self.columns[column.stage].swap_cards(column, swapped)

    def set_index(self, index: QuoteIndex) -> None:
        self._index = index
        for column in index.board():
            self.columns[column.stage].show_column(column)

    def quote_index(self) -> QuoteIndex | None:
        """The quotes the board shows, or None before any."""
        return self._index

    def keep_cards(self, index: QuoteIndex) -> None:
        """Take `index`, which holds the very cards on the board and more (every quote, read
        after the board's): the columns stay as laid out, with their selection and scroll."""
        self._index = index

    def select_quote(self, quote_id: int) -> bool:
        for column in self.columns.values():
            row = column.model.row_of(quote_id)
            if row >= 0:
                column.view.setCurrentIndex(column.model.index(row))
                column.view.scrollTo(column.model.index(row))
                return True
        return False

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        """Left and Right move between columns, keeping the row where it can."""
        if event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            step = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1}.get(Qt.Key(event.key()))
            stages = list(self.columns)
            here = next((s for s, c in self.columns.items() if c.view is obj), None)
            if step is not None and here is not None:
                row = self.columns[here].view.currentIndex().row()
                i = stages.index(here) + step
                while 0 <= i < len(stages):
                    target = self.columns[stages[i]]
                    if target.model.rowCount():
                        index = target.model.index(min(max(row, 0), target.model.rowCount() - 1))
                        target.view.setFocus(Qt.FocusReason.OtherFocusReason)
                        target.view.setCurrentIndex(index)
                        self.scroller.ensureWidgetVisible(target)
                        self._on_clicked(index)
                        return True
                    i += step
                return True
        return super().eventFilter(obj, event)

    def _row(self, quote_id: int) -> QuoteRow | None:
        return self._index.find(quote_id) if self._index is not None else None

    def _on_clicked(self, index: QModelIndex) -> None:
        quote_id = index.data(QUOTE_ID_ROLE)
        if quote_id is not None:
            self.quote_selected.emit(int(quote_id))

    def _on_activated(self, index: QModelIndex) -> None:
        quote_id = index.data(QUOTE_ID_ROLE)
        if quote_id is not None:
            self.quote_activated.emit(int(quote_id))

    def _on_double_clicked(self, index: QModelIndex) -> None:
        quote_id = index.data(QUOTE_ID_ROLE)
        if quote_id is not None:
            self.edit_quote(int(quote_id))

    def move_quote(self, quote_id: int, stage: Stage) -> bool:
        """Move a quote to `stage`, asking what that stage needs; True once the move is
        under way or its question is on screen (the board and every other view follow when
        it is saved)."""
        from deckfollow.core.quotes import quote_details

        row = self._row(quote_id)
        ops = self._ops
        if row is None or row.stage is stage or ops is None:
            return False
        now = self._clock()
        job = row.job.split(" — ")[0].lower()
        if stage is Stage.LOST:
            lost = LostReasonDialog(row.customer, job, self)
            self._ask_then_move(
                lost,
                lambda: self._save_move(row, stage, now, lost.lost_reason(), None, row.version),
            )
            return True
        if stage is Stage.PARKED:
            today = now.astimezone(ZoneInfo(row.timezone)).date()
            park = ParkUntilDialog(row.customer, job, today, self)
            self._ask_then_move(
                park,
                lambda: self._save_move(row, stage, now, None, park.parked_until(), row.version),
            )
            return True
        if stage.is_open:

            def missing(session: Session) -> tuple[str, ...]:
                return tuple(quote_details(session, quote_id).missing_for(stage))

            def ask_or_move(lacking: tuple[str, ...]) -> None:
                if lacking:
                    # A quote is Quoted with its amount and the day it went out: ask for them.
                    self.edit_quote(quote_id, moving_to=stage)
                else:
                    self._save_move(row, stage, now, None, None, row.version)

            ops.run_query(self, missing, success=ask_or_move)
            return True
        self._save_move(row, stage, now, None, None, row.version)
        return True

    def _ask_then_move(self, dialog: QDialog, move: Callable[[], None]) -> None:
        """Open a stage's question and `move()` once it is answered; Cancel moves nothing.
        Opened, not run with a loop of its own: the drop (or menu) returns at once and the
        database's answers keep arriving while the user thinks."""

        def answered(result: int) -> None:
            dialog.deleteLater()
            if result == QDialog.DialogCode.Accepted:
                move()

        dialog.finished.connect(answered)
        dialog.open()

    def _save_move(
        self,
        row: QuoteRow,
        stage: Stage,
        now: datetime,
        lost_reason: str | None,
        parked_until: date | None,
        version: int | None,  # what the user saw when they chose the move
    ) -> None:
        from deckfollow.core.quotes import change_stage

        assert self._ops is not None

        def move(session: Session) -> Changes:
            return change_stage(
                session,
                row.quote_id,
                stage,
                now=now,
                lost_reason=lost_reason,
                parked_until=parked_until,
                version=version,
            ).changes

        def refused(exc: DeckfollowError) -> None:
            if not isinstance(exc, ConcurrentEditError) or "version" not in exc.theirs:
                from deckfollow.ui.operations import show_error

                show_error(self, "The quote was not moved", exc)
                return
            assert self._ops is not None
            # What is saved now shows behind the question.
            self._ops.announce(
                Changes(quotes=True).about(quotes=(row.quote_id,), customers=(row.customer_id,))
            )
            mine = [("Stage", exc.theirs.get("stage", ""), stage.label)]
            theirs = int(exc.theirs["version"])
            offer_to_reapply(  # the user chooses knowing theirs
                exc,
                mine,
                self,
                reapply=lambda: self._save_move(row, stage, now, lost_reason, parked_until, theirs),
            )

        def moved(_changes: Changes) -> None:
            if stage is Stage.WON:
                self._offer_after_sale(row)

        self._ops.run_change(self, move, initiator=self, success=moved, failure=refused)

    def edit_quote(self, quote_id: int, *, moving_to: Stage | None = None) -> None:
        """Open the quote dialog for a card (or what a move still needs)."""
        self._quote_dialog(quote_id=quote_id, moving_to=moving_to)

    def new_quote(self, customer_id: int) -> None:
        """Open the quote dialog for another quote of the card's customer."""
        self._quote_dialog(customer_id=customer_id)

    def _quote_dialog(
        self,
        *,
        quote_id: int | None = None,
        customer_id: int | None = None,
        moving_to: Stage | None = None,
    ) -> None:
        from deckfollow.ui.quote_editor import QuoteDialog

        if self._ops is None:
            return
        ops = self._ops
        if not ops.is_open():  # a card double-clicked while the database still opens
            ops.when_open(
                self,
                lambda: self._quote_dialog(
                    quote_id=quote_id, customer_id=customer_id, moving_to=moving_to
                ),
            )
            return

        def build() -> QuoteDialog:
            return QuoteDialog(
                ops.store,
                clock=self._clock,
                quote_id=quote_id,
                customer_id=customer_id,
                moving_to=moving_to,
                parent=self,
            )

        # While the team server is away, the quote opens once it is back.
        dialog = open_when_server_back(self, build, what="the quote")
        if dialog is None:
            return
        self.active_dialog = dialog
        # Opened, not run with a loop of its own: a move asks for what it still needs from
        # the answer of a read (an operation's delivery), where a nested loop would hold
        # every later result back until the dialog closed.
        dialog.finished.connect(lambda result: self._quote_dialog_closed(dialog, result))
        dialog.open()

    def _quote_dialog_closed(self, dialog: QDialog, _result: int) -> None:
        if self.active_dialog is dialog:
            self.active_dialog = None
        # Its save went through the window's operations, which told every view what it
        # changed (the quote's row alone, here): nothing more to announce.
        dialog.deleteLater()

    def _card_menu(self, view: QListView, pos: QPoint) -> None:
        index = view.indexAt(pos)
        quote_id = index.data(QUOTE_ID_ROLE) if index.isValid() else None
        row = self._row(int(quote_id)) if quote_id is not None else None
        if row is None:
            return
        view.setCurrentIndex(index)
        self.quote_selected.emit(row.quote_id)
        menu = QMenu(self)
        menu.addAction("&Edit quote…", lambda: self.edit_quote(row.quote_id))
        menu.addAction(f"&New quote for {row.customer}…", lambda: self.new_quote(row.customer_id))
        menu.addSeparator()
        menu.addAction("Show &details", lambda: self.quote_activated.emit(row.quote_id))
        # Shown, not run with a loop of its own: the board keeps receiving the database's
        # answers while the menu is open; Qt deletes the menu once it closed.
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(view.viewport().mapToGlobal(pos))

    def _offer_after_sale(self, row: QuoteRow) -> None:
        from deckfollow.core.cadence_library import get_cadence
        from deckfollow.core.quotes import AFTER_SALE

        assert self._ops is not None  # only a move on an attached board gets here
        self._ops.run_query(
            self,
            lambda session: get_cadence(session, AFTER_SALE).description,
            success=lambda description: self._ask_after_sale(row, description),
        )

    def _ask_after_sale(self, row: QuoteRow, description: str) -> None:
        # Asked from what a read found (an operation's delivery): the question is opened,
        # not run with a loop of its own that would hold every later result back.
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Won — well done",
            f"Start the after-sale follow-ups for {row.customer}?\n\n{description}\n\n"
            "Each step stays inside what they agreed to.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setDefaultButton(QMessageBox.StandardButton.Yes)

        yes = box.button(QMessageBox.StandardButton.Yes)

        def answered(_result: int) -> None:
            chosen = box.clickedButton()
            box.deleteLater()
            if chosen is yes:
                self._start_after_sale(row)

        box.finished.connect(answered)
        box.open()

    def _start_after_sale(self, row: QuoteRow) -> None:
        from deckfollow.core.winning import start_after_sale_plan

        if self._ops is None:
            return
        now = self._clock()

        def started(changes: Changes) -> None:
            if not changes.follow_ups:
                told = QMessageBox(
                    QMessageBox.Icon.Information,
                    "The after-sale plan was not started",
                    f"{row.customer} asked not to be contacted, or the plan already runs.",
                    QMessageBox.StandardButton.Ok,
                    self,
                )
                told.finished.connect(lambda _result: told.deleteLater())
                told.open()

        self._ops.run_change(
            self,
            lambda session: start_after_sale_plan(session, row.quote_id, now=now),
            success=started,
            error_title="The after-sale plan was not started",
        )
