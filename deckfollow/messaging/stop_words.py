"""The words that mean "stop contacting me", in an email or a text (docs/inbox.md lists them).

A message counts as a request to stop when its first lines (what the customer typed, not
the quoted thread below it) contain one of these phrases as whole words, in any case.
Carriers and the CTIA treat a text of just STOP, END, CANCEL, QUIT or UNSUBSCRIBE as an
opt-out; an email saying "please remove me from your list" is one too.
"""

from __future__ import annotations

import re
import unicodedata

# Whole-word phrases; apostrophes are matched loosely ("don't", "dont", "don’t").
STOP_PHRASES: tuple[str, ...] = (
    "stop",
    "stopall",
    "please stop",
    "stop contacting",
    "stop emailing",
    "stop texting",
    "stop messaging",
    "stop calling",
    "stop sending",
    "unsubscribe",
    "opt out",
    "opt-out",
    "optout",
    "cancel",
    "end",
    "quit",
    "remove me",
    "take me off",
    "don't contact me",
    "do not contact me",
    "don't contact us",
    "do not contact us",
    "don't email me",
    "do not email me",
    "don't text me",
    "do not text me",
    "don't call me",
    "do not call me",
    "no more emails",
    "no more texts",
    "no more messages",
    "leave me alone",
    "not interested, stop",
)

# Words that are opt-outs only when they are the whole message (a text of "END", "Stop."),
# since inside a sentence they usually mean something else ("stop by on Tuesday").
WHOLE_MESSAGE_ONLY = frozenset({"stop", "cancel", "end", "quit", "stopall"})


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(text.split())


def _pattern(phrase: str) -> re.Pattern[str]:
    words = [re.escape(w).replace("'", "'?") for w in _fold(phrase).split()]
    return re.compile(r"(?<![\w'])" + r"\s+".join(words) + r"(?![\w'])")


_PATTERNS = [(p, _pattern(p)) for p in STOP_PHRASES if p not in WHOLE_MESSAGE_ONLY]


def stop_phrase(first_lines: str) -> str | None:
    """The stop phrase these words contain (as listed), or None."""
    folded = _fold(first_lines)
    for line in first_lines.splitlines():
        bare = _fold(line).strip(" .!?")
        if bare in WHOLE_MESSAGE_ONLY:
            return bare
    for phrase, pattern in _PATTERNS:
        if pattern.search(folded):
            return phrase
    return None
