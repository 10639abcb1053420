"""The Reports page's place in the window, built the first time it is shown.

The page pulls in the report code and nine charts; the window adds this light holder at
start, so opening the app never waits for a page the user may not visit. Once the start is
done the page is built off screen (`build_ahead`), before the user opens it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

if TYPE_CHECKING:
    from deckfollow.ui.operations import Operations
    from deckfollow.ui.reports.page import ReportsPage


# How soon `build_ahead` looks again whether the database thread is free.
_LOOK_AGAIN_MS = 100


class ReportsHolder(QWidget):
    """Holds the Reports page; `show_quotes(ids, label)` is the page's own signal."""

    show_quotes = Signal(list, str)

    def __init__(
        self, ops: Operations, *, clock: Callable[[], datetime], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ops = ops
        self._clock = clock
        self._page: ReportsPage | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    @property
    def page(self) -> ReportsPage:
        """The page, built on first use."""
        if self._page is None:
            from deckfollow.ui.reports.page import ReportsPage

            self._page = ReportsPage(self._ops.store, clock=self._clock)
            self._page.show_quotes.connect(self.show_quotes)
            self._layout.addWidget(self._page)
        return self._page

    def build_ahead(self) -> None:
        """Build the page off screen, in a turn of the event loop of its own, once the
        database thread has nothing to do: opening Reports then only shows it and asks for
        its figures (built on opening, its widgets held the window up to a tenth of a
        second; built while the start's reads still ran, as long again, their Python work
        taking turns with it)."""
        if self._page is not None or self._ops.is_closed():
            return
        if not self._ops.is_idle():
            QTimer.singleShot(_LOOK_AGAIN_MS, self, self.build_ahead)
            return
        self.page  # noqa: B018 - built now, shown with the holder

    def showEvent(self, event: QShowEvent) -> None:
        self.page  # noqa: B018 - built now, shown with the holder
        super().showEvent(event)

    def refresh(self) -> None:
        """Data changed: the page (once built) recomputes when it is on screen."""
        if self._page is not None:
            self._page.refresh()
