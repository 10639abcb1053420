""" "Please don't contact me": one action for every channel, or for one."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from deckfollow.core.changes import Changes
from deckfollow.core.clock import Clock
from deckfollow.core.consent import ConsentScreenCustomer, revoke_consent
from deckfollow.core.enums import ConsentChannel
from deckfollow.core.unit_of_work import Session, Store
from deckfollow.ui import operations
from deckfollow.ui.consent.common import (
    ErrorLabel,
    chosen_source,
    open_once_read,
    source_combo,
)


class StopContactDialog(QDialog):
    """Revoke one channel or everything (do-not-contact); pending follow-ups it covers go.

    `saved` carries the core's Changes after the revocation was recorded. The customer is
    read, and the revocation recorded, on the window's database thread; the dialog opens
    for choosing once the read has arrived (`loaded`).
    """

    saved = Signal(object)
    loaded = Signal()

    def __init__(
        self,
        db: Store,
        customer_id: int,
        *,
        clock: Clock,
        channel: ConsentChannel | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        ops = operations.serving(db)
        if ops is None:
            raise RuntimeError("stopping contact needs the operations of an open database")
        self._ops, self._customer_id, self._clock = ops, customer_id, clock
        self._counts: dict[ConsentChannel | None, int] | None = None  # once read
        self.setWindowTitle("Stop contact")
        self.setMinimumWidth(480)
        self.scope = QComboBox()
        self.scope.addItem("Every channel: do not contact at all", "")
        for ch in ConsentChannel:
            self.scope.addItem(f"Only {ch.value}", ch.value)
        if channel is not None:
            self.scope.setCurrentIndex(self.scope.findData(channel.value))
        self.words = QPlainTextEdit()
        self.words.setPlaceholderText('What they said, e.g. "Please stop calling me"')
        self.words.setFixedHeight(60)
        self.source = source_combo()
        self.effect = QLabel()
        self.effect.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Stop", self.scope)
        form.addRow("Their words", self.words)
        form.addRow("How they said it", self.source)
        self.error = ErrorLabel()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.stop_button = buttons.addButton("Stop contact", QDialogButtonBox.ButtonRole.AcceptRole)
        self.stop_button.setStyleSheet("font-weight: 600;")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        self.head = head = QLabel()
        head.setWordWrap(True)
        layout.addWidget(head)
        layout.addLayout(form)
        layout.addWidget(self.effect)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.scope.currentIndexChanged.connect(self._describe)
        # What was typed meanwhile stays; choosing and stopping wait for the read.
        open_once_read(
            self,
            ops,
            customer_id,
            (self.scope, self.source, self.stop_button),
            fill=self._fill,
            failed=self.error.show_error,
        )

    def _fill(self, customer: ConsentScreenCustomer) -> None:
        """Name the customer and what each choice cancels: the dialog is open for choosing."""
        self._counts = customer.pending
        self.setWindowTitle(f"Stop contact: {customer.name}")
        self.head.setText(f"Record that <b>{customer.name}</b> does not want to be contacted.")
        self._describe()
        self.loaded.emit()

    def selected_scope(self) -> ConsentChannel | None:
        data = self.scope.currentData()
        return ConsentChannel(data) if data else None

    def _describe(self) -> None:
        if self._counts is None:
            return
        ch = self.selected_scope()
        n = self._counts[ch]
        what = "every channel" if ch is None else f"{ch.value} contact"
        self.effect.setText(
            f"This revokes {what} now and cancels {n} pending follow-up{'s' if n != 1 else ''}. "
            "Only a new consent in the customer's own words re-opens a channel."
        )

    def save(self) -> None:
        """Record the revocation on the database thread; the team server away, the dialog
        stays open and records it once the server is back."""
        self.error.clear_error()
        if self._counts is None:
            return
        customer_id, scope, now = self._customer_id, self.selected_scope(), self._clock()
        source = chosen_source(self.source)
        words = self.words.toPlainText().strip() or None

        def stop(session: Session) -> Changes:
            return revoke_consent(session, customer_id, scope, source=source, words=words, now=now)

        self._ops.run_change(
            self, stop, initiator=self, success=self._stopped, failure=self.error.show_error
        )

    def _stopped(self, changes: Changes) -> None:
        self.saved.emit(changes)
        self.accept()


__all__ = ["Changes", "StopContactDialog"]
