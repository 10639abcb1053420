"""The first start on an empty database: who you are, then sample data, an import or nothing."""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCommandLinkButton,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from deckfollow.core.errors import ValidationError
from deckfollow.core.settings import clean_setting, setting_label
from deckfollow.ui.consent.common import ErrorLabel
from deckfollow.ui.place_fields import PlaceFields, computer_place
from deckfollow.ui.theme import active_theme


class WelcomeChoice(Enum):
    SAMPLE = "sample"
    IMPORT = "import"
    EMPTY = "empty"


class WelcomeDialog(QDialog):
    """Offers sample data, an import or an empty start; asks the owner's details on the way."""

    def __init__(
        self,
        *,
        can_import: bool,
        parent: QWidget | None = None,
        place: dict[str, str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Welcome to deckfollow")
        self.setMinimumWidth(520)
        self.choice = WelcomeChoice.EMPTY

        title = QLabel("Welcome to deckfollow")
        title.setStyleSheet("font-size: 22px; font-weight: 600;")
        intro = QLabel(
            "deckfollow keeps every quote moving: who to contact today, how, and why — only "
            "within what each customer agreed to. Your data stays on this computer."
        )
        intro.setWordWrap(True)

        self.owner_name = QLineEdit()
        self.owner_name.setPlaceholderText("e.g. Sam Carter")
        self.business_name = QLineEdit()
        self.business_name.setPlaceholderText("e.g. Carter Decks & Patios")
        self.owner_phone = QLineEdit()
        self.owner_phone.setPlaceholderText("the number customers should call back")
        found = place or computer_place()
        self.place = PlaceFields(
            self,
            country=found["default_country"],
            region=found.get("owner_region", ""),
            zone=found["owner_timezone"],
            currency=found["currency"],
        )
        form = QFormLayout()
        form.addRow("Your name", self.owner_name)
        form.addRow("Business", self.business_name)
        form.addRow("Your mobile", self.owner_phone)
        form.addRow("Country", self.place.country)
        form.addRow("State or region", self.place.region)
        form.addRow("Time zone", self.place.timezone)
        form.addRow("Currency", self.place.currency)
        self.hint = hint = QLabel()
        hint.setStyleSheet(f"color: {active_theme().muted_text};")
        hint.setWordWrap(True)
        self._found_on_computer = self.place.chosen()
        self._say_where_from()
        self.place.country.currentIndexChanged.connect(self._say_where_from)

        how = QLabel("How would you like to start?")
        how.setStyleSheet("font-weight: 600; margin-top: 8px;")
        self.sample_button = QCommandLinkButton(
            "Explore with sample data",
            "A made-up business with quotes in every stage, to try things safely. "
            "Remove it in one step when you are ready: File › Remove sample data.",
        )
        self.import_button = QCommandLinkButton(
            "Import my contacts", "From a CSV export of Google Contacts, Outlook or a spreadsheet."
        )
        self.empty_button = QCommandLinkButton(
            "Start with an empty pipeline", "Add leads as they come in (Ctrl+N)."
        )
        self.import_button.setVisible(can_import)
        self.sample_button.clicked.connect(lambda: self._choose(WelcomeChoice.SAMPLE))
        self.import_button.clicked.connect(lambda: self._choose(WelcomeChoice.IMPORT))
        self.empty_button.clicked.connect(lambda: self._choose(WelcomeChoice.EMPTY))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addWidget(hint)
        self.error = ErrorLabel()
        layout.addWidget(self.error)
        layout.addWidget(how)
        for button in (self.sample_button, self.import_button, self.empty_button):
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)

    def _say_where_from(self) -> None:
        """Where the country, zone and currency came from: this computer, the owner, or
        nowhere yet (then the owner is asked to choose)."""
        if not self.place.chosen():
            where = (
                "This computer does not say where it is: choose your country, and its time "
                "zone and currency follow."
            )
        elif self._found_on_computer:
            where = "Filled in from this computer: check them."
        else:
            where = "Your time zone and currency follow your country: check them."
        self.hint.setText(
            f"{where} Phone numbers are read as dialled in your country unless written "
            "with +; every time is shown on your clock; quotes are in your currency. Change "
            "any of it later in Settings › Your business."
        )

    def owner_details(self) -> dict[str, str]:
        """The details the owner typed (only those filled in) and the place they confirmed."""
        values = {
            "owner_name": self.owner_name.text().strip(),
            "business_name": self.business_name.text().strip(),
            "owner_phone": self.owner_phone.text().strip(),
            **self.place.values(),
        }
        return {k: v for k, v in values.items() if v}

    def valid_details(self) -> dict[str, str]:
        """The details that pass their check (all of them once a choice was made)."""
        details = self.owner_details()
        country = details.get("default_country")
        valid = {}
        for key, value in details.items():
            try:
                clean_setting(key, value, country=country)
            except ValidationError:
                continue
            valid[key] = value
        return valid

    def _choose(self, choice: WelcomeChoice) -> None:
        """Check every detail first (a wrong one is named and the welcome stays open)."""
        details = self.owner_details()
        country = details.get("default_country")
        if not country:
            self.error.show_error(
                ValidationError(
                    setting_label("default_country"),
                    "choose the country your business is in: phone numbers, your time zone "
                    "and your currency follow it",
                )
            )
            self.place.country.setFocus()
            return
        try:
            for key, value in details.items():
                clean_setting(key, value, country=country)
        except ValidationError as exc:
            self.error.show_error(exc)
            return
        self.error.clear_error()
        self.choice = choice
        self.accept()
