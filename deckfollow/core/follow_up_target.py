"""Who a follow-up (or a one-off contact) goes to: the customer, their addresses, the quote
it is about, why, and which channels they closed."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from deckfollow.core.cadence_library import step_template_key
from deckfollow.core.contact_info import phone_as_read_in
from deckfollow.core.contact_snapshot import get_customer, load_snapshot
from deckfollow.core.enums import Basis, Channel, FollowUpStatus, Stage
from deckfollow.core.errors import NotFoundError, ValidationError
from deckfollow.core.followups import next_pending_follow_up
from deckfollow.core.leads import next_step_reason, waiting_first_reply
from deckfollow.core.models import FollowUp, Quote
from deckfollow.core.permission import channel_decision
from deckfollow.core.settings import load_settings
from deckfollow.core.touches import continuing_plan

__all__ = ["FollowUpTarget", "contact_follow_up", "resolve_target"]

# The channels a contact screen stands for: a call screen also does a visit's follow-up,
# the text screen a video message's.
_SCREEN_CHANNELS: dict[Channel, tuple[Channel, ...]] = {
    Channel.CALL: (Channel.CALL, Channel.VISIT),
    Channel.TEXT: (Channel.TEXT, Channel.VIDEO),
    Channel.EMAIL: (Channel.EMAIL,),
}


@dataclass(frozen=True)
class FollowUpTarget:
    """Who a message is for and what about, resolved from a follow-up, a quote or a customer."""

    customer_id: int
    quote_id: int | None
    follow_up_id: int | None
    name: str
    email: str | None
    cell: str | None
    timezone: str
    country: str
    job: str | None
    reason: str | None
    follow_up_channel: Channel | None
    template_id: int | None
    basis: Basis | None
    # Why the follow-up is no longer waiting (done, skipped, cancelled), if it is not.
    follow_up_closed: str | None = None
    follow_up_status: FollowUpStatus | None = None
    # Where the quote stands (an unpriced lead has no quote yet; a won job gets thanks).
    stage: Stage | None = None
    priced: bool = False
    quote_number: str | None = None
    step_template_key: str | None = None
    # The active follow-up plan this follow-up is a step of (it places its own next step).
    plan_name: str | None = None
    # Channels the customer revoked, with why: never proposed for the next step.
    closed_channels: dict[Channel, str] = field(default_factory=dict)
    # The cell number as the owner dials it ("0412 345 679"; international from abroad).
    cell_shown: str | None = None
    # What the next step's reason starts from: the follow-up's own, or after a new lead's
    # first reply, "Follow up on their enquiry about …" (the lead is answered by then).
    next_reason: str | None = None

    def address(self, channel: Channel) -> str | None:
        """Where a message on `channel` goes: the email address or the cell number."""
        if channel is Channel.EMAIL:
            return self.email
        if channel in (Channel.TEXT, Channel.VIDEO, Channel.CALL):
            return self.cell
        return None


def resolve_target(
    session: Session,
    *,
    follow_up_id: int | None = None,
    quote_id: int | None = None,
    customer_id: int | None = None,
) -> FollowUpTarget:
    """Resolve the customer (and quote) from whichever id the caller had.

    A follow-up brings its customer and quote; a quote its customer. NotFoundError names a
    missing follow-up or quote; without any id the customer is asked for.
    """
    fu = None
    if follow_up_id is not None:
        fu = session.get(FollowUp, follow_up_id)
        if fu is None:
            raise NotFoundError(f"no follow-up with id {follow_up_id}")
        customer_id = fu.customer_id
        quote_id = quote_id if quote_id is not None else fu.quote_id
    quote = None
    if quote_id is not None:
        quote = session.get(Quote, quote_id)
        if quote is None or quote.deleted_at is not None:
            raise NotFoundError(f"no quote with id {quote_id}")
        customer_id = customer_id if customer_id is not None else quote.customer_id
    if customer_id is None:
        raise ValidationError("customer", "choose who to contact")
    c = get_customer(session, customer_id)
    step_key = None
    if fu is not None and fu.cadence_run_id is not None and fu.cadence_step is not None:
        step_key = step_template_key(session, fu.cadence_run_id, fu.cadence_step)
    snap = load_snapshot(session, c.id)
    closed = {ch: d.reason for ch in Channel if not (d := channel_decision(snap, ch)).allowed}
    return FollowUpTarget(
        customer_id=c.id,
        quote_id=quote_id,
        follow_up_id=follow_up_id,
        name=c.display_name,
        email=c.email,
        cell=c.phone_cell,
        timezone=c.timezone,
        country=c.country,
        job=quote.job if quote is not None else None,
        reason=fu.reason if fu is not None else None,
        next_reason=next_step_reason(fu.reason) if fu is not None else None,
        follow_up_channel=fu.channel if fu is not None else None,
        template_id=fu.template_id if fu is not None else None,
        basis=fu.basis if fu is not None else None,
        follow_up_closed=_closed_line(fu),
        follow_up_status=fu.status if fu is not None else None,
        stage=quote.stage if quote is not None else None,
        priced=quote is not None and quote.amount is not None,
        quote_number=quote.number if quote is not None else None,
        step_template_key=step_key,
        plan_name=continuing_plan(session, fu.id) if fu is not None else None,
        closed_channels=closed,
        cell_shown=(
            phone_as_read_in(c.phone_cell, load_settings(session).default_country)
            if c.phone_cell
            else None
        ),
    )


def _closed_line(fu: FollowUp | None) -> str | None:
    if fu is None or fu.status is FollowUpStatus.PENDING:
        return None
    return (
        f"this follow-up is already {fu.status.value}"
        + (f" ({fu.cancel_reason})" if fu.cancel_reason else "")
        + "; open the customer to contact them again"
    )


def contact_follow_up(
    session: Session, channel: Channel, *, customer_id: int, quote_id: int | None
) -> int | None:
    """The follow-up a call, text or email to this customer (and quote) would answer.

    Their next pending one on that screen's channels; else a new lead's first reply, which,
    planned as a text, may well be given by a call. None: a one-off contact.
    """
    channels = _SCREEN_CHANNELS.get(channel, (channel,))
    fid = next_pending_follow_up(
        session, customer_id=customer_id, quote_id=quote_id, channels=channels
    )
    if fid is None:
        fid = waiting_first_reply(session, customer_id, quote_id)
    return fid
