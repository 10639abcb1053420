"""The shortcuts in the phone and email checks give exactly the answers of the full checks:
the same stored value for a good number or address, a refusal for a bad one."""

from __future__ import annotations

import phonenumbers
import pytest
from email_validator import EmailNotValidError, validate_email
from hypothesis import given, settings
from hypothesis import strategies as st

from deckfollow.core import contact_info
from deckfollow.core.contact_info import normalise_email, normalise_phone
from deckfollow.core.errors import ValidationError
from tests.examples import examples

ADDRESSES = [
    "mia.chen@example.com",
    "Mia.Chen@EXAMPLE.COM",  # the domain is lower-cased, the mailbox kept as typed
    "łukasz.5@example.com",
    "zoe+quotes@mail.example.com.au",
    "Postmaster@example.com",  # a mailbox name that is case-insensitive by rule
    "jose@bücher.example",  # an internationalised domain
    "jose@xn--bcher-kva.example",
    "a..b@example.com",
    ".a@example.com",
    "a@example",
    "a@localhost",
    "a@test",
    "a@-example.com",
    "a@example..com",
    "@example.com",
    "a@",
    "a@@example.com",
    "Zoë Müller <zoe@example.com>",
    '"quoted"@example.com',
    "a@[192.0.2.1]",
    "e\u0301a@example.com",  # not in NFC: normalised by the full check
    "x" * 65 + "@example.com",
    "a@" + "b" * 64 + ".com",
    "a@" + ".".join(["c" * 60] * 4) + ".com",
]


def _full(text: str) -> str | None:
    try:
        return validate_email(text.strip(), check_deliverability=False).normalized
    except EmailNotValidError:
        return None


def _ours(text: str) -> str | None:
    try:
        return normalise_email(text)
    except ValidationError:
        return None


@pytest.mark.parametrize("text", ADDRESSES)
def test_an_address_is_stored_as_the_full_check_stores_it(text: str) -> None:
    contact_info._DOMAINS.clear()
    first = _ours(text)
    assert first == _full(text)
    assert _ours(text) == first  # the remembered domain gives the same answer


_LOCAL = st.text(alphabet="abcXYZ09.+-_'éłü\u0301!#", min_size=0, max_size=12)
_DOMAIN = st.sampled_from(
    ["example.com", "EXAMPLE.com", "bücher.example", "a", "test", "x.-y.com", "", "e.co"]
)


@settings(max_examples=examples(150), deadline=None)
@given(_LOCAL, _DOMAIN)
def test_any_address_gets_the_full_checks_answer(local: str, domain: str) -> None:
    text = f"{local}@{domain}"
    assert _ours(text) == _full(text)


NUMBERS = [
    ("0412 555 019", "AU"),
    ("(02) 9876 5432", "AU"),
    ("0891 621 234", "AU"),  # Christmas Island's numbers share Australia's code
    ("08 9162 1234", "CX"),
    ("+61 8 9162 1234", "AU"),
    ("+1 212-555-0199", "US"),
    ("212-555-0199", "CA"),  # a US number read in Canada: valid, and not Canada's
    ("416 555 0199", "US"),
    ("020 7946 0958", "GB"),
    ("07700 900123", "JE"),
    ("0412 555", "AU"),
    ("+39 06 6982 1234", "IT"),
    ("06 6982 1234", "VA"),
]


@pytest.mark.parametrize(("raw", "country"), NUMBERS)
def test_a_number_is_valid_exactly_when_the_full_check_says_so(raw: str, country: str) -> None:
    parsed = phonenumbers.parse(raw, country)
    full = phonenumbers.is_valid_number(parsed)
    try:
        e164: str | None = normalise_phone(raw, country)
    except ValidationError:
        e164 = None
    assert (e164 is not None) == full
    if full:
        assert e164 == phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
