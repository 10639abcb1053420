"""Names for a SQLite file that survive any folder name: `#`, `?`, `%`, spaces, accents.

Pasting a path into `file:{path}?mode=ro` or `sqlite:///{path}` lets SQLite or SQLAlchemy
read `#` as the start of a fragment, `?` as the start of the options and `%xx` as an
escape, so the data goes to another file. A file URI is built by `PurePath.as_uri()`, which
percent-encodes every such character, and a SQLAlchemy URL by `URL.create`, which keeps
the path as it is.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePath
from urllib.parse import urlencode

from sqlalchemy.engine import URL


def sqlite_file_uri(path: PurePath, **options: str) -> str:
    """`file:` URI for SQLite (`sqlite3.connect(uri, uri=True)`), with query options.

    A relative path is made absolute first (a URI cannot be relative); a Windows path
    (`C:\\Jobs #2\\x.db`) gives `file:///C:/Jobs%20%232/x.db`.
    """
    if not path.is_absolute():
        path = type(path)(os.path.abspath(path))
    uri = path.as_uri()
    return f"{uri}?{urlencode(options)}" if options else uri


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
