# mypy: disable-error-code="no-untyped-call"
"""Settings › Team on a real PostgreSQL server that asks for a password: test the
connection, move a business onto the empty database, join it from another computer, leave
it again. The password goes to the credentials store only, never to the remembered file."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from keyring.backends import null
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy.engine import make_url

from deckfollow.demo.generator import generate_demo
from deckfollow.messaging.credentials import CredentialStore
from deckfollow.storage import team_connection
from deckfollow.storage.database import Database, open_database
from deckfollow.storage.team_connection import TeamConnection
from deckfollow.storage.team_move import _counts
from deckfollow.ui.operations import Operations
from deckfollow.ui.team.settings_page import TeamSettingsDialog, TeamSettingsPage
from tests.storage.pg_server import new_database, postgres_server

PASSWORD = "s3cret-Pa55"


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with postgres_server(password=PASSWORD) as url:
        yield url


@pytest.fixture
def store() -> CredentialStore:
    return CredentialStore(null.Keyring())  # no keyring here: kept in memory


def _page(qtbot: QtBot, db: Database, store: CredentialStore, config: Path) -> TeamSettingsPage:
    page = TeamSettingsPage(db, credentials=store, config=config)
    qtbot.addWidget(page)
    page.resize(700, 640)
    page.show()
    return page


def _type(page: TeamSettingsPage, url: str, password: str = PASSWORD) -> None:
    parsed = make_url(url)
    page.host.setText(parsed.host or "")
    page.port.setValue(int(parsed.port or 5432))
    page.database.setText(parsed.database or "")
    page.user.setText(parsed.username or "")
    page.password.setText(password)
    page.tls.setChecked(False)  # loopback test server without certificates


def _test(qtbot: QtBot, page: TeamSettingsPage) -> str:
    page.test_button.click()
    qtbot.waitUntil(page.test_button.isEnabled, timeout=15_000)
    return page.result.text() or page.error.text()


def test_a_missing_host_is_named_before_connecting(
    qtbot: QtBot, db: Database, store: CredentialStore, tmp_path: Path
) -> None:
    page = _page(qtbot, db, store, tmp_path / "team.json")
    page.database.setText("deckfollow")
    page.test_button.click()
    assert page.error.text() == "host: give the server's name or address"
    assert page.result.text() == ""
    assert not page.move_button.isEnabled() and not page.join_button.isEnabled()


def test_connection_ok_wrong_password_and_wrong_database(
    qtbot: QtBot, db: Database, store: CredentialStore, tmp_path: Path, server: str
) -> None:
    url = new_database(server, "settings_check")
    page = _page(qtbot, db, store, tmp_path / "team.json")
    _type(page, url)
    assert "is empty: ready for your business" in _test(qtbot, page)
    assert page.move_button.isEnabled() and not page.join_button.isEnabled()
    page.password.setText("not-it")
    page._edited()
    assert not page.move_button.isEnabled(), "a change to the form needs a new test"
    said = _test(qtbot, page)
    assert said == "The server refused the sign-in: wrong password for deckfollow."
    assert not page.move_button.isEnabled()
    page.password.setText(PASSWORD)
    page.database.setText("no_such_team")
    assert "no database called no_such_team" in _test(qtbot, page)
    assert not page.move_button.isEnabled()
    assert not (tmp_path / "team.json").exists(), "testing remembers nothing"


def test_move_a_demo_business_then_join_it_then_leave(
    qtbot: QtBot,
    tmp_path: Path,
    store: CredentialStore,
    server: str,
    now: datetime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = new_database(server, "settings_move")
    config = tmp_path / "team.json"
    mine = tmp_path / "mine.db"
    local = open_database(str(mine))
    with local.unit_of_work() as s:
        generate_demo(s, customers=30, quotes=60, seed=5, now=now)
    ops = Operations(local)  # the window's database thread: the business is moved from there
    page = _page(qtbot, local, store, config)
    _type(page, url)
    _test(qtbot, page)
    with qtbot.waitSignal(page.switch_to, timeout=60_000) as switched:
        page.move_button.click()
    target = str(switched.args[0])
    assert "counts on the server match" in page.result.text()
    assert page.progress.value() == page.progress.maximum() > 0
    assert make_url(target).password == PASSWORD and make_url(target).database == "settings_move"
    # Remembered for the next start without the password; the password kept apart.
    kept = team_connection.remembered(config)
    assert kept is not None and kept.local_file == str(mine)
    assert PASSWORD not in config.read_text()
    assert store.get(kept.keyring_account) == PASSWORD
    team = open_database(target)
    try:
        with local.engine.connect() as a, team.engine.connect() as b:
            here, there = _counts(a), _counts(b)
        there["setting"] -= 1  # the server's own note of who created its schema
        assert here == there and here["quote"] == 60 and here["consent_event"] > 0
    finally:
        ops.close()
        local.close()

    # A colleague's computer with its own empty file joins the team database.
    other = open_database(str(tmp_path / "colleague.db"))
    colleague = CredentialStore(null.Keyring())
    join = _page(qtbot, other, colleague, tmp_path / "colleague.json")
    _type(join, url)
    said = _test(qtbot, join)
    assert "already a deckfollow team database" in said and "30 customers and 60 quotes" in said
    assert join.join_button.isEnabled() and not join.move_button.isEnabled()
    with qtbot.waitSignal(join.switch_to) as joined:
        join.join_button.click()
    assert make_url(str(joined.args[0])).database == "settings_move"
    assert team_connection.remembered(tmp_path / "colleague.json") is not None
    other.close()

    # Back on the first computer, now working on the team database: leave it.
    on_team = _page(qtbot, team, store, config)
    assert "Working on the team database" in on_team.where.text()
    assert on_team.host.text() == "127.0.0.1" and on_team.password.text() == ""
    assert on_team.leave_button.isEnabled() and not on_team.move_button.isEnabled()
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Ok)
    with qtbot.waitSignal(on_team.switch_to) as left:
        on_team.leave_button.click()
    assert left.args[0] == str(mine)
    assert team_connection.remembered(config) is None
    assert store.get(TeamConnection(**{**kept.__dict__}).keyring_account) is None
    team.close()


def test_the_dialog_stays_open_while_the_server_work_runs(
    qtbot: QtBot, db: Database, store: CredentialStore, tmp_path: Path
) -> None:
    dialog = TeamSettingsDialog(db, credentials=store, config=tmp_path / "team.json")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.page._busy(True)  # as while a move runs
    dialog.reject()
    assert dialog.isVisible() and "Still working" in dialog.page.result.text()
    dialog.page._busy(False)
    dialog.reject()
    assert not dialog.isVisible()
