"""Where the email password lives: the operating system's keyring, or nowhere.

The password is never written to the database, a log, an export or a file of ours.
When no usable keyring exists (a bare Linux desktop, a locked-down machine), the
password is kept in this process's memory for the session only, and the app asks again
next time; `status()` gives the sentence the settings dialog shows about it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum

import keyring
from keyring.backend import KeyringBackend
from keyring.errors import KeyringError, PasswordDeleteError

SERVICE = "deckfollow"

log = logging.getLogger(__name__)


class Where(StrEnum):
    KEYRING = "keyring"
    SESSION = "session"  # this run of the app only
    NOWHERE = "nowhere"


@dataclass(frozen=True)
class KeyringStatus:
    usable: bool
    backend: str  # the backend's own name, e.g. "SecretService Keyring"
    detail: str  # one or two sentences for the user


def _backend_name(kr: KeyringBackend) -> str:
    name = getattr(kr, "name", None)
    return str(name) if name else type(kr).__name__


def _is_usable(kr: KeyringBackend) -> bool:
    # The fail and null backends have priority <= 0; a chainer with nothing in it too.
    try:
        priority = float(kr.priority)
    except Exception:
        return False
    if priority <= 0:
        return False
    backends = getattr(kr, "backends", None)
    return backends is None or bool(backends)


class CredentialStore:
    """Passwords by account name: in the OS keyring when there is one, else in memory."""

    def __init__(self, backend: KeyringBackend | None = None) -> None:
        self._backend = backend
        self._memory: dict[str, str] = {}

    def keyring(self) -> KeyringBackend:
        return self._backend if self._backend is not None else keyring.get_keyring()

    def status(self) -> KeyringStatus:
        kr = self.keyring()
        name = _backend_name(kr)
        if _is_usable(kr):
            return KeyringStatus(
                True,
                name,
                f"Your password is kept in the system keyring ({name}), not in deckfollow's files.",
            )
        return KeyringStatus(
            False,
            name,
            "No system keyring is available on this computer, so deckfollow will not store "
            "your password anywhere. It asks for it once each time you start the app and "
            "forgets it when you close it.",
        )

    def get(self, account: str) -> str | None:
        """The password for `account`, or None if it has to be asked for."""
        if account in self._memory:
            return self._memory[account]
        kr = self.keyring()
        if not _is_usable(kr):
            return None
        try:
            return kr.get_password(SERVICE, account)
        except KeyringError as exc:
            log.warning("keyring could not be read (%s)", type(exc).__name__)
            return None

    def put(self, account: str, password: str, *, remember: bool = True) -> Where:
        """Keep the password: in the keyring if usable and `remember`, else for this session."""
        if not password:
            self.forget(account)
            return Where.NOWHERE
        kr = self.keyring()
        if remember and _is_usable(kr):
            try:
                kr.set_password(SERVICE, account, password)
                self._memory.pop(account, None)
                return Where.KEYRING
            except KeyringError as exc:
                # Never log the exception text: some backends echo what they were given.
                log.warning("keyring refused the password (%s)", type(exc).__name__)
        self._memory[account] = password
        return Where.SESSION

    def where(self, account: str) -> Where:
        if account in self._memory:
            return Where.SESSION
        return Where.KEYRING if self.get(account) is not None else Where.NOWHERE

    def forget(self, account: str) -> None:
        """Remove the password from memory and from the keyring."""
        self._memory.pop(account, None)
        kr = self.keyring()
        if not _is_usable(kr):
            return
        try:
            kr.delete_password(SERVICE, account)
        except PasswordDeleteError:
            pass
        except KeyringError as exc:
            log.warning("keyring could not delete the password (%s)", type(exc).__name__)


_DEFAULT = CredentialStore()


def default_store() -> CredentialStore:
    """The app-wide store, so a password typed once is remembered for the whole session."""
    return _DEFAULT
