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
from deckfollow.core.errors import DeckfollowError
from deckfollow.core.unit_of_work import Store
from deckfollow.ui.consent.common import ErrorLabel, chosen_source, local_text, source_combo
from deckfollow.ui.consent.ledger_view import LedgerViewerDialog
from deckfollow.ui.consent.stop import StopContactDialog
from deckfollow.ui.team.server_away import hold_until_server_back
from deckfollow.ui.theme import active_theme

_STATE_COLOURS = {
    ConsentState.GRANTED: "agreed_text",
    ConsentState.REVOKED: "error_text",
    ConsentState.UNKNOWN: "muted_text",
}


class ConsentEditorDialog(QDialog):
    """Edit what one customer agreed to; every change becomes a ledger entry.

    `changed` carries the core's Changes after each saved change.
    """

    changed = Signal(object)

    def __init__(
        self, db: Store, customer_id: int, *, clock: Clock, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._db, self._customer_id, self._clock = db, customer_id, clock
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
        self.overview: ConsentOverview
        self.reload()

    def reload(self) -> None:
        with self._db.reading() as s:
            self.overview = consent_overview(s, self._customer_id)
        ov = self.overview
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
        try:
            with self._db.unit_of_work() as s:
                if yes:
                    changes = grant_consent(
                        s, self._customer_id, ch, source=source, words=words, now=self._clock()
                    )
                else:
                    changes = revoke_consent(
                        s, self._customer_id, ch, source=source, words=words, now=self._clock()
                    )
        except DeckfollowError as exc:
            self.error.show_error(exc)
            button = self.grant_button if yes else self.revoke_button
            hold_until_server_back(button, exc)  # the server away: saved once it is back
            return
        self.words.clear()
        self._done(changes, f"{ch.value.capitalize()}: {'yes' if yes else 'no'} recorded")

    def save_preferences(self) -> None:
        self.error.clear_error()
        pref = self.preferred.currentData()
        prefs = ContactPreferences(
            timezone=self.timezone.currentText().strip(),
            contact_hours=self.hours.text(),
            best_times=self.best.text(),
            preferred_channel=Channel(pref) if pref else None,
        )
        try:
            with self._db.unit_of_work() as s:
                changes = set_contact_preferences(
                    s,
                    self._customer_id,
                    prefs,
                    source=chosen_source(self.source),
                    words=self.words.text().strip() or None,
                    now=self._clock(),
                )
        except DeckfollowError as exc:
            self.error.show_error(exc)
            hold_until_server_back(self.save_prefs_button, exc)  # saved once the server is back
            return
        self._done(changes, "Hours and preferences saved" if changes.consent else "No change")

    def _open_stop(self) -> None:
        dlg = StopContactDialog(self._db, self._customer_id, clock=self._clock, parent=self)
        dlg.saved.connect(lambda ch: self._done(ch, "Contact stopped"))
        dlg.open()

    def _open_ledger(self) -> None:
        LedgerViewerDialog(self._db, self._customer_id, clock=self._clock, parent=self).open()
