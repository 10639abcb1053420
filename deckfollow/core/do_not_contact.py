"""Rule 9: a do-not-contact survives re-import, merge, restore and erasure.

Importers and edits ask `is_blocked` / `refuse_blocked_details`; a merge carries both
ledgers over; a restore reads every do-not-contact of the replaced data as marks (hashes,
time, source) and re-applies them to the restored data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from deckfollow.core.cadence_runs import after_revoke
from deckfollow.core.changes import Changes
from deckfollow.core.consent_ledger import (
    append_event,
    last_event,
    ledger,
    project_ledger,
    set_channel_state,
)
from deckfollow.core.contact_info import suppression_hash
from deckfollow.core.contact_snapshot import get_customer
from deckfollow.core.enums import ConsentChannel, ConsentEventKind, ConsentState, FollowUpStatus
from deckfollow.core.errors import ValidationError
from deckfollow.core.models import ConsentEvent, Customer, FollowUp, Suppression
from deckfollow.core.suppression import is_suppressed


def is_blocked(session: Session, *, email: str | None, phone: str | None) -> str | None:
    """Why this email or phone must not be (re-)added as contactable, or None.

    Checks the suppression list (erased people) and every customer marked do-not-contact,
    including ones in the trash. Importers call this for each incoming row.
    """
    if is_suppressed(session, email=email, phone=phone):
        return "asked not to be contacted and was erased; only their hashed details are kept"
    conds = []
    if email:
        conds.append(func.lower(Customer.email) == email.strip().lower())
    if phone:
        conds.append(Customer.phone_cell == phone.strip())
        conds.append(Customer.phone_office == phone.strip())
        conds.append(Customer.phone_home == phone.strip())
    if not conds:
        return None
    hit = session.execute(
        select(Customer.id, Customer.display_name)
        .where(Customer.do_not_contact.is_(True), or_(*conds))
        .limit(1)
    ).first()
    if hit is None:
        return None
    return f"{hit[1]} (customer {hit[0]}) asked not to be contacted"


PHONE_FIELDS = {
    "phone_cell": "cell phone",
    "phone_office": "office phone",
    "phone_home": "home phone",
}


def refuse_blocked_details(session: Session, values: dict[str, str | None]) -> None:
    """Rule 9 for edits: giving a customer the email or phone of someone who asked not to be
    contacted is refused (ValidationError naming the field), like re-adding them would be."""
    for key, value in values.items():
        if not value or (key != "email" and key not in PHONE_FIELDS):
            continue
        blocked = is_blocked(
            session,
            email=value if key == "email" else None,
            phone=value if key in PHONE_FIELDS else None,
        )
        if blocked:
            field = PHONE_FIELDS.get(key, "email")
            raise ValidationError(field, f"this {field} belongs to someone who {blocked}")


def merge_consent(
    session: Session, keep_id: int, merged_id: int, *, source: str, now: datetime
) -> Changes:
    """Carry a duplicate's consent ledger into the customer that is kept.

    The duplicate's entries are appended (original times, marked with where they came
    from) and the state is rebuilt from the combined ledger, so a "stop" given on either
    record still holds after the merge.
    """
    keep = get_customer(session, keep_id)
    get_customer(session, merged_id)
    for ev in ledger(session, merged_id):
        note = f"carried over from merged customer {merged_id} ({source})"
        append_event(
            session,
            ConsentEvent(
                customer_id=keep_id,
                kind=ev.kind,
                channel=ev.channel,
                at=ev.at,
                source=ev.source,
                words=ev.words,
                detail=f"{ev.detail}; {note}" if ev.detail else note,
                recorded_by=ev.recorded_by,
            ),
        )
    project_ledger(session, keep_id)
    if keep.do_not_contact:
        revoke_followups_for_dnc(session, keep_id, now=now)
    keep.updated_at = now
    return Changes(customers=True, consent=True, follow_ups=True)


def revoke_followups_for_dnc(session: Session, customer_id: int, *, now: datetime) -> None:
    """Cancel everything pending for a do-not-contact customer and stop their cadences."""
    session.execute(
        update(FollowUp)
        .where(FollowUp.customer_id == customer_id, FollowUp.status == FollowUpStatus.PENDING)
        .values(
            status=FollowUpStatus.CANCELLED,
            cancel_reason="customer asked not to be contacted",
            completed_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    session.flush()
    after_revoke(session, customer_id, do_not_contact=True, now=now)


@dataclass(frozen=True)
class DoNotContactMark:
    """A do-not-contact reduced to what survives a restore: hashes, time and source."""

    email_hash: str | None
    phone_hash: str | None
    at: datetime
    source: str


def do_not_contact_marks(session: Session) -> list[DoNotContactMark]:
    """Every do-not-contact in this database (customers and suppression entries)."""
    marks: list[DoNotContactMark] = []
    rows = session.execute(
        select(Customer.id, Customer.email, Customer.phone_cell, Customer.updated_at).where(
            Customer.do_not_contact.is_(True)
        )
    ).all()
    for cid, email, phone, updated in rows:
        ev = session.execute(
            select(ConsentEvent.at, ConsentEvent.source)
            .where(
                ConsentEvent.customer_id == cid,
                ConsentEvent.kind == ConsentEventKind.DO_NOT_CONTACT,
            )
            .order_by(ConsentEvent.at.desc(), ConsentEvent.id.desc())
            .limit(1)
        ).first()
        at, src = (ev[0], ev[1]) if ev is not None else (updated, "unrecorded")
        marks.append(
            DoNotContactMark(
                suppression_hash(email) if email else None,
                suppression_hash(phone) if phone else None,
                at,
                src,
            )
        )
    for sup in session.execute(select(Suppression)).scalars():
        marks.append(DoNotContactMark(sup.email_hash, sup.phone_hash, sup.created_at, sup.reason))
    return marks


def reapply_do_not_contact(
    session: Session, marks: list[DoNotContactMark], *, now: datetime
) -> int:
    """After restoring an older backup: re-apply every newer do-not-contact. Returns how many.

    A matching customer becomes do-not-contact again (with a ledger entry saying why);
    a mark matching nobody becomes a suppression entry so the person is not re-added.
    """
    by_hash: dict[str, int] = {}
    for cid, email, cell, office, home in session.execute(
        select(
            Customer.id,
            Customer.email,
            Customer.phone_cell,
            Customer.phone_office,
            Customer.phone_home,
        )
    ).all():
        for value in (email, cell, office, home):
            if value:
                by_hash.setdefault(suppression_hash(value), cid)
    applied = 0
    for mark in marks:
        hits = {by_hash[h] for h in (mark.email_hash, mark.phone_hash) if h and h in by_hash}
        for cid in hits:
            customer = get_customer(session, cid)
            if customer.do_not_contact:
                continue
            append_event(
                session,
                ConsentEvent(
                    customer_id=cid,
                    kind=ConsentEventKind.DO_NOT_CONTACT,
                    channel=None,
                    at=now,
                    source="restore",
                    detail=f"re-applied after restoring a backup; first recorded "
                    f"{mark.at:%d %b %Y %H:%M} UTC ({mark.source})",
                ),
            )
            for ch in ConsentChannel:
                set_channel_state(session, cid, ch, ConsentState.REVOKED, last_event(session, cid))
            customer.do_not_contact = True
            customer.updated_at = now
            revoke_followups_for_dnc(session, cid, now=now)
            applied += 1
        if not hits:
            known = session.execute(
                select(Suppression.id).where(
                    Suppression.email_hash == mark.email_hash,
                    Suppression.phone_hash == mark.phone_hash,
                )
            ).first()
            if known is None:
                session.add(
                    Suppression(
                        email_hash=mark.email_hash,
                        phone_hash=mark.phone_hash,
                        created_at=now,
                        reason=mark.source[:100],
                    )
                )
                applied += 1
    session.flush()
    return applied
