"""The Customers page: everyone, with or without quotes, searched as you type.

Every read runs on the window's database thread: the list's pages (the next one asked for
half a page before the end, so scrolling seldom waits), a search's or sort's first page,
and how many a search matches.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from deckfollow.core.clock import Clock
from deckfollow.core.customer_search import (
    CustomerRow,
    count_customers,
    count_matching,
    search_customers,
)
from deckfollow.core.errors import DeckfollowError
from deckfollow.core.settings import load_settings
from deckfollow.core.unit_of_work import Session
from deckfollow.ui.column_fit import (
    LONG_NAME,
    ORDINARY_NAME,
    SHORT_NAME,
    Column,
    ColumnFitter,
    Hide,
    Narrow,
)
from deckfollow.ui.customers.merge_dialog import MergeDialog
from deckfollow.ui.customers.model import (
    COMPANY,
    CUSTOMER_ID_ROLE,
    EMAIL,
    LAST,
    NAME,
    OPEN,
    PHONE,
    SUBURB,
    Answer,
    Ask,
    CustomerTableModel,
    read_rows,
)
from deckfollow.ui.customers.new_customer import NewCustomerDialog
from deckfollow.ui.formatting import counted
from deckfollow.ui.operations import Operations
from deckfollow.ui.team.server_away import fills_in_line, open_when_server_back, server_watch
from deckfollow.ui.theme import active_theme
from deckfollow.ui.wrapping_row import WrappingRow

_COUNT_AFTER_MS = 150
# The next page is asked for this many rows before the end of those read.
_READ_AHEAD_ROWS = 100
# A page of rows as read: (the owner's country and zone and how many customers there are,
# when read with it), the rows, whether more match.
_Read = tuple[tuple[str, str, int] | None, list[CustomerRow], bool]
_EMPTY = (
    "No customers yet. Add one with New customer…, capture a lead with Ctrl+N, "
    "or bring your contacts in with File › Import contacts…"
)


class CustomersPage(QWidget):
    """Every customer; typing searches name, phone (any way it is written), email, suburb
    and company; headers sort; Enter or a double-click opens the customer's details.

    `customer_selected` follows the current row (`nothing_selected` when a search leaves
    none), `customer_activated` asks for the details panel, `changed` says something was
    saved here, `message` what it was.
    """

    customer_selected = Signal(int)
    customer_activated = Signal(int)
    nothing_selected = Signal()  # a search left no rows: the details show nobody
    changed = Signal()
    message = Signal(str)  # what was just done, for the status bar

    def __init__(self, ops: Operations, *, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops, self._db, self._clock = ops, ops.store, clock
        self.active_dialog: NewCustomerDialog | MergeDialog | None = None
        self._total = 0
        self.search = QLineEdit()
        self.search.setAccessibleName("Search customers")
        self.search.setPlaceholderText("Search name, phone, email, suburb or company…")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(240)
        self.new_button = QPushButton("New customer…")
        self.merge_button = QPushButton("Merge…")
        self.merge_button.setToolTip(
            "Two records for one person: select one (or both, with Ctrl) and merge them"
        )
        self.count = QLabel()
        self.count.setStyleSheet(f"color: {active_theme().muted_text};")
        self.empty = QLabel(_EMPTY)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet(
            f"color: {active_theme().muted_text}; font-size: 14px; padding: 40px;"
        )

        self.model = CustomerTableModel(self)
        self.view = QTableView()
        self.view.setAccessibleName("Customers")
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.view.verticalHeader().setDefaultSectionSize(28)
        header = self.view.horizontalHeader()
        # Beside the details panel the list has half the window: a name is shown whole, the
        # phone and the last touch too; the email is cut short first, then the company
        # (which few customers have) makes way; a cut text is whole in its tooltip.
        self.columns = ColumnFitter(
            self.view,
            [
                Column(NAME, floor=ORDINARY_NAME, cap=LONG_NAME),
                Column(COMPANY, cap="Harbour Renovations Pty"),
                Column(SUBURB, cap="Port Macquarie West"),
                Column(PHONE, floor="(512) 555-0123"),
                Column(EMAIL, floor="ann.lee@example.com", cap="alexandra.fitzgerald@example.com"),
                Column(OPEN),
                Column(LAST, floor="11 wk ago"),
            ],
            [
                Narrow(EMAIL, "m.lee@gmail.com"),
                Narrow(COMPANY, "Lee Decks"),
                Hide(COMPANY),
                Narrow(SUBURB, "Pflugerville"),
                Narrow(EMAIL, "m.lee@gm"),
                Hide(EMAIL),
                Hide(OPEN),
                Hide(SUBURB),
                Hide(LAST),
                Narrow(NAME, SHORT_NAME),
            ],
            spare=EMAIL,
            settings_key="customers/columns",
        )
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)

        # The buttons go under the search box beside the details panel in a narrow window.
        top = WrappingRow([[(self.search, 1)], [(self.new_button, 0), (self.merge_button, 0)]])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 10)
        layout.setSpacing(8)
        layout.addWidget(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.count)

        # Keystrokes that arrive together are searched once, on the next turn of the loop.
        self._pending = QTimer(self)
        self._pending.setSingleShot(True)
        self._pending.setInterval(0)
        self._pending.timeout.connect(self.apply_search)
        self.search.textChanged.connect(self._pending.start)
        self.search.installEventFilter(self)
        # Each opens once the team server is back when it is away as the button is pressed.
        self.new_button.clicked.connect(
            lambda: open_when_server_back(self, self.new_customer, what="“New customer”")
        )
        self.merge_button.clicked.connect(
            lambda: open_when_server_back(self, self.merge_selected, what="“Merge”")
        )
        self.view.selectionModel().currentRowChanged.connect(self._on_current)
        self.view.selectionModel().selectionChanged.connect(self._refresh_buttons)
        self.view.activated.connect(self._on_activated)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.model.modelReset.connect(self._update_count)
        # How many a search matches is counted after the first page is on screen, once
        # typing pauses: counted between keystrokes, it would hold the next search back.
        self._counting = QTimer(self)
        self._counting.setSingleShot(True)
        self._counting.setInterval(_COUNT_AFTER_MS)
        self._counting.timeout.connect(self._count)
        self.matching = 0
        self._settings_stale = True
        self.model.set_reader(self._read_rows)
        # The selection to keep once the rows asked for are in (one, however many asked).
        self._keep: list[int] | None = None
        # The next page is asked for before the end, not at it.
        self.view.verticalScrollBar().valueChanged.connect(self._read_ahead)
        server_watch().state.connect(self._server_state)
        # Read when first shown, not while the window starts: most days begin on Today. Until
        # the first rows are in, neither "no customers yet" nor a count, only the list's frame.
        self._stale = True
        self.empty.hide()
        self.count.hide()
        self._refresh_buttons()

    # -- data ------------------------------------------------------------------------------

    def _read_rows(self, ask: Ask, answer: Answer) -> None:
        """The model's reader: `ask` read on the database thread, answered here."""
        with_settings = ask.offset == 0 and self._settings_stale
        country = self.model.country

        def read(session: Session) -> _Read:
            found = None
            where = country
            if with_settings:
                # Once per refresh, not per keystroke.
                settings = load_settings(session)
                where = settings.default_country
                found = (where, settings.owner_timezone, count_customers(session))
            rows, more = read_rows(
                lambda offset, limit: search_customers(
                    session,
                    ask.text,
                    sort=ask.sort,
                    descending=ask.descending,
                    offset=offset,
                    limit=limit,
                    country=where,
                ),
                ask,
            )
            return found, rows, more

        def arrived(got: _Read) -> None:
            found, rows, more = got
            if found is not None:
                self._settings_stale = False
                self.model.country, self.model.owner_tz, self._total = found
            self.model.now = self._clock()
            answer(rows, more)

        def failed(error: DeckfollowError) -> None:
            self.count.setText(str(error))
            answer(None, False)

        self._ops.run_query(self, read, success=arrived, failure=failed)

    def _read_ahead(self, value: int) -> None:
        # Half a page of rows before the end: read before Page Down held gets there.
        bar = self.view.verticalScrollBar()
        room = _READ_AHEAD_ROWS * self.view.verticalHeader().defaultSectionSize()
        if value >= bar.maximum() - room and self.model.canFetchMore(QModelIndex()):
            self.model.fetchMore(QModelIndex())

    def _server_state(self, up: bool, _why: str) -> None:
        if not up and self.model.is_reading():
            # The read waits for the server and runs again once it is back (ui.operations).
            self.count.setText(fills_in_line())
            self.count.show()

    def refresh(self) -> None:
        """Read everyone again (after a change anywhere), keeping the search and selection;
        a page not on screen reads when it is next shown."""
        if not self.isVisible():
            self._stale = True
            return
        if self.model.is_reloading() and self._ops.answering():
            # Asked for by the page once its own change was saved (an add, a merge): that
            # read runs after the change, so its broadcast needs no second one.
            return
        self._read()

    def _read(self, *, then_select: int | None = None) -> None:
        """Read the rows again; then select `then_select` (the customer just added or
        kept, read in the same read however far down the list they are), or keep the
        selection."""
        self._stale = False
        self._settings_stale = True
        selected = self.selected_ids() if then_select is None else [then_select]
        self.model.reload(until=then_select)
        self.model.when_read(self.columns.measure)
        self._reselect_when_read(selected, replace=then_select is not None)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._read()

    def apply_search(self) -> None:
        self._pending.stop()
        self._stale = False
        selected = self.selected_ids()
        self.model.search(self.search.text())
        self._reselect_when_read(selected)

    def _reselect_when_read(self, ids: list[int], *, replace: bool = False) -> None:
        if self._keep is None:  # the first asked for is the user's; later ones the same rows'
            self._keep = ids
            self.model.when_read(self._reselect)
        elif replace:
            self._keep = ids

    def _reselect(self) -> None:
        ids, self._keep = self._keep or [], None
        # Only among the rows read: hunting a customer the search hides would read them all.
        for cid in ids[:1]:
            row = self.model.row_of(cid)
            if row >= 0:
                self._select_row(row)
                return
        if self.model.rowCount():
            self.view.selectRow(0)
        else:
            self.nothing_selected.emit()
        self._refresh_buttons()

    # -- selection -------------------------------------------------------------------------

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        current = self.view.currentIndex()
        if current.isValid() and current.row() in rows:
            rows.remove(current.row())
            rows.insert(0, current.row())
        return [r.id for n in rows if (r := self.model.row_at(n)) is not None]

    def selected_customer_id(self) -> int | None:
        index = self.view.currentIndex()
        value = self.model.data(index, CUSTOMER_ID_ROLE) if index.isValid() else None
        return int(value) if value is not None else None

    def select_customer(self, customer_id: int) -> None:
        """Select this customer once read (pages are read on until they are), unless the
        search hides them."""

        def found(row: int) -> None:
            if row >= 0:
                self._select_row(row)

        self.model.find(customer_id, found)

    def _select_row(self, row: int) -> None:
        self.view.selectRow(row)
        self.view.scrollTo(self.model.index(row, 0))

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # -- actions ---------------------------------------------------------------------------

    def new_customer(self) -> NewCustomerDialog:
        """Open "New customer…"; afterwards the customer (new or chosen) is selected."""
        dlg = NewCustomerDialog(self._db, clock=self._clock, parent=self)
        dlg.created.connect(self._after_new)
        dlg.chosen.connect(self._after_new)
        self._open(dlg)
        return dlg

    def merge_selected(self) -> MergeDialog | None:
        """Open "Merge…" for the selected customer(s): two side by side, or one and a search."""
        ids = self.selected_ids()
        if not ids:
            return None
        dlg = MergeDialog(
            self._db, ids[0], ids[1] if len(ids) > 1 else None, clock=self._clock, parent=self
        )
        dlg.merged.connect(self._after_merge)
        dlg.merged.connect(lambda _id: self.message.emit(dlg.summary))
        self._open(dlg)
        return dlg

    def _open(self, dlg: NewCustomerDialog | MergeDialog) -> None:
        self.active_dialog = dlg
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()

    def _after_new(self, customer_id: int) -> None:
        # Cleared without a search of its own: the read below is the one that counts.
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.model.text = ""
        self._after_change(customer_id)

    def _after_merge(self, keep_id: int) -> None:
        self._after_change(keep_id)

    def _after_change(self, customer_id: int) -> None:
        """The list is read once, with the customer added or kept selected (not first the
        one selected before, nor the first row of a long list), and their details open
        beside it."""
        self._read(then_select=customer_id)
        self.changed.emit()
        self.customer_activated.emit(customer_id)

    # -- internals -------------------------------------------------------------------------

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        """Down (or Enter) in the search box goes to the results, as in a mail client."""
        if obj is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.apply_search()
                self.model.when_read(self._into_results)
                return True
        return super().eventFilter(obj, event)

    def _into_results(self) -> None:
        if self.model.rowCount():
            self.view.setFocus(Qt.FocusReason.TabFocusReason)
            if not self.view.currentIndex().isValid():
                self.view.selectRow(0)

    def _update_count(self) -> None:
        nobody = self._total == 0
        self.view.setVisible(not nobody)
        self.empty.setVisible(nobody)
        self.count.setVisible(not nobody)
        self.search.setEnabled(not nobody)
        if self.model.complete:
            self._show_count(self.model.rowCount())
        elif not self.model.text.strip():
            self._show_count(self._total)
        else:
            self._counting.start()

    def _count(self) -> None:
        text, country = self.model.text, self.model.country

        def counted(matching: int) -> None:
            if text == self.model.text and not self.model.is_reading():
                self._show_count(matching)  # else a newer search counts its own

        self._ops.run_query(
            self, lambda s: count_matching(s, text, country=country), success=counted
        )

    def _show_count(self, shown: int) -> None:
        total = self._total
        self.matching = shown
        if self.model.text and not shown:
            self.count.setText(
                f"Nobody matches “{self.model.text}” among {counted(total, 'customer')}"
            )
        elif shown != total:
            self.count.setText(f"{shown:,} of {counted(total, 'customer')}")
        else:
            self.count.setText(counted(total, "customer"))

    def _refresh_buttons(self, *_: object) -> None:
        n = len(self.view.selectionModel().selectedRows())
        self.merge_button.setEnabled(1 <= n <= 2 and self._total > 1)

    def _on_current(self, *_: object) -> None:
        customer_id = self.selected_customer_id()
        if customer_id is not None:
            self.customer_selected.emit(customer_id)

    def context_menu(self) -> QMenu:
        """What can be done with the selected customer(s), as the right-click shows it."""
        menu = QMenu(self)
        ids = self.selected_ids()
        details = menu.addAction("Open details")
        details.setEnabled(len(ids) == 1)
        details.triggered.connect(self._on_activated)
        merge = menu.addAction("Merge…" if len(ids) == 2 else "Merge with…")
        merge.setEnabled(self.merge_button.isEnabled())
        merge.triggered.connect(self.merge_selected)
        menu.addSeparator()
        menu.addAction("New customer…").triggered.connect(self.new_customer)
        return menu

    def _context_menu(self, at: QPoint) -> None:
        menu = self.context_menu()
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.view.viewport().mapToGlobal(at))

    def _on_activated(self, *_: object) -> None:
        customer_id = self.selected_customer_id()
        if customer_id is not None:
            self.customer_activated.emit(customer_id)
