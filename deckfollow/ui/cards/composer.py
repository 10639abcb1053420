"""Write one card: pick or write the words with merge fields, see it live, print or save."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from deckfollow.core.errors import DeckfollowError
from deckfollow.core.merge_fields import (
    MERGE_FIELDS,
    MergeContext,
    build_merge_context,
    render_template,
    sample_context,
)
from deckfollow.printing.batch import CardRecipient, CardTemplate, card_recipients, card_templates
from deckfollow.printing.batch import return_address as load_return_address
from deckfollow.printing.render import (
    Address,
    CardJob,
    CardProblem,
    PrintOptions,
    card_layout,
    check_cards,
    render_bytes,
    render_proof,
)
from deckfollow.storage.database import Database
from deckfollow.ui.cards.common import (
    Clock,
    PreviewLabel,
    StyleForm,
    ask_and_print,
    ask_save_path,
    mark_fold,
    pdf_pages,
    save_failed,
    save_private,
    stock_fold,
)
from deckfollow.ui.consent.common import ErrorLabel

SAMPLE = Address("Grace Hopper", ("4/17 Wattle Street", "Paddington NSW 2021"))


class CardsDialog(QDialog):
    """The card composer: words with merge fields, stationery, handwriting, live preview.

    `customer_id` and `template_key` open it ready for one customer and wording (e.g. from
    a card follow-up on the Today list).
    """

    def __init__(
        self,
        db: Database,
        *,
        clock: Clock,
        parent: QWidget | None = None,
        customer_id: int | None = None,
        template_key: str | None = None,
    ) -> None:
        super().__init__(parent)
        self._db, self._clock = db, clock
        self.setWindowTitle("Write a card")
        self.resize(1180, 720)
        self.seed = 1
        self.last_pdf: bytes | None = None

        with db.reading() as s:
            self._templates: list[CardTemplate] = card_templates(s)
            self._return = load_return_address(s)
            self._recipients = card_recipients(s)

        self.customer = QComboBox()
        self.customer.addItem("Sample customer (Grace Hopper)", None)
        for r in self._recipients:
            suffix = "  — post revoked" if r.post_revoked else ""
            self.customer.addItem(r.name + suffix, r.customer_id)
        self.template = QComboBox()
        for t in self._templates:
            self.template.addItem(t.name, t.key)
        self.field = QComboBox()
        self.field.addItem("Insert a merge field…", None)
        for key, label in MERGE_FIELDS.items():
            self.field.addItem(f"{label}  {{{key}}}", key)
        self.editor = QPlainTextEdit()
        self.editor.setPlaceholderText("Dear {first_name}, …")
        self.style_form = StyleForm()
        self.again = QPushButton("Write it again")
        self.again.setToolTip("The same words in a fresh hand (a new variation)")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.error = ErrorLabel()
        self.preview = PreviewLabel()
        self.print_button = QPushButton("Print…")
        self.save_button = QPushButton("Save as PDF…")
        close = QPushButton("Close")

        words = QFormLayout()
        words.addRow("For", self.customer)
        words.addRow("Wording", self.template)
        words.addRow("", self.field)
        left = QVBoxLayout()
        left.addLayout(words)
        left.addWidget(self.editor, 1)
        left.addWidget(self.style_form)
        left.addWidget(self.again)
        right = QVBoxLayout()
        right.addWidget(self.preview, 1)
        right.addWidget(self.status)
        right.addWidget(self.error)
        body = QHBoxLayout()
        body.addLayout(left, 2)
        body.addLayout(right, 3)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.print_button, self.save_button, close):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addLayout(buttons)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.refresh)
        self.template.currentIndexChanged.connect(self._use_template)
        self.field.activated.connect(self._insert_field)
        self.editor.textChanged.connect(self._timer.start)
        self.customer.currentIndexChanged.connect(self._timer.start)
        self.style_form.changed.connect(self._timer.start)
        self.again.clicked.connect(self._write_again)
        self.print_button.clicked.connect(self._print)
        self.save_button.clicked.connect(self._save)
        close.clicked.connect(self.accept)
        self._use_template()
        if template_key is not None:
            self.select_template(template_key)
        if customer_id is not None:
            self.select_customer(customer_id)
        self.refresh()

    # --- data ---------------------------------------------------------------------

    def _recipient(self) -> CardRecipient | None:
        cid = self.customer.currentData()
        return next((r for r in self._recipients if r.customer_id == cid), None)

    def _context(self, r: CardRecipient | None) -> MergeContext:
        if r is None:
            return sample_context()
        with self._db.reading() as s:
            return build_merge_context(
                s, customer_id=r.customer_id, quote_id=r.quote_id, now=self._clock()
            )

    # --- actions ------------------------------------------------------------------

    def select_template(self, key: str) -> None:
        index = self.template.findData(key)
        if index >= 0:
            self.template.setCurrentIndex(index)

    def select_customer(self, customer_id: int | None) -> None:
        index = self.customer.findData(customer_id)
        if index >= 0:
            self.customer.setCurrentIndex(index)

    def _use_template(self) -> None:
        key = self.template.currentData()
        tpl = next((t for t in self._templates if t.key == key), None)
        if tpl is not None:
            self.editor.setPlainText(tpl.body)

    def _insert_field(self) -> None:
        key = self.field.currentData()
        if key:
            self.editor.insertPlainText("{" + str(key) + "}")
            self.editor.setFocus()
        self.field.setCurrentIndex(0)

    def _write_again(self) -> None:
        self.seed += 1
        self.refresh()

    def job(self) -> tuple[CardJob, str | None]:
        """The card as it stands, and a note about merge fields with no value."""
        r = self._recipient()
        rendered = render_template(self.editor.toPlainText(), self._context(r))
        address = SAMPLE if r is None else r.address
        name = "Grace Hopper" if r is None else r.name
        return CardJob(rendered.text, address, self.seed, name), rendered.problem()

    def refresh(self) -> None:
        """Re-render the preview; problems show in red and block printing."""
        self.error.clear_error()
        self.last_pdf = None
        r = self._recipient()
        try:
            if r is not None and r.post_revoked:
                raise DeckfollowError(f"{r.name} revoked post (or asked for no contact): no card")
            job, note = self.job()
            options = self.style_form.options(self._return)
            problems = check_cards([job], options)
            if problems:
                self._show_problems(job, options, problems)
                return
            pdf = render_bytes([job], options)
        except DeckfollowError as exc:
            self.error.show_error(exc)
            self.preview.show_pages([])
            self.status.setText("")
            self._sync_buttons()
            return
        self.last_pdf = pdf
        pages = pdf_pages(pdf, self.preview.render_width(560), [0, 1])
        fold = stock_fold(options.card)
        if fold is not None and pages:
            pages[0] = mark_fold(pages[0], fold)
        self.preview.show_pages(pages)
        lay = card_layout(job, options)
        parts = [f"Written at {lay.size:g} pt"]
        if lay.shrunk:
            parts.append(f"(made smaller from {options.style.size:g} pt to fit)")
        if note:
            parts.append(f"· Check: {note}")
        if self._return is None and options.envelope_stock() is not None:
            parts.append("· No return address: set your business name and address in Settings")
        self.status.setText(" ".join(parts))
        self._sync_buttons()

    def _show_problems(
        self, job: CardJob, options: PrintOptions, problems: list[CardProblem]
    ) -> None:
        """Say what stops printing; when it is the text, show how far it runs over."""
        self.error.show_error(
            "Not ready to print (nothing is ever cut off):\n"
            + "\n".join(f"{p.part}: {p.problem}" for p in problems)
        )
        if any(p.part == "card" for p in problems):
            proof = pdf_pages(render_proof(job, options), self.preview.render_width(560), [0])
            fold = stock_fold(options.card)
            if fold is not None and proof:
                proof[0] = mark_fold(proof[0], fold)
            self.preview.show_pages(proof)
            self.status.setText("Proof only: the dashed red line is the edge of what prints.")
        else:
            self.preview.show_pages([])
            self.status.setText("")
        self._sync_buttons()

    def _sync_buttons(self) -> None:
        ready = self.last_pdf is not None
        self.print_button.setEnabled(ready)
        self.save_button.setEnabled(ready)

    def _print(self) -> None:
        if self.last_pdf is not None:
            ask_and_print(self, self.last_pdf)

    def _save(self) -> None:
        if self.last_pdf is None:
            return
        path = ask_save_path(self, "card.pdf")
        if path is None:
            return
        try:
            save_private(path, self.last_pdf)
        except OSError as exc:
            self.error.show_error(save_failed(path, exc))
            return
        self.status.setText(f"Saved to {path}")
