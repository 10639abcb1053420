"""'Already a customer?': the existing person offered instead of a duplicate."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from deckfollow.core.customer_matches import CustomerMatch
from deckfollow.ui.theme import active_theme

# At most this many are offered; more matches than that means the details are too vague.
_SHOWN = 3


class DuplicateOffer(QFrame):
    """One 'Use …' button per likely match and a 'Create new'; hidden until `offer()`.

    `use` carries the chosen customer's id; `create_new` means the owner says it is
    someone else.
    """

    use = Signal(int)
    create_new = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("duplicateOffer")
        t = active_theme()
        self.setStyleSheet(
            f"QFrame#duplicateOffer {{ background: {t.warning_banner_bg};"
            f" border: 1px solid {t.warning_banner_border}; border-radius: 4px; }}"
            f"#duplicateOffer QLabel {{ color: {t.warning_banner_fg}; }}"
        )
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-weight: 600; background: transparent;")
        self.use_buttons: list[QPushButton] = []
        self._row_widgets: list[QWidget] = []
        self._rows = QVBoxLayout()
        self._rows.setSpacing(4)
        self.new_button = QPushButton("Create new")
        self.new_button.setToolTip("They are someone else: add them as a new customer")
        self.new_button.clicked.connect(self.create_new)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self.title)
        layout.addLayout(self._rows)
        layout.addLayout(bottom)
        self.matches: list[CustomerMatch] = []
        self.hide()

    def offer(self, matches: list[CustomerMatch]) -> None:
        """Show these customers as the likely same person."""
        self.matches = matches[:_SHOWN]
        for row in self._row_widgets:
            self._rows.removeWidget(row)
            row.deleteLater()
        self._row_widgets = []
        self.use_buttons = []
        one = len(self.matches) == 1
        # Only the name in common: a question, and adding them stays the default.
        namesakes = all(m.reasons == ("name",) for m in self.matches)
        if namesakes:
            self.title.setText(
                "Someone with this name is already a customer. The same person?"
                if one
                else "Customers with this name are already on file. One of them?"
            )
        else:
            self.title.setText(
                "Already a customer? This looks like someone you know:"
                if one
                else "Already a customer? These look like someone you know:"
            )
        for m in self.matches:
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            button = QPushButton(f"Use {m.label}")
            button.setToolTip(f"{m.why} as what you typed")
            button.clicked.connect(lambda _=False, cid=m.id: self.use.emit(cid))
            why = QLabel(m.why + (" · asked not to be contacted" if m.do_not_contact else ""))
            why.setStyleSheet(
                f"color: {active_theme().warning_banner_muted}; background: transparent;"
            )
            line.addWidget(button)
            line.addWidget(why, 1)
            self._rows.addWidget(row)
            self._row_widgets.append(row)
            self.use_buttons.append(button)
        first = self.new_button if namesakes else self.use_buttons[0]
        first.setDefault(True)
        first.setFocus()
        self.show()

    def withdraw(self) -> None:
        self.matches = []
        self.hide()
