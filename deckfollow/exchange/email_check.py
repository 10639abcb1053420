"""Reading the email addresses of an imported file: `normalise_email`'s answers, found faster.

Nearly every address in a contacts file is plain ("mia.chen@example.com",
"zoë.müller@example.com"): a local part that `email_validator` keeps as written, at one of
a handful of domains the file repeats. Such an address is its local part at its domain as
`normalise_email` writes it, the domain checked once per file; anything else (quoting, a
display name, an accent written as a separate mark, a mailbox name read without regard to
case, an address near the length limits) takes the full check, which also words any
refusal. A property test compares both.
"""

from __future__ import annotations

import re
import unicodedata

from email_validator.rfc_constants import CASE_INSENSITIVE_MAILBOX_NAMES

from deckfollow.core.contact_info import normalise_email
from deckfollow.core.errors import ValidationError

# A dot-atom local part of RFC 5322's atext (email_validator's DOT_ATOM_TEXT) or of letters
# and digits of any script ("zoë.müller"), which RFC 6531 allows and email_validator keeps
# as written, at a domain of ASCII letters, digits, dots and hyphens.
_ATOM = r"(?:[a-zA-Z0-9_!#$%&'*+\-/=?^`{|}~]|[^\x00-\x7f\W])+"
_PLAIN = re.compile(rf"({_ATOM}(?:\.{_ATOM})*)@([a-zA-Z0-9.\-]+)")
_FOLDED = frozenset(name.lower() for name in CASE_INSENSITIVE_MAILBOX_NAMES)
# Far enough below the limits (64 before the @, 254 bytes in all) that the length checks,
# which count in their own ways, cannot differ.
_LOCAL_MAX = 60
_ADDRESS_MAX = 200

# Each domain as `normalise_email` writes it (None: not valid), per file.
_DOMAINS: dict[str, str | None] = {}
_DOMAINS_MAX = 4096


def read_email(text: str) -> str:
    """`normalise_email(text)`: the address as stored, or ValidationError naming "email"."""
    plain = _PLAIN.fullmatch(text)
    if plain is None or len(text.encode()) > _ADDRESS_MAX:
        return normalise_email(text)
    local, domain = plain.group(1), plain.group(2)
    if len(local) > _LOCAL_MAX or local.lower() in _FOLDED:
        return normalise_email(text)
    if not local.isascii() and not unicodedata.is_normalized("NFC", local):
        return normalise_email(text)  # written in another normal form: the full check says
    if domain not in _DOMAINS:
        if len(_DOMAINS) >= _DOMAINS_MAX:
            _DOMAINS.clear()
        try:
            # The domain as it is written after any plain local part.
            _DOMAINS[domain] = normalise_email(f"a@{domain}").partition("@")[2]
        except ValidationError:
            _DOMAINS[domain] = None
    normal = _DOMAINS[domain]
    if normal is None:
        return normalise_email(text)  # refused, in the full check's words
    return f"{local}@{normal}"
