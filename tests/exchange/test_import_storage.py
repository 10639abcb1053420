"""What an import stores is the same whichever way the rows reach the database: sent by place
as one executemany (SQLite), through SQLAlchemy's own executemany (named parameters), and on
PostgreSQL; every column of every new customer and of their consent ledger."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from deckfollow.core.models import ChannelConsent, ConsentEvent, Customer
from deckfollow.exchange import bulk_insert
from deckfollow.storage.database import Database, open_database
from tests.exchange.import_helpers import contacts_csv, csv_bytes, import_bytes, set_owner

_HEADER = ["Name", "Email", "Mobile", "State", "Country", "Time zone", "Do not contact",
           "Birthday", "Notes"]  # fmt: skip
_ROWS = [
    ["Zoë Müller", "zoe@example.com", "0412 345 678", "NSW", "Australia", "", "", "14/7/1985",
     "Deck, spring"],
    ["José Núñez", "JOSE@EXAMPLE.COM", "", "Texas", "US", "", "", "1990-02-03", ""],
    ["Łukasz Wróbel", "", "0413 111 222", "", "", "Australia/Perth", "yes", "", ""],
    ["Siobhán O’Brien", "s.obrien@example.ie", "+353 85 123 4567", "", "Ireland", "", "", "", ""],
    ["Mia Chen", "mia@example.com", "0414 222 333", "WA", "", "", "dnc", "--03-04", ""],
    ["Ana Pérez", "ana@example.com", "", "Qld", "", "", "", "", "line one\nline two"],
]  # fmt: skip


# Ids (a server's sequences need not start at 1) and who made the change (a team's server
# names its member).
_LEFT_OUT = ("id", "updated_by", "recorded_by")


def _files() -> list[bytes]:
    return [contacts_csv(150, seed=4), csv_bytes(_HEADER, _ROWS)]


def _stored(db: Database) -> list[tuple[object, ...]]:
    """Every column of every customer and ledger row, but those `_LEFT_OUT`."""
    out: list[tuple[object, ...]] = []
    with db.reading() as s:
        for model in (Customer, ConsentEvent, ChannelConsent):
            table = model.__table__
            columns = [c for c in table.columns if c.name not in _LEFT_OUT]
            out += [tuple(r) for r in s.execute(select(*columns).order_by(table.c.id))]
    return out


def _raw(db: Database) -> list[tuple[object, ...]]:
    """Every row as the file holds it, byte for byte as the driver reads it back."""
    out: list[tuple[object, ...]] = []
    with db.engine.connect() as conn:
        for table in ("customer", "consent_event", "channel_consent"):
            out += [tuple(r) for r in conn.exec_driver_sql(f"SELECT * FROM {table} ORDER BY id")]
    return out


def _import_all(db: Database, now: datetime) -> None:
    set_owner(db)
    for data in _files():
        plan = import_bytes(db, data, now)
        assert plan.imported > 0


def test_rows_sent_by_place_are_stored_as_sqlalchemy_stores_them(
    tmp_path: Path, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    quick = open_database(str(tmp_path / "quick.db"))
    _import_all(quick, now)
    monkeypatch.setattr(bulk_insert, "_plain_positional", lambda *_: False)
    plain = open_database(str(tmp_path / "plain.db"))
    _import_all(plain, now)
    stored = _raw(quick)
    assert len(stored) > 150
    assert stored == _raw(plain)
    quick.close()
    plain.close()


def test_an_import_on_postgresql_stores_what_sqlite_stores(
    tmp_path: Path, now: datetime, pg: Database
) -> None:
    local = open_database(str(tmp_path / "local.db"))
    _import_all(local, now)
    _import_all(pg, now)
    assert _stored(pg) == _stored(local)
    local.close()
