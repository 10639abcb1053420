"""The email password lives in the OS keyring (or only in memory), never in our files."""

from __future__ import annotations

import base64
import logging
from collections.abc import Iterator
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from keyring.backend import KeyringBackend
from keyring.backends import SecretService, fail, null
from platformdirs import user_log_dir

from deckfollow.core.enums import Channel
from deckfollow.core.followups import FollowUpPlan, schedule_follow_up
from deckfollow.core.leads import LeadCreated
from deckfollow.exchange.csv_export import export_csv
from deckfollow.exchange.json_export import export_json
from deckfollow.exchange.ledger_export import load_ledger, write_ledger_csv, write_ledger_pdf
from deckfollow.exchange.vcard import write_vcard
from deckfollow.messaging.credentials import CredentialStore, Where
from deckfollow.messaging.imap import ImapSettings, save_imap_settings
from deckfollow.messaging.inbox import set_inbox_enabled
from deckfollow.messaging.outbox import Draft, send_email_and_log
from deckfollow.messaging.smtp import Security, load_smtp_settings, save_smtp_settings
from deckfollow.messaging.watch import check_if_due
from deckfollow.storage.backup_copies import backup_to
from deckfollow.storage.database import Database
from tests.messaging.conftest import SMTP_PASSWORD, SMTP_USER, KeyringDaemon, StartServer
from tests.messaging.imap_server import IMAP_PASSWORD, IMAP_USER, Dovecot


def _secret_service() -> KeyringBackend:
    return SecretService.Keyring()  # type: ignore[no-untyped-call]


def test_the_system_keyring_keeps_the_password(secret_service: KeyringDaemon) -> None:
    store = CredentialStore(_secret_service())
    status = store.status()
    assert status.usable and status.backend == "SecretService Keyring"
    assert "system keyring (SecretService Keyring)" in status.detail
    assert store.put("smtp:sam@mail.example:587", SMTP_PASSWORD) is Where.KEYRING
    # A new store (the next start of the app) finds it in the keyring, not in memory.
    again = CredentialStore(_secret_service())
    assert again.get("smtp:sam@mail.example:587") == SMTP_PASSWORD
    assert again.where("smtp:sam@mail.example:587") is Where.KEYRING
    again.forget("smtp:sam@mail.example:587")
    assert CredentialStore(_secret_service()).get("smtp:sam@mail.example:587") is None


@pytest.mark.parametrize("backend", [fail.Keyring, null.Keyring])
def test_without_a_keyring_the_password_is_kept_for_this_session_only(backend: type) -> None:
    store = CredentialStore(backend())
    status = store.status()
    assert not status.usable
    assert "asks for it once each time you start the app" in status.detail
    assert store.put("smtp:sam@mail.example:587", SMTP_PASSWORD) is Where.SESSION
    assert store.get("smtp:sam@mail.example:587") == SMTP_PASSWORD
    assert store.where("smtp:sam@mail.example:587") is Where.SESSION
    # The next session has to ask again.
    assert CredentialStore(backend()).get("smtp:sam@mail.example:587") is None
    store.forget("smtp:sam@mail.example:587")
    assert store.where("smtp:sam@mail.example:587") is Where.NOWHERE


@pytest.fixture
def app_log(tmp_path: Path) -> Iterator[Path]:
    """Everything the app logs, at every level, goes to a file in the user's log folder."""
    folder = Path(user_log_dir("deckfollow", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "deckfollow.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    old = root.level
    root.setLevel(logging.DEBUG)
    root.addHandler(handler)
    yield path
    root.removeHandler(handler)
    root.setLevel(old)
    handler.close()


def test_the_password_is_in_no_database_log_or_export(
    db: Database,
    db_path: Path,
    now: datetime,
    customer: LeadCreated,
    smtp_server: StartServer,
    secret_service: KeyringDaemon,
    app_log: Path,
    tmp_path: Path,
    capfd: pytest.CaptureFixture[str],
) -> None:
    server = smtp_server(Security.STARTTLS, auth=True)
    store = CredentialStore(_secret_service())
    with db.unit_of_work() as s:
        smtp = save_smtp_settings(s, server.settings(username=SMTP_USER))
        fu = schedule_follow_up(
            s,
            customer.customer_id,
            customer.quote_id,
            FollowUpPlan(now, Channel.EMAIL, "Check the quote arrived"),
            now=now - timedelta(hours=1),
        )
        fu_id = fu.id
    assert store.put(smtp.account, SMTP_PASSWORD) is Where.KEYRING
    with db.reading() as s:
        smtp = load_smtp_settings(s)
    draft = Draft(
        customer.customer_id,
        Channel.EMAIL,
        "Hi Zoë, did the quote arrive? Call me on +61 412 555 019.",
        subject="Your quote",
        quote_id=customer.quote_id,
        follow_up_id=fu_id,
        to_address="zoe@example.com",
        to_name="Zoë Łukasiewicz",
    )
    # A failed login (wrong password typed once) and then the real one.
    from deckfollow.messaging.smtp import SendError

    nxt = FollowUpPlan(now + timedelta(days=4), Channel.EMAIL, "Send photos")
    with pytest.raises(SendError):
        send_email_and_log(
            db,
            draft,
            nxt,
            smtp=smtp,
            password=SMTP_PASSWORD + "x",
            clock=lambda: now,
            ssl_context=server.client_context,
        )
    password = store.get(smtp.account)
    result = send_email_and_log(
        db,
        draft,
        nxt,
        smtp=smtp,
        password=password,
        clock=lambda: now,
        ssl_context=server.client_context,
    )
    assert result.logged and len(server.received) == 1
    files = _everything_written(db, db_path, customer.customer_id, now, tmp_path, app_log)
    db.close()
    files += db_path.parent.glob(db_path.name + "*")

    secret = SMTP_PASSWORD.encode()
    forms = {
        "utf-8": secret,
        "utf-16": SMTP_PASSWORD.encode("utf-16-le"),
        "base64": base64.b64encode(secret),
        "auth-plain": base64.b64encode(b"\0" + SMTP_USER.encode() + b"\0" + secret),
        "json-escaped": SMTP_PASSWORD.encode("ascii", "backslashreplace"),
    }
    assert app_log.stat().st_size > 0, "the log should hold the send records"
    for path in files:
        data = path.read_bytes()
        for name, form in forms.items():
            assert form not in data, f"password ({name}) found in {path.name}"
    out, err = capfd.readouterr()
    for text in (out, err):
        assert SMTP_PASSWORD not in text
        assert base64.b64encode(secret).decode() not in text


def _everything_written(
    db: Database, db_path: Path, customer_id: int, now: datetime, tmp_path: Path, app_log: Path
) -> list[Path]:
    """The database with its write-ahead log, the log file, every kind of export, a backup."""
    export = tmp_path / "export.json"
    exports = [export, tmp_path / "contacts.vcf", tmp_path / "ledger.csv", tmp_path / "ledger.pdf"]
    with db.reading() as s:
        export_json(s, export, now=now)
        csvs = export_csv(s, tmp_path / "csv")
        write_vcard(s, exports[1])
        ledger = load_ledger(s, customer_id, now=now)
    write_ledger_csv(ledger, exports[2])
    write_ledger_pdf(ledger, exports[3])
    exports += [csvs.customers_path, csvs.quotes_path, backup_to(db, tmp_path / "backup.db")]
    return [app_log, *exports]


def test_the_mailbox_password_and_what_customers_wrote_are_in_no_database_log_or_export(
    db: Database,
    db_path: Path,
    now: datetime,
    customer: LeadCreated,
    dovecot: Dovecot,
    secret_service: KeyringDaemon,
    app_log: Path,
    tmp_path: Path,
    capfd: pytest.CaptureFixture[str],
) -> None:
    store = CredentialStore(_secret_service())
    with db.unit_of_work() as s:
        imap = save_imap_settings(
            s, ImapSettings("127.0.0.1", dovecot.port, Security.PLAIN, IMAP_USER)
        )
        set_inbox_enabled(s, True)
    assert store.put(imap.account, IMAP_PASSWORD) is Where.KEYRING
    body_secret = "the-lockbox-code-is-55123-PRIVATE"
    reply = EmailMessage()
    reply["From"] = "zoe@example.com"
    reply["Subject"] = "Re: Your quote"
    reply["Message-ID"] = "<r1@example.com>"
    reply.set_content(f"Yes please.\n\n\n\nP.S. {body_secret}\n")
    stop = EmailMessage()
    stop["From"] = "zoe@example.com"
    stop["Subject"] = "Re: Your quote"
    stop["Message-ID"] = "<r2@example.com>"
    stop.set_content(f"Unsubscribe me\n\n\n\n{body_secret}\n")
    dovecot.deliver(reply, stop)
    report = check_if_due(db, store, clock=lambda: now)
    assert report is not None and len(report.logged) == 2
    files = _everything_written(db, db_path, customer.customer_id, now, tmp_path, app_log)
    db.close()
    files += db_path.parent.glob(db_path.name + "*")
    forms = {
        "password": IMAP_PASSWORD.encode(),
        "password utf-16": IMAP_PASSWORD.encode("utf-16-le"),
        "auth-plain": base64.b64encode(f"\0{IMAP_USER}\0{IMAP_PASSWORD}".encode()),
        "body": body_secret.encode(),
        "body utf-16": body_secret.encode("utf-16-le"),
    }
    assert app_log.stat().st_size > 0, "the log should hold the inbox pass"
    for path in files:
        data = path.read_bytes()
        for name, form in forms.items():
            assert form not in data, f"{name} found in {path.name}"
    out, err = capfd.readouterr()
    for text in (out, err):
        assert IMAP_PASSWORD not in text and body_secret not in text
