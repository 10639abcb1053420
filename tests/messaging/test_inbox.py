"""The inbox watches itself: replies pause the plan, "stop" revokes, bounces mark the address.

Every case goes through a real Dovecot IMAP server on loopback.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

import pytest
from sqlalchemy import select

from deckfollow.core.cadence_library import seed_builtin_cadences
from deckfollow.core.cadence_runs import start_cadence
from deckfollow.core.consent_ledger import ledger
from deckfollow.core.contact_snapshot import load_snapshot
from deckfollow.core.due import due_items
from deckfollow.core.enums import (
    CadenceRunStatus,
    Channel,
    ConsentChannel,
    ConsentState,
    Direction,
    Outcome,
)
from deckfollow.core.leads import LeadCreated
from deckfollow.core.models import CadenceRun, Touch
from deckfollow.messaging import inbound, threads
from deckfollow.messaging import inbox as inbox_mod
from deckfollow.messaging.guard import check_send
from deckfollow.messaging.imap import ImapSettings, Password
from deckfollow.messaging.inbound import REPLIED_REASON, Kind
from deckfollow.messaging.inbox import check_inbox
from deckfollow.messaging.smtp import Security
from deckfollow.storage.database import Database
from tests.messaging.imap_server import IMAP_PASSWORD, IMAP_USER, Dovecot

OWNER = "sam@carpenterdecks.example"


def mail(
    sender: str,
    body: str,
    *,
    subject: str = "Re: Your quote Q-1042 from Carpenter Decks",
    at: datetime,
    in_reply_to: str | None = None,
    headers: dict[str, str] | None = None,
) -> EmailMessage:
    m = EmailMessage()
    m["From"] = sender
    m["To"] = OWNER
    m["Subject"] = subject
    m["Date"] = format_datetime(at)
    m["Message-ID"] = make_msgid(domain="example.com")
    if in_reply_to:
        m["In-Reply-To"] = in_reply_to
        m["References"] = in_reply_to
    for k, v in (headers or {}).items():
        m[k] = v
    m.set_content(body)
    return m


def _settings(server: Dovecot) -> ImapSettings:
    return ImapSettings("127.0.0.1", server.port, Security.PLAIN, IMAP_USER, timeout=10)


def _pass(db: Database, server: Dovecot, now: datetime) -> inbox_mod.InboxReport:
    return check_inbox(db, _settings(server), Password(IMAP_PASSWORD), clock=lambda: now)


def _touches(db: Database, customer_id: int) -> list[Touch]:
    with db.reading() as s:
        return list(
            s.execute(
                select(Touch).where(
                    Touch.customer_id == customer_id, Touch.direction == Direction.INBOUND
                )
            ).scalars()
        )


def _today(db: Database, now: datetime) -> list[str]:
    with db.reading() as s:
        day = now.date()
        return [i.reason for i in due_items(s, day=day, now=now, owner_tz="UTC")]


def test_a_reply_is_logged_once_pauses_the_plan_and_asks_whats_next(
    db: Database, now: datetime, customer: LeadCreated, dovecot: Dovecot
) -> None:
    with db.unit_of_work() as s:
        seed_builtin_cadences(s)
        start_cadence(
            s,
            customer.customer_id,
            "after_quote",
            quote_id=customer.quote_id,
            now=now - timedelta(hours=2),
        )
    secret_line = "Our gate code is 4417 and the dog is friendly"
    dovecot.deliver(
        mail(
            "Zoë Łukasiewicz <ZOE@example.com>",
            f"Yes please, go ahead with the spotted gum.\n\n{secret_line}\n\n"
            "On Mon, Sam wrote:\n> Did the quote arrive?",
            at=now - timedelta(minutes=30),
        )
    )
    report = _pass(db, dovecot, now)
    assert [h.kind for h in report.handled] == [Kind.REPLY]
    [touch] = _touches(db, customer.customer_id)
    assert touch.outcome is Outcome.REPLIED and touch.quote_id == customer.quote_id
    assert touch.channel is Channel.EMAIL
    assert touch.summary is not None and touch.summary.startswith("Yes please, go ahead")
    assert touch.at == now - timedelta(minutes=30)
    with db.reading() as s:
        runs = (
            s.execute(select(CadenceRun).where(CadenceRun.customer_id == customer.customer_id))
            .scalars()
            .all()
        )
        assert runs and all(r.status is CadenceRunStatus.PAUSED for r in runs)
    assert _today(db, now)[0] == REPLIED_REASON
    # A second pass reads nothing new and logs nothing twice.
    again = _pass(db, dovecot, now + timedelta(minutes=10))
    assert again.read == 0 and again.handled == []
    assert len(_touches(db, customer.customer_id)) == 1
    assert _today(db, now).count(REPLIED_REASON) == 1


def test_a_second_address_and_an_old_thread_find_the_customer(
    db: Database, now: datetime, customer: LeadCreated, dovecot: Dovecot
) -> None:
    old = make_msgid(domain="carpenterdecks.example")
    with db.unit_of_work() as s:
        threads.remember_sent(s, old, customer.customer_id, customer.quote_id)
    dovecot.deliver(
        # From the customer's work address, answering an email we sent weeks ago.
        mail(
            "Zoe at work <zoe.l@builder.example>",
            "Can we start in March?",
            at=now - timedelta(hours=1),
            in_reply_to=old,
        ),
        # Later, from the same work address without any thread: now known as hers.
        mail(
            "zoe.l@builder.example",
            "Also, photos attached",
            subject="photos",
            at=now - timedelta(minutes=5),
        ),
        # A stranger is not a customer.
        mail(
            "someone@else.example",
            "Hi, do you build pergolas?",
            subject="pergola",
            at=now - timedelta(minutes=4),
        ),
    )
    report = _pass(db, dovecot, now)
    assert [h.kind for h in report.handled] == [Kind.REPLY, Kind.REPLY, Kind.UNKNOWN]
    assert {h.customer_id for h in report.handled[:2]} == {customer.customer_id}
    assert len(_touches(db, customer.customer_id)) == 2


@pytest.mark.parametrize(
    ("headers", "why"),
    [
        ({"Auto-Submitted": "auto-replied"}, "Auto-Submitted"),
        ({"X-Autoreply": "yes"}, "X-Autoreply"),
        ({"X-Autorespond": "yes"}, "X-Autorespond"),
        ({"Precedence": "bulk"}, "Precedence"),
        ({"List-Id": "<deck-owners.lists.example>"}, "List-Id"),
    ],
)
def test_out_of_office_and_mailing_lists_are_not_replies(
    db: Database,
    now: datetime,
    customer: LeadCreated,
    dovecot: Dovecot,
    headers: dict[str, str],
    why: str,
) -> None:
    dovecot.deliver(
        mail(
            "zoe@example.com",
            "I am away until Monday. Stop by the office if urgent.",
            subject="Out of office",
            at=now - timedelta(minutes=3),
            headers=headers,
        )
    )
    report = _pass(db, dovecot, now)
    assert [h.kind for h in report.handled] == [Kind.AUTOMATIC]
    assert why in report.handled[0].detail
    assert _touches(db, customer.customer_id) == []
    with db.reading() as s:
        assert (
            load_snapshot(s, customer.customer_id).consent(ConsentChannel.EMAIL).state
            is not ConsentState.REVOKED
        )
    assert REPLIED_REASON not in _today(db, now)


def _bounce(now: datetime, failed: str) -> bytes:
    return (
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.net>\r\n"
        f"To: {OWNER}\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        f"Date: {format_datetime(now - timedelta(minutes=2))}\r\n"
        "Message-ID: <bounce-1@mx.example.net>\r\n"
        "Auto-Submitted: auto-replied\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain\r\n\r\nI'm sorry to have to inform you that your message "
        "could not be delivered.\r\n\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example.net\r\n\r\n"
        f"Final-Recipient: rfc822; {failed}\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n"
        "--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"From: {OWNER}\r\nTo: {failed}\r\nSubject: Your quote\r\n\r\n--B--\r\n"
    ).encode()


def test_a_bounce_marks_the_address_failing_and_stops_further_emails(
    db: Database, now: datetime, customer: LeadCreated, dovecot: Dovecot
) -> None:
    dovecot.deliver(_bounce(now, "zoe@example.com"))
    report = _pass(db, dovecot, now)
    assert [h.kind for h in report.handled] == [Kind.BOUNCE]
    assert "zoe@example.com" in report.handled[0].detail
    assert _touches(db, customer.customer_id) == []
    with db.reading() as s:
        assert threads.failing_since(s, "zoe@example.com") is not None
        check = check_send(s, customer_id=customer.customer_id, channel=Channel.EMAIL, now=now)
    assert not check.allowed and "bounced" in check.reason


def test_stop_revokes_that_channel_in_the_ledger_and_asks_about_every_channel(
    db: Database, now: datetime, customer: LeadCreated, dovecot: Dovecot
) -> None:
    dovecot.deliver(
        mail("zoe@example.com", "STOP\n\nSent from my iPhone", at=now - timedelta(minutes=1))
    )
    report = _pass(db, dovecot, now)
    assert [h.kind for h in report.handled] == [Kind.STOP]
    with db.reading() as s:
        snap = load_snapshot(s, customer.customer_id)
        assert snap.consent(ConsentChannel.EMAIL).state is ConsentState.REVOKED
        assert snap.consent(ConsentChannel.CALL).state is not ConsentState.REVOKED
        last = ledger(s, customer.customer_id)[-1]
        assert (last.channel, last.source, last.words) == (ConsentChannel.EMAIL, "email", "STOP")
        check = check_send(s, customer_id=customer.customer_id, channel=Channel.EMAIL, now=now)
    assert not check.allowed
    today = _today(db, now)
    assert "Asked to stop emails — stop every channel?" in today
    assert REPLIED_REASON not in today


def test_words_that_only_look_like_stop_do_not_revoke(
    db: Database, now: datetime, customer: LeadCreated, dovecot: Dovecot
) -> None:
    dovecot.deliver(
        mail(
            "zoe@example.com",
            "Can you stop by on Tuesday to measure?",
            at=now - timedelta(minutes=1),
        )
    )
    report = _pass(db, dovecot, now)
    assert [h.kind for h in report.handled] == [Kind.REPLY]
    dovecot.deliver(
        mail("zoe@example.com", "Please remove me from your list.", at=now - timedelta(seconds=30))
    )
    assert [h.kind for h in _pass(db, dovecot, now).handled] == [Kind.STOP]


def test_a_pass_killed_part_way_then_run_again_logs_each_reply_once(
    db: Database,
    now: datetime,
    customer: LeadCreated,
    dovecot: Dovecot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dovecot.deliver(
        *(
            mail("zoe@example.com", f"Answer number {i}", at=now - timedelta(minutes=20 - i))
            for i in range(6)
        )
    )
    real = inbound.handle
    calls = {"n": 0}

    def dies_on_the_fourth(*args: object, **kwargs: object) -> object:
        calls["n"] += 1
        if calls["n"] == 4:
            raise KeyboardInterrupt  # the app killed mid-message
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("deckfollow.messaging.inbox.handle", dies_on_the_fourth)
    with pytest.raises(KeyboardInterrupt):
        _pass(db, dovecot, now)
    assert len(_touches(db, customer.customer_id)) == 3
    monkeypatch.setattr("deckfollow.messaging.inbox.handle", real)
    report = _pass(db, dovecot, now)
    assert report.read == 3
    summaries = sorted(t.summary or "" for t in _touches(db, customer.customer_id))
    assert summaries == [f"Answer number {i}" for i in range(6)]
    # The server renumbering its mailbox (a new UIDVALIDITY) reads all again: nothing doubles.
    with db.unit_of_work() as s:
        from deckfollow.core.settings import set_setting

        set_setting(s, "inbox.uidvalidity", "1")
    again = _pass(db, dovecot, now)
    assert again.read == 0 and again.already == 6
    assert len(_touches(db, customer.customer_id)) == 6


def test_a_wrong_password_is_explained_without_the_password(
    db: Database, dovecot: Dovecot, now: datetime
) -> None:
    from deckfollow.messaging.imap import ImapError

    with pytest.raises(ImapError) as err:
        check_inbox(db, _settings(dovecot), Password("wrong-Pässword"), clock=lambda: now)
    assert "refused the sign-in" in str(err.value)
    assert "wrong" not in str(err.value).replace("wrong-", "") or "Pässword" not in str(err.value)


def test_nothing_beyond_the_first_lines_is_kept(
    db: Database, db_path: Path, now: datetime, customer: LeadCreated, dovecot: Dovecot
) -> None:
    dovecot.deliver(
        mail(
            "zoe@example.com",
            "Sounds good.\nSee you then.\nCheers\nZoë\n\nPS the alarm code is 90210-UNIQUE",
            at=now - timedelta(minutes=1),
        )
    )
    _pass(db, dovecot, now)
    [touch] = _touches(db, customer.customer_id)
    assert touch.summary == "Sounds good.\nSee you then.\nCheers"
    db.close()
    for path in db_path.parent.glob(db_path.name + "*"):
        assert b"90210-UNIQUE" not in path.read_bytes()


def test_the_first_pass_reads_back_a_fortnight_not_years_of_mail(
    db: Database, now: datetime, customer: LeadCreated, dovecot: Dovecot
) -> None:
    old = now - timedelta(days=60)
    dovecot.deliver(mail("zoe@example.com", "STOP", at=old), arrived=old)
    dovecot.deliver(mail("zoe@example.com", "Old news", at=old), arrived=old)
    recent = now - timedelta(hours=1)
    dovecot.deliver(mail("zoe@example.com", "Yes, go ahead.", at=recent), arrived=recent)
    report = _pass(db, dovecot, now)
    assert [(h.kind, h.subject) for h in report.handled] == [
        (Kind.REPLY, "Re: Your quote Q-1042 from Carpenter Decks")
    ]
    with db.reading() as s:
        assert (
            load_snapshot(s, customer.customer_id).consent(ConsentChannel.EMAIL).state
            is not ConsentState.REVOKED
        )
    # And the old ones stay behind: the next pass reads only what arrives after.
    assert _pass(db, dovecot, now).read == 0


def test_marks_of_messages_read_long_ago_are_let_go(
    db: Database, now: datetime, customer: LeadCreated, dovecot: Dovecot
) -> None:
    with db.unit_of_work() as s:
        threads.mark_seen(s, "<long-ago@example.com>", now - timedelta(days=200))
        threads.mark_seen(s, "<last-month@example.com>", now - timedelta(days=30))
    dovecot.deliver(mail("zoe@example.com", "Thanks!", at=now - timedelta(minutes=1)))
    _pass(db, dovecot, now)
    with db.reading() as s:
        assert not threads.seen(s, "<long-ago@example.com>")
        assert threads.seen(s, "<last-month@example.com>")
        assert threads.seen_count(s) == 2  # last month's and the one just read
