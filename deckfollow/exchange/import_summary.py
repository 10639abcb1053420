"""An import's outcome in one line, the same words in the import wizard and on the command
line: "3 to import · 1 already there (1 gains details) · 2 problems"."""

from __future__ import annotations


def _counted(n: int, word: str, many: str) -> str:
    return f"{n:,} {word if n == 1 else many}"


def import_summary(
    new: int, duplicates: int, completes: int, problems: int, *, done: bool = False
) -> str:
    """Only the counts that apply, each with its right plural; "Nothing to import" (before)
    or "Nothing imported" (after) when no row does anything."""
    parts = []
    if new:
        parts.append(f"{new:,} imported" if done else f"{new:,} to import")
    if duplicates:
        gains = ""
        if completes:
            gains = (
                f" ({completes:,} given details)"
                if done
                else f" ({_counted(completes, 'gains details', 'gain details')})"
            )
        parts.append(f"{duplicates:,} already there{gains}")
    if problems:
        parts.append(_counted(problems, "problem", "problems"))
    if not parts:
        return "Nothing imported" if done else "Nothing to import"
    return " · ".join(parts)
