"""Reading the phone numbers of an imported file: `normalise_phone`'s answers, found faster.

A contacts file holds tens of thousands of numbers, nearly all written the everyday way of
the owner's country ("0412 345 679" in Australia, "020 7946 0958" in Britain), and
`phonenumbers.parse` with its validation costs about 0.1 ms each. `national_e164` reads that
everyday form straight from the country's numbering plan (the same patterns `phonenumbers`
matches) and answers only when the answer is certain; anything else, or a number the plan
does not accept as a mobile or landline, takes the full check. A property test compares both
on generated numbers of many countries. Each text is also read once per file.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from deckfollow.core.contact_info import normalise_phone
from deckfollow.core.errors import ValidationError

# Digits in groups split by single spaces or hyphens, the first group perhaps in brackets
# ("(02) 9374 4000", "(212) 555-0123"): no "+", extension or letters, each of which the full
# parser reads in its own way.
_EVERYDAY = re.compile(r"(?:\([0-9]+\) ?)?[0-9]+(?:[ -][0-9]+)*")
_SEPARATORS = str.maketrans("", "", " -()")


@dataclass(frozen=True)
class _Plan:
    """What a country's numbering plan says about its national numbers."""

    country_code: str
    national_prefix: str
    prefix_for_parsing: re.Pattern[str] | None  # None: the parser strips no trunk prefix
    international_prefix: re.Pattern[str]
    general: tuple[tuple[int, ...], re.Pattern[str]]
    # Lengths dialled only locally: the parser then keeps the trunk prefix as part of the number.
    local_only: frozenset[int]
    kinds: tuple[tuple[tuple[int, ...], re.Pattern[str]], ...]  # mobile, landline


def _desc(desc: Any) -> tuple[tuple[int, ...], re.Pattern[str]] | None:
    if desc is None or desc.national_number_pattern is None:
        return None
    return tuple(desc.possible_length or ()), re.compile(desc.national_number_pattern)


@functools.lru_cache(maxsize=64)
def _plan(country: str) -> _Plan | None:
    """The plan of `country` when its national form can be read directly, else None: the
    country must come first for its calling code and have no leading-digit rule (so a number
    valid there is that country's), and no rule that rewrites what follows its trunk prefix."""
    import phonenumbers

    meta = phonenumbers.PhoneMetadata.metadata_for_region(country, None)
    if meta is None or meta.leading_digits is not None or meta.country_code is None:
        return None
    regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(meta.country_code, ())
    if not regions or regions[0] != country:
        return None
    if meta.national_prefix_transform_rule or meta.international_prefix is None:
        return None
    if meta.general_desc is None:
        return None
    general = _desc(meta.general_desc)
    kinds = tuple(k for k in (_desc(meta.mobile), _desc(meta.fixed_line)) if k is not None)
    if general is None or not general[0] or not kinds:
        return None
    parsing = meta.national_prefix_for_parsing
    return _Plan(
        country_code=str(meta.country_code),
        national_prefix=meta.national_prefix or "",
        prefix_for_parsing=re.compile(parsing) if parsing else None,
        international_prefix=re.compile(meta.international_prefix),
        general=general,
        local_only=frozenset(meta.general_desc.possible_length_local_only or ()),
        kinds=kinds,
    )


def _matches(number: str, desc: tuple[tuple[int, ...], re.Pattern[str]]) -> bool:
    lengths, pattern = desc
    if lengths and len(number) not in lengths:
        return False
    return pattern.fullmatch(number) is not None


def national_e164(text: str, country: str) -> str | None:
    """`normalise_phone(text, country)` for a valid mobile or landline of `country` written
    the national way, with or without its trunk prefix ("0412 345 679", "412 345 679",
    "(212) 555-0123"); None when the answer needs the full check, valid or not."""
    if not _EVERYDAY.fullmatch(text):
        return None
    plan = _plan(country.upper())
    if plan is None:
        return None
    digits = text.translate(_SEPARATORS)
    if plan.international_prefix.match(digits) or digits.startswith(plan.country_code):
        return None  # dialled abroad, or perhaps with the calling code: the parser decides
    national = digits
    trunk = plan.prefix_for_parsing.match(digits) if plan.prefix_for_parsing else None
    if trunk is not None:
        if not plan.national_prefix or trunk.group() != plan.national_prefix:
            return None  # a carrier code or a prefix the parser rewrites
        national = digits[trunk.end() :]
    if not national or national[0] == "0":
        return None  # a leading zero of the number itself is kept apart by the parser
    if len(national) in plan.local_only or not _matches(national, plan.general):
        return None
    for kind in plan.kinds:  # a mobile, then a landline
        if _matches(national, kind):
            return f"+{plan.country_code}{national}"
    return None


# Each text is read once per file: an office number on every row of a company, the same file
# previewed and then imported.
_READ: dict[tuple[str, str], str | None] = {}
_READ_MAX = 16_384
_UNREAD = "?"  # never a stored number


def read_phone(text: str, country: str) -> str | None:
    """`text` as a stored E.164 number when it is a valid number read in `country` (as
    `normalise_phone` decides), else None."""
    key = (text, country)
    number = _READ.get(key, _UNREAD)
    if number is not _UNREAD:
        return number
    number = national_e164(text, country)
    if number is None:
        try:
            number = normalise_phone(text, country)
        except ValidationError:
            number = None
    if len(_READ) >= _READ_MAX:
        _READ.clear()
    _READ[key] = number
    return number
