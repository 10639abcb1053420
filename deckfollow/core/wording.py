"""Counts in words, as messages and reports say them."""

from __future__ import annotations


def plural(n: int, word: str, many: str | None = None) -> str:
    """ "1 quote", "2 quotes"."""
    return f"{n} {word if n == 1 else (many or word + 's')}"
