"""Trash with undo, emptying after N days, and erasing a customer for good."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from deckfollow.core.consent import revoke_consent
from deckfollow.core.due import due_items
from deckfollow.core.enums import Basis, Channel, Direction, FollowUpStatus, Outcome
from deckfollow.core.erasure import empty_trash_for_good, erase_for_good
from deckfollow.core.errors import NotFoundError, ValidationError
from deckfollow.core.followups import FollowUpPlan
from deckfollow.core.leads import LeadCreated, NewLead, add_lead
from deckfollow.core.models import (
    ConsentEvent,
    Customer,
    FollowUp,
    Quote,
    Suppression,
    Touch,
)
from deckfollow.core.touches import TouchRecord, log_touch
from deckfollow.core.trash import (
    CUSTOMER,
    QUOTE,
    list_trash,
    restore_customer,
    restore_quote,
    trash_customer,
    trash_quote,
)
from deckfollow.storage.backup_copies import backup_before
from deckfollow.storage.backup_rotation import auto_backup
from deckfollow.storage.database import Database

TZ = "Australia/Sydney"


def _lead(db: Database, name: str, email: str, now: datetime) -> LeadCreated:
    """A lead who agreed on a call back, so they have a touch, follow-up and ledger entries."""
    with db.unit_of_work() as s:
        lead = add_lead(
            s,
            NewLead(
                name, email=email, phone="+61412345678", job="New deck", timezone=TZ, answered=True
            ),
            now=now,
        )
    with db.unit_of_work() as s:
        log_touch(
            s,
            TouchRecord(
                lead.customer_id,
                Channel.CALL,
                Direction.OUTBOUND,
                Outcome.REACHED,
                now,
                quote_id=lead.quote_id,
            ),
            FollowUpPlan(
                now + timedelta(hours=1),
                Channel.CALL,
                "go through the quote",
                Basis.AGREED,
                agreed_words="ring me in an hour",
            ),
            now=now,
        )
    return lead


def _due_customers(db: Database, now: datetime) -> set[int]:
    with db.reading() as s:
        items = due_items(s, day=date(2026, 11, 23), now=now + timedelta(days=1), owner_tz=TZ)
    return {i.customer_id for i in items}


def _count(db: Database, model: type[object]) -> int:
    with db.reading() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_a_trashed_customer_leaves_today_and_comes_back_on_undo(db: Database, now: datetime):
    ada = _lead(db, "Ada Lovelace", "ada@example.com", now)
    assert _due_customers(db, now) == {ada.customer_id}
    with db.unit_of_work() as s:
        trash_customer(s, ada.customer_id, now=now)
    assert _due_customers(db, now) == set()
    with db.reading() as s:
        [item] = list_trash(s)
    assert (item.kind, item.id, item.label, item.quotes) == (
        CUSTOMER,
        ada.customer_id,
        "Ada Lovelace",
        1,
    )
    with db.unit_of_work() as s, pytest.raises(ValidationError, match="already in the trash"):
        trash_customer(s, ada.customer_id, now=now)
    with db.unit_of_work() as s:
        restore_customer(s, ada.customer_id, now=now)
    assert _due_customers(db, now) == {ada.customer_id}
    with db.reading() as s:
        assert list_trash(s) == []
        assert s.get(Quote, ada.quote_id).deleted_at is None  # type: ignore[union-attr]


def test_a_trashed_quote_is_listed_alone_and_restores_its_trashed_customer(
    db: Database, now: datetime
):
    ada = _lead(db, "Ada Lovelace", "ada@example.com", now)
    with db.unit_of_work() as s:
        trash_quote(s, ada.quote_id, now=now)
    assert _due_customers(db, now) == set()
    with db.reading() as s:
        [item] = list_trash(s)
    assert (item.kind, item.id, item.label) == (QUOTE, ada.quote_id, "New deck (Ada Lovelace)")
    with db.unit_of_work() as s:
        trash_customer(s, ada.customer_id, now=now + timedelta(minutes=5))
    with db.reading() as s:
        assert [(i.kind, i.quotes) for i in list_trash(s)] == [(CUSTOMER, 0), (QUOTE, 0)]
    with db.unit_of_work() as s:
        restore_quote(s, ada.quote_id, now=now)
    with db.reading() as s:
        assert list_trash(s) == []


def test_empty_trash_removes_only_what_is_older_than_the_limit(db: Database, now: datetime):
    old = _lead(db, "Old Customer", "old@example.com", now)
    recent = _lead(db, "Recent Customer", "recent@example.com", now)
    kept_quote = _lead(db, "Keeps Customer", "keeps@example.com", now)
    with db.unit_of_work() as s:
        trash_customer(s, old.customer_id, now=now - timedelta(days=40))
        trash_customer(s, recent.customer_id, now=now - timedelta(days=3))
        trash_quote(s, kept_quote.quote_id, now=now - timedelta(days=31))
    emptied = empty_trash_for_good(db, now=now, older_than_days=30)
    assert (emptied.customers, emptied.quotes) == (1, 1)
    with db.reading() as s:
        assert [i.label for i in list_trash(s)] == ["Recent Customer"]
        assert s.get(Customer, old.customer_id) is None
        assert s.get(Quote, kept_quote.quote_id) is None
        # The agreed follow-up is consent evidence: it stays, cut loose and cancelled.
        fu = s.scalars(select(FollowUp).where(FollowUp.customer_id == kept_quote.customer_id)).one()
        assert (fu.quote_id, fu.status) == (None, FollowUpStatus.CANCELLED)
    assert empty_trash_for_good(db, now=now, older_than_days=None).customers == 1


def test_erasing_a_do_not_contact_person_leaves_only_a_suppression_hash(
    db: Database, db_path: Path, now: datetime
):
    grace = _lead(db, "Grace Hopper", "grace.hopper@example.com", now)
    other = _lead(db, "Alan Turing", "alan@example.com", now)
    auto_backup(db_path, now=now)  # daily + weekly, both holding Grace
    with db.unit_of_work() as s:
        revoke_consent(
            s, grace.customer_id, None, source="phone call", words="stop calling me", now=now
        )
    before = backup_before(db, "import", now=now + timedelta(minutes=1))
    report = erase_for_good(db, grace.customer_id, now=now)

    e = report.erased
    assert e.suppressed and (e.quotes, e.touches, e.follow_ups) == (1, 1, 1)
    assert e.consent_events >= 3  # granted, agreed follow-up, do-not-contact
    with db.reading() as s:
        assert s.get(Customer, grace.customer_id) is None
        for model in (Quote, Touch, FollowUp, ConsentEvent):
            rows = s.scalars(select(model).where(model.customer_id == grace.customer_id)).all()
            assert rows == []
        assert s.scalar(select(func.count()).select_from(Suppression)) == 1
        assert s.get(Customer, other.customer_id) is not None
    assert report.scrubbed
    raw = db_path.read_bytes() + Path(f"{db_path}-wal").read_bytes()
    assert b"grace.hopper@example.com" not in raw and b"Grace Hopper" not in raw
    assert b"alan@example.com" in raw

    assert len(report.still_in_backups) == 3
    assert report.still_in_backups[0].path == before
    assert "3 backups still hold them" in report.summary()
    assert "only a hash of their email and phone" in report.summary()

    with db.unit_of_work() as s, pytest.raises(ValidationError, match="erased"):
        add_lead(s, NewLead("G. Hopper", email="Grace.Hopper@example.com", answered=True), now=now)
    with db.unit_of_work() as s, pytest.raises(NotFoundError):
        trash_customer(s, grace.customer_id, now=now)


def test_erasing_a_customer_who_never_refused_contact_keeps_no_trace(
    db: Database, db_path: Path, now: datetime
):
    ada = _lead(db, "Ada Lovelace", "ada@example.com", now)
    with db.unit_of_work() as s:
        trash_customer(s, ada.customer_id, now=now)
    report = erase_for_good(db, ada.customer_id, now=now)
    assert not report.erased.suppressed and report.still_in_backups == []
    assert "No backup in the backups folder holds them." in report.summary()
    assert _count(db, Suppression) == 0 and _count(db, Customer) == 0
    with db.unit_of_work() as s:  # they may come back as a new lead
        add_lead(s, NewLead("Ada Lovelace", email="ada@example.com", answered=True), now=now)
