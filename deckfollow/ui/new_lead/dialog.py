"""Quick lead capture: who, how to reach them, what they asked for and where they came from."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from deckfollow.core.changes import Changes
from deckfollow.core.clock import Clock
from deckfollow.core.customer_matches import CustomerMatch, find_matches, namesakes
from deckfollow.core.errors import DeckfollowError, ValidationError
from deckfollow.core.leads import LeadCreated, NewLead, add_lead
from deckfollow.core.unit_of_work import Session
from deckfollow.ui.consent.common import ErrorLabel
from deckfollow.ui.customers.offer import DuplicateOffer
from deckfollow.ui.operations import Operations
from deckfollow.ui.theme import active_theme

SOURCES = (
    "Website form",
    "Phone call",
    "Referral",
    "Google",
    "Facebook",
    "Instagram",
    "Walk-in",
    "Repeat customer",
)


@dataclass(frozen=True)
class _Saved:
    """The lead added, or the customers it may already be (nothing saved yet)."""

    changes: Changes
    matches: list[CustomerMatch]
    lead: LeadCreated | None


class NewLeadDialog(QDialog):
    """Capture a lead in seconds; the clock of its age starts when it is saved.

    `created` carries the new quote's id. A field the core refuses is named beside
    that field and the dialog stays open with nothing saved.
    """

    created = Signal(int)

    def __init__(self, ops: Operations, *, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops, self._clock = ops, clock
        self.quote_id: int | None = None
        self.customer_id: int | None = None
        self.setWindowTitle("New lead")
        self.setMinimumWidth(540)

        intro = QLabel("Answer it fast: a lead called back within minutes is far likelier to buy.")
        intro.setWordWrap(True)
        intro.setStyleSheet(f"color: {active_theme().muted_text};")
        self.name = QLineEdit()
        self.name.setPlaceholderText("First and last name")
        self.phone = QLineEdit()
        self.phone.setPlaceholderText("Mobile, any format")
        self.email = QLineEdit()
        self.email.setPlaceholderText("name@example.com")
        self.suburb = QLineEdit()
        # With the name, it tells a second Li Wei from the one already a customer.
        self.suburb.setPlaceholderText("Where they live")
        self.job = QPlainTextEdit()
        self.job.setPlaceholderText("What they asked for, e.g. a 30 m² hardwood deck with steps")
        self.job.setFixedHeight(64)
        self.job.setTabChangesFocus(True)
        self.source = QComboBox()
        self.source.setEditable(True)
        self.source.addItems(SOURCES)
        self.source.setCurrentIndex(-1)
        source_edit = self.source.lineEdit()
        if source_edit is not None:
            source_edit.setPlaceholderText("Where did they find you? Pick or type")

        # One inline message per field, so a refusal sits beside what needs fixing.
        self.field_errors: dict[str, ErrorLabel] = {
            key: ErrorLabel() for key in ("name", "phone", "email", "suburb", "job", "source")
        }
        form = QFormLayout()
        for key, label, widget in (
            ("name", "Name", self.name),
            ("phone", "Phone", self.phone),
            ("email", "Email", self.email),
            ("suburb", "Suburb or town", self.suburb),
            ("job", "What they asked for", self.job),
            ("source", "Source", self.source),
        ):
            form.addRow(label, widget)
            form.addRow("", self.field_errors[key])
        self.error = ErrorLabel()
        # Someone already known is offered before a second record of them is made.
        self.offer = DuplicateOffer()
        self.offer.use.connect(lambda cid: self.save(customer_id=cid))
        self.offer.create_new.connect(lambda: self.save(create_new=True))

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("Add lead")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.name.textChanged.connect(self._refresh)
        for edit in (self.name, self.phone, self.email, self.suburb):
            edit.textEdited.connect(self._withdraw_offer)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.offer)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._refresh()

    def _refresh(self) -> None:
        self.save_button.setEnabled(bool(self.name.text().strip()))

    def _withdraw_offer(self, *_: object) -> None:
        # What was offered matched the details as they were; changed ones are checked anew.
        if self.offer.isVisible():
            self.offer.withdraw()
            self.save_button.setDefault(True)

    def _clear_errors(self) -> None:
        self.error.clear_error()
        for label in self.field_errors.values():
            label.clear_error()

    def _show(self, exc: DeckfollowError) -> None:
        if isinstance(exc, ValidationError) and exc.field in self.field_errors:
            self.field_errors[exc.field].show_error(exc.message)
            widget = {
                "name": self.name,
                "phone": self.phone,
                "email": self.email,
                "suburb": self.suburb,
            }.get(exc.field)
            if widget is not None:
                widget.setFocus()
                widget.selectAll()
        else:
            self.error.show_error(exc)
        self._grow()

    def _grow(self) -> None:
        # Grow to fit the message rather than squeeze the fields.
        self.resize(self.width(), max(self.height(), self.sizeHint().height()))

    def save(self, *, customer_id: int | None = None, create_new: bool = False) -> None:
        """Add the customer and lead in one transaction, or show why not.

        Someone who matches an existing customer is offered first ("Use Mia Chen …" or
        "Create new"); `customer_id` is the one chosen, `create_new` the owner's word that
        this is someone else.
        """
        self._clear_errors()
        lead = NewLead(
            name=self.name.text(),
            phone=self.phone.text().strip() or None,
            email=self.email.text().strip() or None,
            suburb=self.suburb.text().strip() or None,
            job=self.job.toPlainText().strip() or None,
            source=self.source.currentText().strip() or None,
            customer_id=customer_id,
        )
        now = self._clock()

        def save(session: Session) -> _Saved:
            if customer_id is None and not create_new:
                found = find_matches(
                    session,
                    name=lead.name,
                    phone=lead.phone,
                    email=lead.email,
                    suburb=lead.suburb,
                )
                if not found:
                    # Only the name in common: asked once, "Create new" answers it.
                    found = namesakes(session, lead.name, suburb=lead.suburb)
                if found:
                    return _Saved(Changes(), found, None)
            made = add_lead(session, lead, now=now)
            return _Saved(made.changes, [], made)

        self._ops.run_change(self, save, initiator=self, success=self._saved, failure=self._show)

    def _saved(self, saved: _Saved) -> None:
        if saved.lead is None:
            self.offer.offer(saved.matches)
            self._grow()
            return
        result = saved.lead
        self.quote_id, self.customer_id = result.quote_id, result.customer_id
        self.created.emit(result.quote_id)
        self.accept()
