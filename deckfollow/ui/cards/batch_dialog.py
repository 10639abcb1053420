"""This week's cards: printed one paper kind at a time (or as one PDF), then "Mark as
mailed"."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from deckfollow.core.card_kinds import COURTESY_KINDS, MailedNextStep, card_kind
from deckfollow.core.clock import Clock
from deckfollow.core.enums import Channel
from deckfollow.core.errors import DeckfollowError
from deckfollow.core.unit_of_work import Session, Store
from deckfollow.printing.batch import CardBatch, DueCard, PrintedBatch
from deckfollow.printing.card_dialogs import (
    CardSetup,
    DueCards,
    Mailed,
    mail_printed_cards,
    read_card_setup,
    read_due_cards,
    remember_batch_printed,
)
from deckfollow.printing.paper_steps import PaperStep, paper_steps
from deckfollow.printing.render import CardProblem, PrintOptions, check_cards, render_bytes
from deckfollow.printing.stationery import envelope_label
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
    pdf_pages,
    save_failed,
    save_private,
)
from deckfollow.ui.cards.preview_worker import PreviewRenderer, WhenCurrent
from deckfollow.ui.consent.common import ErrorLabel
from deckfollow.ui.formatting import counted, date_text
from deckfollow.ui.theme import active_theme

_NEXT_CHANNELS = ((Channel.CALL, "Call"), (Channel.TEXT, "Text"), (Channel.EMAIL, "Email"))
# A batch's status names this many customers, then says how many more.
_NAMED = 3


class CardBatchDialog(QDialog):
    """Every card due within N days in one PDF; skipped customers listed with the reason.

    `mailed` carries the core's Changes after cards were logged as mailed. The wordings,
    the owner's card choices and the cards due are read on the window's database thread,
    and what was printed and mailed is recorded there; the fields open once the first read
    has arrived (`loaded`).
    """

    mailed = Signal(object)
    loaded = Signal()
    # The newest check and preview are on screen (rendered off the GUI thread): tests and
    # scripts wait for it before reading `last_pdf` or the print jobs.
    rendered = Signal()
    # The form follows the owner's remembered choices, so it is made once they are read.
    style_form: StyleForm

    def __init__(self, db: Store, *, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        ops = operations.serving(db)
        if ops is None:
            raise RuntimeError("the card batch needs the operations of an open database")
        self._ops, self._clock = ops, clock
        self.setWindowTitle("Cards to send")
        self.resize(1360, 900)
        self.batch = CardBatch()
        self.problems: list[CardProblem] = []
        self.last_pdf: bytes | None = None
        self.steps: list[PaperStep] = []
        self.printed_steps: set[int] = set()
        self._setup: CardSetup | None = None  # once read

        self.days = QSpinBox()
        self.days.setRange(0, 90)
        self.days.setValue(7)
        self.days.setSuffix(" days")
        self.template = QComboBox()
        self.template.addItem("Chosen by each follow-up's reason", None)
        self._style_slot = QVBoxLayout()
        self._style_slot.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, 4)
        self.table.setAccessibleName("Cards due")
        self.table.setHorizontalHeaderLabels(["Customer", "Due", "Wording", "Fits"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.skipped = QListWidget()
        self.skipped.setAccessibleName("Skipped")
        self.skipped.setMaximumHeight(110)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.error = ErrorLabel()
        self.preview = PreviewLabel()
        self.preview_caption = QLabel()
        self.preview_caption.setStyleSheet(f"color: {active_theme().muted_text};")
        self.preview_caption.setWordWrap(True)
        self.previewed_row = -1
        self._renderer = PreviewRenderer(self)
        self._renderer.updating.connect(self.preview.set_updating)
        self._shown: BatchPreview | None = None  # what the list and preview show
        self._full_pending = False  # the batch's own render is on its way
        self._filling = False
        # What a print or save pressed mid-render does once the preview is current.
        self._when_current = WhenCurrent()
        self.steps_box = QGroupBox("Print in this order, one paper at a time")
        self.steps_layout = QVBoxLayout(self.steps_box)
        self.print_button = QPushButton("Print all as one job…")
        self.print_button.setToolTip("Every card, envelope and label sheet in one print job")
        self.save_button = QPushButton("Save all as one PDF…")

        self.next_channel = QComboBox()
        for ch, label in _NEXT_CHANNELS:
            self.next_channel.addItem(label, ch.value)
        self.next_days = QSpinBox()
        self.next_days.setRange(1, 60)
        self.next_days.setValue(7)
        self.next_days.setSuffix(" days after mailing")
        self.next_reason = QLineEdit(MailedNextStep().reason)
        self.courtesy_too = QCheckBox("Also after birthday, holiday and “saw this” cards")
        self.kinds_note = QLabel()
        self.kinds_note.setWordWrap(True)
        self.kinds_note.setStyleSheet(f"color: {active_theme().muted_text};")
        self.mail_button = QPushButton("Mark as mailed")
        self.mail_status = QLabel()
        self.mail_status.setWordWrap(True)
        close = QPushButton("Close")

        top = QFormLayout()
        top.addRow("Cards due within", self.days)
        top.addRow("Wording", self.template)
        left = QVBoxLayout()
        left.addLayout(top)
        left.addWidget(self.table, 1)
        left.addWidget(QLabel("Skipped (not printed):"))
        left.addWidget(self.skipped)
        left.addLayout(self._style_slot)
        mail_box = QGroupBox("After posting: what's next for each customer")
        mail_form = QFormLayout(mail_box)
        mail_form.addRow("Next", self.next_channel)
        mail_form.addRow("When", self.next_days)
        mail_form.addRow("Reason", self.next_reason)
        mail_form.addRow("", self.courtesy_too)
        mail_form.addRow(self.kinds_note)
        mail_form.addRow("", self.mail_button)
        mail_form.addRow(self.mail_status)
        right = QVBoxLayout()
        right.addWidget(self.preview, 1)
        right.addWidget(self.preview_caption)
        right.addWidget(self.summary)
        right.addWidget(self.error)
        right.addWidget(self.steps_box)
        print_row = QHBoxLayout()
        print_row.addStretch(1)
        print_row.addWidget(self.print_button)
        print_row.addWidget(self.save_button)
        right.addLayout(print_row)
        right.addWidget(mail_box)
        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addLayout(right, 1)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addLayout(bottom)

        self.table.currentCellChanged.connect(self._on_row)
        self.days.valueChanged.connect(self.reload)
        self.template.currentIndexChanged.connect(self.reload)
        self.print_button.clicked.connect(self._print)
        self.save_button.clicked.connect(self._save)
        self.mail_button.clicked.connect(self.mark_as_mailed)
        close.clicked.connect(self.accept)
        # Nothing is offered until the cards due are read: an empty list would say "none".
        self._opening: tuple[QWidget, ...] = (
            self.days,
            self.template,
            self.next_channel,
            self.next_days,
            self.next_reason,
            self.courtesy_too,
        )
        for widget in (*self._opening, self.print_button, self.save_button, self.mail_button):
            widget.setEnabled(False)
        now = clock()
        ops.run_query(
            self, lambda s: read_card_setup(s, now), success=self._fill, failure=self._not_read
        )

    def _fill(self, setup: CardSetup) -> None:
        """Offer the wordings and the owner's card choices, then read the cards due."""
        self._setup = setup
        self.template.blockSignals(True)
        for t in setup.templates:
            self.template.addItem(t.name, t.key)
        self.template.blockSignals(False)
        self.style_form = StyleForm(setup.prefs)
        self.style_form.changed.connect(self._style_changed)
        self._style_slot.addWidget(self.style_form)
        self.reload()

    def _not_read(self, error: DeckfollowError) -> None:
        self.error.show_error(error)

    def reload(self) -> None:
        """Collect the cards due and the customers skipped on the database thread, then
        check and preview them."""
        if self._setup is None:
            return
        now, days, key = self._clock(), self.days.value(), self.template.currentData()

        def due(session: Session) -> DueCards:
            return read_due_cards(session, now, days, key)

        self._ops.run_query(self, due, success=self._show_due, failure=self._not_due)

    def _not_due(self, error: DeckfollowError) -> None:
        self._show_due(DueCards(CardBatch(), None))
        self.error.show_error(error)

    def _show_due(self, due: DueCards) -> None:
        first = not self.days.isEnabled()
        for widget in self._opening:
            widget.setEnabled(True)
        self.error.clear_error()
        self.batch = due.batch
        self.skipped.clear()
        for sk in self.batch.skipped:
            self.skipped.addItem(f"{sk.customer}: {sk.reason}")
        if not self.batch.skipped:
            # "Every customer due a card can be sent one" only where some card is due.
            self.skipped.addItem(
                "Nobody: every customer due a card can be sent one."
                if self.batch.cards
                else "Nobody."
            )
        self._check_and_preview()
        self._sync_mail(due.printed)
        if first:
            self.loaded.emit()

    def _style_changed(self) -> None:
        if self._setup is None:
            return
        self.style_form.remember(self._ops, self, self.error.show_error)
        self._check_and_preview()

    def _options(self) -> PrintOptions:
        assert self._setup is not None  # once read
        return self.style_form.options(self._setup.base)

    def _check_and_preview(self) -> None:
        """Check every card fits, render the batch and its print jobs and draw the chosen
        card, on the rendering thread; what is on screen stays until that is in."""
        if self._setup is None:
            return
        row = self.table.currentRow()
        work = partial(
            render_batch,
            self.batch,
            self._options(),
            row=row if 0 <= row < len(self.batch.cards) else 0,
            frame=self.preview.frame(),
        )
        self._full_pending = True
        self._renderer.request(work, self._show_batch, self._not_rendered)

    def preview_current(self) -> bool:
        """The list, preview, print jobs and `last_pdf` show the batch as it stands: no
        render is on its way."""
        return self._renderer.is_idle()

    def _not_rendered(self, error: DeckfollowError) -> None:
        """Only a defect in the work itself gets here: `render_batch` keeps domain errors."""
        self._full_pending = False
        self.error.show_error(error)
        self._rendered()

    def _show_batch(self, done: BatchPreview) -> None:
        self._full_pending = False
        self._shown = done
        self.error.clear_error()
        self.problems = done.problems
        self.last_pdf = done.pdf
        self.steps = done.steps
        self.printed_steps = set()
        if done.error is not None:
            self.error.show_error(done.error)
        bad = {p.label: p for p in self.problems}
        cards = done.batch.cards
        self._filling = True  # the current row may move: its preview is drawn below
        self._fill_table(cards, bad)
        self._filling = False
        if self.problems:
            self.error.show_error(
                "Not ready to print (nothing is cut off, so these must be fixed first):\n"
                + "\n".join(str(p) for p in self.problems)
            )
        assert self._setup is not None
        n = len(cards)
        options = done.options
        envelope = options.envelope_stock()
        units = self.style_form.preferences().units
        parts = [f"{n} card{'s' if n != 1 else ''} to print"]
        if envelope is not None:
            parts.append(f"and {n} × {envelope_label(envelope, units)}")
        if options.labels:
            parts.append(f"and labels from label {options.start_label}")
        if self._setup.base.return_address is None and envelope is not None:
            parts.append("(no return address: set it in Settings)")
        if n == 0:
            parts = [f"No cards due within {counted(self.days.value(), 'day')}."]
        self.summary.setText(" ".join(parts).rstrip(".") + ".")
        self._show_steps()
        self.print_button.setEnabled(self.last_pdf is not None)
        self.save_button.setEnabled(self.last_pdf is not None)
        row = self.table.currentRow()
        row = row if 0 <= row < n else 0
        if done.sheet is not None and done.row == row:
            self._show_row(row, done.sheet)
        else:
            self.show_preview(row)  # chosen meanwhile (or nothing to show)
        if self._renderer.is_idle():
            self._rendered()

    def _fill_table(self, cards: list[DueCard], bad: dict[str, CardProblem]) -> None:
        """One row per card; only the cells whose words changed are set (a new style leaves
        most as they were), and the columns are sized to their contents once, after."""
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.setRowCount(len(cards))
        for row, card in enumerate(cards):
            due = date_text(card.due_at)
            problem = bad.get(card.customer)
            fits = "yes" if problem is None else f"no: {problem.part}: {problem.problem}"
            if card.missing and problem is None:
                fits = "check: no value for " + ", ".join(card.missing)
            for col, text in enumerate((card.customer, due, card.template_name, fits)):
                item = self.table.item(row, col)
                if item is None or item.text() != text:
                    self.table.setItem(row, col, QTableWidgetItem(text))
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)

    def _rendered(self) -> None:
        self._when_current.rendered()
        self.rendered.emit()

    def _once_current(self, then: Callable[[], object]) -> None:
        """`then()` now when what is on screen is the batch as it stands, else once it is."""
        self._when_current.ask(self.preview_current(), then)

    def _on_row(self, row: int, _col: int, _old_row: int, _old_col: int) -> None:
        if row != self.previewed_row and not self._filling:
            self.show_preview(row)

    def show_preview(self, row: int) -> None:
        """The card on `row` of the list with its envelope, or with the label sheet it is on
        (drawn on the rendering thread; the batch's own render draws it when one is on its
        way)."""
        self.previewed_row = -1
        shown = self._shown
        n = len(shown.batch.cards) if shown is not None else 0
        if shown is None or shown.pdf is None or not 0 <= row < n:
            if self._full_pending:
                return
            self._renderer.cancel()
            self.preview.show_pages([])
            if n == 0:
                self.preview.setText("No cards due: nothing to preview.")
            self.preview_caption.setText("")
            return
        if self._full_pending:
            return
        work = partial(row_pages, shown.pdf, row, n, shown.options, self.preview.frame())

        def show(sheet: Sheet | None) -> None:
            self._show_row(row, sheet)
            self._rendered()

        self._renderer.request(work, show, self._not_rendered)

    def _show_row(self, row: int, sheet: Sheet | None) -> None:
        assert self._shown is not None
        cards = self._shown.batch.cards
        n = len(cards)
        self.preview.show_sheet(sheet)
        self.previewed_row = row
        per_card = 2 if self._shown.options.two_sided else 1
        self.preview_caption.setText(
            f"Card {row + 1} of {n}: {cards[row].customer}"
            + (" (choose another in the list to see it)" if n > 1 else "")
            + (f". {OUTSIDE_NOTE}" if per_card == 2 else "")
        )

    def _show_steps(self) -> None:
        """One row per print job: what to load, then preview, print or save it alone."""
        while self.steps_layout.count():
            item = self.steps_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        if not self.steps:
            note = QLabel(
                "The print jobs appear here once every card fits."
                if self.batch.cards
                else "No cards to print."
            )
            note.setStyleSheet(f"color: {active_theme().muted_text};")
            self.steps_layout.addWidget(note)
            return
        for index, step in enumerate(self.steps):
            self.steps_layout.addWidget(self._step_row(index, step))

    def _step_row(self, index: int, step: PaperStep) -> QWidget:
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 2, 0, 2)
        done = " ✓ sent" if index in self.printed_steps else ""
        text = QLabel(
            f"<b>{step.heading}</b>{done}<br><span style='color:{active_theme().muted_text}'>"
            f"{step.instruction}</span>"
        )
        text.setWordWrap(True)
        line.addWidget(text, 1)
        for caption, action in (
            ("Preview", self.preview_step),
            ("Print…", self.print_step),
            ("Save…", self.save_step),
        ):
            button = QPushButton(caption)
            button.setObjectName(f"step{index + 1}-{caption.rstrip('…').lower()}")
            button.clicked.connect(lambda _=False, i=index, act=action: act(i))
            line.addWidget(button)
        return row

    def preview_step(self, index: int) -> None:
        """Show one print job's first pages (a card's inside and outside, an envelope, a
        label sheet)."""
        self._step_action(index, self._preview_step)

    def _preview_step(self, index: int) -> None:
        assert self._shown is not None  # steps come with a render
        step = self.steps[index]
        work = partial(step_pages, step, self._shown.options, self.preview.frame())
        self.previewed_row = -1

        def show(sheet: Sheet | None) -> None:
            self.preview.show_sheet(sheet)
            self.preview_caption.setText(
                f"Print job {index + 1} of {len(self.steps)}: {step.heading.split('. ', 1)[1]}"
            )
            self._rendered()

        self._renderer.request(work, show, self._not_rendered)

    def print_step(self, index: int) -> None:
        self._step_action(index, self._print_step)

    def _print_step(self, index: int) -> None:
        step = self.steps[index]
        batch = self._printed_batch()
        ask_and_print(
            self, step.pdf, f"Print job {step.heading}", lambda: self._step_sent(index, batch)
        )

    def save_step(self, index: int) -> None:
        self._step_action(index, self._save_step)

    def _save_step(self, index: int) -> None:
        step = self.steps[index]
        ask_save_path(self, f"cards-{step.slug}.pdf", lambda path: self.save_step_to(index, path))

    def _step_action(self, index: int, act: Callable[[int], object]) -> None:
        """`act(index)` on the print job as it stands: once a render on its way is in, on the
        job of the same paper when there still is one."""
        slug = self.steps[index].slug

        def then() -> None:
            found = next((i for i, s in enumerate(self.steps) if s.slug == slug), None)
            if found is not None:
                act(found)

        self._once_current(then)

    def save_step_to(self, index: int, target: Path) -> None:
        """Write one print job's PDF (owner-only)."""
        try:
            save_private(target, self.steps[index].pdf)
        except OSError as exc:
            self.error.show_error(save_failed(target, exc))
            return
        self._step_sent(index, self._printed_batch())
        self.mail_status.setText(f"Saved {self.steps[index].heading} to {target}.")

    def _step_sent(self, index: int, batch: CardBatch) -> None:
        self.printed_steps.add(index)
        if self.steps[index].part == "cards":
            self._remember(batch)
        self._show_steps()

    def _printed_batch(self) -> CardBatch:
        """The batch the PDF on screen was rendered from."""
        return self._shown.batch if self._shown is not None else self.batch

    def _remember(self, batch: CardBatch) -> None:
        """Remember `batch` as printed (on the database thread): it can then be mailed."""
        now = self._clock()
        self._ops.run_change(
            self,
            lambda s: remember_batch_printed(s, batch, now),
            initiator=self,
            success=lambda done: self._sync_mail(done.printed),
            failure=self.error.show_error,
            error_title="Not remembered as printed",
        )

    def _print(self) -> None:
        self._once_current(self._ask_print)

    def _ask_print(self) -> None:
        if self.last_pdf is not None:
            batch = self._printed_batch()
            ask_and_print(self, self.last_pdf, "Print cards", lambda: self._remember(batch))

    def _save(self) -> None:
        self._once_current(self._ask_save)

    def _ask_save(self) -> None:
        if self.last_pdf is not None:
            ask_save_path(self, "cards.pdf", self.save_to)

    def save_to(self, target: Path) -> None:
        """Write the batch PDF (owner-only) and remember it as printed."""
        assert self.last_pdf is not None
        try:
            save_private(target, self.last_pdf)
        except OSError as exc:
            self.error.show_error(save_failed(target, exc))
            return
        self._remember(self._printed_batch())
        self.mail_status.setText(f"Saved to {target}. Post the cards, then mark them as mailed.")

    def _sync_mail(self, printed: PrintedBatch | None) -> None:
        self.mail_button.setEnabled(printed is not None)
        if printed is None:
            self.mail_button.setToolTip("Print or save the cards first")
        else:
            n = len(printed.follow_up_ids)
            self.mail_button.setText(f"Mark {n} printed card{'s' if n != 1 else ''} as mailed")
        self.kinds_note.setText(self._kinds_text(printed.template_keys if printed else {}))

    @staticmethod
    def _kinds_text(keys: dict[int, str]) -> str:
        courtesy = sum(1 for k in keys.values() if card_kind(k) in COURTESY_KINDS)
        thanks = len(keys) - courtesy
        text = (
            "Thank-you cards get this next step. Birthday, holiday and “saw this” cards "
            "are a gift: nothing is planned after them unless ticked above."
        )
        if keys:
            text += f" Printed: {thanks} thank-you, {courtesy} of the others."
        return text

    def mark_as_mailed(self) -> None:
        """Log a card touch for each printed card, with the next step chosen here."""
        self.error.clear_error()
        step = MailedNextStep(
            channel=Channel(self.next_channel.currentData()),
            days_after=self.next_days.value(),
            reason=self.next_reason.text(),
        )
        now, courtesy_too = self._clock(), self.courtesy_too.isChecked()
        self.mail_button.setEnabled(False)  # not twice while it is being logged

        def mail(session: Session) -> Mailed:
            return mail_printed_cards(session, step, now, courtesy_too=courtesy_too)

        # The team server away, the dialog stays open and logs them once it is back.
        self._ops.run_change(
            self, mail, initiator=self, success=self._mailed, failure=self._not_mailed
        )

    def _not_mailed(self, error: DeckfollowError) -> None:
        self.error.show_error(error)
        self.mail_button.setEnabled(True)

    def _mailed(self, mailed: Mailed) -> None:
        result = mailed.result
        if result is None:
            self.reload()  # nothing was printed after all
            return
        # Named, as every other action says whom it was for (the first few of a long batch).
        names = {c.follow_up_id: c.customer for c in self.batch.cards}
        who = [names[fid] for fid in result.logged if fid in names]
        if len(who) > _NAMED:
            who = [*who[:_NAMED], f"{len(who) - _NAMED} more"]
        n = len(result.logged)
        text = f"Logged {n} card{'s' if n != 1 else ''} as mailed"
        if who:
            text += ": " + (f"{', '.join(who[:-1])} and {who[-1]}" if len(who) > 1 else who[0])
        text += "."
        if result.courtesy:
            text += f" {len(result.courtesy)} with nothing planned after (birthday, holiday…)."
        if result.problems:
            text += " Not logged: " + "; ".join(result.problems)
        self.mail_status.setText(text)
        self.mail_button.setText("Mark as mailed")
        self.mailed.emit(mailed.changes)
        self.reload()

    def done(self, result: int) -> None:
        """Closed: stop rendering (a render under way finishes on its own and is dropped)."""
        self._when_current.forget()
        self._renderer.shutdown()
        super().done(result)


@dataclass(frozen=True)
class BatchPreview:
    """A batch checked and rendered for the dialog: what does not fit (or the error that
    stopped it), the PDF and print jobs when everything fits, and the pages of card `row`."""

    batch: CardBatch
    options: PrintOptions
    problems: list[CardProblem]
    error: DeckfollowError | None
    pdf: bytes | None
    steps: list[PaperStep]
    row: int
    sheet: Sheet | None  # card `row`, drawn


def render_batch(
    batch: CardBatch, options: PrintOptions, *, row: int, frame: Frame
) -> BatchPreview:
    """Check, render and split the batch into print jobs, and draw card `row` (on the
    rendering thread: plain data in, plain data out)."""
    jobs = batch.jobs()
    error: DeckfollowError | None = None
    try:
        problems = check_cards(jobs, options) if jobs else []
    except DeckfollowError as exc:
        error, problems, jobs = exc, [], []
    pdf: bytes | None = None
    steps: list[PaperStep] = []
    if jobs and not problems:
        try:
            pdf = render_bytes(jobs, options)
            steps = paper_steps(jobs, options)
        except DeckfollowError as exc:
            error, pdf, steps = exc, None, []
    n = len(batch.cards)
    sheet = row_pages(pdf, row, n, options, frame) if pdf is not None and 0 <= row < n else None
    return BatchPreview(batch, options, problems, error, pdf, steps, row, sheet)


def row_pages(pdf: bytes, row: int, n: int, options: PrintOptions, frame: Frame) -> Sheet | None:
    """Card `row` of `n` in the batch's PDF: its inside (and outside), then its envelope or
    the label sheet its label is on."""
    envelope = options.envelope_stock()
    sheet = options.label_stock()
    # A folded card with a front is two pages: the inside and the outside.
    per_card = 2 if options.two_sided else 1
    wanted = [row * per_card]
    if per_card == 2:
        wanted.append(row * 2 + 1)
    cards_pages = n * per_card
    if envelope is not None:
        wanted.append(cards_pages + row)
    elif sheet is not None:
        wanted.append(cards_pages + (options.start_label - 1 + row) // sheet.per_sheet)
    return lay_out(*card_pages(pdf, wanted, options, frame.page_px), frame)


def step_pages(step: PaperStep, options: PrintOptions, frame: Frame) -> Sheet | None:
    """A print job's first pages: a card's inside and outside, or its first sheet."""
    if step.part == "cards":
        wanted = [0, 1] if options.two_sided else [0]
        return lay_out(*card_pages(step.pdf, wanted, options, frame.page_px), frame)
    return lay_out(pdf_pages(step.pdf, frame.page_px, [0]), None, frame)
