"""After a move or a join the app reopens on the team database by itself, and the next
start opens it again: the connection from the remembered settings, the password from the
credentials store."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from keyring.backends import null
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy.engine import make_url

from deckfollow.messaging.credentials import CredentialStore
from deckfollow.storage import team_connection
from deckfollow.storage.team_connection import TeamConnection
from deckfollow.ui.app import make_application, run_gui
from deckfollow.ui.main_window import MainWindow
from deckfollow.ui.team.settings_page import request_switch, team_target_at_start
from tests.storage.pg_server import postgres_server


@pytest.fixture
def pg_url() -> Iterator[str]:
    with postgres_server() as url:
        yield url


def test_the_app_reopens_on_the_database_it_switched_to(
    tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # the app installs its own
    app = make_application([])
    opened: list[str] = []

    def step() -> None:
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible() and widget.isModal():
                widget.close()  # the first-start welcome
        window = next(
            (
                w
                for w in QApplication.topLevelWidgets()
                if isinstance(w, MainWindow) and w.isVisible()
            ),
            None,
        )
        if window is None or not hasattr(window, "db") or window.db.display in opened:
            return
        opened.append(window.db.display)
        if len(opened) == 1:
            request_switch(window, pg_url)  # what Settings › Team does after a move
        else:
            QApplication.exit(0)

    timer = QTimer()
    timer.timeout.connect(step)
    timer.start(200)
    assert run_gui(str(tmp_path / "mine.db")) == 0
    timer.stop()
    app.processEvents()
    assert opened == [str(tmp_path / "mine.db"), make_url(pg_url).render_as_string()]


def test_the_next_start_finds_the_team_database_and_its_password(tmp_path: Path) -> None:
    config = tmp_path / "team.json"
    store = CredentialStore(null.Keyring())  # type: ignore[no-untyped-call]
    assert team_target_at_start(store, config) is None  # no team: the local file
    conn = TeamConnection("db.example.com", "team", "pia", ca_file="")
    team_connection.remember(conn, config)
    store.put(conn.keyring_account, "pa55 word")
    url = make_url(str(team_target_at_start(store, config)))
    assert (url.host, url.database, url.username, url.password) == (
        "db.example.com", "team", "pia", "pa55 word",
    )  # fmt: skip
    assert url.query["sslmode"] == "verify-full"
