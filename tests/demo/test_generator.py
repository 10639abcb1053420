"""The demo database: believable, deterministic, and inside every rule of permission."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import phonenumbers
import pytest
from sqlalchemy import select

from deckfollow.core.due import due_items
from deckfollow.core.enums import Basis, Channel, ConsentState, FollowUpStatus, Stage
from deckfollow.core.followups import audit_rules
from deckfollow.core.models import ChannelConsent, Customer, FollowUp, Quote
from deckfollow.demo.generator import generate_demo
from deckfollow.demo.markets import MARKETS
from deckfollow.exchange.json_export import build_export
from deckfollow.storage.database import Database, open_database
from tests.cli.helpers import run_cli


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Database:
    from tests.conftest import FROZEN_NOW

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    db = open_database(str(path))
    with db.unit_of_work() as session:
        generate_demo(session, customers=300, quotes=800, seed=7, now=FROZEN_NOW, country="AU")
    return db


def test_demo_data_obeys_every_rule_of_permission(demo_db: Database) -> None:
    with demo_db.reading() as session:
        assert audit_rules(session) == []
        dnc_pending = session.execute(
            select(FollowUp.id)
            .join(Customer, Customer.id == FollowUp.customer_id)
            .where(Customer.do_not_contact, FollowUp.status == FollowUpStatus.PENDING)
        ).all()
        assert dnc_pending == []


def test_demo_business_has_every_stage_country_and_kind_of_follow_up(
    demo_db: Database, now: datetime
) -> None:
    with demo_db.reading() as session:
        stages = Counter(session.execute(select(Quote.stage)).scalars())
        countries = Counter(session.execute(select(Customer.country)).scalars())
        fus = session.execute(
            select(FollowUp.due_at, FollowUp.basis, FollowUp.channel).where(
                FollowUp.status == FollowUpStatus.PENDING
            )
        ).all()
        revoked = session.execute(
            select(ChannelConsent.id).where(ChannelConsent.state == ConsentState.REVOKED)
        ).all()
        dnc = session.execute(select(Customer.id).where(Customer.do_not_contact)).all()
    assert set(stages) == set(Stage)
    # A Sydney business: its customers are local, a few from interstate or New Zealand.
    assert countries["AU"] >= 0.97 * sum(countries.values())
    assert revoked and dnc
    assert any(d < now for d, _, _ in fus), "some follow-ups are overdue"
    assert any(now < d < now + timedelta(days=1) for d, _, _ in fus), "some are due today"
    assert any(d > now + timedelta(days=7) for d, _, _ in fus), "some lie in the future"
    assert {b for _, b, _ in fus} == {Basis.AGREED, Basis.PLANNED}
    cards_this_week = [d for d, _, c in fus if c is Channel.CARD and d < now + timedelta(days=7)]
    assert len(cards_this_week) >= 3, "there are thank-you cards to print this week"


def test_demo_phone_numbers_are_valid_in_the_customers_country(demo_db: Database) -> None:
    with demo_db.reading() as session:
        rows = session.execute(
            select(Customer.phone_cell, Customer.phone_home, Customer.country, Customer.timezone)
        ).all()
    for cell, home, country, tz in rows:
        ZoneInfo(tz)
        for number in (cell, home):
            if number is None:
                continue
            parsed = phonenumbers.parse(number)
            assert phonenumbers.is_valid_number(parsed), number
            assert phonenumbers.region_code_for_number(parsed) == country, (number, country)


def test_demo_landlines_carry_the_customers_own_area_code(demo_db: Database) -> None:
    """A Fremantle customer's home phone is a Perth number, a Boulder one a 303 number."""

    area = {
        (m.country, p.suburb): f"+{m.calling_code}{p.area.replace(' ', '')}"
        for m in MARKETS
        for p in m.places
    }
    with demo_db.reading() as session:
        rows = session.execute(
            select(
                Customer.country,
                Customer.suburb,
                Customer.phone_cell,
                Customer.phone_office,
                Customer.phone_home,
                Customer.email,
            )
        ).all()
    landlines = 0
    for country, suburb, cell, office, home, email in rows:
        local = area[(country, suburb or "")]
        for number in (office, home, cell if country == "US" else None):
            if number is not None:
                landlines += 1
                assert number.startswith(local), (suburb, number)
        assert email is None or email.split("@")[0][0].isalpha(), email  # "Łukasz" too
    assert landlines > 50


def test_amounts_are_plausible_money(demo_db: Database) -> None:
    with demo_db.reading() as session:
        amounts = [a for a in session.execute(select(Quote.amount)).scalars() if a is not None]
    assert min(amounts) >= 400
    assert max(amounts) <= 200_000
    assert all(a == a.quantize(a.__class__("0.01")) for a in amounts)


def test_same_seed_gives_the_same_business(tmp_path: Path, now: datetime) -> None:
    exports = []
    for name, seed in (("a", 3), ("b", 3), ("c", 4)):
        db = open_database(str(tmp_path / f"{name}.db"))
        with db.unit_of_work() as session:
            generate_demo(session, customers=40, quotes=90, seed=seed, now=now)
        with db.reading() as session:
            exported = build_export(session, now=now)
        db.close()
        exported.pop("exported_at", None)
        assert exported["cadence_runs"], "the follow-up plans are part of the business"
        exports.append(json.dumps(exported, sort_keys=True, default=str))
    assert exports[0] == exports[1]
    assert exports[0] != exports[2]


def test_today_list_on_the_demo_database_is_useful(demo_db: Database, now: datetime) -> None:
    owner_tz = "Australia/Sydney"
    with demo_db.reading() as session:
        items = due_items(
            session, day=now.astimezone(ZoneInfo(owner_tz)).date(), now=now, owner_tz=owner_tz
        )
    assert items
    assert any(i.overdue for i in items) and any(not i.overdue for i in items)
    assert {i.channel for i in items} >= {Channel.CALL, Channel.EMAIL}


def test_demo_command_fills_once_and_reports(tmp_path: Path) -> None:
    path = tmp_path / "cli-demo.db"
    first = run_cli(
        "--db",
        str(path),
        "--now",
        "2026-11-22T22:00Z",
        "demo",
        "--customers",
        "30",
        "--quotes",
        "60",
        "--if-empty",
    )
    assert first.returncode == 0, first.stderr
    assert "30 customers" in first.stdout and "60 quotes" in first.stdout
    again = run_cli("--db", str(path), "demo", "--if-empty")
    assert again.returncode == 0
    assert "already holds 30 customers" in again.stdout
    bad = run_cli("--db", str(tmp_path / "x.db"), "demo", "--customers", "0")
    assert bad.returncode == 2
    assert "--customers" in bad.stderr
