"""Who lives in the demo business's market: names, contact details, suburbs; most local."""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Sequence
from datetime import date
from typing import Any

import phonenumbers

from deckfollow.core.contact_hours import allowed_hours_for
from deckfollow.core.customer_batch import BlockedContacts
from deckfollow.core.enums import (
    Channel,
)
from deckfollow.core.models import (
    Customer,
)
from deckfollow.demo.customer_words import BEST_TIMES, CONTACT_RULES, CUSTOMER_NOTES, FAMILY_NOTES
from deckfollow.demo.markets import Market, Place
from deckfollow.demo.names import FIRST_NAMES, LAST_NAMES
from deckfollow.demo.people import Person
from deckfollow.demo.workbench import Workbench

# Letters that have no accent to strip: NFKD leaves them whole and "ignore" drops them
# ("Łukasz" would mail as "ukasz@").
_PLAIN_LETTERS = str.maketrans({"Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "ß": "ss", "Æ": "AE",
                                "æ": "ae", "Đ": "D", "đ": "d", "Þ": "Th", "þ": "th"})  # fmt: skip


def _ascii(text: str) -> str:
    plain = (
        unicodedata.normalize("NFKD", text.translate(_PLAIN_LETTERS))
        .encode("ascii", "ignore")
        .decode()
    )
    return "".join(ch for ch in plain.lower() if ch.isalnum())


def _email(rng: random.Random, first: str, last: str, domain: str, taken: set[str]) -> str:
    """An address the way people pick them (mia.chen, miachen84, mchen), unique in the demo."""
    f, n = _ascii(first), _ascii(last)
    styles = (f"{f}.{n}", f"{f}{n}", f"{f[0]}{n}", f"{f}.{n}{rng.randint(60, 99)}", f"{n}.{f}")
    local = rng.choice(styles)
    address = f"{local}@{domain}"
    while address in taken:
        local += str(rng.randint(0, 9))
        address = f"{local}@{domain}"
    taken.add(address)
    return address


def _phone(rng: random.Random, market: Market, place: Place, mobile: bool) -> str:
    """A valid local number: landlines (and US mobiles, which are geographic) carry the
    customer's own area code, so a Fremantle customer's home phone starts (08) 9."""
    prefixes = market.mobile_prefixes if mobile else market.landline_prefixes
    rest = market.mobile_rest if mobile else market.landline_rest
    local = not mobile or market.geographic_mobiles
    for _ in range(50):
        drawn = rng.choice(prefixes)  # drawn either way: the same seed keeps the same people
        prefix = (place.area if local else drawn).replace(" ", "")
        digits = "".join(rng.choice("0123456789") for _ in range(rest))
        if market.geographic_mobiles:
            digits = str(rng.randint(2, 9)) + digits[1:]
        parsed = phonenumbers.PhoneNumber(
            country_code=int(market.calling_code), national_number=int(prefix + digits)
        )
        # Valid and dialled as the right country (+44 7700 can be Jersey, for one); built
        # from its parts, as parsing thousands of strings costs the demo real time.
        if phonenumbers.is_valid_number_for_region(parsed, market.country):
            return f"+{market.calling_code}{prefix}{digits}"
    raise RuntimeError(f"no valid {market.country} number from the demo prefixes")  # a bug here


_PHONE_KEYS = ("phone_cell", "phone_office", "phone_home")


class People:
    """Makes the business's customers, most of them local."""

    def __init__(self, wb: Workbench) -> None:
        self.wb = wb

    def clear_of(self, people: Sequence[Person], blocked: BlockedContacts) -> int:
        """Give another sample number (or address) to anyone whose drawn one belongs to
        someone the owner may not re-add (rule 9: they asked not to be contacted, or were
        erased); how many details were drawn again.

        A sample person is made up: sharing a real person's number is chance, and drawing
        another keeps the demo going without ever re-adding the one who said stop. The
        draws use their own randomness, so everyone else stays as the seed makes them."""
        redrawn = 0
        for person in people:
            row = person.row
            place = next(
                (
                    p
                    for p in person.market.places
                    if (p.suburb, p.region) == (row["suburb"], row["region"])
                ),
                None,
            )
            rng = random.Random(f"{row['display_name']}|{row['phone_cell']}")
            for key in _PHONE_KEYS:
                while row[key] and blocked.why(email=None, phone=row[key]):
                    assert place is not None  # every sample person lives in a sample place
                    row[key] = _phone(rng, person.market, place, mobile=key == "phone_cell")
                    redrawn += 1
            while row["email"] and blocked.why(email=row["email"], phone=None):
                domain = row["email"].split("@", 1)[1]
                row["email"] = _email(
                    rng, row["first_name"], row["last_name"], domain, self.wb.emails
                )
                redrawn += 1
        return redrawn

    def person(self) -> Person:
        rng = self.wb.rng
        market = self.wb.home
        away = self.wb.away.get(len(self.wb.customers))
        if away is None:
            place = rng.choice(self.wb.local)
        elif away:
            place = rng.choice(self.wb.interstate)
        else:
            market, place = self.wb.neighbour, rng.choice(self.wb.across)
        first = rng.choice(FIRST_NAMES[market.country])
        last = rng.choice(LAST_NAMES[market.country])
        has_email = rng.random() < 0.85
        has_post = rng.random() < 0.9
        rule = rng.choice(CONTACT_RULES) if rng.random() < 0.12 else None
        best = rng.choice(BEST_TIMES) if rng.random() < 0.1 else None
        cid = self.wb.ids.take(Customer)
        company = None
        if rng.random() < 0.08:
            company = f"{last} {rng.choice(market.company_suffixes)}"
        domain = rng.choice(market.email_domains)
        email = _email(rng, first, last, domain, self.wb.emails) if has_email else None
        preferred = rng.choice((None, None, Channel.CALL, Channel.TEXT, Channel.EMAIL))
        if preferred is Channel.EMAIL and not has_email:
            preferred = Channel.TEXT
        low, high = market.house_numbers
        row: dict[str, Any] = {
            "id": cid,
            "display_name": f"{first} {last}",
            "first_name": first,
            "last_name": last,
            "company": company,
            "email": email,
            "phone_cell": _phone(rng, market, place, mobile=True),
            "phone_office": _phone(rng, market, place, mobile=False)
            if rng.random() < 0.15
            else None,
            "phone_home": _phone(rng, market, place, mobile=False) if rng.random() < 0.2 else None,
            "street": f"{rng.randint(low, high)} {rng.choice(market.streets)}"
            if has_post
            else None,
            "suburb": place.suburb,
            "region": place.region,
            "postcode": place.postcode,
            "country": market.country,
            "timezone": place.timezone,
            "preferred_channel": preferred,
            "contact_hours": rule,
            "best_times": best,
            "birthday": date(rng.randint(1950, 1998), rng.randint(1, 12), rng.randint(1, 28))
            if rng.random() < 0.3
            else None,
            "family_notes": rng.choice(FAMILY_NOTES) if rng.random() < 0.2 else None,
            "notes": rng.choice(CUSTOMER_NOTES) if rng.random() < 0.2 else None,
            "do_not_contact": False,
            "created_at": None,  # the first enquiry, once the quotes are known
            "updated_at": None,
            "deleted_at": None,
            "version": 1,
        }
        hours = allowed_hours_for(market.country, place.region, place.timezone, rule)
        person = Person(
            row,
            market,
            hours,
            has_email,
            has_post,
            consent_roll=rng.random(),
            on_record=rng.random() < 0.9,
        )
        person.dnc = person.consent_roll < 0.02
        self.wb.customers.append(row)
        return person
