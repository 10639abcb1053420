"""What the inbox remembers, as preferences keyed by a hash (no schema change, no bodies).

- which customer (and quote) an email we sent went to, by its Message-ID, so a reply to an
  old thread, or from another address of theirs, finds them;
- other addresses a customer has written from;
- email addresses that bounced (failing), so nothing more is sent there unnoticed;
- the Message-IDs already read, so a second pass, or one after a crash, logs nothing twice.

Keys hold a SHA-256 of the address or id, never the address itself: a customer's erased
details leave nothing readable behind here.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from deckfollow.core.models import Setting
from deckfollow.core.settings import get_setting, set_setting

SENT = "inbox.sent."
ADDRESS = "inbox.address."
FAILING = "email.failing."
SEEN = "inbox.seen."


def _h(text: str) -> str:
    return hashlib.sha256(text.strip().strip("<>").casefold().encode()).hexdigest()[:40]


def remember_sent(
    session: Session, message_id: str, customer_id: int, quote_id: int | None
) -> None:
    set_setting(session, SENT + _h(message_id), f"{customer_id}:{quote_id or ''}")


def thread_owner(session: Session, message_ids: list[str]) -> tuple[int, int | None] | None:
    """The customer (and quote) the newest of these ids of ours was sent to."""
    for mid in reversed(message_ids):
        value = get_setting(session, SENT + _h(mid))
        if value:
            cid, _, qid = value.partition(":")
            return int(cid), int(qid) if qid else None
    return None


def remember_address(session: Session, address: str, customer_id: int) -> None:
    set_setting(session, ADDRESS + _h(address), str(customer_id))


def address_owner(session: Session, address: str) -> int | None:
    value = get_setting(session, ADDRESS + _h(address))
    return int(value) if value else None


def mark_failing(session: Session, address: str, at: datetime) -> None:
    set_setting(session, FAILING + _h(address), at.isoformat())


def failing_since(session: Session, address: str | None) -> datetime | None:
    """When mail to this address last bounced, if it did (cleared when it is fixed)."""
    if not address:
        return None
    value = get_setting(session, FAILING + _h(address))
    return datetime.fromisoformat(value) if value else None


def clear_failing(session: Session, address: str) -> None:
    session.execute(delete(Setting).where(Setting.key == FAILING + _h(address)))


def seen(session: Session, key: str) -> bool:
    return get_setting(session, SEEN + _h(key)) is not None


def mark_seen(session: Session, key: str, at: datetime) -> None:
    set_setting(session, SEEN + _h(key), at.date().isoformat())


def seen_count(session: Session) -> int:
    stmt = select(func.count()).select_from(Setting).where(Setting.key.like(SEEN + "%"))
    return int(session.execute(stmt).scalar_one())


def forget_seen_before(session: Session, day: date) -> int:
    """Drop "already read" marks older than `day` (a pass never reads back that far)."""
    result = session.execute(
        delete(Setting).where(Setting.key.like(SEEN + "%"), Setting.value < day.isoformat())
    )
    return int(getattr(result, "rowcount", 0) or 0)
