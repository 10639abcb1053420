"""Waiting, as a user would, for the window's database work to finish."""

from __future__ import annotations

from collections.abc import Callable

from pytestqt.qtbot import QtBot

from deckfollow.ui.operations import Operations


def settle(qtbot: QtBot, ops: Operations | object, timeout: int = 15000) -> None:
    """Until every change and read asked of `ops` (or a window's `ops`) has been shown."""
    worker = _operations_of(ops)
    qtbot.waitUntil(worker.is_idle, timeout=timeout)


def wait_idle(ops: Operations | object, timeout: int = 15000) -> None:
    """`settle` for helpers without a `qtbot`: the event loop runs while waiting."""
    import time

    from PySide6.QtTest import QTest

    worker = _operations_of(ops)
    deadline = time.monotonic() + timeout / 1000
    while not worker.is_idle():
        if time.monotonic() > deadline:
            raise AssertionError("the window's database work did not finish")
        QTest.qWait(5)
    QTest.qWait(0)  # what the last result queued (a repaint, a timer at 0) runs too


def wait_for(condition: Callable[[], object], timeout: int = 15000) -> None:
    """Until `condition()` holds (a question answered), the event loop running meanwhile."""
    import time

    from PySide6.QtTest import QTest

    deadline = time.monotonic() + timeout / 1000
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("what the test waited for did not happen")
        QTest.qWait(5)


def _operations_of(holder: Operations | object) -> Operations:
    """The operations themselves, a window's (`ops`) or a page's that was handed them."""
    if isinstance(holder, Operations):
        return holder
    for name in ("ops", "_ops"):
        found = getattr(holder, name, None)
        if isinstance(found, Operations):
            return found
    raise TypeError(f"{holder!r} runs no database work")
