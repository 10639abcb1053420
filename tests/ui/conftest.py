"""Shared set-up for the GUI tests."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from PySide6.QtCore import QLocale, QSettings
from PySide6.QtWidgets import QApplication

import deckfollow.ui as ui_package
from deckfollow.storage.database import Database
from deckfollow.storage.thread_guard import watch_statements
from deckfollow.ui import formatting
from deckfollow.ui.garbage import GuiThreadCollector, collect_on_gui_thread
from deckfollow.ui.operations import Operations


@pytest.fixture(autouse=True)
def _owner_clock_from_this_computer() -> Iterator[None]:
    """Each test starts with the owner's clock unknown (the computer's) and the locale it
    found, as a fresh app does: a zone or country saved by one test must not leak into the
    next."""
    locale = QLocale()
    formatting._OWNER_ZONE.clear()
    yield
    formatting._OWNER_ZONE.clear()
    QLocale.setDefault(locale)


# Every window's operations a test made, so their database thread has finished before the
# test's database closes (the window itself is closed only after that, by qtbot).
_OPERATIONS_MADE: list[Operations] = []


@pytest.fixture(autouse=True)
def _operations_noted(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    made = Operations.__init__

    def noting(self: Operations, *args: Any, **kwargs: Any) -> None:
        made(self, *args, **kwargs)
        _OPERATIONS_MADE.append(self)

    monkeypatch.setattr(Operations, "__init__", noting)
    yield
    _OPERATIONS_MADE.clear()


@pytest.fixture
def first_run_layout() -> Iterator[None]:
    """The window opens as on its first run: no panels remembered from another test's window."""
    QSettings().remove("main/state")
    yield
    QSettings().remove("main/state")


def close_operations() -> None:
    """Let every window's database thread the test made finish and stop: call it before a
    database of the test's own closes. A save still running then would hand its connection
    back to a pool already disposed of, and that connection would be left open (a server's
    was found by a later test, as a ResourceWarning)."""
    for ops in _OPERATIONS_MADE:
        if not ops.is_closed():
            ops.close()


@pytest.fixture
def db(db: Database) -> Iterator[Database]:
    """The shared database, closed only once no window's database thread still uses it: a
    read still running when its connection closed crashed the test run."""
    yield db
    close_operations()


@pytest.fixture(autouse=True)
def _garbage_collected_on_the_gui_thread(qapp: QApplication) -> Iterator[GuiThreadCollector]:
    """As in the app: while a test's window is up, garbage is collected on the GUI thread
    only (a collection on a window's database thread destroyed Qt objects there and crashed
    the run), and what the test left behind is collected there once it ends, as after a
    window closes."""
    collector = collect_on_gui_thread(qapp)
    yield collector
    collector.stop()


# GUI modules that still run SQL on the GUI thread, each with the reason. Every other GUI
# module goes through `deckfollow.ui.operations`; a statement from one of them on the GUI
# thread fails the test that ran it.
GUI_THREAD_SQL_ALLOWED: dict[str, str] = {
    "app.py": "the database is closed (its statistics brought up to date) after the window",
}

_UI_DIR = Path(ui_package.__file__).resolve().parent
_TESTS_DIR = Path(__file__).resolve().parent.parent


def _gui_module_running_sql() -> str | None:
    """The innermost GUI module on the stack, as a path inside `deckfollow/ui`."""
    frame: FrameType | None = sys._getframe(2)
    while frame is not None:
        path = Path(frame.f_code.co_filename)
        if path.is_relative_to(_TESTS_DIR):
            return None  # the test's own set-up or check (even inside a dialog's loop)
        if path.is_relative_to(_UI_DIR):
            return f"{path.relative_to(_UI_DIR).as_posix()}:{frame.f_lineno}"
        frame = frame.f_back
    return None


@pytest.fixture(autouse=True)
def _no_sql_on_the_gui_thread() -> Iterator[None]:
    """Fail a test whose GUI ran a database statement on the GUI thread, where it would
    freeze the window for as long as the database takes to answer."""
    gui_thread = threading.main_thread().ident
    offences: list[str] = []

    def watch(statement: str) -> None:
        if threading.get_ident() != gui_thread:
            return
        where = _gui_module_running_sql()
        if where is None or where.rsplit(":", 1)[0] in GUI_THREAD_SQL_ALLOWED:
            return  # the test's own set-up or checks, or a module not yet converted
        offences.append(f"{where}: {statement.split(None, 1)[0]}")

    stop = watch_statements(watch)
    yield
    stop()
    if offences:
        pytest.fail("SQL ran on the GUI thread:\n" + "\n".join(sorted(set(offences))))


# What runs an event loop of its own until the user answers: a dialog's or menu's exec(),
# and the static questions and pickers built on it.
_NESTED_LOOPS: dict[str, tuple[str, ...]] = {
    "QDialog": ("exec",),
    "QMenu": ("exec",),
    "QEventLoop": ("exec",),
    "QMessageBox": ("warning", "information", "question", "critical"),  # exec: QDialog's
    "QFileDialog": (
        "getOpenFileName",
        "getOpenFileNames",
        "getSaveFileName",
        "getExistingDirectory",
    ),
    "QInputDialog": ("getText", "getItem", "getInt", "getDouble"),
}


@pytest.fixture(autouse=True)
def _no_nested_loop_inside_an_operations_answer(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail a test whose GUI ran a loop of its own (a dialog's exec()) while handing over an
    operation's result: every later result would wait behind the user's answer, and a window
    closed meanwhile would stop the database under it. Such questions are opened instead."""
    from PySide6 import QtCore, QtWidgets

    from deckfollow.ui.operations import Operations

    delivering: list[int] = [0]
    offences: list[str] = []
    deliver = Operations._deliver

    def counted(self: Operations, *args: object) -> None:
        delivering[0] += 1
        try:
            deliver(self, *args)  # type: ignore[arg-type]
        finally:
            delivering[0] -= 1

    monkeypatch.setattr(Operations, "_deliver", counted)
    for class_name, names in _NESTED_LOOPS.items():
        cls = getattr(QtWidgets, class_name, None) or getattr(QtCore, class_name)
        for name in names:
            monkeypatch.setattr(cls, name, _noting(cls, name, delivering, offences))
    yield
    if offences:
        pytest.fail("A loop of its own ran inside an operation's answer:\n" + "\n".join(offences))


def _noting(cls: type, name: str, delivering: list[int], offences: list[str]) -> object:
    original = cls.__dict__[name] if name in cls.__dict__ else getattr(cls, name)
    static = isinstance(original, staticmethod) or not hasattr(original, "__get__")
    call = getattr(cls, name)

    def noted(*args: object, **kwargs: object) -> object:
        if delivering[0]:
            where = _gui_module_running_sql() or "the test itself"
            offences.append(f"{cls.__name__}.{name} from {where}")
        return call(*args, **kwargs)

    return staticmethod(noted) if static else noted
