"""The scriptable core: the real command in a subprocess on temporary databases."""

from __future__ import annotations

import json
import sqlite3
import stat
from datetime import datetime, timedelta
from pathlib import Path

from deckfollow import __version__
from deckfollow.core.enums import Basis, Channel, ConsentChannel
from deckfollow.core.followups import FollowUpPlan, schedule_follow_up
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.storage.database import open_database
from tests.cli.helpers import run_cli

NOW = "2026-11-22T22:00:00Z"  # Monday 09:00 in Sydney


def _count(db: Path, table: str) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_version():
    out = run_cli("--version")
    assert out.returncode == 0
    assert out.stdout.strip() == f"deckfollow {__version__}"


def test_add_lead_prints_its_id_and_records_when_it_was_received(tmp_path: Path):
    db = tmp_path / "d.db"
    out = run_cli(
        "--db",
        str(db),
        "--now",
        NOW,
        "add-lead",
        "--name",
        "Mia Chen",
        "--phone",
        "+61 412 345 679",
        "--email",
        "mia@example.com",
        "--note",
        "Deck 5x4m in spotted gum",
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout == "customer 1, quote 1\n"
    quote_id = 1
    with sqlite3.connect(db) as conn:
        stage, received, job = conn.execute(
            "SELECT stage, received_at, job FROM quote WHERE id = ?", (quote_id,)
        ).fetchone()
        phone, tz = conn.execute("SELECT phone_cell, timezone FROM customer").fetchone()
    assert stage == "lead"
    assert received.startswith("2026-11-22 22:00:00")
    assert job == "Deck 5x4m in spotted gum"
    assert phone == "+61412345679"
    assert tz == "Australia/Sydney"


def test_add_lead_names_the_customer_and_the_quote_so_a_script_takes_the_right_id(
    tmp_path: Path,
):
    db = tmp_path / "d.db"
    # Two quotes for one customer first, so the next customer's and quote's ids differ.
    first = run_cli("--db", str(db), "--now", NOW, "add-lead", "--name", "Ada Byron")
    assert first.stdout == "customer 1, quote 1\n"
    with sqlite3.connect(db) as conn:
        conn.execute(
            "INSERT INTO quote (customer_id, job, currency, stage, received_at, "
            "stage_changed_at, created_at, updated_at, version) SELECT customer_id, 'Fence', "
            "currency, stage, received_at, stage_changed_at, created_at, updated_at, 1 FROM quote"
        )
    out = run_cli(
        "--db", str(db), "--now", NOW, "add-lead", "--name", "Mia Chen", "--phone",
        "+61 412 345 679", "--json",
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    made = json.loads(out.stdout)
    assert (made["customer_id"], made["quote_id"]) == (2, 3)
    assert made["name"] == "Mia Chen"
    assert made["timezone"] == "Australia/Sydney"
    assert made["received_at"] == "2026-11-22T22:00:00+00:00"
    # The customer id is the one consent commands take.
    shown = run_cli("--db", str(db), "consent", "show", "--customer", str(made["customer_id"]))
    assert shown.stdout.startswith("Mia Chen (customer 2,")


def test_add_lead_with_bad_phone_or_email_names_the_field_and_saves_nothing(tmp_path: Path):
    db = tmp_path / "d.db"
    assert run_cli("--db", str(db), "add-lead", "--name", "First").returncode == 0
    bad_phone = run_cli("--db", str(db), "add-lead", "--name", "Bo", "--phone", "12")
    assert bad_phone.returncode == 2
    assert bad_phone.stderr.startswith("deckfollow: error: --phone:")
    assert "Traceback" not in bad_phone.stderr
    bad_email = run_cli(
        "--db",
        str(db),
        "add-lead",
        "--name",
        "Bo",
        "--phone",
        "+1 212 555 0188",
        "--email",
        "bo@@example",
    )
    assert bad_email.returncode == 2
    assert "--email:" in bad_email.stderr
    assert _count(db, "customer") == 1
    assert _count(db, "quote") == 1


def test_a_refused_first_lead_leaves_no_database_behind(tmp_path: Path):
    db = tmp_path / "new" / "d.db"
    for args, field in (
        (["--phone", "12"], "--phone:"),
        (["--email", "bo@@example"], "--email:"),
        (["--country", "ZZ"], "--country:"),
        (["--timezone", "Mars/Olympus"], "--timezone:"),
    ):
        r = run_cli("--db", str(db), "add-lead", "--name", "Bo", *args)
        assert r.returncode == 2 and field in r.stderr, r.stderr
        assert list(db.parent.glob("d.db*")) == []
    r = run_cli(
        "--db", str(db), "add-lead", "--name", "Bo", "--country", "au", "--phone", "0412 345 679"
    )
    assert r.returncode == 0, r.stderr
    assert _count(db, "customer") == 1


def test_deckfollow_db_environment_variable_works_like_db(tmp_path: Path):
    db = tmp_path / "env.db"
    out = run_cli("add-lead", "--name", "Env Person", env={"DECKFOLLOW_DB": str(db)})
    assert out.returncode == 0, out.stderr
    assert _count(db, "customer") == 1


def test_default_database_lives_in_the_user_data_folder(tmp_path: Path):
    data_home = tmp_path / "xdg"
    out = run_cli("add-lead", "--name", "Default Place", env={"XDG_DATA_HOME": str(data_home)})
    assert out.returncode == 0, out.stderr
    assert (data_home / "deckfollow" / "deckfollow.db").exists()


def _seed_due(db_path: Path) -> None:
    """Three follow-ups for Sydney and New York customers around 'now'."""
    now = datetime.fromisoformat(NOW.replace("Z", "+00:00"))
    db = open_database(str(db_path))
    with db.unit_of_work() as s:
        syd = add_lead(
            s,
            NewLead(
                "Sam Sydney",
                phone="+61412345678",
                country="AU",
                timezone="Australia/Sydney",
                answered=True,
            ),
            now=now - timedelta(days=5),
        )
        nyc = add_lead(
            s,
            NewLead(
                "Nora York",
                phone="+12125550188",
                country="US",
                timezone="America/New_York",
                answered=True,
            ),
            now=now - timedelta(days=5),
        )
        # Overdue since Friday, agreed by the customer.
        schedule_follow_up(
            s,
            syd.customer_id,
            syd.quote_id,
            FollowUpPlan(
                now - timedelta(days=3),
                Channel.CALL,
                "Answer questions about the decking quote",
                Basis.AGREED,
                "Call me Friday morning",
            ),
            now=now - timedelta(days=4),
        )
        # Later today (owner's day in Sydney), planned.
        schedule_follow_up(
            s,
            nyc.customer_id,
            nyc.quote_id,
            FollowUpPlan(now + timedelta(hours=2), Channel.EMAIL, "Send the revised fence drawing"),
            now=now - timedelta(days=1),
        )
        # Next week: not listed for today.
        schedule_follow_up(
            s,
            syd.customer_id,
            syd.quote_id,
            FollowUpPlan(now + timedelta(days=8), Channel.TEXT, "Check the deposit went through"),
            now=now - timedelta(days=1),
        )
    db.close()


def test_due_json_lists_today_and_overdue_oldest_first(tmp_path: Path):
    db = tmp_path / "due.db"
    _seed_due(db)
    out = run_cli("--db", str(db), "--now", NOW, "due", "--json", env={"TZ": "Australia/Sydney"})
    assert out.returncode == 0, out.stderr
    items = json.loads(out.stdout)
    assert [i["customer"] for i in items] == ["Sam Sydney", "Nora York"]
    first, second = items
    assert {"customer", "quote", "due_at", "channel", "reason", "basis", "overdue"} <= set(first)
    assert first["overdue"] is True and second["overdue"] is False
    assert first["basis"] == "agreed" and second["basis"] == "planned"
    assert first["due_at"] == "2026-11-20T09:00:00+11:00"  # Sydney's own offset
    assert second["due_at"].endswith("-05:00")  # New York's own offset
    assert first["quote"] is None  # a lead has no quote number yet


def test_due_on_a_later_day_counts_what_will_be_overdue(tmp_path: Path):
    db = tmp_path / "due.db"
    _seed_due(db)
    out = run_cli(
        "--db",
        str(db),
        "--now",
        NOW,
        "due",
        "--on",
        "2026-12-01",
        "--json",
        env={"TZ": "Australia/Sydney"},
    )
    items = json.loads(out.stdout)
    assert len(items) == 3
    assert [i["overdue"] for i in items] == [True, True, False]


def test_due_hides_a_follow_up_once_its_channel_is_revoked(tmp_path: Path):
    from deckfollow.core.consent import revoke_consent

    db = tmp_path / "due.db"
    _seed_due(db)
    database = open_database(str(db))
    with database.unit_of_work() as s:
        revoke_consent(
            s,
            2,
            ConsentChannel.EMAIL,
            source="email reply",
            words="no more emails",
            now=datetime.fromisoformat("2026-11-22T21:00:00+00:00"),
        )
    database.close()
    out = run_cli("--db", str(db), "--now", NOW, "due", "--json", env={"TZ": "Australia/Sydney"})
    assert [i["customer"] for i in json.loads(out.stdout)] == ["Sam Sydney"]


def test_due_text_output_reads_as_a_to_do_list(tmp_path: Path):
    db = tmp_path / "due.db"
    _seed_due(db)
    out = run_cli("--db", str(db), "--now", NOW, "due", env={"TZ": "Australia/Sydney"})
    lines = out.stdout.splitlines()
    assert lines[0] == "2 to do for Mon 23 Nov 2026 (1 overdue)"
    # On the owner's clock (Sydney, read 12-hour as Australians do), with a New York
    # customer's own time beside theirs.
    their = "Mon 23 Nov 11:00 am · 7:00 pm their time"
    assert lines[1].startswith(f"OVERDUE {'Fri 20 Nov 9:00 am':<{len(their)}}  call ")
    assert "Answer questions about the decking quote (agreed)" in lines[1]
    assert lines[2].startswith(f"due     {their}  email  Nora York")


def test_export_json_holds_everything_and_is_owner_only(tmp_path: Path):
    db = tmp_path / "x.db"
    _seed_due(db)
    out_file = tmp_path / "export.json"
    out = run_cli(
        "--db", str(db), "--now", NOW, "export", "--format", "json", "--out", str(out_file)
    )
    assert out.returncode == 0, out.stderr
    assert stat.S_IMODE(out_file.stat().st_mode) == 0o600
    data = json.loads(out_file.read_text(encoding="utf-8"))
    assert data["format"] == "deckfollow-export"
    assert len(data["customers"]) == 2 and len(data["quotes"]) == 2
    assert len(data["follow_ups"]) == 3
    sam = next(c for c in data["customers"] if c["display_name"] == "Sam Sydney")
    # The agreed call granted call consent in the customer's words and is in the ledger.
    assert sam["consent"]["call"]["state"] == "granted"
    assert sam["consent"]["email"] == {"state": "unknown"}
    kinds = [e["kind"] for e in sam["consent_ledger"]]
    assert kinds == ["granted", "agreed_follow_up"]
    assert sam["consent_ledger"][1]["words"] == "Call me Friday morning"
    assert set(data) >= {"cadences", "templates", "settings", "suppressions", "touches"}
    assert isinstance(data["settings"], dict) and data["suppressions"] == []


def test_user_errors_are_one_line_without_traceback(short_tmp_path: Path):
    tmp_path = short_tmp_path
    missing = run_cli("--db", str(tmp_path / "nope.db"), "due")
    assert missing.returncode == 2  # a path with no database yet is the user's input
    assert missing.stderr.strip().startswith(
        f"deckfollow: error: --db: no deckfollow database at {tmp_path / 'nope.db'} yet — run "
    )
    assert len(missing.stderr.strip().splitlines()) == 1
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"\x00garbage" * 500)
    damaged = run_cli("--db", str(junk), "due")
    assert damaged.returncode == 1
    assert len(damaged.stderr.strip().splitlines()) == 1
    assert "damaged" in damaged.stderr
    bad_args = run_cli("due", "--on", "2026-02-30", "--db", str(tmp_path / "x.db"))
    assert bad_args.returncode == 2 and "Traceback" not in bad_args.stderr
    unknown = run_cli("frobnicate")
    assert unknown.returncode == 2
    assert unknown.stderr.startswith("deckfollow: error:")


def test_newer_database_is_refused_with_a_clear_line(tmp_path: Path):
    db = tmp_path / "new.db"
    assert run_cli("--db", str(db), "add-lead", "--name", "X").returncode == 0
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffff'")
    out = run_cli("--db", str(db), "due")
    assert out.returncode == 1
    assert "newer version of deckfollow" in out.stderr
    assert "Traceback" not in out.stderr
