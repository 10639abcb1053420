"""Setting up team work, as Settings › Team uses it: the connection remembered for the next
start, checking a server, moving this business onto it, and the file to go back to.

The password is never part of what is remembered (the keyring keeps it); moving takes the
open database itself, and the app runs it on its database thread so nothing is written to
the file while it is copied.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from deckfollow.core.unit_of_work import Store
from deckfollow.storage import team_connection
from deckfollow.storage.database import Database
from deckfollow.storage.location import default_database_path
from deckfollow.storage.team_connection import ConnectionCheck, Found, TeamConnection
from deckfollow.storage.team_move import MoveReport, move_to_server

__all__ = [
    "ConnectionCheck",
    "Found",
    "MoveReport",
    "TeamConnection",
    "check_connection",
    "forget_connection",
    "keyring_account_for",
    "local_file_of",
    "move_business",
    "remember_connection",
    "remembered_connection",
    "with_password",
]

check_connection = team_connection.check_connection
keyring_account_for = team_connection.keyring_account_for
with_password = team_connection.with_password


def remembered_connection(config: Path | None = None) -> TeamConnection | None:
    """The team connection remembered for the next start (None: work on the local file)."""
    return team_connection.remembered(config)


def remember_connection(conn: TeamConnection, config: Path | None = None) -> None:
    """Open this team database at the next start (its password stays in the keyring)."""
    team_connection.remember(conn, config)


def forget_connection(config: Path | None = None) -> None:
    """Open the local file at the next start."""
    team_connection.forget(config)


def local_file_of(conn: TeamConnection | None) -> str:
    """The file this computer worked on before the team server (the default one if none)."""
    if conn is not None and conn.local_file:
        return conn.local_file
    return str(default_database_path())


def move_business(
    db: Store, target: str, progress: Callable[[int, int], None] | None = None
) -> MoveReport:
    """Copy the open file's business onto the empty team database at `target`; the counts
    are checked on both sides before it is committed, and the file is kept as it was."""
    if not isinstance(db, Database):
        raise TypeError(f"{db!r} is not an open database")
    return move_to_server(db, target, progress)
