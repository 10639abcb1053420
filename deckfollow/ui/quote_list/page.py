"""The Quotes page: one search box, a few filters and a sortable table."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QByteArray, QEvent, QObject, QPoint, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from deckfollow.core.enums import Stage
from deckfollow.core.quote_index import QuoteFilter, QuoteIndex, Swapped
from deckfollow.ui.column_fit import (
    LONG_NAME,
    ORDINARY_NAME,
    SHORT_NAME,
    Column,
    ColumnFitter,
    Hide,
    Narrow,
)
from deckfollow.ui.formatting import counted
from deckfollow.ui.qt_values import QUOTE_ID_ROLE
from deckfollow.ui.quote_list.model import COLUMNS, QuoteTableModel
from deckfollow.ui.theme import active_theme
from deckfollow.ui.wrapping_row import WrappingRow

_STAGE_CHOICES: list[tuple[str, frozenset[Stage] | None]] = [
    ("All stages", None),
    (
        "Open (lead, quoted, following up)",
        frozenset({Stage.LEAD, Stage.QUOTED, Stage.FOLLOWING_UP}),
    ),
    *[(s.label, frozenset({s})) for s in Stage],
]


# The widths every column had before they fitted the view (the job stretched).
_OLD_DEFAULT_WIDTHS = (180, 300, 115, 105, 100, 95, 215, 95)
# The widths the user gave columns (`ColumnFit`, "quotes/columns"); its presence says the
# header saved beside it is not an earlier version's.
_WIDTHS_KEY = "quotes/columns/widths"
# The job's width at most while other columns could use the room (all of it in its tooltip).
_LONG_JOB = "Bathroom remodel — primary bath, floor-to-ceiling tile and more"
CUSTOMER, JOB, NUMBER, AMOUNT, STAGE, LAST_TOUCH, NEXT, RECEIVED = range(len(COLUMNS))
# A pause in typing longer than between the keys of a word (a quick typist's come 80-150 ms
# apart): the search has settled on its first row.
TYPING_PAUSE_MS = 200
# Worded as Today and Customers word their own empty states.
EMPTY = (
    "No quotes yet.\n\n"
    "A quote to follow up? New quote… (Ctrl+Shift+N).\n"
    "A new enquiry? File › New lead (Ctrl+N).\n"
    "Customers elsewhere? File › Import contacts, then quote them from their details."
)


class QuoteListPage(QWidget):
    """Every quote; typing filters as you go, headers sort, Enter opens the selected quote."""

    quote_selected = Signal(int)
    # The quote the user settled on (for the details panel beside the list): a row they
    # picked at once (False: the list is still to repaint it); the first row a search found
    # once the typing pauses (True: painted by then). Each key typed moves the first row, and
    # a panel that read and laid out each one (7-10 ms of the window's time at 100,000
    # quotes) did so during the next key's search, for a quote that key replaced.
    quote_chosen = Signal(int, bool)
    quote_activated = Signal(int)
    # The quote dialog is opened by whoever holds the database (the window's features).
    new_quote_requested = Signal()
    edit_quote_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.new_quote_button = QPushButton("New quote…")
        self.new_quote_button.setToolTip("A quote for a customer or someone new (Ctrl+Shift+N)")
        self.new_quote_button.clicked.connect(self.new_quote_requested)
        self.search = QLineEdit()
        self.search.setAccessibleName("Search quotes")
        self.search.setPlaceholderText("Search name, job, quote number, phone or email…")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(200)  # room for the filters beside the details panel
        self.stage = QComboBox()
        for label, _ in _STAGE_CHOICES:
            self.stage.addItem(label)
        self.overdue = QCheckBox("Overdue")
        self.agreed = QCheckBox("Agreed only")
        self.cold = QCheckBox("Going cold")
        # Shown while the list holds only the quotes behind a report figure.
        self.only_bar = QFrame()
        self.only_bar.setObjectName("onlyBar")
        self.only_bar.setStyleSheet(
            "QFrame#onlyBar { background: palette(alternate-base); border-radius: 4px; }"
        )
        self.only_label = QLabel()
        self.only_label.setWordWrap(True)
        self.show_all = QPushButton("Show all quotes")
        only_layout = QHBoxLayout(self.only_bar)
        only_layout.setContentsMargins(10, 4, 6, 4)
        only_layout.addWidget(self.only_label, 1)
        only_layout.addWidget(self.show_all)
        self.only_bar.hide()
        self._only: frozenset[int] | None = None
        self.count = QLabel()
        self.count.setObjectName("quoteCount")
        self.count.setStyleSheet(f"color: {active_theme().muted_text};")
        self.empty = QLabel(EMPTY)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet(
            f"color: {active_theme().muted_text}; font-size: 14px; padding: 40px;"
        )
        self.empty.hide()

        self.model = QuoteTableModel(self)
        self.view = QTableView()
        self.view.setAccessibleName("Quotes")
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        # Fixed row heights let the view skip measuring 20,000 rows.
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.view.verticalHeader().setDefaultSectionSize(28)
        header = self.view.horizontalHeader()
        header.setSortIndicator(len(COLUMNS) - 1, Qt.SortOrder.DescendingOrder)
        # Said in the empty list itself when a search or the filters find nothing.
        self.no_match = QLabel(self.view.viewport())
        self.no_match.setWordWrap(True)
        self.no_match.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_match.setStyleSheet(
            f"color: {active_theme().muted_text}; font-size: 14px; padding: 40px 20px;"
        )
        self.no_match.hide()
        self.view.viewport().installEventFilter(self)

        # One line in a wide window; beside the details panel in a narrow one the filters go
        # under the search box rather than push the page wider than the window.
        self.filters = WrappingRow(
            [
                [(self.search, 1)],
                [(self.stage, 0)],
                [(self.overdue, 0), (self.agreed, 0), (self.cold, 0)],
            ]
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 10)
        layout.setSpacing(8)
        layout.addWidget(self.filters)
        layout.addWidget(self.only_bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty, 1)
        # Below the list, not among the filters: the search box keeps its width.
        footer = QHBoxLayout()
        footer.addWidget(self.count)
        footer.addStretch(1)
        footer.addWidget(self.new_quote_button)
        layout.addLayout(footer)

        self.show_all.clicked.connect(self.clear_only)
        self.search.textChanged.connect(self._schedule)
        self.stage.currentIndexChanged.connect(self._schedule)
        for box in (self.overdue, self.agreed, self.cold):
            box.toggled.connect(self._schedule)
        # Keystrokes that arrive together are filtered once, on the next turn of the loop.
        self._pending = QTimer(self)
        self._pending.setSingleShot(True)
        self._pending.setInterval(0)
        self._pending.timeout.connect(self._filter_typed)
        # The quote a search chose is settled on once the typing pauses this long.
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(TYPING_PAUSE_MS)
        self._settle.timeout.connect(self._settled)
        self._searched = False
        # The rest of a long search, after its first screenful is painted.
        self._rest = QTimer(self)
        self._rest.setSingleShot(True)
        self._rest.setInterval(0)
        self._rest.timeout.connect(self._show_rest)
        self.view.selectionModel().currentRowChanged.connect(self._on_current)
        self.view.activated.connect(self._on_activated)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._row_menu)
        self.model.modelReset.connect(self._update_count)
        # The rest of a search put in below its first screenful (whoever asked for them).
        self.model.rowsInserted.connect(lambda *_: self._update_count())
        self.search.installEventFilter(self)
        self._restore()
        # Beside the details panel the list has half the window: who, how much and what is
        # next stay whole; the job is cut short first, then the received date and the quote
        # number (both in the details) make way. Widths the user dragged are kept.
        self.columns = ColumnFitter(
            self.view,
            [
                Column(CUSTOMER, floor=ORDINARY_NAME, cap=LONG_NAME),
                Column(
                    JOB,
                    floor="Deck and pergola",
                    cap="Bathroom remodel — primary bath, floor-to-ceiling tile and more",
                ),
                Column(NUMBER, cap="Q-2026-000123"),
                Column(AMOUNT, floor="$12,490.00"),
                Column(STAGE),
                Column(LAST_TOUCH, floor="11 wk ago"),
                Column(NEXT),
                Column(RECEIVED),
            ],
            [
                Narrow(JOB, "Gutter replacement — gutter guards"),
                Hide(RECEIVED),
                Hide(NUMBER),
                Narrow(JOB, "Pool fence — frameless"),
                # The customer's own clock beside the owner's is in the tooltip then.
                Narrow(NEXT, "Tue 8 Dec 10:00 · email ✓"),
                Hide(LAST_TOUCH),
                Narrow(JOB, "Pool fence"),
                Hide(STAGE),
                Narrow(CUSTOMER, SHORT_NAME),
                # The narrowest list (a 900 px window with the panel open, which shows the
                # job) keeps who, how much and what is next.
                Hide(JOB),
                Narrow(NEXT, "Tue 8 Dec 10:00"),
                Narrow(CUSTOMER, "Alexandra"),  # whole in its tooltip and in the panel
                Hide(AMOUNT),
            ],
            spare=JOB,
            settings_key="quotes/columns",
        )

    def set_index(self, index: QuoteIndex) -> None:
        """Show a freshly loaded set of quotes, keeping the search and selection."""
        selected = self.selected_quote_id()
        # Made searchable by whoever read it, on the database thread (the first keystroke
        # makes it so here otherwise).
        self.model.set_index(index)
        self.columns.measure()
        if selected is not None:
            self.select_quote(selected)

    def show_swapped(self, index: QuoteIndex, swapped: Swapped) -> None:
        """Show `index` after it took a change's rows (`QuoteIndex.apply_update`): only the
        changed quotes' rows leave, arrive or are repainted; the search, filters, selection
        and scroll stay."""
        if index is not self.model.quote_index:
            self.set_index(index)
            return
        selected = self.selected_quote_id()
        self.model.swap_rows(swapped)
        self._update_count()
        if selected is not None and selected != self.selected_quote_id():
            self.select_quote(selected)  # its row was taken out and put back elsewhere

    def current_filter(self) -> QuoteFilter:
        stages = _STAGE_CHOICES[max(0, self.stage.currentIndex())][1]
        return replace(
            self.model.filter,
            text=self.search.text(),
            stages=stages,
            overdue_only=self.overdue.isChecked(),
            agreed_only=self.agreed.isChecked(),
            cold_only=self.cold.isChecked(),
            quote_ids=self._only,
        )

    def show_only(self, quote_ids: list[int], label: str) -> None:
        """List just these quotes (the ones behind a report figure) until "Show all"."""
        self._only = frozenset(quote_ids)
        for widget in (self.search, self.stage, self.overdue, self.agreed, self.cold):
            widget.blockSignals(True)
        self.search.clear()
        self.stage.setCurrentIndex(0)
        for box in (self.overdue, self.agreed, self.cold):
            box.setChecked(False)
        for widget in (self.search, self.stage, self.overdue, self.agreed, self.cold):
            widget.blockSignals(False)
        n = len(self._only)
        self.only_label.setText(f"Showing the {n:,} quote{'s' * (n != 1)} behind “{label}”.")
        self.only_bar.show()
        self.view.clearSelection()
        self.apply_filter()

    def clear_only(self) -> None:
        self._only = None
        self.only_bar.hide()
        self.apply_filter()

    def apply_filter(self) -> None:
        """Show every quote the search and filters select (at once, however many)."""
        self._pending.stop()
        self._rest.stop()
        self.model.apply(self.current_filter())
        self._select_first()

    def _filter_typed(self) -> None:
        """Show what the search box holds now. A search that looks through tens of thousands
        of quotes shows its first screenful at once and the rest on the next turn of the
        loop (a key typed before then starts over); a short one all at once."""
        flt = self.current_filter()
        index = self.model.quote_index
        screenful = self._screenful()
        first = index.first_rows(flt, screenful) if index is not None else None
        if first is None:
            self.apply_filter()
            return
        self._rest.stop()
        # Fewer than asked for: the search looked through every quote, and they are all.
        whole = len(first) < screenful
        self.model.show_first(flt, first, whole=whole)
        self._select_first()
        if not whole:
            self._rest.start()

    def _show_rest(self) -> None:
        if self.model.show_rest():
            self._update_count()  # also when the first rows were all (no row put in)

    def _screenful(self) -> int:
        """Rows enough to fill the list twice over (it may be scrolled before the rest come)."""
        tall = self.view.viewport().height() // max(
            1, self.view.verticalHeader().defaultSectionSize()
        )
        return 2 * (tall + 1)

    def _select_first(self) -> None:
        if self.model.rowCount() and not self.view.selectionModel().hasSelection():
            self._searched = True  # the row a search chose: settled on once typing pauses
            try:
                self.view.selectRow(0)
            finally:
                self._searched = False

    def selected_quote_id(self) -> int | None:
        index = self.view.currentIndex()
        if not index.isValid():
            return None
        value = self.model.data(index, QUOTE_ID_ROLE)
        return int(value) if value is not None else None

    def select_quote(self, quote_id: int) -> bool:
        row = self.model.row_of(quote_id)
        if row < 0:
            return False
        self.view.selectRow(row)
        self.view.scrollTo(self.model.index(row, 0))
        return True

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        """Down (or Enter) in the search box goes to the results, as in a mail client."""
        if obj is self.view.viewport() and event.type() == QEvent.Type.Resize:
            self.no_match.setGeometry(self.view.viewport().rect())
        if obj is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.apply_filter()
                if self.model.rowCount():
                    self.view.setFocus(Qt.FocusReason.TabFocusReason)
                    if not self.view.currentIndex().isValid():
                        self.view.selectRow(0)
                    return True
        return super().eventFilter(obj, event)

    def save_state(self) -> None:
        settings = QSettings()
        settings.setValue("quotes/header", self.view.horizontalHeader().saveState())
        if settings.value(_WIDTHS_KEY) is None:
            # With the header, so widths saved from now on are never taken for old ones
            # (`_restore`); the user's own pins write it as soon as they are made.
            settings.setValue(_WIDTHS_KEY, "")

    # -- internals ----------------------------------------------------------------------------

    def _schedule(self) -> None:
        self._pending.start()

    def _update_count(self) -> None:
        shown, total = self.model.rowCount(), self.model.total
        # Until the quotes are read the list is not known to be empty.
        nothing = self.model.quote_index is not None and total == 0
        self.view.setVisible(not nothing)
        self.empty.setVisible(nothing)
        self.count.setVisible(not nothing)
        for widget in (self.search, self.stage, self.overdue, self.agreed, self.cold):
            widget.setEnabled(not nothing)
        self.no_match.setText(self._no_match_text() if total and not shown else "")
        self.no_match.setVisible(bool(total) and not shown)
        if not self.model.complete:
            # The first screenful of a long search: the rest, and so the count, come a turn
            # of the loop later. Until then the count says so rather than the last one's.
            self.count.setText(f"Searching {counted(total, 'quote')}…")
            return
        self.count.setText(
            f"{shown:,} of {counted(total, 'quote')}" if shown != total else counted(total, "quote")
        )

    def _no_match_text(self) -> str:
        flt = self.model.filter
        narrowed = bool(flt.stages or flt.overdue_only or flt.agreed_only or flt.cold_only)
        text = flt.text.strip()
        if text:
            said = f"No quotes match “{text}”" + (" with these filters" if narrowed else "")
        elif narrowed:
            said = "No quotes match these filters"
        else:  # the quotes behind a report figure, since trashed
            said = "None of these quotes is here any more"
        return f"{said}.\n{counted(self.model.total, 'quote')} in all."

    def _on_current(self, current: object, _previous: object) -> None:
        quote_id = self.selected_quote_id()
        if quote_id is not None:
            self.quote_selected.emit(quote_id)
            if self._searched:
                self._settle.start()  # typed on, the next key chooses again
            else:
                self._settle.stop()
                self.quote_chosen.emit(quote_id, False)

    def _settled(self) -> None:
        quote_id = self.selected_quote_id()
        if quote_id is not None:
            self.quote_chosen.emit(quote_id, True)

    def _on_activated(self, index: object) -> None:
        quote_id = self.selected_quote_id()
        if quote_id is not None:
            self.quote_activated.emit(quote_id)

    def _row_menu(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        if index.isValid():
            self.view.selectRow(index.row())
        quote_id = self.selected_quote_id() if index.isValid() else None
        menu = QMenu(self)
        if quote_id is not None:
            menu.addAction("&Edit quote…", lambda: self.edit_quote_requested.emit(quote_id))
            menu.addAction("Show &details", lambda: self.quote_activated.emit(quote_id))
            menu.addSeparator()
        menu.addAction("&New quote…", self.new_quote_requested.emit)
        menu.exec(self.view.viewport().mapToGlobal(pos))
        menu.deleteLater()

    def _restore(self) -> None:
        settings = QSettings()
        state = settings.value("quotes/header")
        known = settings.value(_WIDTHS_KEY) is not None
        pins: list[str] = []
        if isinstance(state, QByteArray):
            header = self.view.horizontalHeader()
            header.restoreState(state)
            if not known:
                # Saved before columns fitted themselves: a width other than the old default
                # was the user's own, and stays theirs (the job only filled what was left).
                pins = [
                    f"{col}={header.sectionSize(col)}"
                    for col, default in enumerate(_OLD_DEFAULT_WIDTHS)
                    if col != JOB and header.sectionSize(col) not in (default, 0)
                ]
            section = header.sortIndicatorSection()
            order = header.sortIndicatorOrder()
            key = COLUMNS[section][1] if 0 <= section < len(COLUMNS) else COLUMNS[-1][1]
            self.model.filter = replace(
                self.model.filter,
                sort=key,
                descending=order == Qt.SortOrder.DescendingOrder,
            )
        if not known and isinstance(state, QByteArray):
            # Written once, so widths saved from now on are never taken for old ones. Not
            # written without an old header to take them from (a first start): each
            # write syncs the settings file to disk on the GUI thread, which took 0.3 s
            # at start while the disk was busy; `save_state` writes it with the header.
            settings.setValue(_WIDTHS_KEY, ",".join(pins))
