"""A stored number is parsed once: what is read from it after normalising is what a fresh
parse of the stored form gives (country, zones, the way it is written)."""

from __future__ import annotations

from typing import Any

import pytest

from deckfollow.core import contact_info
from deckfollow.core.contact_info import (
    country_of_phone,
    format_phone,
    normalise_phone,
    phone_as_read_in,
    timezones_of_phone,
)

NUMBERS = [
    ("0412 555 019", "AU"),
    ("(02) 9876 5432", "AU"),
    ("+1 212-555-0199", "US"),
    ("020 7946 0958", "GB"),
    ("+39 06 6982 1234", "IT"),  # a leading zero that belongs to the number
    ("0412 555 019 ext. 12", "AU"),  # an extension: not part of the stored form
]


def _read(e164: str) -> tuple[object, ...]:
    return (
        country_of_phone(e164),
        timezones_of_phone(e164),
        format_phone(e164),
        phone_as_read_in(e164, "AU"),
        phone_as_read_in(e164, "US"),
    )


@pytest.mark.parametrize(("raw", "country"), NUMBERS)
def test_reading_a_normalised_number_gives_what_a_fresh_parse_gives(raw: str, country: str) -> None:
    contact_info._PARSED.clear()
    e164 = normalise_phone(raw, country)
    after_normalising = _read(e164)
    contact_info._PARSED.clear()
    assert _read(e164) == after_normalising


def test_a_number_is_parsed_once_for_everything_read_from_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import phonenumbers

    contact_info._PARSED.clear()
    calls: list[str] = []
    real = phonenumbers.parse

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(str(args[0]))
        return real(*args, **kwargs)

    monkeypatch.setattr(phonenumbers, "parse", counting)
    e164 = normalise_phone("0412 555 019", "AU")
    _read(e164)
    assert calls == ["0412 555 019"]


def test_an_unreadable_number_is_left_as_written() -> None:
    assert format_phone("call the office") == "call the office"
    assert timezones_of_phone("call the office") == []
    assert country_of_phone("call the office") is None
