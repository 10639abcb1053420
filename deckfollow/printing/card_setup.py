"""The print options a business starts from: its remembered stationery, the front of its
cards (name, logo or motif) and today's date as it is written there."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from deckfollow.core.card_preferences import CardPreferences, written_date
from deckfollow.core.contact_info import phone_as_read_in
from deckfollow.core.settings import load_settings
from deckfollow.printing.batch import return_address
from deckfollow.printing.handwriting import HandStyle
from deckfollow.printing.render import CardFront, PrintOptions


def card_front(session: Session, prefs: CardPreferences) -> CardFront:
    """The business's name, the owner's logo (if one is remembered) or the chosen motif,
    and the name and phone in small print on the back."""
    s = load_settings(session)
    name = s.business_name.strip() or s.owner_name.strip()
    phone = s.owner_phone.strip()
    if phone.startswith("+"):
        # Printed as people at home dial it ("0412 345 679"), not in its stored E.164 form.
        phone = phone_as_read_in(phone, s.default_country)
    back = " · ".join(p for p in (name, phone) if p)
    logo = Path(prefs.logo) if prefs.logo.strip() else None
    return CardFront(name, prefs.motif, logo, back)


def todays_date_line(session: Session, now: datetime) -> str:
    """Today in the owner's clock, written as people in the business's country write it."""
    s = load_settings(session)
    return written_date(now.astimezone(ZoneInfo(s.owner_timezone)).date(), s.default_country)


def options_for(session: Session, prefs: CardPreferences, *, now: datetime) -> PrintOptions:
    """Print options from the owner's remembered choices."""
    return PrintOptions(
        card=prefs.card,
        style=HandStyle(font=prefs.font, ink=prefs.ink),
        envelope=prefs.envelope_choice,
        labels=prefs.labels_choice,
        return_address=return_address(session),
        front=card_front(session, prefs),
        date_text=todays_date_line(session, now) if prefs.date_line else None,
    )
