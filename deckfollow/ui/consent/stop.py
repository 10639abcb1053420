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
from deckfollow.core.consent import consent_overview, pending_covered, revoke_consent
from deckfollow.core.enums import ConsentChannel
from deckfollow.core.errors import DeckfollowError
from deckfollow.core.unit_of_work import Store
from deckfollow.ui.consent.common import ErrorLabel, chosen_source, source_combo
from deckfollow.ui.team.server_away import hold_until_server_back


class StopContactDialog(QDialog):
    """Revoke one channel or everything (do-not-contact); pending follow-ups it covers go.

    `saved` carries the core's Changes after the revocation was recorded.
    """

    saved = Signal(object)

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
        self._db, self._customer_id, self._clock = db, customer_id, clock
        with db.reading() as s:
            ov = consent_overview(s, customer_id)
            self._counts = {
                ch: pending_covered(s, customer_id, ch) for ch in [None, *ConsentChannel]
            }
        self.setWindowTitle(f"Stop contact: {ov.name}")
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
        head = QLabel(f"Record that <b>{ov.name}</b> does not want to be contacted.")
        head.setWordWrap(True)
        layout.addWidget(head)
        layout.addLayout(form)
        layout.addWidget(self.effect)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.scope.currentIndexChanged.connect(self._describe)
        self._describe()

    def selected_scope(self) -> ConsentChannel | None:
        data = self.scope.currentData()
        return ConsentChannel(data) if data else None

    def _describe(self) -> None:
        ch = self.selected_scope()
        n = self._counts[ch]
        what = "every channel" if ch is None else f"{ch.value} contact"
        self.effect.setText(
            f"This revokes {what} now and cancels {n} pending follow-up{'s' if n != 1 else ''}. "
            "Only a new consent in the customer's own words re-opens a channel."
        )

    def save(self) -> None:
        self.error.clear_error()
        try:
            with self._db.unit_of_work() as s:
                changes = revoke_consent(
                    s,
                    self._customer_id,
                    self.selected_scope(),
                    source=chosen_source(self.source),
                    words=self.words.toPlainText().strip() or None,
                    now=self._clock(),
                )
        except DeckfollowError as exc:
            self.error.show_error(exc)
            hold_until_server_back(self, exc)  # the server away: stopped once it is back
            return
        self.saved.emit(changes)
        self.accept()


__all__ = ["Changes", "StopContactDialog"]
