"""The banner a team window shows while the database server cannot be reached."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QSizePolicy, QToolBar, QWidget


class ServerBanner(QToolBar):
    """Hidden while connected; a clear line (and that it keeps trying) while not."""

    def __init__(self, where: str, parent: QWidget | None = None) -> None:
        super().__init__("Team server", parent)
        self.setObjectName("team_server_banner")
        self.setMovable(False)
        self.setFloatable(False)
        self._where = where
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.label.setStyleSheet("padding: 6px 10px; color: #5c2b00;")
        self.setStyleSheet("QToolBar { background: #ffe3b3; border: 0; }")
        self.addWidget(self.label)
        self.hide()
        # A save that found the server away shows the banner too, not only the listener.
        from deckfollow.ui.team.server_away import server_watch

        server_watch().state.connect(self.show_state)

    def show_state(self, up: bool, why: str) -> None:
        if up:
            self.hide()
            return
        reason = f" ({why})" if why else ""
        self.label.setText(
            f"The team server {self._where} cannot be reached{reason}. Reconnecting "
            "automatically; what you are typing stays in its window until it can be saved."
        )
        self.show()
