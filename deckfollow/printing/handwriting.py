"""Setting text so it looks written by hand: natural variation, fitted into a box.

A pen never lands the same way twice. Each card gets its own slant and line drift, each
line its own start and spacing, each word a slightly different baseline, size, lean and
letter spacing. All of it comes from a seed: the same seed gives the same card (a reprint
matches the proof), a different seed a different card (a batch never looks machine-made).

Text that does not fit is first set smaller, down to a minimum size; if it still does not
fit the layout says so (`fits` is False, `problem` explains) before anything is printed.
Nothing is ever cut off.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import itertools
import math
import operator
import random
import re
import struct
import weakref
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar

from reportlab.lib.rl_accel import escapePDF
from reportlab.pdfgen.canvas import Canvas

from deckfollow.core.errors import ValidationError
from deckfollow.printing.fonts import (
    DEFAULT_FONT,
    NBSP,
    LoadedFont,
    hand_font,
    load,
    plain_marks,
    relative_scale,
    runs,
    undrawable,
)
from deckfollow.printing.stationery import Rect

# Ink colours as (red, green, blue) in 0..1: the colours of real pens.
INKS: dict[str, tuple[float, float, float]] = {
    "blue-black": (0.10, 0.15, 0.33),
    "royal-blue": (0.11, 0.24, 0.70),
    "black": (0.12, 0.12, 0.13),
    "sepia": (0.36, 0.22, 0.10),
    "green": (0.08, 0.34, 0.22),
}
INK_NAMES: dict[str, str] = {
    "blue-black": "Blue-black",
    "royal-blue": "Royal blue",
    "black": "Black",
    "sepia": "Sepia brown",
    "green": "Bottle green",
}

_SIZE_STEP = 0.5
# Up to this many words a text is tried at its size before any bound is worked out, unless
# the same text in the same place did not fit at its size the time before.
_FEW_WORDS = 24
_FIRST_FITS: dict[tuple[str, str, Rect, float, bool, float], bool] = {}
_BLANK_LINE = 0.7  # an empty line between paragraphs, as a fraction of a line


@dataclass(frozen=True)
class HandStyle:
    """How the card is written: font, size limits, ink and how much the hand varies."""

    font: str = DEFAULT_FONT
    size: float = 18.0  # the size to write at when the text has room, in points
    min_size: float = 10.0  # never smaller than this to make text fit
    ink: str = "blue-black"
    variation: float = 1.0  # 0: perfectly regular; 1: a natural hand
    line_spacing: float = 1.0

    def check(self) -> None:
        hand_font(self.font)  # an unknown font names the choices
        if self.ink not in INKS:
            raise ValidationError("ink", f"no ink {self.ink!r} (choose {', '.join(INKS)})")
        if not 4.0 <= self.min_size <= self.size <= 48.0:
            raise ValidationError("size", "sizes must satisfy 4 <= smallest <= size <= 48")
        if not 0.0 <= self.variation <= 2.0:
            raise ValidationError("variation", "variation goes from 0 (none) to 2 (a lot)")


class Placed(NamedTuple):
    """One word as it is drawn: its own baseline, size, lean, letter spacing and shade."""

    x: float
    y: float
    size: float
    skew: float  # tan of the lean, positive leans right
    char_space: float
    shade: float  # multiplies the ink colour (pen pressure)
    text: str


@dataclass
class HandLayout:
    """The result of setting text in a box; draw it only when `fits`."""

    box: Rect
    font: LoadedFont
    style: HandStyle
    size: float  # the size finally used
    placed: list[Placed]
    fits: bool
    bottom: float  # lowest point any letter reaches
    lines: int
    undrawable: list[str] = field(default_factory=list)
    signature_box: Rect | None = None
    offset_y: float = 0.0  # moves every word down (a centred address, a lifted note)

    @property
    def shrunk(self) -> bool:
        return self.size < self.style.size

    @property
    def problem(self) -> str | None:
        """Why this cannot be printed as it is, in words for the user; None when it can."""
        if self.undrawable:
            return "the handwriting fonts cannot write: " + " ".join(self.undrawable)
        if not self.fits:
            return (
                f"the text does not fit even at {self.style.min_size:g} pt "
                f"({self.lines} lines); shorten it or choose larger stationery"
            )
        return None


class _WordJitter(NamedTuple):
    dy: float  # baseline shift, fraction of the size
    ds: float  # size change, fraction
    slant: float  # extra lean, degrees
    gap: float  # space before the word, as a multiple of a normal space
    cs: float  # letter spacing, fraction of the size
    shade: float


class _LineJitter(NamedTuple):
    indent: float  # fraction of the size
    lead: float  # line spacing change, fraction


class _Hand:
    """Every random choice for one card, drawn up front so a re-layout at a smaller size
    keeps the same hand.

    The card's own slant and drift come from its seed; its words and lines take their
    jitters from a long run drawn once (`_pool`), at a place and stride the seed picks, so
    no two cards of a batch vary alike and a reprint matches its proof."""

    def __init__(self, seed: int, variation: float, words: int, lines: int) -> None:
        v = variation
        u = _uniforms(seed)
        self.slant = (-1.5 + 5.5 * u[0]) * v  # degrees, the card's overall lean
        self.slope = (-0.007 + 0.014 * u[1]) * v  # baselines drift up or down a line
        pool_words, pool_lines = _pool(v)
        self.words: list[_WordJitter] = _run(pool_words, words, u[2], u[3])
        self.lines: list[_LineJitter] = _run(pool_lines, lines, u[4], u[5])
        self.max_slant = max(abs(self.slant) + 1.5 * v, 0.0)
        self.max_dy = 0.06 * v  # the baseline shift is clamped to this


_POOL = 16_384  # jitters drawn once per variation: a few hundred cards' worth of words
_STRIDES = 7
_T = TypeVar("_T")


def _uniforms(seed: int) -> list[float]:
    """Six numbers in [0, 1) that only `seed` decides, the same in every run: a card's own
    choices (a random generator costs more to seed than the whole of them)."""
    digest = hashlib.blake2b(str(seed).encode(), digest_size=24, person=b"deckfollow hand")
    return [n * _SCALE_32 for n in struct.unpack("<6I", digest.digest())]


_SCALE_32 = 1.0 / 2**32


def _run(pool: list[_T], n: int, stride: float, place: float) -> list[_T]:
    """`n` jitters from `pool`, with a stride and from a place picked by two numbers in
    [0, 1)."""
    step = 1 + int(stride * _STRIDES)
    start = int(place * len(pool))
    if start + n * step <= len(pool):
        return pool[start : start + n * step : step]  # sliced in C, no Python per word
    return [pool[(start + k * step) % len(pool)] for k in range(n)]


@functools.lru_cache(maxsize=8)
def _pool(v: float) -> tuple[list[_WordJitter], list[_LineJitter]]:
    """Word and line jitters for a hand of variation `v`, the same in every run."""
    rng = random.Random(0x5EED)
    rnd = rng.random
    gauss = rng.gauss
    pressure = 0.12 * min(v, 1.0)
    # tuple.__new__ builds each jitter without the named tuple's Python-level __new__.
    make = tuple.__new__
    words: list[_WordJitter] = [
        make(
            _WordJitter,
            (
                max(-0.06, min(0.06, gauss(0.0, 0.018))) * v,
                (-0.035 + 0.07 * rnd()) * v,
                (-1.5 + 3.0 * rnd()) * v,
                1.0 + (-0.15 + 0.4 * rnd()) * v,
                (-0.008 + 0.03 * rnd()) * v,
                1.0 - pressure * rnd(),
            ),
        )
        for _ in range(_POOL)
    ]
    lines: list[_LineJitter] = [
        make(_LineJitter, (0.3 * rnd() * v, (-0.04 + 0.09 * rnd()) * v)) for _ in range(_POOL)
    ]
    return words, lines


_WIDTHS: dict[tuple[str, str], float] = {}


def _width(font: LoadedFont, text: str) -> float:
    """Width of `text` at 1 pt (fallback letters measured in the fallback font)."""
    key = (font.ps_name, text)
    w = _WIDTHS.get(key)
    if w is None:
        w = 0.0
        for f, part in runs(text, font):
            w += f.ttf.stringWidth(part, 1.0) * relative_scale(f, font)
        if len(_WIDTHS) > 50_000:  # bounded: words repeat, but not forever
            _WIDTHS.clear()
        _WIDTHS[key] = w
    return w


@dataclass(frozen=True)
class _Measured:
    """A text as the hand sets it in one font: its paragraphs of words, each word's width at
    1 pt, and the letters no font can draw. The same for every card that writes it."""

    paragraphs: list[list[str]]
    widths: list[list[float]]
    words: int
    undrawable: tuple[str, ...]


# A batch writes the same return address and date line on every card, and the same few
# wordings: each text is read and measured once (read only, never changed once made).
_MEASURED: dict[tuple[str, str], _Measured] = {}


def _measure(text: str, font: LoadedFont) -> _Measured:
    key = (font.ps_name, text)
    found = _MEASURED.get(key)
    if found is None:
        paragraphs = _prepare(text, font)
        found = _Measured(
            paragraphs,
            [[_width(font, w) for w in para] for para in paragraphs],
            sum(len(p) for p in paragraphs),
            tuple(undrawable(text, font)),
        )
        if len(_MEASURED) > 4096:  # bounded: each card's own note is new
            _MEASURED.clear()
        _MEASURED[key] = found
    return found


# A phone number stays on one line: "+61 412 555 019" is one word to the wrapper.
_NUMBER_GAP = re.compile(r"(?<=[\d+)]) (?=[\d(])")


def _prepare(text: str, font: LoadedFont) -> list[list[str]]:
    cmap = font.cmap
    # Each letter the font lacks (a line break, an accent it has no glyph for) is checked
    # once, not at each use.
    missing = [ch for ch in set(text) if ord(ch) not in cmap]
    plain = text.translate({ord(ch): plain_marks(ch) for ch in missing}) if missing else text
    plain = plain.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    plain = _NUMBER_GAP.sub(NBSP, plain)
    return [[w for w in para.split(" ") if w] for para in plain.strip("\n").split("\n")]


def _break_word(word: str, font: LoadedFont, size: float, avail: float) -> list[str]:
    """A word wider than the line (a long email address) is split where it must be."""
    parts: list[str] = []
    cur = ""
    for ch in word:
        if cur and _width(font, cur + ch) * size > avail:
            parts.append(cur)
            cur = ch
        else:
            cur += ch
    if cur:
        parts.append(cur)
    return parts


def layout_text(
    text: str,
    box: Rect,
    style: HandStyle,
    *,
    seed: int,
    signature_height: float = 0.0,
    signature_width: float = 0.0,
    middle: bool = False,
    keep_lines: bool = False,
    lift: float = 0.0,
) -> HandLayout:
    """Set `text` in `box` by hand; shrinks to `style.min_size` before giving up.

    `middle` centres the block vertically (addresses); `keep_lines` never wraps a line
    (an address line split in two confuses the post: the text is made smaller instead);
    `lift` moves a short note down from the top by that share of the spare room.
    """
    style.check()
    font = load(style.font)
    measured = _measure(text, font)
    paragraphs, widths = measured.paragraphs, measured.widths
    n_words = measured.words
    # A long word split in pieces reuses jitters (modulo): still a varied hand.
    hand = _Hand(seed, style.variation, n_words + 8, n_words + len(paragraphs) + 8)
    size = style.size
    args = (paragraphs, widths, box, style, font, hand)
    # A few words (an address) are tried at their size straight away: they mostly fit, and
    # working out the bound that skips sizes costs about as much as a try. A note often
    # shrinks, and so does a text that did not fit at its size on the card before (the same
    # date line on every card of a batch), so their first size is checked against the bound.
    # Either way the size chosen is the same: the bound only skips sizes that cannot fit.
    seen = (font.ps_name, text, box, style.size, keep_lines, signature_height)
    too_big = None
    if n_words > _FEW_WORDS or not _FIRST_FITS.get(seen, True):
        too_big = _TooBig(paragraphs, widths, box, style, font, hand, signature_height)
    attempt = (
        None
        if too_big is not None and too_big(size)
        else _attempt(*args, size, signature_height, keep_lines)
    )
    if n_words <= _FEW_WORDS:
        if len(_FIRST_FITS) > 4096:
            _FIRST_FITS.clear()
        _FIRST_FITS[seen] = attempt is not None and attempt.fits
    if attempt is None or not attempt.fits:
        # Smaller sizes, skipping those that certainly do not fit; with those gone, the
        # first size tried mostly fits, so it is set as it is tried.
        if too_big is None:
            too_big = _TooBig(paragraphs, widths, box, style, font, hand, signature_height)
        first = size
        tried = attempt
        while (tried is None or not tried.fits) and size - _SIZE_STEP >= style.min_size - 1e-9:
            size -= _SIZE_STEP
            tried = None if too_big(size) else _attempt(*args, size, signature_height, keep_lines)
        if tried is not None and (tried.fits or size != first):
            attempt = tried
        elif size != first or attempt is None:
            attempt = _attempt(*args, size, signature_height, keep_lines)
    attempt.undrawable = list(measured.undrawable)
    if signature_height > 0 and attempt.fits:
        w = min(signature_width, box.w)
        attempt.signature_box = Rect(
            box.right - w, attempt.bottom - signature_height, w, signature_height
        )
        attempt.bottom -= signature_height
    share = 0.5 if middle else lift
    if share > 0 and attempt.fits and attempt.placed:
        # Lines start at the top, so all the spare room is below: move part of it above.
        shift = max(0.0, (attempt.bottom - box.y) * share)
        if attempt.signature_box is not None:
            sb = attempt.signature_box
            attempt.signature_box = Rect(sb.x, sb.y - shift, sb.w, sb.h)
        attempt.offset_y = -shift
        attempt.bottom -= shift
    return attempt


# The jitters' fields, read in C over a whole hand.
_DS = operator.itemgetter(_WordJitter._fields.index("ds"))
_GAP = operator.itemgetter(_WordJitter._fields.index("gap"))
_INDENT = operator.itemgetter(_LineJitter._fields.index("indent"))
_LEAD = operator.itemgetter(_LineJitter._fields.index("lead"))


class _TooBig:
    """Whether a size certainly cannot fit, told without setting the text at that size.

    A note on a card usually shrinks several steps, and each try wraps every word. Here the
    words keep their own jitter (so their widths, per point of size, are known once), but
    every line is given the room of the widest line and the tightest line spacing: wrapped
    that way (a binary search per line) a paragraph needs no more lines than it truly does,
    so a size whose bound already runs past the box is skipped. Only sizes `_attempt` would
    refuse are skipped, so the size chosen is the same; where the bound would not hold (a
    word that may be broken in pieces, a hand varied beyond the usual), nothing is skipped.
    """

    def __init__(
        self,
        paragraphs: list[list[str]],
        widths: list[list[float]],
        box: Rect,
        style: HandStyle,
        font: LoadedFont,
        hand: _Hand,
        reserve_bottom: float,
    ) -> None:
        self.box, self.style, self.font, self.hand = box, style, font, hand
        self.reserve = reserve_bottom
        jitters = hand.words
        self.lead: float = min(map(_LEAD, hand.lines))
        self.indent: float = max(map(_INDENT, hand.lines))
        last = max((i for i, p in enumerate(paragraphs) if p), default=-1)
        # Empty lines move the lines below them down; those after the last line, nothing.
        self.blank = sum(1 for p in paragraphs[:last] if not p)
        scale = font.font.scale
        space = _width(font, " ") * scale
        # Per paragraph with words: each word's width per point of size with its own
        # jitter, and the running sums of (space before it + its width).
        self.paras: list[tuple[list[float], list[float]]] = []
        word_jitters = itertools.cycle(jitters)  # as `_attempt` takes them
        breaking = 0.0
        for p, ws in zip(paragraphs, widths, strict=True):
            if not p:
                continue
            own: list[float] = []
            total = 0.0
            sums = [total]
            for word, w in zip(p, ws, strict=True):
                _, ds, _, gap, cs, _ = next(word_jitters)
                letters = len(word)
                width = w * scale * (1.0 + ds) + cs * letters
                own.append(width)
                total = total + space * gap + width
                sums.append(total)
                breaking = max(breaking, w * scale * 1.04 + 0.03 * letters)
            self.paras.append((own, sums))
        # The room the word nearest to being broken asks for, per point of size.
        self.breaking = breaking
        self.usable = (
            bool(self.paras)
            and 1.0 + self.lead > 0
            and min(map(_GAP, jitters)) >= 0
            and 1.0 + min(map(_DS, jitters)) > 0
            and min(map(_INDENT, hand.lines)) >= 0
        )

    def _lines(self, room: float) -> int:
        """Lines needed with `room` (per point of size) on every line: never more than
        `_attempt`'s, whose lines have at most this room."""
        total = 0
        for own, sums in self.paras:
            start, n = 0, len(own)
            while start < n:
                # The first word of a line has no space before it; at least one is placed.
                limit = room - own[start] + sums[start + 1]
                end = bisect.bisect_right(sums, limit * (1.0 + 1e-9) + 1e-9) - 1
                start = max(end, start + 1)
                total += 1
        return total

    def __call__(self, size: float) -> bool:
        if not self.usable:
            return False
        box, font, hand, v = self.box, self.font, self.hand, self.style.variation
        eff = size * font.font.scale
        over = font.font.overhang * eff
        ascent = font.ascent * eff * (1.0 + 0.04 * v) + hand.max_dy * eff + over
        descent = font.descent * eff * (1.0 + 0.04 * v) + hand.max_dy * eff + over
        pad_x = math.tan(math.radians(hand.max_slant)) * ascent + over + 0.5
        drift = abs(hand.slope) * box.w
        widest_line = box.right - box.x - 2 * pad_x  # no indent
        if widest_line <= 0 or self.breaking * size > widest_line - self.indent * size:
            return False  # a word may be broken in pieces: no bound here
        lines = self._lines(widest_line / size)
        leading = size * 1.45 * self.style.line_spacing
        lowest = (
            box.top
            - ascent
            - drift
            - (lines - 1) * leading * (1.0 + self.lead)
            - self.blank * leading * _BLANK_LINE
        )
        bottom = lowest - descent - drift
        # A hundredth of a point of slack for rounding: a size this close is tried.
        return bottom - self.reserve < box.y - 0.01


def _attempt(
    paragraphs: list[list[str]],
    widths: list[list[float]],
    box: Rect,
    style: HandStyle,
    font: LoadedFont,
    hand: _Hand,
    size: float,
    reserve_bottom: float,
    keep_lines: bool,
    *,
    place: bool = True,
) -> HandLayout:
    """One try at `size`; `place=False` only finds whether it fits (no letter is placed)."""
    eff = size * font.font.scale
    v = style.variation
    over = font.font.overhang * eff
    ascent = font.ascent * eff * (1.0 + 0.04 * v) + hand.max_dy * eff + over
    descent = font.descent * eff * (1.0 + 0.04 * v) + hand.max_dy * eff + over
    lean = math.tan(math.radians(hand.max_slant))
    # Room kept on each side for the lean of the tallest letters and the line drift.
    pad_x = lean * ascent + over + 0.5
    drift = abs(hand.slope) * box.w
    left = box.x + pad_x
    right = box.right - pad_x
    leading = size * 1.45 * style.line_spacing
    space = _width(font, " ") * eff

    breaking, per_letter = eff * 1.04, 0.03 * size  # a word wider than this is broken
    breaking_at = breaking + per_letter
    placed: list[Placed] = []
    make = tuple.__new__
    tan, radians = math.tan, math.radians
    slope, slant, bx = hand.slope, hand.slant, box.x
    jitters = itertools.cycle(hand.words)  # the next word's jitter, round again if need be
    li = 0  # next line jitter
    baseline = box.top - ascent - drift
    lowest = baseline
    first_line = True
    n_lines = 0
    wrapped = False

    for para, para_widths in zip(paragraphs, widths, strict=True):
        if not para:
            baseline -= leading * _BLANK_LINE
            continue
        # Wrap: each line keeps its own jitter, each word its own.
        lines: list[tuple[_LineJitter, list[tuple[str, float, _WordJitter, float]]]] = []
        lj = hand.lines[li % len(hand.lines)]
        li += 1
        current: list[tuple[str, float, _WordJitter, float]] = []
        x_used = 0.0
        avail = right - left - lj.indent * size  # the room of the line (its jitter's indent)
        for word, word_width in zip(para, para_widths, strict=True):
            if word_width * breaking + len(word) * per_letter > avail:
                pieces = [(p, _width(font, p)) for p in _break_word(word, font, breaking_at, avail)]
            else:
                pieces = [(word, word_width)]
            for piece, piece_width in pieces:
                j = next(jitters)
                _, ds, _, gap_j, cs_j, _ = j
                w = piece_width * eff * (1.0 + ds) + cs_j * size * len(piece)
                gap = space * gap_j if current else 0.0
                if current and x_used + gap + w > avail:
                    wrapped = True
                    lines.append((lj, current))
                    lj = hand.lines[li % len(hand.lines)]
                    li += 1
                    avail = right - left - lj.indent * size
                    current, gap, x_used = [], 0.0, 0.0
                current.append((piece, gap, j, piece_width))
                x_used += gap + w
        if current:
            lines.append((lj, current))
        for lj, words in lines:
            if not first_line:
                baseline -= leading * (1.0 + lj.lead)
            first_line = False
            n_lines += 1
            lowest = baseline
            if not place:
                continue
            x = left + lj.indent * size
            for word, gap, j, word_width in words:
                dy, ds, slant_j, _, cs_j, shade = j
                x += gap
                w_size = eff * (1.0 + ds)
                y = baseline + slope * (x - bx) + dy * eff
                skew = tan(radians(slant + slant_j))
                cs = cs_j * size
                # tuple.__new__: the named tuple's own __new__ is a Python call per word.
                placed.append(make(Placed, (x, y, w_size, skew, cs, shade, word)))
                x += word_width * w_size + cs * len(word)

    bottom = lowest - descent - drift
    fits = bottom - reserve_bottom >= box.y - 1e-6 and not (keep_lines and wrapped)
    return HandLayout(box, font, style, size, placed, fits, bottom, n_lines)


# Per PDF and font, each word's pieces as they are set: the size each is scaled by, the
# font subset it is in and its escaped glyph codes, worked out once: a subset keeps the codes
# it gave a letter, and a batch of cards writes the same words many times.
_Pieces = tuple[tuple[float, str, str], ...]
_set_words: weakref.WeakKeyDictionary[Any, dict[str, dict[str, _Pieces]]] = (
    weakref.WeakKeyDictionary()
)


def _pieces(text: str, primary: LoadedFont, doc: Any) -> _Pieces:
    return tuple(
        (relative_scale(f, primary), f.ttf.getSubsetInternalName(subset, doc), escapePDF(chunk))
        for f, part in runs(text, primary)
        for subset, chunk in f.ttf.splitString(part, doc)
    )


# Per ink, each pen pressure's colour operator, as written.
_SHADES: dict[tuple[float, float, float], dict[float, str]] = {}


def draw_layout(canvas: Canvas, layout: HandLayout, *, proof: bool = False) -> None:
    """Write a fitted layout onto the canvas in the chosen ink.

    `proof` draws a layout that does not fit as well (for an on-screen proof only).
    """
    if not layout.fits and not proof:
        raise ValidationError("card", layout.problem or "the text does not fit")
    r, g, b = INKS[layout.style.ink]
    doc = canvas._doc  # ReportLab's documented route for TrueType subsets takes the doc
    primary = layout.font
    dy = layout.offset_y
    fonts = _set_words.get(doc)
    if fonts is None:
        fonts = _set_words[doc] = {}
    words = fonts.get(primary.ps_name)
    if words is None:
        words = fonts[primary.ps_name] = {}
    shades = _SHADES.get((r, g, b))
    if shades is None:
        shades = _SHADES[(r, g, b)] = {}
    ops: list[str] = ["BT"]
    add = ops.append
    for x, y, size, skew, char_space, shade, text in layout.placed:
        # Each card's words take their pressure from the same few thousand jitters.
        ink = shades.get(shade)
        if ink is None:
            ink = shades[shade] = f"{r * shade:.3f} {g * shade:.3f} {b * shade:.3f} rg 1 0 "
        pieces = words.get(text)
        if pieces is None:
            pieces = words[text] = _pieces(text, primary, doc)
        # A tenth of a point (0.035 mm) is finer than any printer places ink.
        if len(pieces) == 1:  # a word in one font and one subset: one string
            scale, name, chunk = pieces[0]
            add(
                f"{ink}{skew:.3f} 1 {x:.1f} {y + dy:.1f} Tm {char_space:.2f} Tc\n"
                f"{name} {size * scale:.2f} Tf ({chunk}) Tj"
            )
            continue
        add(f"{ink}{skew:.3f} 1 {x:.1f} {y + dy:.1f} Tm {char_space:.2f} Tc")
        for scale, name, chunk in pieces:
            add(f"{name} {size * scale:.2f} Tf ({chunk}) Tj")
    ops.append("ET")
    canvas.saveState()
    canvas.addLiteral("\n".join(ops))
    canvas.restoreState()
