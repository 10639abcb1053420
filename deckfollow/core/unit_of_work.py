"""What a core function run for the GUI receives, typed so the GUI never imports SQLAlchemy.

`Session` is the session of one unit of work (every core service takes one); `Store` is the
open database as the GUI sees it: where it lives, and its units of work.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path
from typing import Protocol

from sqlalchemy.orm import Session

__all__ = ["Session", "Store"]


class Store(Protocol):
    """An open database (`storage.database.Database` is one)."""

    @property
    def path(self) -> Path | None: ...  # None for a team (server) database

    @property
    def display(self) -> str: ...  # the file or URL as it may be shown

    @property
    def target(self) -> str: ...  # the file or URL as given (a URL with its password)

    @property
    def origin(self) -> str: ...  # names this handle's commits in live notifications

    @property
    def is_sqlite(self) -> bool: ...

    def unit_of_work(self) -> AbstractContextManager[Session]: ...

    def reading(self) -> AbstractContextManager[Session]: ...

    # A write transaction that is always rolled back: every rule is checked, nothing kept
    # (a message is checked this way before it goes out).
    def rehearsal(self) -> AbstractContextManager[Session]: ...

    # From now on other threads read through connections of their own, never the kept one
    # the calling thread (the window's database thread) writes through.
    def keep_connection_to_this_thread(self) -> None: ...
