# mypy: disable-error-code="no-untyped-call"
"""The import wizard as a user walks through it: file, columns, preview, import, summary."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QFileDialog,
    QTableWidget,
    QTableWidgetItem,
    QWizard,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from deckfollow.core.consent import revoke_consent
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.models import Customer
from deckfollow.exchange.import_mapping import Field
from deckfollow.storage.database import Database, open_database
from deckfollow.ui import operations
from deckfollow.ui.importer import ImportWizard, export_actions, export_customers_csv, export_vcard
from deckfollow.ui.importer.wizard import PREVIEW_COLUMNS
from deckfollow.ui.operations import Operations
from deckfollow.ui.theme import LIGHT
from tests.exchange.import_helpers import DATA, set_owner
from tests.ui.waiting import settle


@pytest.fixture
def au_db(db: Database, now: datetime) -> Database:
    set_owner(db)
    with db.unit_of_work() as s:
        a = add_lead(
            s, NewLead(name="Lukasz W", email="lukasz.wrobel@example.pl", answered=True), now=now
        )
        revoke_consent(s, a.customer_id, None, source="phone call", words="no", now=now)
    return db


def _wizard(qtbot: QtBot, db: Database, now: datetime, path: Path) -> ImportWizard:
    if operations.serving(db) is None:
        Operations(db)  # the window's database thread: rows are checked and imported there
    wiz = ImportWizard(db, clock=lambda: now)
    qtbot.addWidget(wiz)
    wiz.open_file(path)
    wiz.show()
    return wiz


def _next(qtbot: QtBot, wiz: ImportWizard) -> None:
    """Next, as a user presses it: the page changes once the database has answered."""
    wiz.next()
    settle(qtbot, wiz.ops)


def _item(table: QTableWidget, row: int, col: int) -> QTableWidgetItem:
    item = table.item(row, col)
    assert item is not None
    return item


def _count(db: Database) -> int:
    with db.reading() as s:
        return int(s.scalar(select(func.count(Customer.id))) or 0)


def test_google_file_preview_then_import(qtbot: QtBot, au_db: Database, now: datetime) -> None:
    wiz = _wizard(qtbot, au_db, now, DATA / "google_contacts.csv")
    _next(qtbot, wiz)
    assert wiz.currentPage() is wiz.mapping_page
    assert "Recognised as a Google Contacts export" in wiz.mapping_page.recognised.text()
    assert wiz.mapping_page.columns.isHidden()
    _next(qtbot, wiz)
    page = wiz.preview_page
    assert wiz.currentPage() is page
    assert page.summary.text() == "3 to import · 1 already there · 3 problems"
    assert wiz.buttonText(QWizard.WizardButton.CommitButton) == "Import 3 customers"
    model = page.model
    rows = {model.text(i, 0): i for i in range(model.rowCount())}
    assert set(rows) == {"2", "3", "4", "5", "6", "7"}
    blocked = rows["4"]
    assert model.text(blocked, 1) == "Refused: do not contact"
    background = model.data(model.index(blocked, 0), Qt.ItemDataRole.BackgroundRole)
    assert isinstance(background, QBrush) and background.color() == QColor(LIGHT.row_problem_bg)
    assert model.text(rows["6"], 7).startswith("email 'priya@@example'")
    # Which zone each row got, and why: by the state, or the owner's (a mobile tells none).
    assert PREVIEW_COLUMNS[6] == "Time zone"
    assert [model.text(rows[n], 6) for n in ("2", "3")] == [
        "Australia/Sydney, from the state (NSW)",
        "Australia/Sydney, your own zone (no state or phone to tell)",
    ]
    assert _count(au_db) == 1  # nothing saved by looking

    page.show_combo.setCurrentIndex(1)  # only rows with problems
    shown = page.shown
    visible = [shown.index(i, 0).data() for i in range(shown.rowCount())]
    assert visible == ["4", "5", "6"]

    with qtbot.waitSignal(wiz.imported) as sig:
        wiz.next()
    assert sig.args == [3]
    assert wiz.currentPage() is wiz.summary_page
    assert _count(au_db) == 4
    summary = wiz.summary_page
    assert summary.result.text().startswith("Imported 3 customers. 1 was already in deckfollow.")
    assert [_item(summary.problems, i, 0).text() for i in range(3)] == ["4", "5", "6"]
    assert _item(summary.problems, 1, 1).text() == "(no name)"
    assert wiz.backup_path is not None and wiz.backup_path.exists()

    # The rows to fix can be kept as a file to work through in the spreadsheet.
    assert summary.save_button.isVisible()
    saved = wiz.backup_path.parent.parent / "rows to fix.csv"
    assert summary.save_problems(saved)
    assert saved.stat().st_mode & 0o077 == 0
    lines = saved.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "Row,Name,Problem"
    assert [line.split(",")[0] for line in lines[1:]] == ["4", "5", "6"]
    assert str(saved) in summary.saved_note.text()


def test_own_columns_need_a_name(
    qtbot: QtBot, au_db: Database, now: datetime, tmp_path: Path
) -> None:
    src = tmp_path / "kunden.csv"
    src.write_text("Kunde;Handy\nJürgen Groß;0412 555 666\n", encoding="utf-8")
    wiz = _wizard(qtbot, au_db, now, src)
    _next(qtbot, wiz)
    mapping = wiz.mapping_page
    assert mapping.columns.isVisible()
    assert _item(mapping.columns, 1, 1).text() == "0412 555 666"
    _next(qtbot, wiz)
    assert wiz.currentPage() is mapping
    assert "no column was recognised as a name" in mapping.error.text()

    mapping.set_field(0, Field.NAME)
    mapping.set_field(1, Field.PHONE_CELL)
    _next(qtbot, wiz)
    assert wiz.currentPage() is wiz.preview_page
    _next(qtbot, wiz)
    with au_db.reading() as s:
        c = s.execute(select(Customer).where(Customer.display_name == "Jürgen Groß")).scalar_one()
        assert c.phone_cell == "+61412555666"


def test_a_file_that_is_not_csv_is_explained(
    qtbot: QtBot, au_db: Database, now: datetime, tmp_path: Path
) -> None:
    junk = tmp_path / "photo.csv"
    junk.write_bytes(bytes(range(256)) * 10)
    wiz = _wizard(qtbot, au_db, now, junk)
    _next(qtbot, wiz)
    assert wiz.currentPage() is wiz.file_page
    assert "not a text (CSV) file" in wiz.file_page.error.text()


def test_customers_added_while_previewing_are_not_duplicated(
    qtbot: QtBot, au_db: Database, now: datetime
) -> None:
    wiz = _wizard(qtbot, au_db, now, DATA / "outlook_contacts.csv")
    _next(qtbot, wiz)
    _next(qtbot, wiz)
    assert wiz.buttonText(QWizard.WizardButton.CommitButton) == "Import 3 customers"
    with au_db.unit_of_work() as s:
        add_lead(s, NewLead(name="Ana P", email="ana.perez@example.com", answered=True), now=now)
    with qtbot.waitSignal(wiz.imported) as sig:
        wiz.next()
    assert sig.args == [2]
    assert _count(au_db) == 4


def test_export_actions_write_the_files(
    qtbot: QtBot, au_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(tmp_path / "x"))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "all"), ""))
    monkeypatch.setattr(export_actions, "_tell", lambda _p, text, **_k: shown.append(text))
    ops = Operations(au_db)  # the window's database thread: the files are written there
    written: list[Path | None] = []

    export_customers_csv(None, au_db, written.append)
    export_vcard(None, au_db, done=written.append)
    settle(qtbot, ops)
    assert written == [tmp_path / "x" / "customers.csv", tmp_path / "all.vcf"]
    assert (tmp_path / "all.vcf").read_text(encoding="utf-8").count("BEGIN:VCARD") == 1
    export_customers_csv(None, au_db, written.append)
    settle(qtbot, ops)
    assert written[-1] is None  # never overwrites
    assert shown[-1].startswith("Nothing was exported:")


_BIG_PREVIEW = """
import sys
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtWidgets import QApplication

from deckfollow.storage.database import open_database
from deckfollow.ui.importer import ImportWizard
from deckfollow.ui.operations import Operations
from deckfollow.ui.theme import LIGHT

app = QApplication(sys.argv)
db = open_database(sys.argv[1])
ops = Operations(db)
wiz = ImportWizard(db, clock=lambda: datetime(2026, 11, 22, 22, tzinfo=UTC))
wiz.open_file(Path(sys.argv[2]))
wiz.show()
for _step in range(2):
    wiz.next()
    while not ops.is_idle():
        app.processEvents()
for mode in (1, 2, 0):
    wiz.preview_page.show_combo.setCurrentIndex(mode)
    app.processEvents()
print(wiz.preview_page.shown.rowCount())
"""


def test_a_big_preview_opens_filters_and_exits_cleanly(db_path: Path, tmp_path: Path) -> None:
    """Thousands of preview rows, filtered back and forth, and the program still ends well."""
    import subprocess
    import sys

    from tests.exchange.import_helpers import contacts_csv

    src = tmp_path / "big.csv"
    src.write_bytes(contacts_csv(6000))
    open_database(str(db_path)).close()
    done = subprocess.run(
        [sys.executable, "-c", _BIG_PREVIEW, str(db_path), str(src)],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["6000"]


def test_a_file_dropped_on_the_wizard_is_chosen(
    qtbot: QtBot, au_db: Database, now: datetime
) -> None:
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    wiz = _wizard(qtbot, au_db, now, Path(""))
    path = DATA / "outlook_contacts.csv"
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    drop = QDropEvent(
        QPointF(20, 20),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    wiz.dropEvent(drop)
    assert wiz.file_page.path_edit.text() == str(path)
    _next(qtbot, wiz)
    assert wiz.currentPage() is wiz.mapping_page


def test_preview_says_who_comes_in_as_do_not_contact(
    qtbot: QtBot, au_db: Database, now: datetime, tmp_path: Path
) -> None:
    src = tmp_path / "customers.csv"
    src.write_text(
        "Name,Email,Do Not Contact,Erased Email Hash,Erased Phone Hash\n"
        "Ann Lee,ann@example.com,yes,,\n"
        f"(erased: do not contact),,yes,{'ab' * 32},\n",
        encoding="utf-8",
    )
    wiz = _wizard(qtbot, au_db, now, src)
    _next(qtbot, wiz)
    _next(qtbot, wiz)
    model = wiz.preview_page.model
    assert [model.text(i, 1) for i in range(model.rowCount())] == [
        "Import as do-not-contact",
        "Keep as erased (do not contact)",
    ]


def test_preview_names_a_row_whose_state_is_not_of_its_country(
    qtbot: QtBot, au_db: Database, now: datetime, tmp_path: Path
) -> None:
    from tests.exchange.import_helpers import csv_bytes

    path = tmp_path / "contacts.csv"
    path.write_bytes(
        csv_bytes(
            ["Name", "Mobile Phone", "Region", "Country"],
            [
                ["Ann Lee", "0412 111 001", "NSW", "Australia"],
                ["Tex Ranger", "0412 111 006", "Texas", "Australia"],
            ],
        )
    )
    wiz = _wizard(qtbot, au_db, now, path)
    _next(qtbot, wiz)
    _next(qtbot, wiz)
    page = wiz.preview_page
    summary = page.summary.text()
    assert summary.startswith("1 to import") and summary.endswith("· 1 problem"), summary
    model = page.model
    rows = {model.text(i, 0): i for i in range(model.rowCount())}
    assert model.text(rows["3"], 1) == "Not imported"
    assert model.text(rows["3"], 7).startswith(
        "state or region 'Texas' is not a state of Australia"
    )
    with qtbot.waitSignal(wiz.imported) as sig:
        wiz.next()
    assert sig.args == [1]
    assert _count(au_db) == 2  # Lukasz from before, and Ann


def test_preview_says_only_the_counts_that_apply(
    qtbot: QtBot, db: Database, now: datetime, tmp_path: Path
) -> None:
    from tests.exchange.import_helpers import csv_bytes

    set_owner(db)
    path = tmp_path / "contacts.csv"
    rows = [["Ann Lee", "0412 111 001"], ["Bo Chan", "0412 111 002"]]
    path.write_bytes(csv_bytes(["Name", "Mobile Phone"], rows))
    wiz = _wizard(qtbot, db, now, path)
    _next(qtbot, wiz)
    _next(qtbot, wiz)
    # A first import into an empty business: nobody is already there, nothing is wrong.
    assert wiz.preview_page.summary.text() == "2 to import"
    assert wiz.buttonText(QWizard.WizardButton.CommitButton) == "Import 2 customers"

    path.write_bytes(csv_bytes(["Name", "Mobile Phone"], [*rows[:1], ["", "not a phone"]]))
    again = _wizard(qtbot, db, now, path)
    _next(qtbot, again)
    _next(qtbot, again)
    assert again.preview_page.summary.text() == "1 to import · 1 problem"
    assert again.buttonText(QWizard.WizardButton.CommitButton) == "Import 1 customer"


def test_preview_summary_words() -> None:
    from deckfollow.ui.importer.wizard import preview_summary

    assert preview_summary(0, 0, 0, 0) == "Nothing to import"
    assert preview_summary(0, 1, 1, 0) == "1 already there (1 gains details)"
    assert (
        preview_summary(1204, 2, 2, 1)
        == "1,204 to import · 2 already there (2 gain details) · 1 problem"
    )


def test_import_summary_after_the_import_says_what_happened() -> None:
    from deckfollow.exchange.import_summary import import_summary

    assert import_summary(0, 0, 0, 0, done=True) == "Nothing imported"
    assert import_summary(2, 0, 0, 2, done=True) == "2 imported · 2 problems"
    assert import_summary(0, 3, 1, 0, done=True) == "3 already there (1 given details)"


def test_a_closed_wizard_is_freed_without_the_garbage_collector(
    qtbot: QtBot, au_db: Database, now: datetime
) -> None:
    import gc
    import weakref

    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    if operations.serving(au_db) is None:
        Operations(au_db)
    wiz = ImportWizard(au_db, clock=lambda: now)
    wiz.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    wiz.open_file(DATA / "google_contacts.csv")
    wiz.show()
    _next(qtbot, wiz)
    _next(qtbot, wiz)
    assert wiz.currentPage() is wiz.preview_page
    assert wiz.preview_page.shown.rowCount() > 0  # the preview shows the file's rows
    model = weakref.ref(wiz.preview_page.model)
    shown = weakref.ref(wiz.preview_page.shown)
    wizard = weakref.ref(wiz)
    wiz.close()
    del wiz
    # Freed by reference counting alone, as soon as Qt deletes the closed window: a cycle
    # would keep the preview's rows (a whole file of them) until a collection ran.
    gc.disable()
    try:
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        assert model() is None
        assert shown() is None
        assert wizard() is None
    finally:
        gc.enable()
