"""Finding customers: everyone, with or without quotes, searched and sorted in SQL.

One query serves the Customers page and `deckfollow customer list`: each word typed must
match the name, company, email, street, suburb, state or postcode, ignoring case and
accents ("zoe" finds Zoë, through the customer's folded search key); a phone number matches
however it was typed ("0412 345 679", "+61412345679", "412345679"), since stored numbers
are E.164 and the digits after a leading trunk or international zero are part of them.
Rows come back as small dataclasses, so 20,000 customers load in a blink.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

import phonenumbers
from sqlalchemy import ColumnElement, ScalarSelect, and_, case, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from deckfollow.core.enums import Stage
from deckfollow.core.models import Customer, Quote, Touch
from deckfollow.core.settings import load_settings
from deckfollow.core.text_folding import fold

OPEN_STAGES = tuple(s for s in Stage if s.is_open)
# Fewer digits than this would match a house number in nearly every phone.
_MIN_PHONE_DIGITS = 3
# From this many digits a search is a phone number, not a postcode or a house number.
_WHOLE_PHONE_DIGITS = 6
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


def phone_pattern(text: str, country: str) -> str | None:
    """A LIKE pattern for a phone number typed any way, or None if `text` is no phone.

    Numbers are stored E.164 ("+61412345679"). Written internationally ("+61 412…",
    "0061 412…") or nationally with the trunk prefix of the owner's `country` ("0412 345…"
    in Australia) the typed digits are the start of the stored number; bare digits
    ("412345679") may sit anywhere in it.
    """
    stripped = text.strip()
    if not stripped or not _PHONE_CHARS.match(stripped):
        return None
    digits = re.sub(r"\D", "", stripped)
    if stripped.startswith("+"):
        prefix = digits
    elif digits.startswith("00"):
        prefix = digits[2:]
    else:
        meta = phonenumbers.PhoneMetadata.metadata_for_region(country.upper())
        trunk = meta.national_prefix if meta is not None else None
        if trunk and digits.startswith(trunk) and meta is not None:
            prefix = f"{meta.country_code}{digits[len(trunk) :]}"
        else:
            significant = digits.lstrip("0")
            return f"%{significant}%" if len(significant) >= _MIN_PHONE_DIGITS else None
    return f"+{prefix}%" if len(digits) >= _MIN_PHONE_DIGITS else None


def _phone_match(pattern: str) -> ColumnElement[bool]:
    return or_(
        Customer.phone_cell.like(pattern),
        Customer.phone_office.like(pattern),
        Customer.phone_home.like(pattern),
    )


def _word_match(word: str, country: str) -> ColumnElement[bool]:
    """`word` (folded) in the customer's folded key, or in a phone number."""
    # One LIKE on the folded key ignores case and accents alike on SQLite and PostgreSQL,
    # where a LIKE per field found "Zoë" only from "Zoë".
    conds: list[ColumnElement[bool]] = [Customer.search_key.like(f"%{_escape(word)}%", escape="\\")]
    phone = phone_pattern(word, country)
    if phone is not None:
        conds.append(_phone_match(phone))
    return or_(*conds)


def search_condition(text: str, country: str) -> ColumnElement[bool] | None:
    """The WHERE clause for what was typed (None: everyone); `country` is the owner's, in
    which a number written nationally is read."""
    text = text.strip()
    if not text:
        return None
    whole = phone_pattern(text, country)
    if whole is not None and sum(ch.isdigit() for ch in text) >= _WHOLE_PHONE_DIGITS:
        # "0412 345 679" is one number typed with spaces, not three words.
        return _phone_match(whole)
    folded = fold(text).split()
    if not folded:
        return None  # only a stray accent ("¨"), which folds away
    words = and_(*(_word_match(w, country) for w in folded))
    if whole is not None and " " in text:
        # "0400 12", half typed: the start of a number, or a postcode and a house number.
        return or_(_phone_match(whole), words)
    return words


def _country(session: Session) -> str:
    return load_settings(session).default_country


def _open_quotes() -> ScalarSelect[int]:
    return (
        select(func.count(Quote.id))
        .where(
            Quote.customer_id == Customer.id,
            Quote.deleted_at.is_(None),
            Quote.stage.in_(OPEN_STAGES),
        )
        .scalar_subquery()
    )


def _quotes() -> ScalarSelect[int]:
    return (
        select(func.count(Quote.id))
        .where(Quote.customer_id == Customer.id, Quote.deleted_at.is_(None))
        .scalar_subquery()
    )


def _last_touch() -> ScalarSelect[datetime]:
    return select(func.max(Touch.at)).where(Touch.customer_id == Customer.id).scalar_subquery()


def search_customers(
    session: Session,
    text: str = "",
    *,
    sort: CustomerSort = CustomerSort.NAME,
    descending: bool = False,
    limit: int | None = None,
    offset: int = 0,
    country: str | None = None,
) -> list[CustomerRow]:
    """Customers not in the trash matching `text`, sorted in SQL (blanks last).

    `limit` and `offset` read one page: the counts and last touch are correlated
    subqueries, so a page costs its own rows, not all 20,000. `country` is the owner's
    (read from the settings if not given), in which numbers typed nationally are read.
    """
    phone = func.coalesce(Customer.phone_cell, Customer.phone_office, Customer.phone_home)
    open_quotes, last_touch = _open_quotes(), _last_touch()
    columns = (
        Customer.id,
        Customer.display_name,
        Customer.company,
        Customer.suburb,
        Customer.region,
        phone,
        Customer.email,
        open_quotes,
        _quotes(),
        last_touch,
        Customer.do_not_contact,
    )
    # By the folded name, so "Łukasz" sorts with the L's and "Émile" with the E's, where
    # lower() put every accented capital after "Z". The folded search key begins with it;
    # cut at the name's length, a namesake with a company does not sort after one without.
    name = func.substr(Customer.search_key, 1, func.length(Customer.display_name))
    key: ColumnElement[Any] = {
        CustomerSort.NAME: name,
        CustomerSort.COMPANY: func.lower(Customer.company),
        CustomerSort.SUBURB: func.lower(Customer.suburb),
        CustomerSort.PHONE: phone,
        CustomerSort.EMAIL: func.lower(Customer.email),
        CustomerSort.OPEN_QUOTES: open_quotes,
        CustomerSort.LAST_TOUCH: last_touch,
    }[sort]
    # Blanks sort after everything in both directions: a list led by empty cells looks empty.
    order: list[ColumnElement[Any] | InstrumentedAttribute[Any]] = [
        case((key.is_(None), 1), else_=0),
        key.desc() if descending else key.asc(),
    ]
    if sort is not CustomerSort.NAME:
        order.append(name)
    order += [Customer.display_name, Customer.id]
    cond = search_condition(text, country or _country(session))
    where = [Customer.deleted_at.is_(None), *([cond] if cond is not None else [])]
    conn = session.connection()
    if limit is None:
        stmt = select(*columns).where(*where).order_by(*order).offset(offset or None)
        return [_row(r) for r in conn.execute(stmt)]
    # A page: first its ids, then their counts and last touch. In one query SQLite works out
    # every column of every match before it sorts, which made a keystroke that matched
    # thousands of customers count all their quotes.
    ids = list(
        conn.execute(
            select(Customer.id).where(*where).order_by(*order).offset(offset or None).limit(limit)
        ).scalars()
    )
    if not ids:
        return []
    rows = {r[0]: _row(r) for r in conn.execute(select(*columns).where(Customer.id.in_(ids)))}
    return [rows[i] for i in ids if i in rows]


def _row(r: Sequence[Any]) -> CustomerRow:
    return CustomerRow(
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


def count_matching(session: Session, text: str = "", *, country: str | None = None) -> int:
    """How many customers not in the trash match `text`."""
    stmt = select(func.count(Customer.id)).where(Customer.deleted_at.is_(None))
    cond = search_condition(text, country or _country(session))
    if cond is not None:
        stmt = stmt.where(cond)
    return int(session.execute(stmt).scalar_one())


def count_customers(session: Session) -> int:
    """How many customers are not in the trash."""
    return int(
        session.execute(
            select(func.count(Customer.id)).where(Customer.deleted_at.is_(None))
        ).scalar_one()
    )
