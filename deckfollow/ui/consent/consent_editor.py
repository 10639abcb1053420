"""Consent per channel, allowed hours, best times and preferred channel for one customer."""

from __future__ import annotations

from zoneinfo import available_timezones

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from deckfollow.core.changes import Changes
from deckfollow.core.clock import Clock
from deckfollow.core.clock_format import hours_text
from deckfollow.core.consent import (
    ConsentOverview,
    ContactPreferences,
    consent_overview,
    revoke_consent,
    set_contact_preferences,
)
from deckfollow.core.consent_ledger import grant_consent
from deckfollow.core.enums import Channel, ConsentChannel, ConsentState
from deckfollow.core.unit_of_work import Session, Store
from deckfollow.ui import operations
from deckfollow.ui.consent.common import ErrorLabel, chosen_source, local_text, source_combo
from deckfollow.ui.consent.ledger_view import LedgerViewerDialog
from deckfollow.ui.consent.stop import StopContactDialog
from deckfollow.ui.theme import active_theme

_STATE_COLOURS = {
    ConsentState.GRANTED: "agreed_text",
    ConsentState.REVOKED: "error_text",
    ConsentState.UNKNOWN: "muted_text",
}


class ConsentEditorDialog(QDialog):
    """Edit what one customer agreed to; every change becomes a ledger entry.

    `changed` carries the core's Changes after each saved change. What is recorded is read,
    and each change saved, on the window's database thread; the controls open once the read
    has arrived, and `loaded` follows each read.
    """

    changed = Signal(object)
    loaded = Signal()

    def __init__(
        self, db: Store, customer_id: int, *, clock: Clock, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        ops = operations.serving(db)
        if ops is None:
            raise RuntimeError("the consent editor needs the operations of an open database")
        self._db, self._ops, self._customer_id, self._clock = db, ops, customer_id, clock
        self.setWindowTitle("Consent")
        self.resize(760, 640)

        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.table = QTableWidget(len(ConsentChannel), 4)
        self.table.setHorizontalHeaderLabels(["State", "Since", "How", "Their words"])
        self.table.setVerticalHeaderLabels([c.value.capitalize() for c in ConsentChannel])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(190)

        # Recording a yes or a no for one channel.
        change = QGroupBox("Record what they said about a channel")
        self.channel = QComboBox()
        for ch in ConsentChannel:
            self.channel.addItem(ch.value.capitalize(), ch.value)
        self.words = QLineEdit()
        self.words.setPlaceholderText('Their words, e.g. "Texting is easiest for me"')
        self.source = source_combo()
        self.grant_button = QPushButton("Record yes")
        self.revoke_button = QPushButton("Record no")
        buttons = QHBoxLayout()
        buttons.addWidget(self.grant_button)
        buttons.addWidget(self.revoke_button)
        buttons.addStretch(1)
        cform = QFormLayout(change)
        cform.addRow("Channel", self.channel)
        cform.addRow("Their words", self.words)
        cform.addRow("How they said it", self.source)
        cform.addRow(buttons)

        # When and how they like to be reached.
        prefs = QGroupBox("When and how to reach them (their time zone)")
        self.timezone = QComboBox()
        self.timezone.setEditable(True)
        zones = sorted(z for z in available_timezones() if "/" in z and not z.startswith("Etc"))
        self.timezone.addItems(zones)
        completer = self.timezone.completer()
        if completer is not None:
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.hours = QLineEdit()
        self.hours.setPlaceholderText("e.g. evenings only; not mon  (empty: country default)")
        self.best = QLineEdit()
        self.best.setPlaceholderText("e.g. mon-fri 17:30-19:00")
        self.preferred = QComboBox()
        self.preferred.addItem("No preference", "")
        for c in Channel:
            self.preferred.addItem(c.value.capitalize(), c.value)
        self.effective = QLabel()
        self.effective.setWordWrap(True)
        self.save_prefs_button = QPushButton("Save hours and preferences")
        pform = QFormLayout(prefs)
        pform.addRow("Time zone", self.timezone)
        pform.addRow("Allowed hours", self.hours)
        pform.addRow("Best times", self.best)
        pform.addRow("Preferred channel", self.preferred)
        pform.addRow("In effect", self.effective)
        pform.addRow(self.save_prefs_button)

        self.error = ErrorLabel()
        self.status = QLabel()
        self.stop_button = QPushButton("Stop contact…")
        self.stop_button.setStyleSheet(f"color: {active_theme().error_text}; font-weight: 600;")
        self.ledger_button = QPushButton("Ledger…")
        close = QPushButton("Close")
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.stop_button)
        bottom.addWidget(self.ledger_button)
        bottom.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.table)
        layout.addWidget(change)
        layout.addWidget(prefs)
        layout.addWidget(self.error)
        layout.addLayout(bottom)

        self.grant_button.clicked.connect(lambda: self.record(True))
        self.revoke_button.clicked.connect(lambda: self.record(False))
        self.save_prefs_button.clicked.connect(self.save_preferences)
        self.stop_button.clicked.connect(self._open_stop)
        self.ledger_button.clicked.connect(self._open_ledger)
        self.table.currentCellChanged.connect(lambda row, *_: self._pick_row(row))
        close.clicked.connect(self.accept)
        self.overview: ConsentOverview | None = None  # what is recorded, once read
        self._controls = (
            self.table,
            self.grant_button,
            self.revoke_button,
            self.save_prefs_button,
            self.stop_button,
            self.ledger_button,
        )
        for widget in self._controls:
            widget.setEnabled(False)
        self.reload()

    def reload(self) -> None:
        """Read what is recorded (on the database thread) and show it."""
        customer_id = self._customer_id
        self._ops.run_query(
            self,
            lambda s: consent_overview(s, customer_id),
            success=self._show,
            failure=self.error.show_error,
        )

    def _show(self, ov: ConsentOverview) -> None:
        self.overview = ov
        self.setWindowTitle(f"Consent: {ov.name}")
        if ov.do_not_contact:
            self.banner.setText(
                f"<b style='color:{active_theme().error_text}'>"
                f"{ov.name} asked not to be contacted.</b> "
                "Record a yes in their own words to re-open one channel."
            )
        else:
            self.banner.setText(f"<b>{ov.name}</b> · {ov.country} · {ov.timezone}")
        for row, c in enumerate(ov.channels):
            cells = (c.state.value, local_text(c.since, ov.timezone), c.source or "", c.words or "")
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 0:
                    item.setForeground(QColor(getattr(active_theme(), _STATE_COLOURS[c.state])))
                self.table.setItem(row, col, item)
        self.timezone.setCurrentText(ov.timezone)
        self.hours.setText(ov.contact_hours or "")
        self.best.setText(ov.best_times or "")
        self.preferred.setCurrentIndex(
            max(
                0,
                self.preferred.findData(ov.preferred_channel.value if ov.preferred_channel else ""),
            )
        )
        self.effective.setText(hours_text(ov.effective_hours))
        for widget in self._controls:
            widget.setEnabled(True)
        self.loaded.emit()

    def _pick_row(self, row: int) -> None:
        if 0 <= row < self.channel.count():
            self.channel.setCurrentIndex(row)

    def _done(self, changes: Changes, message: str) -> None:
        self.reload()
        # What the change also did ("Cancelled the agreed call on Thu 10 Dec at 10:00").
        self.status.setText(". ".join((message, *changes.notices)))
        self.changed.emit(changes)

    def record(self, yes: bool) -> None:
        """Record a yes or a no for the chosen channel."""
        self.error.clear_error()
        ch = ConsentChannel(self.channel.currentData())
        words = self.words.text().strip() or None
        source = chosen_source(self.source)
        customer_id, now = self._customer_id, self._clock()

        def save(session: Session) -> Changes:
            record = grant_consent if yes else revoke_consent
            return record(session, customer_id, ch, source=source, words=words, now=now)

        def saved(changes: Changes) -> None:
            self.words.clear()
            self._done(changes, f"{ch.value.capitalize()}: {'yes' if yes else 'no'} recorded")

        # The team server away: the operations keep the dialog open and save once it is back.
        self._ops.run_change(
            self, save, initiator=self, success=saved, failure=self.error.show_error
        )

    def save_preferences(self) -> None:
        self.error.clear_error()
        pref = self.preferred.currentData()
        prefs = ContactPreferences(
            timezone=self.timezone.currentText().strip(),
            contact_hours=self.hours.text(),
            best_times=self.best.text(),
            preferred_channel=Channel(pref) if pref else None,
        )
        source = chosen_source(self.source)
        words = self.words.text().strip() or None
        customer_id, now = self._customer_id, self._clock()

        def save(session: Session) -> Changes:
            return set_contact_preferences(
                session, customer_id, prefs, source=source, words=words, now=now
            )

        self._ops.run_change(
            self,
            save,
            initiator=self,
            success=lambda changes: self._done(
                changes, "Hours and preferences saved" if changes.consent else "No change"
            ),
            failure=self.error.show_error,
        )

    def _open_stop(self) -> None:
        dlg = StopContactDialog(self._db, self._customer_id, clock=self._clock, parent=self)
        dlg.saved.connect(lambda ch: self._done(ch, "Contact stopped"))
        dlg.open()

    def _open_ledger(self) -> None:
        LedgerViewerDialog(self._db, self._customer_id, clock=self._clock, parent=self).open()
