"""Write the Windows .ico and the macOS .icns from the app's PNG set (Pillow writes both).

    python packaging/make_icons.py   ->  packaging/windows/deckfollow.ico
                                         packaging/macos/deckfollow.icns
Each size comes from the PNG drawn for it (16-24 px are redrawn on their pixel grid), not
from one image scaled down.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
ICONS = ROOT / "deckfollow" / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)


def main() -> None:
    images = {size: Image.open(ICONS / f"deckfollow-{size}.png").convert("RGBA") for size in SIZES}
    largest = images[256]
    ico = ROOT / "packaging" / "windows" / "deckfollow.ico"
    ico.parent.mkdir(parents=True, exist_ok=True)
    largest.save(
        ico,
        format="ICO",
        sizes=[(s, s) for s in SIZES],
        append_images=[images[s] for s in SIZES if s != 256],
    )
    icns = ROOT / "packaging" / "macos" / "deckfollow.icns"
    icns.parent.mkdir(parents=True, exist_ok=True)
    # macOS wants 512 and 1024 for Retina Finder views: drawn up from the 256 px PNG, the
    # largest the set holds (the drawing is simple flat shapes, so it scales cleanly).
    big = [largest.resize((n, n), Image.Resampling.LANCZOS) for n in (512, 1024)]
    big[-1].save(icns, format="ICNS", append_images=[images[s] for s in (16, 32, 64, 128, 256)] + big[:1])
    print(f"wrote {ico.relative_to(ROOT)} and {icns.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
