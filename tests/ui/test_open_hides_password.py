"""The GUI's "cannot open its database" message names a team database without its password."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from deckfollow.ui.app import open_on_database_thread, say_it_cannot_open

SECRET = "Zq8SECRETpw"
URLS = (
    f"postgresql+psycopg://pia:{SECRET}@127.0.0.1:1/biz",
    f"postgresql+psycopg://pia:{SECRET}@127.0.0.1:notaport/biz",
    f"mysql+pymysql://pia:{SECRET}@127.0.0.1/biz",
    f"postgresql+psycopg://pia@127.0.0.1:1/biz?password={SECRET}",
)


@pytest.mark.parametrize("url", URLS)
def test_the_open_failure_dialog_hides_the_password(url: str, qtbot: QtBot) -> None:
    opened = open_on_database_thread(url)
    assert opened.db is None and opened.error is not None
    closed: list[bool] = []
    box = say_it_cannot_open(opened.error, None, lambda: closed.append(True))
    assert isinstance(box, QMessageBox)
    shown = box.text()
    assert SECRET not in shown
    assert "***" in shown or "not a database URL" in shown
    box.accept()
    assert closed == [True], "the app goes on (quits) once the message is closed"
