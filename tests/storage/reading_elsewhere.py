"""Another thread of the app (the inbox's pass) holding a read of the database."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import text

from deckfollow.core.unit_of_work import Store


@contextmanager
def a_read_on_another_thread(db: Store) -> Iterator[Callable[[], None]]:
    """Held from entry; yields `end`, which lets the read finish and waits for its thread
    (called at the latest on exit)."""
    holding, done = threading.Event(), threading.Event()

    def read() -> None:
        with db.reading() as session:
            session.execute(text("SELECT count(*) FROM setting")).scalar_one()
            holding.set()
            done.wait(10)

    reader = threading.Thread(target=read)
    reader.start()
    assert holding.wait(10)

    def end() -> None:
        done.set()
        reader.join(10)

    try:
        yield end
    finally:
        end()
