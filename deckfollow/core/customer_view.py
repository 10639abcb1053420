"""Everything the customer panel shows of one customer and quote, read in one go as plain
data: the contact form as typed, the quote, consent per channel and the timeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from deckfollow.core.consent import ConsentOverview, consent_overview
from deckfollow.core.contact_snapshot import get_customer
from deckfollow.core.customers import form_values
from deckfollow.core.enums import Stage
from deckfollow.core.history import HistoryEntry, customer_history
from deckfollow.core.pipeline import current_quote_id, get_quote
from deckfollow.core.quotes import quote_details
from deckfollow.core.settings import load_settings

__all__ = ["ContactForm", "CustomerView", "QuoteView", "customer_view", "quote_customer"]


@dataclass(frozen=True)
class QuoteView:
    """What the panel shows of one quote."""

    id: int
    number: str | None
    job: str
    amount: Decimal | None
    currency: str
    stage: Stage
    received_at: datetime
    first_response_at: datetime | None
    lost_reason: str | None
    sent_on: date | None = None  # in the owner's clock
    valid_until: date | None = None
    competing_quotes: int | None = None


@dataclass(frozen=True)
class ContactForm:
    """The contact details as the form shows them, and the version they were read at (a
    save checks it, so nobody's later change is overwritten)."""

    id: int
    version: int
    country: str
    timezone: str
    fields: dict[str, str]


@dataclass(frozen=True)
class CustomerView:
    contact: ContactForm
    quote: QuoteView | None
    consent: ConsentOverview
    history: list[HistoryEntry]


def quote_customer(session: Session, quote_id: int) -> int:
    """Whose quote it is (NotFoundError for one in the trash or gone)."""
    return get_quote(session, quote_id).customer_id


def customer_view(
    session: Session, customer_id: int, quote_id: int | None, *, now: datetime
) -> CustomerView:
    """The customer with `quote_id`, or their most recent open quote (else latest)."""
    c = get_customer(session, customer_id)
    home = load_settings(session).default_country
    contact = ContactForm(c.id, c.version, c.country, c.timezone, form_values(c, home))
    if quote_id is None:
        quote_id = current_quote_id(session, customer_id)
    quote = get_quote(session, quote_id) if quote_id is not None else None
    view = (
        QuoteView(
            quote.id,
            quote.number,
            quote.job,
            quote.amount,
            quote.currency,
            quote.stage,
            quote.received_at,
            quote.first_response_at,
            quote.lost_reason,
            quote_details(session, quote.id).sent_on,
            quote.valid_until,
            quote.competing_quotes,
        )
        if quote is not None
        else None
    )
    return CustomerView(
        contact,
        view,
        consent_overview(session, customer_id),
        customer_history(session, customer_id, now=now),
    )
