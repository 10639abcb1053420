"""Capturing a new lead: the customer and their request, with the time it was received."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import phonenumbers
from sqlalchemy.orm import Session

from deckfollow.core.changes import Changes
from deckfollow.core.consent import is_blocked
from deckfollow.core.contact_hours import zone
from deckfollow.core.contact_info import (
    country_of_phone,
    normalise_email,
    normalise_phone,
    timezones_of_phone,
)
from deckfollow.core.enums import Stage
from deckfollow.core.errors import ValidationError
from deckfollow.core.models import Customer, Quote
from deckfollow.core.settings import load_settings
from deckfollow.core.timezones import lead_zone


@dataclass(frozen=True)
class NewLead:
    name: str
    phone: str | None = None
    email: str | None = None
    note: str | None = None
    job: str | None = None
    source: str | None = None
    country: str | None = None
    timezone: str | None = None


@dataclass(frozen=True)
class LeadCreated:
    customer_id: int
    quote_id: int
    changes: Changes


def _split_name(name: str) -> tuple[str, str | None]:
    parts = name.split(maxsplit=1)
    return parts[0], (parts[1] if len(parts) > 1 else None)


def add_lead(session: Session, lead: NewLead, *, now: datetime) -> LeadCreated:
    """Validate every field first (nothing is saved on a bad one), then add customer + lead."""
    name = " ".join(lead.name.split())
    if not name:
        raise ValidationError("name", "a lead needs a name")
    settings = load_settings(session)
    country = (lead.country or settings.default_country).strip().upper()
    if lead.country and country not in phonenumbers.SUPPORTED_REGIONS:
        raise ValidationError(
            "country", f"{lead.country!r} is not a two-letter country code (e.g. AU, US, GB)"
        )
    phone = normalise_phone(lead.phone, country, "phone") if lead.phone else None
    email = normalise_email(lead.email, "email") if lead.email else None
    if phone and not lead.country:
        country = country_of_phone(phone) or country
    tzname = lead.timezone or lead_zone(country, phone, settings.owner_timezone)
    zone(tzname)
    blocked = is_blocked(session, email=email, phone=phone)
    if blocked:
        # Rule 9: a do-not-contact survives re-entry; the person is not re-added as contactable.
        raise ValidationError("name", f"{name}: this email or phone {blocked}")
    first, last = _split_name(name)
    customer = Customer(
        display_name=name,
        first_name=first,
        last_name=last,
        email=email,
        phone_cell=phone,
        country=country,
        timezone=tzname,
        do_not_contact=False,
        created_at=now,
        updated_at=now,
    )
    session.add(customer)
    session.flush()
    quote = Quote(
        customer_id=customer.id,
        job=(lead.job or lead.note or "New enquiry").strip()[:300],
        stage=Stage.LEAD,
        source=lead.source,
        received_at=now,
        stage_changed_at=now,
        notes=lead.note,
        currency=_currency_for(country),
        created_at=now,
        updated_at=now,
    )
    session.add(quote)
    session.flush()
    return LeadCreated(
        customer.id, quote.id, Changes(customers=True, quotes=True, created_ids=(quote.id,))
    )


_CURRENCIES = {"AU": "AUD", "US": "USD", "GB": "GBP", "NZ": "NZD", "CA": "CAD", "IE": "EUR"}


def _currency_for(country: str) -> str:
    return _CURRENCIES.get(country.upper(), "USD")


def _guess_timezone(phone: str | None, owner_tz: str) -> str:
    """The owner's zone unless the phone number clearly belongs elsewhere."""
    zones = timezones_of_phone(phone) if phone else []
    if not zones or owner_tz in zones:
        return owner_tz
    country = country_of_phone(phone) if phone else None
    main = MAIN_ZONE.get(country or "")
    return main if main in zones else zones[0]


# Where a number spans several zones, the zone most of the country's people live in.
MAIN_ZONE = {
    "AU": "Australia/Sydney",
    "US": "America/New_York",
    "CA": "America/Toronto",
    "NZ": "Pacific/Auckland",
    "GB": "Europe/London",
}
