"""The suppression list: erased do-not-contact people, kept only as hashes (spec rule 9)."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from deckfollow.core.contact_info import suppression_hash
from deckfollow.core.models import Suppression


def is_suppressed(session: Session, *, email: str | None, phone: str | None) -> bool:
    """True if this email or phone belongs to someone erased after asking not to be contacted."""
    conds = []
    if email:
        conds.append(Suppression.email_hash == suppression_hash(email))
    if phone:
        conds.append(Suppression.phone_hash == suppression_hash(phone))
    if not conds:
        return False
    return session.execute(select(Suppression.id).where(or_(*conds)).limit(1)).first() is not None
