"""Choosing the size a text is written at skips sizes that cannot fit: the card comes out
exactly as trying every size in turn would set it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deckfollow.printing import handwriting
from deckfollow.printing.handwriting import HandLayout, HandStyle, layout_text
from deckfollow.printing.stationery import Rect, card_stock
from tests.examples import examples

WORDS = [
    "Thank",
    "you",
    "for",
    "asking",
    "us",
    "to",
    "quote",
    "your",
    "hardwood",
    "deck",
    "Renée,",
    "+61 412 555 019",
    "pleasure",
    "garden.",
    "mia.chen@example.com",
    "Warm",
    "regards,",
    "Sam",
]


def _every_size(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(handwriting._TooBig, "__call__", lambda self, size: False)


def _shape(layout: HandLayout) -> tuple[object, ...]:
    return (
        layout.size,
        layout.fits,
        layout.lines,
        round(layout.bottom, 9),
        layout.signature_box,
        [(round(p.x, 9), round(p.y, 9), p.text) for p in layout.placed],
    )


# From a few words to more than the smallest size can hold, in up to five paragraphs
# (an empty one is a blank line).
_TEXTS = st.lists(
    st.lists(st.sampled_from(WORDS), min_size=0, max_size=70).map(" ".join),
    min_size=1,
    max_size=5,
).map("\n".join)


@settings(max_examples=examples(60), deadline=None)
@given(
    text=_TEXTS,
    seed=st.integers(0, 10_000),
    card=st.sampled_from(["a7", "a6", "a2-folded"]),
    variation=st.sampled_from([0.0, 0.5, 1.0, 1.6]),
    signature=st.sampled_from([0.0, 30.0]),
)
def test_the_size_chosen_is_the_one_trying_every_size_finds(
    text: str, seed: int, card: str, variation: float, signature: float
) -> None:
    box = card_stock(card).message
    style = HandStyle(variation=variation)
    quick = layout_text(text, box, style, seed=seed, signature_height=signature, lift=0.3)
    with pytest.MonkeyPatch.context() as mp:
        _every_size(mp)
        slow = layout_text(text, box, style, seed=seed, signature_height=signature, lift=0.3)
    assert _shape(quick) == _shape(slow)


@pytest.mark.parametrize("card", ["a7", "a6", "a2-folded"])
@pytest.mark.parametrize("repeats", [3, 5, 8, 12])
def test_notes_that_shrink_several_steps_are_set_as_before(card: str, repeats: int) -> None:
    text = " ".join(WORDS * repeats)
    box = card_stock(card).message
    quick = layout_text(text, box, HandStyle(), seed=repeats, signature_height=30.0)
    with pytest.MonkeyPatch.context() as mp:
        _every_size(mp)
        slow = layout_text(text, box, HandStyle(), seed=repeats, signature_height=30.0)
    assert _shape(quick) == _shape(slow)


def test_a_long_note_on_a_small_card_is_shrunk_and_still_fits() -> None:
    text = " ".join(WORDS * 6)
    box = card_stock("a7").message
    layout = layout_text(text, box, HandStyle(), seed=3)
    assert layout.shrunk and layout.fits
    assert min(p.y for p in layout.placed) >= box.y


def test_an_address_that_cannot_be_kept_on_its_lines_is_refused() -> None:
    line = "Unit 4, 1234 Very Long Street Name Boulevard Extension"
    layout = layout_text(line, Rect(0, 0, 80, 40), HandStyle(), seed=1, keep_lines=True)
    assert not layout.fits


@pytest.mark.parametrize("height", [14.0, 24.0, 60.0])
def test_a_short_text_is_set_the_same_whichever_size_is_tried_first(height: float) -> None:
    """A few words are tried at their size first, unless the same text in the same place did
    not fit there the time before (a date line on every card of a batch): either order sets
    each card as trying every size does."""
    box = Rect(100, 100, 190, height)
    style = HandStyle(size=13.0, min_size=8.0)
    handwriting._FIRST_FITS.clear()
    for seed in range(6):
        quick = layout_text("5 December 2026", box, style, seed=seed, keep_lines=True)
        with pytest.MonkeyPatch.context() as mp:
            _every_size(mp)
            slow = layout_text("5 December 2026", box, style, seed=seed, keep_lines=True)
        assert _shape(quick) == _shape(slow), seed
    key = next(k for k in handwriting._FIRST_FITS if k[1] == "5 December 2026")
    # The tall strip fits at the text's size; the narrow ones do not, and are remembered.
    assert handwriting._FIRST_FITS[key] is (height == 60.0)
