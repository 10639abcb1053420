"""Settings › Team: connect to the team's PostgreSQL server, move this business onto it,
join a team database already there, or go back to working on the local file.

The password goes to the OS keyring (messaging.credentials), never to deckfollow's
settings or logs; what is remembered for the next start (core.team_setup) has no
password in it. Checking a server runs in a worker thread of its own, so the window keeps
painting while the network is slow; moving the business runs on the window's database
thread, behind every save asked for before it, so nothing is written to the file while it
is copied.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import cast

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from deckfollow.core import team_setup
from deckfollow.core.errors import DeckfollowError, ValidationError
from deckfollow.core.team_setup import ConnectionCheck, Found, MoveReport, TeamConnection
from deckfollow.core.unit_of_work import Store
from deckfollow.messaging.credentials import CredentialStore, default_store
from deckfollow.ui import operations
from deckfollow.ui.consent.common import ErrorLabel
from deckfollow.ui.formatting import counted


class _Relay(QObject):
    """A worker thread's results, queued onto the GUI thread."""

    checked = Signal(object)  # ConnectionCheck
    progress = Signal(int, int)
    moved = Signal(object)  # MoveReport
    failed = Signal(str)


def _in_thread(work: Callable[[], None]) -> threading.Thread:
    thread = threading.Thread(target=work, name="deckfollow-team", daemon=True)
    thread.start()
    return thread


class TeamSettingsPage(QWidget):
    """The Team settings; `switch_to` asks the app to reopen on another database."""

    switch_to = Signal(str)  # a file path or a URL (with the password, kept in memory only)

    def __init__(
        self,
        db: Store,
        *,
        credentials: CredentialStore | None = None,
        config: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._store = credentials or default_store()
        self._config = config
        self._check: ConnectionCheck | None = None
        self._checked_as: TeamConnection | None = None
        self._checked_password: str | None = None
        self._worker: threading.Thread | None = None
        self.working = False  # a test or a move is running in the worker thread
        self._relay = _Relay(self)
        self._relay.checked.connect(self._show_check)
        self._relay.progress.connect(self._show_progress)
        self._relay.moved.connect(self._moved)
        self._relay.failed.connect(self._failed)
        self.setObjectName("team_settings")
        self._build()
        self._fill()

    # -- building -----------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        self.where = QLabel()
        self.where.setObjectName("team_where")
        self.where.setWordWrap(True)
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.where)

        server = QGroupBox("Team server (PostgreSQL)")
        form = QFormLayout(server)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.host = QLineEdit()
        self.host.setPlaceholderText("db.example.com")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(5432)
        self.port.setMaximumWidth(110)
        self.database = QLineEdit()
        self.database.setPlaceholderText("deckfollow")
        self.user = QLineEdit()
        self.user.setPlaceholderText("your sign-in on the server")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.keyring_note = QLabel(self._store.status().detail)
        self.keyring_note.setWordWrap(True)
        self.keyring_note.setStyleSheet("color: palette(mid);")
        self.tls = QCheckBox("Secure connection: verify the server's certificate (verify-full)")
        self.tls.setChecked(True)
        self.ca_file = QLineEdit()
        self.ca_file.setPlaceholderText("the system's trusted authorities")
        self.choose_ca = QPushButton("Choose…")
        self.choose_ca.clicked.connect(self._choose_ca)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_file, 1)
        ca_row.addWidget(self.choose_ca)
        form.addRow("Host", self.host)
        form.addRow("Port", self.port)
        form.addRow("Database", self.database)
        form.addRow("User", self.user)
        password_box = QVBoxLayout()
        password_box.setSpacing(4)
        password_box.addWidget(self.password)
        password_box.addWidget(self.keyring_note)
        form.addRow("Password", password_box)
        form.addRow("TLS", self.tls)
        form.addRow("CA file (optional)", ca_row)
        self.tls.toggled.connect(self._tls_changed)
        layout.addWidget(server)

        self.error = ErrorLabel()
        self.error.setObjectName("team_error")
        layout.addWidget(self.error)

        test_row = QHBoxLayout()
        self.test_button = QPushButton("Test connection")
        self.test_button.clicked.connect(self.test_connection)
        test_row.addWidget(self.test_button)
        test_row.addStretch(1)
        layout.addLayout(test_row)
        self.result = QLabel()
        self.result.setObjectName("team_result")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result.hide()
        layout.addWidget(self.result)
        self.progress = QProgressBar()
        self.progress.setFormat("%v of %m rows copied")
        self.progress.hide()
        layout.addWidget(self.progress)

        actions = QHBoxLayout()
        self.move_button = QPushButton("Move my data to the team server")
        self.move_button.clicked.connect(self.move_data)
        self.join_button = QPushButton("Join this team database")
        self.join_button.clicked.connect(self.join)
        self.leave_button = QPushButton("Leave: use my local file again")
        self.leave_button.clicked.connect(self.leave)
        for button in (self.move_button, self.join_button, self.leave_button):
            actions.addWidget(button)
        actions.addStretch(1)
        layout.addLayout(actions)
        layout.addStretch(1)
        for field in (self.host, self.database, self.user, self.password, self.ca_file):
            field.textEdited.connect(self._edited)
        self.port.valueChanged.connect(self._edited)
        self.tls.toggled.connect(self._edited)

    def _fill(self) -> None:
        conn = self._remembered()
        on_team = not self._db.is_sqlite
        if conn is not None:
            self.host.setText(conn.host)
            self.port.setValue(conn.port)
            self.database.setText(conn.database)
            self.user.setText(conn.user)
            self.tls.setChecked(conn.tls)
            self.ca_file.setText(conn.ca_file)
            if self._store.get(conn.keyring_account):
                self.password.setPlaceholderText("kept in the keyring")
        if on_team:
            self.where.setText(
                f"<b>Working on the team database</b> {self._db.display}.<br>"
                "Everyone on the team sees the same business."
            )
        else:
            self.where.setText(
                f"<b>Working on this computer's file</b> {self._db.display}.<br>"
                "To work as a team, enter the server's details, test the connection, then move "
                "your business onto it (your file is kept as it is) or join a team database "
                "a colleague already set up."
            )
        self._tls_changed(self.tls.isChecked())
        self._update_actions()

    def _remembered(self) -> TeamConnection | None:
        try:
            return team_setup.remembered_connection(self._config)
        except DeckfollowError as exc:
            self.error.show_error(exc)
            return None

    # -- reading the form ---------------------------------------------------------------

    def connection(self) -> TeamConnection:
        """The connection as typed; ValidationError names the first field to fix."""
        conn = TeamConnection(
            host=self.host.text().strip(),
            port=self.port.value(),
            database=self.database.text().strip(),
            user=self.user.text().strip(),
            tls=self.tls.isChecked(),
            ca_file=self.ca_file.text().strip() if self.tls.isChecked() else "",
            local_file=str(self._db.path) if self._db.path is not None else self._local_file(),
        )
        conn.validate()
        return conn

    def _local_file(self) -> str:
        conn = self._remembered()
        return conn.local_file if conn is not None else ""

    def _password(self, conn: TeamConnection) -> str | None:
        typed = self.password.text()
        return typed or self._store.get(conn.keyring_account)

    def _say(self, text: str, colour: str = "") -> None:
        """Show the latest result (and grow the window to fit it rather than squeeze)."""
        self.result.setText(text)
        self.result.setStyleSheet(f"color: {colour};" if colour else "")
        self.result.setVisible(bool(text))
        self._grow()

    def _grow(self) -> None:
        window = self.window()
        window.resize(window.width(), max(window.height(), window.sizeHint().height()))

    def _field_widget(self, field: str | None) -> QWidget | None:
        return {
            "host": self.host,
            "port": self.port,
            "database": self.database,
            "user": self.user,
            "password": self.password,
            "CA file": self.ca_file,
        }.get(field or "")

    def _blame(self, field: str | None, message: str) -> None:
        self.error.show_error(message)
        self._grow()
        widget = self._field_widget(field)
        if widget is not None:
            widget.setFocus()

    # -- actions ------------------------------------------------------------------------

    def _busy(self, busy: bool) -> None:
        self.working = busy
        for w in (self.test_button, self.move_button, self.join_button, self.leave_button):
            w.setEnabled(not busy)
        if not busy:
            self._update_actions()

    def _update_actions(self) -> None:
        found = self._check.found if self._check is not None else None
        typed = self._typed_or_none()
        fresh = (
            self._checked_as is not None
            and self._checked_as == typed
            and self._checked_password == (self._password(typed) if typed else None)
        )
        self.move_button.setEnabled(self._db.is_sqlite and fresh and found is Found.EMPTY)
        self.join_button.setEnabled(fresh and found is Found.TEAM)
        self.leave_button.setEnabled(not self._db.is_sqlite)
        self.move_button.setToolTip(
            "" if self.move_button.isEnabled() else "Test a connection to an empty database first."
        )
        self.join_button.setToolTip(
            "" if self.join_button.isEnabled() else "Test a connection to a team database first."
        )

    def _typed_or_none(self) -> TeamConnection | None:
        try:
            return self.connection()
        except ValidationError:
            return None

    def _edited(self, *_args: object) -> None:
        self._update_actions()

    def _tls_changed(self, on: bool) -> None:
        self.ca_file.setEnabled(on)
        self.choose_ca.setEnabled(on)

    def _choose_ca(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "The certificate authority's file", "", "Certificates (*.crt *.pem);;All (*)"
        )
        if path:
            self.ca_file.setText(path)
            self._edited()

    def test_connection(self) -> None:
        """Check the typed connection in a worker thread; the result says what is there."""
        self.error.clear_error()
        self.progress.hide()
        self._say("")
        try:
            conn = self.connection()
        except ValidationError as exc:
            self._blame(exc.field, str(exc))
            return
        password = self._password(conn)
        self._say(f"Connecting to {conn.host}:{conn.port}…")
        self._busy(True)

        def work() -> None:
            try:
                found = team_setup.check_connection(conn, password)
            except DeckfollowError as exc:
                self._relay.failed.emit(str(exc))
                return
            self._relay.checked.emit((conn, password, found))

        self._worker = _in_thread(work)

    def _show_check(self, answer: object) -> None:
        conn, password, check = cast(tuple[TeamConnection, str | None, ConnectionCheck], answer)
        self._check, self._checked_as, self._checked_password = check, conn, password
        self._say(check.message, "#1b5e20" if check.ok else "#b00020")
        if not check.ok:
            widget = self._field_widget(check.field)
            if widget is not None:
                widget.setFocus()
        self._busy(False)

    def _failed(self, message: str) -> None:
        self.progress.hide()
        self._say("")
        self.error.show_error(message)
        self._grow()
        self._busy(False)

    def move_data(self) -> None:
        """Copy this file's business into the empty server, then switch to the server."""
        conn = self._checked_as
        if conn is None or self._db.path is None:
            return
        password = self._checked_password
        target = conn.url(password)
        self.error.clear_error()
        self.progress.setRange(0, 0)
        self.progress.show()
        self._say("Copying your business to the team server…")
        self._busy(True)
        source = self._db
        ops = operations.serving(source)
        if ops is None:
            raise RuntimeError("moving needs the operations of the open database")
        # The progress is told from the database thread; the relay queues it to this one.
        ops.run_task(
            self,
            lambda: team_setup.move_business(source, target, self._relay.progress.emit),
            success=lambda report: self._moved((conn, password, target, report)),
            failure=lambda exc: self._failed(str(exc)),
        )

    def _show_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _moved(self, answer: object) -> None:
        conn, password, target, moved = cast(
            tuple[TeamConnection, str | None, str, MoveReport], answer
        )
        self.progress.setValue(self.progress.maximum())
        self._say(
            f"Moved {counted(moved.total, 'row')}; the counts on the server match your file's. "
            f"Your file {moved.source} is kept as it was.",
            "#1b5e20",
        )
        self._check = None  # the server holds the business now: no second move
        self._busy(False)
        self._switch(conn, password, target)

    def join(self) -> None:
        """Work on the team database just tested, from now on."""
        conn = self._checked_as
        if conn is None:
            return
        password = self._checked_password
        self._switch(conn, password, conn.url(password))

    def _switch(self, conn: TeamConnection, password: str | None, target: str) -> None:
        if password:
            self._store.put(conn.keyring_account, password)
        team_setup.remember_connection(conn, self._config)
        self.switch_to.emit(target)

    def leave(self) -> None:
        """Go back to the local file; the team database stays as it is for the others."""
        conn = self._remembered()
        local = team_setup.local_file_of(conn)
        answer = QMessageBox.question(
            self,
            "Use your local file again",
            f"deckfollow will open {local} again. It holds your business as it was when you "
            "moved it: what the team has saved on the server since is not in it. The team "
            "database stays as it is for everyone else.",
            QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Ok:
            return
        if conn is not None:
            self._store.forget(conn.keyring_account)
        team_setup.forget_connection(self._config)
        self.switch_to.emit(local)


class TeamSettingsDialog(QDialog):
    """Settings › Team in a dialog of its own."""

    def __init__(
        self,
        db: Store,
        *,
        credentials: CredentialStore | None = None,
        config: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Team")
        self.setMinimumWidth(640)
        self.page = TeamSettingsPage(db, credentials=credentials, config=config)
        self.switch_target: str | None = None
        self.page.switch_to.connect(self._switch)
        layout = QVBoxLayout(self)
        layout.addWidget(self.page, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _switch(self, target: str) -> None:
        self.switch_target = target
        self.accept()

    def reject(self) -> None:
        if self.page.working:
            # A move half-way must finish (or fail and roll back) before the page goes.
            self.page._say("Still working with the team server: this closes once it is done.")
            return
        super().reject()


def team_target_at_start(
    credentials: CredentialStore | None = None, config: Path | None = None
) -> str | None:
    """The remembered team database's URL (password from the keyring, or asked for now),
    or None to open the local file."""
    from PySide6.QtWidgets import QInputDialog

    conn = team_setup.remembered_connection(config)
    if conn is None:
        return None
    store = credentials or default_store()
    password = store.get(conn.keyring_account)
    if password is None:
        typed, ok = QInputDialog.getText(
            None,
            "Team server password",
            f"Password for {conn.display}:",
            QLineEdit.EchoMode.Password,
        )
        if not ok:
            return None
        password = typed
        store.put(conn.keyring_account, password)
    return conn.url(password)


def password_from_keyring(target: str, credentials: CredentialStore | None = None) -> str:
    """A team database URL given without its password (`--db`, the start-at-login entry)
    gets the one Settings › Team keeps in the keyring; anything else is returned as is."""
    account = team_setup.keyring_account_for(target) if "://" in target else None
    if account is None:
        return target
    password = (credentials or default_store()).get(account)
    return team_setup.with_password(target, password) if password else target


def offer_local_file(config: Path | None = None) -> str | None:
    """The team database could not be opened at start: offer this computer's own file for
    now (the team connection stays remembered for the next start). None to quit."""
    try:
        conn = team_setup.remembered_connection(config)
    except DeckfollowError:
        conn = None
    local = team_setup.local_file_of(conn)
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Work on your own file for now?",
        f"deckfollow could not open the team database. You can work on your own file, "
        f"{local}, for now: it holds your business as it was when you moved it, and what "
        "you do there is not seen by the team. deckfollow tries the team database again "
        "at the next start.",
    )
    use = box.addButton("Open my own file", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return local if box.clickedButton() is use else None


_SWITCH = "deckfollow_switch_to"


def request_switch(window: QWidget, target: str) -> None:
    """Ask the running app to close this window and reopen on `target`."""
    from PySide6.QtWidgets import QApplication

    window.setProperty(_SWITCH, target)
    QApplication.exit(0)


def requested_switch(window: QWidget) -> str | None:
    """Where the window asked the app to reopen, if it did."""
    target = window.property(_SWITCH)
    return str(target) if target else None
