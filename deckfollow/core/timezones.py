"""The machine's own time zone and country: sensible defaults for a new owner."""

from __future__ import annotations

import locale
import os
from pathlib import Path
from zoneinfo import available_timezones

from deckfollow.core.places import country_code, country_of_zone


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
    return name if name and name in available_timezones() else None


def _locale_country(value: str) -> str | None:
    """The country of a locale name: "en_AU.UTF-8" -> AU, Windows' "English_Australia" -> AU."""
    if "_" not in value:
        return None
    territory = value.split("_", 1)[1].split(".", 1)[0].split("@", 1)[0]
    return country_code(territory)


def system_country() -> str:
    """ISO country from the locale (en_AU.UTF-8 -> AU), else from the time zone, else US."""
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
    return country_of_zone(system_timezone()) or "US"
