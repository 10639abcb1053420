"""File › Remove sample data… in the window: it says what will go, then only that goes."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.models import Customer, Quote
from deckfollow.demo.generator import generate_demo
from deckfollow.storage.database import Database
from deckfollow.ui.features import install_features
from deckfollow.ui.main_window import MainWindow
from tests.ui.waiting import settle


def _answer(said: list[str], button: str) -> None:
    box = QApplication.activeModalWidget()
    if not isinstance(box, QMessageBox):
        QTimer.singleShot(20, lambda: _answer(said, button))
        return
    said.append(box.text())
    for b in box.buttons():
        if b.text() == button:
            b.click()
            return
    raise AssertionError(f"no {button!r} button in {box.text()!r}")


def test_remove_sample_data_from_the_file_menu(qtbot: QtBot, db: Database, now: datetime) -> None:
    with db.unit_of_work() as session:
        generate_demo(session, customers=40, quotes=90, seed=5, now=now, country="AU")
        own = add_lead(session, NewLead("Priya Raman", phone="0412 777 301"), now=now)
    win = MainWindow(db, clock=lambda: now)
    qtbot.addWidget(win)
    install_features(win, db, lambda: now)
    win.show()
    win.refresh()
    settle(qtbot, win)
    action = win.findChild(QAction, "remove_sample_data")
    assert isinstance(action, QAction)
    file_menu = win.menu("File")
    file_menu.aboutToShow.emit()
    settle(qtbot, win)
    assert action.isVisible()

    said: list[str] = []
    QTimer.singleShot(0, lambda: _answer(said, "Cancel"))
    action.trigger()
    qtbot.waitUntil(lambda: len(said) == 1)  # the question was asked and answered
    settle(qtbot, win)
    assert "40 customers and 90 quotes" in said[0]
    assert "you entered yourself stay" in said[0]
    with db.reading() as session:
        assert session.execute(select(func.count(Customer.id))).scalar_one() == 41

    QTimer.singleShot(0, lambda: _answer(said, "Remove sample data"))
    action.trigger()
    qtbot.waitUntil(lambda: "Sample data removed" in win.statusBar().currentMessage())
    with db.reading() as session:
        names = list(session.scalars(select(Customer.display_name)))
        quotes = list(session.scalars(select(Quote.id)))
    assert names == ["Priya Raman"] and quotes == [own.quote_id]
    file_menu.aboutToShow.emit()
    settle(qtbot, win)
    assert not action.isVisible()  # nothing left to remove
