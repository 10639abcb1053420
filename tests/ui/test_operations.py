"""The one path for changes and reads: off the GUI thread, in order, errors in one place."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from deckfollow.core.changes import Changes
from deckfollow.core.errors import ConcurrentEditError, DeckfollowError, ValidationError
from deckfollow.core.settings import get_setting, save_owner_settings, set_setting
from deckfollow.core.unit_of_work import Session
from deckfollow.storage.database import Database
from deckfollow.ui import operations
from deckfollow.ui.operations import BUSY_AFTER_MS, Operations


@pytest.fixture
def ops(qtbot: QtBot, db: Database) -> Iterator[Operations]:
    worker = Operations(db)
    yield worker
    worker.close()


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []

    def opened(box: QMessageBox) -> None:  # the error box, as the user would see it open
        shown.append((box.windowTitle(), box.text()))
        box.deleteLater()

    monkeypatch.setattr(QMessageBox, "open", opened)
    return shown


def test_a_change_is_saved_off_the_gui_thread_and_announced_with_who_asked(
    qtbot: QtBot, ops: Operations, db: Database
) -> None:
    view = QWidget()
    qtbot.addWidget(view)
    threads: list[int] = []
    announced: list[tuple[Changes, object]] = []
    succeeded: list[Changes] = []
    ops.changes_applied.connect(lambda changes, who: announced.append((changes, who)))

    def op(session: Session) -> Changes:
        threads.append(threading.get_ident())
        return save_owner_settings(session, {"business_name": "Hill Roofing"})

    ops.run_change(view, op, initiator=view, success=succeeded.append)
    qtbot.waitUntil(ops.is_idle)

    assert threads and threads[0] != threading.get_ident()
    assert succeeded and succeeded[0].settings
    assert announced == [(succeeded[0], view)]
    with db.reading() as session:
        assert get_setting(session, "business_name") == "Hill Roofing"


def test_operations_run_and_report_in_the_order_they_were_asked(
    qtbot: QtBot, ops: Operations, db: Database
) -> None:
    seen: list[str] = []
    for n in range(10):

        def op(session: Session, n: int = n) -> Changes:
            set_setting(session, "ui.counter", str(n))
            return Changes(settings=True)

        def wrote(_changes: Changes, n: int = n) -> None:
            seen.append(f"wrote {n}")

        ops.run_change(None, op, success=wrote)
        ops.run_query(
            None,
            lambda session: get_setting(session, "ui.counter"),
            success=lambda value: seen.append(f"read {value}"),
        )
    qtbot.waitUntil(ops.is_idle)
    assert seen == [line for n in range(10) for line in (f"wrote {n}", f"read {n}")]


def test_a_domain_error_is_shown_in_one_place_and_nothing_is_saved_or_announced(
    qtbot: QtBot, ops: Operations, db: Database, warnings: list[tuple[str, str]]
) -> None:
    announced: list[object] = []
    ops.changes_applied.connect(lambda *args: announced.append(args))

    def op(session: Session) -> Changes:
        set_setting(session, "business_name", "Half written")
        raise ValidationError("Business name", "is taken")

    ops.run_change(None, op, error_title="Your business was not saved")
    qtbot.waitUntil(ops.is_idle)

    assert warnings == [("Your business was not saved", "Business name: is taken")]
    assert announced == []
    with db.reading() as session:
        assert get_setting(session, "business_name") is None  # rolled back


def test_a_caller_can_handle_its_own_error_instead(
    qtbot: QtBot, ops: Operations, warnings: list[tuple[str, str]]
) -> None:
    handled: list[DeckfollowError] = []

    def op(_session: Session) -> Changes:
        raise ConcurrentEditError("someone else changed this quote", who="Sam")

    ops.run_change(None, op, failure=handled.append)
    qtbot.waitUntil(ops.is_idle)
    assert [type(e) for e in handled] == [ConcurrentEditError]
    assert handled[0].who == "Sam"  # type: ignore[attr-defined]
    assert warnings == []


def test_the_window_keeps_answering_while_a_slow_change_runs_and_shows_it_is_busy(
    qtbot: QtBot, ops: Operations
) -> None:
    dialog = QDialog()
    save = QPushButton("Save", dialog)
    qtbot.addWidget(dialog)
    dialog.show()
    release = threading.Event()
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(20)
    busy: list[bool] = []
    ops.busy.connect(busy.append)

    def slow(_session: Session) -> Changes:
        release.wait(10)
        return Changes(settings=True)

    ops.run_change(dialog, slow)
    assert dialog.isEnabled()  # a quick save would never flicker the dialog
    qtbot.waitUntil(lambda: busy == [True], timeout=BUSY_AFTER_MS * 10)
    assert not save.isEnabled()
    assert QApplication.overrideCursor() is not None
    assert len(ticks) >= 3  # the event loop ran all along
    release.set()
    qtbot.waitUntil(ops.is_idle)
    timer.stop()
    assert busy == [True, False]
    assert save.isEnabled()
    assert QApplication.overrideCursor() is None


def test_a_dialog_closed_before_its_change_finished_is_left_alone_but_views_hear_of_it(
    qtbot: QtBot, ops: Operations
) -> None:
    dialog = QDialog()
    release = threading.Event()
    called: list[object] = []
    announced: list[object] = []
    ops.changes_applied.connect(lambda changes, _who: announced.append(changes))

    def op(_session: Session) -> Changes:
        release.wait(10)
        return Changes(quotes=True)

    ops.run_change(dialog, op, success=called.append)
    dialog.deleteLater()
    QApplication.processEvents()
    release.set()
    qtbot.waitUntil(ops.is_idle)
    assert called == []
    assert announced == [Changes(quotes=True)]


def test_a_defect_is_not_mistaken_for_a_users_mistake(
    qtbot: QtBot, ops: Operations, warnings: list[tuple[str, str]]
) -> None:
    def op(_session: Session) -> Changes:
        raise KeyError("bug")

    with qtbot.captureExceptions() as caught:
        ops.run_change(None, op)
        qtbot.waitUntil(ops.is_idle)
    assert [type(exc) for _kind, exc, _tb in caught] == [KeyError]
    assert warnings == []


def test_a_task_uses_the_handle_itself_and_may_announce_its_changes(
    qtbot: QtBot, ops: Operations, db: Database, now: datetime
) -> None:
    announced: list[Changes] = []
    ops.changes_applied.connect(lambda changes, _who: announced.append(changes))
    results: list[object] = []
    operations.run_task(
        None, lambda: ops.store.display, success=results.append, changes=Changes(customers=True)
    )
    qtbot.waitUntil(ops.is_idle)
    assert results == [db.display]
    assert announced == [Changes(customers=True)]


def test_a_service_answering_more_than_its_changes_hands_over_both(
    qtbot: QtBot, ops: Operations, db: Database
) -> None:
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class Saved:
        changes: Changes
        name: str

    answers: list[Saved] = []
    announced: list[Changes] = []
    ops.changes_applied.connect(lambda changes, _who: announced.append(changes))

    def op(session: Session) -> Saved:
        changes = save_owner_settings(session, {"business_name": "Hill Roofing"})
        return Saved(changes, "Hill Roofing")

    ops.run_change(None, op, success=answers.append)
    qtbot.waitUntil(ops.is_idle)
    assert [a.name for a in answers] == ["Hill Roofing"]
    assert announced == [answers[0].changes] and announced[0].settings


def test_a_read_answered_after_the_window_closed_is_dropped_but_a_save_still_counts(
    qtbot: QtBot, db: Database, warnings: list[tuple[str, str]]
) -> None:
    worker = Operations(db)
    window = QWidget()
    qtbot.addWidget(window)
    release = threading.Event()
    read: list[object] = []
    refused: list[DeckfollowError] = []
    saved: list[Changes] = []

    def slow_read(session: Session) -> str | None:
        release.wait(10)
        return get_setting(session, "business_name")

    def missing(_session: Session) -> None:
        raise ValidationError("customer", "no such customer")

    worker.run_query(window, slow_read, success=read.append)
    worker.run_query(window, missing, success=read.append, failure=refused.append)
    worker.run_query(window, missing, success=read.append)  # would show its error
    worker.run_change(
        window, lambda s: save_owner_settings(s, {"business_name": "Ridge"}), success=saved.append
    )
    release.set()
    worker.close()  # a switch of database: what was asked finishes, then the thread stops
    qtbot.waitUntil(worker.is_idle)

    assert read == [] and refused == [] and warnings == [], "nobody is left to show them to"
    assert len(saved) == 1 and saved[0].settings, "the save still counts"
    with db.reading() as s:
        assert get_setting(s, "business_name") == "Ridge"


def test_the_welcome_read_before_a_switch_of_database_is_not_shown_over_the_closed_window(
    qtbot: QtBot, db: Database, now: datetime
) -> None:
    from deckfollow.ui.app import offer_welcome
    from deckfollow.ui.main_window import MainWindow
    from deckfollow.ui.welcome import WelcomeDialog

    window = MainWindow(db, clock=lambda: now)
    qtbot.addWidget(window)
    window.show()
    offer_welcome(window, lambda: now)  # an empty database: the welcome would be asked
    window.ops.close()  # the owner switched to the team database meanwhile
    qtbot.waitUntil(window.ops.is_idle)
    QApplication.processEvents()
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, WelcomeDialog)]
