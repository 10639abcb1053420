# mypy: disable-error-code="no-untyped-call"
"""A contact edit saved after a colleague changed the same field: who and when, both values,
and the user's own value applied when they choose it (nothing typed is lost)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.models import Customer
from deckfollow.core.settings import save_setting
from deckfollow.storage.database import Database
from deckfollow.ui.customer_detail.panel import DetailPanel
from deckfollow.ui.operations import Operations
from deckfollow.ui.team.clash import ClashDialog
from tests.ui.waiting import settle


def test_apply_my_change_after_a_colleague_s_edit(
    qtbot: QtBot, db: Database, now: datetime
) -> None:
    with db.unit_of_work() as s:
        save_setting(s, "owner_name", "Dana Owner")
        made = add_lead(s, NewLead("Grace Hopper", phone="+61412000111", country="AU"), now=now)
    ops = Operations(db)  # the window's database thread: the panel reads and saves there
    panel = DetailPanel(db, clock=lambda: now)
    qtbot.addWidget(panel)
    panel.show()
    panel.show_quote(made.quote_id)
    settle(qtbot, ops)
    with db.unit_of_work() as s:  # a colleague, after this panel loaded Grace
        other = s.get(Customer, made.customer_id)
        assert other is not None
        other.email = "theirs@example.com"
    email = panel.fields["email"]
    email.clear()
    qtbot.keyClicks(email, "mine@example.com")
    shown: list[str] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ClashDialog):
            QTimer.singleShot(10, answer)
            return
        shown.append(" | ".join(label.text() for label in dialog.findChildren(QLabel)))
        dialog.apply_mine.click()

    QTimer.singleShot(0, answer)
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(shown))  # the clash was shown and answered
    settle(qtbot, ops)  # the user's own value saved
    assert "changed by Dana Owner at" in shown[0]
    assert "theirs@example.com" in shown[0] and "mine@example.com" in shown[0]
    with db.reading() as s:
        assert s.get(Customer, made.customer_id).email == "mine@example.com"  # type: ignore[union-attr]
    assert not panel.contact_error.isVisible()
