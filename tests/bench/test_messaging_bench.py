"""Messaging speed: filling templates for many customers, and sending + logging an email."""

from __future__ import annotations

import smtplib
import time
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import select

from deckfollow.core.enums import Channel, FollowUpStatus
from deckfollow.core.followups import FollowUpPlan
from deckfollow.core.merge_fields import build_merge_context, render_template
from deckfollow.core.models import Customer, FollowUp, Quote
from deckfollow.demo.generator import generate_demo
from deckfollow.messaging.builtin_templates import BUILTIN_TEMPLATES
from deckfollow.messaging.outbox import Draft, send_email_and_log
from deckfollow.messaging.smtp import Security
from deckfollow.storage.database import open_database
from tests.bench.report import median_seconds, record
from tests.messaging.conftest import SMTP_USER, StartServer, certificate, smtp_server

__all__ = ["certificate", "smtp_server"]

pytestmark = pytest.mark.bench

EMAIL = next(t for t in BUILTIN_TEMPLATES if t.key == "email_follow_up")


def test_filling_templates_for_many_customers(tmp_path: Path, now: datetime) -> None:
    db = open_database(str(tmp_path / "bench.db"))
    with db.unit_of_work() as s:
        generate_demo(s, customers=1_000, quotes=2_000, seed=7, now=now, country="AU")
    with db.reading() as s:
        rows = s.execute(
            select(FollowUp.id, FollowUp.customer_id, FollowUp.quote_id)
            .where(FollowUp.status == FollowUpStatus.PENDING)
            .limit(500)
        ).all()
    n = len(rows)
    assert n >= 100

    def ours() -> None:
        with db.reading() as s:
            for fu_id, cid, _qid in rows:
                ctx = build_merge_context(s, customer_id=cid, follow_up_id=fu_id, now=now)
                render_template(EMAIL.body, ctx)

    def bare() -> None:
        # The floor: the same customer and quote rows read by primary key, str.format_map.
        with db.reading() as s:
            for fu_id, cid, qid in rows:
                c = s.get(Customer, cid)
                q = s.get(Quote, qid) if qid is not None else None
                f = s.get(FollowUp, fu_id)
                assert c is not None and f is not None
                values = {
                    "first_name": c.first_name,
                    "job": q.job if q else "",
                    "quote_number": q.number if q else "",
                    "quote_amount": q.amount if q else "",
                    "reason": f.reason,
                    "owner_phone": "",
                    "owner_name": "",
                    "owner_business": "",
                }
                EMAIL.body.format_map(values)

    ours_s = median_seconds(ours, repeat=3)
    bare_s = median_seconds(bare, repeat=3)
    db.close()
    record("messaging", f"emails filled in per second ({n} follow-ups)", n / ours_s, "/s")
    record(
        "messaging",
        "fill-in time vs bare lookup + str.format_map",
        ours_s / bare_s,
        "x",
        "< 10x",
    )


def test_send_and_log_against_bare_smtplib(
    tmp_path: Path, now: datetime, smtp_server: StartServer
) -> None:
    from deckfollow.core.followups import schedule_follow_up
    from deckfollow.core.leads import NewLead, add_lead

    server = smtp_server(Security.PLAIN)
    db = open_database(str(tmp_path / "send.db"))
    count = 40
    with db.unit_of_work() as s:
        fus = []
        for i in range(count):
            lead = add_lead(
                s,
                NewLead(
                    f"Customer {i}",
                    email=f"c{i}@example.com",
                    country="US",
                    timezone="America/New_York",
                    answered=True,
                ),
                now=now - timedelta(hours=1),
            )
            fu = schedule_follow_up(
                s,
                lead.customer_id,
                lead.quote_id,
                FollowUpPlan(now, Channel.EMAIL, "Check the quote arrived"),
                now=now,
            )
            fus.append((lead.customer_id, lead.quote_id, fu.id))
    settings = server.settings()
    body = "Hi, did the quote arrive? Call me on +1 212 555 0123.\n"

    started = time.perf_counter()
    for cid, qid, fu_id in fus:
        draft = Draft(
            cid,
            Channel.EMAIL,
            body,
            subject="Your quote",
            quote_id=qid,
            follow_up_id=fu_id,
            to_address=f"c{cid}@example.com",
            to_name="C",
        )
        nxt = FollowUpPlan(now + timedelta(days=10), Channel.EMAIL, "Send photos")
        send_email_and_log(db, draft, nxt, smtp=settings, password=None, clock=lambda: now)
    ours_s = (time.perf_counter() - started) / count

    started = time.perf_counter()
    for i in range(count):
        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = SMTP_USER, f"b{i}@example.com", "Your quote"
        msg.set_content(body)
        with smtplib.SMTP("127.0.0.1", server.port) as smtp:
            smtp.send_message(msg)
    bare_s = (time.perf_counter() - started) / count
    db.close()
    assert len(server.received) == 2 * count
    record("messaging", "send + guard + log one email (loopback SMTP)", ours_s * 1000, "ms")
    record("messaging", "send + guard + log vs bare smtplib send", ours_s / bare_s, "x", "< 5x")
