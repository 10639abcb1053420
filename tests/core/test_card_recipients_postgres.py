"""The card recipient search on a real PostgreSQL server (team mode): the same words, the
same people, the same order as on SQLite."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from deckfollow.core.card_recipients import search_recipients
from deckfollow.storage.database import Database, open_database
from tests.core.test_card_recipients import _two_aaliyahs
from tests.storage.pg_server import postgres_server


@pytest.fixture
def pg() -> Iterator[Database]:
    with postgres_server() as url:
        db = open_database(url)
        yield db
        db.close()


def test_search_on_postgresql(pg, now):
    a, b = _two_aaliyahs(pg, now)
    with pg.reading() as s:
        found = search_recipients(s, "AALIYAH")
        assert [m.customer_id for m in found.matches] == [a, b]
        assert found.matches[0].hint.startswith("Bondi · …5019")
        assert [m.customer_id for m in search_recipients(s, "0412 555").matches] == [a]
        assert [m.customer_id for m in search_recipients(s, "(04) 00-111").matches] == [b]
        assert search_recipients(s, "50%").matches == []
        assert search_recipients(s, "", limit=1).total == 3
