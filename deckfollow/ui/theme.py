"""The app's screen colours by role, in a light and a dark set chosen from the palette.

Every colour a screen draws that is not a palette role comes from here. Each text role
reads at 4.5:1 or better on the palette's window, base and alternate-base colours (and each
banner's text on its own banner background); edges and chart marks reach 3:1 on the base
colour (WCAG 2.1, 1.4.3 and 1.4.11). Light or dark is decided by the window colour's
lightness, so a dark system palette gets the dark set. Printed cards keep their paper
colours in `deckfollow.printing`.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QGuiApplication, QPalette


@dataclass(frozen=True)
class Theme:
    """Colours by role, as `#rrggbb` strings (ready for a style sheet or `QColor`)."""

    dark: bool
    # Text on the window, base or alternate-base colour.
    muted_text: str
    overdue_text: str
    agreed_text: str
    cold_text: str
    new_lead_text: str
    warning_text: str
    error_text: str
    success_text: str
    follow_up_text: str
    # Pipeline column headings, one per stage (text).
    stage_lead: str
    stage_quoted: str
    stage_following_up: str
    stage_won: str
    stage_lost: str
    stage_parked: str
    # Marks (3:1 on base): the edge on a going-cold card, a card's quiet border, scroll handle.
    cold_edge: str
    card_border: str
    scroll_handle: str
    # Banners: background, text, quieter text, border.
    warning_banner_bg: str
    warning_banner_fg: str
    warning_banner_muted: str
    warning_banner_border: str
    error_banner_bg: str
    error_banner_fg: str
    error_banner_border: str
    # Highlighted template fields and import rows: background with its own text colour.
    missing_field_bg: str
    unknown_field_bg: str
    highlight_fg: str
    row_problem_bg: str
    row_duplicate_bg: str
    row_warning_bg: str
    # The grey desk the card preview sits on, and the text on it.
    desk_bg: str
    desk_fg: str
    # Chart bars (3:1 on base), colour-blind-safe order.
    chart_series: tuple[str, ...]

    def stage(self, key: str) -> str:
        """The heading colour of a pipeline stage, by the stage's value name."""
        return str(getattr(self, f"stage_{key}"))


LIGHT = Theme(
    dark=False,
    muted_text="#555555",
    overdue_text="#b3261e",
    agreed_text="#17733a",
    cold_text="#1f5fa8",
    new_lead_text="#a34e00",
    warning_text="#8a4b00",
    error_text="#b00020",
    success_text="#1b5e20",
    follow_up_text="#6a4c93",
    stage_lead="#a34e00",
    stage_quoted="#6750a4",
    stage_following_up="#2f6db5",
    stage_won="#17733a",
    stage_lost="#5f6368",
    stage_parked="#7a6200",
    cold_edge="#2f6db5",
    card_border="#d0d4da",
    scroll_handle="#c3c7cf",
    warning_banner_bg="#fff4ce",
    warning_banner_fg="#3d3000",
    warning_banner_muted="#5c4a00",
    warning_banner_border="#e6d28a",
    error_banner_bg="#fde8e8",
    error_banner_fg="#8a1010",
    error_banner_border="#e0a0a0",
    missing_field_bg="#ffe08a",
    unknown_field_bg="#ffb3b3",
    highlight_fg="#202124",
    row_problem_bg="#fde2e1",
    row_duplicate_bg="#eceff1",
    row_warning_bg="#fff4d6",
    desk_bg="#6b7079",
    desk_fg="#ffffff",
    chart_series=("#2a7fc9", "#10875c", "#c8561a", "#b0508a", "#8a6d00"),
)

DARK = Theme(
    dark=True,
    muted_text="#b4b4b4",
    overdue_text="#ff9c94",
    agreed_text="#6fd08c",
    cold_text="#8ab8f0",
    new_lead_text="#ffab66",
    warning_text="#f0b860",
    error_text="#ff9c9c",
    success_text="#7fd68f",
    follow_up_text="#c7aef2",
    stage_lead="#ffab66",
    stage_quoted="#c3b1f0",
    stage_following_up="#8ab8f0",
    stage_won="#6fd08c",
    stage_lost="#b4b8c0",
    stage_parked="#e6c84d",
    cold_edge="#6aa3e8",
    card_border="#5a5e66",
    scroll_handle="#6a6e75",
    warning_banner_bg="#4a3c00",
    warning_banner_fg="#ffefb3",
    warning_banner_muted="#e6d79a",
    warning_banner_border="#8a7320",
    error_banner_bg="#5c1a1a",
    error_banner_fg="#ffd6d6",
    error_banner_border="#a04848",
    missing_field_bg="#6b5300",
    unknown_field_bg="#7a2a2a",
    highlight_fg="#ffffff",
    row_problem_bg="#5c2424",
    row_duplicate_bg="#3f444a",
    row_warning_bg="#4a3c00",
    desk_bg="#1e1f22",
    desk_fg="#e8e8e8",
    chart_series=("#5aa9f0", "#3cc48f", "#f08a4b", "#e08cc0", "#e6c030"),
)


def is_dark(palette: QPalette) -> bool:
    """A palette is dark when its window colour is darker than mid-grey."""
    return palette.color(QPalette.ColorRole.Window).lightnessF() < 0.5


def theme_for(palette: QPalette | None = None) -> Theme:
    """The colour set for `palette` (the application's palette when not given)."""
    pal = palette if palette is not None else QGuiApplication.palette()
    return DARK if is_dark(pal) else LIGHT


def active_theme() -> Theme:
    """The colour set for the application's palette now."""
    return theme_for(None)


def color(value: str) -> QColor:
    """A theme value as a `QColor`."""
    return QColor(value)


def relative_luminance(c: QColor) -> float:
    """WCAG relative luminance of an opaque colour."""

    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())


def contrast(a: QColor | str, b: QColor | str) -> float:
    """WCAG contrast ratio between two colours (1 to 21)."""
    la, lb = relative_luminance(QColor(a)), relative_luminance(QColor(b))
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def fusion_dark_palette() -> QPalette:
    """Fusion's dark colours as a palette: what a dark desktop hands the app."""
    pal = QPalette(QColor("#353535"), QColor("#353535"))
    roles = QPalette.ColorRole
    for role, value in (
        (roles.Window, "#353535"),
        (roles.WindowText, "#ffffff"),
        (roles.Base, "#2a2a2a"),
        (roles.AlternateBase, "#424242"),
        (roles.ToolTipBase, "#ffffff"),
        (roles.ToolTipText, "#353535"),
        (roles.Text, "#ffffff"),
        (roles.Button, "#353535"),
        (roles.ButtonText, "#ffffff"),
        (roles.BrightText, "#ff5555"),
        (roles.Link, "#6aa3e8"),
        (roles.Highlight, "#2a82da"),
        (roles.HighlightedText, "#ffffff"),
        (roles.PlaceholderText, "#a0a0a0"),
    ):
        pal.setColor(role, QColor(value))
    disabled = QPalette.ColorGroup.Disabled
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        pal.setColor(disabled, role, QColor("#8a8a8a"))
    return pal
