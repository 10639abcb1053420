"""What a contact screen shows, read in one go before it is built, so building it reads
nothing: for a call, who and why, the numbers in the order to try, the script and voicemail
to start from, and whether calling is allowed now; for a text or an email, the templates
with the first one filled in, the sending settings, and whether it may go now; for logging
an outcome, who it is about and what the next step's time must fit around."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from deckfollow.core.changes import Changes
from deckfollow.core.contact_snapshot import load_snapshot
from deckfollow.core.enums import Channel, TemplateKind
from deckfollow.core.errors import DeckfollowError, ValidationError
from deckfollow.core.follow_up_target import FollowUpTarget, resolve_target
from deckfollow.core.followups import planned_times
from deckfollow.core.permission import ContactSnapshot
from deckfollow.core.settings import load_settings
from deckfollow.messaging.drafts import (
    MessageDraft,
    compose_draft,
    prepare_templates,
    starting_template,
)
from deckfollow.messaging.email_auth import sign_in_kind
from deckfollow.messaging.email_extras import Extras, load_extras
from deckfollow.messaging.email_providers import SignIn
from deckfollow.messaging.guard import (
    PhoneNumber,
    SendCheck,
    call_numbers,
    check_send,
    gateway_address,
)
from deckfollow.messaging.sms_providers import SmsSettings, load_sms_settings
from deckfollow.messaging.smtp import (
    Footer,
    SmtpSettings,
    footer_enabled,
    load_smtp_settings,
    make_footer,
)
from deckfollow.messaging.template_library import TemplateInfo, list_templates, template_for

__all__ = [
    "CallScreen",
    "EmailScreen",
    "EmailSettings",
    "LogOutcomeScreen",
    "ScriptChoice",
    "TextScreen",
    "read_call_screen",
    "read_email_screen",
    "read_email_settings",
    "read_log_outcome_screen",
    "read_text_screen",
    "screen_check",
]


@dataclass(frozen=True)
class ScriptChoice:
    """The templates of one kind, the one shown first, and its words filled in for the
    customer (or why they could not be)."""

    templates: tuple[TemplateInfo, ...]
    key: str | None
    draft: MessageDraft | None
    problem: str | None = None


@dataclass(frozen=True)
class CallScreen:
    """Everything the call screen shows as it opens."""

    target: FollowUpTarget
    numbers: tuple[PhoneNumber, ...]
    script: ScriptChoice
    voicemail: ScriptChoice
    check: SendCheck
    # The built-in templates added on the way (the first message screen of a new database).
    changes: Changes


@dataclass(frozen=True)
class TextScreen:
    """Everything the text screen shows as it opens."""

    target: FollowUpTarget
    text: ScriptChoice
    # The customer's email-to-SMS address, when their carrier's gateway is known.
    gateway: str | None
    smtp: SmtpSettings
    sms: SmsSettings
    check: SendCheck
    # The built-in templates added on the way (the first message screen of a new database).
    changes: Changes


@dataclass(frozen=True)
class EmailSettings:
    """The email account and what goes with every email (footer, extras), as the email
    screen needs them."""

    smtp: SmtpSettings
    footer: Footer
    footer_on: bool
    extras: Extras
    # A Gmail or Microsoft browser sign-in sends with a token: no password to ask for.
    signed_in: bool


@dataclass(frozen=True)
class EmailScreen:
    """Everything the email screen shows as it opens."""

    target: FollowUpTarget
    email: ScriptChoice
    settings: EmailSettings
    check: SendCheck
    # The built-in templates added on the way (the first message screen of a new database).
    changes: Changes


@dataclass(frozen=True)
class LogOutcomeScreen:
    """Everything the log-outcome screen needs as it opens: who it is about, what permission
    knows of them, and what the next planned touch must fit around (the frequency cap)."""

    target: FollowUpTarget
    snapshot: ContactSnapshot
    # Due times of the customer's planned follow-ups, pending and done, and the weekly cap.
    planned: tuple[datetime, ...]
    weekly_cap: int


def screen_check(
    session: Session, target: FollowUpTarget, channel: Channel, now: datetime
) -> SendCheck:
    """The send guard for `target`, plus: a follow-up already done is not done twice."""
    check = check_send(
        session,
        customer_id=target.customer_id,
        channel=channel,
        now=now,
        follow_up_id=target.follow_up_id,
    )
    if check.allowed and target.follow_up_closed is not None:
        return SendCheck(False, target.follow_up_closed)
    return check


def read_call_screen(
    session: Session,
    *,
    now: datetime,
    follow_up_id: int | None = None,
    quote_id: int | None = None,
    customer_id: int | None = None,
) -> CallScreen:
    """The call screen for a follow-up, a quote or a customer (whichever id the caller had).

    NotFoundError names a missing follow-up, quote or customer. Adds the built-in templates
    when they are not there yet, so it runs in a unit of work."""
    opening = _opening(
        session, TemplateKind.CALL_SCRIPT, Channel.CALL, now, (follow_up_id, quote_id, customer_id)
    )
    target = opening.target
    voicemail = template_for(session, TemplateKind.VOICEMAIL, template_id=target.template_id)
    return CallScreen(
        target=target,
        numbers=tuple(call_numbers(session, target.customer_id)),
        script=opening.choice,
        voicemail=_choice(session, target, TemplateKind.VOICEMAIL, voicemail, now),
        check=opening.check,
        changes=opening.changes,
    )


@dataclass(frozen=True)
class _Opening:
    """What every message screen opens with: whom and what it is about, the templates of
    its kind with the one to start from filled in, and whether it may go now."""

    target: FollowUpTarget
    choice: ScriptChoice
    check: SendCheck
    changes: Changes  # the built-in templates added on the way


def _opening(
    session: Session,
    kind: TemplateKind,
    channel: Channel,
    now: datetime,
    ids: tuple[int | None, int | None, int | None],
) -> _Opening:
    """Prepare the templates, resolve the target from whichever of the (follow-up, quote,
    customer) `ids` the caller had, pick the template to start from, fill it in, and check
    the send on `channel`."""
    changes = prepare_templates(session)
    follow_up_id, quote_id, customer_id = ids
    target = resolve_target(
        session, follow_up_id=follow_up_id, quote_id=quote_id, customer_id=customer_id
    )
    start = starting_template(session, target, kind)
    return _Opening(
        target,
        _choice(session, target, kind, start, now),
        screen_check(session, target, channel, now),
        changes,
    )


def _choice(
    session: Session,
    target: FollowUpTarget,
    kind: TemplateKind,
    start: TemplateInfo | None,
    now: datetime,
) -> ScriptChoice:
    templates = tuple(list_templates(session, kind))
    keys = [t.key for t in templates]
    # The one to start from when it is in the list, else the list's first (as the picker shows).
    key = start.key if start is not None and start.key in keys else (keys[0] if keys else None)
    if key is None:
        return ScriptChoice(templates, None, None)
    try:
        draft = compose_draft(session, target, kind, now=now, template_key=key)
    except DeckfollowError as exc:
        return ScriptChoice(templates, key, None, str(exc))
    return ScriptChoice(templates, key, draft)


def read_text_screen(
    session: Session,
    *,
    now: datetime,
    follow_up_id: int | None = None,
    quote_id: int | None = None,
    customer_id: int | None = None,
) -> TextScreen:
    """The text screen for a follow-up, a quote or a customer (whichever id the caller had).

    NotFoundError names a missing follow-up, quote or customer. Adds the built-in templates
    when they are not there yet, so it runs in a unit of work."""
    opening = _opening(
        session, TemplateKind.TEXT, Channel.TEXT, now, (follow_up_id, quote_id, customer_id)
    )
    return TextScreen(
        target=opening.target,
        text=opening.choice,
        gateway=gateway_address(session, opening.target.customer_id),
        smtp=load_smtp_settings(session),
        sms=load_sms_settings(session),
        check=opening.check,
        changes=opening.changes,
    )


def read_email_settings(session: Session) -> EmailSettings:
    """The email account, footer and extras (read again after Email settings… closed)."""
    return EmailSettings(
        load_smtp_settings(session),
        make_footer(session),
        footer_enabled(session),
        load_extras(session),
        sign_in_kind(session) is not SignIn.PASSWORD,
    )


def read_email_screen(
    session: Session,
    *,
    now: datetime,
    follow_up_id: int | None = None,
    quote_id: int | None = None,
    customer_id: int | None = None,
) -> EmailScreen:
    """The email screen for a follow-up, a quote or a customer (whichever id the caller had).

    NotFoundError names a missing follow-up, quote or customer. Adds the built-in templates
    when they are not there yet, so it runs in a unit of work."""
    opening = _opening(
        session, TemplateKind.EMAIL, Channel.EMAIL, now, (follow_up_id, quote_id, customer_id)
    )
    return EmailScreen(
        target=opening.target,
        email=opening.choice,
        settings=read_email_settings(session),
        check=opening.check,
        changes=opening.changes,
    )


def read_log_outcome_screen(
    session: Session,
    *,
    follow_up_id: int | None = None,
    quote_id: int | None = None,
    customer_id: int | None = None,
) -> LogOutcomeScreen:
    """The log-outcome screen for a follow-up, a quote or a customer (whichever id the
    caller had). NotFoundError names a missing one; none at all is a ValidationError."""
    if follow_up_id is None and quote_id is None and customer_id is None:
        raise ValidationError("customer", "log an outcome for a customer or a quote")
    target = resolve_target(
        session, follow_up_id=follow_up_id, quote_id=quote_id, customer_id=customer_id
    )
    return LogOutcomeScreen(
        target=target,
        snapshot=load_snapshot(session, target.customer_id),
        planned=tuple(planned_times(session, target.customer_id)),
        weekly_cap=load_settings(session).weekly_cap,
    )
