"""One member's figures on a team database (real PostgreSQL, two members signed in with
their own logins): the quotes they own and the follow-ups that are theirs, nobody else's;
and `deckfollow report --member` refuses a name that is not on the team."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from deckfollow.cli.main import main
from deckfollow.core.enums import Channel, Direction, MemberRole, Outcome, Stage
from deckfollow.core.errors import ValidationError
from deckfollow.core.followups import FollowUpPlan
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.pipeline import Close, close_quote, move_stage
from deckfollow.core.report_periods import custom
from deckfollow.core.reports import build_report
from deckfollow.core.reports_behind import Drill, Figure, quotes_behind
from deckfollow.core.reports_members import find_member, report_members
from deckfollow.core.reports_model import Report
from deckfollow.core.team import add_member
from deckfollow.core.touches import TouchRecord, log_touch
from deckfollow.storage.database import Database, open_database
from tests.storage.pg_server import postgres_server

# Mid-afternoon in New York, where the customers are, so every follow-up is in hours.
NOW = datetime.fromisoformat("2026-12-05T18:00:00+00:00")
PERIOD = custom((NOW - timedelta(days=60)).date(), NOW.date(), "UTC")


def _as(url: str, login: str, password: str) -> str:
    return (
        make_url(url).set(username=login, password=password).render_as_string(hide_password=False)
    )


@pytest.fixture(scope="module")
def team() -> Iterator[dict[str, object]]:
    """Dana (owner) wins one quote and has a lead waiting; Sam (staff) loses one for no reply."""
    with postgres_server() as admin_url:
        admin = open_database(admin_url)
        with admin.unit_of_work() as s:
            dana = add_member(s, "Dana Owner", MemberRole.OWNER, now=NOW)
        admin.close()
        dana_url = _as(admin_url, dana.info.login, dana.password)
        dana_db = open_database(dana_url)
        try:
            with dana_db.unit_of_work() as s:
                sam = add_member(s, "Sam Lee", MemberRole.STAFF, now=NOW)
            quotes = {"won": _won(dana_db), "waiting": _lead(dana_db, "Ada Byron", 10)}
        finally:
            dana_db.close()
        sam_db = open_database(_as(admin_url, sam.info.login, sam.password), migrate=False)
        try:
            quotes["lost"] = _lost(sam_db)
        finally:
            sam_db.close()
        yield {"url": dana_url, "quotes": quotes}


def _lead(db: Database, name: str, days_ago: int) -> int:
    with db.unit_of_work() as s:
        made = add_lead(
            s, NewLead(name, email=f"{name.split(maxsplit=1)[0].lower()}@example.com", job="Deck"),
            now=NOW - timedelta(days=days_ago),
        )  # fmt: skip
    return made.quote_id


def _won(db: Database) -> int:
    quote_id = _lead(db, "Grace Hopper", 20)
    answered = NOW - timedelta(days=20) + timedelta(minutes=3)
    with db.unit_of_work() as s:
        customer_id = s.execute(
            text("SELECT customer_id FROM quote WHERE id = :q"),
            {"q": quote_id},
        ).scalar_one()
        touch = TouchRecord(
            customer_id, Channel.EMAIL, Direction.OUTBOUND, Outcome.REPLIED, answered,
            quote_id=quote_id,
        )  # fmt: skip
        plan = FollowUpPlan(answered + timedelta(days=2), Channel.CALL, "Check the quote arrived")
        log_touch(s, touch, plan, now=answered)
        move_stage(s, quote_id, Stage.QUOTED, now=answered + timedelta(hours=1))
        close_quote(s, quote_id, Close(Stage.WON), now=NOW - timedelta(days=5))
    return quote_id


def _lost(db: Database) -> int:
    quote_id = _lead(db, "Alan Turing", 15)
    with db.unit_of_work() as s:
        move_stage(s, quote_id, Stage.QUOTED, now=NOW - timedelta(days=14))
        close_quote(
            s, quote_id, Close(Stage.LOST, lost_reason="no reply"), now=NOW - timedelta(days=3)
        )
    return quote_id


def _report(url: str, member: str | None) -> Report:
    db = open_database(url, migrate=False)
    try:
        with db.reading() as s:
            return build_report(s, PERIOD, now=NOW, member=member)
    finally:
        db.close()


def _discipline_total(r: Report) -> int:
    d = r.discipline
    return d.on_time + d.late + d.skipped + d.lapsed + d.overdue + d.not_yet_due + d.cancelled


def test_each_member_s_figures_are_their_own_quotes_and_follow_ups(team: dict[str, object]):
    url = str(team["url"])
    everyone, dana, sam = (_report(url, m) for m in (None, "dana_owner", "sam_lee"))
    assert (everyone.member, dana.member_name, sam.member_name) == (None, "Dana Owner", "Sam Lee")
    assert dana.title.endswith("· Dana Owner") and "·" not in everyone.title.split(":")[0]
    # Speed to lead: the leads each one owns (three in all).
    assert (everyone.speed_to_lead.leads, dana.speed_to_lead.leads, sam.speed_to_lead.leads) == (
        3,
        2,
        1,
    )
    assert dana.speed_to_lead.median_minutes is not None
    assert sam.speed_to_lead.answered == 0 and sam.speed_to_lead.median_minutes is None
    # The win is Dana's, the loss for no reply is Sam's.
    assert (dana.touches_to_close.won.quotes, sam.touches_to_close.won.quotes) == (1, 0)
    assert (dana.lost_reasons.total, sam.lost_reasons.total, everyone.lost_reasons.total) == (
        0,
        1,
        1,
    )
    assert sam.touches_to_close.lost_no_reply.quotes == 1
    # The readings speak of the member by name, never "you", on another member's figures.
    assert dana.by_month_reading.startswith("In this period Dana Owner quoted")
    assert dana.touches_to_close.reading_won.startswith("Dana Owner’s wins took")
    assert dana.speed_to_lead.reading.startswith("Half of Dana Owner’s leads")
    assert "the quotes Sam Lee lost" in sam.touches_to_close.reading_lost
    member_words = [*dana.readings().values(), *sam.readings().values()]
    assert not [r for r in member_words if " you" in f" {r.lower()}" or "your" in r.lower()]
    assert everyone.by_month_reading.startswith("In this period you quoted")
    # The pipeline now: Dana's lead waiting; Sam has nothing open.
    lead_count = {r.member: sum(c.count for c in r.pipeline.cells[Stage.LEAD].values())
                  for r in (everyone, dana, sam)}  # fmt: skip
    assert lead_count == {None: 1, "dana_owner": 1, "sam_lee": 0}
    # Follow-ups: each counted once, under the member whose they are.
    assert _discipline_total(dana) > 0 and _discipline_total(sam) > 0
    assert _discipline_total(dana) + _discipline_total(sam) == _discipline_total(everyone)
    # The quotes behind a figure are the member's too.
    db = open_database(url, migrate=False)
    try:
        with db.reading() as s:
            speed = Drill(Figure.SPEED)
            behind = {m: quotes_behind(s, PERIOD, speed, now=NOW, member=m)
                      for m in (None, "dana_owner", "sam_lee")}  # fmt: skip
            names = [m.name for m in report_members(s)]
            assert find_member(s, "  sam   LEE ") == "sam_lee"
            assert find_member(s, "DANA_OWNER") == "dana_owner"
            with pytest.raises(ValidationError, match="no team member is called 'Nobody'"):
                find_member(s, "Nobody")
    finally:
        db.close()
    q = team["quotes"]
    assert isinstance(q, dict)
    assert behind["sam_lee"] == [q["lost"]]
    assert sorted(behind["dana_owner"]) == sorted([q["won"], q["waiting"]])
    assert sorted(behind[None]) == sorted(q.values())
    assert names == ["Dana Owner", "Sam Lee"]


def test_report_member_on_the_command_line(
    team: dict[str, object], capsys: pytest.CaptureFixture[str]
):
    import json

    url = str(team["url"])
    base = ["--db", url, "--now", NOW.isoformat(), "report", "--from",
            PERIOD.first.isoformat(), "--to", PERIOD.last.isoformat()]  # fmt: skip
    assert main([*base, "--member", "Sam Lee", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["member"] == {"login": "sam_lee", "name": "Sam Lee"}
    assert shown["speed_to_lead"]["leads"] == 1
    assert [r["reason"] for r in shown["lost_reasons"]] == ["no reply"]
    assert main([*base, "--member", "Nobody", "--json"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.strip().splitlines() == [
        "deckfollow: error: --member: no team member is called 'Nobody'; "
        "members: Dana Owner (dana_owner), Sam Lee (sam_lee)"
    ]
