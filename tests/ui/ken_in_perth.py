"""An owner in Sydney and Ken in Fremantle WA, built from an empty database through the
core services, for the screens that pick a time on the owner's clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from PySide6.QtCore import QLocale

from deckfollow.core.customers import NewCustomer, add_customer
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.settings import save_setting
from deckfollow.storage.database import Database
from deckfollow.ui import formatting

# Saturday 5 December 2026, 8:00 pm in Sydney, 5:00 pm in Fremantle.
NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Ken:
    customer_id: int
    quote_id: int


def sydney_owner_and_ken_in_perth(db: Database) -> Ken:
    """An Australian business in Sydney (Australian locale, the owner's zone shown), and
    Ken in Fremantle with a quote, his enquiry answered on the phone."""
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.Australia))
    formatting.use_sensible_locale("AU")
    with db.unit_of_work() as s:
        save_setting(s, "business_name", "Harbour Decks")
        save_setting(s, "default_country", "AU")
        save_setting(s, "owner_timezone", "Australia/Sydney")
        ken = add_customer(
            s,
            NewCustomer("Ken Perth", phone="0412 345 679", suburb="Fremantle", region="WA"),
            now=NOW,
        )
        lead = add_lead(
            s,
            NewLead("Ken Perth", job="Jarrah deck", customer_id=ken.customer_id, answered=True),
            now=NOW,
        )
    formatting.set_owner_zone("Australia/Sydney")  # as opening the database does
    return Ken(ken.customer_id, lead.quote_id)
