"""The detail of one customer (and quote): contact details edited in place, consent per
channel, the quote with the lead's age, and one timeline of everything that happened."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QLocale, Qt, QTimer, Signal, SignalInstance
from PySide6.QtGui import QBrush, QColor, QFont, QResizeEvent
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from deckfollow.core.changes import Changes
from deckfollow.core.clock import Clock
from deckfollow.core.clock_format import hours_text
from deckfollow.core.consent import ConsentOverview
from deckfollow.core.contact_hours import zone
from deckfollow.core.customer_view import (
    ContactForm,
    CustomerView,
    QuoteView,
    customer_view,
    quote_customer,
)
from deckfollow.core.customers import FIELDS, update_customer
from deckfollow.core.enums import Channel, ConsentChannel, ConsentState, Stage
from deckfollow.core.errors import (
    ConcurrentEditError,
    DeckfollowError,
    NotFoundError,
    ValidationError,
)
from deckfollow.core.history import HistoryEntry, lead_age_text, response_time_text
from deckfollow.core.unit_of_work import Session, Store
from deckfollow.ui import operations
from deckfollow.ui.consent import (
    AskPermissionDialog,
    CadenceDialog,
    ConsentEditorDialog,
    LedgerViewerDialog,
    StopContactDialog,
)
from deckfollow.ui.consent.common import ErrorLabel
from deckfollow.ui.formatting import (
    date_text,
    full_date_time_text,
    money_text,
    their_time_text,
    weekday_time_text,
)
from deckfollow.ui.log_outcome import LogOutcomeDialog, open_log_outcome
from deckfollow.ui.quote_editor import QuoteDialog
from deckfollow.ui.team.clash import offer_to_reapply
from deckfollow.ui.team.server_away import (
    fills_in_line,
    hold_until_server_back,
    is_held,
    open_when_server_back,
    server_watch,
)
from deckfollow.ui.theme import active_theme

# Editable contact fields: (key, label); the key is the Customer attribute (core.customers).
CONTACT_FIELDS = (
    ("display_name", "Name"),
    ("company", "Company"),
    ("email", "Email"),
    ("phone_cell", "Cell phone"),
    ("phone_office", "Office phone"),
    ("phone_home", "Home phone"),
    ("birthday", "Birthday"),
    ("street", "Street"),
    ("suburb", "Suburb or city"),
    ("region", "State or region"),
    ("postcode", "Postcode"),
    ("country", "Country"),
    ("notes", "Notes"),
)
# Where each field sits: (row, label column, columns the field spans).
_CONTACT_GRID = {
    "display_name": (0, 0, 3),
    "company": (1, 0, 3),
    "email": (2, 0, 3),
    "phone_cell": (3, 0, 1),
    "phone_office": (3, 2, 1),
    "phone_home": (4, 0, 1),
    "birthday": (4, 2, 1),
    "street": (5, 0, 3),
    "suburb": (6, 0, 1),
    "region": (6, 2, 1),
    "postcode": (7, 0, 1),
    "country": (7, 2, 1),
    "notes": (8, 0, 3),
}
_PLACEHOLDERS = {"birthday": "YYYY-MM-DD", "country": "e.g. AU, US, GB"}
# The core names a refused field by its label ("cell phone"); the form finds it by key.
_KEY_OF_LABEL = {label: key for key, label in FIELDS.items()}
_EMPTY = "Select a quote or a customer to see their details."
# What a call, text or email screen opened here saved, as Today says it.
_LOGGED = {
    Channel.EMAIL: "Sent and logged the email to",
    Channel.TEXT: "Logged the text to",
    Channel.VIDEO: "Logged the video call with",
}


_KIND_ROLES = {"touch": "cold_text", "follow_up": "follow_up_text", "consent": "warning_text"}
_STATE_TEXT = {
    ConsentState.GRANTED: ("yes", "agreed_text"),
    ConsentState.REVOKED: ("no", "error_text"),
    ConsentState.UNKNOWN: ("not asked", "muted_text"),
}


def _local_datetime_text(at: datetime, tz: str | None = None) -> str:
    # On the owner's clock like every time on screen (not the computer's), with the
    # customer's beside it where they live elsewhere.
    return full_date_time_text(at, tz)


def _section(title: str) -> QGroupBox:
    box = QGroupBox(title)
    # A bold title by font, not by style sheet: a sheet on the box restyles every child
    # and doubled the time to show a customer.
    bold = QFont(box.font())
    bold.setBold(True)
    box.setFont(bold)
    return box


def _unbold_children(box: QGroupBox) -> None:
    normal = QFont(box.font())
    normal.setBold(False)
    for child in box.findChildren(QWidget):
        child.setFont(normal)


class DetailPanel(QWidget):
    """One customer at a glance, with their current quote; edits save in place.

    What it shows is read, and details typed here are saved, on the window's database
    thread (`deckfollow.ui.operations`). `changed` is emitted after anything was saved from
    the panel or its dialogs; what the save changed reaches the other views once, through
    the operations' broadcast of the core's answer, not through this signal. The panel reads
    what it shows again once per broadcast change (its own details save excepted: that save
    reads them itself), not once more for a dialog of its own that saved.
    """

    changed = Signal()
    message = Signal(str)  # what a screen opened here saved, naming whom, for the status line

    def __init__(
        self,
        db: Store,
        *,
        clock: Clock,
        parent: QWidget | None = None,
        ops: operations.Operations | None = None,
    ) -> None:
        super().__init__(parent)
        # The window passes its own: while one window gives way to another (a switch to the
        # team's database), the other window's operations are already the current ones.
        ops = ops or operations.serving(db)
        if ops is None:
            raise RuntimeError("the details panel needs the operations of an open database")
        self._ops, self._db, self._clock = ops, db, clock
        self._customer: ContactForm | None = None
        self._request = 0  # the latest read asked for; an older answer is dropped
        # The latest read has not been answered yet; and whom it is for when it was asked
        # by `show_customer` (customer id): asked again meanwhile, it is not read twice.
        self._on_its_way = False
        self._asked_for: int | None = None
        # The read on its way is for someone other than the one shown (None: none on its way).
        self._reading_other: bool | None = None
        self._latest: tuple[Callable[[Session], CustomerView], str] | None = None
        # A save on its way: the details stay as sent until its answer, and Save waits.
        self._saving = False
        # Where the user moved on to while details typed here were not saved yet.
        self._after_edits: Callable[[], None] | None = None
        self._quote: QuoteView | None = None
        self._overview: ConsentOverview | None = None
        self.active_dialog: QDialog | None = None
        # Channels whose screen is being read: a double click opens it once, not twice.
        self._contacting: set[Channel] = set()
        self._said = ""  # what a screen opened here just saved, while its change is told
        self._locale = QLocale()
        # Below this the contact form and the consent buttons no longer fit side by side.
        self.setMinimumWidth(500)

        # Header: who, and what time it is where they are.
        self.name_label = QLabel()
        title_font = QFont(self.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.5)
        title_font.setBold(True)
        self.name_label.setFont(title_font)
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.local_time_label = QLabel()
        self.local_time_label.setStyleSheet(f"color: {active_theme().muted_text};")
        # Reach them from here as from Today: the screen checks permission and logs it.
        self.call_button = QPushButton("Call…")
        self.text_button = QPushButton("Text…")
        self.email_button = QPushButton("Email…")
        # On the name's line: the time where they are needs the whole line below it.
        contact_row = QHBoxLayout()
        self.name_label.setWordWrap(True)
        contact_row.addWidget(self.name_label, 1)
        for b in (self.call_button, self.text_button, self.email_button):
            b.setToolTip("About their next follow-up on this channel, if there is one")
            contact_row.addWidget(b, 0, Qt.AlignmentFlag.AlignTop)
        self.empty_label = QLabel(_EMPTY)
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setStyleSheet(f"color: {active_theme().muted_text};")

        # The quote.
        self.quote_box = _section("Quote")
        self.quote_title = QLabel()
        self.quote_title.setWordWrap(True)
        self.amount_label = QLabel()
        self.sent_label = QLabel()
        self.sent_label.setWordWrap(True)
        self.stage_label = QLabel()
        self.received_label = QLabel()
        self.lead_age_label = QLabel()
        self.lead_age_label.setWordWrap(True)
        self.log_button = QPushButton("Log outcome…")
        self.log_button.setToolTip("Record a call, text or email and plan what's next")
        self.edit_quote_button = QPushButton("Edit quote…")
        self.edit_quote_button.setToolTip("Number, amount, job, dates and the file sent")
        self.new_quote_button = QPushButton("New quote…")
        self.new_quote_button.setToolTip("Another quote for this customer")
        qform = self.quote_form = QFormLayout()
        qform.addRow("Job", self.quote_title)
        qform.addRow("Amount", self.amount_label)
        qform.addRow("Sent", self.sent_label)
        qform.addRow("Stage", self.stage_label)
        qform.addRow("Received", self.received_label)
        qlay = QVBoxLayout(self.quote_box)
        qlay.addLayout(qform)
        qlay.addWidget(self.lead_age_label)
        self.no_quote_label = QLabel("No quote for this customer yet.")
        self.no_quote_label.setStyleSheet(f"color: {active_theme().muted_text};")
        qlay.addWidget(self.no_quote_label)
        qrow = QHBoxLayout()
        qrow.addWidget(self.edit_quote_button)
        qrow.addWidget(self.new_quote_button)
        qrow.addStretch(1)
        qrow.addWidget(self.log_button)
        qlay.addLayout(qrow)

        # Contact details, edited in place.
        self.contact_box = _section("Contact details")
        self.fields: dict[str, QLineEdit | QPlainTextEdit] = {}
        # Two label/field pairs a row keeps the whole card visible without scrolling; a
        # panel too narrow for a phone number in half a row has one field a row instead.
        cform = self._contact_grid = QGridLayout()
        cform.setColumnStretch(1, 1)
        cform.setColumnStretch(3, 1)
        self._contact_labels: dict[str, QLabel] = {}
        self._contact_pairs = True
        for key, label in CONTACT_FIELDS:
            widget: QLineEdit | QPlainTextEdit
            if key == "notes":
                widget = QPlainTextEdit()
                widget.setFixedHeight(48)
                widget.setTabChangesFocus(True)
                widget.textChanged.connect(self._refresh_buttons)
            else:
                widget = QLineEdit()
                widget.setPlaceholderText(_PLACEHOLDERS.get(key, ""))
                widget.textEdited.connect(self._refresh_buttons)
                widget.returnPressed.connect(self._save_if_dirty)
            self.fields[key] = widget
            self._contact_labels[key] = QLabel(label)
        self._place_contact_fields(pairs=True)
        self.contact_error = ErrorLabel()
        self.save_button = QPushButton("Save")
        self.revert_button = QPushButton("Revert")
        self.save_button.setDefault(True)
        crow = QHBoxLayout()
        crow.addStretch(1)
        crow.addWidget(self.revert_button)
        crow.addWidget(self.save_button)
        clay = QVBoxLayout(self.contact_box)
        clay.addLayout(cform)
        clay.addWidget(self.contact_error)
        clay.addLayout(crow)

        # Consent per channel.
        self.consent_box = _section("Permission to contact")
        self.dnc_label = QLabel()
        self.dnc_label.setWordWrap(True)
        self.dnc_label.setStyleSheet(
            f"background: {active_theme().error_banner_bg};"
            f" color: {active_theme().error_banner_fg}; padding: 4px; font-weight: 600;"
        )
        self.hours_label = QLabel()
        self.hours_label.setWordWrap(True)
        self.hours_label.setStyleSheet(f"color: {active_theme().muted_text};")
        self.consent_grid = QGridLayout()
        self.consent_grid.setHorizontalSpacing(12)
        self.consent_grid.setColumnStretch(2, 1)
        self.consent_labels: dict[str, tuple[QLabel, QLabel]] = {}
        # One fixed row per channel, updated in place: rebuilding labels on every selection
        # made moving through a list with the arrow keys visibly slower.
        how_style = f"color: {active_theme().muted_text};"
        for row, cc in enumerate(ConsentChannel):
            state_label, how_label = QLabel(), QLabel()
            how_label.setStyleSheet(how_style)
            self.consent_grid.addWidget(QLabel(cc.value.capitalize()), row, 0)
            self.consent_grid.addWidget(state_label, row, 1)
            self.consent_grid.addWidget(how_label, row, 2)
            self.consent_labels[cc.value] = (state_label, how_label)
        self.edit_consent_button = QPushButton("Edit consent…")
        self.ask_button = QPushButton("Ask permission…")
        self.stop_button = QPushButton("Stop contact…")
        self.ledger_button = QPushButton("Ledger…")
        self.plans_button = QPushButton("Plans…")
        self.plans_button.setToolTip("Start, stop or resume this customer's follow-up plans")
        # Two short rows: one row of five buttons is wider than the panel usually is.
        brow = QVBoxLayout()
        for buttons in (
            (self.ask_button, self.edit_consent_button, self.stop_button),
            (self.ledger_button, self.plans_button),
        ):
            line = QHBoxLayout()
            for b in buttons:
                line.addWidget(b)
            line.addStretch(1)
            brow.addLayout(line)
        play = QVBoxLayout(self.consent_box)
        play.addWidget(self.dnc_label)
        play.addLayout(self.consent_grid)
        play.addWidget(self.hours_label)
        play.addLayout(brow)

        # The timeline.
        self.timeline = QTreeWidget()
        self.timeline.setColumnCount(4)
        # Details last: it fills a wide panel, and a narrow one scrolls sideways to it.
        self.timeline.setHeaderLabels(["When", "What", "Quote", "Details"])
        self.timeline.setRootIsDecorated(False)
        self.timeline.setAlternatingRowColors(True)
        self.timeline.setUniformRowHeights(True)
        self.timeline.setWordWrap(False)
        header = self.timeline.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        timeline_box = _section("Timeline (newest first)")
        tlay = QVBoxLayout(timeline_box)
        tlay.addWidget(self.timeline)

        details = QWidget()
        dlay = QVBoxLayout(details)
        dlay.setContentsMargins(0, 0, 0, 0)
        dlay.addWidget(self.quote_box)
        dlay.addWidget(self.consent_box)
        dlay.addWidget(self.contact_box)
        dlay.addStretch(1)
        self.details_scroll = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(details)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(scroll)
        self.splitter.addWidget(timeline_box)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)

        self.body = QWidget()
        blay = QVBoxLayout(self.body)
        blay.setContentsMargins(0, 0, 0, 0)
        blay.addLayout(contact_row)
        blay.addWidget(self.local_time_label)
        blay.addWidget(self.splitter, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.body)

        for box in (self.quote_box, self.contact_box, self.consent_box, timeline_box):
            _unbold_children(box)
        self.save_button.clicked.connect(self.save_contact)
        self.revert_button.clicked.connect(self._revert)
        # Each opens once the team server is back when it is away as the button is pressed.
        for button, opener in (
            (self.log_button, self.open_log_outcome),
            (self.edit_quote_button, self.open_quote_editor),
            (self.new_quote_button, self.open_new_quote),
            (self.edit_consent_button, self._open_consent_editor),
            (self.ask_button, self._open_ask_permission),
            (self.stop_button, self._open_stop),
            (self.ledger_button, self._open_ledger),
            (self.plans_button, self.open_plans),
            (self.call_button, lambda: self.open_contact(Channel.CALL)),
            (self.text_button, lambda: self.open_contact(Channel.TEXT)),
            (self.email_button, lambda: self.open_contact(Channel.EMAIL)),
        ):
            what = f"“{button.text().replace('&', '').rstrip('…')}”"
            button.clicked.connect(
                lambda _checked=False, o=opener, w=what: open_when_server_back(self, o, what=w)
            )
        # The customer's clock and the lead's age move on while the panel is open.
        self._ticker = QTimer(self)
        self._ticker.setInterval(30_000)
        self._ticker.timeout.connect(self._tick)
        self._ticker.start()
        # The team server going away while someone else is being read: say so in their place.
        server_watch().state.connect(self._server_state)
        ops.changes_applied.connect(self._changes_applied)
        self.clear()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        pairs = self.width() >= self._width_for_pairs()
        if pairs != self._contact_pairs:
            self._place_contact_fields(pairs=pairs)

    def _width_for_pairs(self) -> int:
        """The panel width at which a phone number ("+61 412 345 679") fits whole in half a
        row beside its label: below it each field takes a row of its own."""
        metrics = self._contact_labels["phone_cell"].fontMetrics()
        labels = [metrics.horizontalAdvance(label) for _key, label in CONTACT_FIELDS]
        field = metrics.horizontalAdvance("+61 412 345 679") + 16  # the frame and its margins
        # Two label columns, two fields, and the box, grid and scroll bar around them.
        return 2 * max(labels) + 2 * field + 90

    def _place_contact_fields(self, *, pairs: bool) -> None:
        self._contact_pairs = pairs
        grid = self._contact_grid
        for n, (key, _label) in enumerate(CONTACT_FIELDS):
            label, widget = self._contact_labels[key], self.fields[key]
            grid.removeWidget(label)
            grid.removeWidget(widget)
            row, col, span = _CONTACT_GRID[key] if pairs else (n, 0, 3)
            top = Qt.AlignmentFlag.AlignTop if key == "notes" else Qt.AlignmentFlag.AlignVCenter
            grid.addWidget(label, row, col, top)
            grid.addWidget(widget, row, col + 1, 1, span)

    # -- what is shown -------------------------------------------------------------------

    @property
    def customer_id(self) -> int | None:
        return self._customer.id if self._customer else None

    @property
    def quote_id(self) -> int | None:
        return self._quote.id if self._quote else None

    def clear(self, message: str = _EMPTY) -> None:
        """Show nothing (no selection), or why nothing can be shown."""
        if self._held_for_edits(lambda: self.clear(message)):
            return
        self._blank(message)

    def _blank(self, message: str) -> None:
        self._request += 1  # a read still on its way is for someone no longer wanted
        self._on_its_way = False
        self._reading_other = None
        self._show_empty(message)

    def _show_empty(self, message: str) -> None:
        self._customer = self._quote = self._overview = None
        self.body.hide()
        self.empty_label.setText(message)
        self.empty_label.show()

    def show_quote(self, quote_id: int) -> None:
        """Show a quote and its customer."""
        if quote_id != self.quote_id and self._held_for_edits(lambda: self.show_quote(quote_id)):
            return
        now = self._clock()

        def fetch(s: Session) -> CustomerView:
            return customer_view(s, quote_customer(s, quote_id), quote_id, now=now)

        other = self._customer is None or quote_id != self.quote_id
        self._fetch(fetch, "That quote is in the trash or no longer exists.", other=other)

    def show_customer(self, customer_id: int) -> None:
        """Show a customer with their most recent open quote (or latest quote)."""
        if customer_id != self.customer_id and self._held_for_edits(
            lambda: self.show_customer(customer_id)
        ):
            return
        if self._on_its_way and self._asked_for == customer_id:
            return  # already being read (opened, then its row selected once the list is in)
        self._load(customer_id, None)
        self._asked_for = customer_id

    def _held_for_edits(self, go: Callable[[], None]) -> bool:
        """Asked to show someone else (or nobody) while details typed here are not saved:
        they stay on screen, with a word saying so, and the panel goes on once they are
        saved or reverted. Nothing typed is dropped by a click elsewhere. While a save is on
        its way the panel goes on once it is saved, without a word."""
        if self._saving:
            self._after_edits = go
            return True
        if self._customer is None or not self.is_dirty():
            self._after_edits = None
            return False
        self._after_edits = go
        name = self._customer.fields["display_name"] or "this customer"
        self.contact_error.show_error(
            f"Your changes to {name}\N{RIGHT SINGLE QUOTATION MARK}s details are not saved yet: "
            "Save or Revert them to move on."
        )
        # The word and the buttons it names are below the fold on a short panel: scrolled to
        # once the word, just shown, has its place in the layout.
        QTimer.singleShot(0, self, self._show_unsaved)
        return True

    def _show_unsaved(self) -> None:
        self.details_scroll.ensureWidgetVisible(self.contact_error)
        self.details_scroll.ensureWidgetVisible(self.save_button)

    def _go_on(self) -> bool:
        """After a save or a revert: show whom the user moved on to meanwhile, if anyone."""
        go, self._after_edits = self._after_edits, None
        if go is None:
            return False
        self.contact_error.clear_error()
        go()
        return True

    def _changes_applied(self, changes: Changes, initiator: object | None) -> None:
        """A saved change (from anywhere in the window): read again what is shown, once."""
        if self._said and changes.notices:
            # What it did beyond what was asked, after whom it was for (the window said
            # only the notices, over what this panel had said).
            self.message.emit(f"{self._said}. {' '.join(changes.notices)}")
        if initiator is self or not self.isVisible():
            return  # its own details save read them again; hidden, nothing to bring up to date
        if not changes.touches_records():
            return  # nothing the panel shows
        if self._on_its_way and self._ops.answering():
            # A read asked while the change's answer is handed over (whom a page opened
            # after its change, the quote just made) runs after the change: it shows it.
            return
        # The page beside it reads its list again for the same change, and its highlight
        # may move on (Today past the follow-up just done) or leave (a quote trashed): the
        # panel reads once the reads asked before this have answered, and only if it was
        # not sent to someone else (or nobody) meanwhile; that read shows the change too.
        asked = self._request
        self._ops.run_task(self, _nothing, success=lambda _none: self._reload_since(asked))

    def _reload_since(self, asked: int) -> None:
        if asked == self._request and self.isVisible():
            self.reload()

    def reload(self) -> None:
        """Re-read what is shown (after a change made elsewhere), or whom the user picked
        when they are still being read; unsaved edits stay."""
        if self._reading_other and self._latest is not None:
            fetch, missing = self._latest
            self._fetch(fetch, missing, other=True)
        elif self._customer is not None:
            self._load(self._customer.id, self.quote_id)

    def _load(self, customer_id: int, quote_id: int | None) -> None:
        now = self._clock()
        other = customer_id != self.customer_id

        def fetch(s: Session) -> CustomerView:
            if quote_id is not None:
                try:
                    return customer_view(s, customer_id, quote_id, now=now)
                except NotFoundError:
                    # The quote went to the trash; the customer may still be here.
                    pass
            return customer_view(s, customer_id, None, now=now)

        self._fetch(fetch, "That customer is in the trash or no longer exists.", other=other)

    def _fetch(
        self, fetch: Callable[[Session], CustomerView], missing: str, *, other: bool
    ) -> None:
        """Read what to show on the database thread; only the latest request is shown, so
        moving quickly through a list never shows an earlier choice last. `other`: it is
        for someone other than the one on screen (who is then not shown as if chosen)."""
        self._request += 1
        token = self._request
        self._on_its_way, self._asked_for = True, None
        self._reading_other = other
        self._latest = (fetch, missing)
        if other and not server_watch().up:
            self._say_waiting()  # read once the server is back

        def shown(view: CustomerView) -> None:
            if token != self._request:
                return
            self._on_its_way = False
            if view.contact.id != self.customer_id and self._held_for_edits(
                lambda: self._fetch(fetch, missing, other=True)
            ):
                self._reading_other = None
                return  # details were typed here while it was read: read again once saved
            self._reading_other = None
            self._show(view)

        def failed(exc: DeckfollowError) -> None:
            if token == self._request:
                self._blank(missing if isinstance(exc, NotFoundError) else str(exc))

        self._ops.run_query(self, fetch, success=shown, failure=failed)

    def _server_state(self, up: bool, _why: str) -> None:
        """The team server went away: a read for someone else waits for it (and is shown
        once it is back), so the one on screen no longer stands for the one chosen."""
        if not up and self._reading_other:
            self._say_waiting()

    def _say_waiting(self) -> None:
        # Details typed here stay on screen (they are the user's); otherwise nobody is shown
        # in place of the one chosen, with a word on when they will be.
        if not (self._saving or self.is_dirty()):
            self._show_empty(fills_in_line())

    def _show(self, view: CustomerView) -> None:
        customer, quote_view, overview = view.contact, view.quote, view.consent
        history, values, customer_id = view.history, view.contact.fields, view.contact.id
        # Keep what the user is typing across a refresh, against what they started from,
        # so a clash with someone else's edit of the same field is still noticed.
        kept: dict[str, str] = {}
        if self._customer is not None and self._customer.id == customer_id:
            kept = {k: self._value(k) for k in self._dirty_keys()}
            for k in kept:
                customer.fields[k] = self._customer.fields[k]
        self._customer, self._quote, self._overview = customer, quote_view, overview
        self.empty_label.hide()
        self.body.show()
        self.name_label.setText(values["display_name"])
        self._fill_contact()
        for key, text in kept.items():
            self._set_value(key, text)
        self._refresh_buttons()
        self._fill_quote()
        self._fill_consent()
        self._fill_timeline(history)
        self._tick()

    def _tick(self) -> None:
        if self._customer is None:
            return
        now = self._clock()
        local = now.astimezone(zone(self._customer.timezone))
        self.local_time_label.setText(
            f"Their time: {weekday_time_text(local)} · {self._customer.timezone}"
            f" ({local.strftime('%Z') or local.strftime('UTC%z')})"
        )
        q = self._quote
        if q is None:
            return
        if q.first_response_at is None and q.stage.is_open:
            self.lead_age_label.setText(lead_age_text(q.received_at, now))
            _set_style(
                self.lead_age_label, f"color: {active_theme().new_lead_text}; font-weight: 600;"
            )
        elif q.first_response_at is not None:
            self.lead_age_label.setText(response_time_text(q.received_at, q.first_response_at))
            _set_style(self.lead_age_label, f"color: {active_theme().muted_text};")
        else:
            self.lead_age_label.setText("")

    def _fill_contact(self) -> None:
        assert self._customer is not None
        for key, widget in self.fields.items():
            value = self._customer.fields[key]
            if isinstance(widget, QPlainTextEdit):
                widget.setPlainText(value)
            else:
                widget.setText(value)
                widget.setCursorPosition(0)
            _set_style(widget, "")
        self.contact_error.clear_error()
        self._refresh_buttons()

    def _fill_quote(self) -> None:
        q = self._quote
        has = q is not None
        for w in (
            self.quote_title,
            self.amount_label,
            self.sent_label,
            self.stage_label,
            self.received_label,
        ):
            # The whole row: a customer with no quote yet shows no empty "Job" or "Amount".
            self.quote_form.setRowVisible(w, has)
        self.lead_age_label.setVisible(has)
        self.log_button.setEnabled(has)
        self.log_button.setVisible(has)
        self.edit_quote_button.setEnabled(has)
        self.edit_quote_button.setVisible(has)
        self.no_quote_label.setVisible(not has)
        if q is None:
            self.quote_box.setTitle("Quote")
            return
        self.quote_box.setTitle(f"Quote {q.number}" if q.number else "Lead")
        self.quote_title.setText(q.job)
        self.amount_label.setText(money_text(q.amount, q.currency) or "no amount yet")
        sent = [date_text(q.sent_on)]
        if q.valid_until is not None:
            sent.append(f"valid until {date_text(q.valid_until)}")
        if q.competing_quotes is not None:
            others = q.competing_quotes
            sent.append(f"{others} competing quote{'' if others == 1 else 's'}")
        self.sent_label.setText(" · ".join(sent) if q.sent_on else "not sent yet")
        stage = q.stage.label
        if q.stage is Stage.LOST and q.lost_reason:
            stage += f" ({q.lost_reason})"
        self.stage_label.setText(stage)
        self.received_label.setText(_local_datetime_text(q.received_at))

    def _fill_consent(self) -> None:
        ov = self._overview
        assert ov is not None
        self.dnc_label.setVisible(ov.do_not_contact)
        self.dnc_label.setText(f"{ov.name} asked not to be contacted at all.")
        for ch in ov.channels:
            text, role = _STATE_TEXT[ch.state]
            colour = getattr(active_theme(), role)
            state, how = self.consent_labels[ch.channel.value]
            state.setText(text)
            _set_style(state, f"color: {colour}; font-weight: 600;")
            bits = []
            if ch.since is not None:
                bits.append(f"since {date_text(ch.since)}")  # the owner's day
            if ch.source:
                bits.append(ch.source)
            how.setText(", ".join(bits))
            # Their words are long and often the same for every channel: on hover, not inline.
            how.setToolTip(f'They said: "{ch.words}"' if ch.words else "")
        hours = f"Contact hours: {hours_text(ov.effective_hours)}"
        if ov.preferred_channel is not None:
            hours += f" · prefers {ov.preferred_channel.value}"
        self.hours_label.setText(hours)

    def _fill_timeline(self, history: list[HistoryEntry]) -> None:
        self.timeline.clear()
        now = self._clock()
        items = []
        for h in history:
            item = QTreeWidgetItem(
                [
                    _local_datetime_text(h.at),
                    h.title,
                    h.quote_number or "",
                    h.detail,
                ]
            )
            item.setForeground(1, QBrush(QColor(getattr(active_theme(), _KIND_ROLES[h.kind]))))
            item.setToolTip(3, h.detail)
            theirs = their_time_text(h.at, self._customer.timezone) if self._customer else ""
            if theirs:
                # The owner's clock in the column; the customer's on hover, to keep it short.
                item.setToolTip(0, f"{theirs} their time")
            item.setData(0, Qt.ItemDataRole.UserRole, h.kind)
            if h.at > now:
                # Still to come: the next step stands out at the top.
                bold = QFont(self.timeline.font())
                bold.setBold(True)
                for col in range(4):
                    item.setFont(col, bold)
            items.append(item)
        self.timeline.addTopLevelItems(items)

    # -- editing contact details ---------------------------------------------------------

    def _value(self, key: str) -> str:
        w = self.fields[key]
        return w.toPlainText() if isinstance(w, QPlainTextEdit) else w.text()

    def _set_value(self, key: str, text: str) -> None:
        w = self.fields[key]
        if isinstance(w, QPlainTextEdit):
            w.setPlainText(text)
        else:
            w.setText(text)

    def _dirty_keys(self) -> list[str]:
        if self._customer is None:
            return []
        return [k for k, _ in CONTACT_FIELDS if self._value(k) != self._customer.fields[k]]

    def is_dirty(self) -> bool:
        """True when a contact field differs from what was loaded."""
        return bool(self._dirty_keys())

    def _refresh_buttons(self) -> None:
        # A save on its way, or waiting for the team server, is not offered twice.
        dirty = self.is_dirty() and not self._saving
        self.save_button.setEnabled(dirty and not is_held(self.save_button))
        self.revert_button.setEnabled(dirty)

    def _save_if_dirty(self) -> None:
        if self.is_dirty() and self.save_button.isEnabled():
            self.save_contact()

    def _set_saving(self, saving: bool) -> None:
        """While a save is on its way the details stay as sent: what is saved is what shows."""
        self._saving = saving
        for widget in self.fields.values():
            widget.setReadOnly(saving)
        self._refresh_buttons()

    def _revert(self) -> None:
        # Re-read rather than refill: after a clash this shows what the other edit saved.
        if self._customer is None:
            return
        # With what is typed as the baseline nothing counts as an edit to keep.
        self._customer = self._customer_without_edits()
        if not self._go_on():
            self.reload()

    def _customer_without_edits(self) -> ContactForm:
        assert self._customer is not None
        c = self._customer
        fields = {k: self._value(k) for k, _ in CONTACT_FIELDS}
        return ContactForm(c.id, c.version, c.country, c.timezone, fields)

    def save_contact(self) -> None:
        """Save the details changed here; refusals show inline, nothing saved."""
        if self._customer is None or self._saving:
            return
        self.contact_error.clear_error()
        for w in self.fields.values():
            _set_style(w, "")
        self._save_details(self._customer, self._dirty_keys(), self._customer.version, None)

    def _save_details(
        self,
        loaded: ContactForm,
        changed: list[str],
        version: int,
        before: dict[str, str] | None,
    ) -> None:
        if before is None:
            before = {k: loaded.fields[k] for k in changed}
        typed = {k: self._value(k) for k in changed}
        now = self._clock()
        seen = dict(before)

        def op(session: Session) -> Changes:
            return update_customer(session, loaded.id, typed, now=now, version=version, before=seen)

        def saved(_changes: Changes) -> None:
            self._set_saving(False)
            if self._customer is not None:
                # Saved: what shows is the baseline, nothing typed is left to keep.
                self._customer = self._customer_without_edits()
            if not self._go_on():
                self._load(loaded.id, self.quote_id)
            self.changed.emit()

        def refused(exc: DeckfollowError) -> None:
            self._set_saving(False)
            if isinstance(exc, ConcurrentEditError):
                # Who and when, theirs beside what is typed here; nothing typed is lost.
                rows = [
                    (FIELDS.get(k, k), exc.theirs[k], self._value(k))
                    for k in changed
                    if k in exc.theirs
                ]
                if rows:
                    theirs = {k: exc.theirs[k] for k in changed if k in exc.theirs}
                    version = int(exc.theirs["version"])
                    offer_to_reapply(
                        exc,
                        rows,
                        self,
                        reapply=lambda: self._save_details(
                            loaded, changed, version, {**seen, **theirs}
                        ),
                        keep_theirs=lambda: self.contact_error.show_error(exc),
                    )
                    return
            # The line is below the fields: on a short panel it is scrolled to, and then the
            # field it names, once the line has its place in the layout.
            QTimer.singleShot(0, self, self._show_unsaved)
            if hold_until_server_back(self.save_button, exc):
                # Save says it waits, and is pressed again by itself once the server is back.
                self.contact_error.show_error(
                    f"Can't reach the team server {server_watch().name}. Nothing is lost: "
                    "what you typed stays here and is saved as soon as the server is back."
                )
                return
            self.contact_error.show_error(exc)
            if isinstance(exc, ValidationError):
                key = _KEY_OF_LABEL.get(exc.field, exc.field)
                if key in self.fields:
                    field = self.fields[key]
                    field.setStyleSheet(f"border: 1px solid {active_theme().error_text};")
                    field.setFocus()
                    QTimer.singleShot(
                        0, self, lambda: self.details_scroll.ensureWidgetVisible(field)
                    )

        self._set_saving(True)
        self._ops.run_change(self, op, initiator=self, success=saved, failure=refused)

    # -- dialogs -------------------------------------------------------------------------

    def _after_dialog(self, said: str) -> None:
        # What the dialog saved is read again for its broadcast (`_changes_applied`), once.
        # Said with whom it was for: the page beside may move on, and the panel with it.
        self._said = said
        QTimer.singleShot(0, self, self._forget_said)  # after the change's broadcast
        self.message.emit(said)
        self.changed.emit()

    def _forget_said(self) -> None:
        self._said = ""

    def _name(self) -> str:
        customer = self._customer
        return (customer.fields["display_name"] if customer else "") or "the customer"

    def _open(self, dlg: QDialog) -> None:
        self.active_dialog = dlg
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()

    def open_log_outcome(self) -> None:
        """Open "Log outcome…" for the quote shown, once what it shows has been read."""
        if self._quote is None:
            return

        said = f"Saved what happened with {self._name()} and what happens next"

        def opened(dlg: LogOutcomeDialog) -> None:
            dlg.logged.connect(lambda *_: self._after_dialog(said))
            self._open(dlg)

        open_log_outcome(
            self._db, clock=self._clock, parent=self, opened=opened, quote_id=self._quote.id
        )

    def open_quote_editor(self) -> QuoteDialog | None:
        """The quote dialog for the quote shown."""
        if self._quote is None:
            return None
        dlg = QuoteDialog(self._db, clock=self._clock, quote_id=self._quote.id, parent=self)
        said = f"Saved the quote for {self._name()}"
        dlg.saved.connect(lambda *_: self._after_dialog(said))
        self._open(dlg)
        return dlg

    def open_new_quote(self) -> QuoteDialog | None:
        """The quote dialog for another quote for this customer; the panel then shows it."""
        if self._customer is None:
            return None
        dlg = QuoteDialog(self._db, clock=self._clock, customer_id=self._customer.id, parent=self)
        dlg.saved.connect(self._show_new_quote)
        self._open(dlg)
        return dlg

    def _show_new_quote(self, quote_id: int) -> None:
        said = f"Added a quote for {self._name()}"
        self.show_quote(quote_id)
        self.message.emit(said)
        self.changed.emit()

    def _open_consent_editor(self) -> None:
        if self._customer is None:
            return
        dlg = ConsentEditorDialog(self._db, self._customer.id, clock=self._clock, parent=self)
        said = f"Saved how {self._name()} agreed to be contacted"
        dlg.changed.connect(lambda *_: self._after_dialog(said))
        self._open(dlg)

    def _open_ask_permission(self) -> None:
        if self._customer is None:
            return
        dlg = AskPermissionDialog(
            self._db, self._customer.id, self.quote_id, clock=self._clock, parent=self
        )
        said = f"Saved that you asked {self._name()} for permission"
        dlg.saved.connect(lambda *_: self._after_dialog(said))
        self._open(dlg)

    def _open_stop(self) -> None:
        if self._customer is None:
            return
        dlg = StopContactDialog(self._db, self._customer.id, clock=self._clock, parent=self)
        said = f"{self._name()} will not be contacted again: every channel is stopped"
        dlg.saved.connect(lambda *_: self._after_dialog(said))
        self._open(dlg)

    def _open_ledger(self) -> None:
        if self._customer is None:
            return
        self._open(LedgerViewerDialog(self._db, self._customer.id, clock=self._clock, parent=self))

    def open_contact(self, channel: Channel) -> None:
        """Open the call, text or email screen for this customer and the quote shown, once
        which follow-up it is about has been read; a second press meanwhile opens nothing
        more."""
        from deckfollow.ui.messaging.actions import open_contact

        if self._customer is None or channel in self._contacting:
            return
        self._contacting.add(channel)

        said = f"{_LOGGED.get(channel, 'Logged the call with')} {self._name()}"

        def opened(dlg: QDialog, logged: SignalInstance) -> None:
            logged.connect(lambda *_: self._after_dialog(said))
            self._open(dlg)

        open_contact(
            self._db,
            channel,
            customer_id=self._customer.id,
            quote_id=self.quote_id,
            clock=self._clock,
            parent=self,
            opened=opened,
            failed=self.contact_error.show_error,
            settled=lambda: self._contacting.discard(channel),
        )

    def open_plans(self) -> CadenceDialog | None:
        """The customer's follow-up plans: start one for the quote shown, stop or resume."""
        if self._customer is None:
            return None
        dlg = CadenceDialog(
            self._db,
            clock=self._clock,
            customer_id=self._customer.id,
            quote_id=self.quote_id,
            timezone=self._customer.timezone,
            parent=self,
        )
        said = f"Started a follow-up plan for {self._name()}"
        dlg.started.connect(lambda *_: self._after_dialog(said))
        self._open(dlg)
        return dlg


def _nothing() -> None:
    """A turn of the database thread: what was asked of it before has answered after."""


def _set_style(widget: QWidget, sheet: str) -> None:
    # Setting a style sheet re-polishes the widget even when nothing changes.
    if widget.styleSheet() != sheet:
        widget.setStyleSheet(sheet)
