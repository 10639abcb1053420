"""A message's words before it goes out: who to, on which channel, what for, and the
template filled in for them. The email, text and call screens and `deckfollow send` all
start from the same draft."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from deckfollow.core.changes import Changes
from deckfollow.core.enums import Channel, FollowUpStatus, TemplateKind
from deckfollow.core.errors import DeckfollowError, ValidationError
from deckfollow.core.follow_up_target import FollowUpTarget, resolve_target
from deckfollow.core.merge_fields import RenderedText, build_merge_context, render_template
from deckfollow.messaging.follow_up_wording import wording_key
from deckfollow.messaging.outbox import Draft
from deckfollow.messaging.template_library import (
    TemplateInfo,
    get_template,
    seed_builtin_templates,
    template_for,
)

__all__ = [
    "MessageDraft",
    "compose_draft",
    "compose_follow_up_draft",
    "prepare_templates",
    "starting_template",
]

_CHANNEL_OF_KIND = {
    TemplateKind.EMAIL: Channel.EMAIL,
    TemplateKind.TEXT: Channel.TEXT,
    TemplateKind.CALL_SCRIPT: Channel.CALL,
    TemplateKind.VOICEMAIL: Channel.CALL,
    TemplateKind.CARD: Channel.CARD,
}
_KIND_WORDS = {
    TemplateKind.EMAIL: "an email template",
    TemplateKind.TEXT: "a text template",
    TemplateKind.CALL_SCRIPT: "a call script",
    TemplateKind.VOICEMAIL: "a voicemail script",
    TemplateKind.CARD: "a card template",
}


@dataclass(frozen=True)
class MessageDraft:
    """The filled-in words for one customer, with where they go and what they are for."""

    customer_id: int
    quote_id: int | None
    follow_up_id: int | None
    channel: Channel
    kind: TemplateKind
    to_name: str
    to_address: str | None  # the email address, or the cell number for a text or a call
    timezone: str
    country: str
    reason: str | None  # what the message is for (the follow-up's reason)
    template_key: str | None
    subject: RenderedText  # empty for anything but an email
    body: RenderedText

    def problems(self) -> list[str]:
        """What keeps it from going out as it is: fields with no value, unknown fields."""
        return [p for p in (self.subject.problem(), self.body.problem()) if p]

    def outbox_draft(
        self, body: str | None = None, *, subject: str | None = None, to_address: str | None = None
    ) -> Draft:
        """What the outbox sends and logs: these words, or the ones the user edited."""
        email = self.channel is Channel.EMAIL
        return Draft(
            self.customer_id,
            self.channel,
            self.body.text if body is None else body,
            subject=(self.subject.text if subject is None else subject) if email else None,
            quote_id=self.quote_id,
            follow_up_id=self.follow_up_id,
            to_address=to_address
            if to_address is not None
            else (self.to_address if email else None),
            to_name=self.to_name,
        )


def prepare_templates(session: Session) -> Changes:
    """Make sure the built-in templates are there before any message is written."""
    added = seed_builtin_templates(session)
    return Changes(settings=True) if added else Changes()


def starting_template(
    session: Session, target: FollowUpTarget, kind: TemplateKind
) -> TemplateInfo | None:
    """The template a message for `target` starts from, chosen as the Today list chooses it:
    the follow-up's own, its plan step's, else the one that fits its reason and quote."""
    key = wording_key(
        kind,
        reason=target.reason,
        basis=target.basis,
        stage=target.stage,
        priced=target.priced,
        step_key=target.step_template_key,
    )
    return template_for(session, kind, template_id=target.template_id, template_key=key)


def compose_draft(
    session: Session,
    target: FollowUpTarget,
    kind: TemplateKind,
    *,
    now: datetime,
    template_key: str | None = None,
) -> MessageDraft:
    """Fill in a template for `target`: the one named, else the one it starts from.

    ValidationError names the template when it is of another kind or there is none.
    """
    if template_key is not None:
        template: TemplateInfo | None = get_template(session, template_key)
        if template is not None and template.kind is not kind:
            raise ValidationError("template", f"choose {_KIND_WORDS[kind]}")
    else:
        template = starting_template(session, target, kind)
    if template is None:
        raise ValidationError("template", f"choose {_KIND_WORDS[kind]}")
    ctx = build_merge_context(
        session,
        customer_id=target.customer_id,
        quote_id=target.quote_id,
        follow_up_id=target.follow_up_id,
        now=now,
    )
    subject = (
        render_template(template.subject, ctx)
        if kind is TemplateKind.EMAIL and template.subject
        else RenderedText("")
    )
    channel = _CHANNEL_OF_KIND[kind]
    return MessageDraft(
        customer_id=target.customer_id,
        quote_id=target.quote_id,
        follow_up_id=target.follow_up_id,
        channel=channel,
        kind=kind,
        to_name=target.name,
        to_address=target.address(channel),
        timezone=target.timezone,
        country=target.country,
        reason=target.reason,
        template_key=template.key,
        subject=subject,
        body=render_template(template.body, ctx),
    )


def compose_follow_up_draft(
    session: Session,
    follow_up_id: int,
    kind: TemplateKind,
    *,
    now: datetime,
    template_key: str | None = None,
) -> MessageDraft:
    """The draft for a follow-up still waiting to be done; one already done, skipped or
    cancelled is refused, so nothing is sent twice."""
    prepare_templates(session)
    target = resolve_target(session, follow_up_id=follow_up_id)
    status = target.follow_up_status
    if status is not None and status is not FollowUpStatus.PENDING:
        raise DeckfollowError(
            f"follow-up {follow_up_id} is {status.value}, not waiting to be done; nothing sent"
        )
    return compose_draft(session, target, kind, now=now, template_key=template_key)
