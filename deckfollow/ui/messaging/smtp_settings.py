"""Email account settings: server, security, sender; the password goes to the keyring only."""

from __future__ import annotations

import html
import ssl
import webbrowser
from datetime import UTC, datetime
from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from deckfollow.core.errors import DeckfollowError, ValidationError
from deckfollow.core.unit_of_work import Session, Store
from deckfollow.messaging.credentials import CredentialStore, Where, default_store
from deckfollow.messaging.email_account import (
    EmailAccount,
    EmailAccountEdit,
    SavedClient,
    SavedEmailAccount,
    check_email_account,
    load_email_account,
    save_email_account,
    save_oauth_client,
    save_sign_in,
)
from deckfollow.messaging.email_providers import PROVIDERS, EmailProvider, SignIn, provider
from deckfollow.messaging.oauth import Tokens, save_tokens, sign_in, token_account
from deckfollow.messaging.smtp import (
    Security,
    SmtpSettings,
    send_test_email,
    validate_smtp_settings,
)
from deckfollow.ui import operations
from deckfollow.ui.messaging.common import (
    BackgroundJob,
    ErrorLabel,
    describe_failure,
    start_job,
)
from deckfollow.ui.theme import active_theme

_WHERE_TEXT = {
    Where.KEYRING: "A password is saved in the system keyring for this account.",
    Where.SESSION: "A password is kept in memory until you close deckfollow (not saved).",
    Where.NOWHERE: "No password saved yet.",
}


class SmtpSettingsDialog(QDialog):
    """Set up the owner's email account once; says where the password lives.

    What is set is read, and what is typed saved, on the window's database thread; the
    fields open for typing once the read has arrived (`loaded`)."""

    saved = Signal(object)
    loaded = Signal()

    def __init__(
        self,
        db: Store,
        *,
        parent: QWidget | None = None,
        credentials: CredentialStore | None = None,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        super().__init__(parent)
        ops = operations.serving(db)
        if ops is None:
            raise RuntimeError("the email settings need the operations of an open database")
        self._ops = ops
        self._ssl_context = ssl_context
        self.busy = False
        self._job: BackgroundJob | None = None
        self._testing: SmtpSettings | None = None
        self._store = credentials or default_store()
        self._loaded = SmtpSettings()  # as saved, once read
        self._sign_in = SignIn.PASSWORD
        self._client_ids: dict[SignIn, str] = {}
        self._signature_shown = ""
        self.setWindowTitle("Email settings")
        self.setMinimumWidth(560)

        intro = QLabel(
            "deckfollow sends follow-up emails through your own email account. Your "
            "provider's help pages list these settings (look for “SMTP”)."
        )
        intro.setWordWrap(True)

        self.provider = QComboBox()
        for p in PROVIDERS:
            self.provider.addItem(p.label, p.key)
        self.guidance = QLabel()
        self.guidance.setWordWrap(True)
        self.guidance.setOpenExternalLinks(True)
        # Always read as rich text: an escaped quote in a provider without a help link
        # otherwise showed as &quot;.
        self.guidance.setTextFormat(Qt.TextFormat.RichText)
        self.guidance.setStyleSheet(f"color: {active_theme().muted_text};")
        self.sign_in_button = QPushButton()
        self.client_id = QLineEdit()
        self.client_id.setPlaceholderText("the app's client ID registered with the provider")
        self.signed_in_label = QLabel()
        self.signed_in_label.setWordWrap(True)
        self.host = QLineEdit()
        self.host.setPlaceholderText("smtp.example.com")
        self.security = QComboBox()
        for sec in Security:
            self.security.addItem(sec.label, sec.value)
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.username = QLineEdit()
        self.username.setPlaceholderText("usually your email address")
        self.from_address = QLineEdit()
        self.from_address.setPlaceholderText("you@yourbusiness.com")
        self.from_name = QLineEdit()

        status = self._store.status()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = QCheckBox("Remember it in the system keyring")
        self.remember.setChecked(status.usable)
        self.remember.setEnabled(status.usable)
        self.keyring_label = QLabel(status.detail)
        self.keyring_label.setObjectName("keyringStatus")
        self.keyring_label.setWordWrap(True)
        colour = active_theme().success_text if status.usable else active_theme().warning_text
        self.keyring_label.setStyleSheet(f"color: {colour};")
        self.where_label = QLabel()
        self.where_label.setWordWrap(True)
        self.where_label.setStyleSheet(f"color: {active_theme().muted_text};")
        for label in (self.keyring_label, self.where_label, self.guidance):
            # A wrapped label in a form gets one line's height unless it may grow: the
            # keyring sentence ran over its neighbours.
            label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.MinimumExpanding)

        account = QFormLayout()
        account.addRow("Provider", self.provider)
        account.addRow("", self.guidance)
        self.client_id_label = QLabel("Client ID")
        account.addRow(self.client_id_label, self.client_id)
        sign_row = QHBoxLayout()
        sign_row.addWidget(self.sign_in_button)
        sign_row.addWidget(self.signed_in_label, 1)
        account.addRow("", sign_row)
        account.addRow("Mail server", self.host)
        account.addRow("Security", self.security)
        account.addRow("Port", self.port)
        account.addRow("User name", self.username)
        account.addRow("Your email address", self.from_address)
        account.addRow("Name people see", self.from_name)
        account_box = QGroupBox("Account")
        account_box.setLayout(account)

        pw = QFormLayout()
        pw.addRow("Password", self.password)
        pw.addRow("", self.remember)
        pw.addRow("Where it lives", self.keyring_label)
        pw.addRow("", self.where_label)
        self.test_button = QPushButton("Send a test email to yourself")
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addStretch(1)
        pw.addRow("", test_row)
        pw_box = QGroupBox("Password")
        pw_box.setLayout(pw)

        self.footer = QCheckBox("Add a footer to every email: business address and how to opt out")
        self.opt_out = QPlainTextEdit()
        self.opt_out.setFixedHeight(60)
        footer_box = QGroupBox("Commercial email rules")
        fl = QVBoxLayout(footer_box)
        fl.addWidget(self.footer)
        fl.addWidget(QLabel("How to opt out (shown under the business address):"))
        fl.addWidget(self.opt_out)

        self.error = ErrorLabel()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.forget_button = self.buttons.addButton(
            "Forget password", QDialogButtonBox.ButtonRole.ResetRole
        )
        self.forget_button.clicked.connect(self._forget)
        self.test_button.clicked.connect(self.send_test)
        self.test_result = QLabel()
        self.test_result.setObjectName("testResult")
        self.test_result.setWordWrap(True)
        self.test_result.hide()
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        # How emails look (signature, Reply-To, HTML, the footer) on a tab of its own, so
        # the dialog still fits a small laptop screen.
        self.signature = QPlainTextEdit()
        self.signature.setFixedHeight(72)
        self.reply_to = QLineEdit()
        self.reply_to.setPlaceholderText("where replies go, if not your email address")
        self.html = QCheckBox("Send a formatted (HTML) version beside the plain text")
        looks = QFormLayout()
        looks.addRow("Signature", self.signature)
        looks.addRow("Reply-To", self.reply_to)
        looks.addRow("", self.html)
        looks_box = QGroupBox("Signature and replies")
        looks_box.setLayout(looks)
        account_page = QWidget()
        account_layout = QVBoxLayout(account_page)
        account_layout.addWidget(account_box)
        account_layout.addWidget(pw_box)
        account_layout.addStretch(1)
        looks_page = QWidget()
        looks_layout = QVBoxLayout(looks_page)
        looks_layout.addWidget(looks_box)
        looks_layout.addWidget(footer_box)
        looks_layout.addStretch(1)
        self.tabs = QTabWidget()
        self.tabs.addTab(account_page, "Account")
        self.tabs.addTab(looks_page, "How emails look")
        layout.addWidget(self.tabs)
        layout.addWidget(self.error)
        layout.addWidget(self.test_result)
        layout.addWidget(self.buttons)

        self.security.currentIndexChanged.connect(self._security_changed)
        self.provider.currentIndexChanged.connect(self._provider_changed)
        self.sign_in_button.clicked.connect(self.sign_in)
        self._save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self._opened(False)
        store = self._store
        ops.run_query(self, lambda s: load_email_account(s, store), success=self._fill)

    def _opened(self, ready: bool) -> None:
        for widget in (self.tabs, self._save_button, self.forget_button):
            widget.setEnabled(ready)

    def _fill(self, account: EmailAccount) -> None:
        """Show what was read and open the fields for typing."""
        current = self._loaded = account.smtp
        self._sign_in = account.sign_in
        self._client_ids = account.client_ids
        self.provider.blockSignals(True)  # the servers read are kept, not the provider's
        self.provider.setCurrentIndex(max(0, self.provider.findData(account.provider_key)))
        self.provider.blockSignals(False)
        self.host.setText(current.host)
        self.security.blockSignals(True)  # the port read is kept
        self.security.setCurrentIndex(self.security.findData(current.security.value))
        self.security.blockSignals(False)
        self.port.setValue(current.port)
        self.username.setText(current.username)
        self.from_address.setText(current.from_address)
        self.from_name.setText(current.from_name)
        self.footer.setChecked(account.footer_on)
        self.opt_out.setPlainText(account.opt_out)
        self._signature_shown = account.extras.signature
        self.signature.setPlainText(account.extras.signature)
        self.reply_to.setText(account.extras.reply_to)
        self.html.setChecked(account.extras.html)
        self._provider_changed(fill=False)
        self._refresh_where()
        self._opened(True)
        self.loaded.emit()

    def _chosen(self) -> EmailProvider:
        return provider(str(self.provider.currentData()))

    def _oauth_kind(self) -> SignIn | None:
        kind = self._chosen().sign_in
        return kind if kind in (SignIn.GOOGLE, SignIn.MICROSOFT) else None

    def _provider_changed(self, *_args: object, fill: bool = True) -> None:
        """Fill in the provider's servers and say how it signs in."""
        p = self._chosen()
        if fill and p.smtp_host:
            self.host.setText(p.smtp_host)
            self.security.setCurrentIndex(self.security.findData(p.smtp_security.value))
            self.port.setValue(p.smtp_port)
        link = f' <a href="{p.help_url}">How to</a>' if p.help_url else ""
        self.guidance.setText(html.escape(p.guidance) + link)
        kind = self._oauth_kind()
        for w in (self.sign_in_button, self.signed_in_label, self.client_id, self.client_id_label):
            w.setVisible(kind is not None)
        if kind is not None:
            who = "Google" if kind is SignIn.GOOGLE else "Microsoft"
            self.sign_in_button.setText(f"Sign in with {who}…")
            self.client_id.setText(self._client_ids.get(kind, ""))
            account = token_account(kind, self.username.text() or self.from_address.text())
            signed = self._sign_in is kind and self._store.get(account) is not None
            self.signed_in_label.setText(
                "Signed in: no password needed." if signed else "Not signed in yet."
            )

    def sign_in(self) -> None:
        """Open the provider's sign-in page in the browser and wait for it to come back."""
        self.error.clear_error()
        kind = self._oauth_kind()
        user = (self.username.text() or self.from_address.text()).strip()
        if kind is None or not user:
            self.error.show_error("enter your email address first")
            return
        client_id, store = self.client_id.text(), self._store
        self._set_busy(True)

        def registered(saved: SavedClient) -> None:
            self.signed_in_label.setText("Waiting for the browser… finish signing in there.")
            self._job = start_job(
                self,
                partial(
                    sign_in,
                    saved.client,
                    login_hint=user,
                    open_browser=webbrowser.open,
                    clock=lambda: datetime.now(UTC),
                    ssl_context=self._ssl_context,
                ),
                partial(self._signed_in, kind, user),
            )

        def refused(exc: DeckfollowError) -> None:
            self._set_busy(False)
            self.error.show_error(exc)

        self._ops.run_change(
            self,
            lambda s: save_oauth_client(s, kind, client_id, store),
            initiator=self,
            success=registered,
            failure=refused,
        )

    def _signed_in(
        self, kind: SignIn, user: str, tokens: Tokens | None, exc: BaseException | None
    ) -> None:
        if self._job is not None:
            self._job.wait()
            self._job = None
        self._set_busy(False)
        if exc is not None or tokens is None:
            self.signed_in_label.setText("Not signed in.")
            self.error.show_error(describe_failure(exc or RuntimeError("no answer")))
            return
        save_tokens(self._store, kind, user, tokens)
        self._sign_in = kind
        if not self.username.text():
            self.username.setText(user)
        self.signed_in_label.setText("Signed in: no password needed.")
        provider_key = self._chosen().key
        self._ops.run_change(
            self,
            lambda s: save_sign_in(s, provider_key, kind),
            initiator=self,
            failure=self.error.show_error,
        )

    def _security_changed(self) -> None:
        sec = Security(self.security.currentData())
        if self.port.value() in (25, 465, 587):
            self.port.setValue(sec.default_port)

    def _settings(self) -> SmtpSettings:
        return SmtpSettings(
            host=self.host.text(),
            port=self.port.value(),
            security=Security(self.security.currentData()),
            username=self.username.text(),
            from_address=self.from_address.text(),
            from_name=self.from_name.text(),
        )

    def _refresh_where(self) -> None:
        where = self._store.where(self._loaded.account) if self._loaded.host else Where.NOWHERE
        self.where_label.setText(_WHERE_TEXT[where] if self._loaded.host else "")
        self.password.setPlaceholderText(
            "leave empty to keep the saved one"
            if where is not Where.NOWHERE
            else "your email account's password"
        )

    def _forget(self) -> None:
        self._store.forget(self._loaded.account)
        self._refresh_where()

    def send_test(self) -> None:
        """Try the settings on screen (not yet saved) by emailing the owner's own address."""
        self.error.clear_error()
        self.test_result.hide()
        try:
            settings = validate_smtp_settings(self._settings())
            password = self.password.text() or self._store.get(settings.account)
            if settings.username and not password:
                raise ValidationError("password", "enter your email password to test")
        except DeckfollowError as exc:
            self.error.show_error(f"Test failed: {exc}")
            return
        self._set_busy(True)
        self.test_result.setText("Sending a test email…")
        self.test_result.setStyleSheet(f"color: {active_theme().muted_text}; font-weight: 600;")
        self.test_result.show()
        self._testing = settings
        self._job = start_job(
            self,
            partial(
                send_test_email,
                settings,
                password,
                now=datetime.now(UTC),
                ssl_context=self._ssl_context,
            ),
            self._test_finished,
        )

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        for button in (*self.buttons.buttons(), self.test_button, self.sign_in_button):
            button.setEnabled(not busy)
        if busy:
            QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        else:
            QGuiApplication.restoreOverrideCursor()

    def reject(self) -> None:
        if not self.busy:
            super().reject()

    def _test_finished(self, _result: object, exc: BaseException | None) -> None:
        if self._job is not None:
            self._job.wait()
            self._job = None
        self._set_busy(False)
        if exc is not None:
            self.test_result.hide()
            self.error.show_error(f"Test failed: {describe_failure(exc)}")
            return
        address = self._testing.from_address if self._testing else "you"
        self.test_result.setText(
            f"Test email sent to {address}: the settings work. Save to keep them."
        )
        self.test_result.setStyleSheet(f"color: {active_theme().success_text}; font-weight: 600;")

    def _edit(self) -> EmailAccountEdit:
        p = self._chosen()
        oauth = self._oauth_kind()
        signed = oauth is not None and self._sign_in is oauth
        typed_signature = self.signature.toPlainText()
        return EmailAccountEdit(
            smtp=self._settings(),
            footer_on=self.footer.isChecked(),
            opt_out=self.opt_out.toPlainText(),
            signature=None if typed_signature == self._signature_shown else typed_signature,
            reply_to=self.reply_to.text(),
            html=self.html.isChecked(),
            provider_key=p.key,
            sign_in=oauth if signed and oauth else SignIn.PASSWORD,
        )

    def save(self) -> None:
        """Save the settings; the password (if typed) goes to the keyring or session memory."""
        self.error.clear_error()
        edit = self._edit()
        try:
            check_email_account(edit)  # refused at once, before the database is asked
        except DeckfollowError as exc:
            self.error.show_error(exc)
            return

        def save(session: Session) -> SavedEmailAccount:
            return save_email_account(session, edit)

        # The team server away: the operations keep the dialog open and save once it is back.
        self._ops.run_change(
            self, save, initiator=self, success=self._saved, failure=self.error.show_error
        )

    def _saved(self, done: SavedEmailAccount) -> None:
        saved = done.smtp
        typed = self.password.text()
        if saved.account != self._loaded.account and self._loaded.host:
            # A password belongs to its server and user; a new account needs its own.
            old = self._store.get(self._loaded.account)
            self._store.forget(self._loaded.account)
            if not typed and old:
                typed = old
        if typed:
            self._store.put(saved.account, typed, remember=self.remember.isChecked())
        self.password.clear()
        self._loaded = saved
        self._refresh_where()
        self.saved.emit(done.changes)
        self.accept()
