"""The GUI's "cannot open its database" message names a team database without its password."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from deckfollow.ui.app import _open_with_checks

SECRET = "Zq8SECRETpw"
URLS = (
    f"postgresql+psycopg://pia:{SECRET}@127.0.0.1:1/biz",
    f"postgresql+psycopg://pia:{SECRET}@127.0.0.1:notaport/biz",
    f"mysql+pymysql://pia:{SECRET}@127.0.0.1/biz",
    f"postgresql+psycopg://pia@127.0.0.1:1/biz?password={SECRET}",
)


@pytest.mark.parametrize("url", URLS)
def test_the_open_failure_dialog_hides_the_password(
    url: str, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []

    def critical(_parent: QWidget | None, _title: str, text: str, *_: object) -> None:
        shown.append(text)

    monkeypatch.setattr(QMessageBox, "critical", staticmethod(critical))
    assert _open_with_checks(url, lambda: datetime(2026, 11, 22, tzinfo=UTC)) is None
    assert len(shown) == 1
    assert SECRET not in shown[0]
    assert "***" in shown[0] or "not a database URL" in shown[0]
