"""The full integrity check runs once the data is on screen: nothing is written to the file
before it passed, and a file it finds damaged still leads the user to their backup."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from deckfollow.core.leads import NewLead, add_lead
from deckfollow.demo.generator import generate_demo
from deckfollow.storage.backup_catalogue import list_backups, take_backup
from deckfollow.storage.database import Database, open_database
from deckfollow.storage.integrity import CorruptDatabaseError, check_integrity
from deckfollow.ui.app import check_after_showing, run_gui
from deckfollow.ui.backups import CorruptDatabaseDialog
from deckfollow.ui.main_window import MainWindow


def _break_a_link(path: Path) -> None:
    """A touch pointing at a customer that does not exist: the cheap check at start cannot
    see it (only the full check's `foreign_key_check` does), as with much real damage."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("UPDATE touch SET customer_id = 999999 WHERE id = (SELECT min(id) FROM touch)")
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def _demo(db: Database, now: datetime) -> Path:
    with db.unit_of_work() as session:
        generate_demo(session, customers=20, quotes=40, seed=3, now=now, country="AU")
    db.close()
    assert db.path is not None
    return db.path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_cheap_check_lets_the_file_open_and_the_full_check_finds_the_damage(
    db: Database, now: datetime
) -> None:
    path = _demo(db, now)
    _break_a_link(path)
    assert check_integrity(path, full=False).ok, "the damage is one only the full check sees"
    assert check_integrity(path).damaged


def test_a_write_waits_for_the_full_check_and_a_damaged_file_is_never_written(
    qtbot: QtBot, db: Database, now: datetime
) -> None:
    path = _demo(db, now)
    _break_a_link(path)
    before = _digest(path)
    opened = open_database(str(path), create=False)
    outcomes: list[object] = []
    check_after_showing(opened, outcomes.append)
    # Asked at once, before the check could finish: the write waits for it, then is refused.
    with pytest.raises(CorruptDatabaseError, match="damaged"), opened.unit_of_work() as session:
        add_lead(session, NewLead("Written too early", answered=True), now=now)
    qtbot.waitUntil(lambda: bool(outcomes))
    opened.close()
    report = outcomes[0]
    assert getattr(report, "damaged", False)
    assert _digest(path) == before


def test_a_sound_file_is_written_once_the_full_check_passed(
    qtbot: QtBot, db: Database, now: datetime
) -> None:
    path = _demo(db, now)
    opened = open_database(str(path), create=False)
    outcomes: list[object] = []
    check_after_showing(opened, outcomes.append)
    with opened.unit_of_work() as session:
        add_lead(session, NewLead("Saved after the check", answered=True), now=now)
    qtbot.waitUntil(lambda: bool(outcomes))
    assert getattr(outcomes[0], "ok", False)
    assert opened.write_gate is None  # later writes no longer wait
    opened.close()


def test_damage_found_after_the_data_showed_leads_to_the_backup(
    qtbot: QtBot, db: Database, now: datetime
) -> None:
    """The quotes show at once; the full check then finds the damage, the database is closed,
    the user restores the newest good backup, and the app opens the restored file."""
    path = _demo(db, now)
    take_backup(path, "daily", now=now)
    _break_a_link(path)
    damaged = _digest(path)
    QSettings().setValue("main/last_page", "quotes")
    seen: list[tuple[int, str]] = []

    def restore() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, CorruptDatabaseDialog):
            QTimer.singleShot(20, restore)
            return
        shown = [
            w.quotes.model.total
            for w in QApplication.topLevelWidgets()
            if isinstance(w, MainWindow) and w.isVisible() and hasattr(w, "quotes")
        ]
        seen.append((max(shown, default=0), _digest(path)))
        assert dialog.restore_button is not None
        dialog.restore_button.click()

    def quit_once_reopened() -> None:
        reopened = [  # the window of the restored file (the first one's database closed)
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, MainWindow)
            and w.isVisible()
            and hasattr(w, "quotes")
            and not w.ops.is_closed()
        ]
        if seen and reopened and reopened[0].quotes.model.total and reopened[0].ops.is_idle():
            QApplication.exit(0)
        else:
            QTimer.singleShot(20, quit_once_reopened)

    QTimer.singleShot(0, restore)
    QTimer.singleShot(0, quit_once_reopened)
    assert run_gui(str(path), clock=lambda: now) == 0
    assert len(seen) == 1, "the damage was explained once, and the restored file passed"
    quotes_shown, digest_then = seen[0]
    assert quotes_shown == 40, "the data showed before the full check finished"
    assert digest_then == damaged, "nothing was written to the damaged file meanwhile"
    assert check_integrity(path).ok
    # What the damaged file held was kept beside the backups, for anyone who can mend it.
    kept = [b for b in list_backups(path) if b.reason == "restore"]
    assert kept and check_integrity(kept[0].path, find_backup=False).damaged


def test_a_write_asked_before_the_check_started_waits_for_it_too(
    db: Database, now: datetime
) -> None:
    """The gate is set the moment the file opens: a write that reaches the database before
    the check has even begun (the page still filling) waits and is refused on damage."""
    import threading

    from deckfollow.storage.integrity import OwedCheck

    path = _demo(db, now)
    _break_a_link(path)
    before = _digest(path)
    opened = open_database(str(path), create=False)
    owed = OwedCheck(opened)
    refused: list[BaseException] = []

    def write() -> None:
        try:
            with opened.unit_of_work() as session:
                add_lead(session, NewLead("Written before the check", answered=True), now=now)
        except CorruptDatabaseError as exc:
            refused.append(exc)

    writer = threading.Thread(target=write)
    writer.start()
    writer.join(0.3)
    assert writer.is_alive(), "the write waits for the check"
    assert owed.run().damaged
    writer.join(10)
    opened.close()
    assert len(refused) == 1
    assert _digest(path) == before


def test_a_write_still_waiting_when_the_app_closes_is_not_saved(
    db: Database, now: datetime
) -> None:
    import threading

    from deckfollow.core.errors import StorageError
    from deckfollow.storage.integrity import OwedCheck

    path = _demo(db, now)
    before = _digest(path)
    opened = open_database(str(path), create=False)
    owed = OwedCheck(opened)
    failed: list[BaseException] = []

    def write() -> None:
        try:
            with opened.unit_of_work() as session:
                add_lead(session, NewLead("Asked as the app closed", answered=True), now=now)
        except StorageError as exc:
            failed.append(exc)

    writer = threading.Thread(target=write)
    writer.start()
    writer.join(0.3)
    owed.abandon()
    writer.join(10)
    opened.close()
    assert [str(e) for e in failed] == [
        f"{path} closed before its check finished; nothing was saved"
    ]
    assert _digest(path) == before
