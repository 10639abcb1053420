"""A call: the numbers in the order to try, the script and voicemail, and a quick outcome log."""

from __future__ import annotations

from datetime import datetime
from functools import partial

from PySide6.QtCore import Signal, SignalInstance
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTabWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from deckfollow.core.enums import Channel, Outcome, TemplateKind
from deckfollow.core.errors import DeckfollowError
from deckfollow.core.unit_of_work import Store
from deckfollow.messaging.drafts import MessageDraft
from deckfollow.messaging.guard import PhoneNumber
from deckfollow.messaging.outbox import Draft, log_call
from deckfollow.messaging.screens import CallScreen, ScriptChoice
from deckfollow.ui.messaging.common import (
    Clock,
    DraftPreview,
    Target,
    show_rendered,
)
from deckfollow.ui.messaging.contact_dialog import ContactDialog
from deckfollow.ui.platform.phone_handoff import open_phone_link
from deckfollow.ui.theme import active_theme

OUTCOMES = (
    (Outcome.REACHED, "Reached them"),
    (Outcome.VOICEMAIL, "Left a voicemail"),
    (Outcome.NO_ANSWER, "No answer"),
)


class _ScriptPane(QWidget):
    """A template picker and its rendered words (missing fields highlighted).

    Opens with the words read beforehand; another template chosen is filled in on the
    window's database thread."""

    def __init__(
        self, store: Store, kind: TemplateKind, target: Target, now: datetime, start: ScriptChoice
    ):
        super().__init__()
        self.template = QComboBox()
        for info in start.templates:
            self.template.addItem(info.name, info.key)
        if start.key is not None:
            self.template.setCurrentIndex(max(0, self.template.findData(start.key)))
        self.text = QTextEdit()
        self.text.setReadOnly(True)
        font = self.text.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.text.setFont(font)
        self.missing = QLabel()
        self.missing.setWordWrap(True)
        self.missing.setStyleSheet(f"color: {active_theme().warning_text}; font-weight: 600;")
        self.missing.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.template)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.missing)
        self._preview = DraftPreview(
            self, store, target, kind, now, shown=self._show, failed=self._failed
        )
        self.template.currentIndexChanged.connect(self.refresh)
        if start.draft is not None:
            self._show(start.draft)
        elif start.problem is not None:
            self._failed(start.problem)

    def refresh(self) -> None:
        key = self.template.currentData()
        if key is None:
            self.text.setPlainText("")
            return
        self._preview.ask(str(key))

    def _show(self, draft: MessageDraft) -> None:
        out = draft.body
        show_rendered(self.text, out)
        self.missing.setText(f"Not known: {out.problem()}" if out.problem() else "")
        self.missing.setVisible(bool(out.problem()))

    def _failed(self, exc: DeckfollowError | str) -> None:
        self.missing.setText(str(exc))
        self.missing.setVisible(True)


class CallDialog(ContactDialog):
    """Numbers (cell, office, home), the script and voicemail, then log what happened."""

    logged = Signal(object)

    def __init__(
        self,
        db: Store,
        screen: CallScreen,
        *,
        clock: Clock,
        parent: QWidget | None = None,
    ) -> None:
        """Built from `screen` (`read_call_screen`, read beforehand): building reads nothing."""
        super().__init__(db, clock=clock, parent=parent)
        self._outbox = db
        self.target = screen.target
        t = self.target
        now = self._opened_at
        self.setWindowTitle(f"Call {t.name}")
        self.setMinimumSize(1040, 640)

        self.numbers: list[PhoneNumber] = list(screen.numbers)
        self.numbers_box = QGroupBox("Numbers, in the order to try")
        nl = QVBoxLayout(self.numbers_box)
        self.number_buttons: list[QPushButton] = []
        for n in self.numbers:
            row = QHBoxLayout()
            label = QLabel(f"<b>{n.label.capitalize()}</b>&nbsp;&nbsp;{n.display}")
            label.setStyleSheet("font-size: 15px;")
            dial = QPushButton("Call")
            dial.setToolTip(f"Open {n.tel_uri} (a paired phone or softphone dials it)")
            # partial, not a lambda over self: no cycle keeping the dialog alive.
            dial.clicked.connect(partial(_open, self, n.tel_uri))
            copy = QPushButton("Copy")
            copy.clicked.connect(partial(_copy, n.e164))
            row.addWidget(label, 1)
            row.addWidget(dial)
            row.addWidget(copy)
            nl.addLayout(row)
            self.number_buttons += [dial, copy]
        if not self.numbers:
            nl.addWidget(QLabel("No phone number on file."))
        hint = QLabel("If they're out, ask who else is involved in the decision.")
        hint.setStyleSheet(f"color: {active_theme().muted_text};")
        nl.addWidget(hint)

        reason = QLabel(f"<b>Reason:</b> {t.reason}" if t.reason else "No follow-up reason set.")
        reason.setWordWrap(True)
        self.tabs = QTabWidget()
        self.script = _ScriptPane(db, TemplateKind.CALL_SCRIPT, t, now, screen.script)
        self.voicemail = _ScriptPane(db, TemplateKind.VOICEMAIL, t, now, screen.voicemail)
        self.tabs.addTab(self.script, "Script")
        self.tabs.addTab(self.voicemail, "Voicemail")

        self.outcome_buttons: dict[Outcome, QRadioButton] = {}
        group = QButtonGroup(self)
        orow = QHBoxLayout()
        for outcome, text in OUTCOMES:
            rb = QRadioButton(text)
            group.addButton(rb)
            orow.addWidget(rb)
            self.outcome_buttons[outcome] = rb
        orow.addStretch(1)
        self.outcome_buttons[Outcome.REACHED].setChecked(True)
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText("What was said (their words are worth keeping)")
        self.notes.setFixedHeight(70)
        log_box = self.next_step_section(t, Channel.CALL)
        log_box.setTitle("How did it go, and what's next?")
        ll = log_box.layout()
        assert isinstance(ll, QVBoxLayout)
        ll.insertLayout(0, orow)
        ll.insertWidget(1, self.notes)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.log_button = self.buttons.addButton("Log call", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.log)
        self.buttons.rejected.connect(self.reject)

        left = QVBoxLayout()
        left.addWidget(self.numbers_box)
        left.addWidget(reason)
        left.addWidget(self.tabs, 1)
        self.lay_out(left, log_box, self.buttons)

        check = screen.check
        self.banner.show_check(check)
        # On a refused channel the number is not even offered.
        self.numbers_box.setVisible(check.allowed)
        self.log_button.setEnabled(check.allowed)

    def selected_outcome(self) -> Outcome:
        return next(o for o, rb in self.outcome_buttons.items() if rb.isChecked())

    def log(self) -> None:
        """Log the call's outcome and its next step (on the window's database thread); the
        screen closes once it is logged."""
        if self._logging:
            return  # already on its way: a second press does not log it twice
        self.error.clear_error()
        t = self.target
        try:
            step = self.next_step.next_step()
        except DeckfollowError as exc:
            self.error.show_error(f"Not logged: {exc}")
            self.next_step.offer(exc)
            return
        draft = Draft(
            t.customer_id, Channel.CALL, "", quote_id=t.quote_id, follow_up_id=t.follow_up_id
        )
        outcome, notes, outbox, clock = (
            self.selected_outcome(),
            self.notes.toPlainText(),
            self._outbox,
            self._clock,
        )

        self.log_once(
            self.log_button,
            outbox,
            lambda: log_call(outbox, draft, outcome, step, notes=notes, clock=clock),
        )

    def done_signal(self) -> SignalInstance:
        return self.logged


def _copy(text: str, _checked: bool = False) -> None:
    QGuiApplication.clipboard().setText(text)


def _open(parent: QWidget, uri: str, _checked: bool = False) -> None:
    open_phone_link(parent, uri)
