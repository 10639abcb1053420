"""Members and roles on a real PostgreSQL server: each member signs in with their own login,
and the server itself refuses what their role may not do."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from deckfollow.core.due import due_items
from deckfollow.core.enums import Channel, Direction, MemberRole, Outcome, Stage
from deckfollow.core.errors import StorageError, ValidationError
from deckfollow.core.followups import FollowUpPlan
from deckfollow.core.history import customer_history
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.members import current_member
from deckfollow.core.models import Customer, FollowUp, Quote, Touch
from deckfollow.core.pipeline import move_stage
from deckfollow.core.settings import save_setting, set_setting
from deckfollow.core.team import add_member, assign_quote, list_members, remove_member
from deckfollow.core.touches import TouchRecord, log_touch
from deckfollow.core.trash import erase_customer
from deckfollow.storage.database import Database, open_database
from tests.storage.pg_server import postgres_server

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def admin_url() -> Iterator[str]:
    with postgres_server() as url:
        yield url


def _as(url: str, login: str, password: str) -> str:
    return (
        make_url(url).set(username=login, password=password).render_as_string(hide_password=False)
    )


@pytest.fixture(scope="module")
def team(admin_url: str) -> dict[str, str]:
    """An owner (made by the server's administrator) who then adds a staff member."""
    now = datetime(2026, 12, 5, 9, tzinfo=datetime.now().astimezone().tzinfo)
    admin = open_database(admin_url)
    with admin.unit_of_work() as s:
        owner = add_member(s, "Dana Owner", MemberRole.OWNER, now=now)
    admin.close()
    owner_db = open_database(_as(admin_url, owner.info.login, owner.password))
    with owner_db.unit_of_work() as s:
        staff = add_member(s, "Sam Lee", MemberRole.STAFF, now=now)
    owner_db.close()
    return {
        "owner": _as(admin_url, owner.info.login, owner.password),
        "staff": _as(admin_url, staff.info.login, staff.password),
    }


def _lead(db: Database, now: datetime) -> tuple[int, int]:
    with db.unit_of_work() as s:
        made = add_lead(s, NewLead("Grace Hopper", phone="+61412000111", country="AU"), now=now)
    return made.customer_id, made.quote_id


def test_staff_work_quotes_under_their_own_name(team: dict[str, str], now: datetime):
    staff = open_database(team["staff"], migrate=False)
    try:
        customer_id, quote_id = _lead(staff, now)
        touch = TouchRecord(
            customer_id, Channel.CALL, Direction.OUTBOUND, Outcome.REACHED, now, quote_id=quote_id
        )
        plan = FollowUpPlan(now + timedelta(days=2), Channel.CALL, "Walk through the quote")
        with staff.unit_of_work() as s:
            log_touch(s, touch, plan, now=now)
            move_stage(s, quote_id, Stage.QUOTED, now=now)
        with staff.reading() as s:
            quote = s.get(Quote, quote_id)
            assert quote is not None
            assert (quote.owner, quote.stage_changed_by) == ("sam_lee", "sam_lee")
            assert (
                s.execute(select(Touch.member).where(Touch.quote_id == quote_id)).scalar_one()
                == "sam_lee"
            )
            assert set(
                s.execute(select(FollowUp.member).where(FollowUp.quote_id == quote_id)).scalars()
            ) == {"sam_lee"}
            # The timeline says who did it, by the name the team knows them by.
            touch_line = next(h for h in customer_history(s, customer_id) if h.kind == "touch")
            assert touch_line.member == "Sam Lee" and "by Sam Lee" in touch_line.detail
            # Today and reminders: Sam's own follow-ups, and the whole team's on request.
            mine = due_items(
                s, day=(now + timedelta(days=3)).date(), now=now, owner_tz="UTC",
                member=current_member(s),
            )  # fmt: skip
            assert quote_id in {i.quote_id for i in mine}
            theirs = due_items(
                s, day=(now + timedelta(days=3)).date(), now=now, owner_tz="UTC",
                member="dana_owner",
            )  # fmt: skip
            assert quote_id not in {i.quote_id for i in theirs}
    finally:
        staff.close()


def test_the_server_refuses_staff_what_only_the_owner_may_do(team: dict[str, str], now: datetime):
    staff = open_database(team["staff"], migrate=False)
    try:
        customer_id, _ = _lead(staff, now)
        with staff.unit_of_work() as s:  # the app's own bookkeeping is everyone's to write
            set_setting(s, "reminders.digest_last_date", "2026-12-05")
        with (
            pytest.raises(StorageError, match=r"may not do this.*ask the team's owner"),
            staff.unit_of_work() as s,
        ):
            save_setting(s, "weekly_cap", 5)
        with pytest.raises(StorageError, match="may not do this"), staff.unit_of_work() as s:
            s.execute(text("DELETE FROM consent_event"))
        with pytest.raises(StorageError, match="may not do this"), staff.unit_of_work() as s:
            erase_customer(s, customer_id, now=now)
        with (
            pytest.raises(ValidationError, match="only the team's owner"),
            staff.unit_of_work() as s,
        ):
            add_member(s, "Eve Sneak", MemberRole.OWNER, now=now)
        with staff.reading() as s:  # the refused erasure left the customer whole
            assert s.get(Customer, customer_id) is not None
    finally:
        staff.close()


def test_the_owner_assigns_quotes_and_manages_members(team: dict[str, str], now: datetime):
    owner = open_database(team["owner"], migrate=False)
    try:
        _, quote_id = _lead(owner, now)
        with owner.unit_of_work() as s:
            save_setting(s, "weekly_cap", 5)  # the owner's settings are the owner's to change
            assign_quote(s, quote_id, "sam_lee", now=now)
        with owner.reading() as s:
            assert s.get(Quote, quote_id).owner == "sam_lee"  # type: ignore[union-attr]
            pending = s.execute(
                select(FollowUp.member).where(FollowUp.quote_id == quote_id)
            ).scalars()
            assert set(pending) <= {"sam_lee"}
            assert [(m.login, m.role) for m in list_members(s)] == [
                ("dana_owner", MemberRole.OWNER),
                ("sam_lee", MemberRole.STAFF),
            ]
        with pytest.raises(ValidationError, match="not a member"), owner.unit_of_work() as s:
            assign_quote(s, quote_id, "nobody_here", now=now)
        with owner.unit_of_work() as s:
            added = add_member(s, "Temp Hand", MemberRole.STAFF, now=now)
        temp_url = team["owner"].replace("dana_owner", added.info.login)
        temp_url = _as(temp_url, added.info.login, added.password)
        open_database(temp_url, migrate=False).close()  # signs in
        with owner.unit_of_work() as s:
            remove_member(s, "temp_hand", now=now)
        with pytest.raises(StorageError):
            open_database(temp_url, migrate=False).close()
    finally:
        owner.close()


def test_the_command_adds_a_member_and_prints_the_password_once(admin_url: str, team):
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "deckfollow", "--db", team["owner"], "team", *args],
            capture_output=True, text=True, cwd=ROOT, check=False,
        )  # fmt: skip

    added = run("add-member", "Kim Park", "--role", "staff")
    assert added.returncode == 0, added.stderr
    assert "sign-in: kim_park" in added.stdout and "One-time password" in added.stdout
    listed = run("list-members")
    assert "kim_park" in listed.stdout and "staff" in listed.stdout
    assert "One-time password" not in listed.stdout
    again = run("add-member", "Kim Park")
    assert again.returncode == 2 and "already a sign-in called kim_park" in again.stderr
