"""Where the document sent with each quote (its PDF) is on the owner's computer.

Kept as a preference per quote (no quote column holds it); only this module knows how,
so the quote service, the export and erasure all go through it.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from deckfollow.core.models import Setting

_PREFIX = "quote_file:"


def is_quote_file_key(key: str) -> bool:
    return key.startswith(_PREFIX)


def file_of(session: Session, quote_id: int) -> str | None:
    row = session.get(Setting, f"{_PREFIX}{quote_id}")
    return row.value if row is not None and row.value else None


def set_file(session: Session, quote_id: int, path: str | None) -> None:
    """Remember the file sent with a quote (None or "" forgets it)."""
    key = f"{_PREFIX}{quote_id}"
    row = session.get(Setting, key)
    if path:
        if row is None:
            session.add(Setting(key=key, value=path))
        else:
            row.value = path
    elif row is not None:
        session.delete(row)


def all_files(session: Session) -> dict[int, str]:
    """Every quote's file, by quote id."""
    rows = session.execute(
        select(Setting.key, Setting.value).where(Setting.key.like(f"{_PREFIX}%"))
    )
    return {int(key[len(_PREFIX) :]): value for key, value in rows if value}


def forget_files(session: Session, quote_ids: Iterable[int]) -> None:
    """Erasing quotes erases where their documents are too (a file name often says who)."""
    keys = [f"{_PREFIX}{qid}" for qid in quote_ids]
    if keys:
        session.execute(delete(Setting).where(Setting.key.in_(keys)))
