"""Reminders inside the main window: a strip across its top, one row per message.

Used where the desktop has no tray (or no notification service), so nothing the app has to
say is lost: a note (such as "this desktop has no system tray") stays until closed, and each
reminder row has its own buttons (open it, snooze it) and a close button. A new note or
reminder never pushes an unread one out of sight, except that at most `MAX_REMINDERS`
reminder rows are kept: older ones are all in Today anyway.

Only Qt widgets here, no core: the main window builds this before its first paint.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from deckfollow.ui.theme import active_theme

MAX_REMINDERS = 3

Action = tuple[str, Callable[[], object]]


class _Row(QFrame):
    """One message: its text, its buttons and ×."""

    closed = Signal(str)

    def __init__(self, key: str, text: str, actions: Sequence[Action], *, rich: str) -> None:
        # Imported here: `Qt` costs 30-50 ms to load, not to be paid before the first paint.
        from PySide6.QtCore import Qt

        super().__init__()
        self.key = key
        self.plain = text
        self.label = QLabel(rich)
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 4, 6, 4)
        layout.setSpacing(6)
        layout.addWidget(self.label, 1)
        self.buttons: dict[str, QPushButton] = {}
        for label, callback in actions:
            button = QPushButton(label)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            # Acting on a reminder answers it: the row goes once the action has run.
            button.clicked.connect(lambda _c=False, cb=callback: self._act(cb))
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
            self.buttons[label] = button
        close = QPushButton("×")
        close.setObjectName("closeBanner")
        close.setToolTip("Close this message")
        close.setFixedWidth(28)
        close.setFlat(True)
        close.clicked.connect(lambda: self.closed.emit(self.key))
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.close_button = close

    def _act(self, callback: Callable[[], object]) -> None:
        self.closed.emit(self.key)
        callback()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class ReminderBanner(QFrame):
    """The strip of notes and reminders at the top of the main window (hidden when empty).

    Building it does not load PySide's `Qt` namespace (30-50 ms before the window's first
    paint); the rows, built when there is something to say, do.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reminderBanner")
        t = active_theme()
        self.setStyleSheet(
            f"QFrame#reminderBanner {{ background: {t.warning_banner_bg};"
            f" border-bottom: 1px solid {t.warning_banner_border}; }}"
            f"#reminderBanner QLabel {{ color: {t.warning_banner_fg}; }}"
            f"#reminderBanner QPushButton#closeBanner {{ color: {t.warning_banner_muted};"
            " font-size: 16px; }"
        )
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 4, 0, 4)
        self._layout.setSpacing(0)
        self._notes: list[_Row] = []
        self._reminders: list[_Row] = []
        self.hide()

    # -- what is shown -------------------------------------------------------------------

    def messages(self) -> list[str]:
        """The rows' texts, notes first, then reminders newest first."""
        return [row.plain for row in (*self._notes, *self._reminders)]

    def text(self) -> str:
        """Every message, one a line (empty when nothing is shown)."""
        return "\n".join(self.messages())

    def row(self, key: str) -> _Row | None:
        return next((r for r in (*self._notes, *self._reminders) if r.key == key), None)

    # -- adding and removing -------------------------------------------------------------

    def show_note(self, text: str, *, key: str | None = None) -> None:
        """A note that stays until it is closed (the same key replaces it)."""
        key = key or f"note:{text}"
        self._remove(key)
        row = _Row(key, text, (), rich=_escape(text))
        self._notes.append(row)
        self._insert(row, len(self._notes) - 1)

    def show_reminder(
        self, key: str, title: str, detail: str = "", actions: Sequence[Action] = ()
    ) -> None:
        """A reminder row, newest on top; the same key replaces the earlier row."""
        self._remove(key)
        plain = f"{title} — {detail}" if detail else title
        rich = f"<b>{_escape(title)}</b>" + (f" — {_escape(detail)}" if detail else "")
        row = _Row(key, plain, actions, rich=rich)
        self._reminders.insert(0, row)
        self._insert(row, len(self._notes))
        while len(self._reminders) > MAX_REMINDERS:
            self._remove(self._reminders[-1].key)

    def clear(self) -> None:
        """Take every message away."""
        for row in [*self._notes, *self._reminders]:
            self._remove(row.key)

    def _insert(self, row: _Row, index: int) -> None:
        row.closed.connect(self._remove)
        self._layout.insertWidget(index, row)
        self.show()
        self.changed.emit()

    def _remove(self, key: str) -> None:
        for rows in (self._notes, self._reminders):
            for row in [r for r in rows if r.key == key]:
                rows.remove(row)
                self._layout.removeWidget(row)
                row.hide()
                row.deleteLater()
                self.changed.emit()
        self.setVisible(bool(self._notes or self._reminders))
