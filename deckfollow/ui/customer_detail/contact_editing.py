"""Editing a customer's contact details in the panel: what is typed, Save and Revert, a
refusal or a clash shown beside the fields, and holding on to unsaved edits while the user
moves on."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from deckfollow.core.changes import Changes
from deckfollow.core.clock import Clock
from deckfollow.core.customer_view import ContactForm
from deckfollow.core.customers import FIELDS, update_customer
from deckfollow.core.errors import ConcurrentEditError, DeckfollowError, ValidationError
from deckfollow.core.unit_of_work import Session
from deckfollow.ui import operations
from deckfollow.ui.customer_detail.sections import CONTACT_FIELDS, DetailSections, set_style
from deckfollow.ui.team.clash import offer_to_reapply
from deckfollow.ui.team.server_away import hold_until_server_back, is_held, server_watch
from deckfollow.ui.theme import active_theme

# The core names a refused field by its label ("cell phone"); the form finds it by key.
_KEY_OF_LABEL = {label: key for key, label in FIELDS.items()}


class ContactEditing(DetailSections):
    """The contact form's edits and their save, for the panel that shows the customer."""

    if TYPE_CHECKING:
        # The panel's: whom it shows, its clock and database thread, and how it reads.
        changed: ClassVar[Signal]
        _customer: ContactForm | None
        _clock: Clock
        _ops: operations.Operations

        @property
        def quote_id(self) -> int | None: ...
        def reload(self) -> None: ...
        def _load(self, customer_id: int, quote_id: int | None) -> None: ...

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # A save on its way: the details stay as sent until its answer, and Save waits.
        self._saving = False
        # Where the user moved on to while details typed here were not saved yet.
        self._after_edits: Callable[[], None] | None = None
        for widget in self.fields.values():
            if isinstance(widget, QPlainTextEdit):
                widget.textChanged.connect(self._refresh_buttons)
            else:
                widget.textEdited.connect(self._refresh_buttons)
                widget.returnPressed.connect(self._save_if_dirty)
        self.save_button.clicked.connect(self.save_contact)
        self.revert_button.clicked.connect(self._revert)

    def _held_for_edits(self, go: Callable[[], None]) -> bool:
        """Asked to show someone else (or nobody) while details typed here are not saved:
        they stay on screen, with a word saying so, and the panel goes on once they are
        saved or reverted. Nothing typed is dropped by a click elsewhere. While a save is on
        its way the panel goes on once it is saved, without a word."""
        if self._saving:
            self._after_edits = go
            return True
        if self._customer is None or not self.is_dirty():
            self._after_edits = None
            return False
        self._after_edits = go
        name = self._customer.fields["display_name"] or "this customer"
        self.contact_error.show_error(
            f"Your changes to {name}\N{RIGHT SINGLE QUOTATION MARK}s details are not saved yet: "
            "Save or Revert them to move on."
        )
        # The word and the buttons it names are below the fold on a short panel: scrolled to
        # once the word, just shown, has its place in the layout.
        QTimer.singleShot(0, self, self._show_unsaved)
        return True

    def _show_unsaved(self) -> None:
        self.details_scroll.ensureWidgetVisible(self.contact_error)
        self.details_scroll.ensureWidgetVisible(self.save_button)

    def _go_on(self) -> bool:
        """After a save or a revert: show whom the user moved on to meanwhile, if anyone."""
        go, self._after_edits = self._after_edits, None
        if go is None:
            return False
        self.contact_error.clear_error()
        go()
        return True

    def _fill_contact(self) -> None:
        assert self._customer is not None
        for key, widget in self.fields.items():
            value = self._customer.fields[key]
            if isinstance(widget, QPlainTextEdit):
                widget.setPlainText(value)
            else:
                widget.setText(value)
                widget.setCursorPosition(0)
            set_style(widget, "")
        self.contact_error.clear_error()
        self._refresh_buttons()

    def _value(self, key: str) -> str:
        w = self.fields[key]
        return w.toPlainText() if isinstance(w, QPlainTextEdit) else w.text()

    def _set_value(self, key: str, text: str) -> None:
        w = self.fields[key]
        if isinstance(w, QPlainTextEdit):
            w.setPlainText(text)
        else:
            w.setText(text)

    def _dirty_keys(self) -> list[str]:
        if self._customer is None:
            return []
        return [k for k, _ in CONTACT_FIELDS if self._value(k) != self._customer.fields[k]]

    def is_dirty(self) -> bool:
        """True when a contact field differs from what was loaded."""
        return bool(self._dirty_keys())

    def _refresh_buttons(self) -> None:
        # A save on its way, or waiting for the team server, is not offered twice.
        dirty = self.is_dirty() and not self._saving
        self.save_button.setEnabled(dirty and not is_held(self.save_button))
        self.revert_button.setEnabled(dirty)

    def _save_if_dirty(self) -> None:
        if self.is_dirty() and self.save_button.isEnabled():
            self.save_contact()

    def _set_saving(self, saving: bool) -> None:
        """While a save is on its way the details stay as sent: what is saved is what shows."""
        self._saving = saving
        for widget in self.fields.values():
            widget.setReadOnly(saving)
        self._refresh_buttons()

    def _revert(self) -> None:
        # Re-read rather than refill: after a clash this shows what the other edit saved.
        if self._customer is None:
            return
        # With what is typed as the baseline nothing counts as an edit to keep.
        self._customer = self._customer_without_edits()
        if not self._go_on():
            self.reload()

    def _customer_without_edits(self) -> ContactForm:
        assert self._customer is not None
        c = self._customer
        fields = {k: self._value(k) for k, _ in CONTACT_FIELDS}
        return ContactForm(c.id, c.version, c.country, c.timezone, fields)

    def save_contact(self) -> None:
        """Save the details changed here; refusals show inline, nothing saved."""
        if self._customer is None or self._saving:
            return
        self.contact_error.clear_error()
        for w in self.fields.values():
            set_style(w, "")
        self._save_details(self._customer, self._dirty_keys(), self._customer.version, None)

    def _save_details(
        self,
        loaded: ContactForm,
        changed: list[str],
        version: int,
        before: dict[str, str] | None,
    ) -> None:
        if before is None:
            before = {k: loaded.fields[k] for k in changed}
        typed = {k: self._value(k) for k in changed}
        now = self._clock()
        seen = dict(before)

        def op(session: Session) -> Changes:
            return update_customer(session, loaded.id, typed, now=now, version=version, before=seen)

        def saved(_changes: Changes) -> None:
            self._set_saving(False)
            if self._customer is not None:
                # Saved: what shows is the baseline, nothing typed is left to keep.
                self._customer = self._customer_without_edits()
            if not self._go_on():
                self._load(loaded.id, self.quote_id)
            self.changed.emit()

        def refused(exc: DeckfollowError) -> None:
            self._set_saving(False)
            if isinstance(exc, ConcurrentEditError):
                # Who and when, theirs beside what is typed here; nothing typed is lost.
                rows = [
                    (FIELDS.get(k, k), exc.theirs[k], self._value(k))
                    for k in changed
                    if k in exc.theirs
                ]
                if rows:
                    theirs = {k: exc.theirs[k] for k in changed if k in exc.theirs}
                    version = int(exc.theirs["version"])
                    offer_to_reapply(
                        exc,
                        rows,
                        self,
                        reapply=lambda: self._save_details(
                            loaded, changed, version, {**seen, **theirs}
                        ),
                        keep_theirs=lambda: self.contact_error.show_error(exc),
                    )
                    return
            # The line is below the fields: on a short panel it is scrolled to, and then the
            # field it names, once the line has its place in the layout.
            QTimer.singleShot(0, self, self._show_unsaved)
            if hold_until_server_back(self.save_button, exc):
                # Save says it waits, and is pressed again by itself once the server is back.
                self.contact_error.show_error(
                    f"Can't reach the team server {server_watch().name}. Nothing is lost: "
                    "what you typed stays here and is saved as soon as the server is back."
                )
                return
            self.contact_error.show_error(exc)
            if isinstance(exc, ValidationError):
                key = _KEY_OF_LABEL.get(exc.field, exc.field)
                if key in self.fields:
                    field = self.fields[key]
                    field.setStyleSheet(f"border: 1px solid {active_theme().error_text};")
                    field.setFocus()
                    QTimer.singleShot(
                        0, self, lambda: self.details_scroll.ensureWidgetVisible(field)
                    )

        self._set_saving(True)
        self._ops.run_change(self, op, initiator=self, success=saved, failure=refused)
