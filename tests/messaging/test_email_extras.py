"""Emails that look like a business wrote them: HTML beside plain text, signature with the
owner's cell, Reply-To, the quote's PDF attached; through a real SMTP server."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from deckfollow.core.enums import Channel, Outcome
from deckfollow.core.errors import ValidationError
from deckfollow.core.followups import FollowUpPlan, schedule_follow_up
from deckfollow.core.leads import LeadCreated
from deckfollow.core.models import Touch
from deckfollow.messaging.email_extras import load_extras, save_extras, with_attachments
from deckfollow.messaging.outbox import Draft, send_email_and_log
from deckfollow.messaging.smtp import Security
from deckfollow.storage.database import Database
from tests.messaging.conftest import StartServer

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _draft(db: Database, customer: LeadCreated, now: datetime) -> Draft:
    with db.unit_of_work() as s:
        fu_id = schedule_follow_up(
            s,
            customer.customer_id,
            customer.quote_id,
            FollowUpPlan(now, Channel.EMAIL, "Check the quote arrived"),
            now=now - timedelta(hours=1),
        ).id
    return Draft(
        customer.customer_id,
        Channel.EMAIL,
        "Hi Zoë,\n\nHere is the quote again: https://carpenterdecks.example/q/1042\n\n"
        "Any questions <just ask> & I'll answer.",
        subject="Your quote Q-1042",
        quote_id=customer.quote_id,
        follow_up_id=fu_id,
        to_address="zoe@example.com",
        to_name="Zoë Łukasiewicz",
    )


def test_html_and_plain_text_signature_reply_to_and_the_quote_pdf(
    db: Database, now: datetime, customer: LeadCreated, smtp_server: StartServer, tmp_path: Path
) -> None:
    server = smtp_server(Security.PLAIN)
    pdf = tmp_path / "Q-1042 Spotted gum deck.pdf"
    pdf.write_bytes(PDF)
    with db.unit_of_work() as s:
        save_extras(
            s,
            signature=load_extras(s).signature,
            reply_to="office@carpenterdecks.example",
            html_part=True,
        )
        extras = with_attachments(load_extras(s), [pdf])
    assert extras.signature == "Sam Núñez\nCarpenter Decks\nCell +61 412 555 019"
    result = send_email_and_log(
        db,
        _draft(db, customer, now),
        FollowUpPlan(now + timedelta(days=4), Channel.CALL, "Talk it through"),
        smtp=server.settings(),
        password=None,
        clock=lambda: now,
        extras=extras,
    )
    assert result.logged
    [got] = server.received
    msg = got.message
    assert msg["Reply-To"] == "office@carpenterdecks.example"
    plain = msg.get_body(("plain",))
    html = msg.get_body(("html",))
    assert plain is not None and html is not None
    text = plain.get_content()
    assert "Here is the quote again" in text and text.rstrip().endswith("Cell +61 412 555 019")
    page = html.get_content()
    assert '<a href="https://carpenterdecks.example/q/1042">' in page
    assert "&lt;just ask&gt; &amp; I&#x27;ll answer" in page
    assert "Cell +61 412 555 019" in page
    [attachment] = list(msg.iter_attachments())
    assert attachment.get_filename() == pdf.name
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content() == PDF
    with db.reading() as s:
        touch = s.execute(select(Touch)).scalar_one()
    assert touch.outcome is Outcome.SENT and touch.channel is Channel.EMAIL


def test_a_missing_or_too_large_attachment_stops_the_send(
    db: Database, now: datetime, customer: LeadCreated, smtp_server: StartServer, tmp_path: Path
) -> None:
    server = smtp_server(Security.PLAIN)
    big = tmp_path / "video.mov"
    with big.open("wb") as f:
        f.truncate(16 * 1024 * 1024)
    with db.reading() as s:
        base = load_extras(s)
    draft = _draft(db, customer, now)
    nxt = FollowUpPlan(now + timedelta(days=4), Channel.CALL, "Talk it through")
    for files, words in (([big], "16.0 MB"), ([tmp_path / "gone.pdf"], "not there")):
        with pytest.raises(ValidationError, match=words):
            send_email_and_log(
                db,
                draft,
                nxt,
                smtp=server.settings(),
                password=None,
                clock=lambda: now,
                extras=with_attachments(base, files),
            )
    assert server.received == []
