"""A text to the customer's cell: copy it, open it on a paired phone, or send via a gateway."""

from __future__ import annotations

import ssl
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTextEdit,
    QWidget,
)

from deckfollow.core.changes import Changes
from deckfollow.core.clock import Clock
from deckfollow.core.enums import Channel, TemplateKind
from deckfollow.core.errors import DeckfollowError, ValidationError
from deckfollow.core.merge_fields import RenderedText
from deckfollow.core.unit_of_work import Store
from deckfollow.messaging.credentials import CredentialStore, default_store
from deckfollow.messaging.drafts import MessageDraft
from deckfollow.messaging.guard import SendCheck, gateway_address, save_gateway_domain, sms_uri
from deckfollow.messaging.outbox import (
    Draft,
    SendResult,
    log_sent_elsewhere,
    send_email_and_log,
    send_text_and_log,
)
from deckfollow.messaging.screens import TextScreen, screen_check
from deckfollow.messaging.smtp import Failure, SendError
from deckfollow.ui.messaging.common import (
    BackgroundJob,
    DraftPreview,
    change,
    describe_failure,
    highlight_placeholders,
    placeholders_left,
    read_then,
    start_job,
)
from deckfollow.ui.messaging.contact_dialog import ContactDialog
from deckfollow.ui.platform.phone_handoff import open_phone_link
from deckfollow.ui.theme import active_theme

# The GSM 03.38 alphabet (basic set and the escaped extension characters).
_GSM = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXT = set("^{}\\[~]|€")


def non_gsm(text: str) -> list[str]:
    """Characters that force a text into the shorter (70-character) Unicode form."""
    return list(dict.fromkeys(c for c in text if c not in _GSM and c not in _GSM_EXT))


def sms_parts(text: str) -> int:
    """How many SMS messages a text takes (160 GSM characters, 70 for other scripts)."""
    if non_gsm(text):
        single, multi, n = 70, 67, len(text)
    else:
        single, multi = 160, 153
        n = len(text) + sum(1 for c in text if c in _GSM_EXT)
    return 1 if n <= single else -(-n // multi)


class TextMessageDialog(ContactDialog):
    """Write the text from a template, hand it to the phone, and log it as a text touch."""

    sent = Signal(object)

    def __init__(
        self,
        db: Store,
        screen: TextScreen,
        *,
        clock: Clock,
        parent: QWidget | None = None,
        credentials: CredentialStore | None = None,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        """Built from `screen` (`read_text_screen`, read beforehand): building reads nothing."""
        super().__init__(db, clock=clock, parent=parent)
        self._outbox = db
        self._store = credentials or default_store()
        self._ssl_context = ssl_context
        self.target = screen.target
        t = self.target
        self._check = screen.check
        self._draft_r: MessageDraft | None = None
        self._rendered = RenderedText("")
        self.handed_over = False
        self.busy = False
        self._job: BackgroundJob | None = None
        self._typed = ""
        self.setWindowTitle(f"Text {t.name}")
        self.setMinimumSize(1000, 520)

        cell = t.cell_shown or "no cell number on file"
        self.to_label = QLabel(f"<b>{t.name}</b> · cell {cell}")
        self.template = QComboBox()
        for info in screen.text.templates:
            self.template.addItem(info.name, info.key)
        self._gateway, self._smtp, self._sms = screen.gateway, screen.smtp, screen.sms
        if screen.text.key is not None:
            self.template.setCurrentIndex(max(0, self.template.findData(screen.text.key)))
        self.body = QTextEdit()
        self.body.setAcceptRichText(False)
        self.body.setMinimumHeight(140)
        self.count = QLabel()
        self.count.setStyleSheet(f"color: {active_theme().muted_text};")
        self.missing = QLabel()
        self.missing.setWordWrap(True)
        self.missing.setStyleSheet(f"color: {active_theme().warning_text}; font-weight: 600;")

        self.copy_button = QPushButton("Copy text")
        self.open_button = QPushButton("Open on phone (sms:)")
        self.gateway_button = QPushButton("Send via email-to-SMS")
        # Through the owner's SMS provider account, when one is set up (Settings › Texts).
        provider = self._sms.provider.label if self._sms.provider else "provider"
        self.provider_button = QPushButton(f"Send through {provider}")
        self.provider_button.setDefault(self._sms.configured)
        self.provider_button.setVisible(self._sms.configured)
        actions = QHBoxLayout()
        for b in (self.provider_button, self.copy_button, self.open_button, self.gateway_button):
            actions.addWidget(b)
        actions.addStretch(1)
        self.gateway_domain = QLineEdit()
        self.gateway_domain.setPlaceholderText("carrier's gateway domain, e.g. txt.example.net")
        if self._gateway:
            self.gateway_domain.setText(self._gateway.split("@", 1)[1])
        self.gateway_note = QLabel()
        self.gateway_note.setWordWrap(True)
        self.gateway_note.setStyleSheet(f"color: {active_theme().muted_text};")
        # The gateway sends through the owner's email account: without a keyring its
        # password is asked for once a session, here as in the email screen.
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("your email account's password")
        self.password_label = QLabel("Email password")

        form = QFormLayout()
        form.addRow("To", self.to_label)
        form.addRow("Template", self.template)
        form.addRow("Message", self.body)
        form.addRow("", self.count)
        form.addRow("", self.missing)
        form.addRow("Send", actions)
        form.addRow("Gateway", self.gateway_domain)
        form.addRow("", self.gateway_note)
        form.addRow(self.password_label, self.password)

        next_box = self.next_step_section(t, Channel.TEXT)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.log_button = self.buttons.addButton(
            "Log as sent", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.log_button.setToolTip("After you sent it from your phone")
        self.buttons.accepted.connect(self.log_sent)
        self.buttons.rejected.connect(self.reject)

        self.lay_out(form, next_box, self.buttons)

        self._preview = DraftPreview(
            self,
            db,
            t,
            TemplateKind.TEXT,
            self._opened_at,
            shown=self._show_draft,
            failed=self.error.show_error,
        )
        self.template.currentIndexChanged.connect(self._apply_template)
        self.body.textChanged.connect(self._refresh_text)
        self.copy_button.clicked.connect(self.copy_text)
        self.open_button.clicked.connect(self.open_link)
        self.gateway_button.clicked.connect(self.send_gateway)
        self.provider_button.clicked.connect(self.send_provider)
        self.gateway_domain.editingFinished.connect(self._save_domain)
        if screen.text.draft is not None:
            self._show_draft(screen.text.draft)
        elif screen.text.problem is not None:
            self.error.show_error(screen.text.problem)
        self._refresh_state()

    def _recheck(self, then: Callable[[], object] | None = None) -> None:
        """Ask the send guard again (the customer's hours move on while the screen is
        open), on the window's database thread; then `then()` when sending is allowed."""
        target, now = self.target, self._clock()

        def answered(check: SendCheck) -> None:
            self._check = check
            self._refresh_state()
            if then is not None and check.allowed:
                then()

        read_then(
            self,
            self._db,
            lambda s: screen_check(s, target, Channel.TEXT, now),
            success=answered,
            failure=self.error.show_error,
        )

    def _refresh_state(self) -> None:
        """Show what the last answer of the send guard allows."""
        self.banner.show_check(self._check)
        ok = self._check.allowed
        for b in (self.copy_button, self.open_button):
            b.setEnabled(ok)
        self.provider_button.setEnabled(ok and self._sms.configured)
        can_gateway = ok and self._gateway is not None and self._smtp.configured
        self.gateway_button.setEnabled(can_gateway)
        if self._gateway is None:
            self.gateway_note.setText(
                "To send from here, enter the carrier's email-to-SMS domain for this customer."
            )
        elif not self._smtp.configured:
            self.gateway_note.setText("Set up your email account to send through the gateway.")
        else:
            self.gateway_note.setText(f"Sends to {self._gateway}.")
        ask = self._needs_password() and self._gateway is not None and self._smtp.configured
        self.password.setVisible(ask)
        self.password_label.setVisible(ask)
        self.log_button.setEnabled(ok and self.handed_over)

    def _needs_password(self) -> bool:
        return bool(self._smtp.username) and self._store.get(self._smtp.account) is None

    def _apply_template(self) -> None:
        key = self.template.currentData()
        if key is None:
            return
        self._preview.ask(str(key))

    def _show_draft(self, draft: MessageDraft) -> None:
        self._draft_r = draft
        self._rendered = self._draft_r.body
        self.body.setPlainText(self._rendered.text)

    def _refresh_text(self) -> None:
        text = self.body.toPlainText()
        highlight_placeholders(self.body, self._rendered)
        parts = sms_parts(text)
        odd = non_gsm(text)
        note = f" ({' '.join(odd[:5])} not in the SMS alphabet: 70 a text)" if odd else ""
        self.count.setText(
            f"{len(text)} characters · {parts} text{'s' if parts != 1 else ''}{note}"
        )
        left = placeholders_left(text, self._rendered)
        self.missing.setText("Fill in before sending: " + ", ".join(left) if left else "")
        self.missing.setVisible(bool(left))

    def _ready_text(self) -> str:
        if self._draft_r is None:
            raise ValidationError("text", "wait a moment: the template is still being filled in")
        left = placeholders_left(self.body.toPlainText(), self._rendered)
        if left:
            raise ValidationError("text", "fill in " + ", ".join(left) + " before sending")
        text = self.body.toPlainText().strip()
        if not text:
            raise ValidationError("text", "write something to send")
        return text

    def _save_domain(self) -> None:
        domain = self.gateway_domain.text().strip()
        customer_id = self.target.customer_id

        def found(address: str | None) -> None:
            self._gateway = address
            self._refresh_state()

        def saved(_changes: Changes) -> None:
            read_then(
                self,
                self._db,
                lambda s: gateway_address(s, customer_id),
                success=found,
                failure=self.error.show_error,
            )

        change(
            self,
            self._db,
            lambda s: save_gateway_domain(s, domain, customer_id),
            success=saved,
            failure=self.error.show_error,
        )

    def _draft(self, text: str, to: str | None = None) -> Draft:
        if self._draft_r is None:
            raise ValidationError("text", "wait a moment: the template is still being filled in")
        return self._draft_r.outbox_draft(text, to_address=to)

    def copy_text(self) -> None:
        """Put the text on the clipboard to paste into the phone, once the send guard has
        been asked again."""
        self.error.clear_error()
        try:
            text = self._ready_text()
        except DeckfollowError as exc:
            self.error.show_error(exc)
            return

        def allowed() -> None:
            QGuiApplication.clipboard().setText(text)
            self.handed_over = True
            self._refresh_state()

        self._recheck(allowed)

    def open_link(self) -> None:
        """Open an sms: link (a paired phone or phone-link app picks it up), once the send
        guard has been asked again."""
        self.error.clear_error()
        try:
            text = self._ready_text()
        except DeckfollowError as exc:
            self.error.show_error(exc)
            return
        cell = self.target.cell
        if not cell:
            return

        def allowed() -> None:
            open_phone_link(self, sms_uri(cell, text))
            self.handed_over = True
            self._refresh_state()

        self._recheck(allowed)

    def send_gateway(self) -> None:
        """Send through the email-to-SMS gateway and log it."""
        self.error.clear_error()
        typed = self.password.text() if not self.password.isHidden() else ""
        try:
            text = self._ready_text()
            nxt = self.next_step.next_step()
            password = typed or self._store.get(self._smtp.account)
            if self._smtp.username and not password:
                raise ValidationError("email password", "enter it to send through the gateway")
        except DeckfollowError as exc:
            self.error.show_error(f"Not sent: {exc}")
            return
        self._typed = typed
        self._set_busy(True)
        self._job = start_job(
            self,
            partial(
                send_email_and_log,
                self._outbox,
                self._draft(text, self._gateway),
                nxt,
                smtp=self._smtp,
                password=password,
                clock=self._clock,
                ssl_context=self._ssl_context,
            ),
            self._gateway_finished,
        )

    def send_provider(self) -> None:
        """Send through the SMS provider (Twilio, ClickSend) and log it, with its cost."""
        self.error.clear_error()
        try:
            text = self._ready_text()
            nxt = self.next_step.next_step()
            secret = self._store.get(self._sms.secret_account)
            if not secret:
                raise ValidationError(
                    "text provider", "save its key in Settings › Texts to send from here"
                )
        except DeckfollowError as exc:
            self.error.show_error(f"Not sent: {exc}")
            return
        self._set_busy(True)
        self._job = start_job(
            self,
            partial(
                send_text_and_log,
                self._outbox,
                self._draft(text),
                nxt,
                sms=self._sms,
                secret=secret,
                clock=self._clock,
                ssl_context=self._ssl_context,
            ),
            self._provider_finished,
        )

    def _provider_finished(self, result: SendResult | None, exc: BaseException | None) -> None:
        if self._job is not None:
            self._job.wait()
            self._job = None
        self._set_busy(False)
        if exc is not None or result is None:
            self.error.show_error(f"Not sent: {describe_failure(exc or RuntimeError('no result'))}")
            if exc is not None:
                self.next_step.offer(exc)
            self._recheck()  # still open: whether it may go now, asked again
            return
        self.finish(result)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        buttons = (self.provider_button, self.copy_button, self.open_button, self.gateway_button)
        for b in (*buttons, *self.buttons.buttons()):
            b.setEnabled(not busy)
        if busy:
            QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        else:
            QGuiApplication.restoreOverrideCursor()
            self._refresh_state()

    def reject(self) -> None:
        if not self.busy:
            super().reject()

    def _gateway_finished(self, result: SendResult | None, exc: BaseException | None) -> None:
        if self._job is not None:
            self._job.wait()
            self._job = None
        self._set_busy(False)
        typed, self._typed = self._typed, ""
        if exc is not None or result is None:
            if isinstance(exc, SendError) and exc.failure is Failure.AUTH:
                self.password.clear()
            self.error.show_error(f"Not sent: {describe_failure(exc or RuntimeError('no result'))}")
            if exc is not None:
                self.next_step.offer(exc)
            self._recheck()  # still open: whether it may go now, asked again
            return
        if typed:
            # It worked: keep it in the keyring if there is one, else for this session.
            self._store.put(self._smtp.account, typed, remember=self._store.status().usable)
        self.finish(result)

    def log_sent(self) -> None:
        """Log the text the owner sent from their phone (on the window's database thread);
        the screen closes once it is logged."""
        if self._logging:
            return  # already on its way: a second press does not log it twice
        self.error.clear_error()
        try:
            draft = self._draft(self._ready_text())
            step = self.next_step.next_step()
        except DeckfollowError as exc:
            self.error.show_error(f"Not logged: {exc}")
            self.next_step.offer(exc)
            return
        outbox, clock = self._outbox, self._clock

        self.log_once(
            self.log_button,
            outbox,
            lambda: log_sent_elsewhere(outbox, draft, step, clock=clock),
        )

    def done_signal(self) -> SignalInstance:
        return self.sent
