"""Countries as people write them ("Australia", "uk", "NZ"): one reading for the importer,
new customers and the command line."""

from __future__ import annotations

import re

import phonenumbers

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


def country_code(text: str) -> str | None:
    """An ISO country code from a code or a common country name."""
    key = " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())
    if not key:
        return None
    if len(key) == 2 and key.upper() in phonenumbers.SUPPORTED_REGIONS:
        return key.upper()
    return _COUNTRY_NAMES.get(key)
