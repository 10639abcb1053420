"""Moving a one-person business (SQLite file) onto the team's empty PostgreSQL database.

Every table is copied row for row with its ids, in one transaction on the server: the
consent ledger, the suppression list of erased people, settings, plans and templates
included. Before the commit the rows on both sides are counted, table by table; any
difference rolls the whole copy back, so the server is either a full copy or untouched.
The id sequences are then moved past the copied ids (storage.sequences). The local file is
only read, and kept as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, delete, func, insert, select

from deckfollow.core.errors import StorageError
from deckfollow.core.models import Base, Cadence, CadenceStep, Setting, Template
from deckfollow.storage.database import Database, open_database
from deckfollow.storage.secrets_hidden import display_target
from deckfollow.storage.sequences import advance_sequences
from deckfollow.storage.team_schema import UPGRADED_BY_KEY

_CHUNK = 1000


@dataclass(frozen=True)
class MoveReport:
    """Rows per table, counted on the file and on the server before the commit."""

    counts: dict[str, int]
    source: str
    target: str

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _counts(conn: Connection) -> dict[str, int]:
    return {
        table.name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
        for table in Base.metadata.sorted_tables
    }


def _clear_builtins(conn: Connection) -> None:
    """Remove the standard plans and templates an app seeded on the empty server (the
    business brings its own), unless someone already made their own there."""
    own = conn.execute(select(func.count()).where(Cadence.builtin.is_(False))).scalar_one()
    own += conn.execute(select(func.count()).where(Template.builtin.is_(False))).scalar_one()
    if own:
        return  # not empty: the check below says so
    conn.execute(delete(CadenceStep))
    conn.execute(delete(Cadence))
    conn.execute(delete(Template))


Progress = Callable[[int, int], None]  # rows copied so far, rows in all


def move_to_server(source: Database, target: str, progress: Progress | None = None) -> MoveReport:
    """Copy the business in `source` (a file) into the empty database at `target` (a URL).

    `progress` is called (in the calling thread) after each chunk of rows is copied."""
    if source.path is None:
        raise StorageError(f"{source.display} is already a server database; nothing to move")
    shown = display_target(target)
    server = open_database(target)  # creates the schema, or upgrades an older empty one
    try:
        if server.is_sqlite:
            raise StorageError(f"{shown} is a file, not a team server: give a postgresql URL")
        with source.engine.connect() as src, server.unit_of_work() as session:
            conn = session.connection()
            _clear_builtins(conn)  # a window opened on it first seeded the standard plans
            # Who created the schema is the server's bookkeeping, not the business: kept aside.
            upgraded = conn.execute(
                select(Setting.value).where(Setting.key == UPGRADED_BY_KEY)
            ).scalar_one_or_none()
            conn.execute(delete(Setting).where(Setting.key == UPGRADED_BY_KEY))
            already = {name: n for name, n in _counts(conn).items() if n}
            if already:
                held = ", ".join(f"{n} {name}" for name, n in sorted(already.items()))
                raise StorageError(
                    f"{shown} already holds data ({held}); move only into an empty database"
                )
            total, done = sum(_counts(src).values()), 0
            if progress is not None:
                progress(0, total)
            for table in Base.metadata.sorted_tables:
                rows = src.execute(select(table)).mappings()
                while chunk := rows.fetchmany(_CHUNK):
                    conn.execute(insert(table), [dict(r) for r in chunk])
                    done += len(chunk)
                    if progress is not None:
                        progress(done, total)
            have, copied = _counts(src), _counts(conn)
            if have != copied:
                differ = ", ".join(
                    f"{name} {have[name]} here, {copied[name]} there"
                    for name in have
                    if have[name] != copied[name]
                )
                raise StorageError(f"the copy does not match ({differ}); nothing was moved")
            if upgraded is not None:
                conn.execute(insert(Setting).values(key=UPGRADED_BY_KEY, value=upgraded))
            advance_sequences(session, [t.name for t in Base.metadata.sorted_tables if "id" in t.c])
    finally:
        server.close()
    return MoveReport(have, source.display, shown)
