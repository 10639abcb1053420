"""An imported number is read as `normalise_phone` reads it: the direct reading of the
everyday national forms gives the very same stored number, or leaves it to the full check."""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deckfollow.core.contact_info import normalise_phone
from deckfollow.core.errors import ValidationError
from deckfollow.exchange.phone_check import national_e164, read_phone
from tests.examples import examples

COUNTRIES = [
    "AU", "GB", "NZ", "US", "CA", "DE", "FR", "IE", "IN", "ZA", "NL", "IT", "BR", "JP", "MX",
    "SG", "CH", "ES", "AR", "AT", "BE", "HK", "SE", "PL", "GG", "CC",
]  # fmt: skip
KINDS = [phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE]


def _full(text: str, country: str) -> str | None:
    try:
        return normalise_phone(text, country)
    except ValidationError:
        return None


def _example(country: str, kind: int) -> str:
    number = phonenumbers.example_number_for_type(country, kind)
    return phonenumbers.national_significant_number(number) if number is not None else "412345"


@st.composite
def written_numbers(draw: st.DrawFn) -> tuple[str, str]:
    """A number as people type it: a real example of the country, some digits changed, with or
    without the trunk prefix, a calling code or an international prefix, split any way, the
    first part perhaps in brackets."""
    country = draw(st.sampled_from(COUNTRIES))
    digits = list(draw(st.one_of(
        st.builds(_example, st.just(country), st.sampled_from(KINDS)),
        st.text("0123456789", min_size=1, max_size=14),
    )))  # fmt: skip
    for _ in range(draw(st.integers(0, 3))):
        if digits:
            digits[draw(st.integers(0, len(digits) - 1))] = draw(st.sampled_from("0123456789"))
    meta = phonenumbers.PhoneMetadata.metadata_for_region(country)
    assert meta is not None
    lead = draw(
        st.sampled_from(
            ["", meta.national_prefix or "", "0", "00", "1", str(meta.country_code), "0011", "011"]
        )
    )
    number = lead + "".join(digits)
    if not number:
        number = "0"
    cuts = sorted(draw(st.sets(st.integers(1, max(len(number) - 1, 1)), max_size=4)))
    parts, last = [], 0
    for cut in cuts:
        if cut < len(number):
            parts.append(number[last:cut])
            last = cut
    parts.append(number[last:])
    seps = [draw(st.sampled_from([" ", "-"])) for _ in parts[1:]]
    first = f"({parts[0]})" + draw(st.sampled_from(["", " "])) if draw(st.booleans()) else parts[0]
    text = first + "".join(s + p for s, p in zip(seps, parts[1:], strict=True))
    return text, country


@settings(max_examples=examples(400), deadline=None)
@given(written_numbers())
def test_the_direct_reading_is_the_full_check_or_nothing(case: tuple[str, str]) -> None:
    text, country = case
    direct = national_e164(text, country)
    if direct is not None:
        assert direct == _full(text, country), (text, country)
    assert read_phone(text, country) == _full(text, country), (text, country)


@pytest.mark.parametrize("country", ["AU", "GB", "NZ", "US", "DE", "FR", "IE", "NL", "ZA"])
def test_everyday_numbers_of_the_owners_country_are_read_directly(country: str) -> None:
    """The direct reading answers for the forms a contacts file is full of (else it would
    pass the property above by never answering)."""
    read = 0
    for kind in KINDS:
        number = phonenumbers.example_number_for_type(country, kind)
        assert number is not None
        written = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        if not set(written) <= set("0123456789 -()"):
            continue
        assert national_e164(written, country) == _full(written, country)
        read += 1
    assert read > 0


def test_an_australian_contacts_file_is_read_directly() -> None:
    for text in ("0412 345 679", "0412-345-679", "412 345 679", "(02) 9374 4000", "0398765432"):
        assert national_e164(text, "AU") == normalise_phone(text, "AU")
        assert national_e164(text, "AU") is not None
    for text in ("0011 61 412 345 679", "+61 412 345 679", "02 9374 4000 x12", "0412 345 67"):
        assert national_e164(text, "AU") is None
    assert read_phone("0412 345 67", "AU") is None
