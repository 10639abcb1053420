"""Shared set-up for the import tests: an Australian owner and a real database."""

from __future__ import annotations

import csv
import io
import random
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from deckfollow.core.models import Customer
from deckfollow.core.settings import save_setting
from deckfollow.exchange.csv_import import ImportPlan, import_table
from deckfollow.exchange.csv_sniff import read_csv
from deckfollow.exchange.import_mapping import ColumnMapping
from deckfollow.storage.database import Database

DATA = Path(__file__).parent / "data"


def set_owner(db: Database, country: str = "AU", tz: str = "Australia/Sydney") -> None:
    with db.unit_of_work() as s:
        save_setting(s, "default_country", country)
        save_setting(s, "owner_timezone", tz)


def import_bytes(
    db: Database, data: bytes, now: datetime, mapping: ColumnMapping | None = None
) -> ImportPlan:
    table = read_csv(data)
    with db.unit_of_work() as s:
        return import_table(s, table, now=now, mapping=mapping)


def customers(db: Database) -> dict[str, Customer]:
    """Every customer by display name (detached, attributes loaded)."""
    with db.reading() as s:
        found = list(s.scalars(select(Customer).order_by(Customer.id)))
        s.expunge_all()
    return {c.display_name: c for c in found}


def csv_bytes(header: list[str], rows: list[list[str]], delimiter: str = ",") -> bytes:
    out = io.StringIO()
    w = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    return out.getvalue().encode("utf-8")


FIRST = ["Zoë", "José", "Łukasz", "Siobhán", "Ana", "Priya", "Tomás", "Renée", "Björn", "Mia"]
LAST = ["Müller", "Núñez", "Wróbel", "O'Brien", "Pérez", "Natarajan", "García", "Dubois", "Ng"]
SUBURBS = [("Newtown", "NSW"), ("Fremantle", "WA"), ("Brunswick", "VIC"), ("Hobart", "TAS")]
HEADER = [
    "First Name",
    "Last Name",
    "Organization Name",
    "Notes",
    "E-mail 1 - Label",
    "E-mail 1 - Value",
    "Phone 1 - Label",
    "Phone 1 - Value",
    "Address 1 - Street",
    "Address 1 - City",
    "Address 1 - Region",
    "Address 1 - Postal Code",
    "Address 1 - Country",
]


def contacts_csv(n: int, seed: int = 10) -> bytes:
    """n distinct, realistic Google Contacts rows (accents, national mobiles, notes)."""
    rng = random.Random(seed)
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(HEADER)
    for i in range(n):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        suburb, state = rng.choice(SUBURBS)
        w.writerow(
            [
                first,
                last,
                "",
                "Deck quote\nfollow up in spring" if i % 7 == 0 else "",
                "* Home",
                f"{first.lower()}.{i}@example.com",
                "Mobile",
                f"04{i // 1_000_000 % 10}{i:07d}"[:4] + f" {i % 1000:03d} {i // 1000 % 1000:03d}",
                f"{rng.randint(1, 200)} Banksia St",
                suburb,
                state,
                "2042",
                "Australia",
            ]
        )
    return out.getvalue().encode("utf-8")
