"""The banner a team window shows while the database server cannot be reached."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QToolBar, QWidget

from deckfollow.ui.team.server_away import server_watch

# While away the line is redrawn now and then, so "last reached" stays true of the day.
_REFRESH_MS = 30_000
_PAD_X, _PAD_Y = 10, 6


class ServerBanner(QToolBar):
    """Hidden while connected; while not, which server (as its members know it: host and
    database, never a user or password), that it keeps trying, and when it last answered."""

    def __init__(self, where: str, parent: QWidget | None = None) -> None:
        super().__init__("Team server", parent)
        self.setObjectName("team_server_banner")
        self.setMovable(False)
        self.setFloatable(False)
        self._watch = server_watch()
        self._watch.name_server(where)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.label.setStyleSheet(f"padding: {_PAD_Y}px {_PAD_X}px; color: #5c2b00;")
        self.setStyleSheet("QToolBar { background: #ffe3b3; border: 0; }")
        self.addWidget(self.label)
        self._timer = QTimer(self)
        self._timer.setInterval(_REFRESH_MS)
        self._timer.timeout.connect(self._redraw)
        self.hide()
        # A save that found the server away shows the banner too, not only the listener.
        self._watch.state.connect(self.show_state)

    def show_state(self, up: bool, why: str) -> None:
        if up:
            self._timer.stop()
            self.hide()
            return
        if why and why != self._watch.why:
            self._watch.set_state(False, why)  # the listener's word: the watch keeps it
        self._redraw()
        self._timer.start()
        self.show()

    def _redraw(self) -> None:
        self.label.setText(
            f"{self._watch.away_line()} What you are typing stays in its window and is saved "
            "once the server is back."
        )
        self.label.setAccessibleName(self.label.text())
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        # A wrapping label in a tool bar is as tall as at its narrowest: one line on a wide
        # window, two or three on a narrow one, is what the text needs.
        # Not yet laid out (hidden until now): as wide as the window it spans.
        whole = self.width() if self.isVisible() else self.window().width()
        width = max(whole - 12 - 2 * _PAD_X, 200)
        text = self.label.fontMetrics().boundingRect(
            QRect(0, 0, width, 10_000), Qt.TextFlag.TextWordWrap, self.label.text()
        )
        height = text.height() + 2 * _PAD_Y
        if height != self.label.height():
            self.label.setFixedHeight(height)
            self.updateGeometry()  # the tool bar area takes the new height at once
