"""The bundled handwriting fonts, registered with ReportLab on first use.

Every font is a TrueType file (ReportLab embeds TrueType outlines, not CFF) with its
licence beside it in `deckfollow/resources/fonts/`. Letters a font lacks (ł in Kristi,
for instance) are drawn from the fallback font, so a customer's name is never printed as
an empty box.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from deckfollow.core.errors import ValidationError


@dataclass(frozen=True)
class HandFont:
    """One bundled handwriting font."""

    key: str
    name: str  # what the user reads
    file: str
    licence_file: str
    licence: str
    # Relative size so every font reads at about the same x-height at a given point size.
    scale: float = 1.0
    # How far swashes reach past a letter's advance or the font's ascent, per point.
    overhang: float = 0.05
    # Height of a capital L above the baseline, per point (measured on the outlines): a
    # letter borrowed from the fallback font is set so its capitals stand as tall.
    cap_height: float = 0.72


FONTS: tuple[HandFont, ...] = (
    HandFont("kalam", "Kalam (neat print)", "Kalam-Regular.ttf", "Kalam-OFL.txt", "OFL-1.1"),
    HandFont(
        "kristi",
        "Kristi (flowing script)",
        "Kristi.ttf",
        "Kristi-OFL.txt",
        "OFL-1.1",
        scale=1.5,
        overhang=0.2,
        cap_height=0.65,
    ),
    HandFont(
        "breip", "Breip (casual)", "Breip.ttf", "Breip-OFL.txt", "OFL-1.0", 1.1, cap_height=0.75
    ),
)
FALLBACK_KEY = "kalam"
DEFAULT_FONT = "kalam"
NBSP = "\u00a0"  # keeps words together; written as a space
_BY_KEY = {f.key: f for f in FONTS}

# Typographic marks some fonts lack are written the way a hand writes them.
_PLAIN = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "..."})


def fonts_dir() -> Path:
    """The folder holding the bundled .ttf files and their licences."""
    return Path(str(resources.files("deckfollow") / "resources" / "fonts"))


def hand_font(key: str) -> HandFont:
    """The font with this key; ValidationError lists the choices."""
    try:
        return _BY_KEY[key]
    except KeyError:
        choices = ", ".join(_BY_KEY)
        raise ValidationError("font", f"no handwriting font {key!r} (choose {choices})") from None


@dataclass(frozen=True)
class LoadedFont:
    """A font registered with ReportLab, with what is needed to measure and map its letters."""

    font: HandFont
    ps_name: str  # the name ReportLab knows it by
    ttf: TTFont
    ascent: float  # per point of size
    descent: float  # per point of size, positive downwards
    cmap: frozenset[int]


@cache
def load(key: str) -> LoadedFont:
    """Register the font with ReportLab (once) and return its metrics."""
    info = hand_font(key)
    ps_name = "DeckfollowHand-" + info.key
    ttf = TTFont(ps_name, str(fonts_dir() / info.file))
    pdfmetrics.registerFont(ttf)
    face = ttf.face
    return LoadedFont(
        font=info,
        ps_name=ps_name,
        ttf=ttf,
        ascent=float(face.ascent) / 1000.0,
        descent=abs(float(face.descent)) / 1000.0,
        cmap=frozenset(face.charToGlyph),
    )


def plain_marks(text: str) -> str:
    """Curly quotes and dashes as a hand writes them (straight), for fonts that lack them."""
    return text.translate(_PLAIN)


_RUNS: dict[tuple[str, str], list[tuple[LoadedFont, str]]] = {}


def runs(text: str, primary: LoadedFont) -> list[tuple[LoadedFont, str]]:
    """Split `text` into runs drawn by the primary font or, letter by letter, the fallback."""
    key = (primary.ps_name, text)
    found = _RUNS.get(key)
    if found is None:
        found = _RUNS[key] = _split_runs(text, primary)
        if len(_RUNS) > 50_000:  # words repeat; a batch of unusual ones must not grow forever
            _RUNS.clear()
    return found


def _split_runs(text: str, primary: LoadedFont) -> list[tuple[LoadedFont, str]]:
    fallback = load(FALLBACK_KEY)
    out: list[tuple[LoadedFont, str]] = []
    current: LoadedFont | None = None
    buf: list[str] = []
    for ch in text:
        font = primary if ord(ch) in primary.cmap or ch in (" ", NBSP) else fallback
        if font is not current and buf:
            assert current is not None
            out.append((current, "".join(buf)))
            buf = []
        current = font
        buf.append(ch)
    if buf and current is not None:
        out.append((current, "".join(buf)))
    return out


def relative_scale(font: LoadedFont, primary: LoadedFont) -> float:
    """The size of a run in `font` relative to the primary font's size, so a borrowed letter
    (Kalam's Ł in a Kristi card) stands as tall as the capitals around it."""
    if font is primary:
        return 1.0
    return primary.font.cap_height / font.font.cap_height


def undrawable(text: str, primary: LoadedFont) -> list[str]:
    """Letters neither the chosen font nor the fallback can draw (reported before printing)."""
    fallback = load(FALLBACK_KEY)
    bad: list[str] = []
    for ch in dict.fromkeys(text):  # each letter once, in the order it first appears
        if ch.isspace() or ord(ch) in primary.cmap or ord(ch) in fallback.cmap:
            continue
        bad.append(ch)
    return bad
