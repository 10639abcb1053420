"""The machine's own time zone and country: sensible defaults for a new owner."""

from __future__ import annotations

import os
from pathlib import Path


def system_timezone() -> str:
    """The IANA name of the local zone ($TZ, then /etc/localtime), or "UTC"."""
    tz = os.environ.get("TZ", "").lstrip(":")
    if tz and "/" in tz:
        return tz
    try:
        target = str(Path("/etc/localtime").resolve())
    except OSError:
        return "UTC"
    marker = "zoneinfo/"
    if marker in target:
        return target.split(marker, 1)[1]
    return "UTC"


_ZONE_COUNTRY = {
    "Australia/": "AU",
    "Pacific/Auckland": "NZ",
    "Europe/London": "GB",
    "Europe/Dublin": "IE",
    "America/Toronto": "CA",
    "America/Vancouver": "CA",
}


def system_country() -> str:
    """ISO country from the locale (en_AU.UTF-8 -> AU), else from the time zone, else US."""
    for var in ("LC_ALL", "LC_CTYPE", "LANG"):
        value = os.environ.get(var, "")
        if "_" in value:
            code = value.split("_", 1)[1][:2].upper()
            if code.isalpha() and len(code) == 2:
                return code
    tz = system_timezone()
    for prefix, code in _ZONE_COUNTRY.items():
        if tz.startswith(prefix):
            return code
    return "US"
