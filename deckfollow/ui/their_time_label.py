"""The customer's own time beside a time picked on the owner's clock ("9:00 am their time")."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QLabel, QWidget

from deckfollow.ui.formatting import their_time_text
from deckfollow.ui.theme import active_theme


class TheirTimeLabel(QLabel):
    """Muted, and hidden where the customer's clock reads the owner's time."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(f"color: {active_theme().muted_text};")
        self.hide()

    def show_at(self, *moments: datetime, tz: str, owner_tz: str | None = None) -> None:
        """The moments (one, or a window's start and end) on the customer's clock, in `tz`."""
        texts = [their_time_text(moment, tz, owner_tz) for moment in moments]
        shown = "\N{EN DASH}".join(texts) + " their time" if texts[0] else ""
        self.setText(shown)
        self.setVisible(bool(shown))
