"""Finding customers: everyone, with or without quotes, searched and sorted in SQL.

One query serves the Customers page and `deckfollow customer list`: each word typed must
match the name, company, email, street, suburb, state or postcode, ignoring case and
accents ("zoe" finds Zoë, through the customer's folded search key); a phone number matches
however it was typed ("0412 345 679", "+61412345679", "412345679"), since stored numbers
are E.164 and the digits after a leading trunk or international zero are part of them.
"do not contact", as lists mark them, finds those who asked not to be contacted.
Rows come back as small dataclasses, so 20,000 customers load in a blink.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, ScalarSelect, and_, case, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from deckfollow.core.customer_rows import (
    OPEN_STAGES,
    CustomerRow,
    CustomerSort,
    SearchTerms,
    search_terms,
)
from deckfollow.core.models import Customer, Quote, Touch
from deckfollow.core.settings import load_settings

# The row and the orders are plain values of `customer_rows` (read also without SQLAlchemy),
# named here too beside the query that reads them.
__all__ = [
    "CustomerRow",
    "CustomerSort",
    "count_customers",
    "count_matching",
    "search_condition",
    "search_customers",
]


def _phone_match(pattern: str) -> ColumnElement[bool]:
    return or_(
        Customer.phone_cell.like(pattern),
        Customer.phone_office.like(pattern),
        Customer.phone_home.like(pattern),
    )


def search_condition(text: str, country: str) -> ColumnElement[bool] | None:
    """The WHERE clause for what was typed (None: everyone); `country` is the owner's, in
    which a number written nationally is read."""
    terms = search_terms(text, country)
    if terms is None:
        return None
    if terms.do_not_contact:
        stopped = Customer.do_not_contact.is_(True)
        rest = _typed_condition(terms)
        return stopped if rest is None else and_(stopped, rest)
    return _typed_condition(terms)


def _typed_condition(terms: SearchTerms) -> ColumnElement[bool] | None:
    if not terms.words:
        return None if terms.phone is None else _phone_match(terms.phone)
    # One LIKE on the folded key ignores case and accents alike on SQLite and PostgreSQL,
    # where a LIKE per field found "Zoë" only from "Zoë".
    words = and_(
        *(
            or_(
                Customer.search_key.like(key, escape="\\"),
                *([_phone_match(phone)] if phone is not None else []),
            )
            for key, phone in terms.words
        )
    )
    return or_(_phone_match(terms.phone), words) if terms.phone is not None else words


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
