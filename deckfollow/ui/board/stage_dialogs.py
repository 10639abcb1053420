"""The questions a stage change asks: why was it lost, until when is it parked."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from deckfollow.ui.formatting import readable_date_edit
from deckfollow.ui.qt_values import qdate

LOST_REASONS = (
    "Went with a cheaper quote",
    "Decided not to go ahead",
    "Postponed indefinitely",
    "Did it themselves",
    "No reply after several tries",
    "Chose a different product",
)


class LostReasonDialog(QDialog):
    """Lost needs a reason: it is what teaches the business to quote better."""

    def __init__(self, customer: str, job: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Mark as lost")
        self.setMinimumWidth(420)
        intro = QLabel(f"Why did <b>{customer}</b> not go ahead with the {job}?")
        intro.setWordWrap(True)
        self.reason = QComboBox()
        self.reason.setEditable(True)
        self.reason.addItems(LOST_REASONS)
        self.reason.setCurrentIndex(-1)
        self.reason.setPlaceholderText("Pick or type the reason")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Mark as lost")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.reason.currentTextChanged.connect(self._update)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.reason)
        layout.addWidget(self.buttons)
        self._update()

    def lost_reason(self) -> str:
        return self.reason.currentText().strip()

    def _update(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.lost_reason()))


class ParkUntilDialog(QDialog):
    """Parked means "not now": the app plans the revisit for the day chosen here."""

    def __init__(self, customer: str, job: str, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Park this quote")
        self.setMinimumWidth(420)
        intro = QLabel(
            f"When should you get back to <b>{customer}</b> about the {job}? "
            "A revisit call is planned for that day."
        )
        intro.setWordWrap(True)
        self.until = QDateEdit()
        self.until.setCalendarPopup(True)
        readable_date_edit(self.until)
        tomorrow = today + timedelta(days=1)
        self.until.setMinimumDate(qdate(tomorrow))
        default = today + timedelta(days=90)
        self.until.setDate(qdate(default))
        form = QFormLayout()
        form.addRow("Revisit on", self.until)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Park")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def parked_until(self) -> date:
        d = self.until.date()
        return date(d.year(), d.month(), d.day())
