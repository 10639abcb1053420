"""Customers as vCards (RFC 2426 vCard 3.0, RFC 6350 vCard 4.0) for phones and mail programs.

Text values are escaped (backslash, comma, semicolon, newline), lines are folded at 75
octets without splitting a UTF-8 character, and lines end in CRLF, as both RFCs require.
3.0 is the default: every phone and address book reads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from deckfollow.core.errors import NotFoundError, ValidationError
from deckfollow.core.models import Customer
from deckfollow.exchange.private_files import write_private

VERSIONS = ("3.0", "4.0")


@dataclass(frozen=True)
class CardData:
    """What goes on one card (read from a customer in a short session)."""

    customer_id: int
    display_name: str
    first_name: str | None
    last_name: str | None
    company: str | None
    email: str | None
    phone_cell: str | None
    phone_office: str | None
    phone_home: str | None
    street: str | None
    suburb: str | None
    region: str | None
    postcode: str | None
    country: str | None
    birthday: date | None
    notes: str | None
    timezone: str | None
    updated_at: datetime | None


def escape_text(value: str) -> str:
    """A TEXT value with \\ , ; and line breaks escaped."""
    return (
        value.replace("\\", "\\\\")
        .replace(",", "\\,")
        .replace(";", "\\;")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets joined by CRLF + space."""
    out: list[str] = []
    current = ""
    size = 0
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > 75:
            out.append(current)
            current, size = "", 1  # the continuation line's leading space counts
        current += ch
        size += width
    out.append(current)
    return "\r\n ".join(out)


def _line(name: str, value: str) -> str:
    return fold(f"{name}:{value}")


def card_text(card: CardData, version: str = "3.0") -> str:
    """One vCard as text (CRLF line ends, folded)."""
    if version not in VERSIONS:
        raise ValidationError("version", f"vCard {version} is not supported; use 3.0 or 4.0")
    v4 = version == "4.0"
    lines = ["BEGIN:VCARD", f"VERSION:{version}"]
    lines.append(_line("FN", escape_text(card.display_name)))
    family, given = card.last_name or "", card.first_name or ""
    if not family and not given and not card.company:
        given = card.display_name
    lines.append(_line("N", f"{escape_text(family)};{escape_text(given)};;;"))
    if card.company:
        lines.append(_line("ORG", escape_text(card.company)))
    if card.email:
        kind = "EMAIL" if v4 else "EMAIL;TYPE=INTERNET"
        lines.append(_line(kind, escape_text(card.email)))
    for number, kind in (
        (card.phone_cell, "cell"),
        (card.phone_office, "work"),
        (card.phone_home, "home"),
    ):
        if not number:
            continue
        if v4:
            types = "cell,voice" if kind == "cell" else f"{kind},voice"
            lines.append(_line(f'TEL;VALUE=uri;TYPE="{types}"', f"tel:{number}"))
        else:
            types = "CELL,VOICE" if kind == "cell" else f"{kind.upper()},VOICE"
            lines.append(_line(f"TEL;TYPE={types}", number))
    if any((card.street, card.suburb, card.region, card.postcode)):
        parts = [card.street, card.suburb, card.region, card.postcode, card.country]
        value = ";".join(escape_text(p or "") for p in parts)
        lines.append(_line("ADR;TYPE=home" if v4 else "ADR;TYPE=HOME", f";;{value}"))
    if card.birthday:
        lines.append(_line("BDAY", card.birthday.strftime("%Y%m%d" if v4 else "%Y-%m-%d")))
    if card.timezone and v4:
        # 3.0 only knows UTC offsets, which change with daylight saving; 4.0 takes the name.
        lines.append(_line("TZ;VALUE=text", escape_text(card.timezone)))
    if card.notes:
        lines.append(_line("NOTE", escape_text(card.notes)))
    if v4:
        lines.append(_line("UID", f"urn:deckfollow:customer:{card.customer_id}"))
    else:
        lines.append(_line("UID", f"deckfollow-customer-{card.customer_id}"))
    if card.updated_at:
        lines.append(_line("REV", card.updated_at.strftime("%Y%m%dT%H%M%SZ")))
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"


def _cards(session: Session, customer_id: int | None) -> list[CardData]:
    query = select(Customer).where(Customer.deleted_at.is_(None)).order_by(Customer.id)
    if customer_id is not None:
        query = select(Customer).where(Customer.id == customer_id)
    found = list(session.scalars(query))
    if customer_id is not None and not found:
        raise NotFoundError(f"there is no customer {customer_id}")
    return [
        CardData(
            c.id,
            c.display_name,
            c.first_name,
            c.last_name,
            c.company,
            c.email,
            c.phone_cell,
            c.phone_office,
            c.phone_home,
            c.street,
            c.suburb,
            c.region,
            c.postcode,
            c.country,
            c.birthday,
            c.notes,
            c.timezone,
            c.updated_at,
        )
        for c in found
    ]


def load_card(session: Session, customer_id: int) -> CardData:
    """One customer's card data (NotFoundError if there is no such customer)."""
    return _cards(session, customer_id)[0]


def customers_vcard(
    session: Session, customer_id: int | None = None, version: str = "3.0"
) -> tuple[str, int]:
    """One customer, or every customer not in the trash, as one .vcf text; and the count."""
    cards = _cards(session, customer_id)
    return "".join(card_text(c, version) for c in cards), len(cards)


def write_vcard(
    session: Session, path: Path, customer_id: int | None = None, version: str = "3.0"
) -> int:
    """Write the .vcf file (owner-only); returns how many cards it holds."""
    text, count = customers_vcard(session, customer_id, version)
    write_private(path.expanduser(), text.encode("utf-8"))
    return count
