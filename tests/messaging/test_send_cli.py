"""`deckfollow send email` through a real SMTP server on loopback."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from keyring.backends import SecretService
from sqlalchemy import select

from deckfollow.core.enums import Channel, FollowUpStatus, Outcome
from deckfollow.core.followups import FollowUpPlan, schedule_follow_up
from deckfollow.core.leads import LeadCreated
from deckfollow.core.models import FollowUp, Touch
from deckfollow.messaging.credentials import CredentialStore, Where
from deckfollow.messaging.sms_providers import Provider, SmsSettings, save_sms_settings
from deckfollow.messaging.smtp import Security, save_smtp_settings
from deckfollow.storage.database import Database, open_database

# A fresh interpreter per command: the keyring daemon runs on a private D-Bus session whose
# address the keyring library picks up only when it first loads.
from tests.cli.helpers import run_cli_process as run_cli
from tests.messaging.conftest import KeyringDaemon, StartServer
from tests.messaging.sms_standin import TWILIO_SID, TWILIO_TOKEN, Standin


def test_send_email_from_the_command_line(
    db: Database, db_path: Path, now: datetime, customer: LeadCreated, smtp_server: StartServer
) -> None:
    server = smtp_server(Security.PLAIN)
    with db.unit_of_work() as s:
        save_smtp_settings(s, server.settings())
        fu_id = schedule_follow_up(
            s,
            customer.customer_id,
            customer.quote_id,
            FollowUpPlan(now, Channel.EMAIL, "Check whether the quote raised any questions"),
            now=now - timedelta(hours=1),
        ).id
    db.close()
    at = ["--db", str(db_path), "--now", now.isoformat()]
    args = [*at, "send", "email", str(fu_id), "--next-at", "2026-11-27T10:00"]

    dry = run_cli(*args, "--next-reason", "Send photos", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "Subject: Your quote Q-1042 from Carpenter Decks" in dry.stdout
    assert "The reason I'm writing is to check whether the quote raised any questions." in (
        dry.stdout
    )
    assert server.received == []

    sent = run_cli(*args, "--next-reason", "Send photos", "--footer")
    assert sent.returncode == 0, sent.stderr
    assert "Email sent to zoe@example.com and logged." in sent.stderr
    [got] = server.received
    plain = got.message.get_body(("plain",))
    assert plain is not None
    assert "12 Timber Lane, Marrickville NSW 2204" in plain.get_content()

    # Running it twice does not email the customer twice.
    again = run_cli(*args, "--next-reason", "Send photos")
    assert again.returncode == 1
    assert f"follow-up {fu_id} is done, not waiting to be done; nothing sent" in again.stderr
    assert len(server.received) == 1

    check = open_database(str(db_path))
    with check.reading() as s:
        touches = list(s.execute(select(Touch.channel, Touch.outcome, Touch.subject)))
        pending = list(
            s.execute(
                select(FollowUp.reason).where(FollowUp.status == FollowUpStatus.PENDING)
            ).scalars()
        )
    check.close()
    assert touches[0] == (Channel.EMAIL, Outcome.SENT, "Your quote Q-1042 from Carpenter Decks")
    assert pending == ["Send photos"]


def test_send_text_from_the_command_line_through_the_provider(
    db: Database,
    db_path: Path,
    now: datetime,
    customer: LeadCreated,
    sms_standin: Standin,
    secret_service: KeyringDaemon,
) -> None:
    sms = SmsSettings(Provider.TWILIO, TWILIO_SID, "+61412555019", sms_standin.base)
    with db.unit_of_work() as s:
        save_sms_settings(s, sms)
        fu_id = schedule_follow_up(
            s,
            customer.customer_id,
            customer.quote_id,
            FollowUpPlan(now, Channel.TEXT, "Check the quote arrived"),
            now=now - timedelta(hours=1),
        ).id
    store = CredentialStore(SecretService.Keyring())  # type: ignore[no-untyped-call]
    assert store.put(sms.secret_account, TWILIO_TOKEN) is Where.KEYRING
    db.close()
    at = ["--db", str(db_path), "--now", now.isoformat()]
    args = [*at, "send", "text", str(fu_id), "--next-at", "2026-11-27T10:00"]

    dry = run_cli(*args, "--next-reason", "Send photos", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "To: Zoë Łukasiewicz <+61412000111>" in dry.stdout
    assert dry.stdout.rstrip().endswith("Reply STOP to opt out.")
    assert sms_standin.sent == []

    sent = run_cli(*args, "--next-reason", "Send photos")
    assert sent.returncode == 0, sent.stderr
    assert "through Twilio (0.0790 USD) and logged" in sent.stderr
    assert len(sms_standin.sent) == 1
    assert TWILIO_TOKEN not in sent.stdout + sent.stderr
    check = open_database(str(db_path))
    with check.reading() as s:
        touch = s.execute(select(Touch).where(Touch.channel == Channel.TEXT)).scalar_one()
        assert touch.outcome is Outcome.SENT
        fu = s.get(FollowUp, fu_id)
        assert fu is not None and fu.status is FollowUpStatus.DONE
    check.close()

    again = run_cli(*args, "--next-reason", "Send photos")
    assert again.returncode == 1 and "not waiting to be done" in again.stderr
