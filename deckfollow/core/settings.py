"""Owner preferences stored in the database (never secrets)."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from deckfollow.core import limits
from deckfollow.core.changes import Changes
from deckfollow.core.contact_info import normalise_phone
from deckfollow.core.country_zones import main_zone
from deckfollow.core.errors import ValidationError
from deckfollow.core.models import Setting
from deckfollow.core.owner_settings import INT_FIELDS, OwnerSettings, settings_from_stored
from deckfollow.core.places import (
    country_code,
    country_of_zone,
    currency_code,
    region_code,
    regions_of,
)
from deckfollow.core.timezones import system_country, zone_named

# OwnerSettings is a plain value of `owner_settings` (read also without SQLAlchemy), named
# here too beside the services that read and write it.
__all__ = [
    "OwnerSettings",
    "clean_setting",
    "get_setting",
    "load_settings",
    "save_owner_settings",
    "save_setting",
    "set_setting",
    "setting_label",
    "stored_setting_names",
]

_INT_RANGES = {"weekly_cap": (1, 7), "going_cold_days": (3, 90)}

_LABELS = {
    "business_name": "business",
    "owner_name": "owner",
    "owner_phone": "cell",
    "business_address": "address",
    "default_country": "country",
    "owner_region": "region",
    "owner_timezone": "timezone",
    "currency": "currency",
    "weekly_cap": "weekly-cap",
    "going_cold_days": "going-cold-days",
}


def setting_label(name: str) -> str:
    """The short name of a setting, as the command line and error messages say it."""
    return _LABELS.get(name, name)


def stored_country(session: Session) -> str | None:
    """The owner's country as saved (None until they chose one)."""
    return session.scalar(select(Setting.value).where(Setting.key == "default_country"))


def load_settings(session: Session) -> OwnerSettings:
    """Settings with defaults for anything never set."""
    return settings_from_stored(dict(session.execute(select(Setting.key, Setting.value)).all()))


def stored_setting_names(session: Session) -> set[str]:
    """Which owner settings were chosen (the rest come from this computer or a default)."""
    names = set(OwnerSettings.__dataclass_fields__)
    return set(session.execute(select(Setting.key).where(Setting.key.in_(names))).scalars())


def clean_setting(name: str, value: str | int, *, country: str | None = None) -> str:
    """The value as stored, or a ValidationError naming the setting (`country` for a region
    or a cell number: the owner's country they are read in)."""
    label = setting_label(name)
    text = str(value).strip()
    limits.check_length(
        label, text, limits.ADDRESS if name == "business_address" else limits.SETTING
    )
    if name in INT_FIELDS:
        low, high = _INT_RANGES[name]
        try:
            number = int(text)
        except ValueError:
            raise ValidationError(label, f"{text!r} is not a whole number") from None
        if not low <= number <= high:
            raise ValidationError(label, f"must be between {low} and {high}")
        return str(number)
    if name == "default_country":
        code = country_code(text)
        if code is None:
            raise ValidationError(label, f"{text!r} is not a country (use a code: AU, US, GB …)")
        return code
    if name == "owner_timezone":
        zone_name = zone_named(text)
        if zone_name is None:
            raise ValidationError(
                label, f"{text!r} is not an IANA time zone (e.g. Australia/Sydney)"
            )
        return zone_name
    if name == "currency":
        code = currency_code(text)
        if code is None:
            raise ValidationError(label, f"{text!r} is not an ISO currency code (AUD, USD, GBP …)")
        return code
    if name == "owner_region":
        if not text:
            return ""
        where = country or system_country()
        code = region_code(where, text)
        if code is None:
            raise ValidationError(label, f"{text!r} is not a state or region of {where}")
        return code
    if name == "owner_phone" and text:
        return normalise_phone(text, country or system_country(), label)
    if name not in OwnerSettings.__dataclass_fields__:
        raise ValidationError(name, "is not a setting")
    return " ".join(text.split()) if name != "business_address" else text


def save_owner_settings(
    session: Session, values: Mapping[str, str | int], *, zone_follows: bool = False
) -> Changes:
    """Check every value first (nothing is stored on a bad one), then store them all.

    A region and a cell number are read in the country being saved with them, else the
    country already chosen. A region the new country has not is cleared; with
    `zone_follows` (a country set on its own, as `settings set country` does), a zone of
    another country becomes the new country's main zone, as the welcome's fields do.
    """
    current = load_settings(session)
    unknown = [k for k in values if k not in OwnerSettings.__dataclass_fields__]
    if unknown:
        raise ValidationError(unknown[0], "is not a setting")
    cleaned: dict[str, str] = {}
    if "default_country" in values:
        cleaned["default_country"] = clean_setting("default_country", values["default_country"])
    country = cleaned.get("default_country", current.default_country)
    for name, value in values.items():
        if name != "default_country":
            cleaned[name] = clean_setting(name, value, country=country)
    cleaned.update(_following_the_country(current, cleaned, country, zone_follows=zone_follows))
    for name, value in cleaned.items():
        set_setting(session, name, value)
    return Changes(settings=True)


def _following_the_country(
    current: OwnerSettings, cleaned: Mapping[str, str], country: str, *, zone_follows: bool
) -> dict[str, str]:
    """The region (and with `zone_follows`, the zone) a new country brings."""
    if "default_country" not in cleaned:
        return {}
    follows: dict[str, str] = {}
    if (
        zone_follows
        and "owner_timezone" not in cleaned
        and country_of_zone(current.owner_timezone) != country
    ):
        zone = main_zone(country)
        if zone is not None:
            follows["owner_timezone"] = zone
    moved = zone_follows and country != current.default_country
    if "owner_region" not in cleaned and current.owner_region:
        known = regions_of(country)
        if (known and region_code(country, current.owner_region) is None) or (moved and not known):
            follows["owner_region"] = ""  # NSW is no state of the new country
    return follows


def save_setting(session: Session, key: str, value: str | int) -> None:
    """Store one of the OwnerSettings fields (checked as `save_owner_settings` checks it)."""
    if key not in OwnerSettings.__dataclass_fields__:
        raise KeyError(key)
    save_owner_settings(session, {key: value})


def get_setting(session: Session, key: str, default: str | None = None) -> str | None:
    """A raw stored preference (features keep their own typed wrappers around it)."""
    row = session.get(Setting, key)
    return row.value if row is not None else default


def set_setting(session: Session, key: str, value: str) -> None:
    """Store a raw preference; never call this with a secret."""
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value
