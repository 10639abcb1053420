"""Reading real PDFs back with poppler: page sizes, fonts, text and rendered pixels."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from PIL import Image, ImageDraw


def _run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True, timeout=120).stdout


def page_sizes(pdf: Path) -> list[tuple[float, float]]:
    """Each page's size in points, as poppler reads it."""
    pages = int(re.search(r"Pages:\s+(\d+)", _run("pdfinfo", str(pdf))).group(1))  # type: ignore[union-attr]
    out = _run("pdfinfo", "-f", "1", "-l", str(pages), str(pdf))
    return [
        (float(w), float(h))
        for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", out)
    ]


def fonts(pdf: Path) -> list[dict[str, str]]:
    """pdffonts' table: name, type and whether each font is embedded."""
    lines = _run("pdffonts", str(pdf)).splitlines()[2:]
    rows = []
    for line in lines:
        parts = line.split()
        # name type [encoding...] emb sub uni object ID
        rows.append({"name": parts[0], "type": " ".join(parts[1:3]), "emb": parts[-5]})
    return rows


def text(pdf: Path) -> str:
    return _run("pdftotext", "-enc", "UTF-8", str(pdf), "-")


def render(pdf: Path, out_dir: Path, dpi: int = 72, page: int | None = None) -> list[Image.Image]:
    """Pages as greyscale images (at 72 dpi one pixel is one point)."""
    prefix = out_dir / pdf.stem
    args = ["pdftoppm", "-gray", "-png", "-r", str(dpi)]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    _run(*args, str(pdf), str(prefix))
    files = sorted(out_dir.glob(pdf.stem + "-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    return [Image.open(f).convert("L") for f in files]


def ink_outside(
    image: Image.Image, allowed: list[tuple[float, float, float, float]], dpi: int = 72
) -> tuple[int, int, int, int] | None:
    """The bounding box (pixels) of dark ink outside every allowed rectangle, or None.

    Rectangles are (x, y, w, h) in PDF points, origin bottom left, grown by a pixel for
    anti-aliasing.
    """
    scale = dpi / 72.0
    h = image.size[1]
    dark = image.point(lambda v: 255 if v < 200 else 0)
    draw = ImageDraw.Draw(dark)
    for x, y, bw, bh in allowed:
        draw.rectangle(
            (x * scale - 1, h - (y + bh) * scale - 1, (x + bw) * scale + 1, h - y * scale + 1),
            fill=0,
        )
    return dark.getbbox()


def ink_inside(image: Image.Image, box: tuple[float, float, float, float], dpi: int = 72) -> int:
    """How many dark pixels fall inside `box`."""
    scale = dpi / 72.0
    x, y, bw, bh = box
    h = image.size[1]
    crop = image.crop(
        (int(x * scale), int(h - (y + bh) * scale), int((x + bw) * scale), int(h - y * scale))
    )
    dark = crop.point(lambda v: 255 if v < 200 else 0)
    return int(dark.histogram()[255])


def words(pdf: Path, page: int) -> list[tuple[str, float, float, float, float]]:
    """Each word on `page` (1-based) with its box in points, origin top left, as poppler
    reads it: (word, x_min, y_min, x_max, y_max)."""
    out = _run("pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(pdf), "-")
    found = re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', out
    )
    return [(w, float(a), float(b), float(c), float(d)) for a, b, c, d, w in found]
