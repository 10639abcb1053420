"""Adding many customers in one unit of work, each exactly as `add_customer` adds one.

What the single add reads from the database for every customer is read once for the
batch: the owner's settings, and who may not be re-added (rule 9: everyone marked
do-not-contact, in the trash or not, and the suppression list of erased people). Each
customer is then checked, normalised and placed in their zone by the same steps as
`customers.add_customer`, and the batch is stored in one flush.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from deckfollow.core.changes import Changes
from deckfollow.core.contact_info import suppression_hash
from deckfollow.core.customers import NewCustomer, checked_customer, refuse_duplicates
from deckfollow.core.errors import ValidationError
from deckfollow.core.models import Customer, Suppression
from deckfollow.core.settings import load_settings


class BlockedContacts:
    """Who may not be re-added as contactable (rule 9), read once: everyone marked
    do-not-contact (in the trash or not) and the suppression list of erased people.

    `why` answers as `do_not_contact.is_blocked` does, for as long as nobody new says stop
    or is erased; adding many customers and planning an import both ask it."""

    def __init__(self, session: Session) -> None:
        self._erased: set[str] = set()
        for email_hash, phone_hash in session.execute(
            select(Suppression.email_hash, Suppression.phone_hash)
        ):
            self._erased.update(h for h in (email_hash, phone_hash) if h)
        self._by_email: dict[str, tuple[int, str]] = {}
        self._by_phone: dict[str, tuple[int, str]] = {}
        rows = session.execute(
            select(
                Customer.id,
                Customer.display_name,
                Customer.email,
                Customer.phone_cell,
                Customer.phone_office,
                Customer.phone_home,
            )
            .where(Customer.do_not_contact.is_(True))
            .order_by(Customer.id)
        )
        for cid, name, email, *phones in rows:
            if email:
                self._by_email.setdefault(email.lower(), (cid, name))
            for phone in phones:
                if phone:
                    self._by_phone.setdefault(phone, (cid, name))

    @property
    def anyone_erased(self) -> bool:
        """Whether the suppression list holds anyone (else no hash need be computed)."""
        return bool(self._erased)

    def erased(self, *hashes: str | None) -> bool:
        """Whether any of these suppression hashes is an erased person's."""
        return any(h in self._erased for h in hashes if h)

    def add_erased(self, *hashes: str | None) -> None:
        """Count these hashes as erased from now on (an import's own erased rows)."""
        self._erased.update(h for h in hashes if h)

    def stopped(self, *, email: str | None, phones: Iterable[str] = ()) -> tuple[int, str] | None:
        """The customer (id, name) marked do-not-contact who has this email or a phone."""
        hit = self._by_email.get(email.strip().lower()) if email else None
        for phone in phones:
            if hit is None and phone:
                hit = self._by_phone.get(phone.strip())
        return hit

    def why(self, *, email: str | None, phone: str | None) -> str | None:
        if self.erased(
            suppression_hash(email) if email else None,
            suppression_hash(phone) if phone else None,
        ):
            return "asked not to be contacted and was erased; only their hashed details are kept"
        hit = self.stopped(email=email, phones=(phone,) if phone else ())
        if hit is None:
            return None
        return f"{hit[1]} (customer {hit[0]}) asked not to be contacted"


@dataclass(frozen=True)
class NewCustomerAt:
    """A customer to add, and the moment they were added."""

    customer: NewCustomer
    at: datetime


def add_customers(
    session: Session, batch: Sequence[NewCustomerAt], *, allow_duplicate: bool = False
) -> tuple[list[int], Changes]:
    """Add the customers in the order given; their ids, in that order. A refusal leaves
    the batch unsaved (the caller's unit of work rolls back).

    A bad field raises ValidationError naming it and which customer of the batch it is
    (the first is 1); rule 9 and duplicates are refused as `add_customer` refuses them.
    """
    settings = load_settings(session)
    blocked = BlockedContacts(session)
    customers = []
    for number, entry in enumerate(batch, start=1):
        try:
            typed = checked_customer(entry.customer, settings=settings, now=entry.at)
            for label, by_email, by_phone in typed.contacts():
                why = blocked.why(email=by_email, phone=by_phone)
                if why:
                    raise ValidationError(label, f"this {label} belongs to someone who {why}")
        except ValidationError as exc:
            raise ValidationError(exc.field, f"customer {number}: {exc.message}") from exc
        if not allow_duplicate:
            refuse_duplicates(session, typed)
        customer = typed.customer(settings=settings, now=entry.at)
        if not allow_duplicate:
            session.add(customer)  # the next one's duplicates include this one
        customers.append(customer)
    session.add_all(customers)
    session.flush()
    ids = [c.id for c in customers]
    return ids, Changes(customers=True, created_ids=tuple(ids))
