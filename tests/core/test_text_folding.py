"""Folding text for search: a name typed plainly on a phone keyboard finds its accented
spelling, whatever the capitals."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deckfollow.core.text_folding import fold, folded_key
from tests.examples import examples


@pytest.mark.parametrize(
    ("written", "typed"),
    [
        ("Zoë", "zoe"),
        ("Müller", "muller"),
        ("Łukasiewicz", "lukasiewicz"),
        ("ŁUKASIEWICZ", "LUKASIEWICZ"),
        ("Ørsted", "orsted"),
        ("İstanbul St", "istanbul st"),
        ("Nguyễn Văn An", "nguyen van an"),
        ("Đặng", "dang"),
        ("Straße", "strasse"),
        ("Þórður Ægisson", "thordur aegisson"),
        ("Œuvre", "oeuvre"),
        ("Yıldız", "yildiz"),
        ("O’Brien", "o'brien"),
        ("Plain Deck 5x4", "plain deck 5x4"),
    ],
)
def test_the_plain_spelling_folds_like_the_written_one(written: str, typed: str) -> None:
    assert fold(written) == fold(typed) == typed.lower()


def test_a_key_holds_each_field_once_and_skips_blanks() -> None:
    assert folded_key(["Zoë Müller", None, "", "Newtown"]) == "zoe muller newtown"


# Letters with the plain spelling a phone keyboard gives, accented ones from many languages.
PAIRS = [
    ("é", "e"), ("è", "e"), ("ê", "e"), ("ë", "e"), ("ễ", "e"), ("á", "a"), ("à", "a"),
    ("â", "a"), ("ä", "a"), ("å", "a"), ("ă", "a"), ("ã", "a"), ("ą", "a"), ("í", "i"),
    ("ï", "i"), ("ı", "i"), ("İ", "I"), ("ó", "o"), ("ö", "o"), ("ô", "o"), ("ő", "o"),
    ("ø", "o"), ("Ø", "O"), ("ơ", "o"), ("ú", "u"), ("ü", "u"), ("ư", "u"), ("ů", "u"),
    ("ñ", "n"), ("ń", "n"), ("ç", "c"), ("č", "c"), ("ć", "c"), ("š", "s"), ("ś", "s"),
    ("ş", "s"), ("ž", "z"), ("ź", "z"), ("ż", "z"), ("ł", "l"), ("Ł", "L"), ("đ", "d"),
    ("Đ", "D"), ("ř", "r"), ("ý", "y"), ("ğ", "g"), ("ß", "ss"), ("æ", "ae"), ("Æ", "AE"),
    ("œ", "oe"), ("þ", "th"), ("Þ", "Th"),
]  # fmt: skip
PLAIN = st.sampled_from([(c, c) for c in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ -'"])


@settings(max_examples=examples(200), deadline=None)
@given(st.lists(st.one_of(st.sampled_from(PAIRS), PLAIN), min_size=1, max_size=30))
def test_an_accented_name_and_its_plain_spelling_match(letters: list[tuple[str, str]]) -> None:
    written = "".join(w for w, _plain in letters)
    typed = "".join(p for _w, p in letters)
    assert fold(written) == fold(typed)
    # Typed in capitals or lower case, any part of it is found in the written name.
    assert fold(typed.upper()[: len(typed) // 2]) in fold(written)
    assert fold(fold(written)) == fold(written)


@settings(max_examples=examples(200), deadline=None)
@given(st.text(max_size=40))
def test_folding_twice_changes_nothing(words: str) -> None:
    assert fold(fold(words)) == fold(words)
