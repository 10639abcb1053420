"""Settings › Your business: the owner's details and the pace of follow-ups."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from deckfollow.core.changes import Changes
from deckfollow.core.contact_info import phone_as_read_in
from deckfollow.core.settings import OwnerSettings, load_settings, save_owner_settings
from deckfollow.ui.consent.common import ErrorLabel
from deckfollow.ui.formatting import set_owner_zone, use_sensible_locale
from deckfollow.ui.operations import Operations
from deckfollow.ui.place_fields import PlaceFields
from deckfollow.ui.theme import active_theme


class OwnerSettingsDialog(QDialog):
    """Who the scripts, emails and cards speak for, and how often a plan may reach out."""

    saved = Signal()

    def __init__(
        self, ops: Operations, current: OwnerSettings, *, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ops = ops
        self.setWindowTitle("Your business")
        self.setMinimumWidth(520)

        self.owner_name = QLineEdit(current.owner_name)
        self.business_name = QLineEdit(current.business_name)
        phone = current.owner_phone
        if phone.startswith("+"):
            phone = phone_as_read_in(phone, current.default_country)
        self.owner_phone = QLineEdit(phone)
        self.owner_phone.setPlaceholderText("the number customers should call back")
        self.business_address = QLineEdit(current.business_address)
        self.business_address.setPlaceholderText("for envelopes and the email footer")
        self.place = PlaceFields(
            self,
            country=current.default_country,
            region=current.owner_region,
            zone=current.owner_timezone,
            currency=current.currency,
        )
        self.country, self.region = self.place.country, self.place.region
        self.timezone, self.currency = self.place.timezone, self.place.currency
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
        form.addRow("Country", self.country)
        form.addRow("State or region", self.region)
        form.addRow("Your time zone", self.timezone)
        form.addRow("Currency of your quotes", self.currency)
        form.addRow("At most", self.weekly_cap)
        form.addRow("A quote goes cold after", self.cold_days)
        hint = QLabel(
            "Your name and mobile go into call scripts, emails and cards. Phone numbers are "
            "read as dialled in your country unless written with +, and every time on screen "
            "is on your clock. Planned touches stay at least a day apart; agreed follow-ups "
            "are never limited: the "
            "customer asked for them."
        )
        hint.setWordWrap(True)
        hint.setStyleSheet(f"color: {active_theme().muted_text};")
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
            **self.place.values(),
            "weekly_cap": self.weekly_cap.value(),
            "going_cold_days": self.cold_days.value(),
        }

    def save(self) -> None:
        """Check and store every field; a refusal is shown and nothing is stored."""
        values = self.values()
        self.error.clear_error()
        self._ops.run_change(
            self,
            lambda session: save_owner_settings(session, values),
            initiator=self,
            success=self._saved,
            failure=self.error.show_error,
        )

    def _saved(self, _changes: Changes) -> None:
        set_owner_zone(self.timezone.currentText().strip())
        use_sensible_locale(str(self.country.currentData()))
        self.saved.emit()
        self.accept()


def show_owner_settings(ops: Operations, parent: QWidget | None = None) -> None:
    """Settings › Your business…: read what is set, then show it to change."""

    def show(current: OwnerSettings) -> None:
        # Opened from what the read found: no loop of its own, which would hold back
        # every later result (its own save among them) until it closed.
        dialog = OwnerSettingsDialog(ops, current, parent=parent)
        dialog.finished.connect(lambda _result: dialog.deleteLater())
        dialog.open()

    ops.run_query(parent, load_settings, success=show)
