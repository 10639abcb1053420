"""The machine's own IANA time zone, for the owner's day boundaries."""

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
