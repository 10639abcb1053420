"""Cards, envelopes and label sheets into PDFs, checked before anything is written.

`check_cards` sets every card, envelope and label first and returns what would not print
as it should (text too long even at the smallest size, letters no font can write). The
PDF is only written when that list is empty, so nothing is ever cut off on paper.

A folded card is two pages: the inside (the date line and the message on the lower
panel) and the outside (the front panel, upside down on the sheet so it is the right way
up once folded, and the back). Print them on both sides of the sheet, flipping on the long
edge. The cards, envelopes and labels can be written as one PDF or one per paper kind
(`PARTS`), so each is printed after the right paper is loaded.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import BinaryIO, Literal

import reportlab
from reportlab import rl_config
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from deckfollow.core.errors import ValidationError
from deckfollow.cycle_pause import without_cycle_collection
from deckfollow.printing.fonts import load as load_font
from deckfollow.printing.handwriting import (
    INKS,
    HandLayout,
    HandStyle,
    draw_layout,
    layout_text,
)
from deckfollow.printing.motifs import FRAMES, check_motif, draw_motif
from deckfollow.printing.stationery import (
    INCH,
    CardStock,
    Envelope,
    LabelSheet,
    Rect,
    card_stock,
    envelope,
    label_sheet,
)

MATCH = "match"  # the envelope that fits the card
NOTE_LIFT = 0.25  # a short note sits a little below the top, as a person would place it
DATE_STRIP = 24.0  # points kept at the top of the message area for the date line

Part = Literal["cards", "envelopes", "labels"]
PARTS: tuple[Part, ...] = ("cards", "envelopes", "labels")


@dataclass(frozen=True)
class Address:
    """A postal address as it is written on an envelope: name first, then the lines."""

    name: str
    lines: tuple[str, ...] = ()

    def text(self) -> str:
        return "\n".join([self.name, *[ln for ln in self.lines if ln.strip()]])

    @property
    def complete(self) -> bool:
        return bool(self.name.strip()) and any(ln.strip() for ln in self.lines)


@dataclass(frozen=True)
class CardJob:
    """One card to print: its words (already merged), who it goes to, and its seed."""

    text: str
    recipient: Address | None
    seed: int
    label: str = ""  # how problems name this card, e.g. the customer's name


@dataclass(frozen=True)
class CardFront:
    """What the front of a folded card carries: the business's name and a picture (the
    owner's logo, or one of the bundled motifs), and a line on the back."""

    business_name: str = ""
    motif: str = "sprig"  # a motif key, or "none"
    logo: Path | None = None  # a PNG/JPEG; drawn instead of the motif (a border stays)
    back_line: str = ""  # small print on the back, e.g. the business's phone

    @property
    def empty(self) -> bool:
        return not self.business_name.strip() and self.motif == "none" and self.logo is None


@dataclass(frozen=True)
class PrintOptions:
    card: str = "a2-folded"
    style: HandStyle = field(default_factory=HandStyle)
    envelope: str | None = MATCH  # an envelope key, MATCH, or None for no envelopes
    labels: str | None = None  # a label sheet key, instead of (or as well as) envelopes
    start_label: int = 1  # the first free label on a partly used sheet (1 = top left)
    return_address: Address | None = None
    signature: Path | None = None  # a scanned signature (PNG/JPEG), written under the text
    signature_height: float = 0.55 * INCH
    front: CardFront | None = None  # a folded card's outside; None leaves it blank
    date_text: str | None = None  # written at the top of the inside, e.g. "5 December 2026"

    def stock(self) -> CardStock:
        return card_stock(self.card)

    def envelope_stock(self) -> Envelope | None:
        if self.envelope is None:
            return None
        if self.envelope == MATCH:
            key = self.stock().envelope
            return envelope(key) if key is not None else None
        return envelope(self.envelope)

    @property
    def two_sided(self) -> bool:
        """Whether each card is two pages: a folded card's inside and its front."""
        front = self.front
        return self.stock().fold_y is not None and front is not None and not front.empty

    def label_stock(self) -> LabelSheet | None:
        return label_sheet(self.labels) if self.labels is not None else None


@dataclass(frozen=True)
class CardProblem:
    label: str
    part: str  # "card", "envelope", "label", "postcard address"
    problem: str

    def __str__(self) -> str:
        return f"{self.label}: {self.part}: {self.problem}"


@dataclass(frozen=True)
class RenderSummary:
    cards: int
    envelopes: int
    labels: int
    pages: int
    card_sizes: tuple[float, ...] = ()  # the size each card was written at


class CardsDoNotFit(ValidationError):
    """Raised instead of writing a PDF when any card, envelope or label would not print."""

    def __init__(self, problems: list[CardProblem]) -> None:
        self.problems = problems
        first = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__("cards", f"{first}{more}")


# Addresses are written neatly: less variation than a note, and a bit smaller.
def _address_style(style: HandStyle, size: float, min_size: float) -> HandStyle:
    return replace(style, size=size, min_size=min_size, variation=style.variation * 0.5)


def _signature_size(options: PrintOptions) -> tuple[float, float]:
    if options.signature is None:
        return 0.0, 0.0
    w, h = _image_size(options.signature, "signature")
    height = options.signature_height
    return height, height * (w / h if h else 1.0)


def _image_size(path: Path, what: str) -> tuple[float, float]:
    if not path.is_file():
        raise ValidationError(what, f"there is no image file {str(path)!r}")
    try:
        w, h = ImageReader(str(path)).getSize()
    except OSError as exc:  # unreadable, or not an image PIL knows (UnidentifiedImageError)
        raise ValidationError(what, f"{path.name} cannot be read as a PNG or JPEG image") from exc
    return float(w), float(h)


def check_options(options: PrintOptions) -> None:
    """Refuse a choice that cannot print (unknown stationery, font, ink or motif, a start
    label off the sheet, a signature or logo that is no image) before any card is set."""
    options.style.check()
    if options.front is not None:
        check_motif(options.front.motif)
        if options.front.logo is not None:
            _image_size(options.front.logo, "logo")
    options.stock()
    options.envelope_stock()
    sheet = options.label_stock()
    if sheet is not None and not 1 <= options.start_label <= sheet.per_sheet:
        raise ValidationError(
            "start label", f"{sheet.name} has labels 1 to {sheet.per_sheet}, top left first"
        )
    _signature_size(options)


def card_layout(
    job: CardJob, options: PrintOptions, signature: tuple[float, float] | None = None
) -> HandLayout:
    """How one card's message is set (size used, whether it fits, where the signature goes)."""
    sig_h, sig_w = signature if signature is not None else _signature_size(options)
    return layout_text(
        job.text,
        message_box(options),
        options.style,
        seed=job.seed,
        signature_height=sig_h,
        signature_width=sig_w,
        lift=NOTE_LIFT,
    )


def message_box(options: PrintOptions) -> Rect:
    """Where the message goes: the card's message area below the date line, if any."""
    box = options.stock().message
    if options.date_text:
        return Rect(box.x, box.y, box.w, box.h - DATE_STRIP)
    return box


def _date_layout(options: PrintOptions, seed: int) -> HandLayout | None:
    if not options.date_text:
        return None
    box = options.stock().message
    # Where a person writes the date: the top right of the page they write on.
    strip = Rect(box.x + box.w * 0.45, box.top - DATE_STRIP, box.w * 0.55, DATE_STRIP)
    size = min(13.0, options.style.size * 0.75)
    return layout_text(
        options.date_text,
        strip,
        replace(options.style, size=size, min_size=min(size, 8.0)),
        seed=seed + 5,
        keep_lines=True,
    )


@dataclass
class _Planned:
    job: CardJob
    card: HandLayout
    date: HandLayout | None
    address: HandLayout | None  # postcards carry the address themselves
    envelope: tuple[HandLayout | None, HandLayout] | None  # return, recipient
    label: HandLayout | None


@without_cycle_collection
def _plan(jobs: list[CardJob], options: PrintOptions) -> tuple[list[_Planned], list[CardProblem]]:
    check_options(options)
    stock = options.stock()
    env = options.envelope_stock()
    sheet = options.label_stock()
    style = options.style
    sig_h, sig_w = _signature_size(options)
    planned: list[_Planned] = []
    problems: list[CardProblem] = []
    for job in jobs:
        label = job.label or (job.recipient.name if job.recipient else "card")
        card = card_layout(job, options, (sig_h, sig_w))
        if card.problem:
            problems.append(CardProblem(label, "card", card.problem))
        dated = _date_layout(options, job.seed)
        if dated is not None and dated.problem:
            problems.append(CardProblem(label, "date line", dated.problem))
        needs_address = stock.address is not None or env is not None or sheet is not None
        if needs_address and (job.recipient is None or not job.recipient.complete):
            problems.append(CardProblem(label, "address", "no postal address to write on it"))
            planned.append(_Planned(job, card, dated, None, None, None))
            continue
        addr_text = job.recipient.text() if job.recipient else ""
        address = None
        if stock.address is not None:
            address = layout_text(
                addr_text,
                stock.address,
                _address_style(style, 12.0, 8.0),
                seed=job.seed + 1,
                middle=True,
                keep_lines=True,
            )
            if address.problem:
                problems.append(CardProblem(label, "postcard address", address.problem))
        env_layouts = None
        if env is not None:
            ret = None
            if options.return_address is not None and options.return_address.complete:
                ret = layout_text(
                    options.return_address.text(),
                    env.return_box,
                    _address_style(style, 9.5, 7.0),
                    seed=job.seed + 2,
                )
                if ret.problem:
                    problems.append(CardProblem(label, "return address", ret.problem))
            rec = layout_text(
                addr_text,
                env.recipient_box,
                _address_style(style, 14.0, 9.0),
                seed=job.seed + 3,
                middle=True,
                keep_lines=True,
            )
            if rec.problem:
                problems.append(CardProblem(label, "envelope", rec.problem))
            env_layouts = (ret, rec)
        lab = None
        if sheet is not None:
            index = options.start_label - 1 + len(planned)
            lab = layout_text(
                addr_text,
                sheet.safe(index),
                _address_style(style, 11.0, 7.0),
                seed=job.seed + 4,
                middle=True,
                keep_lines=True,
            )
            if lab.problem:
                problems.append(CardProblem(label, "label", lab.problem))
        planned.append(_Planned(job, card, dated, address, env_layouts, lab))
    return planned, problems


@dataclass(frozen=True)
class CardPlan:
    """A batch set once: every card, envelope and label laid out, with what would not print.

    Checking a batch and then writing it from the same plan sets each card once, not twice.
    """

    options: PrintOptions
    planned: tuple[_Planned, ...]
    problems: tuple[CardProblem, ...]


def plan_cards(jobs: list[CardJob], options: PrintOptions) -> CardPlan:
    """Set every card, envelope and label of the batch; `problems` is empty when it is ready."""
    planned, problems = _plan(jobs, options)
    return CardPlan(options, tuple(planned), tuple(problems))


def check_cards(jobs: list[CardJob], options: PrintOptions) -> list[CardProblem]:
    """Everything that would not print as it should; empty when the batch is ready."""
    return _plan(jobs, options)[1]


def render_pdf(
    jobs: list[CardJob],
    options: PrintOptions,
    out: Path | BinaryIO,
    *,
    title: str = "Cards",
    parts: tuple[Part, ...] = PARTS,
) -> RenderSummary:
    """Write every card, then its envelopes, then the label sheets (those of `parts`) into
    one PDF.

    Raises CardsDoNotFit (nothing written) if anything would be cut off or unwritable.
    """
    return write_plan(plan_cards(jobs, options), out, title=title, parts=parts)


def write_plan(
    plan: CardPlan,
    out: Path | BinaryIO,
    *,
    title: str = "Cards",
    parts: tuple[Part, ...] = PARTS,
) -> RenderSummary:
    """Write a planned batch as `render_pdf` does, without setting any card again.

    Raises CardsDoNotFit (nothing written) if anything would be cut off or unwritable.
    """
    if plan.problems:
        raise CardsDoNotFit(list(plan.problems))
    if not plan.planned:
        raise ValidationError("cards", "there are no cards to print")
    return _write(list(plan.planned), plan.options, out, title=title, parts=parts)


def render_parts(
    jobs: list[CardJob], options: PrintOptions, *, title: str = "Cards"
) -> list[tuple[Part, bytes, RenderSummary]]:
    """One PDF per paper kind (cards, envelopes, labels: those the options ask for), set
    once. Raises CardsDoNotFit (nothing written) like `render_pdf`."""
    planned, problems = _plan(jobs, options)
    if problems:
        raise CardsDoNotFit(problems)
    if not planned:
        raise ValidationError("cards", "there are no cards to print")
    wanted: list[Part] = ["cards"]
    if options.envelope_stock() is not None and any(p.envelope for p in planned):
        wanted.append("envelopes")
    if options.label_stock() is not None:
        wanted.append("labels")
    out: list[tuple[Part, bytes, RenderSummary]] = []
    for part in wanted:
        buf = io.BytesIO()
        summary = _write(planned, options, buf, title=title, parts=(part,))
        out.append((part, buf.getvalue(), summary))
    return out


_OUTSIDE_FORM = "card-outside"


class _QuickFlate:
    """ReportLab's Flate filter at zlib's quickest level: a batch's handwriting is tens of
    megabytes of page operators, which the default level took a twelfth of the batch's
    time to squeeze into a file a tenth smaller."""

    pdfname = "FlateDecode"

    def encode(self, text: str | bytes) -> bytes:
        return zlib.compress(text.encode("utf8") if isinstance(text, str) else text, 1)

    def decode(self, encoded: bytes) -> bytes:
        return zlib.decompress(encoded)


@contextmanager
def _quick_streams() -> Iterator[None]:
    """While a batch is written, its page streams are compressed quickly and kept as
    bytes, not also spelled out in ASCII85 (which makes them a quarter larger): every
    reader takes both. ReportLab picks a stream's filters as it writes the file, from its
    settings and its Flate filter."""
    was = rl_config.useA85, pdfdoc.PDFZCompress
    rl_config.useA85 = 0
    pdfdoc.PDFZCompress = _QuickFlate()
    try:
        yield
    finally:
        rl_config.useA85, pdfdoc.PDFZCompress = was


@without_cycle_collection
def _write(
    planned: list[_Planned],
    options: PrintOptions,
    out: Path | BinaryIO,
    *,
    title: str,
    parts: tuple[Part, ...],
) -> RenderSummary:
    stock = options.stock()
    env = options.envelope_stock() if "envelopes" in parts else None
    sheet = options.label_stock() if "labels" in parts else None
    target: str | BinaryIO = str(out) if isinstance(out, Path) else out
    # The page preamble names an initial font; make it ours so no unembedded base font
    # (Helvetica) is listed in the PDF.
    canvas = Canvas(
        target,
        pagesize=(stock.width, stock.height),
        pageCompression=1,
        initialFontName=load_font(options.style.font).ps_name,
    )
    canvas.setTitle(title)
    canvas.setCreator("deckfollow")
    pages = 0
    front = options.front if options.two_sided else None
    n_cards = 0
    for p in planned if "cards" in parts else []:
        canvas.setPageSize((stock.width, stock.height))
        if p.date is not None:
            draw_layout(canvas, p.date)
        draw_layout(canvas, p.card)
        if p.card.signature_box is not None and options.signature is not None:
            box = p.card.signature_box
            canvas.drawImage(
                str(options.signature),
                box.x,
                box.y,
                box.w,
                box.h,
                mask="auto",
                preserveAspectRatio=True,
                anchor="se",
            )
        if p.address is not None and stock.address is not None:
            _postcard_divider(canvas, stock, options.style)
            draw_layout(canvas, p.address)
        canvas.showPage()
        pages += 1
        n_cards += 1
        if front is not None:
            canvas.setPageSize((stock.width, stock.height))
            if n_cards == 1:
                # Every card has the same outside: drawn once into the PDF and placed on
                # each outside page, not drawn (and compressed and written) per card.
                canvas.beginForm(_OUTSIDE_FORM)
                _draw_outside(canvas, stock, front, options.style)
                canvas.endForm()
            canvas.doForm(_OUTSIDE_FORM)
            canvas.showPage()
            pages += 1
    n_env = 0
    if env is not None:
        for p in planned:
            if p.envelope is None:
                continue
            canvas.setPageSize((env.width, env.height))
            ret, rec = p.envelope
            if ret is not None:
                draw_layout(canvas, ret)
            draw_layout(canvas, rec)
            canvas.showPage()
            pages += 1
            n_env += 1
    n_labels = 0
    if sheet is not None:
        labels = [p.label for p in planned if p.label is not None]
        first = options.start_label - 1
        for i, lab in enumerate(labels):
            if i == 0 or (first + i) % sheet.per_sheet == 0:
                if i:
                    canvas.showPage()
                    pages += 1
                canvas.setPageSize((sheet.width, sheet.height))
            draw_layout(canvas, lab)
            n_labels += 1
        if labels:
            canvas.showPage()
            pages += 1
    with _quick_streams():
        canvas.save()
    sizes = tuple(p.card.size for p in planned)
    return RenderSummary(n_cards, n_env, n_labels, pages, sizes)


@cache
def _print_font() -> str:
    """A plain printed face for the business's name (Bitstream Vera, shipped with
    ReportLab under a free licence), embedded like the handwriting."""
    name = "DeckfollowPrint"
    path = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"
    pdfmetrics.registerFont(TTFont(name, str(path)))
    return name


def front_panel(stock: CardStock) -> Rect:
    """The front of a folded card on its outside page (the half above the fold)."""
    assert stock.fold_y is not None
    return Rect(0, stock.fold_y, stock.width, stock.height - stock.fold_y)


def _fitted_name(canvas: Canvas, font: str, text: str, width: float, size: float) -> float:
    while size > 8.0 and canvas.stringWidth(text, font, size) * 1.06 > width:
        size -= 0.5
    return size


def _draw_outside(canvas: Canvas, stock: CardStock, front: CardFront, style: HandStyle) -> None:
    """The outside page: the front above the fold turned upside down (a top-fold card is
    read with the fold at the top), the back line below it the right way up."""
    assert stock.fold_y is not None
    panel = front_panel(stock)
    ink = INKS[style.ink]
    name = front.business_name.strip()
    font = _print_font()
    printable = pdfmetrics.getFont(font).face.charToGlyph
    if not all(ord(ch) in printable for ch in name + front.back_line if not ch.isspace()):
        font = load_font(style.font).ps_name  # letters the printed face lacks (e.g. Māori ā)
    canvas.saveState()
    # Turn the page half-way round: the front panel's own coordinates run from its bottom
    # left (0, 0) once the card is folded and stood up.
    canvas.translate(stock.width, stock.height)
    canvas.rotate(180)
    w, h = panel.w, panel.h
    margin = 0.35 * INCH
    framed = front.motif in FRAMES
    if framed:
        draw_motif(canvas, front.motif, Rect(0, 0, w, h).inset(margin * 0.7), ink)
    picture = Rect(margin * 1.4, h * 0.40, w - margin * 2.8, h * 0.44)
    if front.logo is not None:
        canvas.drawImage(
            str(front.logo),
            picture.x,
            picture.y,
            picture.w,
            picture.h,
            mask="auto",
            preserveAspectRatio=True,
            anchor="c",
        )
    elif not framed:
        draw_motif(canvas, front.motif, picture, ink)
    if name:
        size = _fitted_name(canvas, font, name, w - margin * 3, 20.0)
        has_picture = front.logo is not None or not (framed or front.motif == "none")
        y = h * 0.22 if has_picture else h * 0.5 - size * 0.35
        canvas.setFillColorRGB(*ink)
        canvas.setFont(font, size)
        canvas.drawCentredString(w / 2, y, name, charSpace=size * 0.06)
    canvas.restoreState()
    back = front.back_line.strip()
    if back:
        canvas.saveState()
        canvas.setFillColorRGB(*ink)
        size = _fitted_name(canvas, font, back, stock.width - 2 * margin, 8.0)
        canvas.setFont(font, size)
        canvas.drawCentredString(stock.width / 2, margin, back)
        canvas.restoreState()


def _postcard_divider(canvas: Canvas, stock: CardStock, style: HandStyle) -> None:
    assert stock.address is not None
    x = (stock.message.right + stock.address.x) / 2
    canvas.saveState()
    canvas.setStrokeColorRGB(*INKS[style.ink])
    canvas.setLineWidth(0.6)
    canvas.line(x, stock.message.y + 6, x, stock.message.top - 6)
    canvas.restoreState()


def render_proof(job: CardJob, options: PrintOptions) -> bytes:
    """An on-screen proof of a card whose text does not fit: set at the smallest size and
    running past the printable area, which is outlined in red. Never meant for printing."""
    stock = options.stock()
    lay = card_layout(job, options, (0.0, 0.0))
    buf = io.BytesIO()
    canvas = Canvas(
        buf,
        pagesize=(stock.width, stock.height),
        initialFontName=load_font(options.style.font).ps_name,
    )
    box = message_box(options)
    canvas.saveState()
    canvas.setStrokeColorRGB(0.8, 0.0, 0.1)
    canvas.setDash(4, 3)
    canvas.rect(box.x, box.y, box.w, box.h)
    canvas.restoreState()
    draw_layout(canvas, lay, proof=True)
    canvas.showPage()
    canvas.save()
    return buf.getvalue()


def render_bytes(jobs: list[CardJob], options: PrintOptions) -> bytes:
    """The PDF in memory (for a preview)."""
    buf = io.BytesIO()
    render_pdf(jobs, options, buf)
    return buf.getvalue()
