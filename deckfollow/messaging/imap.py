"""Reading the owner's mailbox over IMAP: settings, sign-in, and the new messages' headers.

The mailbox is opened read-only (EXAMINE) and only the header and the first few kilobytes
of each new message's text are fetched with BODY.PEEK, so nothing is marked as read and no
attachment is downloaded. The password comes from `credentials` (the keyring), an access
token from `oauth`; neither is logged.
"""

from __future__ import annotations

import imaplib
import re
import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from types import TracebackType

from sqlalchemy.orm import Session

from deckfollow.core.contact_info import normalise_email
from deckfollow.core.errors import DeckfollowError, ValidationError
from deckfollow.core.settings import get_setting, set_setting
from deckfollow.messaging.sasl import xoauth2
from deckfollow.messaging.smtp import Security, is_loopback, system_context

# Enough for the first lines a person typed, and for a delivery report's recipient block.
TEXT_BYTES = 16384
BATCH = 100


@dataclass(frozen=True)
class ImapSettings:
    host: str = ""
    port: int = 993
    security: Security = Security.SSL
    username: str = ""
    timeout: float = 30.0

    @property
    def configured(self) -> bool:
        return bool(self.host and self.username)

    @property
    def account(self) -> str:
        """The keyring account name for this mailbox (the password is never stored here)."""
        return f"imap:{self.username}@{self.host}:{self.port}"


def _default_port(security: Security) -> int:
    return {Security.SSL: 993, Security.STARTTLS: 143, Security.PLAIN: 143}[security]


def load_imap_settings(session: Session) -> ImapSettings:
    raw = {k: get_setting(session, f"imap.{k}") for k in ("host", "port", "security", "username")}
    security = Security(raw["security"]) if raw["security"] else Security.SSL
    return ImapSettings(
        host=raw["host"] or "",
        port=int(raw["port"]) if raw["port"] else _default_port(security),
        security=security,
        username=raw["username"] or "",
    )


def validate_imap_settings(s: ImapSettings) -> ImapSettings:
    host = s.host.strip()
    if not host or any(c.isspace() for c in host) or "/" in host:
        raise ValidationError(
            "incoming server", "enter the IMAP server's name, e.g. imap.gmail.com"
        )
    if not 0 < s.port < 65536:
        raise ValidationError("incoming port", f"{s.port} is not a port number (993 usually)")
    if s.security is Security.PLAIN and not is_loopback(host):
        raise ValidationError(
            "incoming security",
            "an unencrypted connection would send your password in the clear; choose SSL/TLS",
        )
    user = s.username.strip()
    if not user:
        raise ValidationError("incoming user name", "enter your mailbox's user name")
    if "@" in user:
        user = normalise_email(user, "incoming user name")
    return ImapSettings(host, s.port, s.security, user, s.timeout)


def save_imap_settings(session: Session, s: ImapSettings) -> ImapSettings:
    s = validate_imap_settings(s)
    for k, v in (
        ("host", s.host),
        ("port", str(s.port)),
        ("security", s.security.value),
        ("username", s.username),
    ):
        set_setting(session, f"imap.{k}", v)
    return s


class ImapError(DeckfollowError):
    """The mailbox could not be read; `str()` says why and what to do."""


@dataclass(frozen=True)
class Password:
    secret: str


@dataclass(frozen=True)
class AccessToken:
    token: str


Auth = Password | AccessToken


@dataclass(frozen=True)
class RawMessage:
    uid: int
    header: bytes
    text: bytes  # the first TEXT_BYTES of the message's text, at most


_UID = re.compile(rb"UID (\d+)")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class Mailbox:
    """One connection to the inbox, opened read-only."""

    def __init__(
        self, settings: ImapSettings, auth: Auth, *, ssl_context: ssl.SSLContext | None = None
    ) -> None:
        self.settings = settings
        self._auth = auth
        self._ctx = ssl_context if ssl_context is not None else system_context()
        self._imap: imaplib.IMAP4 | None = None
        self.uidvalidity = 0

    def __enter__(self) -> Mailbox:
        s = self.settings
        if s.security is Security.PLAIN and not is_loopback(s.host):
            raise ImapError("plain connections are only allowed to this computer")
        where = f"{s.host}:{s.port}"
        try:
            if s.security is Security.SSL:
                imap: imaplib.IMAP4 = imaplib.IMAP4_SSL(
                    s.host, s.port, ssl_context=self._ctx, timeout=s.timeout
                )
            else:
                imap = imaplib.IMAP4(s.host, s.port, timeout=s.timeout)
                if s.security is Security.STARTTLS:
                    imap.starttls(ssl_context=self._ctx)
        except socket.gaierror as exc:
            raise ImapError(f"cannot find the mail server {s.host!r}; check its name") from exc
        except ssl.SSLCertVerificationError as exc:
            raise ImapError(
                f"the mail server's certificate could not be trusted ({exc.verify_message})"
            ) from exc
        except (OSError, imaplib.IMAP4.error) as exc:
            raise ImapError(
                f"the mail server {where} is not answering ({type(exc).__name__}); check the "
                "incoming server and port"
            ) from exc
        self._imap = imap
        try:
            self._login(imap)
            typ, _ = imap.select("INBOX", readonly=True)
            if typ != "OK":
                raise ImapError("the mailbox has no INBOX to read")
            raw = imap.response("UIDVALIDITY")[1]
            self.uidvalidity = int(raw[0]) if raw and raw[0] else 0
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _login(self, imap: imaplib.IMAP4) -> None:
        user = self.settings.username
        try:
            if isinstance(self._auth, AccessToken):
                token = xoauth2(user, self._auth.token)
                imap.authenticate("XOAUTH2", lambda _challenge: token)
            elif user.isascii() and self._auth.secret.isascii():
                imap.login(user, self._auth.secret)
            else:
                # LOGIN is ASCII-only in imaplib; AUTHENTICATE PLAIN is UTF-8 (RFC 4616).
                plain = f"\0{user}\0{self._auth.secret}".encode()
                imap.authenticate("PLAIN", lambda _challenge: plain)
        except imaplib.IMAP4.error as exc:
            # The server's words only: imaplib's message never holds the password.
            raise ImapError(
                f"the mail server refused the sign-in for {user!r} ({_words(exc)}); check the "
                "password, or sign in again"
            ) from exc

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        imap, self._imap = self._imap, None
        if imap is None:
            return
        try:
            imap.logout()
        except (OSError, imaplib.IMAP4.error):
            imap.shutdown()

    def _conn(self) -> imaplib.IMAP4:
        if self._imap is None:
            raise ImapError("the mailbox is not open")
        return self._imap

    def uids_after(self, last_uid: int) -> list[int]:
        """UIDs of messages that arrived after `last_uid`, oldest first."""
        typ, data = self._conn().uid("SEARCH", f"UID {last_uid + 1}:*")
        if typ != "OK":
            raise ImapError("the mail server could not list new messages")
        found = [int(u) for u in b" ".join(d for d in data if d).split()]
        return sorted(u for u in found if u > last_uid)  # "n:*" always names the newest

    def uids_since(self, day: date) -> list[int]:
        """UIDs of messages that arrived on or after `day` (the server's arrival date)."""
        # IMAP dates name the month in English whatever the computer's language.
        when = f"{day.day:02d}-{_MONTHS[day.month - 1]}-{day.year}"
        typ, data = self._conn().uid("SEARCH", "SINCE", when)
        if typ != "OK":
            raise ImapError("the mail server could not list recent messages")
        return sorted(int(u) for u in b" ".join(d for d in data if d).split())

    def highest_uid(self) -> int:
        """The newest message's UID (0 for an empty mailbox)."""
        typ, data = self._conn().uid("SEARCH", "UID", "*")
        if typ != "OK":
            raise ImapError("the mail server could not list messages")
        found = [int(u) for u in b" ".join(d for d in data if d).split()]
        return max(found, default=0)

    def fetch(self, uids: list[int]) -> Iterator[RawMessage]:
        """Header and the start of the text of each message, in UID order."""
        for start in range(0, len(uids), BATCH):
            chunk = uids[start : start + BATCH]
            which = ",".join(str(u) for u in chunk)
            typ, data = self._conn().uid(
                "FETCH", which, f"(UID BODY.PEEK[HEADER] BODY.PEEK[TEXT]<0.{TEXT_BYTES}>)"
            )
            if typ != "OK":
                raise ImapError("the mail server could not hand over new messages")
            got: dict[int, dict[str, bytes]] = {}
            current: dict[str, bytes] | None = None
            for item in data:
                if isinstance(item, tuple):
                    prefix, payload = item
                    if re.match(rb"^\d+ \(", prefix):
                        current = {}
                    if current is None:
                        continue
                    m = _UID.search(prefix)
                    if m:
                        got[int(m.group(1))] = current
                    part = "header" if b"HEADER" in prefix.upper() else "text"
                    current[part] = bytes(payload)
                elif isinstance(item, bytes) and current is not None:
                    m = _UID.search(item)
                    if m:
                        got[int(m.group(1))] = current
            for uid in chunk:
                parts = got.get(uid)
                if parts is not None and "header" in parts:
                    yield RawMessage(uid, parts["header"], parts.get("text", b""))


def _words(exc: BaseException) -> str:
    text = str(exc.args[0] if exc.args else exc)
    if text.startswith("b'") or text.startswith('b"'):
        text = text[2:-1]
    return text[:200]


def check_connection(settings: ImapSettings, auth: Auth, **kw: ssl.SSLContext | None) -> int:
    """Sign in and count the inbox's messages (for the settings page's "Test")."""
    with Mailbox(settings, auth, ssl_context=kw.get("ssl_context")) as mb:
        return len(mb.uids_after(0))
