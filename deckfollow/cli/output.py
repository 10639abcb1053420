"""What the command line prints: text from the database never drives the terminal.

A name, a note or a customer's words may hold terminal escape codes (a contacts file, a web
form, a pasted message). Printed raw they could recolour or clear the screen, retitle the
window or hide the rest of a line. Every command's output streams pass through
`PrintableWriter`, which shows such characters as visible `\\u001b`-style escapes instead.
That form is also a valid JSON escape, so `--json` output stays parseable and unchanged
in meaning.
"""

from __future__ import annotations

import re
from typing import TextIO

# C0 and C1 control characters and DEL, except tab and newline (the layout of our output),
# plus the bidirectional overrides that can make text read differently than it is stored.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
# A carriage return is kept only as part of a CRLF line end (an iCalendar file on stdout).
_LONE_CR = re.compile("\r(?!\n)")
_LONG_WORD = re.compile(r"\S{81,}")


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def printable(text: str, *, one_line: bool = False) -> str:
    """`text` with control characters shown as `\\uXXXX`; `one_line` escapes line breaks too."""
    text = _UNSAFE.sub(_escape, _LONE_CR.sub(_escape, text))
    if one_line:
        text = text.replace("\r", "\\u000d").replace("\n", "\\u000a")
    return text


def _shorten(match: re.Match[str]) -> str:
    word = match.group()
    return f"{word[:40]}…{word[-20:]}"


def error_line(message: str) -> str:
    """One readable line for an error: escaped, and a pasted wall of text cut to its ends."""
    return _LONG_WORD.sub(_shorten, printable(message, one_line=True))


class PrintableWriter:
    """A text stream that passes everything written through `printable`."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(printable(text))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return self._stream.isatty()

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)
