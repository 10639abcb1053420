# mypy: disable-error-code="no-untyped-call"
"""The Backups page, the damaged-file dialog and the trash, driven like a user would."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QTableWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from deckfollow.core.consent import revoke_consent
from deckfollow.core.leads import LeadCreated, NewLead, add_lead
from deckfollow.core.models import Customer, Suppression
from deckfollow.core.trash import CUSTOMER, trash_customer, trash_quote
from deckfollow.storage.backup_catalogue import list_backups
from deckfollow.storage.backup_copies import backup_before
from deckfollow.storage.backup_rotation import auto_backup
from deckfollow.storage.database import Database, open_database
from deckfollow.storage.integrity import check_integrity
from deckfollow.ui.backups import BackupsPage, CorruptDatabaseDialog, TrashDialog
from deckfollow.ui.operations import Operations
from tests.ui.waiting import settle


def _lead(db: Database, name: str, now: datetime) -> LeadCreated:
    with db.unit_of_work() as s:
        first = name.split(maxsplit=1)[0].lower()
        return add_lead(
            s, NewLead(name, email=f"{first}@example.com", job="Fence", answered=True), now=now
        )


def _names(db: Database) -> set[str]:
    with db.reading() as s:
        return set(s.scalars(select(Customer.display_name)))


def _answer(button_text: str) -> None:
    """Click a button of the confirmation box as soon as it opens."""

    def click() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox), box
        [button] = [b for b in box.buttons() if b.text() == button_text]
        button.click()

    QTimer.singleShot(0, click)


def _cell(table: QTableWidget, row: int, col: int) -> str:
    item = table.item(row, col)
    assert item is not None
    return item.text()


def _page(qtbot: QtBot, db: Database, clock: Callable[[], datetime]) -> BackupsPage:
    Operations(db)  # the window's database thread: backups are listed, taken and restored there
    page = BackupsPage(db, clock=clock)
    qtbot.addWidget(page)
    page.show()
    assert not page.backup_button.isEnabled()  # open for a choice once the list is read
    settle(qtbot, page)
    return page


def test_backups_page_lists_backs_up_and_restores_into_the_running_app(
    qtbot: QtBot, db: Database, db_path: Path, now: datetime
):
    _lead(db, "Ada Lovelace", now)
    auto_backup(db_path, now=now - timedelta(days=1))
    page = _page(qtbot, db, lambda: now)
    assert page.table.rowCount() == 2
    assert {_cell(page.table, r, 1) for r in range(2)} == {"Daily", "Weekly"}
    assert "backups" in page.intro.text() and "last 7 days" in page.intro.text()

    _lead(db, "Alan Turing", now)
    qtbot.mouseClick(page.backup_button, Qt.MouseButton.LeftButton)
    settle(qtbot, page)
    assert page.table.rowCount() == 3
    assert _cell(page.table, 0, 1) == "Manual"
    assert "Backed up and checked" in page.status.text()

    # Choose yesterday's daily backup; saying Cancel changes nothing.
    page.select(next(b.path.name for b in page.backups if b.kind == "daily"))
    _answer("Cancel")
    qtbot.mouseClick(page.restore_button, Qt.MouseButton.LeftButton)
    assert page.status.text() == "Nothing changed."
    assert _names(db) == {"Ada Lovelace", "Alan Turing"}

    with qtbot.waitSignal(page.restored):
        _answer("Restore")
        qtbot.mouseClick(page.restore_button, Qt.MouseButton.LeftButton)
    settle(qtbot, page)
    assert page.status.text().startswith("Restored the backup from")
    assert _names(db) == {"Ada Lovelace"}  # the running app's database sees the restored file
    kept = [b for b in page.backups if b.kind == "before" and b.reason == "restore"]
    assert len(kept) == 1
    _lead(db, "Grace Hopper", now)  # and keeps working
    assert _names(db) == {"Ada Lovelace", "Grace Hopper"}

    # Delete one backup (asked first; Cancel keeps it).
    count = page.table.rowCount()
    page.select(next(b.path.name for b in page.backups if b.kind == "manual"))
    _answer("Cancel")
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    assert page.table.rowCount() == count
    _answer("Delete")
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    settle(qtbot, page)
    assert page.table.rowCount() == count - 1
    assert "manual" not in [b.kind for b in list_backups(db_path)]
    assert page.status.text().startswith("Deleted the backup from")


def test_backups_page_restores_a_file_from_anywhere_and_refuses_a_bad_one(
    qtbot: QtBot, db: Database, tmp_path: Path, now: datetime
):
    from deckfollow.storage.backup_copies import backup_to

    _lead(db, "Ada Lovelace", now)
    usb = backup_to(db, tmp_path / "usb-stick-copy.db")
    _lead(db, "Alan Turing", now)
    page = _page(qtbot, db, lambda: now)
    bad = tmp_path / "holiday-photos.db"
    bad.write_bytes(b"\x89PNG" * 500)
    page.restore_file(bad, ask=False)
    settle(qtbot, page)
    assert page.status.text().startswith("Restore failed, nothing changed:")
    assert _names(db) == {"Ada Lovelace", "Alan Turing"}
    _answer("Restore")
    assert page.restore_file(usb)
    settle(qtbot, page)
    assert page.status.text().startswith("Restored the backup file usb-stick-copy.db.")
    assert _names(db) == {"Ada Lovelace"}


def test_corrupt_database_dialog_explains_and_restores_the_latest_good_backup(
    qtbot: QtBot, db: Database, db_path: Path, now: datetime
):
    with db.unit_of_work() as s:
        for i in range(200):
            add_lead(s, NewLead(f"Customer {i}", note="x" * 300, answered=True), now=now)
    good = backup_before(db, "import", now=now)
    db.close()
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(db_path.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 8192] = b"\xff" * 8192
    db_path.write_bytes(bytes(data))
    report = check_integrity(db_path)
    assert not report.ok

    dlg = CorruptDatabaseDialog(report, clock=lambda: now)
    qtbot.addWidget(dlg)
    dlg.show()
    assert "will not write anything to it" in dlg.findChildren(type(dlg.offer))[0].text()
    assert "The newest good backup is from" in dlg.offer.text()
    assert dlg.restore_button is not None
    qtbot.mouseClick(dlg.restore_button, Qt.MouseButton.LeftButton)
    # Restored on a thread of its own: the dialog says so and cannot be closed meanwhile.
    assert dlg.status.text() == "Restoring the backup… the damaged file is kept beside it."
    assert not dlg.quit_button.isEnabled()
    qtbot.waitUntil(lambda: dlg.result() == CorruptDatabaseDialog.DialogCode.Accepted)
    assert dlg.restored_from == good
    assert check_integrity(db_path).ok
    reopened = open_database(str(db_path), create=False)
    assert len(_names(reopened)) == 200
    reopened.close()
    # The damaged file was kept (as it was) for anyone who can recover more from it.
    assert any("damaged" in b.reason for b in list_backups(db_path))


def test_corrupt_database_dialog_without_a_backup_only_offers_to_quit(qtbot: QtBot, tmp_path: Path):
    path = tmp_path / "deckfollow.db"
    path.write_bytes(b"garbage" * 1000)
    dlg = CorruptDatabaseDialog(check_integrity(path))
    qtbot.addWidget(dlg)
    assert dlg.restore_button is None
    assert "No good backup was found" in dlg.offer.text()
    qtbot.mouseClick(dlg.quit_button, Qt.MouseButton.LeftButton)
    assert dlg.result() == CorruptDatabaseDialog.DialogCode.Rejected
    assert path.read_bytes() == b"garbage" * 1000


def test_trash_dialog_restores_erases_and_empties(
    qtbot: QtBot, db: Database, db_path: Path, now: datetime
):
    ada = _lead(db, "Ada Lovelace", now)
    grace = _lead(db, "Grace Hopper", now)
    alan = _lead(db, "Alan Turing", now)
    auto_backup(db_path, now=now)
    with db.unit_of_work() as s:
        revoke_consent(s, grace.customer_id, None, source="email", words="stop", now=now)
        trash_customer(s, ada.customer_id, now=now)
        trash_customer(s, grace.customer_id, now=now)
        trash_quote(s, alan.quote_id, now=now - timedelta(days=45))
    Operations(db)  # the window's database thread: the trash is read and emptied there
    dlg = TrashDialog(db, clock=lambda: now)
    qtbot.addWidget(dlg)
    dlg.show()
    settle(qtbot, dlg)
    assert dlg.table.rowCount() == 3
    assert _cell(dlg.table, 0, 1).endswith("(and 1 quote)")

    dlg.select(CUSTOMER, ada.customer_id)
    with qtbot.waitSignal(dlg.changed):
        qtbot.mouseClick(dlg.restore_button, Qt.MouseButton.LeftButton)
    settle(qtbot, dlg)
    assert dlg.status.text() == "Restored Ada Lovelace."
    assert dlg.table.rowCount() == 2

    dlg.select(CUSTOMER, grace.customer_id)
    with qtbot.waitSignal(dlg.changed):
        _answer("Erase for good")
        qtbot.mouseClick(dlg.erase_button, Qt.MouseButton.LeftButton)
    settle(qtbot, dlg)
    assert dlg.status.text() == "Grace Hopper was erased for good."
    assert "2 backups still hold them" in dlg.report.toPlainText()
    with db.reading() as s:
        assert s.get(Customer, grace.customer_id) is None
        assert s.scalars(select(Suppression)).one().reason == "privacy request"
    # The privacy request is finished from here: the copies in the backups go too.
    assert dlg.delete_backups_button.isVisible()
    assert dlg.delete_backups_button.text() == "Delete those 2 backups…"
    _answer("Delete 2 backups")
    qtbot.mouseClick(dlg.delete_backups_button, Qt.MouseButton.LeftButton)
    settle(qtbot, dlg)
    assert list_backups(db_path) == []
    assert not dlg.delete_backups_button.isVisible()
    assert dlg.status.text().startswith("Deleted 2 backups")

    assert not dlg.erase_button.isEnabled()  # a quote alone is not "erased", only emptied
    _answer("Empty trash")
    qtbot.mouseClick(dlg.empty_button, Qt.MouseButton.LeftButton)
    settle(qtbot, dlg)
    assert dlg.status.text() == "Removed 0 customers and 1 quote for good."
    assert dlg.empty_note.isVisible() and not dlg.table.isVisible()


def test_backups_keep_coming_while_the_app_stays_open_for_days(
    qtbot: QtBot, db: Database, db_path: Path, now: datetime
):
    """The app lives in the tray for a week: a daily copy every day, a weekly each week."""
    from deckfollow.ui.backups import BackupScheduler

    _lead(db, "Ada Lovelace", now)
    clock = {"now": now}
    scheduler = BackupScheduler(db, clock=lambda: clock["now"])
    made: list[list[Path]] = []
    scheduler.made.connect(made.append)
    for day in range(9):
        for hour in (0, 1):  # two checks a day: the second finds today's copy there
            clock["now"] = now + timedelta(days=day, hours=hour)
            with qtbot.waitSignal(scheduler.finished, timeout=10_000):
                assert scheduler.check_now()
    kinds = [b.kind for b in list_backups(db_path)]
    assert kinds.count("daily") == 7  # the last seven days, older ones rotated away
    assert kinds.count("weekly") == 3  # Sun 22 Nov, then the weeks from Mon 23 and Mon 30
    assert len(made) == 9  # one check a day made something; the second found it done


def test_a_failed_scheduled_backup_is_reported_and_tried_again(
    qtbot: QtBot, db: Database, db_path: Path, now: datetime
):
    from deckfollow.ui.backups import BackupScheduler

    _lead(db, "Ada Lovelace", now)
    folder = db_path.parent / "backups"
    folder.write_text("a file where the backups folder should be")
    scheduler = BackupScheduler(db, clock=lambda: now)
    failures: list[str] = []
    scheduler.failed.connect(failures.append)
    with qtbot.waitSignal(scheduler.finished, timeout=10_000):
        scheduler.check_now()
    assert failures and failures[0].startswith("Today's backup could not be made")
    folder.unlink()
    with qtbot.waitSignal(scheduler.made, timeout=10_000):
        scheduler.check_now()
    assert sorted(b.kind for b in list_backups(db_path)) == ["daily", "weekly"]
