"""Merging two records of one person: everything that happened with either is kept.

Quotes, touches, follow-ups and plans move to the customer kept; the consent ledger is
carried over and re-read, so a do-not-contact given on either record holds (rule 9).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from deckfollow.core.changes import Changes
from deckfollow.core.consent import revoke_consent
from deckfollow.core.consent_ledger import append_event
from deckfollow.core.contact_info import format_phone
from deckfollow.core.contact_snapshot import get_customer
from deckfollow.core.customer_gone import merged_stamp
from deckfollow.core.customers import ADDRESS_FIELDS, FIELDS, PHONE_KEYS
from deckfollow.core.do_not_contact import merge_consent
from deckfollow.core.enums import ConsentEventKind
from deckfollow.core.errors import ValidationError
from deckfollow.core.followups import refit_planned
from deckfollow.core.models import CadenceRun, ConsentEvent, Customer, FollowUp, Quote, Touch


@dataclass(frozen=True)
class MergeResult:
    keep_id: int
    other_id: int
    quotes: int
    touches: int
    follow_ups: int
    filled: tuple[str, ...]  # labels of the details taken from the other customer
    do_not_contact: bool
    changes: Changes


def merge_customers(session: Session, keep_id: int, other_id: int, *, now: datetime) -> MergeResult:
    """Fold `other` into `keep`: one person, everything that happened with either kept.

    Quotes, touches, follow-ups and plans move to `keep`; the consent ledger is carried
    over and re-read, so a do-not-contact given on either record holds (rule 9); details
    `keep` lacks are taken from `other`, and anything that would not fit is added to the
    notes, so nothing is lost. `other` goes to the trash, marked as merged.
    """
    if keep_id == other_id:
        raise ValidationError("other", f"customer {keep_id} cannot be merged with themself")
    keep = get_customer(session, keep_id)
    other = get_customer(session, other_id)
    was_dnc = keep.do_not_contact or other.do_not_contact

    # Versions bumped so an editor open on one of them notices it changed hands.
    quotes = _move(session, Quote, other_id, keep_id, version=Quote.version + 1)
    touches = _move(session, Touch, other_id, keep_id)
    follow_ups = _move(session, FollowUp, other_id, keep_id, version=FollowUp.version + 1)
    _move(session, CadenceRun, other_id, keep_id)
    session.expire_all()
    keep = get_customer(session, keep_id)
    other = get_customer(session, other_id)

    filled = _fill_details(keep, other)
    source = f"merge of customer {other_id} ({other.display_name}) into {keep_id}"
    merge_consent(session, keep_id, other_id, source=source, now=now)
    if was_dnc and not keep.do_not_contact:
        # A do-not-contact kept only as a flag (no ledger entry behind it) still wins.
        revoke_consent(session, keep_id, None, source=source, words=None, now=now)
    if not keep.do_not_contact:
        refit_planned(session, keep_id, now=now)
    _record_merge(session, keep, other, quotes, touches, follow_ups, now=now)
    stamp = merged_stamp(keep_id, keep.display_name, now.date())
    other.notes = f"{stamp}\n{other.notes}" if other.notes else stamp
    other.deleted_at = now
    other.updated_at = now
    keep.updated_at = now
    session.flush()
    return MergeResult(
        keep_id,
        other_id,
        quotes,
        touches,
        follow_ups,
        tuple(filled),
        keep.do_not_contact,
        Changes(customers=True, quotes=True, touches=True, follow_ups=True, consent=True).about(
            customers=(keep_id, other_id)
        ),
    )


def _record_merge(
    session: Session,
    keep: Customer,
    other: Customer,
    quotes: int,
    touches: int,
    follow_ups: int,
    *,
    now: datetime,
) -> None:
    """The merge's own ledger entry on the customer kept, naming both records.

    Evidence of where the carried-over entries came from; names and counts only, never
    what was said or written to either of them.
    """
    held = "; do not contact holds" if keep.do_not_contact else ""
    append_event(
        session,
        ConsentEvent(
            customer_id=keep.id,
            kind=ConsentEventKind.CUSTOMER_MERGED,
            channel=None,
            at=now,
            source="merge",
            words=None,
            detail=(
                f"customer {other.id} ({other.display_name}) merged into customer {keep.id} "
                f"({keep.display_name}): {_count(quotes, 'quote', 'quotes')}, "
                f"{_count(touches, 'touch', 'touches')}, "
                f"{_count(follow_ups, 'follow-up', 'follow-ups')} moved{held}"
            ),
        ),
    )


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _move(
    session: Session,
    model: type[Quote] | type[Touch] | type[FollowUp] | type[CadenceRun],
    other_id: int,
    keep_id: int,
    **extra: object,
) -> int:
    result = session.execute(
        update(model)
        .where(model.customer_id == other_id)
        .values(customer_id=keep_id, **extra)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def _fill_details(keep: Customer, other: Customer) -> list[str]:
    """Copy what `keep` lacks from `other`; what has no room goes into the notes."""
    filled: list[str] = []
    left_over: list[str] = []
    for key in ("company", "birthday", "family_notes", "contact_hours", "best_times"):
        if getattr(keep, key) is None and getattr(other, key) is not None:
            setattr(keep, key, getattr(other, key))
            filled.append(FIELDS.get(key, key.replace("_", " ")))
    if keep.preferred_channel is None and other.preferred_channel is not None:
        keep.preferred_channel = other.preferred_channel
    if other.email and not keep.email:
        keep.email = other.email
        filled.append("email")
    elif other.email and other.email.lower() != (keep.email or "").lower():
        left_over.append(f"email {other.email}")
    mine = {p for p in (keep.phone_cell, keep.phone_office, keep.phone_home) if p}
    for phone in (other.phone_cell, other.phone_office, other.phone_home):
        if not phone or phone in mine:
            continue
        slot = next((k for k in PHONE_KEYS if getattr(keep, k) is None), None)
        if slot is None:
            left_over.append(f"phone {format_phone(phone)}")
            continue
        setattr(keep, slot, phone)
        mine.add(phone)
        filled.append(FIELDS[slot])
    # An address moves as a whole: a street from one record and a town from the other
    # would put a card in the wrong letterbox.
    address_kept = [getattr(keep, k) for k in ADDRESS_FIELDS]
    address_other = [getattr(other, k) for k in ADDRESS_FIELDS]
    if not any(address_kept) and any(address_other):
        for key in ADDRESS_FIELDS:
            setattr(keep, key, getattr(other, key))
        keep.country, keep.timezone = other.country, other.timezone
        filled.append("address")
    elif any(address_other) and address_other != address_kept:
        address = ", ".join(str(getattr(other, k)) for k in ADDRESS_FIELDS if getattr(other, k))
        left_over.append(f"address {address}")
    notes = [keep.notes] if keep.notes else []
    if other.notes and other.notes != keep.notes:
        notes.append(other.notes)
        filled.append("notes")
    if left_over:
        notes.append(f"From {other.display_name} (customer {other.id}): " + "; ".join(left_over))
        if "notes" not in filled:
            filled.append("notes")
    keep.notes = "\n\n".join(notes) or None
    return filled
