"""Live changes: a commit by one member reaches another member's listener; a rollback never does."""

from __future__ import annotations

import queue
from collections.abc import Iterator
from datetime import datetime

import pytest

from deckfollow.core.enums import Stage
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.pipeline import move_stage
from deckfollow.storage.database import Database, open_database
from deckfollow.storage.notify import Change, ChangeListener
from tests.storage.pg_server import postgres_server


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    with postgres_server() as url:
        yield url


@pytest.fixture
def listened(pg_url: str) -> Iterator[tuple[Database, queue.Queue[Change]]]:
    got: queue.Queue[Change] = queue.Queue()
    writer = open_database(pg_url)
    listener = ChangeListener(pg_url, got.put)
    listener.start()
    assert listener.listening.wait(10)
    yield writer, got
    listener.stop()
    writer.close()


def test_a_commit_reaches_the_other_member_with_what_changed(listened, now: datetime):
    writer, got = listened
    with writer.unit_of_work() as s:
        made = add_lead(s, NewLead("Grace Hopper", phone="+61412000111", country="AU"), now=now)
    change = got.get(timeout=10)
    assert {"customer", "quote"} <= change.tables
    with writer.unit_of_work() as s:
        move_stage(s, made.quote_id, Stage.QUOTED, now=now)
    assert got.get(timeout=10).tables == {"quote"}


def test_a_rolled_back_change_is_never_announced(listened, now: datetime):
    writer, got = listened
    with writer.rehearsal() as s:
        add_lead(s, NewLead("Never Saved", phone="+61412000999", country="AU"), now=now)
    with writer.unit_of_work() as s:
        add_lead(s, NewLead("Saved After", phone="+61412000998", country="AU"), now=now)
    first = got.get(timeout=10)
    assert "customer" in first.tables
    assert got.empty()  # only the commit, not the rehearsal


def test_a_window_is_not_told_of_its_own_saves_but_of_everyone_else_s(pg_url: str, now: datetime):
    mine, other = open_database(pg_url), open_database(pg_url)
    got: queue.Queue[Change] = queue.Queue()
    listener = ChangeListener(pg_url, got.put, ignore_origin=mine.origin)
    listener.start()
    try:
        assert listener.listening.wait(10)
        with mine.unit_of_work() as s:
            add_lead(s, NewLead("Own Save", phone="+61412000777", country="AU"), now=now)
        with other.unit_of_work() as s:
            add_lead(s, NewLead("Their Save", phone="+61412000778", country="AU"), now=now)
        assert "customer" in got.get(timeout=10).tables
        assert got.empty()
    finally:
        listener.stop()
        mine.close()
        other.close()
