"""The main window: navigation on the left, one page at a time, menus every feature adds to.

Every database call goes through the window's `Operations` (`ui.operations`), made once the
database is open. What a change did (`Changes`) is broadcast to each page's `apply_changes`,
which refreshes only what concerns it. The board and the quote list share one loaded set of
quotes (a `QuoteIndex` loaded by `core.board`), reloaded when quotes, customers, follow-ups,
touches or settings changed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QByteArray, QObject, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QHideEvent, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from deckfollow.core.clock import Clock
from deckfollow.ui.after_paint import AfterPaint
from deckfollow.ui.garbage import before_building, set_aside, while_building
from deckfollow.ui.reminders.banner import ReminderBanner

if TYPE_CHECKING:  # the pages pull in SQLAlchemy; the empty frame paints before they load
    from PySide6.QtWidgets import QDockWidget

    from deckfollow.core.changes import Changes
    from deckfollow.core.quote_index import IndexUpdate, QuoteIndex
    from deckfollow.core.unit_of_work import Session, Store
    from deckfollow.ui.board import BoardPage
    from deckfollow.ui.customer_detail import DetailPanel
    from deckfollow.ui.customers import CustomersPage
    from deckfollow.ui.operations import Operations
    from deckfollow.ui.quote_list import QuoteListPage
    from deckfollow.ui.reports import ReportsHolder
    from deckfollow.ui.today_page import TodayPage


# At the window's minimum width (900) the page keeps room for its list beside the details
# panel, and the panel stays readable: its contact form's two columns still fit.
LIST_MIN_WIDTH = 350
PANEL_MIN_WIDTH = 390
PANEL_WIDTH = 500  # the first time it opens, where the window has room
NOTICE_SHOWN_MS = 12000  # long enough to read a sentence twice

# The pages `attach` builds beside the board: key, title, place in the navigation.
_PAGES_BESIDE_THE_BOARD = (
    ("today", "Today", 0),
    ("quotes", "Quotes", -1),
    ("customers", "Customers", -1),
    ("reports", "Reports", -1),
)

# Qt.ItemDataRole.UserRole as a plain number: touching the `Qt` namespace makes PySide build
# its hundred enums (30 ms here), which would delay the window's first paint.
_PAGE_KEY_ROLE = 0x0100


class OtherQuotes(Protocol):
    """The quotes not on the board, read after it from the same snapshot of the file
    (`storage.quick_board.BoardFirst`)."""

    def everything(self) -> QuoteIndex | None: ...

    def close(self) -> None: ...


class MainWindow(QMainWindow):
    """The window a tradesperson keeps open all day.

    Features add themselves through `add_page` and `menu`; `ops` runs every database call
    and tells every page what a change did.
    """

    ops: Operations
    detail: DetailPanel
    detail_dock: QDockWidget
    today: TodayPage
    board: BoardPage
    quotes: QuoteListPage
    customers: CustomersPage
    reports: ReportsHolder

    def __init__(self, db: Store | None, *, clock: Clock, parent: QWidget | None = None) -> None:
        """The window frame; with `db` its pages too, else call `attach(db)` once it is open."""
        super().__init__(parent)
        self.clock = clock
        self.setWindowTitle("deckfollow")
        self.setMinimumSize(900, 600)
        self._pages: dict[str, QWidget] = {}
        self._read_ahead: QuoteIndex | None = None  # every quote, read before the db opened
        # Or the board's quotes read before the db opened, the others read once it shows them.
        self._rest: OtherQuotes | None = None
        self.reminders: QObject | None = None
        self.outside_writes: QObject | None = None  # follows writes by other programs
        self._menus: dict[str, QMenu] = {}
        self._details_later = False
        # At start, the quotes shown are made searchable once the start's steps are done
        # (`search_later`): until then the quotes waiting for it.
        self._search_later = False
        self._unsearchable: QuoteIndex | None = None
        # Pages listed in the navigation before they are built (see `preview_board`).
        self._reserved: set[str] = set()
        self._board_wired = False
        self.current_quote_id: int | None = None
        self._pending_undo: Callable[[], None] | None = None
        # The card last chosen on the board: each column keeps a current card of its own.
        self._board_quote: int | None = None
        self._last_page: str | None = None  # the page the user chose, saved on closing

        self.nav = QListWidget()
        self.nav.setAccessibleName("Pages")
        self.nav.setObjectName("nav")
        self.nav.setFixedWidth(150)
        self.nav.setFrameShape(QFrame.Shape.NoFrame)
        self.nav.setStyleSheet(
            "QListWidget#nav { background: palette(window); font-size: 14px; padding-top: 8px; }"
            "QListWidget#nav::item { padding: 8px 14px; }"
            "QListWidget#nav::item:selected { background: palette(highlight);"
            " color: palette(highlighted-text); border-radius: 4px; }"
        )
        self.stack = QStackedWidget()
        # Not the widest page's own minimum: the details panel takes the rest of the window.
        self.stack.setMinimumWidth(LIST_MIN_WIDTH)
        # Notes and reminders shown inside the window (where the desktop has no tray).
        self.banner = ReminderBanner()
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(0)
        right_layout.addWidget(self.banner)
        right_layout.addWidget(self.stack, 1)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(right, 1)
        self.setCentralWidget(central)
        self.nav.currentRowChanged.connect(self._on_nav)

        self._build_menus()
        self._restore_settings()
        if db is None:
            self.statusBar().showMessage("Opening your data…")
        else:
            self.attach(db)

    def attach(self, db: Store) -> None:
        """Build the pages on the opened database (the frame can be on screen already).

        The one place the database handle enters the window: its operations hold it."""
        from deckfollow.ui.board import BoardPage
        from deckfollow.ui.customers import CustomersPage
        from deckfollow.ui.operations import Operations
        from deckfollow.ui.quote_list import QuoteListPage
        from deckfollow.ui.today_page import TodayPage

        ops = getattr(self, "ops", None)
        if isinstance(ops, Operations):
            ops.hold(db)  # made at start: the database was opened on its thread
        else:
            self.ops = ops = Operations(db, self)

        clock = self.clock
        self.today = TodayPage(db, clock=clock, ops=ops)
        if "board" in self._pages:  # painted ahead by `preview_board`
            self.board.attach(ops)
        else:
            self.board = BoardPage(ops, clock=clock)
        self._wire_board()
        self.quotes = QuoteListPage()
        self.add_page("today", "Today", self.today, position=0)
        self.add_page("board", "Pipeline", self.board)
        self.add_page("quotes", "Quotes", self.quotes)
        self.customers = CustomersPage(ops, clock=clock)
        self.add_page("customers", "Customers", self.customers)
        self.customers.customer_activated.connect(self.open_customer)
        self.customers.customer_selected.connect(self._follow_customer)
        self.customers.nothing_selected.connect(self._no_customer_selected)
        self.customers.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self._listen_to_team(db)
        self.today.open_quote.connect(self.open_quote)
        self.quotes.quote_activated.connect(self.open_quote)
        self.quotes.quote_selected.connect(self._remember_quote)
        self._build_reports()
        self._build_stage_menu()
        ops.changes_applied.connect(self.apply_changes)
        self.statusBar().showMessage(str(db.path or "team database"))

    # -- features plug in here ---------------------------------------------------------------

    def preview_board(
        self,
        index: QuoteIndex,
        *,
        complete: bool = False,
        rest: OtherQuotes | None = None,
        board: BoardPage | None = None,
    ) -> None:
        """Show the pipeline from quotes read ahead of the database opening (on `board`, a
        board made ahead for it, or a new one); it paints on the next turn of the loop.

        `attach` then adopts this board. With `complete` (every quote, read from the file
        this app holds open) the first refresh uses these quotes instead of reading them
        again; with `rest` (`index` is the board's quotes, `rest` reads the others from the
        same snapshot) the first refresh keeps the board as it is and reads only the others
        for the list; otherwise it replaces them.
        """
        from deckfollow.ui.board import BoardPage

        self.board = board if board is not None else BoardPage(None, clock=self.clock)
        self.board.set_index(index)  # filled before it shows: no empty columns flash by
        self.add_page("board", "Pipeline", self.board)
        self._wire_board()
        self._reserve_pages()
        set_aside()  # kept while the app runs: no collection need walk these quotes
        self._read_ahead = index if complete or rest is not None else None
        self._rest = rest

    # -- before the database has opened (the board shows the quotes read ahead) --------------

    def _wire_board(self) -> None:
        """The board's cards open and select quotes in the window (once, from its first paint)."""
        if self._board_wired:
            return
        self._board_wired = True
        self.board.quote_activated.connect(self.open_quote)
        self.quote_selected = self.board.quote_selected
        self.board.quote_selected.connect(self._remember_quote)
        self.board.quote_selected.connect(self._remember_board_quote)

    def _reserve_pages(self) -> None:
        """The navigation lists every page from the board's first paint, so it does not change
        under the user: a page not built yet holds its place until `attach` builds it."""
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QLabel

        for key, title, position in _PAGES_BESIDE_THE_BOARD:
            if key not in self._pages:
                holder = QLabel("Opening your data…")
                holder.setAlignment(Qt.AlignmentFlag.AlignCenter)
                holder.setEnabled(False)  # greyed, as a note, not content
                self._reserved.add(key)
                self.add_page(key, title, holder, position)

    def _take_place(self, key: str, widget: QWidget) -> None:
        """`widget`, the page built for `key`, takes the place held for it (on screen if it is)."""
        held = self._pages[key]
        self._reserved.discard(key)
        self._pages[key] = widget
        self.stack.insertWidget(self.stack.indexOf(held), widget)
        if self.stack.currentWidget() is held:
            self.stack.setCurrentWidget(widget)
        self.stack.removeWidget(held)
        held.deleteLater()

    def _once_pages_joined(self, action: Callable[[], object]) -> bool:
        """Before the pages have joined (the database still opening), `action` waits until
        they have, behind the opening on the database thread: True when it was put off."""
        if hasattr(self, "quotes"):
            return False
        ops = getattr(self, "ops", None)
        if ops is not None:
            ops.behind_the_opening(self, action, lambda: hasattr(self, "quotes"))
        return True

    def forget_read_ahead(self) -> None:
        """The file changed since the quotes were read ahead (a backup restored): read again."""
        self._read_ahead = None
        rest, self._rest = self._rest, None
        if rest is not None:
            rest.close()

    def add_page(self, key: str, title: str, widget: QWidget, position: int = -1) -> None:
        """Add a page to the navigation, at the end or at `position` (once per key)."""
        if key in self._pages:
            if key in self._reserved:
                self._take_place(key, widget)
            return
        self._pages[key] = widget
        item = QListWidgetItem(title)
        item.setData(_PAGE_KEY_ROLE, key)
        if position < 0:
            self.stack.addWidget(widget)
            self.nav.addItem(item)
        else:
            self.stack.insertWidget(position, widget)
            self.nav.insertItem(position, item)
        if self.nav.currentRow() < 0:
            # The first page shows by default without being remembered as the user's choice.
            self.nav.blockSignals(True)
            self.nav.setCurrentRow(0)
            self.nav.blockSignals(False)
            self.stack.setCurrentWidget(widget)

    def show_page(self, key: str) -> None:
        """Switch to a page by its key."""
        for row in range(self.nav.count()):
            if self.nav.item(row).data(_PAGE_KEY_ROLE) == key:
                self.nav.setCurrentRow(row)
                return

    def page(self, key: str) -> QWidget | None:
        return self._pages.get(key)

    def menu(self, name: str) -> QMenu:
        """The menu called `name` ("File", "Edit", "View", "Tools", "Help"), made on first use."""
        if name not in self._menus:
            self._menus[name] = self.menuBar().addMenu(f"&{name}")
        return self._menus[name]

    def show_banner(self, text: str) -> None:
        """A note across the top of the window until it is closed (empty text clears all)."""
        if text:
            self.banner.show_note(text)
        else:
            self.banner.clear()

    def refresh(self) -> None:
        """Reload everything (View › Refresh, and once the database is open)."""
        from deckfollow.core.changes import EVERYTHING

        if not hasattr(self, "quotes"):
            return  # the pages read everything as they join

        self.apply_changes(EVERYTHING)

    def apply_changes(self, changes: Changes, initiator: object | None = None) -> None:
        """Bring every page up to date with what a change did, and no further: the quote
        index takes the rows the change names (or is read again when it does not say
        which), each page refreshes what concerns it. The page that made the change
        (`initiator`) has brought itself up to date already and is passed by."""
        from deckfollow.core.board import load_index_update
        from deckfollow.core.quote_index import rows_to_reread

        if changes.notices:
            # What a change did beyond what was asked ("the after-sale plan was stopped: 1
            # follow-up cancelled"), said once, wherever the change was made.
            self.statusBar().showMessage(" ".join(changes.notices), NOTICE_SHOWN_MS)
        if not changes.touches_records():
            return  # nothing any page shows
        reread = rows_to_reread(changes)
        index = self.quotes.model.quote_index
        if reread is None or index is None:
            self._reload_index()
        elif reread.quote_ids or reread.customer_ids:
            # Only the rows named are read, on the database thread; the index takes them in
            # place, and the list and board move just those rows (`QuoteIndex.apply_update`).
            now, wanted = self.clock(), reread

            def update(session: Session) -> IndexUpdate:
                return load_index_update(session, now=now, reread=wanted)

            def show(found: IndexUpdate) -> None:
                if self.quotes.model.quote_index is not index:
                    # Read again whole meanwhile, perhaps before this change was saved.
                    self._reload_index()
                    return
                swapped = index.apply_update(found)
                self.quotes.show_swapped(index, swapped)
                self.board.show_swapped(index, swapped)

            self.ops.run_query(self, update, success=show)
        for widget in self._pages.values():
            if widget is self.board or widget is self.quotes:
                continue  # both show the quote index brought up to date above
            if widget is initiator:
                continue  # it brought itself up to date with its own change
            apply = getattr(widget, "apply_changes", None)
            if callable(apply):
                apply(changes)
                continue
            reload = getattr(widget, "refresh", None)
            if callable(reload):
                reload()
        # The details panel, once built, hears of each change itself (it reads once per change).
        if not self._has_details() and not self._details_later:
            # The details panel is built after the first paint, not on the way to it.
            QTimer.singleShot(0, self, self._build_detail_dock)

    def _reload_index(self) -> None:
        from deckfollow.core.board import load_quote_index

        now = self.clock()
        shown = self.quotes.model.filter
        before_building()  # the quotes read are set aside once shown
        ahead, self._read_ahead = self._read_ahead, None
        rest, self._rest = self._rest, None
        if ahead is not None and rest is not None:  # the board's quotes, read before it opened
            self._show_board(ahead)

            def with_the_rest(session: Session) -> tuple[QuoteIndex, bool]:
                # The other quotes from the same snapshot; through SQLAlchemy only if the file
                # could not be read that way after all (it changed in between): then every
                # row is read afresh, the board's too.
                with while_building():  # set aside once shown
                    index = rest.everything()
                    same_read = index is not None
                    if index is None:
                        index = load_quote_index(session, now=now)
                    index.select(shown)
                    index.board()
                return index, same_read

            def show_all(read: tuple[QuoteIndex, bool]) -> None:
                index, same_read = read
                self.quotes.set_index(index)
                if same_read and self.board.quote_index() is ahead:  # its very cards, and more
                    self.board.keep_cards(index)
                else:  # a change came in between, or the board's rows were read again
                    self.board.set_index(index)
                set_aside()  # as `_show_index` does, when it comes after the start is done
                self._prepare_search(index)

            self.ops.run_query(self, with_the_rest, success=show_all)
            return
        if ahead is not None:  # every quote, read before the database opened

            def prepared() -> QuoteIndex:
                # Sorted on the database thread, as a fresh read is; made searchable there
                # just after it is shown.
                with while_building():
                    ahead.select(shown)
                    ahead.board()
                return ahead

            def show(index: QuoteIndex) -> None:
                self._show_index(index)
                self._prepare_search(index)

            self.ops.run_task(self, prepared, success=show)
            return

        def everything(session: Session) -> QuoteIndex:
            with while_building():  # set aside once shown (`_show_index`)
                index = load_quote_index(session, now=now)
                # Sorted, filtered and made searchable here, off the GUI thread: the list
                # and the board then only show what is ready (the index keeps its work).
                index.select(shown)
                index.prepare_search()
                index.board()
            return index

        self.ops.run_query(self, everything, success=self._show_index)

    def search_later(self) -> None:
        """At start the quotes are made searchable once `prepare_search` is called, after
        the start's steps: made beside them on the database thread (1.6 s at 100,000
        quotes), it took the interpreter's lock from the window's thread as it built the
        details panel and imported the rest's modules. A search typed before then makes
        them searchable itself, as it did before the database thread got to it."""
        self._search_later = True

    def prepare_search(self) -> None:
        """The start's steps are done: the quotes shown are made searchable (see
        `search_later`)."""
        self._search_later = False
        index, self._unsearchable = self._unsearchable, None
        if index is not None and self.quotes.model.quote_index is index:
            self._prepare_search(index)

    def _prepare_search(self, index: QuoteIndex) -> None:
        """Made searchable on the database thread, then set aside as the quotes are."""
        if self._search_later:
            self._unsearchable = index
            return

        def prepare() -> None:
            with while_building():
                index.prepare_search()

        self.ops.run_task(self, prepare, success=lambda _: set_aside())

    def _show_index(self, index: QuoteIndex) -> None:
        self.quotes.set_index(index)
        self.board.set_index(index)
        # The quotes read again live until the next change (the last ones are freed by now):
        # set aside, a full collection falling due while the owner types need not walk them.
        set_aside()

    def _show_board(self, index: QuoteIndex) -> None:
        """The board shows `index`, the board's quotes read before the database opened (on
        screen since, so not laid out again); the list waits for every quote."""
        if self.board.quote_index() is not index:
            self.board.set_index(index)

    def open_quote(self, quote_id: int) -> None:
        """Show a quote and its customer in the details panel beside the page."""
        self.current_quote_id = quote_id
        if self._once_pages_joined(lambda: self.open_quote(quote_id)):
            return
        self._build_detail_dock()
        self.detail_dock.show()
        self.detail_dock.raise_()
        self.detail.show_quote(quote_id)

    def open_customer(self, customer_id: int) -> None:
        """Show a customer (with their current quote) in the details panel beside the page."""
        if self._once_pages_joined(lambda: self.open_customer(customer_id)):
            return
        self._build_detail_dock()
        self.detail_dock.show()
        self.detail_dock.raise_()
        self.detail.show_customer(customer_id)

    def _remember_board_quote(self, quote_id: int) -> None:
        self._board_quote = quote_id

    def _page_selection(self, page: QWidget | None) -> tuple[int | None, int] | None:
        """What `page` has selected, as (quote id or None, customer id or 0 when a quote
        says whose it is); None when it selects nobody (or selects nothing at all)."""
        if page is self.today:
            item = self.today.current_item()
            if item is None:
                return None
            return (item.quote_id, 0) if item.quote_id is not None else (None, item.customer_id)
        if page is self.board:
            shown = self._board_quote
            if shown is None or not any(
                column.model.row_of(shown) >= 0 for column in self.board.columns.values()
            ):
                return None  # never chosen, or gone from the board since (trashed)
            return (shown, 0)
        if page is self.quotes:
            quote_id = self.quotes.selected_quote_id()
            return None if quote_id is None else (quote_id, 0)
        if page is self.customers:
            customer_id = self.customers.selected_customer_id()
            return None if customer_id is None else (None, customer_id)
        return None

    def _show_page_selection(self) -> None:
        """The open panel shows whom the page on screen has selected, or nobody: never a
        person the page in front of the user does not have selected."""
        if not (self._has_details() and self.detail_dock.isVisible()):
            return  # opening it shows the page's selection then (`_details_opened`)
        chosen = self._page_selection(self.stack.currentWidget())
        if chosen is None:
            self.detail.clear()
            return
        quote_id, customer_id = chosen
        if quote_id is not None:
            if quote_id != self.detail.quote_id:
                self.detail.show_quote(quote_id)
        elif customer_id != self.detail.customer_id:
            self.detail.show_customer(customer_id)

    def _follow_customer(self, customer_id: int) -> None:
        # On the Customers page the panel is what a selection is for: it opens beside the
        # list, as a quote's does when it is opened, and follows the selected row.
        if self.stack.currentWidget() is self.customers:
            self.open_customer(customer_id)
        elif self._has_details() and self.detail_dock.isVisible():
            self.detail.show_customer(customer_id)

    def _no_customer_selected(self) -> None:
        # A search that finds nobody leaves nobody in the panel, not the last one found.
        if self.stack.currentWidget() is self.customers and self._has_details():
            self.detail.clear()

    def _has_details(self) -> bool:
        return hasattr(self, "detail_dock")

    def build_details_later(self) -> None:
        """At start the details panel is built by `build_details` once its modules have
        loaded on the database thread, after the page on screen shows its data, not on the
        way to it (a tenth of a second here); opening a quote builds it at once."""
        self._details_later = True

    def build_details(self) -> None:
        """The details panel, built now if it is not yet (see `build_details_later`)."""
        self._build_detail_dock()

    def _build_detail_dock(self) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QDockWidget

        if self._has_details():
            return
        from deckfollow.ui.customer_detail import DetailPanel

        self.detail = DetailPanel(self.ops.store, clock=self.clock, ops=self.ops)
        self.detail.setMinimumWidth(PANEL_MIN_WIDTH)
        self.detail.message.connect(lambda text: self.statusBar().showMessage(text, 10000))
        self.detail_dock = QDockWidget("Details", self)
        self.detail_dock.setObjectName("detailsDock")
        self.detail_dock.setWidget(self.detail)
        self.detail_dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
        )
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.detail_dock)
        self.detail_dock.hide()
        toggle = self.detail_dock.toggleViewAction()
        toggle.setText("&Details panel")
        toggle.setShortcut(QKeySequence("Ctrl+D"))
        self.menu("View").addAction(toggle)
        # While the panel is open it follows whatever quote the user selects. A row picked
        # in the list is read once the list has repainted, instead of taking turns with the
        # repaint on the interpreter lock; the row a search chose, once the typing pauses
        # (see `QuoteListPage.quote_chosen`), when the list has painted it already.
        self._list_painted = AfterPaint(self.quotes.view, self.quotes.view.viewport())
        self.board.quote_selected.connect(
            lambda quote_id: self._follow_selection(quote_id, self.board, painted=True)
        )
        self.quotes.quote_chosen.connect(
            lambda quote_id, painted: self._follow_selection(quote_id, self.quotes, painted)
        )
        self.today.current_changed.connect(self._follow_today)
        self.detail_dock.visibilityChanged.connect(self._details_opened)
        state = QSettings().value("main/state")
        self._panel_sized = True  # while the saved state is restored
        self._panel_sized = isinstance(state, QByteArray) and self.restoreState(state)

    def _details_opened(self, visible: bool) -> None:
        """Opened from the menu or Ctrl+D, the panel shows what the page on screen selects."""
        if not visible:
            return
        if not self._panel_sized:  # no width the user chose yet: a roomy one, not the least
            self._panel_sized = True
            self.resizeDocks([self.detail_dock], [PANEL_WIDTH], Qt.Orientation.Horizontal)
        self._show_page_selection()

    def _follow_selection(self, quote_id: int, page: QWidget, painted: bool) -> None:
        # `painted`: nothing to wait for (else the read waits for the list's repaint).
        # A page off screen re-selecting its row after a reload must not switch the person.
        if page is not self.stack.currentWidget():
            return
        if self._has_details() and self.detail_dock.isVisible():
            held = None if painted else self._list_painted.hold()
            self.detail.show_quote(quote_id, after_paint=held)

    def _follow_today(self, *_items: object) -> None:
        if self.stack.currentWidget() is not self.today:
            return  # an action on another page never hands the panel to Today's choice
        # The person Today's own panel shows: the selected follow-up's, as it moves.
        self._show_page_selection()

    # -- internals ----------------------------------------------------------------------------

    def _build_menus(self) -> None:
        # setShortcuts, not setShortcut: choosing setShortcut's overload makes PySide build
        # the `Qt` namespace's enums first, 30 ms before the first paint.
        file_menu = self.menu("File")
        self.menu("Edit")
        view = self.menu("View")
        self.menu("Tools")
        help_menu = self.menu("Help")
        quit_action = QAction("&Quit", self)
        quit_action.setShortcuts(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self._quit)
        file_menu.addAction(quit_action)
        for number, (key, title) in enumerate(
            (
                ("today", "&Today"),
                ("board", "&Pipeline"),
                ("quotes", "&Quotes"),
                ("customers", "C&ustomers"),
            ),
            start=1,
        ):
            go = QAction(title, self)
            go.setShortcuts([QKeySequence(f"Ctrl+{number}")])
            go.triggered.connect(lambda _=False, k=key: self.show_page(k))
            view.addAction(go)
        find = self._find_action = QAction("&Find a quote…", self)
        find.setShortcuts(QKeySequence.StandardKey.Find)
        find.triggered.connect(self._find)
        view.addAction(find)
        view.addSeparator()
        refresh = QAction("&Refresh", self)
        refresh.setShortcuts(QKeySequence.StandardKey.Refresh)
        refresh.triggered.connect(self.refresh)
        view.addAction(refresh)
        about = QAction("&About deckfollow", self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def _build_reports(self) -> None:
        """The Reports page (Ctrl+5, Tools › Reports); built and computed once shown."""
        from deckfollow.ui.reports import ReportsHolder

        self.reports = ReportsHolder(self.ops, clock=self.clock)
        self.add_page("reports", "Reports", self.reports)
        self.reports.show_quotes.connect(self._show_report_quotes)
        go = QAction("&Reports", self)
        go.setShortcuts([QKeySequence("Ctrl+5")])
        go.triggered.connect(lambda _=False: self.show_page("reports"))
        self.menu("View").insertAction(self._find_action, go)
        self.menu("Tools").addAction(go)

    def _show_report_quotes(self, quote_ids: list[int], label: str) -> None:
        self.quotes.show_only(quote_ids, label)
        self.show_page("quotes")

    def _build_stage_menu(self) -> None:
        """Edit › Move to stage: the keyboard's way to do what dragging a card does."""
        from deckfollow.core.enums import Stage

        moves = self.menu("Edit").addMenu("&Move quote to")
        labels = {
            Stage.LEAD: "&Lead",
            Stage.QUOTED: "&Quoted",
            Stage.FOLLOWING_UP: "&Following up",
            Stage.WON: "&Won…",
            Stage.LOST: "L&ost…",
            Stage.PARKED: "&Parked…",
        }
        self.stage_actions: dict[Stage, QAction] = {}
        for number, stage in enumerate(Stage, start=1):
            action = QAction(labels[stage], self)
            action.setShortcut(QKeySequence(f"Ctrl+Alt+{number}"))
            action.triggered.connect(lambda _=False, s=stage: self.move_current_quote(s))
            moves.addAction(action)
            self.stage_actions[stage] = action

    def move_current_quote(self, stage: object) -> bool:
        """Move the selected quote (board or list) to `stage`, asking what that stage needs."""
        from deckfollow.core.enums import Stage

        assert isinstance(stage, Stage)
        quote_id = self.current_quote_id
        if quote_id is None:
            self.statusBar().showMessage("Select a quote on the board or in the list first.", 5000)
            return False
        return self.board.move_quote(quote_id, stage)

    def _remember_quote(self, quote_id: int) -> None:
        self.current_quote_id = quote_id

    def trash_current_quote(self) -> None:
        """Move the selected quote to the trash, with an Undo in the status bar."""
        from deckfollow.core.trash import restore_quote, trash_quote

        quote_id = self.current_quote_id
        if quote_id is None:
            self.statusBar().showMessage("Select a quote on the board or in the list first.", 5000)
            return
        self._move_to_trash(
            lambda session, now: trash_quote(session, quote_id, now=now),
            lambda session, now: restore_quote(session, quote_id, now=now),
            what="quote",
            trashed="Quote moved to the trash (Edit › Trash to see it).",
            restored="Quote restored from the trash.",
        )

    def trash_current_customer(self) -> None:
        """Move the selected quote's customer (and their quotes) to the trash, after asking."""
        from deckfollow.core.contact_snapshot import get_customer
        from deckfollow.core.pipeline import get_quote

        quote_id = self.current_quote_id
        chosen = (
            self.customers.selected_customer_id()
            if self.stack.currentWidget() is self.customers
            else None
        )
        if quote_id is None and chosen is None:
            self.statusBar().showMessage("Select a quote on the board or in the list first.", 5000)
            return

        def whose(session: Session) -> tuple[int, str]:
            if chosen is not None:  # on the Customers page: the customer selected there
                return chosen, get_customer(session, chosen).display_name
            assert quote_id is not None
            quote = get_quote(session, quote_id)
            return quote.customer_id, quote.customer.display_name

        self.ops.run_query(self, whose, success=lambda found: self._ask_to_trash_customer(*found))

    def _ask_to_trash_customer(self, customer_id: int, name: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        # Asked from what a read found (an operation's delivery): opened, not run with a
        # loop of its own that would hold every later result back until it was answered.
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Move customer to the trash",
            f"Move {name} and all their quotes to the trash?\n\nEdit › Trash brings them back; "
            "nothing is erased until you empty the trash.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        yes = box.button(QMessageBox.StandardButton.Yes)

        def answered(_result: int) -> None:
            chosen = box.clickedButton()
            box.deleteLater()
            if chosen is yes:
                self._trash_customer(customer_id, name)

        box.finished.connect(answered)
        box.open()

    def _trash_customer(self, customer_id: int, name: str) -> None:
        from deckfollow.core.trash import restore_customer, trash_customer

        self._move_to_trash(
            lambda session, now: trash_customer(session, customer_id, now=now),
            lambda session, now: restore_customer(session, customer_id, now=now),
            what="customer",
            trashed=f"{name} moved to the trash.",
            restored=f"{name} restored from the trash.",
        )

    def _move_to_trash(
        self,
        trash: Callable[[Session, datetime], Changes],
        restore: Callable[[Session, datetime], Changes],
        *,
        what: str,
        trashed: str,
        restored: str,
    ) -> None:
        """Run `trash` on the database thread; once it is saved, say `trashed` with an Undo
        beside it that runs `restore` and says `restored`."""
        now = self.clock()

        def moved(_changes: Changes) -> None:
            self.current_quote_id = None
            self._show_undo(trashed, undo)

        def undo() -> None:
            at = self.clock()
            self.ops.run_change(
                self,
                lambda session: restore(session, at),
                success=lambda _c: self._undone(restored),
                error_title=f"The {what} was not restored",
            )

        self.ops.run_change(
            self,
            lambda session: trash(session, now),
            success=moved,
            error_title=f"The {what} was not moved to the trash",
        )

    def _undone(self, message: str) -> None:
        self._undo.hide()
        self.statusBar().showMessage(message, 4000)

    def _show_undo(self, message: str, undo: Callable[[], None]) -> None:
        from PySide6.QtWidgets import QPushButton

        if not hasattr(self, "_undo"):
            self._undo = QPushButton("Undo")
            self._undo.setFlat(True)
            self._undo.clicked.connect(self._run_undo)
            self.statusBar().addPermanentWidget(self._undo)
        self._pending_undo = undo
        self._undo.show()
        self.statusBar().showMessage(message, 10000)
        QTimer.singleShot(10000, self._undo, self._undo.hide)

    def _run_undo(self) -> None:
        undo, self._pending_undo = self._pending_undo, None
        if undo is not None:
            undo()

    def _find(self) -> None:
        if self._once_pages_joined(self._find):
            return
        if self.stack.currentWidget() is self.customers:  # find a customer where they are
            self.customers.focus_search()
            return
        self.show_page("quotes")
        self.quotes.focus_search()

    def _quit(self) -> None:
        from PySide6.QtWidgets import QApplication

        # With a tray, closing only hides the window; Quit must really end the app.
        really_quit = getattr(self.reminders, "quit", None)
        if callable(really_quit):
            really_quit()
            return
        self.close()
        QApplication.quit()

    def _about(self) -> None:
        if self._once_pages_joined(self._about):
            return
        from PySide6.QtWidgets import QMessageBox

        from deckfollow import __version__

        QMessageBox.about(
            self,
            "About deckfollow",
            f"<b>deckfollow {__version__}</b><p>Follow up every quote, only the way each "
            "customer agreed to.</p><p>Your data stays in:<br>"
            f"<code>{self.ops.store.path or 'a team database'}</code></p>",
        )

    def _on_nav(self, row: int) -> None:
        if row < 0:
            return
        key = self.nav.item(row).data(_PAGE_KEY_ROLE)
        widget = self._pages[key]
        self.stack.setCurrentWidget(widget)
        # Remembered when the window closes, not here: each QSettings write syncs the file
        # to disk (two fdatasyncs, 5–50 ms of the GUI thread on a busy disk) per page opened.
        self._last_page = key
        if key == "customers" and key not in self._reserved:
            # On Customers the panel is what a selection is for: it opens beside the list.
            customer_id = self.customers.selected_customer_id()
            if customer_id is not None:
                self.open_customer(customer_id)
                return
        # Each page brings back its own selection's person (or nobody), not the last page's.
        self._show_page_selection()

    def _restore_settings(self) -> None:
        settings = QSettings()
        geometry = settings.value("main/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            screen = self.screen().availableGeometry()
            self.resize(min(1480, screen.width() - 40), min(920, screen.height() - 60))

    def restore_last_page(self) -> None:
        """Show the page the user had open last time (call after every page is added): one
        chosen already in this window (while the database opened) before the one saved."""
        last = self._last_page or QSettings().value("main/last_page")
        if isinstance(last, str):
            self.show_page(last)

    def _listen_to_team(self, db: Store) -> None:
        """On a team database, another member's commit refreshes this window as our own
        saves do; a lost connection shows a banner until the listener is back."""
        from deckfollow.ui.team.live import LiveChanges, changes_in
        from deckfollow.ui.team.server_banner import ServerBanner

        self.live = LiveChanges(self)
        if not self.live.start(db):
            return
        self.server_banner = ServerBanner(db.display, self)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.server_banner)
        self.live.changed.connect(lambda change: self.ops.announce(changes_in(change.tables)))
        self.live.connection.connect(self.server_banner.show_state)

    def _save_last_page(self) -> None:
        if self._last_page is not None:
            QSettings().setValue("main/last_page", self._last_page)
            self._last_page = None

    def hideEvent(self, event: QHideEvent) -> None:
        # Hidden to the tray the window may not close before the desktop session ends.
        self._save_last_page()
        super().hideEvent(event)

    def closeEvent(self, event: object) -> None:
        if hasattr(self, "live"):
            self.live.stop()
        reminders = getattr(self, "reminders", None)
        if reminders is not None:
            # Also on a switch of database, where the app goes on: a reply check under way
            # finishes now, before its database closes with a connection still out.
            reminders.stop()
        if hasattr(self, "ops"):
            self.ops.close()  # a save still under way is finished, not dropped
        self.forget_read_ahead()  # a read of the other quotes not made yet ends here
        self._save_last_page()
        settings = QSettings()
        settings.setValue("main/geometry", self.saveGeometry())
        if self._has_details():  # else the panel's width the user chose stays as saved
            settings.setValue("main/state", self.saveState())
        if hasattr(self, "quotes"):  # the frame may close before any data was opened
            self.quotes.save_state()
        super().closeEvent(event)  # type: ignore[arg-type]
