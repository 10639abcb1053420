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


class WelcomeChoice(Enum):
    SAMPLE = "sample"
    IMPORT = "import"
    EMPTY = "empty"


class WelcomeDialog(QDialog):
    """Offers sample data, an import or an empty start; asks the owner's details on the way."""

    def __init__(self, *, can_import: bool, parent: QWidget | None = None) -> None:
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
        form = QFormLayout()
        form.addRow("Your name", self.owner_name)
        form.addRow("Business", self.business_name)
        form.addRow("Your mobile", self.owner_phone)
        hint = QLabel(
            "Used in your call scripts, emails and cards. Change them any time in "
            "Settings › Your business."
        )
        hint.setStyleSheet("color: palette(mid);")
        hint.setWordWrap(True)

        how = QLabel("How would you like to start?")
        how.setStyleSheet("font-weight: 600; margin-top: 8px;")
        self.sample_button = QCommandLinkButton(
            "Explore with sample data",
            "A made-up business with quotes in every stage, to try things safely. "
            "Delete it when you are ready.",
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
        layout.addWidget(how)
        for button in (self.sample_button, self.import_button, self.empty_button):
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)

    def owner_details(self) -> dict[str, str]:
        """The details the owner typed (only those filled in)."""
        values = {
            "owner_name": self.owner_name.text().strip(),
            "business_name": self.business_name.text().strip(),
            "owner_phone": self.owner_phone.text().strip(),
        }
        return {k: v for k, v in values.items() if v}

    def _choose(self, choice: WelcomeChoice) -> None:
        self.choice = choice
        self.accept()
