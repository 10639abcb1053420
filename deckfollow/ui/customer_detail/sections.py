"""The detail panel's widgets: the header, the quote, permission to contact, the contact
form and the timeline, laid out once; what fills them lives beside them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import (
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
    QVBoxLayout,
    QWidget,
)

from deckfollow.core.enums import ConsentChannel
from deckfollow.ui.consent.common import ErrorLabel
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
NOTHING_SELECTED = "Select a quote or a customer to see their details."


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


def set_style(widget: QWidget, sheet: str) -> None:
    # Setting a style sheet re-polishes the widget even when nothing changes.
    if widget.styleSheet() != sheet:
        widget.setStyleSheet(sheet)


class DetailSections(QWidget):
    """The panel's sections, built empty; the panel fills them and reacts to them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
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
        self.empty_label = QLabel(NOTHING_SELECTED)
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
            else:
                widget = QLineEdit()
                widget.setPlaceholderText(_PLACEHOLDERS.get(key, ""))
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
