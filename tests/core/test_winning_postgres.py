"""Two people win the same quote at the same moment on a team (PostgreSQL) database."""

from __future__ import annotations

import threading
from datetime import datetime

from sqlalchemy import select

from deckfollow.core.cadence_library import seed_builtin_cadences
from deckfollow.core.enums import FollowUpStatus, Stage
from deckfollow.core.errors import DeckfollowError
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.models import CadenceRun, FollowUp, Quote
from deckfollow.core.winning import win_quote
from deckfollow.storage.database import Database


def test_two_wins_at_once_start_one_after_sale_plan(pg: Database, now: datetime):
    with pg.unit_of_work() as s:
        seed_builtin_cadences(s)
        lead = add_lead(
            s,
            NewLead("Grace Hopper", phone="+61412000111", job="Deck", answered=True),
            now=now,
        )
    with pg.reading() as s:
        seen = s.execute(select(Quote.version).where(Quote.id == lead.quote_id)).scalar_one()
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def win() -> None:
        start.wait()
        try:
            with pg.unit_of_work() as s:
                win_quote(s, lead.quote_id, now=now, after_sale=True, version=seen)
            outcomes.append("won")
        except DeckfollowError as exc:
            outcomes.append(type(exc).__name__)

    threads = [threading.Thread(target=win) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["ConcurrentEditError", "won"]
    with pg.reading() as s:
        assert s.execute(select(Quote.stage)).scalar_one() is Stage.WON
        assert len(list(s.execute(select(CadenceRun.id)).scalars())) == 1
        pending = s.execute(
            select(FollowUp.id).where(FollowUp.status == FollowUpStatus.PENDING)
        ).all()
    assert pending
