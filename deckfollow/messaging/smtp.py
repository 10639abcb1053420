"""Sending email through the owner's own mail account (SMTP over SSL or STARTTLS).

Settings (server, port, security, user, sender) are plain preferences in the database;
the password is passed in by the caller, who gets it from `credentials` (the keyring).
Every failure becomes a `SendError` with a message a tradesperson can act on.
"""

from __future__ import annotations

import base64
import functools
import ipaddress
import smtplib
import socket
import ssl
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from enum import StrEnum

from sqlalchemy.orm import Session

from deckfollow.core.contact_info import normalise_email
from deckfollow.core.errors import DeckfollowError, ValidationError
from deckfollow.core.settings import get_setting, load_settings, set_setting
from deckfollow.messaging.email_extras import Extras, apply_extras
from deckfollow.messaging.sasl import xoauth2


class Security(StrEnum):
    SSL = "ssl"  # TLS from the first byte, usually port 465
    STARTTLS = "starttls"  # upgrade after connecting, usually port 587
    PLAIN = "plain"  # no encryption: only to this computer (a local relay, tests)

    @property
    def label(self) -> str:
        return {
            Security.SSL: "SSL/TLS (port 465)",
            Security.STARTTLS: "STARTTLS (port 587)",
            Security.PLAIN: "None (this computer only)",
        }[self]

    @property
    def default_port(self) -> int:
        return {Security.SSL: 465, Security.STARTTLS: 587, Security.PLAIN: 25}[self]


@dataclass(frozen=True)
class SmtpSettings:
    host: str = ""
    port: int = 587
    security: Security = Security.STARTTLS
    username: str = ""
    from_address: str = ""
    from_name: str = ""
    timeout: float = 30.0

    @property
    def configured(self) -> bool:
        return bool(self.host and self.from_address)

    @property
    def account(self) -> str:
        """The keyring account name for this server and user (never the password)."""
        return f"smtp:{self.username or self.from_address}@{self.host}:{self.port}"


_KEYS = ("host", "port", "security", "username", "from_address", "from_name")


def load_smtp_settings(session: Session) -> SmtpSettings:
    """The stored mail settings; the sender name defaults to the business name."""
    raw = {k: get_setting(session, f"smtp.{k}") for k in _KEYS}
    owner = load_settings(session)
    security = Security(raw["security"]) if raw["security"] else Security.STARTTLS
    port = int(raw["port"]) if raw["port"] else security.default_port
    return SmtpSettings(
        host=raw["host"] or "",
        port=port,
        security=security,
        username=raw["username"] or "",
        from_address=raw["from_address"] or "",
        from_name=raw["from_name"] or owner.business_name or owner.owner_name,
    )


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def validate_smtp_settings(s: SmtpSettings) -> SmtpSettings:
    """Check and tidy the settings; raises ValidationError naming the field."""
    host = s.host.strip()
    if not host or any(c.isspace() for c in host) or "/" in host:
        raise ValidationError("server", "enter the mail server's name, e.g. smtp.example.com")
    if not 0 < s.port < 65536:
        raise ValidationError("port", f"{s.port} is not a port number (465 or 587 usually)")
    if s.security is Security.PLAIN and not is_loopback(host):
        raise ValidationError(
            "security",
            "an unencrypted connection would send your password in the clear; choose "
            "SSL/TLS or STARTTLS (plain is only allowed to this computer)",
        )
    sender = normalise_email(s.from_address, "your email address")
    return SmtpSettings(
        host, s.port, s.security, s.username.strip(), sender, " ".join(s.from_name.split())
    )


def save_smtp_settings(session: Session, s: SmtpSettings) -> SmtpSettings:
    """Store the settings (never the password)."""
    s = validate_smtp_settings(s)
    values = {
        "host": s.host,
        "port": str(s.port),
        "security": s.security.value,
        "username": s.username,
        "from_address": s.from_address,
        "from_name": s.from_name,
    }
    for k, v in values.items():
        set_setting(session, f"smtp.{k}", v)
    return s


class Failure(StrEnum):
    CONFIG = "config"
    CONNECT = "connect"
    TLS = "tls"
    AUTH = "auth"
    SENDER = "sender"
    RECIPIENT = "recipient"
    SERVER = "server"


class SendError(DeckfollowError):
    """The email was not sent; `str()` says why and what to do."""

    def __init__(self, failure: Failure, message: str) -> None:
        super().__init__(message)
        self.failure = failure


@dataclass(frozen=True)
class Footer:
    """Commercial-email footer: who is writing, from where, and how to say no more."""

    business: str
    address: str
    opt_out: str

    def text(self) -> str:
        who = " · ".join(p for p in (self.business, self.address) if p)
        return "\n".join(p for p in ("-- ", who, self.opt_out) if p)


DEFAULT_OPT_OUT = (
    "You're getting this because you asked us for a quote. If you'd rather not hear from "
    'us by email, reply "stop" and we won\'t email you again.'
)


def make_footer(session: Session) -> Footer:
    """The footer from the owner's business details and opt-out wording."""
    owner = load_settings(session)
    opt_out = get_setting(session, "email.opt_out_text") or DEFAULT_OPT_OUT
    return Footer(owner.business_name, " ".join(owner.business_address.split()), opt_out)


def footer_enabled(session: Session) -> bool:
    return get_setting(session, "email.footer", "0") == "1"


def load_footer(session: Session) -> Footer | None:
    """The footer if the owner turned it on (setting `email.footer`)."""
    return make_footer(session) if footer_enabled(session) else None


def save_footer(session: Session, *, enabled: bool, opt_out: str | None = None) -> None:
    set_setting(session, "email.footer", "1" if enabled else "0")
    if opt_out is not None:
        set_setting(session, "email.opt_out_text", opt_out.strip())


def build_email(
    settings: SmtpSettings,
    *,
    to_address: str,
    to_name: str,
    subject: str,
    body: str,
    now: datetime,
    footer: Footer | None = None,
    require_subject: bool = True,
    extras: Extras | None = None,
) -> EmailMessage:
    """A message with proper headers (names in any script are encoded): plain text, or with
    `extras` an HTML twin, the owner's signature, Reply-To and attachments."""
    if not settings.configured:
        raise SendError(Failure.CONFIG, "set up your email account first (server and address)")
    if require_subject and not subject.strip():
        raise ValidationError("subject", "an email needs a subject")
    if "\n" in subject or "\r" in subject:
        raise ValidationError("subject", "the subject must be one line")
    to = normalise_email(to_address, "customer's email")
    msg = EmailMessage()
    from_user, _, from_domain = settings.from_address.rpartition("@")
    to_user, _, to_domain = to.rpartition("@")
    msg["From"] = Address(settings.from_name or "", from_user, from_domain)
    msg["To"] = Address(" ".join(to_name.split()), to_user, to_domain)
    if subject.strip():
        msg["Subject"] = subject.strip()
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = make_msgid(domain=from_domain or None)
    if footer is not None:
        msg["List-Unsubscribe"] = f"<mailto:{settings.from_address}?subject=stop>"
    if extras is not None:
        apply_extras(msg, body, footer.text() if footer is not None else "", extras)
        return msg
    text = body.rstrip() + "\n"
    if footer is not None:
        text += "\n" + footer.text() + "\n"
    msg.set_content(text, cte="quoted-printable" if not text.isascii() else "7bit")
    return msg


@functools.cache
def system_context() -> ssl.SSLContext:
    """TLS that trusts what the operating system trusts (its store, via truststore)."""
    # Loading the system's trusted certificates takes ~20 ms: once per run is enough.
    try:
        import truststore
    except ImportError:  # pragma: no cover - a dependency; kept for a bare source checkout
        return ssl.create_default_context()
    return truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


def _server_text(err: smtplib.SMTPResponseException) -> str:
    raw = err.smtp_error
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    return f"{err.smtp_code} {text}".strip()


def _connect(settings: SmtpSettings, ctx: ssl.SSLContext) -> smtplib.SMTP:
    if settings.security is Security.SSL:
        return smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout, context=ctx)
    return smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)


def send_email(
    settings: SmtpSettings,
    password: str | None,
    msg: EmailMessage,
    *,
    ssl_context: ssl.SSLContext | None = None,
    access_token: str | None = None,
) -> str:
    """Send `msg`; returns its Message-ID. Raises SendError with a clear reason on failure.

    With `access_token` (a Gmail or Microsoft sign-in) the login is XOAUTH2, not a password.
    """
    if settings.security is Security.PLAIN and not is_loopback(settings.host):
        raise SendError(Failure.CONFIG, "plain connections are only allowed to this computer")
    ctx = ssl_context if ssl_context is not None else system_context()
    where = f"{settings.host}:{settings.port}"
    try:
        smtp = _connect(settings, ctx)
    except socket.gaierror as exc:
        raise SendError(
            Failure.CONNECT,
            f"cannot find the mail server {settings.host!r}: check its name and that you "
            "are online",
        ) from exc
    except ssl.SSLError as exc:
        raise SendError(Failure.TLS, _tls_message(exc, settings)) from exc
    except (TimeoutError, ConnectionError, smtplib.SMTPConnectError, OSError) as exc:
        raise SendError(
            Failure.CONNECT,
            f"the mail server {where} is not answering ({type(exc).__name__}); check the "
            "server and port, or try again later",
        ) from exc
    try:
        # Never turn on smtplib's debug output: it would print the AUTH exchange.
        smtp.set_debuglevel(0)
        smtp.ehlo()
        if settings.security is Security.STARTTLS:
            if not smtp.has_extn("starttls"):
                raise SendError(
                    Failure.TLS,
                    f"the mail server {where} does not offer STARTTLS; try SSL/TLS on port 465",
                )
            smtp.starttls(context=ctx)
            smtp.ehlo()
        if settings.username and access_token:
            _login_xoauth2(smtp, settings.username, access_token)
        elif settings.username:
            if not password:
                raise SendError(Failure.AUTH, "enter your email password to send")
            if not smtp.has_extn("auth"):
                raise SendError(
                    Failure.AUTH,
                    f"the mail server {where} does not accept a login on this connection; "
                    "check the security setting",
                )
            _login(smtp, settings.username, password)
        smtp.send_message(msg)
    except SendError:
        raise
    except smtplib.SMTPAuthenticationError as exc:
        raise SendError(
            Failure.AUTH,
            f"the mail server refused the user name or password for {settings.username!r} "
            f"({_server_text(exc)}); check them in Email settings",
        ) from exc
    except smtplib.SMTPRecipientsRefused as exc:
        details = "; ".join(
            f"{addr}: {code} {text.decode('utf-8', 'replace') if isinstance(text, bytes) else text}"
            for addr, (code, text) in exc.recipients.items()
        )
        raise SendError(
            Failure.RECIPIENT, f"the mail server refused the customer's address ({details})"
        ) from exc
    except smtplib.SMTPSenderRefused as exc:
        raise SendError(
            Failure.SENDER,
            f"the mail server refused to send from {settings.from_address} "
            f"({_server_text(exc)}); it must be your account's own address",
        ) from exc
    except smtplib.SMTPNotSupportedError as exc:
        raise SendError(Failure.TLS, f"the mail server {where} does not support this") from exc
    except ssl.SSLError as exc:
        raise SendError(Failure.TLS, _tls_message(exc, settings)) from exc
    except smtplib.SMTPServerDisconnected as exc:
        raise SendError(
            Failure.CONNECT, f"the mail server {where} closed the connection; try again"
        ) from exc
    except smtplib.SMTPResponseException as exc:
        raise SendError(
            Failure.SERVER, f"the mail server did not accept the email ({_server_text(exc)})"
        ) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise SendError(
            Failure.SERVER, f"sending failed ({type(exc).__name__}); nothing was sent"
        ) from exc
    finally:
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()
    return str(msg["Message-ID"])


def send_test_email(
    settings: SmtpSettings,
    password: str | None,
    *,
    now: datetime,
    ssl_context: ssl.SSLContext | None = None,
) -> str:
    """Send a short note to the owner's own address to prove the settings work."""
    msg = build_email(
        settings,
        to_address=settings.from_address,
        to_name=settings.from_name,
        subject="deckfollow can send your follow-up emails",
        body="This is a test from deckfollow: your email settings work.\n",
        now=now,
    )
    return send_email(settings, password, msg, ssl_context=ssl_context)


def _login(smtp: smtplib.SMTP, user: str, password: str) -> None:
    if user.isascii() and password.isascii():
        smtp.login(user, password)
        return
    # smtplib sends credentials as ASCII only; AUTH PLAIN is defined as UTF-8 (RFC 4616).
    if "PLAIN" not in smtp.esmtp_features.get("auth", "").upper().split():
        raise SendError(
            Failure.AUTH,
            "your user name or password has letters this mail server cannot take "
            "(it does not offer AUTH PLAIN)",
        )
    token = base64.b64encode(b"\0" + user.encode() + b"\0" + password.encode()).decode("ascii")
    code, resp = smtp.docmd("AUTH", "PLAIN " + token)
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, resp)


def _login_xoauth2(smtp: smtplib.SMTP, user: str, token: str) -> None:
    if "XOAUTH2" not in smtp.esmtp_features.get("auth", "").upper().split():
        raise SendError(
            Failure.AUTH,
            "the mail server does not accept a browser sign-in (XOAUTH2); use a password",
        )
    initial = xoauth2(user, token).decode()
    # On failure the server sends a JSON challenge; an empty answer ends the exchange.
    smtp.auth("XOAUTH2", lambda challenge=None: "" if challenge else initial)


def _tls_message(exc: ssl.SSLError, settings: SmtpSettings) -> str:
    if isinstance(exc, ssl.SSLCertVerificationError):
        return (
            f"the mail server's certificate could not be trusted ({exc.verify_message}); "
            "check the server name, or your computer's date and time"
        )
    hint = (
        " Port 465 normally uses SSL/TLS and port 587 STARTTLS."
        if "WRONG_VERSION" in str(exc).upper()
        else ""
    )
    return f"a secure connection to {settings.host}:{settings.port} failed ({exc.reason}).{hint}"
