"""Every interactive widget on every page of the main window has a name a screen reader says.

The name is what Qt's accessibility layer reports: a button's text, a form field's label (its
buddy), or an explicit setAccessibleName.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial

import pytest
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from deckfollow.core.cadence_library import seed_builtin_cadences
from deckfollow.demo.generator import generate_demo
from deckfollow.storage.database import Database
from deckfollow.ui.features import install_features
from deckfollow.ui.main_window import MainWindow
from tests.ui.waiting import settle

INTERACTIVE = (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
)


def accessible_name(widget: QWidget) -> str:
    iface = QAccessible.queryAccessibleInterface(widget)
    return iface.text(QAccessible.Text.Name).strip() if iface is not None else ""


def _describe(widget: QWidget) -> str:
    chain: list[str] = []
    w: QWidget | None = widget
    while w is not None and len(chain) < 4:
        chain.append(w.objectName() or type(w).__name__)
        w = w.parentWidget()
    return " < ".join(chain)


def unnamed(root: QWidget) -> list[str]:
    """The visible interactive widgets under `root` a screen reader would not name."""
    missing = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, INTERACTIVE) or not widget.isVisibleTo(root):
            continue
        if isinstance(widget.parentWidget(), (QComboBox, QAbstractSpinBox)):
            continue  # a combo's or spin box's inner editor: the outer widget is named
        if isinstance(widget.parentWidget(), QAbstractItemView):
            continue  # a view's headers: their sections are named by the column titles
        if type(widget).__name__ in {"QScrollBar", "QToolBarExtension"}:
            continue  # Qt's own parts, named by Qt's accessibility layer by role
        if not accessible_name(widget):
            missing.append(f"{type(widget).__name__}: {_describe(widget)}")
    return missing


@pytest.fixture
def window(qtbot: QtBot, db: Database, now: datetime) -> MainWindow:
    with db.unit_of_work() as session:
        seed_builtin_cadences(session)
        generate_demo(session, customers=20, quotes=40, seed=5, now=now, country="AU")
    win = MainWindow(db, clock=lambda: now)
    qtbot.addWidget(win)
    install_features(win, db, lambda: now)
    win.resize(1400, 900)
    win.show()
    win.refresh()
    QApplication.processEvents()
    return win


def test_every_page_names_every_control(window: MainWindow):
    missing: dict[str, list[str]] = {}
    for row in range(window.nav.count()):
        window.nav.setCurrentRow(row)
        QApplication.processEvents()
        page = window.nav.item(row).text()
        found = unnamed(window)
        if found:
            missing[page] = sorted(set(found))
    assert not missing, "\n".join(f"{page}: {items}" for page, items in missing.items())


SKIP_ACTIONS = {"&Quit", "&About deckfollow"}


def test_every_dialog_from_the_menus_names_every_control(qtbot: QtBot, window: MainWindow):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QDialog

    missing: dict[str, list[str]] = {}
    inspected: list[str] = []

    def inspect_and_close(entry: str, tries: int = 50) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            if not window.ops.is_idle():
                # A dialog asked from what a read found opens once that read has answered.
                QTimer.singleShot(20, lambda: inspect_and_close(entry, tries))
            elif tries > 0:  # an entry that opens no dialog leaves nothing to inspect
                QTimer.singleShot(20, lambda: inspect_and_close(entry, tries - 1))
            else:
                inspected.append(entry)
            return
        found = unnamed(dialog)
        if found:
            missing[dialog.windowTitle()] = sorted(set(found))
        if isinstance(dialog, QDialog):
            dialog.reject()
        else:
            dialog.close()
        inspected.append(entry)

    for name in ("File", "Edit", "Tools", "Settings", "Help"):
        for action in window.menu(name).actions():
            if action.isSeparator() or action.text() in SKIP_ACTIONS or action.menu():
                continue
            if action.text().startswith("Show "):
                continue  # opens the file manager, not a dialog
            entry = f"{name} › {action.text()}"
            QTimer.singleShot(0, partial(inspect_and_close, entry))
            action.trigger()
            # The next entry only once this one's dialog was looked at and closed.
            qtbot.waitUntil(partial(inspected.__contains__, entry), timeout=15000)
            settle(qtbot, window)
    assert not missing, "\n".join(f"{title}: {items}" for title, items in missing.items())
