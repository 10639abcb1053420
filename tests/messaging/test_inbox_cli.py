"""`deckfollow inbox check` against a real IMAP server, the password in the keyring."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

from keyring.backends import SecretService

from deckfollow.core.leads import LeadCreated
from deckfollow.messaging.credentials import CredentialStore, Where
from deckfollow.messaging.imap import ImapSettings, save_imap_settings
from deckfollow.messaging.smtp import Security
from deckfollow.storage.database import Database
from tests.cli.helpers import run_cli
from tests.messaging.conftest import KeyringDaemon
from tests.messaging.imap_server import IMAP_PASSWORD, IMAP_USER, Dovecot
from tests.messaging.test_inbox import mail


def test_inbox_check_logs_a_reply_once_and_says_what_it_did(
    db: Database,
    db_path: Path,
    now: datetime,
    customer: LeadCreated,
    dovecot: Dovecot,
    secret_service: KeyringDaemon,
) -> None:
    with db.unit_of_work() as s:
        imap = save_imap_settings(
            s, ImapSettings("127.0.0.1", dovecot.port, Security.PLAIN, IMAP_USER)
        )
    store = CredentialStore(SecretService.Keyring())  # type: ignore[no-untyped-call]
    assert store.put(imap.account, IMAP_PASSWORD) is Where.KEYRING
    db.close()
    dovecot.deliver(mail("zoe@example.com", "Yes, Tuesday works.", at=now - timedelta(minutes=5)))
    at = ["--db", str(db_path), "--now", now.isoformat()]

    first = run_cli(*at, "inbox", "check", "--json")
    assert first.returncode == 0, first.stderr
    data = json.loads(first.stdout)
    assert data["read"] == 1
    [msg] = data["messages"]
    assert (msg["kind"], msg["customer"]) == ("reply", "Zoë Łukasiewicz")
    assert IMAP_PASSWORD not in first.stdout + first.stderr

    second = run_cli(*at, "inbox", "check")
    assert second.returncode == 0, second.stderr
    assert second.stdout == ""
    assert "0 new messages" in second.stderr


def test_inbox_check_without_settings_says_what_to_do(db: Database, db_path: Path) -> None:
    db.close()
    result = run_cli("--db", str(db_path), "inbox", "check")
    assert result.returncode == 2
    assert "incoming server" in result.stderr and "Email settings" in result.stderr
