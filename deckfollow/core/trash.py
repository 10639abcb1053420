"""The trash (undoable deletes) and erasing a customer for good (a privacy request).

Deleting sets `deleted_at`; every list and the due query skip such rows, and undo clears
it. A customer's quotes go to the trash with them (same time stamp) and come back with them.
Emptying the trash, or erasing, removes the rows for good; someone who asked not to be
contacted leaves only a suppression entry (hashes of email and phones, spec rule 9).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, Delete, delete, or_, select, update
from sqlalchemy.orm import Session

from deckfollow.core.changes import Changes
from deckfollow.core.contact_info import suppression_hash
from deckfollow.core.enums import CadenceRunStatus, FollowUpStatus
from deckfollow.core.errors import NotFoundError, ValidationError
from deckfollow.core.models import (
    CadenceRun,
    ChannelConsent,
    ConsentEvent,
    Customer,
    FollowUp,
    Quote,
    Suppression,
    Touch,
)

DEFAULT_KEEP_DAYS = 30
CUSTOMER = "customer"
QUOTE = "quote"


@dataclass(frozen=True)
class TrashItem:
    """One thing in the trash, as plain data for lists."""

    kind: str  # CUSTOMER or QUOTE
    id: int
    label: str
    customer_id: int
    deleted_at: datetime
    quotes: int = 0  # quotes that went to the trash with a customer


@dataclass(frozen=True)
class PersonFingerprint:
    """How to recognise an erased person in a backup; kept in memory only, never saved."""

    customer_id: int
    name: str
    email_hash: str | None
    phone_hashes: tuple[str, ...]


@dataclass(frozen=True)
class ErasedCustomer:
    """What an erasure removed, and whether a suppression entry was kept."""

    person: PersonFingerprint
    suppressed: bool
    quotes: int
    touches: int
    follow_ups: int
    consent_events: int


@dataclass(frozen=True)
class EmptiedTrash:
    customers: int
    quotes: int


_OPTS = {"synchronize_session": False}


def _delete(session: Session, stmt: Delete) -> int:
    """Run a bulk delete; the number of rows removed."""
    result = cast("CursorResult[Any]", session.execute(stmt, execution_options=_OPTS))
    return result.rowcount


def _customer(session: Session, customer_id: int) -> Customer:
    c = session.get(Customer, customer_id)
    if c is None:
        raise NotFoundError(f"no customer with id {customer_id}")
    return c


def _quote(session: Session, quote_id: int) -> Quote:
    q = session.get(Quote, quote_id)
    if q is None:
        raise NotFoundError(f"no quote with id {quote_id}")
    return q


def trash_customer(session: Session, customer_id: int, *, now: datetime) -> Changes:
    """Move a customer and their quotes to the trash (undo with restore_customer)."""
    c = _customer(session, customer_id)
    if c.deleted_at is not None:
        raise ValidationError("customer", f"{c.display_name} is already in the trash")
    c.deleted_at = now
    c.updated_at = now
    for q in c.quotes:
        if q.deleted_at is None:
            q.deleted_at = now
            q.updated_at = now
    session.flush()
    return Changes(customers=True, quotes=True, follow_ups=True).about(customers=(c.id,))


def trash_quote(session: Session, quote_id: int, *, now: datetime) -> Changes:
    """Move one quote to the trash (undo with restore_quote)."""
    q = _quote(session, quote_id)
    if q.deleted_at is not None:
        raise ValidationError("quote", f"quote {quote_id} is already in the trash")
    q.deleted_at = now
    q.updated_at = now
    session.flush()
    return Changes(quotes=True, follow_ups=True).about(quotes=(q.id,), customers=(q.customer_id,))


def restore_customer(session: Session, customer_id: int, *, now: datetime) -> Changes:
    """Take a customer out of the trash, with the quotes that went in with them."""
    c = _customer(session, customer_id)
    if c.deleted_at is None:
        raise ValidationError("customer", f"{c.display_name} is not in the trash")
    when = c.deleted_at
    c.deleted_at = None
    c.updated_at = now
    for q in c.quotes:
        if q.deleted_at == when:
            q.deleted_at = None
            q.updated_at = now
    session.flush()
    return Changes(customers=True, quotes=True, follow_ups=True).about(customers=(c.id,))


def restore_quote(session: Session, quote_id: int, *, now: datetime) -> Changes:
    """Take a quote out of the trash (its customer too, if they were in it)."""
    q = _quote(session, quote_id)
    if q.deleted_at is None:
        raise ValidationError("quote", f"quote {quote_id} is not in the trash")
    q.deleted_at = None
    q.updated_at = now
    c = q.customer
    if c.deleted_at is not None:
        c.deleted_at = None
        c.updated_at = now
    session.flush()
    return Changes(customers=True, quotes=True, follow_ups=True).about(
        quotes=(q.id,), customers=(c.id,)
    )


def restore_item(session: Session, kind: str, item_id: int, *, now: datetime) -> Changes:
    if kind == CUSTOMER:
        return restore_customer(session, item_id, now=now)
    return restore_quote(session, item_id, now=now)


def list_trash(session: Session) -> list[TrashItem]:
    """Everything in the trash, newest first; quotes that went in with their customer are
    counted under the customer rather than listed one by one."""
    items: list[TrashItem] = []
    trashed_customers = {
        c.id: c for c in session.scalars(select(Customer).where(Customer.deleted_at.is_not(None)))
    }
    rows = session.execute(
        select(Quote.id, Quote.job, Quote.number, Quote.customer_id, Quote.deleted_at).where(
            Quote.deleted_at.is_not(None)
        )
    )
    with_customer: dict[int, int] = {}
    names = dict(session.execute(select(Customer.id, Customer.display_name)).all())
    for qid, job, number, cid, deleted_at in rows:
        owner = trashed_customers.get(cid)
        if owner is not None and owner.deleted_at == deleted_at:
            with_customer[cid] = with_customer.get(cid, 0) + 1
            continue
        label = f"{number + ' ' if number else ''}{job} ({names.get(cid, '?')})"
        items.append(TrashItem(QUOTE, qid, label, cid, deleted_at))  # type: ignore[arg-type]
    for cid, c in trashed_customers.items():
        assert c.deleted_at is not None
        items.append(
            TrashItem(CUSTOMER, cid, c.display_name, cid, c.deleted_at, with_customer.get(cid, 0))
        )
    items.sort(key=lambda i: (i.deleted_at, i.kind, i.id), reverse=True)
    return items


def _fingerprint(c: Customer) -> PersonFingerprint:
    phones = tuple(suppression_hash(p) for p in (c.phone_cell, c.phone_office, c.phone_home) if p)
    return PersonFingerprint(
        c.id, c.display_name, suppression_hash(c.email) if c.email else None, phones
    )


def _purge_customer(session: Session, c: Customer, *, now: datetime, reason: str) -> ErasedCustomer:
    person = _fingerprint(c)
    cid = c.id
    suppressed = False
    if c.do_not_contact and (person.email_hash or person.phone_hashes):
        # Rule 9: what is left of them is enough to refuse them as a new contact, no more.
        hashes: list[tuple[str | None, str | None]] = [
            (person.email_hash, person.phone_hashes[0] if person.phone_hashes else None)
        ]
        hashes += [(None, h) for h in person.phone_hashes[1:]]
        for email_hash, phone_hash in hashes:
            session.add(
                Suppression(
                    email_hash=email_hash, phone_hash=phone_hash, created_at=now, reason=reason
                )
            )
        suppressed = True
    fu_ids = select(FollowUp.id).where(FollowUp.customer_id == cid)
    q_ids = select(Quote.id).where(Quote.customer_id == cid)
    _delete(session, delete(ChannelConsent).where(ChannelConsent.customer_id == cid))
    touches = _delete(session, delete(Touch).where(Touch.customer_id == cid))
    # Links from other customers' rows into this one's (should not exist, but never block).
    session.execute(
        update(Touch).where(Touch.follow_up_id.in_(fu_ids)).values(follow_up_id=None),
        execution_options=_OPTS,
    )
    # The ledger refuses to change, and gives up entries only for a customer in the trash:
    # erasure puts them there first (same transaction), then removes their own entries.
    if c.deleted_at is None:
        c.deleted_at = now
        session.flush()
    events = _delete(session, delete(ConsentEvent).where(ConsentEvent.customer_id == cid))
    follow_ups = _delete(session, delete(FollowUp).where(FollowUp.customer_id == cid))
    _delete(
        session,
        delete(CadenceRun).where(
            or_(CadenceRun.customer_id == cid, CadenceRun.quote_id.in_(q_ids))
        ),
    )
    quotes = _delete(session, delete(Quote).where(Quote.customer_id == cid))
    _delete(session, delete(Customer).where(Customer.id == cid))
    session.expunge(c)
    return ErasedCustomer(person, suppressed, quotes, touches, follow_ups, events)


def erase_customer(
    session: Session, customer_id: int, *, now: datetime, reason: str = "privacy request"
) -> ErasedCustomer:
    """Remove a customer for good with their quotes, touches, follow-ups and consent ledger.

    Someone marked do-not-contact leaves a suppression entry (hashes only) so they are not
    re-added. Works on customers in the trash too. On SQLite the caller should also turn on
    `secure_delete` and checkpoint (core.erasure.erase_for_good does both).
    """
    c = _customer(session, customer_id)
    return _purge_customer(session, c, now=now, reason=reason)


def _purge_quote(session: Session, q: Quote) -> None:
    fu_ids = select(FollowUp.id).where(FollowUp.quote_id == q.id)
    _delete(session, delete(Touch).where(Touch.quote_id == q.id))
    session.execute(
        update(Touch).where(Touch.follow_up_id.in_(fu_ids)).values(follow_up_id=None),
        execution_options=_OPTS,
    )
    # An agreed follow-up is evidence in the consent ledger (which cannot be edited), so it
    # stays, cut loose from the quote (and cancelled if still pending); the others go.
    kept = list(
        session.scalars(
            select(FollowUp.id).where(
                FollowUp.quote_id == q.id,
                FollowUp.id.in_(
                    select(ConsentEvent.follow_up_id).where(ConsentEvent.follow_up_id.is_not(None))
                ),
            )
        )
    )
    if kept:
        session.execute(
            update(FollowUp).where(FollowUp.id.in_(kept)).values(quote_id=None),
            execution_options=_OPTS,
        )
        session.execute(
            update(FollowUp)
            .where(FollowUp.id.in_(kept), FollowUp.status == FollowUpStatus.PENDING)
            .values(status=FollowUpStatus.CANCELLED, cancel_reason="its quote was deleted"),
            execution_options=_OPTS,
        )
    _delete(session, delete(FollowUp).where(FollowUp.quote_id == q.id))
    session.execute(
        update(CadenceRun)
        .where(CadenceRun.quote_id == q.id)
        .values(quote_id=None, status=CadenceRunStatus.STOPPED),
        execution_options=_OPTS,
    )
    _delete(session, delete(Quote).where(Quote.id == q.id))
    session.expunge(q)


def empty_trash(
    session: Session, *, now: datetime, older_than_days: int | None = DEFAULT_KEEP_DAYS
) -> EmptiedTrash:
    """Remove for good what has been in the trash longer than `older_than_days` (None: all)."""
    cutoff = now - timedelta(days=older_than_days) if older_than_days is not None else now
    customers = list(
        session.scalars(
            select(Customer).where(Customer.deleted_at.is_not(None), Customer.deleted_at <= cutoff)
        )
    )
    for c in customers:
        _purge_customer(session, c, now=now, reason="emptied from the trash")
    quotes = list(
        session.scalars(
            select(Quote).where(Quote.deleted_at.is_not(None), Quote.deleted_at <= cutoff)
        )
    )
    for q in quotes:
        _purge_quote(session, q)
    session.flush()
    return EmptiedTrash(len(customers), len(quotes))
