"""Sending and logging: a touch is recorded only for what really went out.

Each function checks the send guard, checks the next step (every touch answers "what's
next?") *before* anything leaves, sends, then logs the touch in its own transaction.
An email that fails is not logged; one that went out but could not be logged says so.
"""

from __future__ import annotations

import logging
import ssl
from dataclasses import dataclass, field
from datetime import datetime

from deckfollow.core.changes import Changes
from deckfollow.core.clock import Clock
from deckfollow.core.contact_snapshot import get_customer
from deckfollow.core.enums import Channel, Direction, Outcome
from deckfollow.core.errors import DeckfollowError, PermissionRefused
from deckfollow.core.settings import load_settings
from deckfollow.core.touches import NextStep, TouchRecord, log_touch
from deckfollow.core.unit_of_work import Store
from deckfollow.messaging.credentials import CredentialStore
from deckfollow.messaging.email_auth import mail_secret
from deckfollow.messaging.email_extras import Extras
from deckfollow.messaging.guard import check_send
from deckfollow.messaging.sms_providers import SmsSettings, send_sms
from deckfollow.messaging.smtp import Footer, SmtpSettings, build_email, send_email
from deckfollow.messaging.text_rules import compliant_text
from deckfollow.messaging.threads import remember_sent

log = logging.getLogger(__name__)


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
    # What logging it changed (nothing when it was not logged), for the views to refresh.
    changes: Changes = field(default_factory=Changes)


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
    db: Store,
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


def _dry_run(db: Store, draft: Draft, next_step: NextStep | None, now: datetime) -> None:
    with db.rehearsal() as session:
        log_touch(session, _record(draft, Outcome.SENT, now, None), next_step, now=now)


def _log(
    db: Store,
    draft: Draft,
    outcome: Outcome,
    next_step: NextStep,
    now: datetime,
    summary: str | None,
    message_id: str | None = None,
) -> tuple[str | None, Changes]:
    """Log the touch: (None, what changed), or (why it could not be logged, nothing)."""
    try:
        with db.unit_of_work() as session:
            changes = log_touch(session, _record(draft, outcome, now, summary), next_step, now=now)
            if message_id is not None:
                # So a reply to this email, from any of their addresses, finds them.
                remember_sent(session, message_id, draft.customer_id, draft.quote_id)
    except DeckfollowError as exc:
        return str(exc), Changes()
    return None, changes


def send_email_and_log(
    db: Store,
    draft: Draft,
    next_step: NextStep,
    *,
    smtp: SmtpSettings,
    password: str | None,
    clock: Clock,
    footer: Footer | None = None,
    ssl_context: ssl.SSLContext | None = None,
    access_token: str | None = None,
    extras: Extras | None = None,
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
        extras=extras if is_email else None,
    )
    message_id = send_email(smtp, password, msg, ssl_context=ssl_context, access_token=access_token)
    log.info("sent %s to customer %s", draft.channel.value, draft.customer_id)
    sent_at = clock()
    problem, changes = _log(
        db, draft, Outcome.SENT, next_step, max(now, sent_at), draft.body, message_id
    )
    if problem is not None:
        log.warning("sent but not logged for customer %s: %s", draft.customer_id, problem)
        return SendResult(
            True,
            False,
            f"Sent, but it could not be logged ({problem}). Log it by hand.",
            message_id,
        )
    what = "Email" if is_email else "Text"
    return SendResult(
        True, True, f"{what} sent to {draft.to_address} and logged.", message_id, changes
    )


def log_sent_elsewhere(db: Store, draft: Draft, next_step: NextStep, *, clock: Clock) -> SendResult:
    """Log a text the owner sent from their phone (copied or opened as an `sms:` link)."""
    now = clock()
    check_ready(db, draft, next_step, now=now, guard=False)
    problem, changes = _log(db, draft, Outcome.SENT, next_step, now, draft.body)
    if problem is not None:
        return SendResult(True, False, f"Not logged: {problem}")
    return SendResult(True, True, "Text logged.", changes=changes)


def log_call(
    db: Store,
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
    problem, changes = _log(db, draft, outcome, next_step, now, notes.strip() or None)
    if problem is not None:
        return SendResult(True, False, f"Not logged: {problem}")
    return SendResult(True, True, "Call logged.", changes=changes)


def send_text_and_log(
    db: Store,
    draft: Draft,
    next_step: NextStep,
    *,
    sms: SmsSettings,
    secret: str,
    clock: Clock,
    ssl_context: ssl.SSLContext | None = None,
) -> SendResult:
    """Send a text through the SMS provider and log it as a touch.

    The same rules as a call: consent, the customer's allowed hours, and the next step
    (with the frequency cap) are checked before anything leaves. The text names the
    business and says how to opt out where the customer's country requires it.
    Raises PermissionRefused, ValidationError or SmsError when nothing was sent.
    """
    now = clock()
    check_ready(db, draft, next_step, now=now)
    with db.reading() as session:
        customer = get_customer(session, draft.customer_id)
        to, country = customer.phone_cell, customer.country
        owner = load_settings(session)
    if not to:
        raise PermissionRefused("there is no cell number to text")
    body = compliant_text(
        draft.body, business=owner.business_name or owner.owner_name, country=country
    )
    sent = send_sms(sms, secret, to, body, ssl_context=ssl_context)
    log.info("sent text to customer %s through %s", draft.customer_id, sms.provider)
    problem, changes = _log(db, draft, Outcome.SENT, next_step, max(now, clock()), body)
    cost = f" ({sent.cost_text()})"
    if problem is not None:
        log.warning("sent but not logged for customer %s: %s", draft.customer_id, problem)
        return SendResult(
            True,
            False,
            f"Sent{cost}, but it could not be logged ({problem}). Log it by hand.",
            sent.provider_id,
        )
    label = sms.provider.label if sms.provider else "the provider"
    return SendResult(
        True,
        True,
        f"Text sent to {to} through {label}{cost} and logged.",
        sent.provider_id,
        changes,
    )


def send_email_signed_in(
    db: Store,
    draft: Draft,
    next_step: NextStep,
    *,
    smtp: SmtpSettings,
    store: CredentialStore,
    password: str | None,
    clock: Clock,
    footer: Footer | None = None,
    extras: Extras | None = None,
    ssl_context: ssl.SSLContext | None = None,
) -> SendResult:
    """`send_email_and_log` with the account's own sign-in: a fresh XOAUTH2 token for a
    Gmail or Microsoft browser sign-in (raises SignInNeeded if withdrawn), else `password`."""
    with db.reading() as session:
        token = mail_secret(session, store, smtp.username, smtp.account, clock=clock).access_token
    return send_email_and_log(
        db,
        draft,
        next_step,
        smtp=smtp,
        password=None if token else password,
        clock=clock,
        footer=footer,
        ssl_context=ssl_context,
        access_token=token,
        extras=extras,
    )
