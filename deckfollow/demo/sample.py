"""Which rows are sample data, and removing exactly those in one step.

The demo writes its customers with ids it chose in one contiguous run (see the generator's
`workbench.Ids`), so what it made is recorded as id ranges in the settings table (`demo.customers`),
with everything else hanging off those customers. Whatever the owner enters later gets ids
past the run and is left alone.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, delete, false, func, or_, select, update
from sqlalchemy.orm import Session

from deckfollow.core.board import business_is_empty
from deckfollow.core.changes import Changes
from deckfollow.core.contact_info import suppression_hash
from deckfollow.core.models import (
    CadenceRun,
    ChannelConsent,
    ConsentEvent,
    Customer,
    FollowUp,
    Quote,
    Setting,
    Suppression,
    Touch,
)
from deckfollow.core.settings import get_setting, set_setting

CUSTOMERS_KEY = "demo.customers"  # JSON [[first id, last id], ...]
SETTINGS_KEY = "demo.settings"  # JSON {owner setting: the value the demo gave it}
HASHES_KEY = "demo.hashes"  # JSON [suppression hash, ...] of sample people marked do-not-contact
WELCOME_KEY = "ui.welcome_done"  # how the owner chose to start ("sample": with this data)
_OPTS = {"synchronize_session": False}


@dataclass(frozen=True)
class SampleCounts:
    """How much sample data is in the database now."""

    customers: int
    quotes: int

    def __bool__(self) -> bool:
        return self.customers > 0


@dataclass(frozen=True)
class SampleRemoved:
    """What removing the sample data deleted, table by table."""

    customers: int = 0
    quotes: int = 0
    touches: int = 0
    follow_ups: int = 0
    plans: int = 0
    consent_events: int = 0
    consent_states: int = 0
    settings: int = 0

    @property
    def changes(self) -> Changes:
        return Changes(
            customers=True, quotes=True, touches=True, follow_ups=True, consent=True, settings=True
        )


def _runs(ids: Sequence[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for i in sorted(ids):
        if runs and i == runs[-1][1] + 1:
            runs[-1][1] = i
        else:
            runs.append([i, i])
    return runs


def _load(session: Session, key: str, empty: Any) -> Any:
    raw = get_setting(session, key)
    return json.loads(raw) if raw else empty


def record_sample(
    session: Session,
    customer_ids: Sequence[int],
    settings: dict[str, str],
    dnc_contacts: Iterable[str] = (),
) -> None:
    """Remember what a demo run made (added to any earlier run's record)."""
    ranges = _load(session, CUSTOMERS_KEY, []) + _runs(customer_ids)
    set_setting(session, CUSTOMERS_KEY, json.dumps(ranges))
    written = {**_load(session, SETTINGS_KEY, {}), **settings}
    set_setting(session, SETTINGS_KEY, json.dumps(written, ensure_ascii=False))
    hashes = set(_load(session, HASHES_KEY, [])) | {suppression_hash(c) for c in dnc_contacts}
    if hashes:
        set_setting(session, HASHES_KEY, json.dumps(sorted(hashes)))


def _sample(session: Session, column: Any) -> ColumnElement[bool]:
    ranges = _load(session, CUSTOMERS_KEY, [])
    if not ranges:
        return false()
    return or_(*(column.between(lo, hi) for lo, hi in ranges))


def has_sample(session: Session) -> bool:
    """Whether a demo run's data may still be here (cheap: one settings row)."""
    return get_setting(session, CUSTOMERS_KEY) is not None


def sample_counts(session: Session) -> SampleCounts:
    """How many sample customers and quotes there are (for the confirmation)."""
    customers = session.execute(
        select(func.count(Customer.id)).where(_sample(session, Customer.id))
    ).scalar_one()
    quotes = session.execute(
        select(func.count(Quote.id)).where(_sample(session, Quote.customer_id))
    ).scalar_one()
    return SampleCounts(int(customers), int(quotes))


def _delete(session: Session, stmt: Any) -> int:
    return int(session.execute(stmt, execution_options=_OPTS).rowcount)  # type: ignore[attr-defined]


def remove_sample_data(session: Session, *, now: datetime) -> SampleRemoved:
    """Delete every sample customer with their quotes, touches, plans and consent ledger,
    and the owner settings the demo filled in that still hold its values.

    The ledger gives up entries only for customers in the trash (the same rule erasure
    follows): the sample customers go to the trash first, in the same transaction.
    """
    in_sample = _sample(session, Customer.id)
    session.execute(
        update(Customer).where(in_sample, Customer.deleted_at.is_(None)).values(deleted_at=now),
        execution_options=_OPTS,
    )
    session.flush()
    fu_ids = select(FollowUp.id).where(_sample(session, FollowUp.customer_id))
    q_ids = select(Quote.id).where(_sample(session, Quote.customer_id))
    states = _delete(
        session, delete(ChannelConsent).where(_sample(session, ChannelConsent.customer_id))
    )
    touches = _delete(session, delete(Touch).where(_sample(session, Touch.customer_id)))
    # A touch of the owner's own customer never points at a sample follow-up; never block.
    session.execute(
        update(Touch).where(Touch.follow_up_id.in_(fu_ids)).values(follow_up_id=None),
        execution_options=_OPTS,
    )
    events = _delete(
        session, delete(ConsentEvent).where(_sample(session, ConsentEvent.customer_id))
    )
    follow_ups = _delete(session, delete(FollowUp).where(_sample(session, FollowUp.customer_id)))
    plans = _delete(
        session,
        delete(CadenceRun).where(
            or_(_sample(session, CadenceRun.customer_id), CadenceRun.quote_id.in_(q_ids))
        ),
    )
    quotes = _delete(session, delete(Quote).where(_sample(session, Quote.customer_id)))
    customers = _delete(session, delete(Customer).where(in_sample))
    hashes = _load(session, HASHES_KEY, [])
    if hashes:
        # A sample person erased meanwhile left a suppression entry; it names no one real.
        _delete(
            session,
            delete(Suppression).where(
                or_(Suppression.email_hash.in_(hashes), Suppression.phone_hash.in_(hashes))
            ),
        )
    cleared = 0
    for key, value in _load(session, SETTINGS_KEY, {}).items():
        row = session.get(Setting, key)
        if row is not None and row.value == value:
            session.delete(row)
            cleared += 1
    keys = [CUSTOMERS_KEY, SETTINGS_KEY, HASHES_KEY]
    session.flush()
    if get_setting(session, WELCOME_KEY) == "sample" and business_is_empty(session):
        # Nothing of the owner's is left: the next start welcomes them as on the first.
        keys.append(WELCOME_KEY)
    for key in keys:
        row = session.get(Setting, key)
        if row is not None:
            session.delete(row)
    session.flush()
    return SampleRemoved(customers, quotes, touches, follow_ups, plans, events, states, cleared)
