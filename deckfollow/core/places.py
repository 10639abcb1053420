"""Where a customer lives: country codes from what people write, and their time zone.

Shared by the importer, new customers and leads, so a state or a mobile number decides a
customer's zone the same way wherever they were entered.
"""

from __future__ import annotations

import re

import phonenumbers

from deckfollow.core.contact_info import country_of_phone, timezones_of_phone

# Where a number spans several zones, the zone most of the country's people live in.
MAIN_ZONE = {
    "AU": "Australia/Sydney",
    "US": "America/New_York",
    "CA": "America/Toronto",
    "NZ": "Pacific/Auckland",
    "GB": "Europe/London",
}

_COUNTRY_NAMES = {
    "australia": "AU",
    "united states": "US",
    "united states of america": "US",
    "usa": "US",
    "u s a": "US",
    "america": "US",
    "united kingdom": "GB",
    "uk": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "new zealand": "NZ",
    "aotearoa": "NZ",
    "canada": "CA",
    "ireland": "IE",
    "germany": "DE",
    "deutschland": "DE",
    "france": "FR",
    "spain": "ES",
    "españa": "ES",
    "mexico": "MX",
    "méxico": "MX",
    "poland": "PL",
    "polska": "PL",
    "netherlands": "NL",
    "italy": "IT",
    "south africa": "ZA",
    "india": "IN",
}

# A state tells the zone when a phone number spans a whole country (Australian mobiles).
_REGION_ZONES = {
    "AU": {
        "wa": "Australia/Perth",
        "western australia": "Australia/Perth",
        "sa": "Australia/Adelaide",
        "south australia": "Australia/Adelaide",
        "nt": "Australia/Darwin",
        "northern territory": "Australia/Darwin",
        "qld": "Australia/Brisbane",
        "queensland": "Australia/Brisbane",
        "nsw": "Australia/Sydney",
        "new south wales": "Australia/Sydney",
        "act": "Australia/Sydney",
        "vic": "Australia/Melbourne",
        "victoria": "Australia/Melbourne",
        "tas": "Australia/Hobart",
        "tasmania": "Australia/Hobart",
    },
    "CA": {
        "bc": "America/Vancouver",
        "british columbia": "America/Vancouver",
        "ab": "America/Edmonton",
        "alberta": "America/Edmonton",
        "on": "America/Toronto",
        "ontario": "America/Toronto",
        "qc": "America/Toronto",
        "quebec": "America/Toronto",
    },
}


def country_code(text: str) -> str | None:
    """An ISO country code from a code or a common country name."""
    key = " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())
    if not key:
        return None
    if len(key) == 2 and key.upper() in phonenumbers.SUPPORTED_REGIONS:
        return key.upper()
    return _COUNTRY_NAMES.get(key)


def guess_timezone(
    phone: str | None, country: str, region: str, owner_tz: str, owner_country: str
) -> str:
    """The customer's zone: from the phone number, refined by the state, else the country."""
    hint = _REGION_ZONES.get(country, {}).get(region.strip().lower()) if region else None
    zones = timezones_of_phone(phone) if phone else []
    if len(zones) == 1:
        return zones[0]
    if zones:
        for candidate in (hint, owner_tz):
            if candidate in zones:
                return candidate
        # Parsed again only here: this is the slow path, and rare.
        main = MAIN_ZONE.get(country_of_phone(phone or "") or "")
        return main if main in zones else zones[0]
    if hint:
        return hint
    if country == owner_country.upper():
        return owner_tz
    return MAIN_ZONE.get(country, owner_tz)
