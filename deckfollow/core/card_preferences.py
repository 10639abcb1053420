"""How the owner's cards are made: stationery that suits the business's country, the units
people there measure paper in, the card's front, and the date line as it is written there.

The stationery keys are plain strings (the printing package knows their sizes); this module
only decides which ones a business starts with and remembers what the owner chose.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Literal

from sqlalchemy.orm import Session

from deckfollow.core.settings import get_setting, load_settings, set_setting

Units = Literal["mm", "in"]

# Where US Letter and the US card and envelope sizes are what the shops sell; everywhere
# else A sizes rule (ISO 216), with C6/DL envelopes and A4 label sheets.
LETTER_COUNTRIES = frozenset(
    {"US", "CA", "MX", "PR", "PH", "CL", "CO", "VE", "GT", "CR", "PA", "DO", "SV", "NI", "BZ"}
)
# Where people talk about paper in inches (elsewhere, millimetres, even on Letter paper).
INCH_COUNTRIES = frozenset({"US", "CA", "PR", "LR"})
# Where the month comes before the day ("December 5, 2026").
MONTH_FIRST_COUNTRIES = frozenset({"US", "CA", "PR", "PH", "FM", "MH", "PW"})

MOTIFS: dict[str, str] = {
    "none": "No picture",
    "sprig": "A leafy sprig",
    "sun": "A rising sun",
    "house": "A house with its deck",
    "border": "A simple border",
}

_PREFIX = "cards."


@dataclass(frozen=True)
class CardPreferences:
    """The owner's card choices; every field is remembered under `cards.<field>`."""

    card: str
    label_sheet: str  # the address-label sheet sold there (used when labels are printed)
    units: Units
    envelope: str = "match"  # an envelope key, "match" (the card's own) or "none"
    labels: bool = False  # print address labels as well as (or instead of) envelopes
    motif: str = "sprig"
    logo: str = ""  # path of the owner's PNG/JPEG logo; "" for none (the motif is used)
    font: str = "kalam"
    ink: str = "blue-black"
    date_line: bool = True  # write today's date at the top of the inside

    @property
    def labels_choice(self) -> str | None:
        return self.label_sheet if self.labels else None

    @property
    def envelope_choice(self) -> str | None:
        return None if self.envelope == "none" else self.envelope


def uses_a_sizes(country: str) -> bool:
    return country.strip().upper() not in LETTER_COUNTRIES


def default_units(country: str) -> Units:
    return "in" if country.strip().upper() in INCH_COUNTRIES else "mm"


def country_defaults(country: str) -> CardPreferences:
    """What a business in `country` starts with before choosing anything."""
    units = default_units(country)
    if uses_a_sizes(country):
        return CardPreferences("a6-folded", "l7160", units)
    return CardPreferences("a2-folded", "avery-5160", units)


def load_card_preferences(session: Session) -> CardPreferences:
    """The owner's choices, with the country's defaults for anything never chosen."""
    prefs = country_defaults(load_settings(session).default_country)
    stored: dict[str, object] = {}
    for f in fields(CardPreferences):
        raw = get_setting(session, _PREFIX + f.name)
        if raw is None:
            continue
        if f.name in ("date_line", "labels"):
            stored[f.name] = raw == "1"
        elif f.name == "units":
            if raw in ("mm", "in"):
                stored[f.name] = raw
        else:
            stored[f.name] = raw
    return replace(prefs, **stored)  # type: ignore[arg-type]


def save_card_preferences(session: Session, prefs: CardPreferences) -> None:
    """Remember every choice (unchanged ones too, so a later country change keeps them)."""
    for f in fields(CardPreferences):
        value = getattr(prefs, f.name)
        if isinstance(value, bool):
            value = "1" if value else "0"
        set_setting(session, _PREFIX + f.name, str(value))


_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def written_date(day: date, country: str) -> str:
    """The date as a person there writes it at the top of a card: "5 December 2026", or
    "December 5, 2026" where the month comes first."""
    month = _MONTHS[day.month - 1]
    if country.strip().upper() in MONTH_FIRST_COUNTRIES:
        return f"{month} {day.day}, {day.year}"
    return f"{day.day} {month} {day.year}"
