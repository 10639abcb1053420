"""The dialogs opened from the detail panel: log an outcome, edit or add a quote, consent,
plans, the ledger, and the call, text or email screens; what they saved is said once."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import Qt, QTimer, Signal, SignalInstance
from PySide6.QtWidgets import QDialog, QWidget

from deckfollow.core.customer_view import QuoteView
from deckfollow.core.enums import Channel
from deckfollow.core.unit_of_work import Store
from deckfollow.ui.consent import (
    AskPermissionDialog,
    CadenceDialog,
    ConsentEditorDialog,
    LedgerViewerDialog,
    StopContactDialog,
)
from deckfollow.ui.customer_detail.contact_editing import ContactEditing
from deckfollow.ui.log_outcome import LogOutcomeDialog, open_log_outcome
from deckfollow.ui.quote_editor import QuoteDialog
from deckfollow.ui.team.server_away import open_when_server_back

# What a call, text or email screen opened here saved, as Today says it.
_LOGGED = {
    Channel.EMAIL: "Sent and logged the email to",
    Channel.TEXT: "Logged the text to",
    Channel.VIDEO: "Logged the video call with",
}


class DialogOpening(ContactEditing):
    """The panel's buttons that open a dialog about the customer or quote shown."""

    if TYPE_CHECKING:
        # The panel's: its database, the quote shown, and what it says.
        message: ClassVar[Signal]
        _db: Store
        _quote: QuoteView | None

        def show_quote(self, quote_id: int) -> None: ...

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.active_dialog: QDialog | None = None
        # Channels whose screen is being read: a double click opens it once, not twice.
        self._contacting: set[Channel] = set()
        self._said = ""  # what a screen opened here just saved, while its change is told
        # Each opens once the team server is back when it is away as the button is pressed.
        for button, opener in (
            (self.log_button, self.open_log_outcome),
            (self.edit_quote_button, self.open_quote_editor),
            (self.new_quote_button, self.open_new_quote),
            (self.edit_consent_button, self._open_consent_editor),
            (self.ask_button, self._open_ask_permission),
            (self.stop_button, self._open_stop),
            (self.ledger_button, self._open_ledger),
            (self.plans_button, self.open_plans),
            (self.call_button, lambda: self.open_contact(Channel.CALL)),
            (self.text_button, lambda: self.open_contact(Channel.TEXT)),
            (self.email_button, lambda: self.open_contact(Channel.EMAIL)),
        ):
            what = f"“{button.text().replace('&', '').rstrip('…')}”"
            button.clicked.connect(
                lambda _checked=False, o=opener, w=what: open_when_server_back(self, o, what=w)
            )

    def _after_dialog(self, said: str) -> None:
        # What the dialog saved is read again for its broadcast (`_changes_applied`), once.
        # Said with whom it was for: the page beside may move on, and the panel with it.
        self._said = said
        QTimer.singleShot(0, self, self._forget_said)  # after the change's broadcast
        self.message.emit(said)
        self.changed.emit()

    def _forget_said(self) -> None:
        self._said = ""

    def _name(self) -> str:
        customer = self._customer
        return (customer.fields["display_name"] if customer else "") or "the customer"

    def _open(self, dlg: QDialog) -> None:
        self.active_dialog = dlg
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()

    def open_log_outcome(self) -> None:
        """Open "Log outcome…" for the quote shown, once what it shows has been read."""
        if self._quote is None:
            return

        said = f"Saved what happened with {self._name()} and what happens next"

        def opened(dlg: LogOutcomeDialog) -> None:
            dlg.logged.connect(lambda *_: self._after_dialog(said))
            self._open(dlg)

        open_log_outcome(
            self._db, clock=self._clock, parent=self, opened=opened, quote_id=self._quote.id
        )

    def open_quote_editor(self) -> QuoteDialog | None:
        """The quote dialog for the quote shown."""
        if self._quote is None:
            return None
        dlg = QuoteDialog(self._db, clock=self._clock, quote_id=self._quote.id, parent=self)
        said = f"Saved the quote for {self._name()}"
        dlg.saved.connect(lambda *_: self._after_dialog(said))
        self._open(dlg)
        return dlg

    def open_new_quote(self) -> QuoteDialog | None:
        """The quote dialog for another quote for this customer; the panel then shows it."""
        if self._customer is None:
            return None
        dlg = QuoteDialog(self._db, clock=self._clock, customer_id=self._customer.id, parent=self)
        dlg.saved.connect(self._show_new_quote)
        self._open(dlg)
        return dlg

    def _show_new_quote(self, quote_id: int) -> None:
        said = f"Added a quote for {self._name()}"
        self.show_quote(quote_id)
        self.message.emit(said)
        self.changed.emit()

    def _open_consent_editor(self) -> None:
        if self._customer is None:
            return
        dlg = ConsentEditorDialog(self._db, self._customer.id, clock=self._clock, parent=self)
        said = f"Saved how {self._name()} agreed to be contacted"
        dlg.changed.connect(lambda *_: self._after_dialog(said))
        self._open(dlg)

    def _open_ask_permission(self) -> None:
        if self._customer is None:
            return
        dlg = AskPermissionDialog(
            self._db, self._customer.id, self.quote_id, clock=self._clock, parent=self
        )
        said = f"Saved that you asked {self._name()} for permission"
        dlg.saved.connect(lambda *_: self._after_dialog(said))
        self._open(dlg)

    def _open_stop(self) -> None:
        if self._customer is None:
            return
        dlg = StopContactDialog(self._db, self._customer.id, clock=self._clock, parent=self)
        said = f"{self._name()} will not be contacted again: every channel is stopped"
        dlg.saved.connect(lambda *_: self._after_dialog(said))
        self._open(dlg)

    def _open_ledger(self) -> None:
        if self._customer is None:
            return
        self._open(LedgerViewerDialog(self._db, self._customer.id, clock=self._clock, parent=self))

    def open_contact(self, channel: Channel) -> None:
        """Open the call, text or email screen for this customer and the quote shown, once
        which follow-up it is about has been read; a second press meanwhile opens nothing
        more."""
        # Loaded when first used: the send screens' modules are not needed to show the panel.
        from deckfollow.ui.messaging.actions import open_contact

        if self._customer is None or channel in self._contacting:
            return
        self._contacting.add(channel)

        said = f"{_LOGGED.get(channel, 'Logged the call with')} {self._name()}"

        def opened(dlg: QDialog, logged: SignalInstance) -> None:
            logged.connect(lambda *_: self._after_dialog(said))
            self._open(dlg)

        open_contact(
            self._db,
            channel,
            customer_id=self._customer.id,
            quote_id=self.quote_id,
            clock=self._clock,
            parent=self,
            opened=opened,
            failed=self.contact_error.show_error,
            settled=lambda: self._contacting.discard(channel),
        )

    def open_plans(self) -> CadenceDialog | None:
        """The customer's follow-up plans: start one for the quote shown, stop or resume."""
        if self._customer is None:
            return None
        dlg = CadenceDialog(
            self._db,
            clock=self._clock,
            customer_id=self._customer.id,
            quote_id=self.quote_id,
            timezone=self._customer.timezone,
            parent=self,
        )
        said = f"Started a follow-up plan for {self._name()}"
        dlg.started.connect(lambda *_: self._after_dialog(said))
        self._open(dlg)
        return dlg
