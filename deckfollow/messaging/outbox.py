"""Sending and logging: a touch is recorded only for what really went out.

Each function checks the send guard, checks the next step (every touch answers "what's
next?") *before* anything leaves, sends, then logs the touch in its own transaction.
An email that fails is not logged; one that went out but could not be logged says so.
"""

from __future__ import annotations

import logging
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from deckfollow.core.enums import Channel, Direction, Outcome
from deckfollow.core.errors import DeckfollowError, PermissionRefused
from deckfollow.core.touches import NextStep, TouchRecord, log_touch
from deckfollow.messaging.guard import check_send
from deckfollow.messaging.smtp import Footer, SmtpSettings, build_email, send_email
from deckfollow.storage.database import Database

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class Draft:
    """What is about to be sent, already rendered (no `[field?]` left in it)."""

    customer_id: int
    channel: Channel
    body: str
    subject: str | None = None
    quote_id: int | None = None
    follow_up_id: int | None = None
    to_address: str | None = None  # email, or an email-to-SMS gateway address
    to_name: str = ""


@dataclass(frozen=True)
class SendResult:
    sent: bool
    logged: bool
    message: str
    message_id: str | None = None


def _record(draft: Draft, outcome: Outcome, at: datetime, summary: str | None) -> TouchRecord:
    return TouchRecord(
        customer_id=draft.customer_id,
        channel=draft.channel,
        direction=Direction.OUTBOUND,
        outcome=outcome,
        at=at,
        quote_id=draft.quote_id,
        follow_up_id=draft.follow_up_id,
        subject=draft.subject if draft.channel is Channel.EMAIL else None,
        summary=summary,
    )


def check_ready(
    db: Database,
    draft: Draft,
    next_step: NextStep | None,
    *,
    now: datetime,
    guard: bool = True,
) -> None:
    """Raise PermissionRefused / ValidationError if this must not or cannot be sent and logged.

    The touch and its next step are tried in a transaction that is rolled back, so every
    rule of `log_touch` is checked without saving anything. `guard=False` is for logging
    what already happened (a call just made): the guard ran before the number was shown.
    """
    if not guard:
        _dry_run(db, draft, next_step, now)
        return
    with db.reading() as session:
        check = check_send(
            session,
            customer_id=draft.customer_id,
            channel=draft.channel,
            now=now,
            follow_up_id=draft.follow_up_id,
        )
    if not check.allowed:
        raise PermissionRefused(check.reason)
    _dry_run(db, draft, next_step, now)


def _dry_run(db: Database, draft: Draft, next_step: NextStep | None, now: datetime) -> None:
    with db.rehearsal() as session:
        log_touch(session, _record(draft, Outcome.SENT, now, None), next_step, now=now)


def _log(
    db: Database,
    draft: Draft,
    outcome: Outcome,
    next_step: NextStep,
    now: datetime,
    summary: str | None,
) -> str | None:
    try:
        with db.unit_of_work() as session:
            log_touch(session, _record(draft, outcome, now, summary), next_step, now=now)
    except DeckfollowError as exc:
        return str(exc)
    return None


def send_email_and_log(
    db: Database,
    draft: Draft,
    next_step: NextStep,
    *,
    smtp: SmtpSettings,
    password: str | None,
    clock: Clock,
    footer: Footer | None = None,
    ssl_context: ssl.SSLContext | None = None,
) -> SendResult:
    """Send an email (or a text through an email-to-SMS gateway) and log it as a touch.

    Raises PermissionRefused, ValidationError or SendError when nothing was sent.
    """
    if draft.to_address is None:
        raise PermissionRefused("there is no address to send this to")
    now = clock()
    check_ready(db, draft, next_step, now=now)
    is_email = draft.channel is Channel.EMAIL
    msg = build_email(
        smtp,
        to_address=draft.to_address,
        to_name=draft.to_name,
        subject=draft.subject or "",
        body=draft.body,
        now=now,
        footer=footer if is_email else None,
        require_subject=is_email,
    )
    message_id = send_email(smtp, password, msg, ssl_context=ssl_context)
    log.info("sent %s to customer %s", draft.channel.value, draft.customer_id)
    sent_at = clock()
    problem = _log(db, draft, Outcome.SENT, next_step, max(now, sent_at), draft.body)
    if problem is not None:
        log.warning("sent but not logged for customer %s: %s", draft.customer_id, problem)
        return SendResult(
            True,
            False,
            f"Sent, but it could not be logged ({problem}). Log it by hand.",
            message_id,
        )
    what = "Email" if is_email else "Text"
    return SendResult(True, True, f"{what} sent to {draft.to_address} and logged.", message_id)


def log_sent_elsewhere(
    db: Database, draft: Draft, next_step: NextStep, *, clock: Clock
) -> SendResult:
    """Log a text the owner sent from their phone (copied or opened as an `sms:` link)."""
    now = clock()
    check_ready(db, draft, next_step, now=now, guard=False)
    problem = _log(db, draft, Outcome.SENT, next_step, now, draft.body)
    if problem is not None:
        return SendResult(True, False, f"Not logged: {problem}")
    return SendResult(True, True, "Text logged.")


def log_call(
    db: Database,
    draft: Draft,
    outcome: Outcome,
    next_step: NextStep,
    *,
    notes: str,
    clock: Clock,
) -> SendResult:
    """Log a call's outcome (reached, voicemail, no answer) with what was said and what's next."""
    if outcome not in (Outcome.REACHED, Outcome.VOICEMAIL, Outcome.NO_ANSWER):
        raise PermissionRefused(f"{outcome.value} is not an outcome of a call")
    now = clock()
    check_ready(db, draft, next_step, now=now, guard=False)
    problem = _log(db, draft, outcome, next_step, now, notes.strip() or None)
    if problem is not None:
        return SendResult(True, False, f"Not logged: {problem}")
    return SendResult(True, True, "Call logged.")
