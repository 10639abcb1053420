"""This week's cards: one PDF with envelopes or labels, then "Mark as mailed"."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
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

from deckfollow.core.changes import Changes
from deckfollow.core.enums import Channel
from deckfollow.core.errors import DeckfollowError
from deckfollow.printing.batch import (
    CardBatch,
    MailedNextStep,
    card_templates,
    collect_due_cards,
    mark_mailed,
    printed_batch,
    remember_printed,
    return_address,
)
from deckfollow.printing.render import Address, CardProblem, check_cards, render_bytes
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

_NEXT_CHANNELS = ((Channel.CALL, "Call"), (Channel.TEXT, "Text"), (Channel.EMAIL, "Email"))


class CardBatchDialog(QDialog):
    """Every card due within N days in one PDF; skipped customers listed with the reason.

    `mailed` carries the core's Changes after cards were logged as mailed.
    """

    mailed = Signal(object)

    def __init__(self, db: Database, *, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db, self._clock = db, clock
        self.setWindowTitle("Cards to send")
        self.resize(1240, 760)
        self.batch = CardBatch()
        self.problems: list[CardProblem] = []
        self.last_pdf: bytes | None = None
        with db.reading() as s:
            templates = card_templates(s)
            self._return: Address | None = return_address(s)

        self.days = QSpinBox()
        self.days.setRange(0, 90)
        self.days.setValue(7)
        self.days.setSuffix(" days")
        self.template = QComboBox()
        self.template.addItem("Chosen by each follow-up's reason", None)
        for t in templates:
            self.template.addItem(t.name, t.key)
        self.style_form = StyleForm()
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Customer", "Due", "Wording", "Fits"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.skipped = QListWidget()
        self.skipped.setMaximumHeight(110)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.error = ErrorLabel()
        self.preview = PreviewLabel()
        self.preview_caption = QLabel()
        self.preview_caption.setStyleSheet("color: #555;")
        self.previewed_row = -1
        self.print_button = QPushButton("Print…")
        self.save_button = QPushButton("Save as PDF…")

        self.next_channel = QComboBox()
        for ch, label in _NEXT_CHANNELS:
            self.next_channel.addItem(label, ch.value)
        self.next_days = QSpinBox()
        self.next_days.setRange(1, 60)
        self.next_days.setValue(7)
        self.next_days.setSuffix(" days after mailing")
        self.next_reason = QLineEdit(MailedNextStep().reason)
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
        left.addWidget(self.style_form)
        mail_box = QGroupBox("After posting: what's next for each customer")
        mail_form = QFormLayout(mail_box)
        mail_form.addRow("Next", self.next_channel)
        mail_form.addRow("When", self.next_days)
        mail_form.addRow("Reason", self.next_reason)
        mail_form.addRow("", self.mail_button)
        mail_form.addRow(self.mail_status)
        right = QVBoxLayout()
        right.addWidget(self.preview, 1)
        right.addWidget(self.preview_caption)
        right.addWidget(self.summary)
        right.addWidget(self.error)
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
        self.style_form.changed.connect(self._check_and_preview)
        self.print_button.clicked.connect(self._print)
        self.save_button.clicked.connect(self._save)
        self.mail_button.clicked.connect(self.mark_as_mailed)
        close.clicked.connect(self.accept)
        self.reload()

    def reload(self) -> None:
        """Collect the cards due and the customers skipped, then check and preview them."""
        self.error.clear_error()
        try:
            with self._db.reading() as s:
                self.batch = collect_due_cards(
                    s,
                    now=self._clock(),
                    within_days=self.days.value(),
                    template_key=self.template.currentData(),
                )
        except DeckfollowError as exc:
            self.error.show_error(exc)
            self.batch = CardBatch()
        self.skipped.clear()
        for sk in self.batch.skipped:
            self.skipped.addItem(f"{sk.customer}: {sk.reason}")
        if not self.batch.skipped:
            self.skipped.addItem("Nobody: every customer due a card can be sent one.")
        self._check_and_preview()
        self._sync_mail()

    def _check_and_preview(self) -> None:
        self.error.clear_error()
        self.last_pdf = None
        options = self.style_form.options(self._return)
        jobs = self.batch.jobs()
        try:
            self.problems = check_cards(jobs, options) if jobs else []
        except DeckfollowError as exc:
            self.error.show_error(exc)
            self.problems = []
            jobs = []
        bad = {p.label: p for p in self.problems}
        self.table.setRowCount(len(self.batch.cards))
        for row, card in enumerate(self.batch.cards):
            due = card.due_at.astimezone(ZoneInfo(card.timezone)).strftime("%a %d %b")
            problem = bad.get(card.customer)
            fits = "yes" if problem is None else f"no: {problem.part}: {problem.problem}"
            if card.missing and problem is None:
                fits = "check: no value for " + ", ".join(card.missing)
            for col, text in enumerate((card.customer, due, card.template_name, fits)):
                self.table.setItem(row, col, QTableWidgetItem(text))
        if self.problems:
            self.error.show_error(
                "Not ready to print (nothing is cut off, so these must be fixed first):\n"
                + "\n".join(str(p) for p in self.problems)
            )
        elif jobs:
            try:
                self.last_pdf = render_bytes(jobs, options)
            except DeckfollowError as exc:
                self.error.show_error(exc)
        n = len(self.batch.cards)
        envelope = options.envelope_stock()
        parts = [f"{n} card{'s' if n != 1 else ''} to print"]
        if envelope is not None:
            parts.append(f"and {n} × {envelope.name}")
        if options.labels:
            parts.append(f"and labels from label {options.start_label}")
        if self._return is None and envelope is not None:
            parts.append("(no return address: set it in Settings)")
        self.summary.setText(" ".join(parts) + ".")
        row = self.table.currentRow()
        self.show_preview(row if 0 <= row < n else 0)
        self.print_button.setEnabled(self.last_pdf is not None)
        self.save_button.setEnabled(self.last_pdf is not None)

    def _on_row(self, row: int, _col: int, _old_row: int, _old_col: int) -> None:
        if row != self.previewed_row:
            self.show_preview(row)

    def show_preview(self, row: int) -> None:
        """The card on `row` of the list with its envelope, or with the label sheet it is on."""
        self.previewed_row = -1
        n = len(self.batch.cards)
        if self.last_pdf is None or not 0 <= row < n:
            self.preview.show_pages([])
            self.preview_caption.setText("")
            return
        options = self.style_form.options(self._return)
        envelope = options.envelope_stock()
        sheet = options.label_stock()
        wanted = [row]
        if envelope is not None:
            wanted.append(n + row)
        elif sheet is not None:
            wanted.append(n + (options.start_label - 1 + row) // sheet.per_sheet)
        pages = pdf_pages(self.last_pdf, self.preview.render_width(520), wanted)
        fold = stock_fold(options.card)
        if fold is not None and pages:
            pages[0] = mark_fold(pages[0], fold)
        self.preview.show_pages(pages)
        self.previewed_row = row
        self.preview_caption.setText(
            f"Card {row + 1} of {n}: {self.batch.cards[row].customer}"
            + (" (choose another in the list to see it)" if n > 1 else "")
        )

    def _remember(self) -> None:
        with self._db.unit_of_work() as s:
            remember_printed(s, self.batch, now=self._clock())
        self._sync_mail()

    def _print(self) -> None:
        if self.last_pdf is not None and ask_and_print(self, self.last_pdf):
            self._remember()

    def _save(self) -> None:
        if self.last_pdf is None:
            return
        path = ask_save_path(self, "cards.pdf")
        if path is not None:
            self.save_to(path)

    def save_to(self, target: Path) -> None:
        """Write the batch PDF (owner-only) and remember it as printed."""
        assert self.last_pdf is not None
        try:
            save_private(target, self.last_pdf)
        except OSError as exc:
            self.error.show_error(save_failed(target, exc))
            return
        self._remember()
        self.mail_status.setText(f"Saved to {target}. Post the cards, then mark them as mailed.")

    def _sync_mail(self) -> None:
        with self._db.reading() as s:
            printed = printed_batch(s)
        self.mail_button.setEnabled(printed is not None)
        if printed is None:
            self.mail_button.setToolTip("Print or save the cards first")
        else:
            n = len(printed.follow_up_ids)
            self.mail_button.setText(f"Mark {n} printed card{'s' if n != 1 else ''} as mailed")

    def mark_as_mailed(self) -> None:
        """Log a card touch for each printed card, with the next step chosen here."""
        self.error.clear_error()
        step = MailedNextStep(
            channel=Channel(self.next_channel.currentData()),
            days_after=self.next_days.value(),
            reason=self.next_reason.text(),
        )
        try:
            with self._db.unit_of_work() as s:
                printed = printed_batch(s)
                if printed is None:
                    return
                result = mark_mailed(s, printed.follow_up_ids, step, now=self._clock())
        except DeckfollowError as exc:
            self.error.show_error(exc)
            return
        text = (
            f"Logged {len(result.logged)} card{'s' if len(result.logged) != 1 else ''} as mailed."
        )
        if result.problems:
            text += " Not logged: " + "; ".join(result.problems)
        self.mail_status.setText(text)
        self.mail_button.setText("Mark as mailed")
        self.mailed.emit(Changes(touches=True, follow_ups=True, quotes=True))
        self.reload()
