"""A customer as lists show them, the orders a list can take, and how a number typed into a
search matches stored ones: plain values shared by the SQL query of `customer_search` and the
sqlite3 reader of `sqlite_reads`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from deckfollow.core.enums import Stage
from deckfollow.core.text_folding import fold

OPEN_STAGES = tuple(s for s in Stage if s.is_open)
# Fewer digits than this would match a house number in nearly every phone.
MIN_PHONE_DIGITS = 3
# From this many digits a search is a phone number, not a postcode or a house number.
WHOLE_PHONE_DIGITS = 6
_PHONE_CHARS = re.compile(r"^[\d\s()+.\-/]+$")
# Lists mark a customer who asked not to be contacted "(do not contact)": typed into a
# search, those words find them (with any other words typed beside).
DO_NOT_CONTACT = "do not contact"
_DO_NOT_CONTACT = re.compile(r"\(?\s*\bdo\s+not\s+contact\b\s*\)?", re.IGNORECASE)


class CustomerSort(StrEnum):
    NAME = "name"
    COMPANY = "company"
    SUBURB = "suburb"
    PHONE = "phone"
    EMAIL = "email"
    OPEN_QUOTES = "open_quotes"
    LAST_TOUCH = "last_touch"


@dataclass(frozen=True)
class CustomerRow:
    """One customer as lists show them (plain data, read in one query)."""

    id: int
    name: str
    company: str | None
    suburb: str | None
    region: str | None
    phone: str | None  # E.164: the cell, else the office, else the home number
    email: str | None
    open_quotes: int
    quotes: int
    last_touch_at: datetime | None
    do_not_contact: bool


def escape_like(text: str) -> str:
    """`text` matched literally by a LIKE with ESCAPE '\\'."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def phone_pattern(text: str, country: str) -> str | None:
    """A LIKE pattern for a phone number typed any way, or None if `text` is no phone.

    Numbers are stored E.164 ("+61412345679"). Written internationally ("+61 412…",
    "0061 412…") or nationally with the trunk prefix of the owner's `country` ("0412 345…"
    in Australia) the typed digits are the start of the stored number; bare digits
    ("412345679") may sit anywhere in it.
    """
    stripped = text.strip()
    if not stripped or not _PHONE_CHARS.match(stripped):
        return None
    digits = re.sub(r"\D", "", stripped)
    if stripped.startswith("+"):
        prefix = digits
    elif digits.startswith("00"):
        prefix = digits[2:]
    else:
        # Only a search that looks like a number needs the numbering plans (a list
        # without a search never loads them).
        import phonenumbers

        meta = phonenumbers.PhoneMetadata.metadata_for_region(country.upper())
        trunk = meta.national_prefix if meta is not None else None
        if trunk and digits.startswith(trunk) and meta is not None:
            prefix = f"{meta.country_code}{digits[len(trunk) :]}"
        else:
            significant = digits.lstrip("0")
            return f"%{significant}%" if len(significant) >= MIN_PHONE_DIGITS else None
    return f"+{prefix}%" if len(digits) >= MIN_PHONE_DIGITS else None


@dataclass(frozen=True)
class SearchTerms:
    """What a search asks of a customer: every word (a LIKE pattern on the folded search
    key, written for ESCAPE '\\', with the phone pattern the word may match instead), or a
    whole phone number — alone when there are no words, else as the alternative to them."""

    words: tuple[tuple[str, str | None], ...]
    phone: str | None
    do_not_contact: bool = False  # only those who asked not to be contacted


def search_terms(text: str, country: str) -> SearchTerms | None:
    """The terms of what was typed (None: everyone); `country` is the owner's, in which a
    number written nationally is read."""
    text = text.strip()
    if not text:
        return None
    rest = _DO_NOT_CONTACT.sub(" ", text).strip()
    if rest != text:
        terms = search_terms(rest, country)
        if terms is None:
            return SearchTerms((), None, do_not_contact=True)
        return SearchTerms(terms.words, terms.phone, do_not_contact=True)
    whole = phone_pattern(text, country)
    if whole is not None and sum(ch.isdigit() for ch in text) >= WHOLE_PHONE_DIGITS:
        # "0412 345 679" is one number typed with spaces, not three words.
        return SearchTerms((), whole)
    folded = fold(text).split()
    if not folded:
        return None  # only a stray accent ("¨"), which folds away
    words = tuple((f"%{escape_like(w)}%", phone_pattern(w, country)) for w in folded)
    # "0400 12", half typed: the start of a number, or a postcode and a house number.
    return SearchTerms(words, whole if whole is not None and " " in text else None)
