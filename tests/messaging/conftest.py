"""Real parts for the messaging tests: an SMTP server on loopback, a certificate, a keyring."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import ssl
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from deckfollow.core.leads import LeadCreated, NewLead, add_lead
from deckfollow.core.models import Customer, Quote
from deckfollow.core.settings import save_setting
from deckfollow.messaging.smtp import Security, SmtpSettings
from deckfollow.storage.database import Database

SMTP_USER = "sam@carpenterdecks.example"
SMTP_PASSWORD = "Tr0ub4dor&3-ĸeyring-ONLY"


@pytest.fixture
def customer(db: Database, now: datetime) -> LeadCreated:
    """A Sydney customer with a non-ASCII name, a priced quote and the owner's details set."""
    with db.unit_of_work() as s:
        created = add_lead(
            s,
            NewLead(
                "Zoë Łukasiewicz",
                phone="+61412000111",
                email="zoe@example.com",
                country="AU",
                timezone="Australia/Sydney",
                job="Spotted-gum deck with steps",
                answered=True,
            ),
            now=now - timedelta(hours=3),
        )
        q = s.get(Quote, created.quote_id)
        assert q is not None
        q.amount = Decimal("12480.50")
        q.number = "Q-1042"
        c = s.get(Customer, created.customer_id)
        assert c is not None
        c.phone_office = "+61298765432"
        save_setting(s, "owner_name", "Sam Núñez")
        save_setting(s, "business_name", "Carpenter Decks")
        save_setting(s, "owner_phone", "+61412555019")
        save_setting(s, "business_address", "12 Timber Lane, Marrickville NSW 2204")
        save_setting(s, "owner_timezone", "Australia/Sydney")
        save_setting(s, "default_country", "AU")
        return created


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes
    message: EmailMessage
    login: str | None


@dataclass
class Handler:
    received: list[Received] = field(default_factory=list)
    refuse_prefix: str = "nobody"

    async def handle_RCPT(
        self, server: Any, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        if address.startswith(self.refuse_prefix):
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Session, envelope: Envelope) -> str:
        raw = bytes(envelope.original_content or b"")
        msg = message_from_bytes(raw, policy=policy.default)
        assert isinstance(msg, EmailMessage)
        login = session.auth_data.login.decode() if session.auth_data else None
        self.received.append(
            Received(str(envelope.mail_from), list(envelope.rcpt_tos), raw, msg, login)
        )
        return "250 Message accepted"


class Authenticator:
    def __call__(
        self, server: Any, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
    ) -> AuthResult:
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == SMTP_USER
            and auth_data.password.decode() == SMTP_PASSWORD
        )
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)


@dataclass
class Server:
    port: int
    handler: Handler
    client_context: ssl.SSLContext
    security: Security

    def settings(self, *, username: str = "") -> SmtpSettings:
        return SmtpSettings(
            host="127.0.0.1",
            port=self.port,
            security=self.security,
            username=username,
            from_address=SMTP_USER,
            from_name="Sam Núñez · Carpenter Decks",
            timeout=10,
        )

    @property
    def received(self) -> list[Received]:
        return self.handler.received


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 / localhost (cert, key) made for this run."""
    folder = tmp_path_factory.mktemp("tls")
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    import ipaddress

    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path = folder / "cert.pem"
    key_path = folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


StartServer = Callable[..., Server]


@pytest.fixture
def smtp_server(certificate: tuple[Path, Path]) -> Iterator[StartServer]:
    """Start a real aiosmtpd server on loopback: plain, STARTTLS or SSL; with AUTH or not."""
    cert, key = certificate
    controllers: list[Controller] = []

    def start(security: Security = Security.PLAIN, *, auth: bool = False) -> Server:
        server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        server_ctx.load_cert_chain(cert, key)
        client_ctx = ssl.create_default_context(cafile=str(cert))
        handler = Handler()
        port = free_port()
        kwargs: dict[str, Any] = {}
        if security is Security.STARTTLS:
            kwargs.update(tls_context=server_ctx, require_starttls=True)
        if security is Security.SSL:
            # aiosmtpd only counts STARTTLS as TLS for AUTH; here the whole socket is TLS.
            kwargs.update(ssl_context=server_ctx, auth_require_tls=False)
        if auth:
            kwargs.update(authenticator=Authenticator(), auth_required=True)
        controller = Controller(handler, hostname="127.0.0.1", port=port, **kwargs)
        controller.start()
        controllers.append(controller)
        return Server(port, handler, client_ctx, security)

    yield start
    for c in controllers:
        c.stop()


@dataclass
class KeyringDaemon:
    bus_address: str


@pytest.fixture
def secret_service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[KeyringDaemon]:
    """A private D-Bus session bus with gnome-keyring's Secret Service, unlocked."""
    if shutil.which("dbus-daemon") is None or shutil.which("gnome-keyring-daemon") is None:
        pytest.fail("install dbus and gnome-keyring (packaging/debian-test-packages.txt)")
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    home = tmp_path / "keyring-home"
    home.mkdir()
    env = dict(os.environ, HOME=str(home), XDG_RUNTIME_DIR=str(runtime))
    bus = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE,
        env=env,
    )
    assert bus.stdout is not None
    address = bus.stdout.readline().decode().strip()
    env["DBUS_SESSION_BUS_ADDRESS"] = address
    daemon = subprocess.Popen(
        ["gnome-keyring-daemon", "--unlock", "--components=secrets", "--foreground"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    assert daemon.stdin is not None
    daemon.stdin.write(b"keyring-unlock-pw")
    daemon.stdin.close()
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    from jeepney.bus_messages import message_bus  # type: ignore[import-untyped]
    from jeepney.io.blocking import open_dbus_connection  # type: ignore[import-untyped]

    # Wait until *this* daemon owns the name; asking the service earlier would make D-Bus
    # activate a second, locked keyring daemon.
    deadline = time.monotonic() + 20
    while True:
        with open_dbus_connection(bus=address) as conn:
            reply = conn.send_and_get_reply(message_bus.NameHasOwner("org.freedesktop.secrets"))
            if reply.body[0]:
                break
        if daemon.poll() is not None:
            pytest.fail("gnome-keyring-daemon exited at start")
        if time.monotonic() > deadline:
            pytest.fail("gnome-keyring-daemon did not start")
        time.sleep(0.05)
    # Commands run in this process (`run_cli`), where keyring keeps the backend it chose
    # first; an earlier test without this bus would leave it on another one.
    import keyring
    from keyring.backends import SecretService

    previous = keyring.get_keyring()
    keyring.set_keyring(SecretService.Keyring())  # type: ignore[no-untyped-call]
    try:
        yield KeyringDaemon(address)
    finally:
        keyring.set_keyring(previous)
        for proc in (daemon, bus):
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if bus.stdout is not None:
            bus.stdout.close()


@pytest.fixture
def dovecot() -> Iterator[Any]:
    """A real Dovecot IMAP server on loopback with an empty inbox (see imap_server.py)."""
    import tempfile

    from tests.messaging.imap_server import start_dovecot

    # Not under pytest's private temp folder: Dovecot's own users must reach the config.
    root = Path(tempfile.mkdtemp(prefix="deckfollow-dovecot-"))
    root.chmod(0o755)
    server = start_dovecot(root / "server")
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def sms_standin() -> Iterator[Any]:
    """Twilio's and ClickSend's APIs as their documents describe them, on loopback."""
    from tests.messaging.sms_standin import StandinServer

    server = StandinServer()
    try:
        yield server.state
    finally:
        server.close()
