"""The small pictures a card's front can carry, drawn in code (ours, no artwork to license).

Each motif is drawn into a box in the colour given, with strokes a home printer keeps
crisp; the box is where the picture may go, and the picture keeps its own proportions
inside it (centred).
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Callable

from reportlab.pdfgen.canvas import Canvas

from deckfollow.core.errors import ValidationError
from deckfollow.printing.stationery import Rect

Colour = tuple[float, float, float]


def _square(box: Rect) -> tuple[float, float, float]:
    """The centre and side of the largest square in `box`."""
    side = min(box.w, box.h)
    return box.x + box.w / 2, box.y + box.h / 2, side


def _sprig(c: Canvas, box: Rect, colour: Colour) -> None:
    cx, cy, s = _square(box)
    c.setStrokeColorRGB(*colour)
    c.setFillColorRGB(*colour)
    c.setLineWidth(max(0.8, s * 0.018))
    c.setLineCap(1)
    # A gently curving stem from the bottom left to the top right.
    x0, y0 = cx - s * 0.32, cy - s * 0.40
    x1, y1 = cx + s * 0.30, cy + s * 0.42
    stem = c.beginPath()
    stem.moveTo(x0, y0)
    stem.curveTo(cx - s * 0.05, cy - s * 0.22, cx - s * 0.02, cy + s * 0.20, x1, y1)
    c.drawPath(stem, stroke=1, fill=0)

    def point(t: float) -> tuple[float, float, float]:
        # A point on the stem's Bézier curve and the stem's direction there.
        p = [(x0, y0), (cx - s * 0.05, cy - s * 0.22), (cx - s * 0.02, cy + s * 0.20), (x1, y1)]
        u = 1 - t
        x = u**3 * p[0][0] + 3 * u * u * t * p[1][0] + 3 * u * t * t * p[2][0] + t**3 * p[3][0]
        y = u**3 * p[0][1] + 3 * u * u * t * p[1][1] + 3 * u * t * t * p[2][1] + t**3 * p[3][1]
        dx = 3 * u * u * (p[1][0] - p[0][0]) + 6 * u * t * (p[2][0] - p[1][0])
        dx += 3 * t * t * (p[3][0] - p[2][0])
        dy = 3 * u * u * (p[1][1] - p[0][1]) + 6 * u * t * (p[2][1] - p[1][1])
        dy += 3 * t * t * (p[3][1] - p[2][1])
        return x, y, math.degrees(math.atan2(dy, dx))

    for i, t in enumerate((0.18, 0.32, 0.46, 0.60, 0.74, 0.88)):
        x, y, angle = point(t)
        side = 1 if i % 2 == 0 else -1
        length = s * (0.25 - 0.10 * t)
        c.saveState()
        c.translate(x, y)
        c.rotate(angle + side * 48)
        leaf = c.beginPath()
        leaf.moveTo(0, 0)
        leaf.curveTo(length * 0.3, length * 0.28, length * 0.75, length * 0.22, length, 0)
        leaf.curveTo(length * 0.75, -length * 0.22, length * 0.3, -length * 0.28, 0, 0)
        c.drawPath(leaf, stroke=0, fill=1)
        c.restoreState()
    # A leaf at the tip.
    x, y, angle = point(1.0)
    c.saveState()
    c.translate(x, y)
    c.rotate(angle)
    tip = s * 0.11
    leaf = c.beginPath()
    leaf.moveTo(0, 0)
    leaf.curveTo(tip * 0.3, tip * 0.3, tip * 0.75, tip * 0.22, tip, 0)
    leaf.curveTo(tip * 0.75, -tip * 0.22, tip * 0.3, -tip * 0.3, 0, 0)
    c.drawPath(leaf, stroke=0, fill=1)
    c.restoreState()


def _sun(c: Canvas, box: Rect, colour: Colour) -> None:
    cx, cy, s = _square(box)
    c.setStrokeColorRGB(*colour)
    c.setFillColorRGB(*colour)
    c.setLineWidth(max(0.8, s * 0.02))
    c.setLineCap(1)
    horizon = cy - s * 0.18
    r = s * 0.24
    # The sun half risen over the horizon, with rays fanning out above it.
    c.wedge(cx - r, horizon - r, cx + r, horizon + r, 0, 180, stroke=0, fill=1)
    for i in range(9):
        a = math.radians(10 + i * 20)
        inner, outer = r * 1.25, r * (1.75 if i % 2 == 0 else 1.55)
        c.line(
            cx + inner * math.cos(a),
            horizon + inner * math.sin(a),
            cx + outer * math.cos(a),
            horizon + outer * math.sin(a),
        )
    c.line(cx - s * 0.46, horizon, cx + s * 0.46, horizon)
    c.setLineWidth(max(0.6, s * 0.012))
    for dy, half in ((s * 0.08, 0.30), (s * 0.15, 0.18)):
        c.line(cx - s * half, horizon - dy, cx + s * half, horizon - dy)


def _house(c: Canvas, box: Rect, colour: Colour) -> None:
    cx, cy, s = _square(box)
    c.setStrokeColorRGB(*colour)
    c.setLineWidth(max(0.8, s * 0.018))
    c.setLineJoin(1)
    c.setLineCap(1)
    ground = cy - s * 0.36
    left, right = cx - s * 0.42, cx + s * 0.08
    wall_top = ground + s * 0.38
    # The house: walls, a pitched roof, a door and a window.
    outline = c.beginPath()
    outline.moveTo(left, ground)
    outline.lineTo(left, wall_top)
    outline.lineTo((left + right) / 2, wall_top + s * 0.26)
    outline.lineTo(right, wall_top)
    outline.lineTo(right, ground)
    c.drawPath(outline, stroke=1, fill=0)
    c.line(left - s * 0.05, wall_top - s * 0.03, (left + right) / 2, wall_top + s * 0.29)
    c.line((left + right) / 2, wall_top + s * 0.29, right + s * 0.05, wall_top - s * 0.03)
    c.rect(left + s * 0.08, ground, s * 0.11, s * 0.21, stroke=1, fill=0)
    c.rect(right - s * 0.20, ground + s * 0.17, s * 0.12, s * 0.10, stroke=1, fill=0)
    c.line(right - s * 0.14, ground + s * 0.17, right - s * 0.14, ground + s * 0.27)
    # The deck: boards on posts along the right of the house, with a railing.
    deck_y = ground + s * 0.08
    deck_right = cx + s * 0.44
    c.line(right, deck_y, deck_right, deck_y)
    c.line(right, deck_y - s * 0.02, deck_right, deck_y - s * 0.02)
    for x in (right + s * 0.03, (right + deck_right) / 2, deck_right - s * 0.02):
        c.line(x, ground, x, deck_y - s * 0.02)
    rail_y = deck_y + s * 0.14
    c.line(right, rail_y, deck_right, rail_y)
    steps = 7
    for i in range(steps + 1):
        x = right + (deck_right - right) * i / steps
        c.line(x, deck_y, x, rail_y)
    c.line(cx - s * 0.48, ground, cx + s * 0.48, ground)


def _border(c: Canvas, box: Rect, colour: Colour) -> None:
    c.setStrokeColorRGB(*colour)
    c.setFillColorRGB(*colour)
    outer = box
    inner = box.inset(min(box.w, box.h) * 0.035)
    c.setLineWidth(1.4)
    c.rect(outer.x, outer.y, outer.w, outer.h, stroke=1, fill=0)
    c.setLineWidth(0.5)
    c.rect(inner.x, inner.y, inner.w, inner.h, stroke=1, fill=0)
    # A small diamond at each corner, between the two lines.
    d = min(box.w, box.h) * 0.03
    for x, y in (
        (outer.x, outer.y),
        (outer.right, outer.y),
        (outer.x, outer.top),
        (outer.right, outer.top),
    ):
        p = c.beginPath()
        p.moveTo(x, y - d)
        p.lineTo(x + d, y)
        p.lineTo(x, y + d)
        p.lineTo(x - d, y)
        p.close()
        c.drawPath(p, stroke=0, fill=1)


_DRAW: dict[str, Callable[[Canvas, Rect, Colour], None]] = {
    "sprig": _sprig,
    "sun": _sun,
    "house": _house,
    "border": _border,
}
# A border frames the whole front; the others are a picture above the name.
FRAMES = frozenset({"border"})


def check_motif(key: str) -> None:
    if key != "none" and key not in _DRAW:
        choices = ", ".join(["none", *_DRAW])
        raise ValidationError("motif", f"no motif {key!r} (choose {choices})")


# Per canvas, the page operators each motif wrote: a batch puts the same picture on every
# card, so it is worked out once and its operators repeated. Drawn between saveState and
# restoreState, a motif leaves the canvas's own state as it found it.
_drawn: weakref.WeakKeyDictionary[Canvas, dict[tuple[str, Rect, Colour], list[str]]] = (
    weakref.WeakKeyDictionary()
)


def draw_motif(canvas: Canvas, key: str, box: Rect, colour: Colour) -> None:
    """Draw motif `key` into `box` ("none" draws nothing)."""
    check_motif(key)
    if key == "none":
        return
    drawn = _drawn.get(canvas)
    if drawn is None:
        drawn = _drawn[canvas] = {}
    ops = drawn.get((key, box, colour))
    if ops is not None:
        canvas._code.extend(ops)
        return
    start = len(canvas._code)
    canvas.saveState()
    _DRAW[key](canvas, box, colour)
    canvas.restoreState()
    drawn[(key, box, colour)] = canvas._code[start:]
