"""Database URLs as they may be shown: in a message, a log line or an exception, never a password.

A team database URL may carry its password (`postgresql+psycopg://pia:secret@host/db`).
`display_target` renders it with the password hidden; `hide_secrets` scrubs any text (a
driver's error, a parser's complaint that quotes the URL back) of the password of a
given target and of anything shaped like a password in a URL.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from deckfollow.storage.location import is_url

HIDDEN = "***"

# user:password@ inside a URL (the password runs to the last "@" before the host).
_USERINFO = re.compile(r"(?P<head>://[^:/@\s'\"]*:)(?P<pw>[^\s'\"]*)@(?=[^@\s'\"]*(?:[/?\s'\"]|$))")
# password=... in a query string or a libpq keyword/value string.
_KEYWORD = re.compile(r"(?i)(?P<head>\bpass(?:word)?\s*=\s*)(?P<pw>'[^']*'|[^\s&;'\"]+)")


def password_of(target: str) -> str | None:
    """The password a URL carries (in its user part or its query), or None."""
    if not is_url(target):
        return None
    m = _USERINFO.search(target)
    if m and m.group("pw"):
        return unquote(m.group("pw"))
    k = _KEYWORD.search(target)
    if k:
        return unquote(k.group("pw").strip("'"))
    return None


def display_target(target: str) -> str:
    """A file path as it is; a URL with its password (user part or query) replaced by ***."""
    if not is_url(target):
        return target
    try:
        from sqlalchemy.engine import make_url

        url = make_url(target)
        if "password" in url.query:
            url = url.update_query_dict({"password": HIDDEN})
        shown = url.render_as_string(hide_password=True)
    except Exception:  # a malformed URL: mask it by its shape instead
        shown = target
    return _mask_shapes(shown)


def hide_secrets(text: str, target: str | None = None) -> str:
    """`text` without the password of `target` (raw or URL-quoted) or any URL password."""
    if target is not None:
        if is_url(target) and target in text:
            text = text.replace(target, display_target(target))
        secret = password_of(target)
        if secret:
            from urllib.parse import quote

            for form in {secret, quote(secret, safe=""), quote(secret)}:
                if len(form) >= 1:
                    text = text.replace(form, HIDDEN)
    return _mask_shapes(text)


def _mask_shapes(text: str) -> str:
    text = _USERINFO.sub(lambda m: f"{m.group('head')}{HIDDEN}@", text)
    return _KEYWORD.sub(lambda m: f"{m.group('head')}{HIDDEN}", text)
