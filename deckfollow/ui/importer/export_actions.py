"""File › Export: customers and quotes to CSV, customers to vCard, everything to JSON.

Each function asks where to save, writes the file(s) owner-only and says what was written;
they return the path written, or None when the user cancelled or it failed.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from deckfollow.core.clock import Clock
from deckfollow.core.errors import DeckfollowError
from deckfollow.core.unit_of_work import Store
from deckfollow.ui.formatting import counted


def _failed(parent: QWidget | None, exc: DeckfollowError | OSError) -> None:
    text = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    QMessageBox.warning(parent, "Export", f"Nothing was exported: {text}")


def export_customers_csv(parent: QWidget | None, db: Store) -> Path | None:
    """Customers and quotes as customers.csv and quotes.csv in a folder the user picks."""
    from deckfollow.exchange.csv_export import export_csv

    folder = QFileDialog.getExistingDirectory(parent, "Folder for the CSV files", str(Path.home()))
    if not folder:
        return None
    try:
        with db.reading() as session:
            done = export_csv(session, Path(folder))
    except (DeckfollowError, OSError) as exc:
        _failed(parent, exc)
        return None
    QMessageBox.information(
        parent,
        "Export",
        f"Saved {counted(done.customers, 'customer')} to {done.customers_path.name} and "
        f"{counted(done.quotes, 'quote')} to {done.quotes_path.name} in {folder}.",
    )
    return done.customers_path


def export_vcard(
    parent: QWidget | None, db: Store, customer_id: int | None = None, version: str = "3.0"
) -> Path | None:
    """One customer (or all) as a .vcf file for a phone or address book."""
    from deckfollow.exchange.vcard import write_vcard

    name, _ = QFileDialog.getSaveFileName(
        parent, "Save contact card", str(Path.home() / "contacts.vcf"), "vCard (*.vcf)"
    )
    if not name:
        return None
    path = Path(name) if name.lower().endswith(".vcf") else Path(name + ".vcf")
    try:
        with db.reading() as session:
            count = write_vcard(session, path, customer_id, version)
    except (DeckfollowError, OSError) as exc:
        _failed(parent, exc)
        return None
    QMessageBox.information(parent, "Export", f"Saved {counted(count, 'contact card')} to {path}.")
    return path


def export_everything_json(parent: QWidget | None, db: Store, clock: Clock) -> Path | None:
    """Everything in one JSON file (the documented deckfollow export format)."""
    from deckfollow.exchange.json_export import export_json

    name, _ = QFileDialog.getSaveFileName(
        parent, "Export everything", str(Path.home() / "deckfollow-export.json"), "JSON (*.json)"
    )
    if not name:
        return None
    path = Path(name)
    try:
        with db.reading() as session:
            export_json(session, path, now=clock())
    except (DeckfollowError, OSError) as exc:
        _failed(parent, exc)
        return None
    QMessageBox.information(parent, "Export", f"Saved everything to {path}.")
    return path
