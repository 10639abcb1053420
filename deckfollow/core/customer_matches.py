"""Is this person already a customer? The same phone after normalisation, the same email
ignoring case, or the same name in the same suburb (ignoring case and accents: "Zoe
Muller, Newtown" is Zoë Müller of Newtown).

New leads, new customers and the command line ask before adding anyone, so a person is
offered ("Use Mia Chen (0412 345 679, Balmain)") instead of entered twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from deckfollow.core.contact_info import normalise_email, normalise_phone, phone_as_read_in
from deckfollow.core.do_not_contact import PHONE_FIELDS
from deckfollow.core.errors import DeckfollowError, ValidationError
from deckfollow.core.models import Customer
from deckfollow.core.settings import load_settings
from deckfollow.core.text_folding import fold

_PHONES = tuple(PHONE_FIELDS)
# More than this many look-alikes helps nobody choose.
_MOST = 20


@dataclass(frozen=True)
class CustomerMatch:
    """An existing customer who looks like the person being added, and why."""

    id: int
    name: str
    phone: str | None  # as the owner dials it
    email: str | None
    suburb: str | None
    reasons: tuple[str, ...]  # "phone", "email", "name and suburb"; "name" for a namesake
    do_not_contact: bool

    @property
    def label(self) -> str:
        """ "Mia Chen (0412 345 679, Balmain)": enough to tell who it is."""
        bits = [b for b in (self.phone or self.email, self.suburb) if b]
        return f"{self.name} ({', '.join(bits)})" if bits else self.name

    @property
    def why(self) -> str:
        if self.reasons == ("name",):
            return "same name, other details"
        return "same " + " and ".join(self.reasons)


def find_matches(
    session: Session,
    *,
    name: str | None = None,
    phone: str | None = None,
    email: str | None = None,
    suburb: str | None = None,
    country: str | None = None,
    exclude: int | None = None,
) -> list[CustomerMatch]:
    """Customers (not in the trash) who are probably this person: the same phone after
    normalisation, the same email ignoring case, or the same name in the same suburb.

    Unreadable input simply matches nothing; the caller's own checks name the field.
    """
    owner_country = load_settings(session).default_country
    read_in = (country or owner_country).upper()
    number = _try_phone(phone, read_in)
    address = _try_email(email)
    who = " ".join(fold(name or "").split())
    town = " ".join(fold(suburb or "").split())
    conds = []
    if number:
        conds += [getattr(Customer, k) == number for k in _PHONES]
    if address:
        conds.append(func.lower(Customer.email) == address.lower())
    if who and town:
        # The folded key holds the name and the suburb; the exact match is checked below.
        conds.append(
            Customer.search_key.like(f"%{_escape(who)}%", escape="\\")
            & Customer.search_key.like(f"%{_escape(town)}%", escape="\\")
        )
    if not conds:
        return []
    stmt = select(Customer).where(Customer.deleted_at.is_(None), or_(*conds))
    if exclude is not None:
        stmt = stmt.where(Customer.id != exclude)
    matches: list[CustomerMatch] = []
    # Read in small batches: the name and suburb found as parts of other words are passed
    # over, and reading stops at the most worth showing.
    found = session.execute(stmt.order_by(Customer.id).execution_options(yield_per=50))
    for c in found.scalars():
        same_person = who and town and _same(c.display_name, who) and _same(c.suburb, town)
        reasons = []
        if number and number in (c.phone_cell, c.phone_office, c.phone_home):
            reasons.append("phone")
        if address and c.email and c.email.lower() == address.lower():
            reasons.append("email")
        if same_person:
            reasons.append("name and suburb")
        if not reasons:
            continue  # the name and the suburb were only parts of longer words or other fields
        matches.append(_match(c, tuple(reasons), owner_country))
        if len(matches) == _MOST:
            break
    found.close()
    # The strongest evidence first: more reasons, then a phone over an email over a name.
    matches.sort(key=lambda m: (-len(m.reasons), "phone" not in m.reasons, m.id))
    return matches


def namesakes(
    session: Session, name: str, *, suburb: str | None = None, exclude: int | None = None
) -> list[CustomerMatch]:
    """Customers (not in the trash) with this very name, ignoring case and accents: too
    weak to refuse a second person, worth a question before one is added ("Li Wei" with a
    new number may be the Li Wei you know). Someone of another suburb than the one given is
    someone else, and is left out."""
    who = " ".join(fold(name).split())
    town = " ".join(fold(suburb or "").split())
    if not who:
        return []
    owner_country = load_settings(session).default_country
    stmt = select(Customer).where(
        Customer.deleted_at.is_(None),
        Customer.search_key.like(f"%{_escape(who)}%", escape="\\"),
    )
    if exclude is not None:
        stmt = stmt.where(Customer.id != exclude)
    found: list[CustomerMatch] = []
    rows = session.execute(stmt.order_by(Customer.id).execution_options(yield_per=50))
    for c in rows.scalars():
        if not _same(c.display_name, who):
            continue  # the name was part of a longer one or of another field
        if town and c.suburb and not _same(c.suburb, town):
            continue
        found.append(_match(c, ("name",), owner_country))
        if len(found) == _MOST:
            break
    rows.close()
    return found


def _match(c: Customer, reasons: tuple[str, ...], owner_country: str) -> CustomerMatch:
    """The customer as offered: their first number as the owner dials it."""
    shown = next((p for p in (c.phone_cell, c.phone_office, c.phone_home) if p), None)
    return CustomerMatch(
        id=c.id,
        name=c.display_name,
        phone=phone_as_read_in(shown, owner_country) if shown else None,
        email=c.email,
        suburb=c.suburb,
        reasons=reasons,
        do_not_contact=c.do_not_contact,
    )


def _same(value: str | None, folded: str) -> bool:
    return " ".join(fold(value or "").split()) == folded


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _try_phone(text: str | None, country: str) -> str | None:
    if not text or not text.strip():
        return None
    try:
        return normalise_phone(text, country)
    except ValidationError:
        return None


def _try_email(text: str | None) -> str | None:
    if not text or not text.strip():
        return None
    try:
        return normalise_email(text)
    except ValidationError:
        return None


class DuplicateCustomerError(DeckfollowError):
    """The person being added is already a customer; `matches` says who."""

    def __init__(self, matches: list[CustomerMatch]) -> None:
        first = matches[0]
        others = f" (and {len(matches) - 1} more)" if len(matches) > 1 else ""
        super().__init__(
            f"already a customer: {first.id} {first.label}, {first.why}{others}; nothing added"
        )
        self.matches = matches
