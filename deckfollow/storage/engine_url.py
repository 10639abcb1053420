"""The SQLAlchemy URL of a SQLite file, built with `URL.create` so the path is kept as it is
(a path pasted into `sqlite:///{path}` sends `#`, `?` and `%` folders to another file)."""

from __future__ import annotations

import os
from pathlib import Path, PurePath

from sqlalchemy.engine import URL

from deckfollow.storage.uri import sqlite_file_uri


def sqlite_url(path: PurePath) -> URL:
    """The SQLAlchemy URL of a SQLite file, whatever its folder is called."""
    return URL.create("sqlite", database=str(path))


def database_url(path: Path) -> URL:
    """The URL the app opens its database file by.

    In a folder nobody may write to (a read-only share, a locked-down folder, a CD) SQLite
    cannot create the write-ahead log and its index beside the file, so a normal open
    fails even for reading. Such a file is opened read-only instead: everything can be
    read, and any write is refused as "read-only here; nothing was saved". Without the log
    files it is opened as immutable, which is safe there: no program can write to a WAL
    database without creating its log first.
    """
    folder = path.parent
    if not path.exists() or os.access(folder, os.W_OK):
        return sqlite_url(path)
    logs = all(Path(f"{path}{suffix}").exists() for suffix in ("-wal", "-shm"))
    query = {"mode": "ro", "uri": "true", **({} if logs else {"immutable": "1"})}
    return URL.create("sqlite", database=sqlite_file_uri(path), query=query)
