# mypy: disable-error-code="no-untyped-call"
"""At the details panel's minimum width every contact field shows its label and its value
whole: a cell phone number ("+1 512-345-1669") is not cut to "+1 512-345"."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from deckfollow.core.customers import NewCustomer, add_customer
from deckfollow.storage.database import Database
from deckfollow.ui.main_window import PANEL_MIN_WIDTH, MainWindow
from tests.ui.column_helpers import _no_remembered_columns, business, window
from tests.ui.waiting import wait_idle

__all__ = ["_no_remembered_columns", "business", "window"]


def _whole(field: QLineEdit) -> bool:
    """The field's whole text is in view: its right edge reaches the text's end."""
    field.setCursorPosition(0)  # scrolled to the start, as it shows when filled
    edge = QPoint(field.width() - 6, field.height() // 2)
    return field.cursorPositionAt(edge) == len(field.text())


def _settle() -> None:
    for _ in range(5):
        QApplication.processEvents()


def test_every_contact_field_fits_at_the_panels_minimum_width(
    qtbot: QtBot, window: MainWindow, business: Database, now: datetime
) -> None:
    with business.unit_of_work() as s:
        added = add_customer(
            s,
            NewCustomer(
                "Harper Rodriguez",
                phone="+1 512 345 1669",  # an American mobile, written internationally
                phone_office="+1 512 345 1700",
                phone_home="+1 512 345 1701",
                birthday="1953-11-10",
                suburb="Georgetown",
                region="TX",
                country="US",
            ),
            now=now,
        )
    window.resize(window.minimumWidth(), 800)
    window.open_customer(added.customer_id)
    wait_idle(window)
    window.resizeDocks([window.detail_dock], [PANEL_MIN_WIDTH], Qt.Orientation.Horizontal)
    _settle()
    panel = window.detail
    assert panel.width() <= PANEL_MIN_WIDTH + 4
    cell = panel.fields["phone_cell"]
    assert isinstance(cell, QLineEdit)
    assert cell.text().replace(" ", "").replace("-", "") == "+15123451669"
    for key in ("phone_cell", "phone_office", "phone_home", "birthday", "suburb"):
        field = panel.fields[key]
        assert isinstance(field, QLineEdit)
        assert field.text() and _whole(field), (key, field.text(), field.width())
    for label in panel.contact_box.findChildren(QLabel):
        if label.text():
            assert label.width() >= label.sizeHint().width(), label.text()

    # Roomy again, two fields a row, each still whole.
    window.resize(1400, 900)
    window.resizeDocks([window.detail_dock], [640], Qt.Orientation.Horizontal)
    _settle()
    cell, office = panel.fields["phone_cell"], panel.fields["phone_office"]
    assert cell.y() == office.y() and office.x() > cell.x() + cell.width()
    assert isinstance(cell, QLineEdit) and _whole(cell)
