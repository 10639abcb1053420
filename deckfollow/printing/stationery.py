"""Real stationery, measured: cards, envelopes and address-label sheets.

Every size is the size of the paper as it goes through the printer, in PDF points
(1/72 in), origin bottom left. Text is only ever set inside a `safe` rectangle that keeps
clear of the edges a home printer cannot reach and of the fold.
"""

from __future__ import annotations

from dataclasses import dataclass

from deckfollow.core.errors import ValidationError

INCH = 72.0
MM = 72.0 / 25.4


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    @property
    def top(self) -> float:
        return self.y + self.h

    @property
    def right(self) -> float:
        return self.x + self.w

    def inset(self, dx: float, dy: float | None = None) -> Rect:
        dy = dx if dy is None else dy
        return Rect(self.x + dx, self.y + dy, self.w - 2 * dx, self.h - 2 * dy)


@dataclass(frozen=True)
class CardStock:
    """A card: the page fed to the printer and where the message goes."""

    key: str
    name: str
    width: float
    height: float
    message: Rect  # the safe area for the handwritten message
    envelope: str | None  # the matching envelope's key; None when the card is its own
    fold_y: float | None = None  # a folded card's fold line, kept clear
    address: Rect | None = None  # a postcard's address panel
    finished: str = ""  # what the user holds after folding/trimming, in words


@dataclass(frozen=True)
class Envelope:
    key: str
    name: str
    width: float
    height: float
    return_box: Rect  # top left: the sender
    recipient_box: Rect  # centre right: the customer
    stamp_box: Rect  # top right: kept clear for the stamp

    @property
    def safe(self) -> Rect:
        return Rect(0, 0, self.width, self.height).inset(0.25 * INCH)


@dataclass(frozen=True)
class LabelSheet:
    key: str
    name: str
    width: float
    height: float
    columns: int
    rows: int
    label_w: float
    label_h: float
    left: float  # from the page's left edge to the first label
    top: float  # from the page's top edge to the first label
    pitch_x: float  # left edge to left edge
    pitch_y: float
    pad_x: float  # kept clear inside each label (rounded corners, feed drift)
    pad_y: float

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows

    def label(self, index: int) -> Rect:
        """The label at 0-based `index`, counting along rows from the top left."""
        row, col = divmod(index % self.per_sheet, self.columns)
        x = self.left + col * self.pitch_x
        y = self.height - self.top - row * self.pitch_y - self.label_h
        return Rect(x, y, self.label_w, self.label_h)

    def safe(self, index: int) -> Rect:
        return self.label(index).inset(self.pad_x, self.pad_y)


def _card(
    key: str,
    name: str,
    w: float,
    h: float,
    envelope: str | None,
    finished: str,
    margin: float = 0.3 * INCH,
) -> CardStock:
    return CardStock(key, name, w, h, Rect(0, 0, w, h).inset(margin), envelope, finished=finished)


def _folded_a2() -> CardStock:
    # A 5.5 x 8.5 in sheet, fed portrait, folds across the middle into a 5.5 x 4.25 in card
    # (A2). The message goes on the lower inside panel; the fold gets its own clearance.
    w, h = 5.5 * INCH, 8.5 * INCH
    margin = 0.35 * INCH
    panel = Rect(0, 0, w, h / 2).inset(margin)
    return CardStock(
        "a2-folded",
        "Folded A2 card (5.5 × 8.5 in sheet, folds to 4.25 × 5.5 in)",
        w,
        h,
        panel,
        "a2",
        fold_y=h / 2,
        finished="4.25 × 5.5 in folded",
    )


def _folded_a6() -> CardStock:
    # An A5 sheet (148 x 210 mm), fed portrait, folds across the middle into an A6 card
    # (148 x 105 mm) that fits a C6 envelope: the card shops sell where A sizes rule.
    w, h = 148 * MM, 210 * MM
    margin = 9 * MM
    panel = Rect(0, 0, w, h / 2).inset(margin)
    return CardStock(
        "a6-folded",
        "Folded A6 card (A5 sheet 148 × 210 mm, folds to 148 × 105 mm)",
        w,
        h,
        panel,
        "c6",
        fold_y=h / 2,
        finished="148 × 105 mm folded",
    )


def _postcard() -> CardStock:
    # 6 x 4 in, landscape: message on the left, the address on the right as postal
    # services expect, with the top right kept clear for the stamp.
    w, h = 6 * INCH, 4 * INCH
    margin = 0.3 * INCH
    message = Rect(margin, margin, w * 0.5 - margin - 0.15 * INCH, h - 2 * margin)
    address = Rect(w * 0.5 + 0.15 * INCH, margin, w * 0.5 - margin - 0.15 * INCH, h * 0.5)
    return CardStock(
        "postcard-4x6",
        "Postcard 4 × 6 in (address on the card)",
        w,
        h,
        message,
        None,
        address=address,
        finished="6 × 4 in",
    )


CARDS: tuple[CardStock, ...] = (
    _folded_a6(),
    _folded_a2(),
    _card("a6", "Flat A6 card (148 × 105 mm)", 148 * MM, 105 * MM, "c6", "148 × 105 mm"),
    _postcard(),
    _card("a7", "Flat A7 card (7 × 5 in)", 7 * INCH, 5 * INCH, "a7", "7 × 5 in"),
)


def _envelope(key: str, name: str, w: float, h: float) -> Envelope:
    m = 0.25 * INCH
    return_box = Rect(m, h * 0.62, w * 0.5 - m, h * 0.38 - m)
    stamp = Rect(w - m - 1.0 * INCH, h - m - 1.1 * INCH, 1.0 * INCH, 1.1 * INCH)
    rx = w * 0.38
    recipient = Rect(rx, m + h * 0.08, w - rx - m, h * 0.47)
    return Envelope(key, name, w, h, return_box, recipient, stamp)


ENVELOPES: tuple[Envelope, ...] = (
    _envelope("a2", "A2 envelope (5.75 × 4.375 in)", 5.75 * INCH, 4.375 * INCH),
    _envelope("a7", "A7 envelope (7.25 × 5.25 in)", 7.25 * INCH, 5.25 * INCH),
    _envelope("c6", "C6 envelope (162 × 114 mm)", 162 * MM, 114 * MM),
    _envelope("dl", "DL envelope (220 × 110 mm)", 220 * MM, 110 * MM),
    _envelope("no10", "#10 envelope (9.5 × 4.125 in)", 9.5 * INCH, 4.125 * INCH),
)

LABEL_SHEETS: tuple[LabelSheet, ...] = (
    LabelSheet(
        "avery-5160",
        "Avery 5160 address labels (US Letter, 3 × 10)",
        8.5 * INCH,
        11 * INCH,
        3,
        10,
        2.625 * INCH,
        1.0 * INCH,
        0.1875 * INCH,
        0.5 * INCH,
        2.75 * INCH,
        1.0 * INCH,
        0.12 * INCH,
        0.08 * INCH,
    ),
    LabelSheet(
        "l7160",
        "Avery L7160 address labels (A4, 3 × 7)",
        210 * MM,
        297 * MM,
        3,
        7,
        63.5 * MM,
        38.1 * MM,
        7.25 * MM,
        15.15 * MM,
        66.04 * MM,
        38.1 * MM,
        3.0 * MM,
        3.0 * MM,
    ),
)

_CARDS = {c.key: c for c in CARDS}
_ENVELOPES = {e.key: e for e in ENVELOPES}
_SHEETS = {s.key: s for s in LABEL_SHEETS}


def card_stock(key: str) -> CardStock:
    try:
        return _CARDS[key]
    except KeyError:
        raise ValidationError("card", f"no card {key!r} (choose {', '.join(_CARDS)})") from None


def envelope(key: str) -> Envelope:
    try:
        return _ENVELOPES[key]
    except KeyError:
        choices = ", ".join(_ENVELOPES)
        raise ValidationError("envelope", f"no envelope {key!r} (choose {choices})") from None


def label_sheet(key: str) -> LabelSheet:
    try:
        return _SHEETS[key]
    except KeyError:
        choices = ", ".join(_SHEETS)
        raise ValidationError("labels", f"no label sheet {key!r} (choose {choices})") from None


# --- how the stationery is named, in the units the owner reads -----------------------

# What each card is called, without sizes (the sizes follow in the owner's units), and the
# card stock it is printed on, as the shop sells it.
_CARD_TITLES = {
    "a6-folded": ("Folded A6 card", "A5 card stock"),
    "a2-folded": ("Folded A2 card", "5.5 × 8.5 in card stock"),
    "a6": ("Flat A6 card", "A6 card stock"),
    "postcard-4x6": ("Postcard (address on the card)", "4 × 6 in postcard stock"),
    "a7": ("Flat A7 card", "5 × 7 in card stock"),
}
_ENVELOPE_TITLES = {
    "a2": "A2 envelope",
    "a7": "A7 envelope",
    "c6": "C6 envelope",
    "dl": "DL envelope",
    "no10": "#10 envelope",
}
_SHEET_TITLES = {
    "avery-5160": ("Avery 5160 labels", "Letter"),
    "l7160": ("Avery L7160 labels", "A4"),
}


def _num(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".")


def size_text(w: float, h: float, units: str) -> str:
    """`w` × `h` points as people read them: whole millimetres, or inches to 1/100."""
    if units == "in":
        return f"{_num(w / INCH)} × {_num(h / INCH)} in"
    return f"{round(w / MM)} × {round(h / MM)} mm"


def card_label(stock: CardStock, units: str) -> str:
    """E.g. "Folded A6 card (148 × 210 mm sheet, folds to 148 × 105 mm)"."""
    title = _CARD_TITLES.get(stock.key, (stock.name, ""))[0]
    if stock.fold_y is not None:
        folded = size_text(stock.width, stock.height - stock.fold_y, units)
        return f"{title} ({size_text(stock.width, stock.height, units)} sheet, folds to {folded})"
    return f"{title} ({size_text(stock.width, stock.height, units)})"


def card_paper(stock: CardStock) -> str:
    """The card stock to load, as the shop sells it ("A5 card stock")."""
    return _CARD_TITLES.get(stock.key, ("", "card stock"))[1]


def envelope_label(env: Envelope, units: str) -> str:
    return f"{_ENVELOPE_TITLES.get(env.key, env.name)} ({size_text(env.width, env.height, units)})"


def envelope_title(env: Envelope) -> str:
    """The envelope's short name ("C6 envelope")."""
    return _ENVELOPE_TITLES.get(env.key, env.name)


def sheet_label(sheet: LabelSheet, units: str) -> str:
    title, paper = _SHEET_TITLES.get(sheet.key, (sheet.name, ""))
    each = size_text(sheet.label_w, sheet.label_h, units)
    return f"{title} ({paper}, {sheet.per_sheet} a sheet, each {each})"


def sheet_title(sheet: LabelSheet) -> str:
    """The sheet's product code as printed on the box ("L7160")."""
    return (
        _SHEET_TITLES.get(sheet.key, (sheet.name, ""))[0]
        .removeprefix("Avery ")
        .removesuffix(" labels")
    )
