"""The business's customers, added through the core as the owner adds them.

Every customer goes through `core.customer_batch.add_customers` (each checked, normalised
and placed in their zone by the same steps as `core.customers.add_customer`, the
new-customer dialog's and `customer add`'s service) at the moment they first got in
touch, oldest first, so their numbers run in that order as a real business's do. How they
like to be reached (preferred channel, allowed hours, best times) then goes through
`core.consent.set_contact_preferences`, a ledger entry as the consent editor makes it.
The stories were told before anyone existed, under provisional numbers; the rows made
for them are renumbered to the customers the core made.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from deckfollow.core.consent import ContactPreferences, set_contact_preferences
from deckfollow.core.customer_batch import NewCustomerAt, add_customers
from deckfollow.core.customers import NewCustomer
from deckfollow.core.models import Customer
from deckfollow.demo.people import Person, first_contact_source
from deckfollow.demo.workbench import Workbench

_CHUNK = 5000  # ids per query (SQLite takes at most 32,766 parameters)


def _as_typed(person: Person) -> NewCustomer:
    """The customer as the owner would type them in."""
    row = person.row
    # The app keeps one notes field: family details go there, as an owner writes them.
    notes = "\n".join(n for n in (row["notes"], row["family_notes"]) if n) or None
    birthday = row["birthday"]
    return NewCustomer(
        name=row["display_name"],
        phone=row["phone_cell"],
        email=row["email"],
        company=row["company"],
        street=row["street"],
        suburb=row["suburb"],
        region=row["region"],
        postcode=row["postcode"],
        country=row["country"],
        birthday=birthday.isoformat() if birthday is not None else None,
        notes=notes,
        phone_office=row["phone_office"],
        phone_home=row["phone_home"],
    )


def enter_customers(session: Session, wb: Workbench, people: Sequence[Person]) -> int:
    """Add every customer through the core, oldest first, and renumber what refers to
    them; how many ledger entries their preferences made."""
    oldest_first = sorted(people, key=lambda p: (p.row["created_at"], p.id))
    # Sample people may share a name and suburb: the owner chose "Create new".
    ids, _changes = add_customers(
        session,
        [NewCustomerAt(_as_typed(p), p.row["created_at"]) for p in oldest_first],
        allow_duplicate=True,
    )
    # Read back in a few queries and held here: the session keeps only weak references,
    # and each preference below would otherwise load its customer again.
    held: dict[int, Customer] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        held.update(
            (c.id, c)
            for c in session.execute(select(Customer).where(Customer.id.in_(chunk))).scalars()
        )
    renumbered: dict[int, int] = {}
    entries = 0
    for person, cid in zip(oldest_first, ids, strict=True):
        row = person.row
        stored = held[cid]
        if stored.timezone != row["timezone"]:
            # The stories were told in the zone the demo's places give; the core must agree.
            raise RuntimeError(
                f"the core places {row['suburb']}, {row['region']} in {stored.timezone}, "
                f"the demo in {row['timezone']}"
            )
        prefs = ContactPreferences(
            contact_hours=row["contact_hours"],
            best_times=row["best_times"],
            preferred_channel=row["preferred_channel"],
        )
        if prefs != ContactPreferences():
            set_contact_preferences(
                session, cid, prefs, source=first_contact_source(person), now=row["created_at"]
            )
            entries += 1
        renumbered[person.id] = cid
        row["id"] = cid
        row["first_name"], row["last_name"] = stored.first_name, stored.last_name
    for rows in (wb.quotes, wb.touches, wb.follow_ups, wb.runs):
        for r in rows:
            r["customer_id"] = renumbered[r["customer_id"]]
    return entries
