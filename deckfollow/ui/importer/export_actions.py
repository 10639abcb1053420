"""File › Export: customers and quotes to CSV, customers to vCard, everything to JSON.

Each function asks where to save, then reads and writes the file(s) owner-only on the
window's database thread, and says what was written; `done(path)` is told the path written
(None when it failed). Nothing happens when the user cancels.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from deckfollow.core.clock import Clock
from deckfollow.core.errors import DeckfollowError
from deckfollow.core.unit_of_work import Session, Store
from deckfollow.ui import operations
from deckfollow.ui.formatting import counted

T = TypeVar("T")
Done = Callable[[Path | None], object]


def _tell(parent: QWidget | None, text: str, *, failed: bool = False) -> None:
    """Say what was exported (or why not) in a box that is opened, not run with a loop of
    its own: it is shown from the export's answer."""
    box = QMessageBox(
        QMessageBox.Icon.Warning if failed else QMessageBox.Icon.Information,
        "Export",
        text,
        QMessageBox.StandardButton.Ok,
        parent,
    )
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()


def _writing(write: Callable[[Session], T]) -> Callable[[Session], T]:
    """`write`, with a file that cannot be written refused as one line naming why."""

    def run(session: Session) -> T:
        try:
            return write(session)
        except OSError as exc:
            raise DeckfollowError(str(exc.strerror or exc)) from exc

    return run


def _export(
    parent: QWidget | None,
    db: Store,
    write: Callable[[Session], T],
    said: Callable[[T], tuple[str, Path]],
    done: Done | None,
) -> None:
    ops = operations.serving(db)
    if ops is None:
        raise RuntimeError("exporting needs the operations of an open database")

    def written(result: T) -> None:
        text, path = said(result)
        _tell(parent, text)
        if done is not None:
            done(path)

    def failed(exc: DeckfollowError) -> None:
        _tell(parent, f"Nothing was exported: {exc}", failed=True)
        if done is not None:
            done(None)

    ops.run_query(parent, _writing(write), success=written, failure=failed)


def export_customers_csv(parent: QWidget | None, db: Store, done: Done | None = None) -> None:
    """Customers and quotes as customers.csv and quotes.csv in a folder the user picks."""
    from deckfollow.exchange.csv_export import CsvExport, export_csv

    folder = QFileDialog.getExistingDirectory(parent, "Folder for the CSV files", str(Path.home()))
    if not folder:
        return

    def said(done: CsvExport) -> tuple[str, Path]:
        return (
            f"Saved {counted(done.customers, 'customer')} to {done.customers_path.name} and "
            f"{counted(done.quotes, 'quote')} to {done.quotes_path.name} in {folder}.",
            done.customers_path,
        )

    _export(parent, db, lambda session: export_csv(session, Path(folder)), said, done)


def export_vcard(
    parent: QWidget | None,
    db: Store,
    customer_id: int | None = None,
    version: str = "3.0",
    done: Done | None = None,
) -> None:
    """One customer (or all) as a .vcf file for a phone or address book."""
    from deckfollow.exchange.vcard import write_vcard

    name, _ = QFileDialog.getSaveFileName(
        parent, "Save contact card", str(Path.home() / "contacts.vcf"), "vCard (*.vcf)"
    )
    if not name:
        return
    path = Path(name) if name.lower().endswith(".vcf") else Path(name + ".vcf")
    _export(
        parent,
        db,
        lambda session: write_vcard(session, path, customer_id, version),
        lambda count: (f"Saved {counted(count, 'contact card')} to {path}.", path),
        done,
    )


def export_everything_json(
    parent: QWidget | None, db: Store, clock: Clock, done: Done | None = None
) -> None:
    """Everything in one JSON file (the documented deckfollow export format)."""
    from deckfollow.exchange.json_export import export_json

    name, _ = QFileDialog.getSaveFileName(
        parent, "Export everything", str(Path.home() / "deckfollow-export.json"), "JSON (*.json)"
    )
    if not name:
        return
    path, now = Path(name), clock()
    _export(
        parent,
        db,
        lambda session: export_json(session, path, now=now),
        lambda _result: (f"Saved everything to {path}.", path),
        done,
    )
