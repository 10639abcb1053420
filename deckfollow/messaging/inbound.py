"""What a message from outside means: a customer's reply, a request to stop, a bounce, or
nothing for us (an auto-reply, a mailing list, a stranger).

An email reaches here as its header and the first few kilobytes of its text; a text as
its number, time and words. Only the sender, date, subject and the first lines the
customer typed are kept (the touch's summary), never the rest of the message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage, Message
from email.utils import getaddresses, parsedate_to_datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from deckfollow.core.clock_format import clock_text, day_text
from deckfollow.core.consent import revoke_consent
from deckfollow.core.contact_snapshot import load_snapshot
from deckfollow.core.enums import (
    Basis,
    Channel,
    ConsentChannel,
    ConsentState,
    Direction,
    FollowUpStatus,
    Outcome,
    Stage,
)
from deckfollow.core.models import Customer, FollowUp, Quote, Touch
from deckfollow.core.touches import TouchRecord, log_touch
from deckfollow.messaging import threads
from deckfollow.messaging.stop_words import stop_phrase

REPLIED_REASON = "They replied — what's next?"
FIRST_LINES = 3
LINE_CHARS = 200

# The headers an automatic message carries (RFC 3834, and what common systems add).
_AUTO_HEADERS = ("X-Autoreply", "X-Autorespond", "X-Autorespond-Reason", "List-Id")
_QUOTE_START = re.compile(
    r"^(on .+ wrote:|-----\s*original message\s*-----|from:\s|sent from my |-- ?$|_{5,})",
    re.IGNORECASE,
)


class Kind(StrEnum):
    REPLY = "reply"
    STOP = "stop"
    BOUNCE = "bounce"
    AUTOMATIC = "automatic"
    UNKNOWN = "unknown"  # not from a customer we know


@dataclass(frozen=True)
class Incoming:
    """One message, reduced to what may be kept."""

    key: str  # Message-ID, or the provider's id for a text
    channel: Channel
    sender: str  # an email address, or an E.164 number
    at: datetime
    subject: str
    first_lines: str
    thread: tuple[str, ...] = ()  # In-Reply-To and References ids
    automatic: str | None = None  # why it is not a person's reply
    bounced: tuple[str, ...] = ()  # the addresses a delivery report says failed


@dataclass(frozen=True)
class Handled:
    kind: Kind
    sender: str
    at: datetime
    subject: str
    customer_id: int | None = None
    customer: str | None = None
    quote_id: int | None = None
    detail: str = ""

    def as_json(self) -> dict[str, object]:
        return {
            "kind": self.kind.value,
            "sender": self.sender,
            "at": self.at.isoformat(),
            "subject": self.subject,
            "customer_id": self.customer_id,
            "customer": self.customer,
            "quote_id": self.quote_id,
            "detail": self.detail,
        }


def first_lines(text: str) -> str:
    """The first paragraph the person typed (three lines at most), without the quoted
    thread or a signature: enough to show the owner, nothing more."""
    out: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith(">") or _QUOTE_START.match(line) or (out and not line):
            break
        if line:
            out.append(line[:LINE_CHARS])
        if len(out) >= FIRST_LINES:
            break
    return "\n".join(out)


def _plain(msg: Message) -> str:
    part: Message | None = None
    if isinstance(msg, EmailMessage):
        part = msg.get_body(preferencelist=("plain", "html"))
    if part is None:
        part = msg if not msg.is_multipart() else None
    if part is None:
        return ""
    try:
        content = part.get_content() if isinstance(part, EmailMessage) else part.get_payload()
    except (LookupError, ValueError, AssertionError):
        return ""
    if not isinstance(content, str):
        return ""
    if part.get_content_subtype() == "html":
        content = re.sub(r"(?is)<(script|style).*?</\1>", " ", content)
        content = re.sub(r"(?i)<br\s*/?>|</p>|</div>", "\n", content)
        content = re.sub(r"<[^>]+>", " ", content)
    return content


def _automatic(msg: Message, sender: str) -> str | None:
    auto = (msg.get("Auto-Submitted") or "").strip().lower()
    if auto and auto != "no":
        return f"Auto-Submitted: {auto}"
    for name in _AUTO_HEADERS:
        if msg.get(name) is not None:
            return f"{name} header"
    precedence = (msg.get("Precedence") or "").strip().lower()
    if precedence in ("bulk", "junk", "list", "auto_reply"):
        return f"Precedence: {precedence}"
    if msg.get("List-Unsubscribe") is not None and msg.get("In-Reply-To") is None:
        return "a mailing list"
    local = sender.partition("@")[0].lower()
    if local in ("noreply", "no-reply", "donotreply", "do-not-reply"):
        return "a no-reply sender"
    return None


_FINAL = re.compile(rb"(?im)^final-recipient:\s*rfc822;\s*<?([^\s>]+)>?\s*$")
_FAILED = re.compile(rb"(?im)^action:\s*failed\s*$")


def _bounced(msg: Message, sender: str, text: bytes) -> tuple[str, ...] | None:
    report = msg.get_content_type() == "multipart/report"
    daemon = sender.partition("@")[0].lower() in ("mailer-daemon", "postmaster")
    if not (report or daemon):
        return None
    if not _FAILED.search(text):
        return () if report else None  # a delay warning, or a daemon's other news
    return tuple(dict.fromkeys(m.decode("ascii", "replace").lower() for m in _FINAL.findall(text)))


def _ids(value: str | None) -> list[str]:
    return re.findall(r"<[^<>\s]+>", value or "")


def parse_email(header: bytes, text: bytes, *, fallback_key: str, now: datetime) -> Incoming:
    """Reduce a message (its header and the start of its text) to what may be kept."""
    msg = message_from_bytes(header + b"\r\n" + text, policy=policy.default)
    senders = getaddresses([str(msg.get("From") or "")])
    sender = (senders[0][1] if senders else "").strip().lower()
    try:
        at = parsedate_to_datetime(str(msg.get("Date")))
        at = at.astimezone(UTC) if at.tzinfo else at.replace(tzinfo=UTC)
    except (TypeError, ValueError, IndexError):
        at = now
    subject = " ".join(str(msg.get("Subject") or "").split())[:300]
    mid = _ids(str(msg.get("Message-ID") or ""))
    thread = tuple(_ids(str(msg.get("In-Reply-To") or "")) + _ids(str(msg.get("References") or "")))
    bounced = _bounced(msg, sender, text)
    automatic = None if bounced is not None else _automatic(msg, sender)
    return Incoming(
        key=mid[0] if mid else fallback_key,
        channel=Channel.EMAIL,
        sender=sender,
        at=min(at, now),
        subject=subject,
        first_lines="" if bounced is not None or automatic else first_lines(_plain(msg)),
        thread=thread,
        automatic=automatic,
        bounced=bounced or (),
    )


def _customer_for(session: Session, inc: Incoming) -> tuple[Customer, int | None] | None:
    found = threads.thread_owner(session, list(inc.thread)) if inc.thread else None
    if found is not None:
        c = session.get(Customer, found[0])
        if c is not None and c.deleted_at is None:
            if inc.channel is Channel.EMAIL and (c.email or "").lower() != inc.sender:
                threads.remember_address(session, inc.sender, c.id)
            return c, found[1]
    column = Customer.email if inc.channel is Channel.EMAIL else Customer.phone_cell
    match = session.execute(
        select(Customer)
        .where(func.lower(column) == inc.sender.lower(), Customer.deleted_at.is_(None))
        .order_by(Customer.updated_at.desc())
        .limit(1)
    ).scalar_one_or_none()
    if match is None and inc.channel is Channel.EMAIL:
        cid = threads.address_owner(session, inc.sender)
        match = session.get(Customer, cid) if cid is not None else None
        if match is not None and match.deleted_at is not None:
            match = None
    return (match, None) if match is not None else None


def _open_quote(session: Session, customer_id: int, hint: int | None) -> int | None:
    open_stages = [s for s in Stage if s.is_open]
    if hint is not None:
        q = session.get(Quote, hint)
        if q is not None and q.deleted_at is None and q.stage in open_stages:
            return hint
    return session.execute(
        select(Quote.id)
        .where(
            Quote.customer_id == customer_id,
            Quote.deleted_at.is_(None),
            Quote.stage.in_(open_stages),
        )
        .order_by(func.coalesce(Quote.last_touch_at, Quote.received_at).desc(), Quote.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def _prompt(
    session: Session,
    customer: Customer,
    quote_id: int | None,
    channel: Channel,
    reason: str,
    at: datetime,
    now: datetime,
) -> None:
    """Put a question for the owner at the top of Today (due when the message came)."""
    snap = load_snapshot(session, customer.id)
    order = [channel, Channel.CALL, Channel.TEXT, Channel.EMAIL]
    usable = [c for c in order if snap.consent(c.consent_channel).state is not ConsentState.REVOKED]
    if not usable or customer.do_not_contact:
        return
    already = session.execute(
        select(FollowUp.id).where(
            FollowUp.customer_id == customer.id,
            FollowUp.status == FollowUpStatus.PENDING,
            FollowUp.reason == reason,
        )
    ).first()
    if already is not None:
        return
    # Not a contact the plan proposes but the owner's decision to make (rule 8): it is
    # placed without the hours or the cap, which apply to whatever the owner answers.
    session.add(
        FollowUp(
            customer_id=customer.id,
            quote_id=quote_id,
            due_at=at,
            timezone=customer.timezone,
            channel=usable[0],
            reason=reason,
            basis=Basis.PLANNED,
            status=FollowUpStatus.PENDING,
            created_at=now,
        )
    )


def needs_answer(reason: str) -> bool:
    """Is this follow-up a question the inbox put to the owner (a reply, a stop)?"""
    return reason == REPLIED_REASON or is_stop_question(reason)


def is_stop_question(reason: str) -> bool:
    return reason.startswith("Asked to stop ") and reason.endswith("stop every channel?")


def what_they_said(
    session: Session, customer_id: int, owner_tz: str, reason: str = REPLIED_REASON
) -> str | None:
    """The customer's last reply as the owner sees it on Today (date, subject, first lines)."""
    touch = session.execute(
        select(Touch)
        .where(Touch.customer_id == customer_id, Touch.direction == Direction.INBOUND)
        .order_by(Touch.at.desc(), Touch.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    if touch is None:
        return None
    local = touch.at.astimezone(ZoneInfo(owner_tz))
    how = "emailed" if touch.channel is Channel.EMAIL else "texted"
    head = f"They {how} on {day_text(local)} at {clock_text(local)}"
    if touch.subject:
        head += f" — “{touch.subject}”"
    ask = (
        "That channel is already off. Stop every channel, or leave the others open?"
        if is_stop_question(reason)
        else "What's next? Answer them, then log it."
    )
    return f"{head}:\n\n{touch.summary or '(no words)'}\n\n{ask}"


def stop_reason(channel: Channel) -> str:
    noun = {Channel.EMAIL: "emails", Channel.TEXT: "texts"}.get(channel, channel.value)
    return f"Asked to stop {noun} — stop every channel?"


def handle(session: Session, inc: Incoming, *, now: datetime) -> Handled:
    """Log what this message means, in the caller's transaction."""
    if inc.channel is Channel.EMAIL and inc.bounced:
        names: list[str] = []
        for address in inc.bounced:
            threads.mark_failing(session, address, inc.at)
            owner = session.execute(
                select(Customer.display_name).where(func.lower(Customer.email) == address)
            ).scalar_one_or_none()
            names.append(f"{address} ({owner})" if owner else address)
        return _done(Kind.BOUNCE, inc, "failing: " + ", ".join(names))
    if inc.automatic is not None:
        return _done(Kind.AUTOMATIC, inc, inc.automatic)
    found = _customer_for(session, inc)
    if found is None:
        return _done(Kind.UNKNOWN, inc, "not from a customer")
    customer, hint = found
    quote_id = _open_quote(session, customer.id, hint)
    words = inc.first_lines.splitlines()[0] if inc.first_lines else inc.subject
    phrase = stop_phrase(inc.first_lines) if inc.first_lines else None
    log_touch(
        session,
        TouchRecord(
            customer_id=customer.id,
            channel=inc.channel,
            direction=Direction.INBOUND,
            outcome=Outcome.REPLIED,
            at=inc.at,
            quote_id=quote_id,
            subject=(inc.subject or None) if inc.channel is Channel.EMAIL else None,
            summary=inc.first_lines or None,
        ),
        None,
        now=now,
        await_decision=True,
    )
    if phrase is not None:
        consent = inc.channel.consent_channel
        source = "email" if inc.channel is Channel.EMAIL else "text"
        if load_snapshot(session, customer.id).consent(consent).state is not ConsentState.REVOKED:
            revoke_consent(session, customer.id, consent, source=source, words=words, now=now)
        _prompt(session, customer, quote_id, Channel.CALL, stop_reason(inc.channel), inc.at, now)
        return _done(Kind.STOP, inc, f'{consent.value} revoked ("{phrase}")', customer, quote_id)
    _prompt(session, customer, quote_id, inc.channel, REPLIED_REASON, inc.at, now)
    return _done(Kind.REPLY, inc, "logged as a reply", customer, quote_id)


def _done(
    kind: Kind,
    inc: Incoming,
    detail: str,
    customer: Customer | None = None,
    quote_id: int | None = None,
) -> Handled:
    return Handled(
        kind,
        inc.sender,
        inc.at,
        inc.subject,
        customer.id if customer else None,
        customer.display_name if customer else None,
        quote_id,
        detail,
    )


def revoked_channels(session: Session, customer_id: int) -> list[ConsentChannel]:
    snap = load_snapshot(session, customer_id)
    return [c for c in ConsentChannel if snap.consent(c).state is ConsentState.REVOKED]
