"""The send guard: nothing reaches a customer on a revoked channel or outside their hours.

Every sender (email, text gateway, sms link, copy-to-phone, the call screen) asks
`check_send` first and shows its `reason` when the answer is no.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote as urlquote

import phonenumbers
from sqlalchemy.orm import Session

from deckfollow.core.changes import Changes
from deckfollow.core.clock_format import both_clocks_text, date_text
from deckfollow.core.contact_info import phone_as_read_in
from deckfollow.core.contact_snapshot import get_customer, load_snapshot
from deckfollow.core.enums import Basis, Channel
from deckfollow.core.errors import NotFoundError
from deckfollow.core.models import FollowUp
from deckfollow.core.permission import channel_decision, timing_decision
from deckfollow.core.settings import get_setting, load_settings, set_setting
from deckfollow.messaging.threads import failing_since

# An agreed time stands a little either side of the window the customer chose.
AGREED_GRACE = timedelta(hours=1)


@dataclass(frozen=True)
class SendCheck:
    allowed: bool
    reason: str
    # For a refusal about timing: the nearest instant that would be allowed.
    suggestion: datetime | None = None


def _agreed_now(fu: FollowUp | None, now: datetime) -> bool:
    if fu is None or fu.basis is not Basis.AGREED:
        return False
    end = fu.window_end or fu.due_at
    return fu.due_at - AGREED_GRACE <= now <= end + AGREED_GRACE


def check_send(
    session: Session,
    *,
    customer_id: int,
    channel: Channel,
    now: datetime,
    follow_up_id: int | None = None,
) -> SendCheck:
    """May we reach this customer on `channel` right now? The reason says why not."""
    try:
        snap = load_snapshot(session, customer_id)
    except NotFoundError as exc:
        return SendCheck(False, str(exc))
    # Every time in a refusal reads on the owner's clock, the customer's beside it.
    owner_tz = load_settings(session).owner_timezone
    d = channel_decision(snap, channel, owner_tz=owner_tz)
    if not d.allowed:
        return SendCheck(False, d.reason)
    fu = session.get(FollowUp, follow_up_id) if follow_up_id is not None else None
    basis = Basis.AGREED if _agreed_now(fu, now) else Basis.PLANNED
    t = timing_decision(snap, channel, now, basis, owner_tz=owner_tz)
    if not t.allowed:
        hint = ""
        if t.suggestion is not None:
            when = both_clocks_text(t.suggestion, owner_tz, snap.hours.tz)
            hint = f" The next allowed time is {when}."
        return SendCheck(False, t.reason + hint, t.suggestion)
    customer = get_customer(session, customer_id)
    if channel is Channel.EMAIL and not customer.email:
        return SendCheck(False, f"there is no email address for {customer.display_name}")
    bounced = failing_since(session, customer.email) if channel is Channel.EMAIL else None
    if bounced is not None:
        return SendCheck(
            False,
            f"email to {customer.email} bounced on {date_text(bounced)}; check the address "
            f"with {customer.display_name} and correct it",
        )
    if channel in (Channel.TEXT, Channel.VIDEO) and not customer.phone_cell:
        return SendCheck(False, f"there is no cell number to text for {customer.display_name}")
    if channel is Channel.CALL and not call_numbers(session, customer_id):
        return SendCheck(False, f"there is no phone number for {customer.display_name}")
    if basis is Basis.AGREED:
        return SendCheck(True, "the time the customer agreed to")
    return SendCheck(True, "allowed")


@dataclass(frozen=True)
class PhoneNumber:
    label: str  # "cell", "office", "home"
    e164: str
    display: str

    @property
    def tel_uri(self) -> str:
        return "tel:" + self.e164


def call_numbers(session: Session, customer_id: int) -> list[PhoneNumber]:
    """The numbers to try, in the order to try them: cell, then office, then home."""
    c = get_customer(session, customer_id)
    home = load_settings(session).default_country  # shown as the owner dials them
    out: list[PhoneNumber] = []
    for label, number in (
        ("cell", c.phone_cell),
        ("office", c.phone_office),
        ("home", c.phone_home),
    ):
        if number and number.strip():
            out.append(PhoneNumber(label, number.strip(), phone_as_read_in(number.strip(), home)))
    return out


def sms_uri(e164: str, body: str) -> str:
    """An RFC 5724 `sms:` link a paired phone (or a phone-link app) opens with the text."""
    return f"sms:{e164}?body={urlquote(body, safe='')}"


# Email-to-SMS gateways: a domain per customer (their carrier) or one for everybody.
GATEWAY_DOMAIN_KEY = "sms.gateway_domain"
GATEWAY_NUMBER_KEY = "sms.gateway_number"  # "national" (2125550123) or "international"


def _customer_gateway_key(customer_id: int) -> str:
    return f"sms.gateway_domain.customer.{customer_id}"


def set_gateway_domain(session: Session, domain: str, customer_id: int | None = None) -> None:
    """The gateway domain for one customer's carrier, or (no customer) for everybody."""
    clean = domain.strip().lstrip("@").lower()
    key = GATEWAY_DOMAIN_KEY if customer_id is None else _customer_gateway_key(customer_id)
    set_setting(session, key, clean)


def save_gateway_domain(session: Session, domain: str, customer_id: int | None) -> Changes:
    """`set_gateway_domain` as a change the screens announce."""
    set_gateway_domain(session, domain, customer_id)
    return Changes(settings=True)


def gateway_domain(session: Session, customer_id: int) -> str | None:
    value = get_setting(session, _customer_gateway_key(customer_id)) or get_setting(
        session, GATEWAY_DOMAIN_KEY
    )
    return value or None


def gateway_address(session: Session, customer_id: int) -> str | None:
    """Where to email a text so it arrives as an SMS on the customer's cell, if set up."""
    domain = gateway_domain(session, customer_id)
    cell = get_customer(session, customer_id).phone_cell
    if not domain or not cell:
        return None
    fmt = get_setting(session, GATEWAY_NUMBER_KEY, "national")
    try:
        parsed = phonenumbers.parse(cell, None)
    except phonenumbers.NumberParseException:
        return None
    if fmt == "international":
        digits = f"{parsed.country_code}{parsed.national_number}"
    else:
        digits = str(parsed.national_number)
    return f"{digits}@{domain}"
