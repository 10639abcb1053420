"""Write one card: pick or write the words with merge fields, see it live, print or save."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from deckfollow.core.card_recipients import RecipientMatch, RecipientSearch, search_recipients
from deckfollow.core.clock import Clock
from deckfollow.core.errors import DeckfollowError
from deckfollow.core.merge_fields import (
    MERGE_FIELDS,
    MergeContext,
    render_template,
    sample_context,
)
from deckfollow.core.unit_of_work import Session, Store
from deckfollow.printing.batch import CardRecipient, CardTemplate
from deckfollow.printing.card_dialogs import (
    CardSetup,
    ChosenRecipient,
    read_card_setup,
    read_recipient,
)
from deckfollow.printing.render import (
    Address,
    CardJob,
    PrintOptions,
    card_layout,
    check_cards,
    render_bytes,
    render_proof,
)
from deckfollow.ui import operations
from deckfollow.ui.cards.common import (
    OUTSIDE_NOTE,
    Frame,
    PreviewLabel,
    Sheet,
    StyleForm,
    ask_and_print,
    ask_save_path,
    card_pages,
    lay_out,
    mark_fold,
    pdf_pages,
    save_failed,
    save_private,
    stock_fold,
)
from deckfollow.ui.cards.preview_worker import PreviewRenderer, WhenCurrent
from deckfollow.ui.consent.common import ErrorLabel
from deckfollow.ui.theme import active_theme

SAMPLE = Address("Grace Hopper", ("4/17 Wattle Street", "Paddington NSW 2021"))
SAMPLE_LABEL = "Sample customer (Grace Hopper)"
# How long typing must pause before the preview is rendered again.
PAUSE_MS = 150


class CardsDialog(QDialog):
    """The card composer: words with merge fields, stationery, handwriting, live preview.

    `customer_id` and `template_key` open it ready for one customer and wording (e.g. from
    a card follow-up on the Today list). The wordings, the owner's card choices and who
    the card is for are read on the window's database thread; the fields open once they
    have arrived (`loaded`).
    """

    loaded = Signal()
    # The newest preview is on screen (typing pauses, then the card is rendered off the GUI
    # thread): tests and scripts wait for it before reading `last_pdf`.
    rendered = Signal()
    # The form follows the owner's remembered choices, so it is made once they are read.
    style_form: StyleForm

    def __init__(
        self,
        db: Store,
        *,
        clock: Clock,
        parent: QWidget | None = None,
        customer_id: int | None = None,
        template_key: str | None = None,
    ) -> None:
        super().__init__(parent)
        ops = operations.serving(db)
        if ops is None:
            raise RuntimeError("writing a card needs the operations of an open database")
        self._ops, self._clock = ops, clock
        self.setWindowTitle("Write a card")
        self.resize(1180, 720)
        self.seed = 1
        self.last_pdf: bytes | None = None
        self._templates: list[CardTemplate] = []
        self._setup: CardSetup | None = None  # once read
        self._chosen: CardRecipient | None = None
        self._context: MergeContext | None = None  # the chosen customer's merge values

        # Who the card is for: type any part of a name, suburb, phone or email.
        self.search = QLineEdit()
        self.search.setAccessibleName("Search customers")
        self.search.setPlaceholderText("Search by name, suburb, phone or email")
        self.search.setClearButtonEnabled(True)
        self.matches = QListWidget()
        self.matches.setAccessibleName("Matching customers")
        self.matches.setMinimumHeight(150)
        self.matches.setMaximumHeight(190)
        self.matches.setAlternatingRowColors(True)
        self.match_count = QLabel()
        self.match_count.setStyleSheet(f"color: {active_theme().muted_text};")
        self.template = QComboBox()
        for t in self._templates:
            self.template.addItem(t.name, t.key)
        self.field = QComboBox()
        self.field.addItem("Insert a merge field…", None)
        for key, label in MERGE_FIELDS.items():
            self.field.addItem(f"{label}  {{{key}}}", key)
        self.editor = QPlainTextEdit()
        self.editor.setAccessibleName("Card message")
        self._style_slot = QVBoxLayout()
        self._style_slot.setContentsMargins(0, 0, 0, 0)
        self.again = QPushButton("Write it again")
        self.again.setToolTip("The same words in a fresh hand (a new variation)")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.error = ErrorLabel()
        self.preview = PreviewLabel()
        self.print_button = QPushButton("Print…")
        self.save_button = QPushButton("Save as PDF…")
        close = QPushButton("Close")

        who = QVBoxLayout()
        who.setSpacing(2)
        who.addWidget(self.search)
        who.addWidget(self.matches)
        who.addWidget(self.match_count)
        words = QFormLayout()
        words.addRow("For", who)
        words.addRow("Wording", self.template)
        words.addRow("", self.field)
        left = QVBoxLayout()
        left.addLayout(words)
        left.addWidget(self.editor, 1)
        left.addLayout(self._style_slot)
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

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(120)
        self._search_timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(self._search_timer.start)
        self.matches.currentItemChanged.connect(self._match_chosen)
        # The preview follows typing once it pauses; it is rendered off the GUI thread.
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PAUSE_MS)
        self._timer.timeout.connect(self.refresh)
        self._renderer = PreviewRenderer(self)
        self._renderer.updating.connect(self.preview.set_updating)
        # What Print or Save as PDF pressed mid-render does once the preview is current.
        self._when_current = WhenCurrent()
        self.template.currentIndexChanged.connect(self._use_template)
        self.field.activated.connect(self._insert_field)
        self.editor.textChanged.connect(self._timer.start)
        self.again.clicked.connect(self._write_again)
        self.print_button.clicked.connect(self._print)
        self.save_button.clicked.connect(self._save)
        close.clicked.connect(self.accept)
        # What is typed in the search meanwhile stays; the rest opens once the read is in.
        self._opening: tuple[QWidget, ...] = (
            self.matches,
            self.template,
            self.field,
            self.editor,
            self.again,
        )
        for widget in (*self._opening, self.print_button, self.save_button):
            widget.setEnabled(False)
        now = clock()
        ops.run_query(
            self,
            lambda s: read_card_setup(s, now),
            success=lambda setup: self._fill(setup, template_key, customer_id),
            failure=self.error.show_error,
        )

    def _fill(self, setup: CardSetup, template_key: str | None, customer_id: int | None) -> None:
        """Offer the wordings and the owner's card choices, then open the fields."""
        self._setup = setup
        self._templates = setup.templates
        self.template.blockSignals(True)
        for t in self._templates:
            self.template.addItem(t.name, t.key)
        self.template.blockSignals(False)
        self.style_form = StyleForm(setup.prefs)
        self.style_form.changed.connect(self._style_changed)
        self._style_slot.addWidget(self.style_form)
        self.editor.setPlaceholderText("Dear {first_name}, …")
        for widget in self._opening:
            widget.setEnabled(True)
        self._use_template()
        if template_key is not None:
            self.select_template(template_key)
        if customer_id is None:
            text = self.search.text().strip()
            if text:
                self.run_search()  # typed while the dialog opened
            else:
                self._list("", setup.everyone)  # read with the rest: no empty list first
            self.refresh()
        else:
            self.select_customer(customer_id, then=self._show_chosen)
        self.loaded.emit()

    def _show_chosen(self, chosen: CardRecipient | None) -> None:
        """Show who the card is for in the list, with what tells them apart."""
        if chosen is not None:
            self.search.blockSignals(True)
            self.search.setText(chosen.name)
            self.search.blockSignals(False)
        self.run_search()

    # --- data ---------------------------------------------------------------------

    def _recipient(self) -> CardRecipient | None:
        return self._chosen

    def run_search(self) -> None:
        """List who matches what is typed (the sample card first while nothing is), read
        on the database thread."""
        text = self.search.text().strip()

        def search(session: Session) -> RecipientSearch:
            return search_recipients(session, text)

        self._ops.run_query(
            self,
            search,
            success=lambda found: self._list(text, found),
            failure=self.error.show_error,
        )

    def _list(self, text: str, found: RecipientSearch) -> None:
        if text != self.search.text().strip():
            return  # typed on meanwhile: the later search's answer follows
        current = self._chosen.customer_id if self._chosen is not None else None
        self.matches.blockSignals(True)
        self.matches.clear()
        if not text:
            sample = QListWidgetItem(SAMPLE_LABEL)
            sample.setData(Qt.ItemDataRole.UserRole, None)
            self.matches.addItem(sample)
        for m in found.matches:
            self.matches.addItem(self._item(m))
        self.matches.blockSignals(False)
        shown = len(found.matches)
        if found.total == 0:
            self.match_count.setText(f"Nobody matches “{text}”." if text else "No customers yet.")
        elif found.total > shown:
            self.match_count.setText(f"{shown} of {found.total} shown: keep typing to narrow.")
        else:
            self.match_count.setText(f"{found.total} match{'es' if found.total != 1 else ''}.")
        for i in range(self.matches.count()):
            item = self.matches.item(i)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == current:
                self.matches.setCurrentRow(i)
                break

    @staticmethod
    def _item(m: RecipientMatch) -> QListWidgetItem:
        refused = "  — post revoked" if m.post_refused else ""
        item = QListWidgetItem(f"{m.name}{refused}\n    {m.hint}")
        item.setData(Qt.ItemDataRole.UserRole, m.customer_id)
        item.setToolTip("\n".join(p for p in (m.name, m.suburb, m.email, m.phone_tail) if p))
        return item

    def _match_chosen(self, item: QListWidgetItem | None, _old: QListWidgetItem | None) -> None:
        if item is None:
            return
        self.select_customer(item.data(Qt.ItemDataRole.UserRole))

    def _style_changed(self) -> None:
        if self._setup is None:
            return
        self.style_form.remember(self._ops, self, self.error.show_error)
        self._timer.start()

    # --- actions ------------------------------------------------------------------

    def select_template(self, key: str) -> None:
        index = self.template.findData(key)
        if index >= 0:
            self.template.setCurrentIndex(index)

    def select_customer(
        self,
        customer_id: int | None,
        *,
        then: Callable[[CardRecipient | None], object] | None = None,
    ) -> None:
        """Write the card for this customer (None: the sample card), once who that is and
        their merge values are read; then `then(who)`."""
        if customer_id is None:
            self._chosen, self._context = None, None
            self._timer.start()
            if then is not None:
                then(None)
            return
        now = self._clock()

        def chosen(found: ChosenRecipient) -> None:
            self._chosen, self._context = found.recipient, found.context
            self.refresh()
            if then is not None:
                then(found.recipient)

        self._ops.run_query(
            self,
            lambda s: read_recipient(s, customer_id, now),
            success=chosen,
            failure=self.error.show_error,
        )

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
        context = self._context if r is not None and self._context is not None else None
        rendered = render_template(self.editor.toPlainText(), context or sample_context())
        address = SAMPLE if r is None else r.address
        name = "Grace Hopper" if r is None else r.name
        return CardJob(rendered.text, address, self.seed, name), rendered.problem()

    def refresh(self) -> None:
        """Render the preview anew on the rendering thread (the one on screen stays until
        the new one is in); problems show in red and block printing."""
        self._timer.stop()
        if self._setup is None:
            return  # nothing to show until the owner's card choices are read
        base = self._setup.base
        r = self._recipient()
        try:
            if r is not None and r.post_revoked:
                raise DeckfollowError(f"{r.name} revoked post (or asked for no contact): no card")
            job, note = self.job()
            options = self.style_form.options(base)
        except DeckfollowError as exc:
            self._renderer.cancel()  # a render still on its way is for what went before
            self._not_rendered(exc)
            return
        work = partial(
            render_card,
            job,
            options,
            note=note,
            no_return_address=base.return_address is None,
            frame=self.preview.frame(),
            proof_width_px=self.preview.render_width(560),
        )
        self._renderer.request(work, self._show, self._not_rendered)

    def preview_current(self) -> bool:
        """The preview (and `last_pdf`) show the card as it stands: no render is waiting
        for typing to pause or on its way."""
        return not self._timer.isActive() and self._renderer.is_idle()

    def _show(self, card: CardPreview) -> None:
        self.error.clear_error()
        if card.problems:
            self.error.show_error(card.problems)
        self.last_pdf = card.pdf
        self.preview.show_sheet(card.sheet)
        self.status.setText(card.status)
        self._rendered()

    def _not_rendered(self, error: DeckfollowError) -> None:
        self.error.clear_error()
        self.error.show_error(error)
        self.last_pdf = None
        self.preview.show_pages([])
        self.status.setText("")
        self._rendered()

    def _rendered(self) -> None:
        self._sync_buttons()
        self._when_current.rendered()
        self.rendered.emit()

    def _once_current(self, then: Callable[[], object]) -> None:
        """`then()` now when the preview shows the card as it stands, else once it does."""
        kept = self._when_current.ask(self.preview_current(), then)
        if kept and self._timer.isActive():
            self.refresh()  # typed a moment ago: no need to wait for the pause

    def _sync_buttons(self) -> None:
        ready = self.last_pdf is not None
        self.print_button.setEnabled(ready)
        self.save_button.setEnabled(ready)

    def _print(self) -> None:
        self._once_current(self._ask_print)

    def _ask_print(self) -> None:
        if self.last_pdf is not None:
            ask_and_print(self, self.last_pdf, "Print the card")

    def _save(self) -> None:
        self._once_current(self._ask_save)

    def _ask_save(self) -> None:
        if self.last_pdf is not None:
            ask_save_path(self, "card.pdf", self.save_to)

    def save_to(self, path: Path) -> None:
        """Write the card as it stands (owner-only: it holds a name and an address)."""
        if self.last_pdf is None:
            return
        try:
            save_private(path, self.last_pdf)
        except OSError as exc:
            self.error.show_error(save_failed(path, exc))
            return
        self.status.setText(f"Saved to {path}")

    def done(self, result: int) -> None:
        """Closed: stop rendering (a render under way finishes on its own and is dropped)."""
        self._timer.stop()
        self._when_current.forget()
        self._renderer.shutdown()
        super().done(result)


@dataclass(frozen=True)
class CardPreview:
    """A card rendered for the preview: its PDF when it can be printed, the pages to show
    and what to say under them (`problems`, in red, when it cannot)."""

    pdf: bytes | None
    sheet: Sheet | None
    status: str
    problems: str = ""


def render_card(
    job: CardJob,
    options: PrintOptions,
    *,
    note: str | None,
    no_return_address: bool,
    frame: Frame,
    proof_width_px: int,
) -> CardPreview:
    """Check that the card fits, render it and draw its preview pages (on the rendering
    thread: plain data in, plain data out)."""
    problems = check_cards([job], options)
    if problems:
        # Say what stops printing; when it is the text, show how far it runs over.
        text = "Not ready to print (nothing is ever cut off):\n" + "\n".join(
            f"{p.part}: {p.problem}" for p in problems
        )
        if not any(p.part == "card" for p in problems):
            return CardPreview(None, None, "", text)
        proof = pdf_pages(render_proof(job, options), proof_width_px, [0])
        fold = stock_fold(options.card)
        if fold is not None and proof:
            proof[0] = mark_fold(proof[0], fold)
        status = "Proof only: the dashed red line is the edge of what prints."
        return CardPreview(None, lay_out(proof, None, frame), status, text)
    pdf = render_bytes([job], options)
    pages, rows = card_pages(pdf, [0, 1, 2], options, frame.page_px)
    lay = card_layout(job, options)
    parts = [f"Written at {lay.size:g} pt"]
    if lay.shrunk:
        parts.append(f"(made smaller from {options.style.size:g} pt to fit)")
    if note:
        parts.append(f"· Check: {note}")
    if no_return_address and options.envelope_stock() is not None:
        parts.append("· No return address: set your business name and address in Settings")
    if options.two_sided:
        parts.append(f"· {OUTSIDE_NOTE}.")
    return CardPreview(pdf, lay_out(pages, rows, frame), " ".join(parts))
