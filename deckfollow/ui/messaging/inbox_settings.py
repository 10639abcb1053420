"""Settings › Replies: read the owner's inbox (and provider texts) for customers' replies,
requests to stop and bounces. Off until the owner turns it on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from deckfollow.core.changes import Changes
from deckfollow.core.errors import DeckfollowError
from deckfollow.core.unit_of_work import Session
from deckfollow.messaging.credentials import CredentialStore, default_store
from deckfollow.messaging.email_providers import guess_provider
from deckfollow.messaging.imap import (
    ImapSettings,
    load_imap_settings,
    save_imap_settings,
    validate_imap_settings,
)
from deckfollow.messaging.inbox import InboxReport, inbox_enabled, inbox_interval, set_inbox_enabled
from deckfollow.messaging.smtp import Security, load_smtp_settings
from deckfollow.messaging.watch import check_all
from deckfollow.ui.messaging.common import BackgroundJob, ErrorLabel, describe_failure, start_job
from deckfollow.ui.operations import Operations

SAVED = Changes(settings=True)


@dataclass(frozen=True)
class InboxForm:
    """What the replies settings show when they open (one read)."""

    imap: ImapSettings
    smtp_account: str
    smtp_user: str
    enabled: bool
    minutes: int


def load_inbox_form(session: Session) -> InboxForm:
    imap = load_imap_settings(session)
    smtp = load_smtp_settings(session)
    if not imap.host and smtp.from_address:
        # Most people read where they send from: start from their provider's server.
        preset = guess_provider(smtp.from_address)
        imap = ImapSettings(
            preset.imap_host, preset.imap_port, Security.SSL, smtp.username or smtp.from_address
        )
    return InboxForm(
        imap, smtp.account, smtp.username, inbox_enabled(session), inbox_interval(session)
    )


@dataclass(frozen=True)
class _Saved:
    settings: ImapSettings
    changes: Changes = SAVED


def show_inbox_settings(
    ops: Operations,
    parent: QWidget | None = None,
    *,
    saved: Callable[[Changes], object] | None = None,
) -> None:
    """Settings › Replies…: read what is set, then show it to change; `saved(changes)`
    after a save (or a check that logged replies)."""

    def show(form: InboxForm) -> None:
        # Opened from what the read found: no loop of its own.
        dialog = InboxSettingsDialog(ops, form, parent=parent)
        if saved is not None:
            dialog.saved.connect(saved)
        dialog.finished.connect(lambda _result: dialog.deleteLater())
        dialog.open()

    ops.run_query(parent, load_inbox_form, success=show)


class InboxSettingsDialog(QDialog):
    """Turn reading replies on, say where the mailbox is, and check it now."""

    saved = Signal(object)

    def __init__(
        self,
        ops: Operations,
        loaded: InboxForm,
        *,
        parent: QWidget | None = None,
        credentials: CredentialStore | None = None,
    ) -> None:
        super().__init__(parent)
        self._ops = ops
        self._store = credentials or default_store()
        self._job: BackgroundJob | None = None
        imap, on, minutes = loaded.imap, loaded.enabled, loaded.minutes
        self._smtp_account, self._smtp_user = loaded.smtp_account, loaded.smtp_user
        self.setWindowTitle("Replies from your inbox")
        self.setMinimumWidth(600)
        intro = QLabel(
            "deckfollow can read new messages in your inbox and log a customer's reply by "
            "itself: their planned follow-ups pause and “They replied — what's next?” goes "
            "to the top of Today. A reply asking to stop turns that channel off at once; a "
            "bounce marks the address as failing. Only the sender, date, subject and the "
            "first lines are kept; nothing is marked as read."
        )
        intro.setWordWrap(True)
        self.enabled = QCheckBox("Read replies from my inbox")
        self.enabled.setChecked(on)
        self.host = QLineEdit(imap.host)
        self.host.setPlaceholderText("imap.example.com")
        self.security = QComboBox()
        for sec in (Security.SSL, Security.STARTTLS, Security.PLAIN):
            self.security.addItem(sec.label.replace("465", "993").replace("587", "143"), sec.value)
        self.security.setCurrentIndex(self.security.findData(imap.security.value))
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(imap.port)
        self.username = QLineEdit(imap.username)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("leave empty to use your email password")
        self.interval = QSpinBox()
        self.interval.setRange(1, 240)
        self.interval.setSuffix(" minutes")
        self.interval.setValue(minutes)
        form = QFormLayout()
        form.addRow("", self.enabled)
        form.addRow("Incoming server (IMAP)", self.host)
        form.addRow("Security", self.security)
        form.addRow("Port", self.port)
        form.addRow("User name", self.username)
        form.addRow("Password", self.password)
        form.addRow("Check every", self.interval)
        self.check_button = QPushButton("Check now")
        self.check_result = QLabel()
        self.check_result.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.check_button)
        row.addWidget(self.check_result, 1)
        self.error = ErrorLabel()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.check_button.clicked.connect(self.check_now)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def _settings(self) -> ImapSettings:
        return ImapSettings(
            self.host.text(),
            self.port.value(),
            Security(self.security.currentData()),
            self.username.text(),
        )

    def _store_password(self, saved: ImapSettings) -> None:
        typed = self.password.text()
        if typed:
            self._store.put(saved.account, typed, remember=self._store.status().usable)
            self.password.clear()

    def save(self) -> None:
        """Save on the database thread; then close (the password goes to the keyring)."""
        self.error.clear_error()
        settings, on, minutes = self._settings(), self.enabled.isChecked(), self.interval.value()

        def save(session: Session) -> _Saved:
            saved = save_imap_settings(session, settings)
            set_inbox_enabled(session, on, minutes)
            return _Saved(saved)

        # The team server away: the operations keep the dialog open and save once it is back.
        self._ops.run_change(
            self, save, initiator=self, success=self._saved, failure=self.error.show_error
        )

    def _saved(self, done: _Saved) -> None:
        self._store_password(done.settings)
        self.saved.emit(done.changes)
        self.accept()

    def check_now(self) -> None:
        """Save the mailbox settings (not the on/off choice) and read it once."""
        self.error.clear_error()
        try:
            settings = validate_imap_settings(self._settings())
        except DeckfollowError as exc:
            self.error.show_error(exc)
            return
        self.check_button.setEnabled(False)
        self._ops.run_change(
            self,
            lambda session: _Saved(save_imap_settings(session, settings)),
            initiator=self,
            success=self._read_inbox,
            failure=self._not_checked,
        )

    def _not_checked(self, exc: DeckfollowError) -> None:
        self.check_button.setEnabled(True)
        self.error.show_error(exc)

    def _read_inbox(self, done: _Saved) -> None:
        self._store_password(done.settings)
        self.check_result.setText("Reading your inbox…")
        self._job = start_job(
            self,
            partial(check_all, self._ops.store, self._store, clock=lambda: datetime.now(UTC)),
            self._checked,
        )

    def _checked(self, report: InboxReport | None, exc: BaseException | None) -> None:
        if self._job is not None:
            self._job.wait()
            self._job = None
        self.check_button.setEnabled(True)
        if exc is not None or report is None:
            self.check_result.setText("")
            self.error.show_error(describe_failure(exc or RuntimeError("no result")))
            return
        self.check_result.setText(report.summary() + ".")
        if report.logged:
            self.saved.emit(Changes(touches=True, follow_ups=True, consent=True))
