"""Settings › Texts: the SMS provider account (Twilio or ClickSend); the key goes to the
keyring only."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from deckfollow.core.changes import Changes
from deckfollow.core.errors import ValidationError
from deckfollow.core.settings import set_setting
from deckfollow.core.unit_of_work import Session
from deckfollow.messaging.credentials import CredentialStore, Where, default_store
from deckfollow.messaging.sms_providers import (
    Provider,
    SmsSettings,
    load_sms_settings,
    save_sms_settings,
)
from deckfollow.ui.messaging.common import ErrorLabel
from deckfollow.ui.operations import Operations
from deckfollow.ui.theme import active_theme


class SmsSettingsDialog(QDialog):
    """Choose Twilio or ClickSend, the account, the sender and the key."""

    saved = Signal(object)

    def __init__(
        self,
        ops: Operations,
        loaded: SmsSettings,
        *,
        parent: QWidget | None = None,
        credentials: CredentialStore | None = None,
    ) -> None:
        super().__init__(parent)
        self._ops = ops
        self._store = credentials or default_store()
        self._loaded = loaded
        self.setWindowTitle("Texts")
        self.setMinimumWidth(560)
        intro = QLabel(
            "Send texts from the computer through an SMS provider account. Each text names "
            "your business and, where the customer's country requires it, ends with "
            "“Reply STOP to opt out.” The provider's price for each text is shown after "
            "sending."
        )
        intro.setWordWrap(True)
        self.provider = QComboBox()
        self.provider.addItem("None (copy texts or open them on your phone)", "")
        for p in Provider:
            self.provider.addItem(p.label, p.value)
        current = self._loaded.provider.value if self._loaded.provider else ""
        self.provider.setCurrentIndex(max(0, self.provider.findData(current)))
        self.account = QLineEdit(self._loaded.account)
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.sender_edit = QLineEdit(self._loaded.sender)
        self.sender_edit.setPlaceholderText("+61412555019, or a sender name where allowed")
        self.account_label = QLabel()
        self.secret_label = QLabel()
        self.where = QLabel()
        self.where.setWordWrap(True)
        self.where.setStyleSheet(f"color: {active_theme().muted_text};")
        form = QFormLayout()
        form.addRow("Provider", self.provider)
        form.addRow(self.account_label, self.account)
        form.addRow(self.secret_label, self.secret)
        form.addRow("", self.where)
        form.addRow("Texts come from", self.sender_edit)
        self.error = ErrorLabel()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.provider.currentIndexChanged.connect(self._provider_changed)
        self._provider_changed()

    def _chosen(self) -> Provider | None:
        value = self.provider.currentData()
        return Provider(value) if value else None

    def _provider_changed(self) -> None:
        p = self._chosen()
        fields = (self.account, self.secret, self.sender_edit)
        for w in (*fields, self.account_label, self.secret_label):
            w.setEnabled(p is not None)
        self.account_label.setText(p.account_label if p else "Account")
        self.secret_label.setText(p.secret_label if p else "Key")
        self.account.setAccessibleName(self.account_label.text())
        self.secret.setAccessibleName(self.secret_label.text())
        if p is Provider.TWILIO:
            self.account.setPlaceholderText("AC… (from the Twilio Console)")
        elif p is Provider.CLICKSEND:
            self.account.setPlaceholderText("your ClickSend username")
        kept = (
            self._loaded.configured
            and p is self._loaded.provider
            and self._store.where(self._loaded.secret_account) is not Where.NOWHERE
        )
        self.secret.setPlaceholderText("leave empty to keep the saved one" if kept else "")
        self.where.setText(self._store.status().detail.replace("password", "key"))

    def save(self) -> None:
        self.error.clear_error()
        p = self._chosen()
        account, sender = self.account.text(), self.sender_edit.text()
        typed = self.secret.text().strip() if p is not None else ""
        store = self._store

        def save(session: Session) -> _Saved:
            if p is None:
                set_setting(session, "sms.provider.provider", "")
                return _Saved(SmsSettings(), "")
            saved = save_sms_settings(session, SmsSettings(p, account, sender))
            if not typed and not store.get(saved.secret_account):
                raise ValidationError(p.secret_label.lower(), "is empty")
            return _Saved(saved, typed)

        self._ops.run_change(
            self, save, initiator=self, success=self._saved, failure=self.error.show_error
        )

    def _saved(self, done: _Saved) -> None:
        if done.typed:  # the key goes to the keyring, never the database
            self._store.put(
                done.settings.secret_account, done.typed, remember=self._store.status().usable
            )
        self.secret.clear()
        self._loaded = done.settings
        self.saved.emit(done.changes)
        self.accept()


SAVED = Changes(settings=True)


@dataclass(frozen=True)
class _Saved:
    settings: SmsSettings
    typed: str
    changes: Changes = SAVED


def show_sms_settings(ops: Operations, parent: QWidget | None = None) -> None:
    """Settings › Texts…: read what is set, then show it to change."""

    def show(loaded: SmsSettings) -> None:
        # Opened from what the read found: no loop of its own, which would hold back
        # every later result (its own save among them) until it closed.
        dialog = SmsSettingsDialog(ops, loaded, parent=parent)
        dialog.finished.connect(lambda _result: dialog.deleteLater())
        dialog.open()

    ops.run_query(parent, load_sms_settings, success=show)
