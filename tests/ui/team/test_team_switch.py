"""After a move or a join the app reopens on the team database by itself, and the next
start opens it again: the connection from the remembered settings, the password from the
credentials store."""

from __future__ import annotations

import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from keyring.backends import null
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy.engine import make_url

from deckfollow.messaging.credentials import CredentialStore
from deckfollow.storage import team_connection
from deckfollow.storage.team_connection import TeamConnection
from deckfollow.ui.app import make_application, run_gui
from deckfollow.ui.main_window import MainWindow
from deckfollow.ui.team import settings_page
from deckfollow.ui.team.settings_page import (
    password_from_keyring,
    request_switch,
    team_target_at_start,
)
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
        # The pages join the window once its database is open.
        if window is None or not hasattr(window, "quotes") or window.ops.store.display in opened:
            return
        opened.append(window.ops.store.display)
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


def test_a_team_server_that_is_away_at_start_offers_the_own_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    mine = tmp_path / "mine.db"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])  # nobody answers here
    conn = TeamConnection("127.0.0.1", "team", "pia", port, tls=False, local_file=str(mine))
    team_connection.remember(conn)
    store = CredentialStore(null.Keyring())  # type: ignore[no-untyped-call]
    store.put(conn.keyring_account, "pa55")
    monkeypatch.setattr(settings_page, "default_store", lambda: store)
    app = make_application([])
    said: list[str] = []
    opened: list[str] = []

    def step() -> None:
        for widget in QApplication.topLevelWidgets():
            if not (widget.isVisible() and widget.isModal()):
                continue
            if isinstance(widget, QMessageBox):
                said.append(widget.text())
                offer = [b for b in widget.buttons() if b.text() == "Open my own file"]
                if offer:
                    offer[0].click()
                    continue
            widget.close()
        shown = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
        window = next((w for w in shown if isinstance(w, MainWindow)), None)
        if window is not None and hasattr(window, "quotes"):  # its database is open
            opened.append(window.ops.store.display)
            QApplication.exit(0)

    timer = QTimer()
    timer.timeout.connect(step)
    timer.start(200)
    assert run_gui(str(tmp_path / "elsewhere.db"), team=True) == 0
    timer.stop()
    app.processEvents()
    assert any("cannot reach the database" in text for text in said), said
    assert any("could not open the team database" in text for text in said), said
    assert opened == [str(mine)]
    assert team_connection.remembered() == conn, "tried again at the next start"


def test_a_team_url_without_its_password_gets_it_from_the_keyring() -> None:
    store = CredentialStore(null.Keyring())  # type: ignore[no-untyped-call]
    conn = TeamConnection("db.example.com", "team", "pia", 6432)
    store.put(conn.keyring_account, "pa55 word")
    given = "postgresql+psycopg://pia@db.example.com:6432/team?sslmode=verify-full"
    url = make_url(password_from_keyring(given, store))
    assert url.password == "pa55 word" and url.query["sslmode"] == "verify-full"
    assert password_from_keyring("/home/pia/mine.db", store) == "/home/pia/mine.db"
    other = "postgresql+psycopg://sam@db.example.com:6432/team"
    assert password_from_keyring(other, store) == other  # nothing kept for sam
