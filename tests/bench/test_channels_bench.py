"""Channels: one inbox pass over 1,000 messages in a real Dovecot, and texts per second
through the provider stand-in with every rule checked."""

from __future__ import annotations

import imaplib
import time
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any

import pytest

from deckfollow.core.enums import Channel
from deckfollow.core.followups import FollowUpPlan, schedule_follow_up
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.settings import save_setting
from deckfollow.messaging.imap import ImapSettings, Password
from deckfollow.messaging.inbox import check_inbox
from deckfollow.messaging.outbox import Draft, send_text_and_log
from deckfollow.messaging.sms_providers import Provider, SmsSettings
from deckfollow.messaging.smtp import Security
from deckfollow.storage.database import open_database
from tests.bench.report import record
from tests.messaging.conftest import dovecot, sms_standin
from tests.messaging.imap_server import IMAP_PASSWORD, IMAP_USER, Dovecot
from tests.messaging.sms_standin import TWILIO_SID, TWILIO_TOKEN, Standin

__all__ = ["dovecot", "sms_standin"]

pytestmark = pytest.mark.bench


def test_one_inbox_pass_over_a_thousand_messages(
    tmp_path: Path, now: datetime, dovecot: Dovecot
) -> None:
    db = open_database(str(tmp_path / "bench.db"))
    with db.unit_of_work() as s:
        for i in range(200):
            add_lead(
                s,
                NewLead(
                    f"Customer {i}",
                    email=f"c{i}@example.com",
                    country="US",
                    timezone="America/Chicago",
                    job="Deck",
                    answered=True,
                ),
                now=now - timedelta(days=3),
            )
    imap = imaplib.IMAP4("127.0.0.1", dovecot.port)
    token = f"\0{IMAP_USER}\0{IMAP_PASSWORD}".encode()
    imap.authenticate("PLAIN", lambda _: token)
    for i in range(1_000):
        m = EmailMessage()
        # Half from customers, a quarter auto-replies, a quarter strangers.
        sender = f"c{i % 200}@example.com" if i % 4 < 2 else f"x{i}@elsewhere.example"
        m["From"] = sender
        m["Subject"] = f"Re: quote {i}"
        m["Date"] = format_datetime(now - timedelta(minutes=1_000 - i))
        m["Message-ID"] = make_msgid(domain="example.com")
        if i % 4 == 2:
            m["Auto-Submitted"] = "auto-replied"
        m.set_content(f"Reply number {i}.\n\n" + "quoted text line\n" * 40)
        imap.append("INBOX", None, None, m.as_bytes())
    imap.logout()
    settings = ImapSettings("127.0.0.1", dovecot.port, Security.PLAIN, IMAP_USER, timeout=30)
    start = time.perf_counter()
    report = check_inbox(db, settings, Password(IMAP_PASSWORD), clock=lambda: now)
    took = time.perf_counter() - start
    assert report.read == 1_000
    # The bare baseline: the same fetch with nothing handled or logged.
    start = time.perf_counter()
    bare = imaplib.IMAP4("127.0.0.1", dovecot.port)
    bare.authenticate("PLAIN", lambda _: token)
    bare.select("INBOX", readonly=True)
    bare.uid("FETCH", "1:*", "(UID BODY.PEEK[HEADER] BODY.PEEK[TEXT]<0.16384>)")
    bare.logout()
    bare_s = time.perf_counter() - start
    db.close()
    record("channels", "one inbox pass over 1,000 messages (Dovecot)", took, "s", "< 30 s")
    record("channels", "inbox pass vs bare IMAP fetch", took / bare_s, "x")


def test_texts_per_second_through_the_provider_with_the_rules_on(
    tmp_path: Path, now: datetime, sms_standin: Standin
) -> None:
    db = open_database(str(tmp_path / "bench.db"))
    n = 200
    drafts: list[Draft] = []
    with db.unit_of_work() as s:
        save_setting(s, "business_name", "Carpenter Decks")
        for i in range(n):
            lead = add_lead(
                s,
                NewLead(
                    f"Customer {i}",
                    phone=f"+1312555{i:04d}",
                    country="US",
                    timezone="America/Chicago",
                    job="Deck",
                    answered=True,
                ),
                now=now - timedelta(days=3),
            )
            fu = schedule_follow_up(
                s,
                lead.customer_id,
                lead.quote_id,
                FollowUpPlan(now, Channel.TEXT, "Check the quote arrived"),
                now=now - timedelta(days=2),
            )
            drafts.append(
                Draft(
                    lead.customer_id,
                    Channel.TEXT,
                    "Did the quote arrive?",
                    quote_id=lead.quote_id,
                    follow_up_id=fu.id,
                )
            )
    sms = SmsSettings(Provider.TWILIO, TWILIO_SID, "+13125550100", sms_standin.base)
    nxt: Any = FollowUpPlan(now + timedelta(days=4), Channel.CALL, "Talk it through")
    start = time.perf_counter()
    for d in drafts:
        assert send_text_and_log(db, d, nxt, sms=sms, secret=TWILIO_TOKEN, clock=lambda: now).logged
    took = time.perf_counter() - start
    db.close()
    assert len(sms_standin.sent) == n
    record(
        "channels",
        f"texts sent + rules + logged per second ({n}, loopback stand-in)",
        n / took,
        "/s",
    )
