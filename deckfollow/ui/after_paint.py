"""Reads that wait on the database thread until a widget has painted.

A read asked for just as a widget is laid out and painted (a page shown, new rows in a
list, the row chosen moved by a search) ran its Python on the database thread while the
paint ran its own on the GUI thread: the two took turns on the interpreter's lock, and the
window stood still for as long as both took (50-100 ms the first time Today was opened on a
big business; the details panel's read at every key typed into the quote search, beside
the list's repaint). Held until the paint is done, at most `WAIT_S`, the read follows it.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

__all__ = ["WAIT_S", "AfterPaint", "wait_for_paint"]

# The longest a held read waits: a paint that does not come (the window minimised) never
# keeps it longer.
WAIT_S = 0.1


class AfterPaint(QObject):
    """Hands out events set once `owner` (or the widgets named) next painted."""

    def __init__(self, owner: QWidget, *painted: QWidget) -> None:
        super().__init__(owner)
        self._owner = owner
        self._held: list[threading.Event] = []
        for widget in painted or (owner,):
            widget.installEventFilter(self)

    def hold(self) -> threading.Event | None:
        """An event set once the next paint is done; None while `owner` is off screen,
        where no paint comes."""
        if not self._owner.isVisible():
            return None
        painted = threading.Event()
        self._held.append(painted)
        return painted

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._held:
            # Those held before this paint, let go once the whole window's paint is done
            # (posted from within it); one held after it waits for the next paint.
            held, self._held = self._held, []
            QTimer.singleShot(0, self, lambda: _release(held))
        return False


def _release(held: list[threading.Event]) -> None:
    for painted in held:
        painted.set()


def wait_for_paint(painted: threading.Event | None) -> None:
    """On the database thread: wait until `painted` is set (at most `WAIT_S`)."""
    if painted is not None:
        painted.wait(WAIT_S)
