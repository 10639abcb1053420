"""Everything in one JSON file: customers (with consent state and ledger), quotes, touches,
follow-ups, cadences, templates, the owner's settings and the suppression list. The format
is documented in docs/export-format.md.

Read with Core column tuples (not ORM objects): an export of a large business stays fast.
"""

from __future__ import annotations

import io
import json
import math
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from itertools import groupby
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, TypeDecorator, select
from sqlalchemy.orm import Session

from deckfollow import __version__
from deckfollow.core.columns import UTCDateTime
from deckfollow.core.enums import ConsentChannel, ConsentState
from deckfollow.core.models import (
    Base,
    Cadence,
    CadenceRun,
    CadenceStep,
    ChannelConsent,
    ConsentEvent,
    Customer,
    FollowUp,
    Quote,
    Setting,
    Suppression,
    Template,
    Touch,
)
from deckfollow.exchange.private_files import open_private

FORMAT_NAME = "deckfollow-export"
FORMAT_VERSION = 1

# Internal bookkeeping that means nothing outside this database (a customer's search key
# is their fields folded for searching).
_SKIP = {"version", "event_id", "search_key"}
# Secrets live in the OS keyring, never in settings; should one ever be stored by mistake,
# it still never leaves in an export.
_SECRET_WORDS = ("password", "secret", "token", "credential")


# Most values need no conversion: checked by exact type first (an export is ~10⁶ values).
_AS_IS = frozenset({str, int, float, bool, type(None)})
# What `json.dumps(..., ensure_ascii=False, indent=1)` builds for each call, made once.
_ENCODER = json.JSONEncoder(ensure_ascii=False, indent=1)
# The standard encoder's own string quoting (in C) for ensure_ascii=False.
_quote: Callable[[str], str] = json.encoder.encode_basestring


def _value(v: Any) -> Any:
    if type(v) in _AS_IS:
        return v
    if isinstance(v, Decimal):
        return str(v)  # exact: never a float
    if isinstance(v, datetime):
        return v.isoformat().replace("+00:00", "Z")
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, Enum):
        return v.value
    return v


# Rows fetched from the database at a time: memory stays flat however big the business is.
_BATCH = 1000


def _iso(v: datetime | None) -> str | None:
    return None if v is None else v.isoformat().replace("+00:00", "Z")


def _converter(column: Any) -> Callable[[Any], Any] | None:
    """How a column's values are written, chosen once per column (None: as they come)."""
    kind = column.type
    if isinstance(kind, UTCDateTime):
        return _iso  # always an aware UTC moment
    if isinstance(kind, TypeDecorator):
        return _value  # its Python values are its own (money comes back as Decimal)
    try:
        python_type = kind.python_type
    except NotImplementedError:
        return _value
    return None if python_type in _AS_IS else _value


def _row_stream(session: Session, model: type[Base], *order: Any) -> Iterator[dict[str, Any]]:
    table = cast(Table, model.__table__)
    cols = [c for c in table.columns if c.name not in _SKIP]
    names = [c.name for c in cols]
    converted = [(i, f) for i, c in enumerate(cols) if (f := _converter(c)) is not None]
    stmt = select(*cols).order_by(*order).execution_options(yield_per=_BATCH)
    for row in session.execute(stmt):
        values = list(row)
        for i, convert in converted:
            values[i] = convert(values[i])
        yield dict(zip(names, values, strict=True))


def _by_customer(rows: Iterator[dict[str, Any]]) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    """Rows ordered by customer, one customer's at a time (their customer_id taken out)."""
    for cid, group in groupby(rows, key=lambda r: int(r["customer_id"])):
        batch = list(group)
        for row in batch:
            del row["customer_id"]
        yield cid, batch


def _customers(session: Session) -> Iterator[dict[str, Any]]:
    """Each customer with their consent state and ledger, read side by side in customer order
    (so no table is held in memory whole)."""
    consents = _by_customer(
        _row_stream(session, ChannelConsent, ChannelConsent.customer_id, ChannelConsent.id)
    )
    ledgers = _by_customer(
        _row_stream(
            session, ConsentEvent, ConsentEvent.customer_id, ConsentEvent.at, ConsentEvent.id
        )
    )
    consent_next = next(consents, None)
    ledger_next = next(ledgers, None)
    for c in _row_stream(session, Customer, Customer.id):
        cid = int(c["id"])
        while consent_next is not None and consent_next[0] < cid:
            consent_next = next(consents, None)
        while ledger_next is not None and ledger_next[0] < cid:
            ledger_next = next(ledgers, None)
        known: dict[str, Any] = {}
        if consent_next is not None and consent_next[0] == cid:
            for row in consent_next[1]:
                row.pop("id")
                known[row.pop("channel")] = row
        c["consent"] = {
            ch.value: known.get(ch.value, {"state": ConsentState.UNKNOWN.value})
            for ch in ConsentChannel
        }
        c["consent_ledger"] = (
            ledger_next[1] if ledger_next is not None and ledger_next[0] == cid else []
        )
        yield c


def _cadences(session: Session) -> Iterator[dict[str, Any]]:
    # A business has a handful of cadences: their steps are gathered in memory.
    steps: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in _row_stream(session, CadenceStep, CadenceStep.cadence_id, CadenceStep.position):
        steps[row.pop("cadence_id")].append(row)
    for cad in _row_stream(session, Cadence, Cadence.id):
        cad["steps"] = steps.get(cad["id"], [])
        yield cad


def _quotes(session: Session) -> Iterator[dict[str, Any]]:
    """Each quote, with the file sent with it under the format's `file` key."""
    for quote in _row_stream(session, Quote, Quote.id):
        quote["file"] = quote.pop("file_path")
        yield quote


def _sections(session: Session, now: datetime) -> Iterator[tuple[str, Any]]:
    """The document's keys in order; a list section comes as an iterator of its records."""
    yield "format", FORMAT_NAME
    yield "format_version", FORMAT_VERSION
    yield "app_version", __version__
    yield "exported_at", _value(now)
    yield "customers", _customers(session)
    yield "quotes", _quotes(session)
    yield "touches", _row_stream(session, Touch, Touch.id)
    yield "follow_ups", _row_stream(session, FollowUp, FollowUp.id)
    yield "cadences", _cadences(session)
    yield "cadence_runs", _row_stream(session, CadenceRun, CadenceRun.id)
    yield "templates", _row_stream(session, Template, Template.id)
    yield (
        "settings",
        {
            key: value
            for key, value in session.execute(
                select(Setting.key, Setting.value).order_by(Setting.key)
            )
            if not any(word in key.lower() for word in _SECRET_WORDS)
        },
    )
    yield "suppressions", _row_stream(session, Suppression, Suppression.id)


def build_export(session: Session, *, now: datetime) -> dict[str, Any]:
    """The whole database as one JSON-ready dict (deleted-to-trash records included, flagged).

    For a test or a small business; `export_json` writes the same document without holding it.
    """
    return {
        key: list(value) if isinstance(value, Iterator) else value
        for key, value in _sections(session, now)
    }


def _float(v: float) -> str:
    if math.isnan(v):
        return "NaN"
    if v in (_INF, -_INF):
        return "Infinity" if v > 0 else "-Infinity"
    return float.__repr__(v)


_INF = float("inf")


def _encode(value: Any, level: int, out: list[str]) -> None:
    """Append `value` as `json.dumps(value, ensure_ascii=False, indent=1)` writes it `level`
    deep: the standard encoder with an indent runs in Python, a generator per value; this
    writes the same bytes with a fraction of the calls (the export's largest cost)."""
    kind = type(value)
    if kind is str:
        out.append(_quote(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif kind is int:
        out.append(int.__repr__(value))
    elif kind is float:
        out.append(_float(value))
    elif kind is dict:
        if not value:
            out.append("{}")
            return
        inner = "\n" + " " * (level + 1)
        first = True
        for key, item in value.items():
            out.append("{" + inner if first else "," + inner)
            first = False
            out.append(_key(key))
            out.append(": ")
            _encode(item, level + 1, out)
        out.append("\n" + " " * level + "}")
    elif kind is list or kind is tuple:
        if not value:
            out.append("[]")
            return
        inner = "\n" + " " * (level + 1)
        for n, item in enumerate(value):
            out.append("," + inner if n else "[" + inner)
            _encode(item, level + 1, out)
        out.append("\n" + " " * level + "]")
    else:  # anything else (a subclass, an unusual key): the standard encoder decides
        text = _ENCODER.encode(value)
        out.append(text.replace("\n", "\n" + " " * level) if level else text)


def _key(key: Any) -> str:
    if type(key) is str:
        return _quote(key)
    # The standard encoder's rules for a non-string key (a number, true, null).
    return _quote(next(iter(json.loads(_ENCODER.encode({key: 0})))))


def _dumps(value: Any, level: int) -> str:
    """`value` as `json.dumps(..., ensure_ascii=False, indent=1)` writes it `level` deep
    inside a document."""
    out: list[str] = []
    _encode(value, level, out)
    return "".join(out)


def export_json(session: Session, path: Path, *, now: datetime) -> dict[str, int]:
    """Write the export to `path`; returns how many records of each kind were written.

    The document is written record by record, byte for byte what `json.dumps(build_export(...),
    ensure_ascii=False, indent=1)` gives, so its memory does not grow with the business.
    """
    counts: dict[str, int] = {}
    with open_private(path) as fh:
        out = io.TextIOWrapper(fh, encoding="utf-8", newline="\n", write_through=False)
        out.write("{")
        for n, (key, value) in enumerate(_sections(session, now)):
            out.write(f"{',' if n else ''}\n {json.dumps(key, ensure_ascii=False)}: ")
            if not isinstance(value, Iterator):
                out.write(_dumps(value, 1))
                continue
            count = 0
            for record in value:
                out.write(",\n  " if count else "[\n  ")
                out.write(_dumps(record, 2))
                count += 1
            out.write("\n ]" if count else "[]")
            counts[key] = count
        out.write("\n}")
        out.flush()
        out.detach()
    return counts
