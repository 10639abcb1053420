"""Customers as the owner keeps them: read, added and edited.

The Customers page, the details panel, the new-customer dialog and the
`deckfollow customer …` commands all go through these services, so a detail is checked,
a duplicate offered (`customer_matches`) and a clash with someone else's edit noticed the
same way wherever a customer is touched. Finding is `customer_search`, merging
`customer_merge`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

import phonenumbers
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from deckfollow.core.changes import Changes
from deckfollow.core.contact_info import (
    country_of_phone,
    normalise_email,
    normalise_phone,
    phone_as_read_in,
)
from deckfollow.core.contact_snapshot import get_customer
from deckfollow.core.customer_details import CustomerDetails, QuoteSummary
from deckfollow.core.customer_matches import DuplicateCustomerError, find_matches
from deckfollow.core.do_not_contact import PHONE_FIELDS, is_blocked, refuse_blocked_details
from deckfollow.core.errors import ConcurrentEditError, ValidationError
from deckfollow.core.followups import refit_planned
from deckfollow.core.members import changed_by_line
from deckfollow.core.models import Customer, FollowUp, Quote, Touch
from deckfollow.core.places import country_code, country_names, regions_of
from deckfollow.core.places import region_code as listed_region_code
from deckfollow.core.regions import region_code
from deckfollow.core.settings import OwnerSettings, load_settings
from deckfollow.core.timezones import customer_zone

# CustomerDetails is a plain value of `customer_details` (read also without SQLAlchemy), named
# here too beside the services that read it.
__all__ = [
    "ADDRESS_FIELDS",
    "FIELDS",
    "PHONE_KEYS",
    "CheckedCustomer",
    "CustomerAdded",
    "CustomerDetails",
    "NewCustomer",
    "QuoteSummary",
    "add_customer",
    "check_region",
    "checked_customer",
    "clean_fields",
    "customer_details",
    "form_values",
    "parse_birthday",
    "parse_country",
    "refuse_duplicates",
    "region_value",
    "split_name",
    "update_customer",
]

# The details a person edits, in the order forms show them: key (Customer attribute), label.
FIELDS: dict[str, str] = {
    "display_name": "name",
    "company": "company",
    "phone_cell": "cell phone",
    "phone_office": "office phone",
    "phone_home": "home phone",
    "email": "email",
    "street": "street",
    "suburb": "suburb or city",
    "region": "state or region",
    "postcode": "postcode",
    "country": "country",
    "birthday": "birthday",
    "notes": "notes",
}
_LIMITS = {
    "display_name": 100,
    "company": 200,
    "street": 200,
    "suburb": 100,
    "region": 50,
    "postcode": 20,
    "notes": 10_000,
}
ADDRESS_FIELDS = ("street", "suburb", "region", "postcode")
PHONE_KEYS = tuple(PHONE_FIELDS)


# -- reading one customer ------------------------------------------------------------------


def customer_details(session: Session, customer_id: int) -> CustomerDetails:
    """One customer with their quotes and how much has happened with them."""
    c = get_customer(session, customer_id)
    quotes = tuple(
        QuoteSummary(
            q.id,
            q.number,
            q.job,
            q.stage,
            f"{q.amount:.2f}" if q.amount is not None else None,
            q.currency,
            q.received_at,
        )
        for q in session.execute(
            select(Quote)
            .where(Quote.customer_id == customer_id, Quote.deleted_at.is_(None))
            .order_by(Quote.received_at.desc(), Quote.id.desc())
        ).scalars()
    )
    touches, last = session.execute(
        select(func.count(Touch.id), func.max(Touch.at)).where(Touch.customer_id == customer_id)
    ).one()
    follow_ups = session.execute(
        select(func.count(FollowUp.id)).where(FollowUp.customer_id == customer_id)
    ).scalar_one()
    return CustomerDetails(
        id=c.id,
        version=c.version,
        name=c.display_name,
        company=c.company,
        phone_cell=c.phone_cell,
        phone_office=c.phone_office,
        phone_home=c.phone_home,
        email=c.email,
        street=c.street,
        suburb=c.suburb,
        region=c.region,
        postcode=c.postcode,
        country=c.country,
        timezone=c.timezone,
        birthday=c.birthday,
        notes=c.notes,
        do_not_contact=c.do_not_contact,
        created_at=c.created_at,
        updated_at=c.updated_at,
        quotes=quotes,
        touches=int(touches),
        follow_ups=int(follow_ups),
        last_touch_at=last,
    )


def form_values(c: Customer | CustomerDetails, home: str | None = None) -> dict[str, str]:
    """Every editable field as a form shows it: phones as people write them, ISO birthday.

    A customer in the owner's `home` country has a number of that country shown the local
    way ("0412 345 679", as Today shows it); any other number is shown internationally, so
    the form's text reads back as the same number in the customer's country.
    """
    dial_from = c.country if home and c.country == home else None
    out: dict[str, str] = {}
    for key in FIELDS:
        attr = "name" if key == "display_name" and isinstance(c, CustomerDetails) else key
        value = getattr(c, attr)
        if value is None:
            out[key] = ""
        elif key in PHONE_KEYS:
            out[key] = phone_as_read_in(value, dial_from)
        elif key == "birthday":
            out[key] = value.isoformat()
        else:
            out[key] = str(value)
    return out


# -- checking what was typed ---------------------------------------------------------------


def parse_country(text: str) -> str:
    """A two-letter country from a code or a name ("AU", "uk", "New Zealand")."""
    code = country_code(text)
    if code is None or code not in phonenumbers.SUPPORTED_REGIONS:
        raise ValidationError(
            "country", f"{text.strip()!r} is not a country (use a code like AU, US, GB or NZ)"
        )
    return code


def parse_birthday(text: str, *, today: date | None = None) -> date:
    """A birthday written YYYY-MM-DD; one that does not exist or is still to come is refused."""
    value = text.strip()
    try:
        day = date.fromisoformat(value)
    except ValueError as exc:
        raise ValidationError(
            "birthday", f"{value!r} is not a date (write it as YYYY-MM-DD, e.g. 1984-07-14)"
        ) from exc
    if today is not None and day > today:
        raise ValidationError("birthday", f"{value} is still to come")
    return day


def clean_fields(
    typed: Mapping[str, str | None], *, country: str, today: date | None = None
) -> dict[str, object]:
    """Typed text per field -> the values to store; a bad one raises ValidationError naming it.

    Phones written nationally are read in `country` (or in the country typed alongside).
    Empty text clears a field; the name and country may not be cleared.
    """
    unknown = [k for k in typed if k not in FIELDS]
    if unknown:
        raise ValidationError(unknown[0], "is not a customer detail")
    out: dict[str, object] = {}
    if typed.get("country") is not None:
        country = out["country"] = parse_country(typed["country"] or "")
    for key, raw in typed.items():
        if key == "country":
            continue
        text = (raw or "").strip()
        label = FIELDS[key]
        if key == "display_name":
            text = " ".join(text.split())
            if not text:
                raise ValidationError("name", "a customer needs a name")
        if key in _LIMITS and len(text) > _LIMITS[key]:
            raise ValidationError(label, f"is {len(text)} characters; at most {_LIMITS[key]} fit")
        if not text:
            out[key] = None
        elif key in PHONE_KEYS:
            out[key] = normalise_phone(text, country, label)
        elif key == "email":
            out[key] = normalise_email(text, "email")
        elif key == "birthday":
            out[key] = parse_birthday(text, today=today)
        elif key == "notes":
            out[key] = text
        elif key == "region":
            out[key] = region_value(country, text)
        else:
            out[key] = " ".join(text.split())
    return out


def region_value(country: str, text: str) -> str:
    """A region as stored: where states are written as codes (AU, US, CA), a known one as
    its code ("new south wales", "N.S.W." -> "NSW"), so envelopes, holidays and a search for
    "nsw" agree; any other region stays as written (`check_region` refuses it where listed)."""
    value = " ".join(text.split())
    if not regions_of(country):
        return value
    return region_code(country, value) or listed_region_code(country, value) or value


def check_region(country: str, region: object) -> None:
    """Refuse a region that is not one of the states of a country whose states are listed
    (a Texas address in Australia would get the wrong hours, holidays and envelope);
    elsewhere a region is the owner's own words."""
    codes = [code for code, _name in regions_of(country)]
    if not codes or not isinstance(region, str) or not region or region in codes:
        return
    where = country_names().get(country.upper(), country)
    where = f"the {where}" if where.startswith("United ") else where
    raise ValidationError(
        FIELDS["region"],
        f"{region!r} is not a state of {where}; use one of {', '.join(sorted(codes))}",
    )


def split_name(name: str) -> tuple[str, str | None]:
    parts = name.split(maxsplit=1)
    return parts[0], (parts[1] if len(parts) > 1 else None)


# -- adding and editing --------------------------------------------------------------------


@dataclass(frozen=True)
class NewCustomer:
    """A customer as typed: every field is text, checked and normalised by `add_customer`."""

    name: str
    phone: str | None = None
    email: str | None = None
    company: str | None = None
    street: str | None = None
    suburb: str | None = None
    region: str | None = None
    postcode: str | None = None
    country: str | None = None
    birthday: str | None = None
    notes: str | None = None
    phone_office: str | None = None
    phone_home: str | None = None

    def typed(self) -> dict[str, str | None]:
        return {
            "display_name": self.name,
            "company": self.company,
            "phone_cell": self.phone,
            "phone_office": self.phone_office,
            "phone_home": self.phone_home,
            "email": self.email,
            "street": self.street,
            "suburb": self.suburb,
            "region": self.region,
            "postcode": self.postcode,
            "birthday": self.birthday,
            "notes": self.notes,
        }


@dataclass(frozen=True)
class CustomerAdded:
    customer_id: int
    changes: Changes


def add_customer(
    session: Session, new: NewCustomer, *, now: datetime, allow_duplicate: bool = False
) -> CustomerAdded:
    """Check every field (nothing is saved on a bad one), then add the customer.

    Someone who matches an existing customer raises DuplicateCustomerError unless
    `allow_duplicate` (the owner chose "Create new"); someone who asked not to be contacted
    is refused (rule 9).
    """
    settings = load_settings(session)
    typed = checked_customer(new, settings=settings, now=now)
    for label, by_email, by_phone in typed.contacts():
        blocked = is_blocked(session, email=by_email, phone=by_phone)
        if blocked:
            raise ValidationError(label, f"this {label} belongs to someone who {blocked}")
    if not allow_duplicate:
        refuse_duplicates(session, typed)
    customer = typed.customer(settings=settings, now=now)
    session.add(customer)
    session.flush()
    return CustomerAdded(customer.id, Changes(customers=True, created_ids=(customer.id,)))


@dataclass(frozen=True)
class CheckedCustomer:
    """A new customer's details, checked and normalised, not yet stored."""

    values: dict[str, object]
    country: str
    phones: tuple[str, ...]
    email: str | None

    def contacts(self) -> list[tuple[str, str | None, str | None]]:
        """(field label, email, phone) for each detail rule 9 must clear, in form order."""
        checks: list[tuple[str, str | None, str | None]] = (
            [("email", self.email, None)] if self.email else []
        )
        checks += [
            (FIELDS[k], None, v) for k in PHONE_KEYS if isinstance(v := self.values.get(k), str)
        ]
        return checks

    def customer(self, *, settings: OwnerSettings, now: datetime) -> Customer:
        """The customer row, in the zone their address (else phone, else the owner's) gives."""
        first, last = split_name(str(self.values["display_name"]))
        customer = Customer(
            first_name=first,
            last_name=last,
            country=self.country,
            timezone=customer_zone(
                country=self.country,
                region=_str(self.values.get("region")),
                city=_str(self.values.get("suburb")),
                phones=self.phones,
                owner_tz=settings.owner_timezone,
            ).zone,
            do_not_contact=False,
            created_at=now,
            updated_at=now,
        )
        for key, value in self.values.items():
            setattr(customer, key, value)
        return customer


def checked_customer(
    new: NewCustomer, *, settings: OwnerSettings, now: datetime
) -> CheckedCustomer:
    """Every field checked (ValidationError naming the first bad one) and normalised."""
    typed = new.typed()
    if new.country and new.country.strip():
        typed["country"] = new.country
    country = settings.default_country.upper()
    values = clean_fields(typed, country=country, today=now.date())
    phones = tuple(v for k in PHONE_KEYS if isinstance(v := values.get(k), str))
    email = values.get("email")
    assert email is None or isinstance(email, str)
    if "country" in values:
        country = str(values["country"])
    elif phones:
        # A number written internationally tells where they are better than the default.
        country = country_of_phone(phones[0]) or country
    if isinstance(values.get("region"), str) and new.region:
        # Read the state in the country the customer turned out to be in.
        values["region"] = region_value(country, new.region)
    check_region(country, values.get("region"))
    return CheckedCustomer(values, country, phones, email)


def refuse_duplicates(session: Session, typed: CheckedCustomer) -> None:
    """DuplicateCustomerError if someone already kept matches (phone, email, name and suburb)."""
    phones = typed.phones
    matches = find_matches(
        session,
        name=str(typed.values["display_name"]),
        phone=phones[0] if phones else None,
        email=typed.email,
        suburb=_str(typed.values.get("suburb")),
        country=typed.country,
    )
    for extra in phones[1:]:
        matches += [
            m
            for m in find_matches(session, phone=extra, country=typed.country)
            if m.id not in {x.id for x in matches}
        ]
    if matches:
        raise DuplicateCustomerError(matches)


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def update_customer(
    session: Session,
    customer_id: int,
    typed: Mapping[str, str | None],
    *,
    now: datetime,
    version: int | None = None,
    before: Mapping[str, str] | None = None,
) -> Changes:
    """Save the fields in `typed` (text as typed; others are left alone).

    `version` is the customer's version when the editor loaded them. If someone saved the
    customer since, the edit still goes through when none of the fields changed here was
    changed there (`before` holds the editor's `form_values` of them); otherwise it is
    refused with ConcurrentEditError, so nobody's change is silently overwritten.
    """
    c = get_customer(session, customer_id)
    if version is not None and c.version != version:
        owner = load_settings(session)
        now_there = form_values(c, owner.default_country)
        clash = [
            k
            for k in typed
            if before is None or k not in before or now_there.get(k, "") != before[k]
        ]
        if clash:
            names = ", ".join(FIELDS.get(k, k) for k in clash)
            who_when = changed_by_line(
                session, c.updated_by, c.updated_at, owner_tz=owner.owner_timezone
            )
            raise ConcurrentEditError(
                f"{c.display_name}'s {names} was changed by {who_when} after you opened "
                "them; Revert to see the latest, then make your change again",
                who=c.updated_by,
                when=c.updated_at,
                theirs={**{k: now_there.get(k, "") for k in clash}, "version": str(c.version)},
            )
    values = clean_fields(typed, country=str(typed.get("country") or c.country), today=now.date())
    if "region" in values or "country" in values:
        # The state must belong to the country, whichever of the two changed; a state kept
        # as written ("Texas") is read again in the new country.
        where = str(values.get("country", c.country))
        if "region" not in values and c.region:
            values["region"] = region_value(where, c.region)
        check_region(where, values.get("region"))
    if not c.do_not_contact:
        # Rule 9: a stranger's blocked email or phone is not given to someone contactable.
        refuse_blocked_details(
            session, {k: v for k, v in values.items() if isinstance(v, str) or v is None}
        )
    changed = {k: v for k, v in values.items() if getattr(c, k) != v}
    if not changed:
        return Changes()
    settings = load_settings(session)
    guessed_before = _zone_of(c, settings.owner_timezone)
    for key, value in changed.items():
        setattr(c, key, value)
    if "display_name" in changed:
        c.first_name, c.last_name = split_name(str(changed["display_name"]))
    c.updated_at = now
    moved = False
    if c.timezone == guessed_before:
        # A zone nobody set by hand follows the address: someone who moves from NSW to WA
        # is called in Perth's hours. A zone the owner chose stays.
        zone_now = _zone_of(c, settings.owner_timezone)
        moved = zone_now != c.timezone
        c.timezone = zone_now
    session.flush()
    if moved:
        refit_planned(session, c.id, now=now)
        return Changes(customers=True, follow_ups=True).about(customers=(c.id,))
    return Changes(customers=True).about(customers=(c.id,))


def _zone_of(c: Customer, owner_tz: str) -> str:
    phones = [p for p in (c.phone_cell, c.phone_office, c.phone_home) if p]
    return customer_zone(
        country=c.country, region=c.region, city=c.suburb, phones=phones, owner_tz=owner_tz
    ).zone
