"""Checking and normalising phone numbers and email addresses.

`phonenumbers` and `email_validator` are loaded on first use: together they cost about
0.1 s of CPU, which a command that never reads a phone or an address should not pay.
"""

from __future__ import annotations

import functools
import unicodedata
from typing import TYPE_CHECKING

from deckfollow.core.errors import PhoneNotValidError, ValidationError

if TYPE_CHECKING:
    from phonenumbers import PhoneNumber

# Stored numbers parsed once: an import row's number is normalised, then its country and
# zones are read from it, and a calendar feed formats the same few numbers for every event.
_PARSED: dict[str, PhoneNumber | None] = {}
_PARSED_MAX = 4096


def _remember(e164: str, parsed: PhoneNumber | None) -> None:
    if len(_PARSED) >= _PARSED_MAX:  # bounded: an import of 50,000 numbers reads each once
        _PARSED.clear()
    _PARSED[e164] = parsed


def _parse_stored(e164: str) -> PhoneNumber | None:
    """`phonenumbers.parse(e164, None)`, or None where that fails; each number parsed once."""
    if e164 in _PARSED:
        return _PARSED[e164]
    import phonenumbers

    try:
        parsed: PhoneNumber | None = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        parsed = None
    _remember(e164, parsed)
    return parsed


def normalise_phone(raw: str, default_country: str, field: str = "phone") -> str:
    """Return the number in E.164 form (+61412345678) or raise ValidationError naming `field`."""
    import phonenumbers

    text = raw.strip()
    if not text:
        raise ValidationError(field, "is empty")
    try:
        parsed = phonenumbers.parse(text, default_country.upper())
    except phonenumbers.NumberParseException as exc:
        # phonenumbers' own wording ("The string supplied did not seem to be a phone
        # number.") says nothing the first half does not.
        raise ValidationError(field, f"{raw!r} is not a phone number") from exc
    valid = _valid_at_home(parsed, default_country.upper()) or phonenumbers.is_valid_number(parsed)
    if not valid and text.startswith("00"):
        # "0061 412 …" is how much of the world writes +61 (Australia's own exit code is
        # 0011, so the library reads "0061" as a national number and finds it invalid).
        try:
            abroad = phonenumbers.parse("+" + text[2:], None)
        except phonenumbers.NumberParseException:
            abroad = None
        if abroad is not None and phonenumbers.is_valid_number(abroad):
            parsed, valid = abroad, True
    if not valid:
        region = phonenumbers.region_code_for_number(parsed) or default_country.upper()
        hint = "" if text.startswith(("+", "00")) else " (a number from elsewhere starts with +)"
        raise PhoneNotValidError(
            field, f"{raw!r} is not a valid phone number for {region}{hint}", default_country
        )
    e164: str = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    if not parsed.extension:  # then parsing the E.164 form gives this very number
        _remember(e164, parsed)
    return e164


def _valid_at_home(parsed: PhoneNumber, region: str) -> bool:
    """`is_valid_number` for a number of the country it was read in, at half the cost.

    `is_valid_number` first finds the number's region, trying each region of its calling
    code in turn by matching the number's patterns, then matches them again for that region.
    When the country read in comes first for its code (AU before CC and CX) and has no
    leading-digit rule, the first try is that very check: a number valid there is valid,
    and any other answer goes on to the full check.
    """
    import phonenumbers

    code = parsed.country_code
    regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(code, ()) if code else ()
    if not regions or regions[0] != region:
        return False
    meta = phonenumbers.PhoneMetadata.metadata_for_region(region, None)
    if meta is None or meta.leading_digits is not None:
        return False
    return bool(phonenumbers.is_valid_number_for_region(parsed, region))


def format_phone(e164: str) -> str:
    """A stored E.164 number as a person would write it (international form)."""
    import phonenumbers

    parsed = _parse_stored(e164)
    if parsed is None:
        return e164
    text: str = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return text


# A batch of cards writes the owner's number into every note: formatted once.
@functools.lru_cache(maxsize=1024)
def phone_as_read_in(e164: str, country: str | None) -> str:
    """The number as someone in `country` dials it: "0412 555 019" at home, "+61 412 555 019"
    from abroad (a stored E.164 number; anything else is returned as given)."""
    import phonenumbers

    parsed = _parse_stored(e164)
    if parsed is None:
        return e164
    # By calling code, not region: a Jersey or Guernsey mobile (+44 7911 …) is dialled
    # "07911 …" from anywhere in the UK, as a Canadian number is dialled without +1 in the US.
    at_home = bool(country) and parsed.country_code == phonenumbers.country_code_for_region(
        (country or "").upper()
    )
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if at_home
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(parsed, style)


def country_of_phone(e164: str) -> str | None:
    """The ISO country an E.164 number belongs to, if it can be told."""
    import phonenumbers

    parsed = _parse_stored(e164)
    if parsed is None:
        return None
    region: str | None = phonenumbers.region_code_for_number(parsed)
    return region


def normalise_email(raw: str, field: str = "email") -> str:
    """Return the address with its domain normalised, or raise ValidationError naming `field`."""
    from email_validator import EmailNotValidError, validate_email

    text = raw.strip()
    if not text:
        raise ValidationError(field, "is empty")
    quick = _plain_email(text)
    if quick is not None:
        return quick
    try:
        info = validate_email(text, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValidationError(field, f"{raw!r} is not a valid email address ({exc})") from exc
    return info.normalized


# What `validate_email` makes of each domain, valid or not: an import checks the same few
# domains once per row, and checking one costs two thirds of checking an address.
_DOMAINS: dict[str, str | None] = {}
_DOMAINS_MAX = 4096
# Characters that call for `validate_email`'s own splitting: quotes, display names,
# comments, bracketed addresses, spaces.
_UNUSUAL = frozenset('"<>()[]\\,;: \t\r\n')


def _plain_email(text: str) -> str | None:
    """`validate_email(text).normalized` for an everyday address (one @, no quoting), with its
    domain's check remembered; None for anything else, valid or not, so that
    `validate_email` answers it and words any refusal."""
    from email_validator import EmailSyntaxError
    from email_validator.rfc_constants import CASE_INSENSITIVE_MAILBOX_NAMES
    from email_validator.syntax import validate_email_domain_name, validate_email_local_part

    local, at, domain = text.partition("@")
    if not at or "@" in domain or not _UNUSUAL.isdisjoint(text) or len(text.encode()) > 250:
        return None
    if not unicodedata.is_normalized("NFC", local):
        return None
    try:
        info = validate_email_local_part(local)
    except EmailSyntaxError:
        return None
    ascii_local = info["ascii_local_part"]
    if ascii_local is not None and ascii_local.lower() in CASE_INSENSITIVE_MAILBOX_NAMES:
        return None
    if domain not in _DOMAINS:
        if len(_DOMAINS) >= _DOMAINS_MAX:
            _DOMAINS.clear()
        try:
            checked = validate_email_domain_name(domain)
        except EmailSyntaxError:
            _DOMAINS[domain] = None
        else:
            # The IDNA form can be longer; such an address takes the full check.
            long = len(checked["ascii_domain"]) != len(checked["domain"])
            _DOMAINS[domain] = None if long else checked["domain"]
    normal = _DOMAINS[domain]
    if normal is None:
        return None
    address = f"{info['local_part']}@{normal}"
    return address if len(address.encode()) <= 250 else None


def suppression_hash(value: str) -> str:
    """A one-way fingerprint of a normalised email or phone for the suppression list."""
    import hashlib  # here: its OpenSSL library is a tenth of a short command's start

    return hashlib.sha256(value.strip().lower().encode("utf-8")).hexdigest()


def timezones_of_phone(e164: str) -> list[str]:
    """IANA zones a number may be in (one for most mobiles outside large countries)."""
    from phonenumbers import timezone as pn_timezone

    parsed = _parse_stored(e164)
    if parsed is None:
        return []
    zones = pn_timezone.time_zones_for_number(parsed)
    return [z for z in zones if z != "Etc/Unknown"]
