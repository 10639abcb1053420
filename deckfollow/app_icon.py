"""deckfollow's own icon: where its files are, and a copy in the user's icon theme on Linux.

A quote card with a tick, drawn by hand as `resources/icons/deckfollow.svg`, with PNGs at the
sizes desktops ask for (16, 22 and 24 px redrawn on their pixel grid so the tray icon stays
sharp; `scripts/render-icons.py` renders them). No Qt here: the window and tray (ui), the
desktop notifications and the login entry (reminders) all take the icon from this module.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

ICON_NAME = "deckfollow"
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256)
# Notification daemons draw the app icon at 32-64 px: they scale this one down, never up.
NOTIFICATION_SIZE = 64


def icon_dir() -> Path:
    """The folder holding the SVG and the PNGs."""
    return Path(str(resources.files("deckfollow") / "resources" / "icons"))


def icon_png(size: int) -> Path:
    """The PNG drawn for `size` px (one of ICON_SIZES)."""
    if size not in ICON_SIZES:
        raise ValueError(f"no {size} px icon; sizes: {', '.join(map(str, ICON_SIZES))}")
    return icon_dir() / f"{ICON_NAME}-{size}.png"


def icon_svg() -> Path:
    """The scalable drawing."""
    return icon_dir() / f"{ICON_NAME}.svg"


def notification_icon() -> str:
    """The icon for desktop notifications, as the file:// URI the notification spec takes
    (a theme name would only work where the icon was installed into the theme)."""
    return icon_png(NOTIFICATION_SIZE).resolve().as_uri()


def user_data_home(home: Path | None = None) -> Path:
    """$XDG_DATA_HOME (~/.local/share by default), or that folder under `home`."""
    if home is not None:
        return home / ".local" / "share"
    raw = os.environ.get("XDG_DATA_HOME")
    return Path(raw) if raw and os.path.isabs(raw) else Path.home() / ".local" / "share"


def theme_files(data_home: Path) -> dict[Path, Path]:
    """Where each icon file goes in the user's hicolor theme (source -> destination)."""
    hicolor = data_home / "icons" / "hicolor"
    files = {
        icon_png(size): hicolor / f"{size}x{size}" / "apps" / f"{ICON_NAME}.png"
        for size in ICON_SIZES
    }
    files[icon_svg()] = hicolor / "scalable" / "apps" / f"{ICON_NAME}.svg"
    return files


def install_in_icon_theme(data_home: Path | None = None) -> list[Path]:
    """Copy the icon into the user's hicolor theme, so a desktop entry can say
    `Icon=deckfollow`; returns the files written (none when they were already current).

    Each file is replaced whole. Raises OSError when the folder cannot be written.
    """
    base = data_home if data_home is not None else user_data_home()
    written: list[Path] = []
    for source, target in theme_files(base).items():
        data = source.read_bytes()
        if target.is_file() and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, target)
        written.append(target)
    if written:
        # Icon caches (gtk-update-icon-cache) are trusted while they are newer than the
        # theme's own folder: touching it makes desktops look again, as xdg-icon-resource does.
        os.utime(base / "icons" / "hicolor")
    return written
