"""Two programs writing at once keep the rules and the data (quick run; `make bench` has 50).

Each pair of conflicting operations is raced by two worker processes that overlap their
transactions (see tests/storage/races.py), on one SQLite file and on a real PostgreSQL
server. A pair may end with both saved in some order, or with one clearly refused; it may
never break a rule, lose an acknowledged write, or show a raw database error.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from deckfollow.core.consent import revoke_consent
from deckfollow.core.consent_ledger import ledger_entries
from deckfollow.core.enums import ConsentChannel
from deckfollow.core.errors import StorageError
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.storage.database import open_database
from tests.storage.pg_server import postgres_server
from tests.storage.races import PAIRS, Tally, race_all

QUICK_TRIALS = 10


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    with postgres_server() as url:
        yield url


def _assert_clean(tallies: list[Tally]) -> None:
    assert [t.pair for t in tallies] == [p.name for p in PAIRS]
    for t in tallies:
        assert t.trials == QUICK_TRIALS
        assert (t.violations, t.lost, t.raw) == (0, 0, 0), f"{t.line()}\n" + "\n".join(
            t.problems[:5]
        )
    by_name = {t.pair: t for t in tallies}
    # The races really ran both ways: an agreement or plan after a stop or revocation is
    # refused (clearly), one before it is saved and then cancelled by it.
    consent = [t for t in tallies if "agree" in t.pair or "plan start" in t.pair]
    assert sum(t.both_saved for t in consent) > 0 and sum(t.refused for t in consent) > 0
    # Edits of different fields both stand; an edit from a stale screen is refused.
    assert by_name["two contact edits, different fields"].both_saved == QUICK_TRIALS
    assert by_name["two stage moves, expected version"].refused == QUICK_TRIALS
    # Reassigning and logging a touch never clash: both stand, the owner owns the new step.
    assert by_name["reassign vs log touch"].both_saved == QUICK_TRIALS


@pytest.mark.slow
def test_racing_writers_keep_the_rules_on_sqlite(tmp_path: Path, now: datetime) -> None:
    _assert_clean(race_all(str(tmp_path / "race.db"), now, QUICK_TRIALS))


@pytest.mark.slow
def test_racing_writers_keep_the_rules_on_postgresql(pg_url: str, now: datetime) -> None:
    _assert_clean(race_all(pg_url, now, QUICK_TRIALS))


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_writer_kept_waiting_is_told_the_database_is_busy(
    backend: str,
    tmp_path: Path,
    now: datetime,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from deckfollow.storage import database as database_module

    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_MS", 200)
    target = str(tmp_path / "busy.db") if backend == "sqlite" else request.getfixturevalue("pg_url")
    holder, waiter = open_database(target), open_database(target)
    with holder.unit_of_work() as s:
        cid = add_lead(s, NewLead("Busy Bee", country="AU"), now=now).customer_id
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:  # another program in the middle of its own change
        with holder.unit_of_work() as s:
            revoke_consent(s, cid, ConsentChannel.EMAIL, source="holder", words=None, now=now)
            holding.set()
            release.wait(30)

    t = threading.Thread(target=hold)
    t.start()
    try:
        assert holding.wait(30)
        with pytest.raises(StorageError) as info, waiter.unit_of_work() as s:
            revoke_consent(s, cid, ConsentChannel.CALL, source="waiter", words=None, now=now)
    finally:
        release.set()
        t.join(30)
    message = str(info.value)
    assert "is busy: another program is writing to it; nothing was saved; try again" in message
    assert "\n" not in message
    # The holder's change was kept; the refused one left nothing behind.
    with waiter.reading() as s:
        sources = {e.source for e in ledger_entries(s, cid)}
    holder.close()
    waiter.close()
    assert sources == {"holder"}
