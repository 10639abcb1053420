"""Whether another program has written the open SQLite file since the window last looked.

A script, the command line or a second app beside the window commits through its own
connection; SQLite's `data_version` moves on this connection only for such commits, never
for its own. A team server tells the window itself (LISTEN/NOTIFY), so it has no mark.
"""

from __future__ import annotations

from dataclasses import dataclass

from deckfollow.core.unit_of_work import Session


@dataclass(frozen=True)
class WriteMark:
    """Where the file stood, as seen through one connection."""

    connection: int  # which connection saw it: marks of two connections do not compare
    version: int

    def moved_since(self, earlier: WriteMark | None) -> bool:
        """Another program committed between `earlier` and this mark."""
        return (
            earlier is not None
            and earlier.connection == self.connection
            and earlier.version != self.version
        )


def write_mark(session: Session) -> WriteMark | None:
    """This connection's mark of the file (None on a team server)."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return None
    version = connection.exec_driver_sql("PRAGMA data_version").scalar_one()
    return WriteMark(id(connection.connection.dbapi_connection), int(version))
