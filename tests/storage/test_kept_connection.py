"""The window's writes all go through the connection it looks through for other programs'
writes, whatever its other threads (the inbox's pass) read meanwhile: it never takes its
own write for another program's and reads everything again."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from sqlalchemy import text

from deckfollow.core.outside_writes import WriteMark, write_mark
from deckfollow.core.settings import set_setting
from deckfollow.storage.database import Database
from tests.storage.reading_elsewhere import a_read_on_another_thread


def _mark(db: Database) -> WriteMark:
    with db.reading() as session:
        mark = write_mark(session)
    assert mark is not None
    return mark


def _write_while_another_thread_reads(db: Database) -> None:
    """A write of this thread's, begun while another thread holds a read and committed once
    that read is over (the order in which the kept connection was lost)."""
    with a_read_on_another_thread(db) as end_the_read, db.unit_of_work() as session:
        set_setting(session, "ui.welcome_done", "1")
        end_the_read()


def test_a_write_beside_another_threads_read_is_the_windows_own(db: Database) -> None:
    db.keep_connection_to_this_thread()
    before = _mark(db)
    _write_while_another_thread_reads(db)
    after = _mark(db)
    assert after.connection == before.connection
    assert not after.moved_since(before)


def test_another_programs_write_is_still_seen(db: Database, db_path: Path) -> None:
    db.keep_connection_to_this_thread()
    before = _mark(db)
    _write_while_another_thread_reads(db)
    with sqlite3.connect(db_path) as other:
        other.execute("UPDATE setting SET value = '2' WHERE key = 'ui.welcome_done'")
    assert _mark(db).moved_since(before)


def test_another_threads_sessions_read_and_write_the_same_file(db: Database) -> None:
    db.keep_connection_to_this_thread()
    seen: list[str | None] = []

    def elsewhere() -> None:
        with db.unit_of_work() as session:
            set_setting(session, "ui.welcome_done", "from the inbox pass")
        with db.reading() as session:
            seen.append(
                session.execute(
                    text("SELECT value FROM setting WHERE key = 'ui.welcome_done'")
                ).scalar_one_or_none()
            )

    thread = threading.Thread(target=elsewhere)
    thread.start()
    thread.join(10)
    assert seen == ["from the inbox pass"]
    with db.reading() as session:
        value = session.execute(
            text("SELECT value FROM setting WHERE key = 'ui.welcome_done'")
        ).scalar_one()
    assert value == "from the inbox pass"


def test_another_threads_write_is_not_taken_for_another_programs(db: Database) -> None:
    """The inbox's pass writing its marks while the window's thread is idle: through the
    kept connection, so the window does not read everything again for it."""
    db.keep_connection_to_this_thread()
    before = _mark(db)

    def pass_marks() -> None:
        with db.unit_of_work() as session:
            set_setting(session, "inbox.last_pass", "2026-12-06T05:00:00+00:00")

    thread = threading.Thread(target=pass_marks)
    thread.start()
    thread.join(10)
    assert not _mark(db).moved_since(before)
