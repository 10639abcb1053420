"""Render every card wording and every piece of stationery at 300 dpi, and the card images
in docs/screenshots (run after changing how cards are drawn).

    .venv/bin/python scripts/render-card-samples.py [OUT_DIR]

OUT_DIR (default /tmp/deckfollow-cards) receives one PDF and 300 dpi PNGs per sample, to
look at before the smaller images in docs/screenshots are replaced. Needs poppler's
pdftoppm on the PATH.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from PIL import Image

from deckfollow.core.enums import TemplateKind
from deckfollow.core.merge_fields import render_template, sample_context
from deckfollow.messaging.templates import BUILTIN_TEMPLATES
from deckfollow.printing.handwriting import HandStyle
from deckfollow.printing.render import Address, CardFront, CardJob, PrintOptions, render_pdf

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "screenshots"
RETURN = Address("Carpenter Decks", ("12 Timber Lane", "Marrickville NSW 2204"))
RECIPIENT = Address("Renée Müller-Peña", ("4/17 Wattle Street", "Paddington NSW 2021"))
FRONT = CardFront("Carpenter Decks", "sprig", None, "Carpenter Decks · 0412 555 019")
DATE = "5 December 2026"
GREY = (138, 143, 152)


def _pngs(pdf: Path, dpi: int) -> list[Image.Image]:
    prefix = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(prefix)], check=True)
    files = sorted(
        pdf.parent.glob(prefix.name + "-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1])
    )
    return [Image.open(f).convert("RGB") for f in files]


def _sheet(pages: list[Image.Image], height: int) -> Image.Image:
    """Pages side by side on grey, each scaled to `height` pixels, with a little shadow."""
    scaled = [p.resize((round(p.width * height / p.height), height), Image.LANCZOS) for p in pages]
    gap = 24
    out = Image.new(
        "RGB", (sum(p.width for p in scaled) + gap * (len(scaled) + 1), height + 2 * gap), GREY
    )
    x = gap
    for p in scaled:
        out.paste((110, 114, 122), (x + 4, gap + 4, x + 4 + p.width, gap + 4 + p.height))
        out.paste(p, (x, gap))
        x += p.width + gap
    return out


def _folded_views(inside: Image.Image, outside: Image.Image) -> list[Image.Image]:
    """The folded card as it is held: its front (the outside's top half, turned), then the
    inside opened flat."""
    turned = outside.rotate(180)
    front = turned.crop((0, turned.height // 2, turned.width, turned.height))
    return [front, inside]


def _write(out: Path, name: str, jobs: list[CardJob], options: PrintOptions) -> list[Image.Image]:
    pdf = out / f"{name}.pdf"
    render_pdf(jobs, options, pdf)
    return _pngs(pdf, 300)


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/tmp/deckfollow-cards")
    out.mkdir(parents=True, exist_ok=True)
    ctx = sample_context()
    texts = {
        t.key: render_template(t.body, ctx).text
        for t in BUILTIN_TEMPLATES
        if t.kind is TemplateKind.CARD
    }
    thank_you = texts["card_thank_you_quote"]
    base = PrintOptions(return_address=RETURN, front=FRONT, date_text=DATE)
    # Every wording on the folded A6 card, every motif on its front.
    for i, (key, text) in enumerate(texts.items()):
        motif = ("sprig", "sun", "house", "border", "sprig")[i % 5]
        job = CardJob(text, RECIPIENT, 11 + i, key)
        options = replace(base, card="a6-folded", envelope=None, front=replace(FRONT, motif=motif))
        _write(out, f"wording-{key}", [job], options)
    job = CardJob(thank_you, RECIPIENT, 7, "sample")
    a6 = _write(out, "a6-folded-c6", [job], replace(base, card="a6-folded", envelope="match"))
    a2 = _write(
        out,
        "a2-folded-a2",
        [job],
        replace(base, card="a2-folded", envelope="match", date_text="December 5, 2026"),
    )
    flat = _write(
        out,
        "a6-breip-sepia",
        [job],
        replace(base, card="a6", envelope=None, style=HandStyle(font="breip", ink="sepia")),
    )
    a7 = _write(out, "a7-kalam-envelope", [job], replace(base, card="a7", envelope="match"))
    post = _write(
        out,
        "postcard-kristi",
        [job],
        replace(base, card="postcard-4x6", envelope=None, style=HandStyle(font="kristi")),
    )
    for env in ("dl", "no10"):
        _write(out, f"envelope-{env}", [job], replace(base, card="a6", envelope=env))
    many = [replace(job, seed=20 + i, label=str(i)) for i in range(9)]
    labels_a4 = _write(
        out, "labels-l7160", many, replace(base, card="a6", envelope=None, labels="l7160")
    )
    labels_us = _write(
        out, "labels-avery-5160", many, replace(base, card="a6", envelope=None, labels="avery-5160")
    )
    DOCS.mkdir(parents=True, exist_ok=True)
    _sheet([*_folded_views(a6[0], a6[1]), a6[2]], 520).save(
        DOCS / "card-sample-a6-folded-front.png"
    )
    _sheet([*_folded_views(a2[0], a2[1]), a2[2]], 520).save(
        DOCS / "card-sample-a2-folded-front.png"
    )
    _sheet(flat[:1], 330).save(DOCS / "card-sample-a6-breip-sepia.png")
    _sheet(a7[:2], 420).save(DOCS / "card-sample-a7-kalam-envelope.png")
    _sheet(post[:1], 320).save(DOCS / "card-sample-postcard-kristi.png")
    _sheet([labels_a4[-1], labels_us[-1]], 560).save(DOCS / "card-sample-label-sheets.png")
    print(f"300 dpi renders in {out}; images in {DOCS}")


if __name__ == "__main__":
    main()
