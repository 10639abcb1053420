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
from datetime import UTC, datetime

from deckfollow.core.consent_overview import ConsentOverview, overview_of
from deckfollow.core.customer_rows import OPEN_STAGES, CustomerRow, CustomerSort, search_terms
from deckfollow.core.enums import Channel, ConsentChannel, ConsentEventKind, ConsentState
from deckfollow.core.errors import NotFoundError
from deckfollow.core.owner_settings import OwnerSettings, settings_from_stored
from deckfollow.core.permission import ConsentInfo, ContactSnapshot


def _moment(stored: str | None) -> datetime | None:
    """A `UTCDateTime` as SQLite holds it (naive UTC text), as the ORM returns it."""
    return None if stored is None else datetime.fromisoformat(stored).replace(tzinfo=UTC)


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
        raise NotFoundError(f"no customer with id {customer_id}")
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
