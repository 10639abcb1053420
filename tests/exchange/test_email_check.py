"""An imported address is read as `normalise_email` reads it: the quick reading of everyday
addresses gives the very same stored address, and anything else gets the full check's answer
and the full check's words."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from deckfollow.core.contact_info import normalise_email
from deckfollow.core.errors import ValidationError
from deckfollow.exchange.email_check import read_email
from tests.examples import examples

# Letters people put in addresses, and characters the quick reading must leave alone: dots,
# quotes, spaces, accents as separate marks, controls, a second @, right-to-left marks.
_LOCAL = st.lists(
    st.sampled_from(
        list("abcXYZ019.-_+'!#$%&*/=?^`{|}~")
        + list("éüñøłßЖж王")
        + ["e\u0301", "\u0301", '"', " ", "@", "\u200f", "\x07", "(", ",", "²", "Ⅻ"]
    ),
    max_size=24,
).map("".join)
_DOMAINS = st.sampled_from(
    [
        "example.com",
        "EXAMPLE.COM",
        "Mail.Example.co.uk",
        "exämple.com",
        "xn--exmple-cua.com",
        "localhost",
        "example..com",
        "-example.com",
        "example.com.",
        "x" * 70 + ".com",
        "a" * 63 + "." + "b" * 63 + "." + "c" * 63 + ".com",
        "[127.0.0.1]",
        "",
    ]
)
_SPECIAL = st.sampled_from(
    ["Postmaster", "INFO", "abuse", "Support", "www", "ftp", "a" * 59, "a" * 61, "a" * 65]
)


def _full(text: str) -> str | ValidationError:
    try:
        return normalise_email(text)
    except ValidationError as exc:
        return exc


def _quick(text: str) -> str | ValidationError:
    try:
        return read_email(text)
    except ValidationError as exc:
        return exc


def _same(text: str) -> None:
    full, quick = _full(text), _quick(text)
    if isinstance(full, ValidationError):
        assert isinstance(quick, ValidationError), (text, quick)
        assert (quick.field, quick.message) == (full.field, full.message)
    else:
        assert quick == full, text


@settings(max_examples=examples(400), deadline=None)
@given(local=st.one_of(_LOCAL, _SPECIAL), domain=_DOMAINS)
def test_an_address_is_stored_as_the_full_check_stores_it(local: str, domain: str) -> None:
    _same(f"{local}@{domain}")


def test_everyday_addresses_and_the_unusual_ones() -> None:
    for text in [
        "mia.chen@example.com",
        "Mia.Chen@EXAMPLE.com",
        "zoë.müller@example.com",
        "renée.o'brien+deck@Example.COM",
        "zoe\u0308.muller@example.com",  # the accent as a separate mark
        "王小明@example.cn",
        "POSTMASTER@example.com",
        "a..b@example.com",
        ".a@example.com",
        "a.@example.com",
        '"a b"@example.com',
        "x@" + "d" * 70 + ".com",
        "a" * 64 + "@example.com",
        "a" * 65 + "@example.com",
        "ü" * 100 + "@example.com",
        "no-at-sign",
        "two@@example.com",
        "bad@",
    ]:
        _same(text)


def test_a_refused_address_names_the_email_field() -> None:
    quick = _quick("a..b@example.com")
    assert isinstance(quick, ValidationError) and quick.field == "email"
