"""Compose and send a follow-up email from a template; logged as a touch only once it went out."""

from __future__ import annotations

import ssl
from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from deckfollow.core.enums import Channel, TemplateKind
from deckfollow.core.errors import DeckfollowError, PermissionRefused, ValidationError
from deckfollow.core.merge_fields import RenderedText
from deckfollow.core.unit_of_work import Store
from deckfollow.messaging.credentials import CredentialStore, default_store
from deckfollow.messaging.drafts import MessageDraft
from deckfollow.messaging.email_extras import (
    Extras,
    check_attachments,
    with_attachments,
)
from deckfollow.messaging.guard import SendCheck
from deckfollow.messaging.outbox import Draft, SendResult, send_email_signed_in
from deckfollow.messaging.screens import (
    EmailScreen,
    EmailSettings,
    read_email_settings,
    screen_check,
)
from deckfollow.messaging.smtp import (
    Failure,
    Footer,
    SendError,
    SmtpSettings,
)
from deckfollow.ui.messaging.common import (
    BackgroundJob,
    Clock,
    DraftPreview,
    describe_failure,
    highlight_placeholders,
    placeholders_left,
    read_then,
    start_job,
)
from deckfollow.ui.messaging.contact_dialog import ContactDialog
from deckfollow.ui.team.server_away import hold_until_server_back
from deckfollow.ui.theme import active_theme


class ComposeEmailDialog(ContactDialog):
    """Email one customer: template, subject and words (editable), what's next, Send.

    `sent` carries the core's Changes after the email went out and was logged;
    `result_message` says what happened.
    """

    sent = Signal(object)

    def __init__(
        self,
        db: Store,
        screen: EmailScreen,
        *,
        clock: Clock,
        parent: QWidget | None = None,
        credentials: CredentialStore | None = None,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        """Built from `screen` (`read_email_screen`, read beforehand): building reads nothing."""
        super().__init__(db, clock=clock, parent=parent)
        self._outbox = db
        self._store = credentials or default_store()
        self._ssl_context = ssl_context
        self.target = screen.target
        t = self.target
        self._check = screen.check
        settings = screen.settings
        self._smtp: SmtpSettings = settings.smtp
        self._footer: Footer = settings.footer
        footer_on = settings.footer_on
        self._extras: Extras = settings.extras
        # A Gmail or Microsoft browser sign-in sends with a token: no password to ask for.
        self._signed_in = settings.signed_in
        self.attachments: list[Path] = []
        self._subject_r = RenderedText("")
        self._body_r = RenderedText("")
        self._draft_r: MessageDraft | None = None

        self.setWindowTitle(f"Email {t.name}")
        self.setMinimumSize(1040, 620)

        self.setup_note = QLabel(
            "Your email account is not set up yet: add the server and your address first."
        )
        self.setup_note.setWordWrap(True)
        self.setup_button = QPushButton("Email settings…")
        self.setup_button.clicked.connect(self._open_settings)
        setup_row = QHBoxLayout()
        setup_row.addWidget(self.setup_note, 1)
        setup_row.addWidget(self.setup_button)
        self.setup_box = QWidget()
        self.setup_box.setObjectName("setupBox")
        self.setup_box.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setup_box.setStyleSheet(
            f"QWidget#setupBox {{ background: {active_theme().warning_banner_bg};"
            f" border: 1px solid {active_theme().warning_banner_border}; border-radius: 4px; }}"
            f"#setupBox QLabel {{ color: {active_theme().warning_banner_fg}; }}"
        )
        self.setup_box.setLayout(setup_row)

        self.to_label = QLabel(f"{t.name} &lt;{t.email}&gt;" if t.email else "no email address")
        self.template = QComboBox()
        for info in screen.email.templates:
            self.template.addItem(info.name, info.key)
        if screen.email.key is not None:
            self.template.setCurrentIndex(max(0, self.template.findData(screen.email.key)))
        self.subject = QLineEdit()
        self.body = QTextEdit()
        self.body.setAcceptRichText(False)
        self.body.setMinimumHeight(240)
        self.missing = QLabel()
        self.missing.setWordWrap(True)
        self.missing.setStyleSheet(f"color: {active_theme().warning_text}; font-weight: 600;")
        self.footer = QCheckBox("Add the business address and how to opt out (commercial email)")
        self.footer.setChecked(footer_on)
        self.attach_button = QPushButton("Attach…")
        self.attach_button.setToolTip("The quote's PDF, a photo of similar work")
        self.attach_button.clicked.connect(self._attach)
        self.clear_attachments = QPushButton("Remove")
        self.clear_attachments.clicked.connect(self._clear_attachments)
        self.attached = QLabel("No attachments")
        self.attached.setWordWrap(True)
        self.attached.setStyleSheet(f"color: {active_theme().muted_text};")
        attach_row = QHBoxLayout()
        attach_row.addWidget(self.attach_button)
        attach_row.addWidget(self.clear_attachments)
        attach_row.addWidget(self.attached, 1)
        self.clear_attachments.hide()

        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        status = self._store.status()
        where = status.backend if status.usable else "none on this computer"
        self.remember = QCheckBox(f"Remember it in the system keyring ({where})")
        self.remember.setChecked(status.usable)
        self.remember.setEnabled(status.usable)
        self.password_note = QLabel(
            ""
            if status.usable
            else "No keyring here: the password is kept until you close the app."
        )
        self.password_note.setWordWrap(True)
        self.password_note.setStyleSheet(f"color: {active_theme().muted_text};")

        form = QFormLayout()
        form.addRow("To", self.to_label)
        form.addRow("Template", self.template)
        form.addRow("Subject", self.subject)
        form.addRow("Message", self.body)
        form.addRow("", self.missing)
        form.addRow("", self.footer)
        form.addRow("Attachments", attach_row)
        self.password_label = QLabel("Email password")
        form.addRow(self.password_label, self.password)
        form.addRow("", self.remember)
        form.addRow("", self.password_note)
        self._form = form

        reason = f"Reason: {t.reason}" if t.reason else "No follow-up reason (a one-off email)."
        reason_label = QLabel(reason)
        reason_label.setWordWrap(True)
        reason_label.setStyleSheet(f"color: {active_theme().muted_text};")

        next_box = self.next_step_section(t, Channel.EMAIL)

        self.status = QLabel()
        self.status.setStyleSheet(f"color: {active_theme().muted_text}; font-weight: 600;")
        self.status.hide()
        self.busy = False
        self._job: BackgroundJob | None = None
        self._typed = ""
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.send_button = self.buttons.addButton("Send", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.send)
        self.buttons.rejected.connect(self.reject)

        left = QVBoxLayout()
        left.addWidget(reason_label)
        left.addLayout(form, 1)
        self.lay_out(left, next_box, self.buttons, above=(self.setup_box,), below=(self.status,))

        self._preview = DraftPreview(
            self,
            db,
            t,
            TemplateKind.EMAIL,
            self._opened_at,
            shown=self._show_draft,
            failed=self.error.show_error,
        )
        self.template.currentIndexChanged.connect(self._apply_template)
        self.body.textChanged.connect(self._refresh_missing)
        self.subject.textChanged.connect(self._refresh_missing)
        if screen.email.draft is not None:
            self._show_draft(screen.email.draft)
        elif screen.email.problem is not None:
            self.error.show_error(screen.email.problem)
        self._refresh_state()

    # -- state ---------------------------------------------------------------------------------

    def _needs_password(self) -> bool:
        if self._signed_in:
            return False
        return bool(self._smtp.username) and self._store.get(self._smtp.account) is None

    def _show_password(self, show: bool) -> None:
        for w in (self.password, self.remember, self.password_note):
            w.setVisible(show)
        self.password_label.setVisible(show)

    def _recheck(self) -> None:
        """Ask the send guard again (the customer's hours move on while the screen is
        open), on the window's database thread."""
        target, now = self.target, self._clock()

        def answered(check: SendCheck) -> None:
            self._check = check
            self._refresh_state()

        read_then(
            self,
            self._db,
            lambda s: screen_check(s, target, Channel.EMAIL, now),
            success=answered,
            failure=self.error.show_error,
        )

    def _refresh_state(self) -> None:
        """Show what the last answer of the send guard allows, and what the account needs."""
        check = self._check
        self.banner.show_check(check)
        self.setup_box.setVisible(not self._smtp.configured)
        self._show_password(self._smtp.configured and self._needs_password())
        self.send_button.setEnabled(check.allowed and self._smtp.configured and not self.busy)

    def _apply_template(self) -> None:
        key = self.template.currentData()
        if key is None:
            return
        self._preview.ask(str(key))

    def _show_draft(self, draft: MessageDraft) -> None:
        self._draft_r = draft
        self._subject_r = self._draft_r.subject
        self._body_r = self._draft_r.body
        self.subject.setText(self._subject_r.text)
        self.body.setPlainText(self._body_r.text)
        self._refresh_missing()

    def _left(self) -> list[str]:
        left = placeholders_left(self.subject.text(), self._subject_r)
        for label in placeholders_left(self.body.toPlainText(), self._body_r):
            if label not in left:
                left.append(label)
        return left

    def _refresh_missing(self) -> None:
        highlight_placeholders(self.body, self._body_r)
        left = self._left()
        self.missing.setText(
            "Fill in before sending (highlighted): " + ", ".join(left) if left else ""
        )
        self.missing.setVisible(bool(left))

    def _open_settings(self) -> None:
        from deckfollow.ui.messaging.smtp_settings import SmtpSettingsDialog

        # Opened, not run with a loop of its own; what it saved is read once it closed.
        dialog = SmtpSettingsDialog(self._outbox, parent=self, credentials=self._store)
        dialog.finished.connect(lambda _result: self._settings_closed(dialog))
        dialog.open()

    def _settings_closed(self, dialog: QDialog) -> None:
        dialog.deleteLater()

        def arrived(settings: EmailSettings) -> None:
            self._smtp, self._footer = settings.smtp, settings.footer
            self._extras, self._signed_in = settings.extras, settings.signed_in
            self.footer.setChecked(settings.footer_on)
            self._refresh_state()

        read_then(
            self, self._db, read_email_settings, success=arrived, failure=self.error.show_error
        )

    # -- sending -------------------------------------------------------------------------------

    def _draft(self) -> Draft:
        if self._draft_r is None:
            raise ValidationError("email", "wait a moment: the template is still being filled in")
        return self._draft_r.outbox_draft(
            self.body.toPlainText(), subject=self.subject.text().strip()
        )

    def _attach(self) -> None:
        # Opened, not run with a loop of its own: the files are added once they are chosen.
        picker = QFileDialog(
            self,
            "Attach to the email",
            str(Path.home()),
            "Documents and photos (*.pdf *.jpg *.jpeg *.png *.heic *.doc *.docx);;All files (*)",
        )
        picker.setFileMode(QFileDialog.FileMode.ExistingFiles)
        picker.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        picker.filesSelected.connect(self._attach_files)
        picker.open()

    def _attach_files(self, files: list[str]) -> None:
        self.attachments += [Path(f) for f in files if Path(f) not in self.attachments]
        self._show_attachments()

    def _clear_attachments(self) -> None:
        self.attachments.clear()
        self._show_attachments()

    def _show_attachments(self) -> None:
        names = ", ".join(p.name for p in self.attachments)
        self.attached.setText(names or "No attachments")
        self.clear_attachments.setVisible(bool(self.attachments))

    def send(self) -> None:
        """Check, send, log; every refusal or failure stays in the dialog with its reason."""
        self.error.clear_error()
        typed = self.password.text() if not self.password.isHidden() else ""
        try:
            # The guard's last answer here; the send asks it again before anything goes out.
            check = self._check
            if not check.allowed:
                raise PermissionRefused(check.reason)
            left = self._left()
            if left:
                raise ValidationError("email", "fill in " + ", ".join(left) + " before sending")
            nxt = self.next_step.next_step()
            password = typed or self._store.get(self._smtp.account)
            if self._smtp.username and not password and not self._signed_in:
                raise ValidationError("email password", "enter it to send")
            extras = with_attachments(self._extras, self.attachments)
            check_attachments(extras.attachments)
            footer = self._footer if self.footer.isChecked() else None
            draft = self._draft()
        except DeckfollowError as exc:
            self.error.show_error(f"Not sent: {exc}")
            self._refresh_state()
            # Nothing went out yet: with the server away, it is sent once the server is back.
            hold_until_server_back(self.send_button, exc)
            return
        self._typed = typed
        self._set_busy(True)
        # partial, not a lambda over self: the worker thread never touches the widgets.
        self._job = start_job(
            self,
            partial(
                send_email_signed_in,
                self._outbox,
                draft,
                nxt,
                smtp=self._smtp,
                store=self._store,
                password=password,
                clock=self._clock,
                footer=footer,
                extras=extras,
                ssl_context=self._ssl_context,
            ),
            self._send_finished,
        )

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.status.setText("Sending…" if busy else "")
        self.status.setVisible(busy)
        self.send_button.setEnabled(not busy)
        for button in self.buttons.buttons():
            button.setEnabled(not busy)
        if busy:
            QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        else:
            QGuiApplication.restoreOverrideCursor()

    def reject(self) -> None:
        if not self.busy:  # a send in flight finishes (and is logged) first
            super().reject()

    def _send_finished(self, result: SendResult | None, exc: BaseException | None) -> None:
        if self._job is not None:
            self._job.wait()
            self._job = None
        self._set_busy(False)
        typed, self._typed = self._typed, ""
        if exc is not None or result is None:
            failure = exc or RuntimeError("no result")
            wrong_password = isinstance(failure, SendError) and failure.failure is Failure.AUTH
            if wrong_password and self._smtp.username:
                self.password.clear()
                self._show_password(True)
            self.error.show_error(f"Not sent: {describe_failure(failure)}")
            self.next_step.offer(failure)
            self._recheck()  # still open: whether it may go now, asked again
            return
        if typed:
            self._store.put(self._smtp.account, typed, remember=self.remember.isChecked())
        self.finish(result)
        if not result.logged:
            self.send_button.setEnabled(False)

    def done_signal(self) -> SignalInstance:
        return self.sent
