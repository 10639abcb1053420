"""While the team server is away: dialogs keep what was typed, save once it is back, and
open (or fill in) once it is back.

`server_watch()` is the app's one view of the server: up or away, why, and when it was last
reached. The live listener feeds it (storage.notify reconnects by itself); a save or a read
that failed because the server was away reports it too, and then the watch probes the
server every few seconds in a thread of its own, so a waiting dialog comes back even when
nothing else noticed the outage.

Three ways a dialog meets an away server, one helper each:
- `hold_until_server_back(dialog, error)` after a save failed: the dialog stays open with
  everything typed, a line at its top says the save waits, Save shows it is waiting, and
  once the server is back Save is pressed again by itself (so what is saved is what the
  fields hold then). Cancel still closes it and nothing is saved.
- `fill_when_server_back(widget, load)` after a read for an open dialog or page failed:
  the dialog says so at its top, and `load` runs again once the server is back.
- `open_when_server_back(parent, opener)` around the code that builds and shows a dialog:
  if building it failed because the server is away, a small window says so and the dialog
  opens by itself once the server is back (or the user cancels).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QBoxLayout,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
)
from shiboken6 import isValid

from deckfollow.core.errors import ServerAwayError
from deckfollow.ui.formatting import clock_text, date_time_text, owner_time

PROBE_MS = 2000
_WAITING = "Waiting for the team server…"
_NOTE = "team_server_away_note"
_HELD = "deckfollow_held"
T = TypeVar("T")


class ServerWatch(QObject):
    """Up or away (and why, and since when), on the GUI thread."""

    state = Signal(bool, str)
    _probed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.up = True
        self.why = ""
        # The last moment the server was known to answer: when it was last seen going away.
        self.last_reached: datetime | None = None
        self.name = "the team server"
        self._target: str | None = None
        self._probing = False
        self._timer = QTimer(self)
        self._timer.setInterval(PROBE_MS)
        self._timer.timeout.connect(self._probe)
        self._probed.connect(self._after_probe)

    def watch(self, target: str) -> None:
        """The server this app works on (its URL, password and all: it is only probed)."""
        self._target = target
        self.name_server(target)

    def name_server(self, where: str) -> None:
        """How the server is named on screen, from its URL (shown or not)."""
        from deckfollow.storage.team_connection import server_name

        self.name = server_name(where)

    def set_state(self, up: bool, why: str = "") -> None:
        """What the listener (or a probe, or a failed save) found."""
        if up:
            self._timer.stop()
        if up == self.up and why == self.why:
            return
        if self.up and not up:
            self.last_reached = datetime.now(UTC)
        self.up, self.why = up, why
        self.state.emit(up, why)

    def report_away(self, why: str, target: str | None = None) -> None:
        """A save or read found the server away: say so, and probe it until it answers."""
        if target is not None and target != self._target:
            self.watch(target)
        self.set_state(False, why or self.why)
        if self._target is not None and not self._timer.isActive():
            self._timer.start()

    def away_line(self) -> str:
        """The banner's line: which server, that it keeps trying, when it last answered."""
        plain = _plain_reason(self.why)
        why = f": {plain}" if plain else ""
        said = f"Can't reach the team server {self.name}{why} — retrying…"
        if self.last_reached is not None:
            said += f" Last reached {_when(self.last_reached)}."
        return said

    def _probe(self) -> None:
        if self._probing or self._target is None:
            return
        self._probing = True
        target = self._target

        def run() -> None:
            from deckfollow.storage.team_connection import server_reachable

            self._probed.emit(server_reachable(target))  # queued onto the GUI thread

        threading.Thread(target=run, name="deckfollow-probe", daemon=True).start()

    def _after_probe(self, up: bool) -> None:
        self._probing = False
        if up:
            self.set_state(True)


def _plain_reason(why: str) -> str:
    """The listener's reason in a user's words; the driver's own words are not shown."""
    low = why.lower()
    for said, plain in (
        ("refused", "the connection was refused"),
        ("closed", "the connection dropped"),
        ("reset", "the connection dropped"),
        ("terminat", "the server was stopped"),
        ("shut", "the server was stopped"),
        ("timeout", "no answer"),
        ("timed out", "no answer"),
        ("resolve", "its name is not found"),
        ("unreachable", "the network is down"),
    ):
        if said in low:
            return plain
    return ""


def _when(moment: datetime) -> str:
    """On the owner's clock: today as "at 2:31 pm", another day with its date."""
    local, today = owner_time(moment), owner_time(datetime.now(UTC))
    if local.date() == today.date():
        return f"at {clock_text(local)}"
    return date_time_text(moment)


_WATCH: list[ServerWatch] = []  # the one watch, made on first use


def server_watch() -> ServerWatch:
    """The app-wide watch (made on first use, on the GUI thread)."""
    if not _WATCH:
        _WATCH.append(ServerWatch())
    return _WATCH[0]


def away_message() -> str:
    """One clear line for something that could not be done while the server was away (the
    storage's own words name its URL; this names the server as its members know it)."""
    return (
        f"Can't reach the team server {server_watch().name} right now, so this could not be "
        "done; nothing saved before is affected. It reconnects by itself: try again once "
        "it is back."
    )


def fills_in_line() -> str:
    """What a view shows in place of what it could not read while the server is away."""
    return (
        f"Can't reach the team server {server_watch().name}: this fills in by itself as soon "
        "as the server is back."
    )


def error_text(error: BaseException) -> str:
    """What to say about `error`: for the server away, `away_message`; else its own words."""
    return away_message() if isinstance(error, ServerAwayError) else str(error)


# -- saving: hold the dialog until the server is back, then save again ----------------------


def hold_until_server_back(
    widget: QWidget,
    error: BaseException,
    *,
    target: str | None = None,
    on_back: Callable[[], None] | None = None,
) -> bool:
    """After a failed save: if the server was away, keep the dialog open and save again
    once it is back.

    `widget` is the dialog (its Save button is found: the button box's accept button, a
    wizard's commit or finish button, or the default button) or the Save button itself.
    Once the server is back the button is pressed again, unless `on_back` is given (then
    that runs instead). Returns True when `error` was the server being away; False for any
    other error, which the dialog handles as before.
    """
    if not isinstance(error, ServerAwayError):
        return False
    watch = server_watch()
    watch.report_away("", target)
    if isinstance(widget, QAbstractButton):
        button: QAbstractButton | None = widget
        dialog = widget.window()
    else:
        dialog = widget.window()
        button = save_button_of(dialog)
    if isinstance(dialog, QDialog):
        _hide_lines_saying(dialog, str(error))
        _show_note(
            dialog,
            f"Can't reach the team server {watch.name}. Nothing is lost: what you typed "
            "stays here and is saved as soon as the server is back, unless you cancel.",
        )
    holder = button if button is not None else dialog
    if holder.property(_HELD):
        return True  # already waiting: one save when it is back, not two
    holder.setProperty(_HELD, True)
    if button is not None:
        if button.text() != _WAITING:
            button.setProperty("deckfollow_label", button.text())
        button.setEnabled(False)
        button.setText(_WAITING)

    def back(up: bool, _why: str) -> None:
        if not up:
            return
        watch.state.disconnect(back)
        if not isValid(holder):
            return  # the dialog was closed and deleted meanwhile
        holder.setProperty(_HELD, False)
        if isValid(dialog) and isinstance(dialog, QDialog):
            _hide_note(dialog)
        if button is not None:
            button.setText(str(button.property("deckfollow_label") or button.text()))
            button.setEnabled(True)
        if not isValid(dialog) or not dialog.isVisible():
            return  # cancelled while waiting: nothing is saved
        if button is not None and not button.isVisible():
            return  # its page was left meanwhile
        if on_back is not None:
            on_back()
        elif button is not None:
            button.click()

    watch.state.connect(back)
    return True


def is_held(dialog: QWidget) -> bool:
    """Whether a save in `dialog` already waits for the server (one save when it is back)."""
    if dialog.property(_HELD):
        return True
    return any(button.property(_HELD) for button in dialog.findChildren(QAbstractButton))


def save_button_of(dialog: QWidget) -> QAbstractButton | None:
    """The button that saves a dialog, as a user would pick it out."""
    if isinstance(dialog, QWizard):
        for which in (
            QWizard.WizardButton.CommitButton,
            QWizard.WizardButton.FinishButton,
            QWizard.WizardButton.NextButton,
        ):
            button = dialog.button(which)
            if button.isVisible():
                return button
        return None
    for box in dialog.findChildren(QDialogButtonBox):
        for button in box.buttons():
            role = box.buttonRole(button)
            if role in (
                QDialogButtonBox.ButtonRole.AcceptRole,
                QDialogButtonBox.ButtonRole.YesRole,
                QDialogButtonBox.ButtonRole.ApplyRole,
            ):
                return button
    for push in dialog.findChildren(QPushButton):
        if push.isDefault():
            return push
    return None


# -- reading: fill in once the server is back --------------------------------------------------


def fill_when_server_back(
    widget: QWidget | None, load: Callable[[], None], *, target: str | None = None
) -> None:
    """A read for `widget` found the server away: say so in its dialog, and run `load`
    again once the server is back."""
    watch = server_watch()
    watch.report_away("", target)
    dialog = widget.window() if widget is not None and isValid(widget) else None
    if isinstance(dialog, QDialog):
        _show_note(dialog, fills_in_line())

    def back(up: bool, _why: str) -> None:
        if not up:
            return
        watch.state.disconnect(back)
        if widget is not None and not isValid(widget):
            return
        if isinstance(dialog, QDialog) and isValid(dialog):
            _hide_note(dialog)
        load()

    watch.state.connect(back)


# -- opening: open once the server is back ----------------------------------------------------


class _ShownWatch(QObject):
    """Notices a dialog being shown while it is installed on the application."""

    def __init__(self) -> None:
        super().__init__()
        self.shown = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(watched, QDialog):
            self.shown = True
            app = QApplication.instance()
            if app is not None:
                app.removeEventFilter(self)
        return False


def open_when_server_back(
    parent: QWidget | None,
    opener: Callable[[], T],
    *,
    what: str = "this",
    target: str | None = None,
) -> T | None:
    """Run `opener` (which builds and shows a dialog). If the server was away before the
    dialog could show, say so and open it once the server is back; None if the user
    cancelled the wait. An away server after the dialog showed is not retried: that error
    goes on to the caller."""
    app = QApplication.instance()
    assert app is not None  # dialogs are opened only from a running app
    shown = _ShownWatch()
    app.installEventFilter(shown)
    try:
        return opener()
    except ServerAwayError:
        if shown.shown:
            raise
    finally:
        app.removeEventFilter(shown)
    waiting = WaitingDialog(what, parent, target=target)
    try:
        if waiting.exec() != QDialog.DialogCode.Accepted:
            return None
    finally:
        waiting.deleteLater()
    return open_when_server_back(parent, opener, what=what, target=target)


class WaitingDialog(QDialog):
    """ "Can't reach the team server … — opens once it is back", with Cancel; accepted by
    itself when the server answers again."""

    def __init__(self, what: str, parent: QWidget | None, *, target: str | None = None) -> None:
        super().__init__(parent)
        watch = server_watch()
        self.setWindowTitle("Waiting for the team server")
        self.setObjectName("team_server_waiting")
        layout = QVBoxLayout(self)
        self.label = QLabel(
            f"Can't reach the team server {watch.name} to open {what}.\n"
            "It opens by itself as soon as the server is back."
        )
        self.label.setWordWrap(True)
        self.label.setMinimumWidth(380)
        layout.addWidget(self.label)
        busy = QProgressBar()
        busy.setRange(0, 0)  # moving: still trying
        busy.setTextVisible(False)
        busy.setMaximumHeight(10)
        layout.addWidget(busy)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        watch.state.connect(self._state)
        self.setProperty("deckfollow_listening", True)
        watch.report_away("", target)

    def _state(self, up: bool, _why: str) -> None:
        if up and self.isVisible():
            self.accept()

    def done(self, result: int) -> None:
        if self.property("deckfollow_listening"):
            self.setProperty("deckfollow_listening", False)
            server_watch().state.disconnect(self._state)
        super().done(result)


# -- the line at the top of a waiting dialog --------------------------------------------------


def _show_note(dialog: QWidget, text: str) -> None:
    note = dialog.findChild(QLabel, _NOTE)
    if note is None:
        note = QLabel()
        note.setObjectName(_NOTE)
        note.setWordWrap(True)
        note.setTextFormat(Qt.TextFormat.PlainText)
        note.setStyleSheet(
            "QLabel { background: #ffe3b3; color: #5c2b00; padding: 6px 10px; border-radius: 4px; }"
        )
        layout = dialog.layout()
        if isinstance(layout, QBoxLayout):
            layout.insertWidget(0, note)
        elif isinstance(layout, QFormLayout):
            layout.insertRow(0, note)
        elif layout is not None:
            layout.addWidget(note)
        else:
            return  # nowhere to put it: the banner and the button still say it
    note.setText(text)
    note.show()
    note.setAccessibleName(text)
    if isinstance(dialog, QDialog):
        dialog.resize(dialog.width(), max(dialog.height(), dialog.sizeHint().height()))


def _hide_note(dialog: QWidget) -> None:
    note = dialog.findChild(QLabel, _NOTE)
    if note is not None:
        note.hide()


def _hide_lines_saying(dialog: QWidget, text: str) -> None:
    """The storage's own words for the outage give way to the note (which says it better)."""
    for label in dialog.findChildren(QLabel):
        if label.objectName() != _NOTE and text and text in label.text():
            label.hide()
