"""Finding customers: everyone, with or without quotes, searched and sorted in SQL.

One query serves the Customers page and `deckfollow customer list`: each word typed must
match the name, company, email, street, suburb, state or postcode; a phone number matches
however it was typed ("0412 345 679", "+61412345679", "412345679"), since stored numbers
are E.164 and the digits after a leading trunk or international zero are part of them.
Rows come back as small dataclasses, so 20,000 customers load in a blink.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from deckfollow.core.enums import Stage
from deckfollow.core.models import Customer, Quote, Touch

OPEN_STAGES = tuple(s for s in Stage if s.is_open)
# Fewer digits than this are more likely part of a street number or postcode than a phone.
_MIN_PHONE_DIGITS = 4
_PHONE_CHARS = re.compile(r"^[\d\s()+.\-/]+$")


class CustomerSort(StrEnum):
    NAME = "name"
    COMPANY = "company"
    SUBURB = "suburb"
    PHONE = "phone"
    EMAIL = "email"
    OPEN_QUOTES = "open_quotes"
    LAST_TOUCH = "last_touch"


@dataclass(frozen=True)
class CustomerRow:
    """One customer as lists show them (plain data, read in one query)."""

    id: int
    name: str
    company: str | None
    suburb: str | None
    region: str | None
    phone: str | None  # E.164: the cell, else the office, else the home number
    email: str | None
    open_quotes: int
    quotes: int
    last_touch_at: datetime | None
    do_not_contact: bool


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def phone_digits(text: str) -> str | None:
    """The digits a typed phone number shares with its E.164 form, or None if it is no phone.

    Leading zeros are dropped: "0412 345 679" (national trunk 0) and "0061 412…" (the
    international 00) both continue as the stored "+61412345679" does.
    """
    stripped = text.strip()
    if not stripped or not _PHONE_CHARS.match(stripped):
        return None
    digits = re.sub(r"\D", "", stripped).lstrip("0")
    return digits if len(digits) >= _MIN_PHONE_DIGITS else None


def _phone_match(digits: str) -> ColumnElement[bool]:
    pattern = f"%{digits}%"
    return or_(
        Customer.phone_cell.like(pattern),
        Customer.phone_office.like(pattern),
        Customer.phone_home.like(pattern),
    )


def _word_match(word: str) -> ColumnElement[bool]:
    pattern = f"%{_escape(word)}%"
    cols = (
        Customer.display_name,
        Customer.company,
        Customer.email,
        Customer.street,
        Customer.suburb,
        Customer.region,
        Customer.postcode,
    )
    conds: list[ColumnElement[bool]] = [c.ilike(pattern, escape="\\") for c in cols]
    digits = phone_digits(word)
    if digits is not None:
        conds.append(_phone_match(digits))
    return or_(*conds)


def search_condition(text: str) -> ColumnElement[bool] | None:
    """The WHERE clause for what was typed (None: everyone)."""
    text = text.strip()
    if not text:
        return None
    whole = phone_digits(text)
    words = text.split()
    by_words = and_(*(_word_match(w) for w in words))
    if whole is not None and len(words) > 1:
        # "0412 345 679" is one number typed with spaces, not three words.
        return or_(_phone_match(whole), by_words)
    return by_words


def search_customers(
    session: Session,
    text: str = "",
    *,
    sort: CustomerSort = CustomerSort.NAME,
    descending: bool = False,
    limit: int | None = None,
) -> list[CustomerRow]:
    """Every customer not in the trash matching `text`, sorted in SQL (empties last)."""
    quotes = (
        select(
            Quote.customer_id.label("cid"),
            func.count(Quote.id).label("quotes"),
            func.sum(case((Quote.stage.in_(OPEN_STAGES), 1), else_=0)).label("open_quotes"),
        )
        .where(Quote.deleted_at.is_(None))
        .group_by(Quote.customer_id)
        .subquery()
    )
    touches = (
        select(Touch.customer_id.label("cid"), func.max(Touch.at).label("last_at"))
        .group_by(Touch.customer_id)
        .subquery()
    )
    phone = func.coalesce(Customer.phone_cell, Customer.phone_office, Customer.phone_home)
    open_quotes = func.coalesce(quotes.c.open_quotes, 0)
    stmt = (
        select(
            Customer.id,
            Customer.display_name,
            Customer.company,
            Customer.suburb,
            Customer.region,
            phone,
            Customer.email,
            open_quotes,
            func.coalesce(quotes.c.quotes, 0),
            touches.c.last_at,
            Customer.do_not_contact,
        )
        .outerjoin(quotes, quotes.c.cid == Customer.id)
        .outerjoin(touches, touches.c.cid == Customer.id)
        .where(Customer.deleted_at.is_(None))
    )
    cond = search_condition(text)
    if cond is not None:
        stmt = stmt.where(cond)
    name = func.lower(Customer.display_name)
    key: ColumnElement[object] = {
        CustomerSort.NAME: name,
        CustomerSort.COMPANY: func.lower(Customer.company),
        CustomerSort.SUBURB: func.lower(Customer.suburb),
        CustomerSort.PHONE: phone,
        CustomerSort.EMAIL: func.lower(Customer.email),
        CustomerSort.OPEN_QUOTES: open_quotes,
        CustomerSort.LAST_TOUCH: touches.c.last_at,
    }[sort]
    # Blanks sort after everything in both directions: a list led by empty cells looks empty.
    order: list[ColumnElement[Any] | InstrumentedAttribute[Any]] = [
        case((key.is_(None), 1), else_=0),
        key.desc() if descending else key.asc(),
    ]
    if sort is not CustomerSort.NAME:
        order.append(name)
    order.append(Customer.id)
    stmt = stmt.order_by(*order)
    if limit is not None:
        stmt = stmt.limit(limit)
    return [
        CustomerRow(
            id=r[0],
            name=r[1],
            company=r[2],
            suburb=r[3],
            region=r[4],
            phone=r[5],
            email=r[6],
            open_quotes=int(r[7] or 0),
            quotes=int(r[8] or 0),
            last_touch_at=r[9],
            do_not_contact=bool(r[10]),
        )
        for r in session.execute(stmt)
    ]


def count_customers(session: Session) -> int:
    """How many customers are not in the trash."""
    return int(
        session.execute(
            select(func.count(Customer.id)).where(Customer.deleted_at.is_(None))
        ).scalar_one()
    )
