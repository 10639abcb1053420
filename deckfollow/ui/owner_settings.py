"""Settings › Your business: the owner's details and the pace of follow-ups."""

from __future__ import annotations

from zoneinfo import available_timezones

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from deckfollow.core.errors import DeckfollowError
from deckfollow.core.settings import OwnerSettings, load_settings, save_setting
from deckfollow.storage.database import Database
from deckfollow.ui.consent.common import ErrorLabel

COUNTRIES = (
    ("AU", "Australia"),
    ("NZ", "New Zealand"),
    ("GB", "United Kingdom"),
    ("IE", "Ireland"),
    ("US", "United States"),
    ("CA", "Canada"),
)


class OwnerSettingsDialog(QDialog):
    """Who the scripts, emails and cards speak for, and how often a plan may reach out."""

    saved = Signal()

    def __init__(self, db: Database, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.setWindowTitle("Your business")
        self.setMinimumWidth(520)
        with db.reading() as session:
            current = load_settings(session)

        self.owner_name = QLineEdit(current.owner_name)
        self.business_name = QLineEdit(current.business_name)
        self.owner_phone = QLineEdit(current.owner_phone)
        self.owner_phone.setPlaceholderText("the number customers should call back")
        self.business_address = QLineEdit(current.business_address)
        self.business_address.setPlaceholderText("for envelopes and the email footer")
        self.country = QComboBox()
        for code, name in COUNTRIES:
            self.country.addItem(name, code)
        if self.country.findData(current.default_country) < 0:
            self.country.addItem(current.default_country, current.default_country)
        self.country.setCurrentIndex(self.country.findData(current.default_country))
        self.timezone = QComboBox()
        self.timezone.setEditable(True)
        self.timezone.addItems(sorted(z for z in available_timezones() if "/" in z))
        self.timezone.setCurrentText(current.owner_timezone)
        self.weekly_cap = QSpinBox()
        self.weekly_cap.setRange(1, 7)
        self.weekly_cap.setValue(current.weekly_cap)
        self.weekly_cap.setSuffix(" planned touches in any 7 days")
        self.cold_days = QSpinBox()
        self.cold_days.setRange(3, 90)
        self.cold_days.setValue(current.going_cold_days)
        self.cold_days.setSuffix(" days without a touch")

        form = QFormLayout()
        form.addRow("Your name", self.owner_name)
        form.addRow("Business", self.business_name)
        form.addRow("Your mobile", self.owner_phone)
        form.addRow("Business address", self.business_address)
        form.addRow("Phone numbers are from", self.country)
        form.addRow("Your time zone", self.timezone)
        form.addRow("At most", self.weekly_cap)
        form.addRow("A quote goes cold after", self.cold_days)
        hint = QLabel(
            "Your name and mobile go into call scripts, emails and cards. Planned touches "
            "also stay at least a day apart; agreed follow-ups are never limited: the "
            "customer asked for them."
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: palette(mid);")
        self.error = ErrorLabel()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def values(self) -> dict[str, str | int]:
        return {
            "owner_name": self.owner_name.text().strip(),
            "business_name": self.business_name.text().strip(),
            "owner_phone": self.owner_phone.text().strip(),
            "business_address": self.business_address.text().strip(),
            "default_country": str(self.country.currentData()),
            "owner_timezone": self.timezone.currentText().strip(),
            "weekly_cap": self.weekly_cap.value(),
            "going_cold_days": self.cold_days.value(),
        }

    def save(self) -> None:
        """Check and store every field; a refusal is shown and nothing is stored."""
        values = self.values()
        if values["owner_timezone"] not in available_timezones():
            self.error.show_error(
                f"{values['owner_timezone']!r} is not a time zone; pick one from the list"
            )
            return
        try:
            with self._db.unit_of_work() as session:
                for key, value in values.items():
                    assert key in OwnerSettings.__dataclass_fields__
                    save_setting(session, key, value)
        except DeckfollowError as exc:
            self.error.show_error(exc)
            return
        self.saved.emit()
        self.accept()
