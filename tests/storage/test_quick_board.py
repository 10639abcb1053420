"""The board read straight from the file (before SQLAlchemy loads) shows what the core shows."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from deckfollow.core.board import load_quote_index
from deckfollow.core.enums import CadenceRunStatus, FollowUpStatus, Stage
from deckfollow.core.models import CadenceRun, FollowUp, Quote
from deckfollow.core.quote_index import QuoteFilter, QuoteRow
from deckfollow.core.settings import save_setting
from deckfollow.core.trash import trash_customer, trash_quote
from deckfollow.demo.generator import generate_demo
from deckfollow.storage import board_sql
from deckfollow.storage.database import Database
from deckfollow.storage.quick_board import (
    read_board,
    read_board_first,
    read_index,
    render_board_sql,
)


def test_the_board_sql_is_the_core_s_own_statements() -> None:
    # Fails when core.board or the rules behind it change without regenerating the file:
    #   python -m deckfollow.storage.quick_board > deckfollow/storage/board_sql.py
    assert Path(board_sql.__file__).read_text(encoding="utf-8") == render_board_sql()


def _columns(index: object) -> list[tuple[Stage, list[int], dict[str, object]]]:
    return [(c.stage, [r.quote_id for r in c.rows], c.totals) for c in index.board()]  # type: ignore[attr-defined]


def test_the_quick_read_shows_the_same_board_as_the_core(db: Database, now: datetime) -> None:
    with db.unit_of_work() as session:
        generate_demo(session, customers=120, quotes=300, seed=11, now=now, country="AU")
        # Every way a quote or follow-up can drop out of or move on the board.
        later = session.scalars(
            select(FollowUp)
            .where(FollowUp.status == FollowUpStatus.PENDING, FollowUp.due_at > now)
            .limit(6)
        ).all()
        for fu in later:
            fu.snoozed_until = fu.due_at + timedelta(days=3)
        session.execute(
            update(CadenceRun)
            .where(CadenceRun.id.in_(select(CadenceRun.id).limit(5)))
            .values(status=CadenceRunStatus.PAUSED)
        )
        quotes = session.scalars(select(Quote).order_by(Quote.id)).all()
        trash_quote(session, quotes[0].id, now=now)
        trash_customer(session, quotes[-1].customer_id, now=now)
        save_setting(session, "going_cold_days", 5)
    with db.reading() as session:
        expected = load_quote_index(session, now=now, board_only=True)
    assert db.path is not None
    quick = read_board(db.path, now=now)
    assert quick is not None
    assert quick.rows == expected.rows
    assert _columns(quick) == _columns(expected)
    assert sum(r.going_cold for r in quick.rows) > 0
    assert any(r.next_follow_up is not None and r.overdue for r in quick.rows)
    # Every quote, as the list shows them: the start's one read serves the list too.
    with db.reading() as session:
        everything = load_quote_index(session, now=now)
    whole = read_index(db.path, now=now)
    assert whole is not None and len(whole.rows) > len(quick.rows)
    assert whole.rows == everything.rows
    assert [r.quote_id for r in whole.select(QuoteFilter(text="deck"))] == [
        r.quote_id for r in everything.select(QuoteFilter(text="deck"))
    ]


def test_a_quote_is_found_by_any_of_its_customer_s_numbers_in_the_quick_read(
    db: Database, now: datetime
) -> None:
    """The start's read makes each quote's numbers for the search as the core does: a
    customer called on an office or home line is found by it, however it is typed."""
    with db.unit_of_work() as session:
        generate_demo(session, customers=40, quotes=80, seed=5, now=now, country="AU")
    assert db.path is not None
    conn = sqlite3.connect(db.path)
    conn.execute(
        "UPDATE customer SET phone_office = '+61 8 9123 4567', phone_home = '(08) 9555 0199'"
        " WHERE id = (SELECT customer_id FROM quote ORDER BY id LIMIT 1)"
    )
    conn.commit()
    conn.close()
    with db.reading() as session:
        everything = load_quote_index(session, now=now)
    first = read_board_first(db.path, now=now)
    assert first is not None
    whole = first.everything()
    assert whole is not None
    for typed in ("9123 4567", "08 9555 0199", "95550199"):
        found = [r.quote_id for r in whole.select(QuoteFilter(text=typed))]
        assert found, typed
        assert found == [r.quote_id for r in everything.select(QuoteFilter(text=typed))]


def test_a_database_due_for_a_migration_waits_for_the_normal_path(
    db: Database, now: datetime
) -> None:
    assert db.path is not None
    db.close()
    with sqlite3.connect(db.path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0001'")
    assert read_board(db.path, now=now) is None


@pytest.mark.parametrize("kind", ["missing", "folder", "not sqlite", "damaged", "not ours"])
def test_files_it_cannot_read_give_nothing_and_stay_untouched(
    kind: str, db: Database, now: datetime, tmp_path: Path
) -> None:
    target = tmp_path / "x.db"
    if kind == "folder":
        target.mkdir()
    elif kind == "not sqlite":
        target.write_text("name,phone\nMia,0412 345 678\n")
    elif kind == "damaged":
        with db.unit_of_work() as session:
            generate_demo(session, customers=20, quotes=40, seed=3, now=now, country="AU")
        db.close()
        assert db.path is not None
        data = bytearray(db.path.read_bytes())
        data[4096:] = b"\xff" * (len(data) - 4096)
        target.write_bytes(bytes(data))
    elif kind == "not ours":
        with sqlite3.connect(target) as conn:
            conn.execute("CREATE TABLE contacts (name TEXT)")
    before = hashlib.sha256(target.read_bytes()).hexdigest() if target.is_file() else None
    assert read_board(target, now=now) is None
    if before is not None:
        assert hashlib.sha256(target.read_bytes()).hexdigest() == before
    assert not Path(f"{target}-wal").exists()


def test_a_name_with_bytes_that_are_not_utf8_still_shows_in_the_quick_read(
    db: Database, now: datetime
) -> None:
    """Text another program wrote badly is shown with "�" (as the core shows it), not a
    reason to give up the quick read."""
    with db.unit_of_work() as session:
        generate_demo(session, customers=10, quotes=20, seed=5, now=now, country="AU")
    assert db.path is not None
    conn = sqlite3.connect(db.path)
    conn.execute(
        "UPDATE customer SET display_name = CAST(x'4dc3bc6c6cc3' AS TEXT)"
        " WHERE id = (SELECT min(customer_id) FROM quote)"
    )
    conn.commit()
    conn.close()
    with db.reading() as session:
        expected = load_quote_index(session, now=now)
    quick = read_index(db.path, now=now)
    assert quick is not None
    assert quick.rows == expected.rows
    assert any(r.customer == "Müll\ufffd" for r in quick.rows)


def _by_id(rows: list[QuoteRow]) -> list[QuoteRow]:
    return sorted(rows, key=lambda r: r.quote_id)


def _won_long_ago(db: Database, now: datetime) -> int:
    with db.reading() as session:
        return session.scalars(
            select(Quote.id)
            .where(Quote.stage == Stage.WON, Quote.stage_changed_at < now - timedelta(days=90))
            .limit(1)
        ).one()


def test_the_board_first_then_every_quote_as_the_core_reads_them(
    db: Database, now: datetime
) -> None:
    with db.unit_of_work() as session:
        generate_demo(session, customers=120, quotes=300, seed=11, now=now, country="AU")
    with db.reading() as session:
        board = load_quote_index(session, now=now, board_only=True)
        everything = load_quote_index(session, now=now)
    assert db.path is not None
    first = read_board_first(db.path, now=now)
    assert first is not None
    assert first.board.rows == board.rows
    assert _columns(first.board) == _columns(board)
    shown = first.board  # as the window holds it
    whole = first.everything()
    assert whole is not None and len(board.rows) < len(whole.rows)
    assert _by_id(whole.rows) == _by_id(everything.rows)
    assert _columns(whole) == _columns(everything)
    assert all(a is b for a, b in zip(whole.rows, shown.rows, strict=False))
    assert whole.rows[: len(board.rows)] == shown.rows
    assert first.everything() is None  # the read has ended
    # ...and keeps no copy of the board's rows: the window's and the whole index's are all.
    assert first.board.rows == [] and len(first.board) == 0


def test_bytes_that_are_not_utf8_in_either_part_are_read_again_from_the_first_row(
    db: Database, now: datetime
) -> None:
    """Each part is built as its rows are read: a row that cannot be decoded, met part-way,
    starts that part again with "�" shown, with no row taken twice or left out."""
    with db.unit_of_work() as session:
        generate_demo(session, customers=120, quotes=300, seed=11, now=now, country="AU")
    off_board = _won_long_ago(db, now)
    assert db.path is not None
    conn = sqlite3.connect(db.path)
    for quote in ("(SELECT max(id) FROM quote)", str(off_board)):
        conn.execute(
            "UPDATE customer SET display_name = CAST(x'4dc3bc6c6cc3' AS TEXT)"
            f" WHERE id = (SELECT customer_id FROM quote WHERE id = {quote})"
        )
    conn.commit()
    conn.close()
    with db.reading() as session:
        board = load_quote_index(session, now=now, board_only=True)
        everything = load_quote_index(session, now=now)
    first = read_board_first(db.path, now=now)
    assert first is not None
    assert first.board.rows == board.rows
    shown = first.board
    whole = first.everything()
    assert whole is not None
    assert _by_id(whole.rows) == _by_id(everything.rows)
    assert len({r.quote_id for r in whole.rows}) == len(whole.rows)
    bad = [r for r in whole.rows if r.customer == "Müll\ufffd"]
    assert off_board in {r.quote_id for r in bad} and len(bad) < len(whole.rows)
    assert any(r.customer == "Müll\ufffd" for r in shown.rows)


def test_a_change_committed_between_the_two_parts_is_in_neither(
    db: Database, now: datetime
) -> None:
    """Another program reopens an old win after the board was read: the list still shows
    the quote once, as it was when the board was read (never missing from both parts)."""
    with db.unit_of_work() as session:
        generate_demo(session, customers=60, quotes=200, seed=11, now=now, country="AU")
    won = _won_long_ago(db, now)
    assert db.path is not None
    first = read_board_first(db.path, now=now)  # the database is open: its log is read too
    assert first is not None and won not in {r.quote_id for r in first.board.rows}
    with sqlite3.connect(db.path) as conn:
        conn.execute("UPDATE quote SET stage = 'quoted' WHERE id = ?", (won,))
    whole = first.everything()
    assert whole is not None
    assert [r.stage for r in whole.rows if r.quote_id == won] == [Stage.WON]


def test_a_closed_file_written_between_the_two_parts_is_not_read_twice_over(
    db: Database, now: datetime
) -> None:
    """With no log beside it the file is read as immutable: once another program has
    written into it, the other quotes are not read from it this way (the app reads them
    through the database instead)."""
    with db.unit_of_work() as session:
        generate_demo(session, customers=60, quotes=200, seed=11, now=now, country="AU")
    won = _won_long_ago(db, now)
    db.close()
    assert db.path is not None and not Path(f"{db.path}-wal").exists()
    first = read_board_first(db.path, now=now)
    assert first is not None
    conn = sqlite3.connect(db.path)
    conn.execute("UPDATE quote SET stage = 'quoted' WHERE id = ?", (won,))
    conn.commit()
    conn.close()  # the last connection copies its log into the file
    assert first.everything() is None


def test_the_next_follow_ups_are_found_in_one_pass_over_the_pending_ones(
    db: Database, now: datetime
) -> None:
    """The quote index's follow-up read walks the follow-ups once through an index, with no
    list of actionable ids built first and looked up per row."""
    with db.unit_of_work() as session:
        generate_demo(session, customers=30, quotes=60, seed=2, now=now, country="AU")
    assert db.path is not None
    with sqlite3.connect(db.path) as conn:
        conn.execute("ANALYZE")
        plan = [str(r[3]) for r in conn.execute("EXPLAIN QUERY PLAN " + board_sql.NEXT_FOLLOW_UPS)]
    assert plan[0].startswith("SEARCH follow_up USING INDEX"), plan
    assert not any("LIST SUBQUERY" in p for p in plan), plan


def test_the_owner_s_place_is_read_with_the_board_from_the_same_read(
    db: Database, now: datetime
) -> None:
    """The board read ahead shows amounts and times as the owner set them: their country and
    zone come from the read that gave the board, until it ends."""
    with db.unit_of_work() as session:
        generate_demo(session, customers=20, quotes=40, seed=3, now=now, country="AU")
        save_setting(session, "owner_timezone", "Australia/Perth")
    assert db.path is not None
    first = read_board_first(db.path, now=now)
    assert first is not None
    found = first.settings("default_country", "owner_timezone", "never_set")
    assert found == {"default_country": "AU", "owner_timezone": "Australia/Perth"}
    assert first.everything() is not None
    assert first.settings("owner_timezone") == {}  # the read has ended
