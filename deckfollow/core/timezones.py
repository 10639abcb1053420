"""Time zones: the machine's own (defaults for a new owner) and each customer's own."""

from __future__ import annotations

import locale
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from zoneinfo import available_timezones

from deckfollow.core.contact_info import timezones_of_phone
from deckfollow.core.country_zones import country_zones
from deckfollow.core.places import country_code, country_of_zone
from deckfollow.core.regions import (
    city_state,
    city_zone,
    region_code,
    region_name,
    region_zones,
)


def system_timezone() -> str:
    """The IANA name of the computer's zone, on Windows as on Linux and macOS ("UTC" if none).

    $TZ and /etc/localtime first: they are what the system itself reads, and they are read
    afresh each time, so a zone changed while the app runs is noticed. Where neither names
    a zone (Windows keeps it in the registry, under its own names), `tzlocal` finds it and
    translates it to the IANA name.
    """
    tz = os.environ.get("TZ", "").lstrip(":")
    if tz and "/" in tz:
        return tz
    try:
        target = str(Path("/etc/localtime").resolve())
    except OSError:
        target = ""
    marker = "zoneinfo/"
    if marker in target:
        return target.split(marker, 1)[1]
    return _tzlocal_zone() or "UTC"


def _tzlocal_zone() -> str | None:
    try:
        import tzlocal

        tzlocal.reload_localzone()  # it caches; the zone may have changed since
        name = tzlocal.get_localzone_name()
    except Exception:  # a broken zone setting must not stop the app from starting
        return None
    return name if name and name in _known_zones() else None


@cache
def _known_zones() -> frozenset[str]:
    """Every IANA zone name, listed once a run: listing walks the zone files (about 5 ms),
    and the owner's settings ask for the computer's zone on every read."""
    return frozenset(available_timezones())


def _locale_country(value: str) -> str | None:
    """The country of a locale name: "en_AU.UTF-8" -> AU, Windows' "English_Australia" -> AU."""
    if "_" not in value:
        return None
    territory = value.split("_", 1)[1].split(".", 1)[0].split("@", 1)[0]
    return country_code(territory)


def system_country() -> str:
    """ISO country from the locale (en_AU.UTF-8 -> AU), else from the time zone, else US."""
    return found_country() or "US"


def found_country() -> str | None:
    """The country this computer names, from its locale or its zone; None when it names none
    (a "C" locale in UTC): then the owner must say."""
    named = [os.environ.get(var, "") for var in ("LC_ALL", "LC_CTYPE", "LANG")]
    for value in named:
        code = _locale_country(value)
        if code:
            return code
    if not any(named):
        # Windows sets no variables; Python reads its user locale ("English_Australia").
        # (Where the variables say "C", Python would report en_US: a guess, not a setting.)
        try:
            code = _locale_country(locale.getlocale()[0] or "")
        except ValueError:
            code = None
        if code:
            return code
    return country_of_zone(system_timezone())


class _LazyZones:
    """The zones the phone numbers point to, worked out on first use."""

    def __init__(self, phones: Sequence[str]) -> None:
        self._phones = phones
        self._zones: list[str] | None = None

    def __iter__(self) -> Iterator[str]:
        if self._zones is None:
            self._zones = [z for p in self._phones for z in timezones_of_phone(p)]
        return iter(self._zones)

    def __contains__(self, zone: object) -> bool:
        return zone in list(self)


# Countries where many people live outside the main zone (not NZ's Chatham Islands).
_SPREAD_OUT = frozenset({"US", "CA", "AU", "BR", "MX", "RU", "ID", "KZ", "CD", "MN"})


@dataclass(frozen=True)
class ZoneChoice:
    """A customer's zone and why it was chosen; `check` says what the user should confirm."""

    zone: str
    reason: str
    check: str | None = None


def customer_zone(
    *,
    country: str,
    region: str | None,
    city: str | None,
    phones: Sequence[str],
    owner_tz: str,
) -> ZoneChoice:
    """Where the customer lives: their address first (state, city, country), then their
    phone, then the owner's own zone (spec rule 3).

    A state or country spanning several zones takes the one the phone points to, else its
    main zone, with a `check` asking the user to confirm (a state's main zone then keeps
    calls to the hours allowed across all its zones: see `allowed_hours_for`).
    """
    code = region_code(country, region)
    by_city = code is None and bool(city) and city_state(country, city) is not None
    if by_city:
        code = city_state(country, city)
    own = city_zone(country, city)
    if own is not None:
        return ZoneChoice(own, f"from the city ({city})")
    # Parsed only when the address leaves a choice: the slow path, and the rare one.
    phone_zones = _LazyZones(phones)
    if code is not None:
        zones = region_zones(country, code)
        where = f"the city ({city})" if by_city else f"the state ({region})"
        if zones:
            if len(zones) == 1:
                return ZoneChoice(zones[0], f"from {where}")
            settled = [z for z in zones if z in phone_zones]
            if len(settled) == 1:
                return ZoneChoice(settled[0], f"from {where} and the phone number")
            name = region_name(country, code)
            return ZoneChoice(
                zones[0],
                f"from {where}",
                f"{name} spans {len(zones)} time zones ({', '.join(zones)}): calls and texts "
                "keep to the hours allowed in all of them; if they live where "
                f"{' or '.join(zones[1:])} applies, set that zone",
            )
    zones = country_zones(country)
    if len(zones) == 1:
        return ZoneChoice(zones[0], f"from the country ({country.upper()})")
    in_country = [z for z in dict.fromkeys(phone_zones) if not zones or z in zones]
    if len(in_country) == 1:
        return ZoneChoice(in_country[0], "from the phone number")
    if owner_tz in (in_country or zones):
        return ZoneChoice(owner_tz, "your own zone (no state or phone to tell)")
    if in_country or zones:
        main = zones[0] if zones and (not in_country or zones[0] in in_country) else in_country[0]
        source = f"the country ({country.upper()})" if zones else "the phone number"
        check = (
            f"{country.upper()} spans several time zones and the row has no state; "
            f"{main} was chosen: set the time zone if they live in another"
            if country.upper() in _SPREAD_OUT
            else None
        )
        return ZoneChoice(main, f"from {source}", check)
    return ZoneChoice(owner_tz, "your own zone (no address or phone to tell)")


def lead_zone(country: str, phone: str | None, owner_tz: str) -> str:
    """A new lead's zone: their country (given or from the phone), the phone, the owner's."""
    phones = [phone] if phone else []
    return customer_zone(
        country=country, region=None, city=None, phones=phones, owner_tz=owner_tz
    ).zone


def zone_named(text: str) -> str | None:
    """The IANA zone `text` names, however it was typed: "Australia/Sydney",
    "australia/sydney", "Sydney" or "new york" (a city that names exactly one zone); None
    if it names none."""
    typed = text.strip()
    zones = _known_zones()
    if typed in zones:
        return typed
    key = "_".join(typed.split()).casefold()
    if not key:
        return None
    by_name = [z for z in zones if z.casefold() == key]
    if by_name:
        return by_name[0]
    # Only the Area/City names: "Etc/…" and the old aliases ("US/Pacific") would make most
    # cities ambiguous.
    by_city = {z for z in zones if "/" in z and z.rsplit("/", 1)[1].casefold() == key}
    by_city = {z for z in by_city if z.split("/", 1)[0] in _AREAS}
    return by_city.pop() if len(by_city) == 1 else None


_AREAS = frozenset(
    ("Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe", "Indian",
     "Pacific")
)  # fmt: skip
