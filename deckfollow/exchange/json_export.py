"""Everything in one JSON file: customers (with consent state and ledger), quotes, touches,
follow-ups, cadences, templates, the owner's settings and the suppression list. The format
is documented in docs/export-format.md.

Read with Core column tuples (not ORM objects): an export of a large business stays fast.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from deckfollow import __version__
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
from deckfollow.core.quote_files import all_files, is_quote_file_key
from deckfollow.exchange.private_files import write_private

FORMAT_NAME = "deckfollow-export"
FORMAT_VERSION = 1

# Internal bookkeeping that means nothing outside this database.
_SKIP = {"version", "event_id"}
# Secrets live in the OS keyring, never in settings; should one ever be stored by mistake,
# it still never leaves in an export.
_SECRET_WORDS = ("password", "secret", "token", "credential")


def _value(v: Any) -> Any:
    if isinstance(v, Decimal):
        return str(v)  # exact: never a float
    if isinstance(v, datetime):
        return v.isoformat().replace("+00:00", "Z")
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, Enum):
        return v.value
    return v


def _rows(session: Session, model: type[Base], *order: Any) -> list[dict[str, Any]]:
    table = cast(Table, model.__table__)
    cols = [c for c in table.columns if c.name not in _SKIP]
    result = session.execute(select(*cols).order_by(*order))
    return [{c.name: _value(v) for c, v in zip(cols, row, strict=True)} for row in result]


def build_export(session: Session, *, now: datetime) -> dict[str, Any]:
    """The whole database as one JSON-ready dict (deleted-to-trash records included, flagged)."""
    consent_by_customer: dict[int, dict[str, Any]] = defaultdict(dict)
    for row in _rows(session, ChannelConsent, ChannelConsent.id):
        cid = row.pop("customer_id")
        row.pop("id")
        consent_by_customer[cid][row.pop("channel")] = row
    ledger_by_customer: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in _rows(session, ConsentEvent, ConsentEvent.at, ConsentEvent.id):
        ledger_by_customer[row.pop("customer_id")].append(row)
    customers = _rows(session, Customer, Customer.id)
    for c in customers:
        known = consent_by_customer.get(c["id"], {})
        c["consent"] = {
            ch.value: known.get(ch.value, {"state": ConsentState.UNKNOWN.value})
            for ch in ConsentChannel
        }
        c["consent_ledger"] = ledger_by_customer.get(c["id"], [])
    steps: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in _rows(session, CadenceStep, CadenceStep.cadence_id, CadenceStep.position):
        steps[row.pop("cadence_id")].append(row)
    cadences = _rows(session, Cadence, Cadence.id)
    for cad in cadences:
        cad["steps"] = steps.get(cad["id"], [])
    settings = {
        key: value
        for key, value in session.execute(select(Setting.key, Setting.value).order_by(Setting.key))
        if not any(word in key.lower() for word in _SECRET_WORDS) and not is_quote_file_key(key)
    }
    quotes = _rows(session, Quote, Quote.id)
    files = all_files(session)
    for quote in quotes:
        quote["file"] = files.get(quote["id"])
    return {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "app_version": __version__,
        "exported_at": _value(now),
        "customers": customers,
        "quotes": quotes,
        "touches": _rows(session, Touch, Touch.id),
        "follow_ups": _rows(session, FollowUp, FollowUp.id),
        "cadences": cadences,
        "cadence_runs": _rows(session, CadenceRun, CadenceRun.id),
        "templates": _rows(session, Template, Template.id),
        "settings": settings,
        "suppressions": _rows(session, Suppression, Suppression.id),
    }


def export_json(session: Session, path: Path, *, now: datetime) -> dict[str, int]:
    """Write the export to `path`; returns how many records of each kind were written."""
    data = build_export(session, now=now)
    write_private(path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
    return {k: len(v) for k, v in data.items() if isinstance(v, list)}
