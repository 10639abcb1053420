"""New customer: every contact detail at once, with the existing person offered first."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from deckfollow.core.clock import Clock
from deckfollow.core.customer_matches import DuplicateCustomerError
from deckfollow.core.customers import FIELDS, CustomerAdded, NewCustomer, add_customer
from deckfollow.core.errors import DeckfollowError, ValidationError
from deckfollow.core.settings import OwnerSettings, load_settings
from deckfollow.core.unit_of_work import Store
from deckfollow.ui import operations
from deckfollow.ui.consent.common import ErrorLabel
from deckfollow.ui.customers.offer import DuplicateOffer

# key, label, placeholder, (row, column, span)
_FORM = (
    ("display_name", "Name", "First and last name", (0, 0, 3)),
    ("company", "Company", "", (1, 0, 3)),
    ("phone_cell", "Phone", "Mobile, any format", (2, 0, 1)),
    ("email", "Email", "name@example.com", (2, 2, 1)),
    ("street", "Street", "", (3, 0, 3)),
    ("suburb", "Suburb or city", "", (4, 0, 1)),
    ("region", "State or region", "", (4, 2, 1)),
    ("postcode", "Postcode", "", (5, 0, 1)),
    ("country", "Country", "e.g. AU, US, GB", (5, 2, 1)),
    ("birthday", "Birthday", "YYYY-MM-DD", (6, 0, 1)),
    ("notes", "Notes", "Anything worth remembering", (7, 0, 3)),
)
_KEY_OF_LABEL = {label: key for key, label in FIELDS.items()}


class NewCustomerDialog(QDialog):
    """Add a customer; if they look like someone already known, offer that person first.

    `created` carries a new customer's id, `chosen` an existing one's the owner picked.
    The owner's country is read, and the customer saved, on the window's database thread;
    the fields open for typing once the read has arrived (`loaded`).
    """

    created = Signal(int)
    chosen = Signal(int)
    loaded = Signal()

    def __init__(self, db: Store, *, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        ops = operations.serving(db)
        if ops is None:
            raise RuntimeError("a new customer needs the operations of an open database")
        self._ops, self._clock = ops, clock
        self.customer_id: int | None = None
        self.setWindowTitle("New customer")
        self.setMinimumWidth(620)
        self.fields: dict[str, QLineEdit | QPlainTextEdit] = {}
        self.errors: dict[str, ErrorLabel] = {}
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        grid.setVerticalSpacing(4)
        for key, label, hint, (row, col, span) in _FORM:
            widget: QLineEdit | QPlainTextEdit
            if key == "notes":
                widget = QPlainTextEdit()
                widget.setFixedHeight(56)
                widget.setTabChangesFocus(True)
                widget.setPlaceholderText(hint)
            else:
                widget = QLineEdit()
                widget.setPlaceholderText(hint)
                widget.textEdited.connect(self._edited)
            self.fields[key] = widget
            self.errors[key] = ErrorLabel()
            grid.addWidget(QLabel(label), row * 2, col)
            grid.addWidget(widget, row * 2, col + 1, 1, span)
            grid.addWidget(self.errors[key], row * 2 + 1, col + 1, 1, span)
        self.offer = DuplicateOffer()
        self.offer.use.connect(self._use_existing)
        self.offer.create_new.connect(lambda: self.save(allow_duplicate=True))
        self.error = ErrorLabel()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("Add customer")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.offer)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._ready = False
        for widget in self.fields.values():
            widget.setEnabled(False)
        self._edited()
        ops.run_query(self, load_settings, success=self._fill)

    def _fill(self, settings: OwnerSettings) -> None:
        """Start from the owner's country, then open the fields for typing."""
        country_field = self.fields["country"]
        assert isinstance(country_field, QLineEdit)
        country_field.setText(settings.default_country)
        for widget in self.fields.values():
            widget.setEnabled(True)
        self.fields["display_name"].setFocus()
        self._ready = True
        self._edited()
        self.loaded.emit()

    def value(self, key: str) -> str:
        w = self.fields[key]
        return (w.toPlainText() if isinstance(w, QPlainTextEdit) else w.text()).strip()

    def _edited(self, *_: object) -> None:
        self.save_button.setEnabled(self._ready and bool(self.value("display_name")))
        # What was offered was for the details as they were; changed details are checked anew.
        if self.offer.isVisible():
            self.offer.withdraw()
            self.save_button.setDefault(True)

    def _clear_errors(self) -> None:
        self.error.clear_error()
        for label in self.errors.values():
            label.clear_error()

    def save(self, *, allow_duplicate: bool = False) -> None:
        """Add the customer, or offer the existing person they seem to be."""
        self._clear_errors()
        new = NewCustomer(
            name=self.value("display_name"),
            phone=self.value("phone_cell") or None,
            email=self.value("email") or None,
            company=self.value("company") or None,
            street=self.value("street") or None,
            suburb=self.value("suburb") or None,
            region=self.value("region") or None,
            postcode=self.value("postcode") or None,
            country=self.value("country") or None,
            birthday=self.value("birthday") or None,
            notes=self.value("notes") or None,
        )
        now = self._clock()
        # The team server away: the operations keep the dialog open and save once it is back.
        self._ops.run_change(
            self,
            lambda s: add_customer(s, new, now=now, allow_duplicate=allow_duplicate),
            initiator=self,
            success=self._added,
            failure=self._refused,
        )

    def _refused(self, exc: DeckfollowError) -> None:
        if isinstance(exc, DuplicateCustomerError):
            self.offer.offer(exc.matches)
        elif isinstance(exc, ValidationError):
            key = _KEY_OF_LABEL.get(exc.field, exc.field)
            if key in self.errors:
                self.errors[key].show_error(exc.message)
                self.fields[key].setFocus()
            else:
                self.error.show_error(exc)
        else:
            self.error.show_error(exc)
        self._grow()

    def _added(self, added: CustomerAdded) -> None:
        self.customer_id = added.customer_id
        self.created.emit(added.customer_id)
        self.accept()

    def _use_existing(self, customer_id: int) -> None:
        self.customer_id = customer_id
        self.chosen.emit(customer_id)
        self.accept()

    def _grow(self) -> None:
        self.resize(self.width(), max(self.height(), self.sizeHint().height()))
