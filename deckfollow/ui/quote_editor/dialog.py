"""The quote dialog: a new quote, an edit, or what a move to Quoted still needs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from deckfollow.core.changes import Changes
from deckfollow.core.clock import Clock
from deckfollow.core.enums import Stage
from deckfollow.core.errors import ConcurrentEditError, DeckfollowError, ValidationError
from deckfollow.core.leads import NewLead
from deckfollow.core.quotes import (
    KEEP,
    MAX_COMPETING,
    Keep,
    NewQuote,
    QuoteEdit,
    QuoteForm,
    change_stage,
    create_quote,
    edit_quote,
    parse_amount,
    quote_form,
)
from deckfollow.core.unit_of_work import Session, Store
from deckfollow.ui import operations
from deckfollow.ui.consent.common import ErrorLabel
from deckfollow.ui.formatting import readable_date_edit
from deckfollow.ui.qt_values import pydate, qdate
from deckfollow.ui.team.clash import offer_to_reapply
from deckfollow.ui.theme import active_theme

CURRENCIES = ("AUD", "NZD", "USD", "CAD", "GBP", "EUR")
# The core names fields as people say them; each maps to the row that shows its message.
_ROW_OF = {
    "number": "number",
    "amount": "amount",
    "currency": "amount",
    "job": "job",
    "sent": "sent",
    "valid until": "sent",
    "competing quotes": "competing",
    "file": "file",
    "name": "name",
    "phone": "phone",
    "email": "email",
    "country": "name",
    "customer": "customer",
}


class _OptionalDate(QWidget):
    """A date that may be left out: a tick box beside a calendar field."""

    def __init__(self, label: str, default: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = QCheckBox(label)
        self.edit = QDateEdit(qdate(default))
        self.edit.setCalendarPopup(True)
        readable_date_edit(self.edit)
        self.edit.setAccessibleName(label)
        self.edit.setEnabled(False)
        self.check.toggled.connect(self.edit.setEnabled)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.check)
        row.addWidget(self.edit, 1)

    def value(self) -> date | None:
        return pydate(self.edit.date()) if self.check.isChecked() else None

    def set_value(self, value: date | None) -> None:
        self.check.setChecked(value is not None)
        if value is not None:
            self.edit.setDate(qdate(value))


@dataclass(frozen=True)
class _Saved:
    quote_id: int
    changes: Changes


class QuoteDialog(QDialog):
    """Number, amount and currency, job, sent and valid-until dates, competing quotes and
    the file sent, for a quote of `quote_id`, a new quote for `customer_id`, or a new quote
    whose customer is picked (or added) here.

    With `moving_to`, saving also moves the quote to that stage, and the amount and sent
    date it asks for are required. A refusal is shown beside its field and nothing typed
    is lost; `saved` carries the quote's id.

    What it shows is read, and what is typed saved, on the window's database thread (the
    operations serving `db`); the fields open for typing once the read has arrived
    (`loaded`), which is quicker than a person can start typing.
    """

    saved = Signal(int)
    loaded = Signal()

    def __init__(
        self,
        db: Store,
        *,
        clock: Clock,
        quote_id: int | None = None,
        customer_id: int | None = None,
        moving_to: Stage | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        ops = operations.serving(db)
        if ops is None:
            raise RuntimeError("the quote dialog needs the operations of an open database")
        self._ops, self._clock = ops, clock
        self._customer_id = customer_id
        self._moving_to = moving_to
        self._reapply_version: int | None = None  # the version a clash showed, once chosen
        self.form: QuoteForm | None = None  # what was read, once it arrived
        self.quote_id = quote_id
        self.setMinimumWidth(560)
        self.setWindowTitle(
            f"Move to {moving_to.label}"
            if moving_to is not None
            else ("Quote" if quote_id is not None else "New quote")
        )

        self._intro = QLabel()
        self._intro.setWordWrap(True)
        self._intro.setStyleSheet(f"color: {active_theme().muted_text};")

        # Whose quote, when it is a new quote for someone still to be picked.
        self.customer = QComboBox()
        self.customer.setEditable(True)
        self.customer.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.customer.addItem("New customer", None)
        completer = self.customer.completer()
        if completer is not None:
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.name = QLineEdit()
        self.name.setPlaceholderText("First and last name")
        self.phone = QLineEdit()
        self.phone.setPlaceholderText("Mobile, any format")
        self.email = QLineEdit()
        self.email.setPlaceholderText("name@example.com")

        self.number = QLineEdit()
        self.amount = QLineEdit()
        self.amount.setAccessibleName("Amount")
        self.amount.setPlaceholderText("e.g. 4,850.00")
        self.currency = QComboBox()
        self.currency.setEditable(True)
        self.currency.addItems(CURRENCIES)
        self.currency.setMaximumWidth(90)
        self.currency.setAccessibleName("Currency")
        money = QWidget()
        mrow = QHBoxLayout(money)
        mrow.setContentsMargins(0, 0, 0, 0)
        mrow.addWidget(self.amount, 1)
        mrow.addWidget(self.currency)
        self.job = QLineEdit()
        self.job.setPlaceholderText("What is quoted, e.g. 30 m² spotted gum deck with steps")
        # The owner's today arrives with the read; until then the computer's stands in.
        today = date.today()
        self.sent = _OptionalDate("Sent on", today)
        self.valid_until = _OptionalDate("Valid until", today + timedelta(days=30))
        dates = QWidget()
        drow = QHBoxLayout(dates)
        drow.setContentsMargins(0, 0, 0, 0)
        drow.addWidget(self.sent, 1)
        drow.addSpacing(12)
        drow.addWidget(self.valid_until, 1)
        self.competing = QSpinBox()
        self.competing.setRange(-1, MAX_COMPETING)
        self.competing.setSpecialValueText("Not known")
        self.competing.setToolTip("How many other businesses are quoting the same job")
        self.competing.setValue(-1)
        self.competing.setMinimumWidth(170)
        self.competing.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.file = QLineEdit()
        self.file.setAccessibleName("File sent")
        self.file.setPlaceholderText("The quote you sent, e.g. its PDF")
        self.choose_button = QPushButton("Choose…")
        self.open_button = QPushButton("Open")
        self.open_button.setToolTip("Open the file with the computer's viewer")
        frow_widget = QWidget()
        frow = QHBoxLayout(frow_widget)
        frow.setContentsMargins(0, 0, 0, 0)
        frow.addWidget(self.file, 1)
        frow.addWidget(self.choose_button)
        frow.addWidget(self.open_button)

        self.field_errors: dict[str, ErrorLabel] = {
            key: ErrorLabel()
            for key in (
                "customer",
                "name",
                "phone",
                "email",
                "number",
                "amount",
                "job",
                "sent",
                "competing",
                "file",
            )
        }
        self._fields_box = QWidget()
        form = QFormLayout(self._fields_box)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._form = form
        self._customer_rows: list[QWidget] = []
        rows: list[tuple[str, str, QWidget]] = []
        if self._picking():
            rows.append(("customer", "Customer", self.customer))
            rows += [
                ("name", "Name", self.name),
                ("phone", "Phone", self.phone),
                ("email", "Email", self.email),
            ]
        rows += [
            ("number", "Number", self.number),
            ("amount", "Amount", money),
            ("job", "Job", self.job),
            ("sent", "Dates", dates),
            ("competing", "Competing quotes", self.competing),
            ("file", "File", frow_widget),
        ]
        for key, label, widget in rows:
            form.addRow(label, widget)
            form.addRow("", self.field_errors[key])
            if key in ("name", "phone", "email"):
                self._customer_rows += [widget, self.field_errors[key]]
        self.error = ErrorLabel()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        if moving_to is not None:
            self.save_button.setText(f"Move to {moving_to.label}")
        elif quote_id is None:
            self.save_button.setText("Add quote")
        else:
            self.save_button.setText("Save quote")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.choose_button.clicked.connect(self.choose_file)
        self.open_button.clicked.connect(self.open_file)
        self.file.textChanged.connect(self._refresh)
        # A field's message goes as soon as the field is changed: red under a corrected
        # amount reads as if it were still wrong.
        for key, signal in (
            ("customer", self.customer.currentIndexChanged),
            ("name", self.name.textChanged),
            ("phone", self.phone.textChanged),
            ("email", self.email.textChanged),
            ("number", self.number.textChanged),
            ("amount", self.amount.textChanged),
            ("amount", self.currency.currentTextChanged),
            ("job", self.job.textChanged),
            ("sent", self.sent.check.toggled),
            ("sent", self.sent.edit.dateChanged),
            ("sent", self.valid_until.check.toggled),
            ("sent", self.valid_until.edit.dateChanged),
            ("competing", self.competing.valueChanged),
            ("file", self.file.textChanged),
        ):
            signal.connect(self.field_errors[key].clear_error)
        self.customer.currentIndexChanged.connect(self._refresh)
        self.name.textChanged.connect(self._refresh)

        layout = QVBoxLayout(self)
        layout.addWidget(self._intro)
        layout.addWidget(self._fields_box)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._fields_box.setEnabled(False)
        self._refresh()

        now = clock()
        with_customers = self._picking()
        self._ops.run_query(
            self,
            lambda s: quote_form(
                s,
                now=now,
                quote_id=quote_id,
                customer_id=customer_id,
                with_customers=with_customers,
            ),
            success=self._fill,
        )

    def _fill(self, form: QuoteForm) -> None:
        """Show what was read and open the fields for typing."""
        self.form = form
        details = form.details
        moving_to = self._moving_to
        if moving_to is not None and details is not None:
            missing = " and ".join(details.missing_for(moving_to)) or "nothing"
            self._intro.setText(
                f"To move {details.customer}'s quote to {moving_to.label}, add its {missing}."
            )
        elif details is not None:
            self.setWindowTitle(f"Quote {details.number}" if details.number else "Quote")
            self._intro.setText(f"{details.customer} · {details.stage.label}")
        else:
            whose = form.customer
            self._intro.setText(
                f"A new quote for {whose}." if whose else "Who is the quote for? Pick or add them."
            )
        for cid, label in form.customers:
            self.customer.addItem(label, cid)
        self.number.setText(details.number if details and details.number else form.suggested_number)
        if self.currency.findText(form.currency) < 0:
            self.currency.insertItem(0, form.currency)
        self.currency.setCurrentText(form.currency)
        self.sent.edit.setDate(qdate(form.today))
        self.valid_until.edit.setDate(qdate(form.today + timedelta(days=30)))
        if details is not None:
            self.amount.setText(f"{details.amount:,.2f}" if details.amount is not None else "")
            self.currency.setCurrentText(details.currency)
            self.job.setText(details.job)
            self.sent.set_value(details.sent_on)
            self.valid_until.set_value(details.valid_until)
            self.competing.setValue(
                details.competing_quotes if details.competing_quotes is not None else -1
            )
            self.file.setText(details.file or "")
        if moving_to is not None and self.sent.value() is None:
            self.sent.set_value(form.today)  # the usual case: moved to Quoted the day it went out
        self._fields_box.setEnabled(True)
        self._refresh()
        # Where the owner types first: the amount, unless the customer is still to be named
        # (then what they type replaces "New customer", as when tabbing into it).
        if self._picking():
            self.customer.setFocus()
            line = self.customer.lineEdit()
            if line is not None:
                line.selectAll()
        else:
            self.amount.setFocus()
        self.loaded.emit()

    # -- state ---------------------------------------------------------------------------

    def _picking(self) -> bool:
        return self.quote_id is None and self._customer_id is None

    def _new_customer(self) -> bool:
        return self._picking() and self.customer.currentData() is None

    def _refresh(self) -> None:
        for w in self._customer_rows:
            self._form.setRowVisible(w, self._new_customer())
        self.open_button.setEnabled(bool(self.file.text().strip()))
        self.file.setToolTip(self.file.text())
        self.save_button.setEnabled(
            self.form is not None and (not self._new_customer() or bool(self.name.text().strip()))
        )
        # Shrink (or grow) to the rows now shown, once the layout has taken them in; with the
        # dialog as the timer's context, a dialog closed and deleted first is left alone.
        QTimer.singleShot(0, self, self._fit_height)

    def _fit_height(self) -> None:
        layout = self.layout()
        if layout is not None:
            layout.activate()
        self.resize(self.width(), self.sizeHint().height())

    # -- the file ------------------------------------------------------------------------

    def choose_file(self) -> None:
        """Pick the file sent; opened, not run with a loop of its own."""
        start = self.file.text().strip() or str(Path.home())
        picker = QFileDialog(self, "The quote you sent", start, "PDF files (*.pdf);;All files (*)")
        picker.setFileMode(QFileDialog.FileMode.ExistingFile)
        picker.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # A method, not a lambda over self: the picker must not be what keeps this alive.
        picker.fileSelected.connect(self._file_chosen)
        picker.open()

    def _file_chosen(self, path: str) -> None:
        if path:
            self.file.setText(path)

    def open_file(self) -> bool:
        """Open the file with the system's viewer; say so if it is not there any more."""
        self.field_errors["file"].clear_error()
        path = Path(self.file.text().strip()).expanduser()
        if not path.is_file():
            self.field_errors["file"].show_error(f"{path} is not there any more")
            return False
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    # -- saving --------------------------------------------------------------------------

    def _fields(self) -> QuoteEdit:
        text = self.amount.text().strip()
        needed = self._moving_to is not None
        if needed and not text:
            raise ValidationError("amount", f"give the amount for {self._moving_to_label()}")
        if needed and self.sent.value() is None:
            raise ValidationError("sent", f"give the day it was sent for {self._moving_to_label()}")
        competing = self.competing.value()
        job = self.job.text()
        return QuoteEdit(
            number=self.number.text().strip() or None,
            # A new quote left without a job keeps its enquiry's words (or is named by number).
            job=job if job.strip() or self.quote_id is not None else KEEP,
            amount=parse_amount(text) if text else None,
            currency=self.currency.currentText(),
            sent_on=self.sent.value(),
            valid_until=self.valid_until.value(),
            competing_quotes=competing if competing >= 0 else None,
            file=self.file.text().strip() or None,
        )

    def _moving_to_label(self) -> str:
        return self._moving_to.label if self._moving_to is not None else ""

    def _clear_errors(self) -> None:
        self.error.clear_error()
        for label in self.field_errors.values():
            label.clear_error()

    def _show(self, exc: DeckfollowError) -> None:
        row = _ROW_OF.get(exc.field) if isinstance(exc, ValidationError) else None
        if row is not None and row in self.field_errors and self.field_errors[row].parent():
            assert isinstance(exc, ValidationError)
            self.field_errors[row].show_error(exc.message)
            focus = {
                "amount": self.amount,
                "number": self.number,
                "job": self.job,
                "name": self.name,
                "phone": self.phone,
                "email": self.email,
            }.get(row)
            if focus is not None:
                focus.setFocus()
                focus.selectAll()
        else:
            self.error.show_error(exc)
        self.resize(self.width(), max(self.height(), self.sizeHint().height()))

    def save(self) -> None:
        """Save in one transaction (and move, when moving) on the database thread; then
        close, or show why not (what was typed stays)."""
        self._clear_errors()
        if self.form is None:
            self.error.show_error("Wait a moment: the quote is still being read.")
            return
        details = self.form.details
        now = self._clock()
        try:
            fields = self._fields()
        except DeckfollowError as exc:
            self._show(exc)
            return
        moving_to, version = self._moving_to, self._version()
        if (
            details is not None
            and moving_to is None
            and details.stage is Stage.LEAD
            and details.sent_on is None
            and fields.sent_on is not None
        ):
            # The day it went out, given to a lead, says it was quoted: it moves to Quoted
            # as dragging it there would (a quote moved back to Lead by hand stays there).
            moving_to = Stage.QUOTED
        customer_id = self._customer_id or self.customer.currentData()
        new_customer = self._lead() if self._new_customer() else None

        def save(s: Session) -> _Saved:
            if details is not None and moving_to is not None:
                moved = change_stage(
                    s, details.id, moving_to, now=now, fill=fields, version=details.version
                )
                return _Saved(details.id, moved.changes)
            if details is not None:
                edited = edit_quote(s, details.id, fields, version=version, now=now)
                return _Saved(details.id, edited.changes)
            new = NewQuote(customer_id=customer_id, new_customer=new_customer, fields=fields)
            made = create_quote(s, new, now=now)
            return _Saved(made.quote_id, made.changes)

        def refused(exc: DeckfollowError) -> None:
            # The team server away is waited out by the operations (Save comes back with it).
            if isinstance(exc, ConcurrentEditError) and self._offer_reapply(exc, fields):
                return
            self._show(exc)

        self._ops.run_change(self, save, initiator=self, success=self._saved, failure=refused)

    def _saved(self, saved: _Saved) -> None:
        self.quote_id = saved.quote_id
        self.saved.emit(saved.quote_id)
        self.accept()

    def _version(self) -> int | None:
        details = self.form.details if self.form is not None else None
        return self._reapply_version or (details.version if details is not None else None)

    def _offer_reapply(self, exc: ConcurrentEditError, fields: QuoteEdit) -> bool:
        """Someone saved this quote meanwhile: show theirs beside what is typed here; True
        once that question is open. Applying mine saves again from the version now saved
        (what was typed is unchanged); keeping theirs shows who changed it, beside Save."""
        if "version" not in exc.theirs or self._moving_to is not None:
            return False
        mine = {
            "number": fields.number,
            "job": fields.job,
            "amount": fields.amount,
            "competing_quotes": fields.competing_quotes,
        }
        labels = {
            "number": "Number",
            "job": "Job",
            "amount": "Amount",
            "competing_quotes": "Others quoting",
        }
        rows = [
            (labels[k], exc.theirs.get(k, ""), "" if v is None else str(v))
            for k, v in mine.items()
            if not isinstance(v, Keep)
        ]
        theirs = int(exc.theirs["version"])

        def apply_mine() -> None:
            self._reapply_version = theirs
            # Saved once the question has closed: a save closes this dialog, which must not
            # go while the question over it is still finishing.
            QTimer.singleShot(0, self, self.save)

        offer_to_reapply(exc, rows, self, reapply=apply_mine, keep_theirs=lambda: self._show(exc))
        return True

    def _lead(self) -> NewLead:
        job = self.job.text().strip() or None
        return NewLead(
            name=self.name.text(),
            phone=self.phone.text().strip() or None,
            email=self.email.text().strip() or None,
            job=job,
        )
