"""File › Remove sample data…: take the demo business out, after saying what will go."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtWidgets import QMessageBox, QWidget

from deckfollow.demo.sample import has_sample, remove_sample_data, sample_counts
from deckfollow.storage.database import Database


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def any_sample_data(db: Database) -> bool:
    with db.reading() as session:
        return has_sample(session)


def confirm_text(customers: int, quotes: int) -> str:
    return (
        f"Remove the sample business: {_plural(customers, 'customer')} and "
        f"{_plural(quotes, 'quote')}, with their follow-ups, touches and consent records?\n\n"
        "Customers, quotes and settings you entered yourself stay as they are. "
        "This cannot be undone."
    )


def remove_sample_data_asking(
    parent: QWidget, db: Database, clock: Callable[[], datetime]
) -> str | None:
    """Ask, then remove; what to say in the status bar (None when nothing was removed)."""
    with db.reading() as session:
        counts = sample_counts(session)
    if not counts:
        QMessageBox.information(parent, "Remove sample data", "There is no sample data left.")
        return None
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Remove sample data",
        confirm_text(counts.customers, counts.quotes),
        QMessageBox.StandardButton.Cancel,
        parent,
    )
    remove = box.addButton("Remove sample data", QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    chosen = box.clickedButton()
    box.deleteLater()
    if chosen is not remove:
        return None
    with db.unit_of_work() as session:
        removed = remove_sample_data(session, now=clock())
    return (
        f"Sample data removed: {_plural(removed.customers, 'customer')} and "
        f"{_plural(removed.quotes, 'quote')}."
    )
