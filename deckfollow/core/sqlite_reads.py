"""The command line's common reads from a SQLite file, through the standard library's sqlite3.

Importing SQLAlchemy's ORM and the models costs about a third of a second of CPU, most of what
`settings show`, `consent show` or `customer list` spend on a small business. On a SQLite file
at the current schema these commands read here instead: the same SQL as their services send
(plain, portable statements), turned into the same values by the same plain modules
(`owner_settings`, `consent_overview`, `customer_rows`), so the output is the same byte for
byte (a test runs both paths on one database). A server database, or a file that needs an
upgrade first, goes through the services.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from deckfollow.core.consent_overview import ConsentOverview, overview_of
from deckfollow.core.customer_details import CustomerDetails, QuoteSummary
from deckfollow.core.customer_gone import customer_not_found
from deckfollow.core.customer_rows import (
    OPEN_STAGES,
    CustomerRow,
    CustomerSort,
    SearchTerms,
    search_terms,
)
from deckfollow.core.enums import Channel, ConsentChannel, ConsentEventKind, ConsentState, Stage
from deckfollow.core.errors import NotFoundError
from deckfollow.core.owner_settings import OwnerSettings, settings_from_stored
from deckfollow.core.permission import ConsentInfo, ContactSnapshot
from deckfollow.core.quote_details import QuoteDetails

_CENT = Decimal("0.01")
_GONE = "SELECT notes FROM customer WHERE id = ?"


def _not_found(conn: sqlite3.Connection, customer_id: int) -> NotFoundError:
    """As `contact_snapshot.get_customer` says it: merged, in the trash, or never there."""
    row = conn.execute(_GONE, (customer_id,)).fetchone()
    return customer_not_found(customer_id, in_trash=row is not None, notes=row and row[0])


def _moment(stored: str | None) -> datetime | None:
    """A `UTCDateTime` as SQLite holds it (naive UTC text), as the ORM returns it."""
    return None if stored is None else datetime.fromisoformat(stored).replace(tzinfo=UTC)


def _day(stored: str | None) -> date | None:
    """A `Date` as SQLite holds it (YYYY-MM-DD)."""
    return None if stored is None else date.fromisoformat(stored)


def _money(cents: int | None) -> Decimal | None:
    """A `Money` column (whole cents) as the exact amount the ORM returns."""
    return None if cents is None else (Decimal(int(cents)) * _CENT).quantize(_CENT)


# --- settings ----------------------------------------------------------------------------


def read_settings(conn: sqlite3.Connection) -> tuple[OwnerSettings, set[str]]:
    """`settings.load_settings` and `settings.stored_setting_names`, in one query."""
    stored = {str(k): str(v) for k, v in conn.execute("SELECT key, value FROM setting")}
    return settings_from_stored(stored), set(stored) & set(OwnerSettings.__dataclass_fields__)


# --- consent -----------------------------------------------------------------------------

_CUSTOMER = (
    "SELECT id, display_name, country, region, timezone, contact_hours, do_not_contact, "
    "best_times, preferred_channel FROM customer WHERE id = ? AND deleted_at IS NULL"
)
_CONSENTS = "SELECT channel, state, since, source, words FROM channel_consent WHERE customer_id = ?"
_LAST_STOP = (
    "SELECT at, source FROM consent_event WHERE customer_id = ? AND kind = ? "
    "ORDER BY at DESC, id DESC LIMIT 1"
)
_MERGES = "SELECT at, detail FROM consent_event WHERE customer_id = ? AND kind = ? ORDER BY at, id"


def read_consent(
    conn: sqlite3.Connection, customer_id: int
) -> tuple[ConsentOverview, list[tuple[datetime, str | None]]]:
    """`consent.consent_overview` and the merges in the customer's ledger (when, what)."""
    row = conn.execute(_CUSTOMER, (customer_id,)).fetchone()
    if row is None:
        raise _not_found(conn, customer_id)
    cid, name, country, region, tz, hours, dnc, best, preferred = row
    consents = {
        ConsentChannel(ch): ConsentInfo(ConsentState(state), _moment(since), source, words)
        for ch, state, since, source, words in conn.execute(_CONSENTS, (customer_id,))
    }
    dnc_since = dnc_source = None
    if dnc:
        stop = conn.execute(
            _LAST_STOP, (customer_id, ConsentEventKind.DO_NOT_CONTACT.value)
        ).fetchone()
        if stop is not None:
            dnc_since, dnc_source = _moment(stop[0]), stop[1]
    snap = ContactSnapshot(
        customer_id=cid,
        name=name,
        country=country,
        region=region,
        timezone=tz,
        contact_hours=hours,
        do_not_contact=bool(dnc),
        dnc_since=dnc_since,
        dnc_source=dnc_source,
        consents=consents,
        best_times=best,
    )
    merges = [
        (at, detail)
        for stamp, detail in conn.execute(
            _MERGES, (customer_id, ConsentEventKind.CUSTOMER_MERGED.value)
        )
        if (at := _moment(stamp)) is not None
    ]
    return overview_of(snap, Channel(preferred) if preferred else None), merges


# --- customers ---------------------------------------------------------------------------

_PHONE = "coalesce(customer.phone_cell, customer.phone_office, customer.phone_home)"
_OPEN_QUOTES = (
    "(SELECT count(quote.id) FROM quote WHERE quote.customer_id = customer.id AND "
    f"quote.deleted_at IS NULL AND quote.stage IN ({', '.join('?' for _ in OPEN_STAGES)}))"
)
_QUOTES = (
    "(SELECT count(quote.id) FROM quote "
    "WHERE quote.customer_id = customer.id AND quote.deleted_at IS NULL)"
)
_LAST_TOUCH = "(SELECT max(touch.at) FROM touch WHERE touch.customer_id = customer.id)"
_NAME = "substr(customer.search_key, 1, length(customer.display_name))"
_SORT_KEYS = {
    CustomerSort.NAME: _NAME,
    CustomerSort.COMPANY: "lower(customer.company)",
    CustomerSort.SUBURB: "lower(customer.suburb)",
    CustomerSort.PHONE: _PHONE,
    CustomerSort.EMAIL: "lower(customer.email)",
    CustomerSort.OPEN_QUOTES: _OPEN_QUOTES,
    CustomerSort.LAST_TOUCH: _LAST_TOUCH,
}
_PHONE_MATCH = (
    "(customer.phone_cell LIKE ? OR customer.phone_office LIKE ? OR customer.phone_home LIKE ?)"
)


def _search_sql(text: str, country: str) -> tuple[str, list[str]]:
    """`customer_search.search_condition` as SQL text and its parameters ("" for everyone)."""
    terms = search_terms(text, country)
    if terms is None:
        return "", []
    cond, params = _typed_sql(terms)
    if terms.do_not_contact:
        return ("customer.do_not_contact" + (f" AND {cond}" if cond else "")), params
    return cond, params


def _typed_sql(terms: SearchTerms) -> tuple[str, list[str]]:
    params: list[str] = []
    words = []
    for key, phone in terms.words:
        params.append(key)
        if phone is None:
            words.append("customer.search_key LIKE ? ESCAPE '\\'")
        else:
            words.append(f"(customer.search_key LIKE ? ESCAPE '\\' OR {_PHONE_MATCH})")
            params += [phone] * 3
    if terms.phone is None:
        return " AND ".join(words), params
    if not words:
        return _PHONE_MATCH, [terms.phone] * 3
    return f"({_PHONE_MATCH} OR {' AND '.join(words)})", [terms.phone] * 3 + params


def read_customers(
    conn: sqlite3.Connection,
    text: str = "",
    *,
    sort: CustomerSort = CustomerSort.NAME,
    descending: bool = False,
    country: str,
) -> list[CustomerRow]:
    """`customer_search.search_customers` (every match, no page), read with sqlite3."""
    stages = [s.value for s in OPEN_STAGES]
    key = _SORT_KEYS[sort]
    key_params = stages if sort is CustomerSort.OPEN_QUOTES else []
    order = [
        f"CASE WHEN ({key} IS NULL) THEN 1 ELSE 0 END",
        f"{key} {'DESC' if descending else 'ASC'}",
    ]
    if sort is not CustomerSort.NAME:
        order.append(_NAME)
    order += ["customer.display_name", "customer.id"]
    cond, cond_params = _search_sql(text, country)
    sql = (
        f"SELECT customer.id, customer.display_name, customer.company, customer.suburb, "
        f"customer.region, {_PHONE}, customer.email, {_OPEN_QUOTES}, {_QUOTES}, "
        f"{_LAST_TOUCH}, customer.do_not_contact FROM customer "
        f"WHERE customer.deleted_at IS NULL{f' AND {cond}' if cond else ''} "
        f"ORDER BY {', '.join(order)}"
    )
    params = [*stages, *cond_params, *key_params, *key_params]
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
            last_touch_at=_moment(r[9]),
            do_not_contact=bool(r[10]),
        )
        for r in conn.execute(sql, params)
    ]


# --- one customer ------------------------------------------------------------------------

_DETAILS = (
    "SELECT id, version, display_name, company, phone_cell, phone_office, phone_home, email, "
    "street, suburb, region, postcode, country, timezone, birthday, notes, do_not_contact, "
    "created_at, updated_at FROM customer WHERE id = ? AND deleted_at IS NULL"
)
_THEIR_QUOTES = (
    "SELECT id, number, job, stage, amount, currency, received_at FROM quote "
    "WHERE customer_id = ? AND deleted_at IS NULL ORDER BY received_at DESC, id DESC"
)
_TOUCHES = "SELECT count(id), max(at) FROM touch WHERE customer_id = ?"
_FOLLOW_UPS = "SELECT count(id) FROM follow_up WHERE customer_id = ?"


def read_customer_details(conn: sqlite3.Connection, customer_id: int) -> CustomerDetails:
    """`customers.customer_details`, read with sqlite3."""
    row = conn.execute(_DETAILS, (customer_id,)).fetchone()
    if row is None:
        raise _not_found(conn, customer_id)
    quotes = tuple(
        QuoteSummary(
            qid,
            number,
            job,
            Stage(stage),
            f"{amount:.2f}" if (amount := _money(cents)) is not None else None,
            currency,
            datetime.fromisoformat(received).replace(tzinfo=UTC),
        )
        for qid, number, job, stage, cents, currency, received in conn.execute(
            _THEIR_QUOTES, (customer_id,)
        )
    )
    touches, last = conn.execute(_TOUCHES, (customer_id,)).fetchone()
    follow_ups = conn.execute(_FOLLOW_UPS, (customer_id,)).fetchone()[0]
    created, updated = _moment(row[17]), _moment(row[18])
    assert created is not None and updated is not None
    return CustomerDetails(
        id=row[0],
        version=row[1],
        name=row[2],
        company=row[3],
        phone_cell=row[4],
        phone_office=row[5],
        phone_home=row[6],
        email=row[7],
        street=row[8],
        suburb=row[9],
        region=row[10],
        postcode=row[11],
        country=row[12],
        timezone=row[13],
        birthday=_day(row[14]),
        notes=row[15],
        do_not_contact=bool(row[16]),
        created_at=created,
        updated_at=updated,
        quotes=quotes,
        touches=int(touches),
        follow_ups=int(follow_ups),
        last_touch_at=_moment(last),
    )


# --- quotes ------------------------------------------------------------------------------

_QUOTE_LIST = (
    "SELECT quote.id, quote.customer_id, customer.display_name, quote.number, quote.job, "
    "quote.amount, quote.currency, quote.stage, quote.sent_at, quote.valid_until, "
    "quote.competing_quotes, quote.version, quote.lost_reason, quote.parked_until, "
    "quote.file_path FROM quote JOIN customer ON customer.id = quote.customer_id "
    "WHERE quote.deleted_at IS NULL AND customer.deleted_at IS NULL{stage} "
    "ORDER BY quote.received_at DESC, quote.id DESC"
)


def read_quotes(
    conn: sqlite3.Connection, stage: Stage | None, *, owner_tz: str
) -> list[QuoteDetails]:
    """`quotes.list_quotes`, read with sqlite3 (the sent day on the owner's calendar)."""
    tz = ZoneInfo(owner_tz)
    sql = _QUOTE_LIST.format(stage=" AND quote.stage = ?" if stage is not None else "")
    params = (stage.value,) if stage is not None else ()
    return [
        QuoteDetails(
            id=qid,
            customer_id=cid,
            customer=name,
            number=number,
            job=job,
            amount=_money(cents),
            currency=currency,
            stage=Stage(st),
            sent_on=sent.astimezone(tz).date() if (sent := _moment(sent_at)) else None,
            valid_until=_day(valid_until),
            competing_quotes=competing,
            file=file_path,
            version=version,
            lost_reason=lost_reason,
            parked_until=_day(parked_until),
        )
        for (
            qid,
            cid,
            name,
            number,
            job,
            cents,
            currency,
            st,
            sent_at,
            valid_until,
            competing,
            version,
            lost_reason,
            parked_until,
            file_path,
        ) in conn.execute(sql, params)
    ]
