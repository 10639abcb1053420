"""Checking and normalising phone numbers and email addresses.

`phonenumbers` and `email_validator` are loaded on first use: together they cost about
0.1 s of CPU, which a command that never reads a phone or an address should not pay.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from deckfollow.core.errors import ValidationError

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
    if not phonenumbers.is_valid_number(parsed) and text.startswith("00"):
        # "0061 412 …" is how much of the world writes +61 (Australia's own exit code is
        # 0011, so the library reads "0061" as a national number and finds it invalid).
        try:
            abroad = phonenumbers.parse("+" + text[2:], None)
        except phonenumbers.NumberParseException:
            abroad = None
        if abroad is not None and phonenumbers.is_valid_number(abroad):
            parsed = abroad
    if not phonenumbers.is_valid_number(parsed):
        region = phonenumbers.region_code_for_number(parsed) or default_country.upper()
        hint = "" if text.startswith(("+", "00")) else " (a number from elsewhere starts with +)"
        raise ValidationError(field, f"{raw!r} is not a valid phone number for {region}{hint}")
    e164: str = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    if not parsed.extension:  # then parsing the E.164 form gives this very number
        _remember(e164, parsed)
    return e164


def format_phone(e164: str) -> str:
    """A stored E.164 number as a person would write it (international form)."""
    import phonenumbers

    parsed = _parse_stored(e164)
    if parsed is None:
        return e164
    text: str = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return text


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
    try:
        info = validate_email(text, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValidationError(field, f"{raw!r} is not a valid email address ({exc})") from exc
    return info.normalized


def suppression_hash(value: str) -> str:
    """A one-way fingerprint of a normalised email or phone for the suppression list."""
    return hashlib.sha256(value.strip().lower().encode("utf-8")).hexdigest()


def timezones_of_phone(e164: str) -> list[str]:
    """IANA zones a number may be in (one for most mobiles outside large countries)."""
    from phonenumbers import timezone as pn_timezone

    parsed = _parse_stored(e164)
    if parsed is None:
        return []
    zones = pn_timezone.time_zones_for_number(parsed)
    return [z for z in zones if z != "Etc/Unknown"]
