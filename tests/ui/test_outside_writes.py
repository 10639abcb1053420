"""A script or the command line writing the open file: every page follows within seconds."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from deckfollow.core.changes import Changes
from deckfollow.core.enums import Stage
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.settings import save_setting
from deckfollow.storage.database import Database
from deckfollow.ui.features import install_features
from deckfollow.ui.main_window import MainWindow
from deckfollow.ui.outside_writes import OutsideWrites
from tests.cli.helpers import run_cli
from tests.storage.reading_elsewhere import a_read_on_another_thread
from tests.ui.waiting import settle


def _watched_window(
    qtbot: QtBot, db: Database, now: datetime
) -> tuple[MainWindow, OutsideWrites, list[tuple[Changes, object]]]:
    """The window open on `db`, watching for other programs' writes; what it announces."""
    window = MainWindow(db, clock=lambda: now)
    qtbot.addWidget(window)
    install_features(window, db, lambda: now)
    window.show()
    window.refresh()
    settle(qtbot, window)
    announced: list[tuple[Changes, object]] = []
    window.ops.changes_applied.connect(lambda c, who: announced.append((c, who)))
    watcher = OutsideWrites(window.ops, window)
    watcher.start()
    settle(qtbot, window)
    return window, watcher, announced


def test_a_lead_added_on_the_command_line_shows_in_the_open_window(
    qtbot: QtBot, db: Database, db_path: Path, now: datetime
) -> None:
    with db.unit_of_work() as s:
        save_setting(s, "default_country", "AU")
        save_setting(s, "owner_timezone", "Australia/Sydney")
    window, watcher, announced = _watched_window(qtbot, db, now)

    # The window's own save is its own: nothing is announced twice for it.
    window.ops.run_change(
        None,
        lambda s: add_lead(s, NewLead("Ada Own", phone="0412 345 679", country="AU"), now=now),
    )
    settle(qtbot, window)
    watcher.look()
    settle(qtbot, window)
    assert [who for _c, who in announced] == [None]

    done = run_cli(
        "--db", str(db_path), "--now", now.isoformat(),
        "add-lead", "--name", "Tom Bradley", "--phone", "0413 555 019", "--job", "deck",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    quote_id = int(done.stdout.split("quote ")[-1])
    qtbot.waitUntil(lambda: window.board.columns[Stage.LEAD].model.row_of(quote_id) >= 0)
    assert [who for _c, who in announced] == [None, watcher]
    # Today lists his first reply beside the window's own lead's.
    window.show_page("today")
    qtbot.waitUntil(lambda: len(window.today.model.ids_in_order()) == 2)


def test_the_windows_own_save_beside_the_inbox_pass_is_not_read_again(
    qtbot: QtBot, db: Database, now: datetime
) -> None:
    """Another thread of the app (the inbox's pass) reading as the window saves: the save is
    still the window's own, and nothing is read again for it."""
    window, watcher, announced = _watched_window(qtbot, db, now)
    index = window.quotes.model.quote_index

    with a_read_on_another_thread(db) as end_the_read:

        def save(session: Session) -> Changes:
            lead = NewLead("Ada Own", phone="0412 345 679", country="AU")
            changes = add_lead(session, lead, now=now).changes
            end_the_read()  # the pass's read ends before this save is committed
            return changes

        window.ops.run_change(None, save)
        settle(qtbot, window)
    watcher.look()
    settle(qtbot, window)
    assert [who for _c, who in announced] == [None]
    assert window.quotes.model.quote_index is index  # brought up to date, not read again
    assert window.quotes.model.rowCount() == 1
