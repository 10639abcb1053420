"""Whether this computer can open `tel:` and `sms:` links, and what a phone's camera reads.

No Qt here, so the decisions are tested on any system: the platform and the command runner
are passed in.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from urllib.parse import parse_qs, unquote, urlsplit

Runner = Callable[[list[str]], str]


def _run(argv: list[str]) -> str:
    done = subprocess.run(argv, capture_output=True, text=True, timeout=5, check=False)
    return done.stdout


def has_handler(scheme: str, platform: str, run: Runner = _run) -> bool | None:
    """True or False when the system can say whether an app opens `scheme:` links; None when
    only trying will tell (Windows and macOS answer through the open call itself)."""
    if not platform.startswith(("linux", "freebsd", "openbsd")):
        return None
    try:
        answer = run(["xdg-mime", "query", "default", f"x-scheme-handler/{scheme}"])
    except (OSError, subprocess.SubprocessError):
        return None  # no xdg-utils: let Qt try
    return bool(answer.strip())


def qr_text(uri: str) -> str:
    """What the QR code holds: a `tel:` link as it is; a text as SMSTO:number:words, the form
    the phone cameras' QR readers (Android and iOS alike) open in Messages, words filled in."""
    parts = urlsplit(uri)
    if parts.scheme.lower() != "sms":
        return uri
    number = unquote(parts.path)
    body = parse_qs(parts.query).get("body", [""])[0]
    return f"SMSTO:{number}:{body}" if body else f"SMSTO:{number}"


def phone_number(uri: str) -> str:
    """The number in a `tel:` or `sms:` link."""
    return unquote(urlsplit(uri).path)
