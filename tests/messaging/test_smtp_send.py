"""Email through a real SMTP server on loopback: what arrives, what is logged, what fails."""

from __future__ import annotations

from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest
from sqlalchemy import select

from deckfollow.core.consent import revoke_consent
from deckfollow.core.enums import Channel, ConsentChannel, Direction, FollowUpStatus, Outcome
from deckfollow.core.errors import PermissionRefused, ValidationError
from deckfollow.core.followups import FollowUpPlan, schedule_follow_up
from deckfollow.core.leads import LeadCreated
from deckfollow.core.merge_fields import build_merge_context, render_template
from deckfollow.core.models import FollowUp, Touch
from deckfollow.messaging.guard import gateway_address, set_gateway_domain
from deckfollow.messaging.outbox import Draft, send_email_and_log
from deckfollow.messaging.smtp import (
    Failure,
    Footer,
    Security,
    SendError,
    SmtpSettings,
    validate_smtp_settings,
)
from deckfollow.messaging.template_library import get_template, seed_builtin_templates
from deckfollow.storage.database import Database
from tests.messaging.conftest import SMTP_PASSWORD, SMTP_USER, StartServer


def _follow_up(db: Database, customer: LeadCreated, now: datetime, channel: Channel) -> int:
    with db.unit_of_work() as s:
        fu = schedule_follow_up(
            s,
            customer.customer_id,
            customer.quote_id,
            FollowUpPlan(
                now,
                channel,
                "The reason I'm calling is to check whether the quote raised any questions",
            ),
            now=now - timedelta(hours=1),
        )
        return fu.id


def _email_draft(db: Database, customer: LeadCreated, now: datetime, fu_id: int) -> Draft:
    with db.unit_of_work() as s:
        seed_builtin_templates(s)
        t = get_template(s, "email_follow_up")
        ctx = build_merge_context(s, customer_id=customer.customer_id, follow_up_id=fu_id, now=now)
    subject = render_template(t.subject or "", ctx)
    body = render_template(t.body, ctx)
    assert subject.complete and body.complete, (subject.missing, body.missing)
    return Draft(
        customer.customer_id,
        Channel.EMAIL,
        body.text,
        subject=subject.text,
        quote_id=customer.quote_id,
        follow_up_id=fu_id,
        to_address="zoe@example.com",
        to_name="Zoë Łukasiewicz",
    )


def _next(now: datetime) -> FollowUpPlan:
    return FollowUpPlan(now + timedelta(days=4), Channel.EMAIL, "Send photos of a similar job")


def _touches(db: Database) -> list[Touch]:
    with db.reading() as s:
        rows = list(s.execute(select(Touch).order_by(Touch.id)).scalars())
        s.expunge_all()
        return rows


def test_plain_send_arrives_with_proper_headers_and_is_logged_with_its_subject(
    db: Database, now: datetime, customer: LeadCreated, smtp_server: StartServer
) -> None:
    server = smtp_server(Security.PLAIN)
    fu_id = _follow_up(db, customer, now, Channel.EMAIL)
    draft = _email_draft(db, customer, now, fu_id)
    result = send_email_and_log(
        db, draft, _next(now), smtp=server.settings(), password=None, clock=lambda: now
    )
    assert result.sent and result.logged
    assert result.message == "Email sent to zoe@example.com and logged."

    [got] = server.received
    msg = got.message
    assert got.rcpt_tos == ["zoe@example.com"]
    assert got.mail_from == SMTP_USER
    # Non-ASCII names travel encoded (RFC 2047) and decode back exactly.
    raw_headers = got.raw.split(b"\r\n\r\n", 1)[0].decode("ascii")
    assert "Łukasiewicz" not in raw_headers and "=?utf-8?" in raw_headers
    assert msg["To"].addresses[0].display_name == "Zoë Łukasiewicz"
    assert msg["From"].addresses[0].display_name == "Sam Núñez · Carpenter Decks"
    assert msg["From"].addresses[0].addr_spec == SMTP_USER
    assert msg["Subject"] == "Your quote Q-1042 from Carpenter Decks"
    assert parsedate_to_datetime(msg["Date"]) == now
    assert msg["Message-ID"] == result.message_id
    assert msg["Message-ID"].endswith("@carpenterdecks.example>")
    body = msg.get_content().replace("\r\n", "\n")
    assert body.startswith("Hi Zoë,\n\nThe reason I'm writing is to check whether the quote")
    assert "$12,480.50" in body and "0412 555 019" in body
    assert body.rstrip().endswith("Sam Núñez\nCarpenter Decks\nCell: 0412 555 019")
    assert "List-Unsubscribe" not in msg

    [touch] = _touches(db)
    assert (touch.channel, touch.direction, touch.outcome) == (
        Channel.EMAIL,
        Direction.OUTBOUND,
        Outcome.SENT,
    )
    assert touch.subject == "Your quote Q-1042 from Carpenter Decks"
    assert touch.follow_up_id == fu_id
    with db.reading() as s:
        done = s.get(FollowUp, fu_id)
        assert done is not None and done.status is FollowUpStatus.DONE
        pending = s.execute(
            select(FollowUp.reason).where(FollowUp.status == FollowUpStatus.PENDING)
        ).scalars()
        assert list(pending) == ["Send photos of a similar job"]


def test_starttls_with_login_and_the_commercial_footer(
    db: Database, now: datetime, customer: LeadCreated, smtp_server: StartServer
) -> None:
    server = smtp_server(Security.STARTTLS, auth=True)
    fu_id = _follow_up(db, customer, now, Channel.EMAIL)
    draft = _email_draft(db, customer, now, fu_id)
    footer = Footer("Carpenter Decks", "12 Timber Lane, Marrickville NSW 2204", "Reply stop.")
    result = send_email_and_log(
        db,
        draft,
        _next(now),
        smtp=server.settings(username=SMTP_USER),
        password=SMTP_PASSWORD,
        clock=lambda: now,
        footer=footer,
        ssl_context=server.client_context,
    )
    assert result.logged
    [got] = server.received
    assert got.login == SMTP_USER
    body = got.message.get_content().replace("\r\n", "\n")
    assert body.rstrip().endswith(
        "-- \nCarpenter Decks · 12 Timber Lane, Marrickville NSW 2204\nReply stop."
    )
    assert got.message["List-Unsubscribe"] == f"<mailto:{SMTP_USER}?subject=stop>"


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_implicit_ssl_send(
    db: Database, now: datetime, customer: LeadCreated, smtp_server: StartServer
) -> None:
    server = smtp_server(Security.SSL, auth=True)
    fu_id = _follow_up(db, customer, now, Channel.EMAIL)
    draft = _email_draft(db, customer, now, fu_id)
    result = send_email_and_log(
        db,
        draft,
        _next(now),
        smtp=server.settings(username=SMTP_USER),
        password=SMTP_PASSWORD,
        clock=lambda: now,
        ssl_context=server.client_context,
    )
    assert result.logged and len(server.received) == 1


def _fails(
    db: Database,
    draft: Draft,
    now: datetime,
    settings: SmtpSettings,
    password: str | None,
    **kw: object,
) -> SendError:
    with pytest.raises(SendError) as info:
        send_email_and_log(
            db,
            draft,
            _next(now),
            smtp=settings,
            password=password,
            clock=lambda: now,
            **kw,  # type: ignore[arg-type]
        )
    assert _touches(db) == [], "a failed send must not be logged"
    with db.reading() as s:
        fu = s.get(FollowUp, draft.follow_up_id)
        assert fu is not None and fu.status is FollowUpStatus.PENDING
    return info.value


def test_wrong_password_is_explained_and_not_logged(
    db: Database, now: datetime, customer: LeadCreated, smtp_server: StartServer
) -> None:
    server = smtp_server(Security.STARTTLS, auth=True)
    draft = _email_draft(db, customer, now, _follow_up(db, customer, now, Channel.EMAIL))
    err = _fails(
        db,
        draft,
        now,
        server.settings(username=SMTP_USER),
        "not-the-password",
        ssl_context=server.client_context,
    )
    assert err.failure is Failure.AUTH
    assert "refused the user name or password" in str(err)
    assert "not-the-password" not in str(err)
    assert server.received == []


def test_server_down_recipient_refused_and_untrusted_certificate(
    db: Database, now: datetime, customer: LeadCreated, smtp_server: StartServer
) -> None:
    server = smtp_server(Security.STARTTLS)
    draft = _email_draft(db, customer, now, _follow_up(db, customer, now, Channel.EMAIL))
    from tests.messaging.conftest import free_port

    down = SmtpSettings("127.0.0.1", free_port(), Security.PLAIN, "", SMTP_USER, "Sam")
    err = _fails(db, draft, now, down, None)
    assert err.failure is Failure.CONNECT
    assert "is not answering" in str(err)

    # The system's trust store does not know the test certificate.
    err = _fails(db, draft, now, server.settings(), None)
    assert err.failure is Failure.TLS
    assert "certificate could not be trusted" in str(err)

    refused = Draft(**{**draft.__dict__, "to_address": "nobody@example.com"})
    err = _fails(db, refused, now, server.settings(), None, ssl_context=server.client_context)
    assert err.failure is Failure.RECIPIENT
    assert "nobody@example.com: 550 5.1.1 No such user here" in str(err)
    assert server.received == []


def test_revoked_email_is_refused_with_the_reason_and_nothing_is_sent(
    db: Database, now: datetime, customer: LeadCreated, smtp_server: StartServer
) -> None:
    server = smtp_server(Security.PLAIN)
    fu_id = _follow_up(db, customer, now, Channel.EMAIL)
    draft = _email_draft(db, customer, now, fu_id)
    with db.unit_of_work() as s:
        revoke_consent(
            s,
            customer.customer_id,
            ConsentChannel.EMAIL,
            source="phone call",
            words="please stop emailing me",
            now=now - timedelta(minutes=1),
        )
    with pytest.raises(PermissionRefused, match=r"revoked email contact.*please stop emailing me"):
        send_email_and_log(
            db, draft, _next(now), smtp=server.settings(), password=None, clock=lambda: now
        )
    assert server.received == [] and _touches(db) == []


def test_a_bad_next_step_stops_the_send_before_anything_leaves(
    db: Database, now: datetime, customer: LeadCreated, smtp_server: StartServer
) -> None:
    server = smtp_server(Security.PLAIN)
    draft = _email_draft(db, customer, now, _follow_up(db, customer, now, Channel.EMAIL))
    no_reason = FollowUpPlan(now + timedelta(days=3), Channel.EMAIL, "  ")
    with pytest.raises(ValidationError, match="reason"):
        send_email_and_log(
            db, draft, no_reason, smtp=server.settings(), password=None, clock=lambda: now
        )
    assert server.received == [] and _touches(db) == []


def test_text_through_an_email_to_sms_gateway_respects_hours(
    db: Database, now: datetime, customer: LeadCreated, smtp_server: StartServer
) -> None:
    server = smtp_server(Security.PLAIN)
    with db.unit_of_work() as s:
        set_gateway_domain(s, "@SMS.Example.net", customer.customer_id)
        address = gateway_address(s, customer.customer_id)
    assert address == "412000111@sms.example.net"
    fu_id = _follow_up(db, customer, now, Channel.TEXT)
    draft = Draft(
        customer.customer_id,
        Channel.TEXT,
        "Hi Zoë, it's Sam from Carpenter Decks. Any questions about the quote?",
        quote_id=customer.quote_id,
        follow_up_id=fu_id,
        to_address=address,
    )
    nxt = FollowUpPlan(now + timedelta(days=4), Channel.EMAIL, "Send photos")
    # 22:00 UTC on Sunday is 09:00 Monday in Sydney: inside hours.
    result = send_email_and_log(
        db, draft, nxt, smtp=server.settings(), password=None, clock=lambda: now
    )
    assert result.logged
    [got] = server.received
    assert got.rcpt_tos == [address]
    assert "Subject" not in got.message
    assert got.message.get_content().startswith("Hi Zoë")
    [touch] = _touches(db)
    assert touch.channel is Channel.TEXT and touch.subject is None

    # 11:00 UTC is 22:00 in Sydney: a planned text is refused with the next allowed time.
    late = now + timedelta(hours=13)
    draft2 = Draft(**{**draft.__dict__, "follow_up_id": None})
    nxt2 = FollowUpPlan(late + timedelta(days=8), Channel.EMAIL, "Send photos")
    with pytest.raises(PermissionRefused, match=r"outside the hours.*next allowed time is Tue"):
        send_email_and_log(
            db, draft2, nxt2, smtp=server.settings(), password=None, clock=lambda: late
        )
    assert len(server.received) == 1


def test_settings_refuse_an_unencrypted_remote_server() -> None:
    with pytest.raises(ValidationError, match="in the clear"):
        validate_smtp_settings(
            SmtpSettings("smtp.example.com", 25, Security.PLAIN, "u", "sam@example.com", "")
        )
    ok = validate_smtp_settings(
        SmtpSettings(" smtp.example.com ", 587, Security.STARTTLS, " u ", "Sam@Example.COM", "")
    )
    assert ok.host == "smtp.example.com" and ok.from_address == "Sam@example.com"
