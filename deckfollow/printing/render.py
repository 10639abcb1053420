"""Cards, envelopes and label sheets into one PDF, checked before anything is written.

`check_cards` sets every card, envelope and label first and returns what would not print
as it should (text too long even at the smallest size, letters no font can write). The
PDF is only written when that list is empty, so nothing is ever cut off on paper.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO

from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from deckfollow.core.errors import ValidationError
from deckfollow.printing.fonts import load as load_font
from deckfollow.printing.handwriting import (
    INKS,
    HandLayout,
    HandStyle,
    draw_layout,
    layout_text,
)
from deckfollow.printing.stationery import (
    INCH,
    CardStock,
    Envelope,
    LabelSheet,
    card_stock,
    envelope,
    label_sheet,
)

MATCH = "match"  # the envelope that fits the card
NOTE_LIFT = 0.25  # a short note sits a little below the top, as a person would place it


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
class PrintOptions:
    card: str = "a2-folded"
    style: HandStyle = field(default_factory=HandStyle)
    envelope: str | None = MATCH  # an envelope key, MATCH, or None for no envelopes
    labels: str | None = None  # a label sheet key, instead of (or as well as) envelopes
    start_label: int = 1  # the first free label on a partly used sheet (1 = top left)
    return_address: Address | None = None
    signature: Path | None = None  # a scanned signature (PNG/JPEG), written under the text
    signature_height: float = 0.55 * INCH

    def stock(self) -> CardStock:
        return card_stock(self.card)

    def envelope_stock(self) -> Envelope | None:
        if self.envelope is None:
            return None
        if self.envelope == MATCH:
            key = self.stock().envelope
            return envelope(key) if key is not None else None
        return envelope(self.envelope)

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
    path = options.signature
    if not path.is_file():
        raise ValidationError("signature", f"there is no image file {str(path)!r}")
    try:
        w, h = ImageReader(str(path)).getSize()
    except OSError as exc:  # unreadable, or not an image PIL knows (UnidentifiedImageError)
        raise ValidationError(
            "signature", f"{path.name} cannot be read as a PNG or JPEG image"
        ) from exc
    height = options.signature_height
    return height, height * (w / h if h else 1.0)


def check_options(options: PrintOptions) -> None:
    """Refuse a choice that cannot print (unknown stationery, font or ink, a start label off
    the sheet, a signature that is no image) before any card is set."""
    options.style.check()
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
        options.stock().message,
        options.style,
        seed=job.seed,
        signature_height=sig_h,
        signature_width=sig_w,
        lift=NOTE_LIFT,
    )


@dataclass
class _Planned:
    job: CardJob
    card: HandLayout
    address: HandLayout | None  # postcards carry the address themselves
    envelope: tuple[HandLayout | None, HandLayout] | None  # return, recipient
    label: HandLayout | None


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
        needs_address = stock.address is not None or env is not None or sheet is not None
        if needs_address and (job.recipient is None or not job.recipient.complete):
            problems.append(CardProblem(label, "address", "no postal address to write on it"))
            planned.append(_Planned(job, card, None, None, None))
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
        planned.append(_Planned(job, card, address, env_layouts, lab))
    return planned, problems


def check_cards(jobs: list[CardJob], options: PrintOptions) -> list[CardProblem]:
    """Everything that would not print as it should; empty when the batch is ready."""
    return _plan(jobs, options)[1]


def render_pdf(
    jobs: list[CardJob], options: PrintOptions, out: Path | BinaryIO, *, title: str = "Cards"
) -> RenderSummary:
    """Write every card, then its envelopes, then the label sheets, into one PDF.

    Raises CardsDoNotFit (nothing written) if anything would be cut off or unwritable.
    """
    planned, problems = _plan(jobs, options)
    if problems:
        raise CardsDoNotFit(problems)
    if not planned:
        raise ValidationError("cards", "there are no cards to print")
    stock = options.stock()
    env = options.envelope_stock()
    sheet = options.label_stock()
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
    for p in planned:
        canvas.setPageSize((stock.width, stock.height))
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
    canvas.save()
    sizes = tuple(p.card.size for p in planned)
    return RenderSummary(len(planned), n_env, n_labels, pages, sizes)


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
    box = stock.message
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
