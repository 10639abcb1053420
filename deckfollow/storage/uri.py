"""Names for a SQLite file that survive any folder name: `#`, `?`, `%`, spaces, accents.

Pasting a path into `file:{path}?mode=ro` or `sqlite:///{path}` lets SQLite or SQLAlchemy
read `#` as the start of a fragment, `?` as the start of the options and `%xx` as an
escape, so the data goes to another file. A file URI is built by `PurePath.as_uri()`, which
percent-encodes every such character (SQLAlchemy URLs: `storage.engine_url`). Kept free of
SQLAlchemy: the start check and the quick board read use it before SQLAlchemy is loaded.
"""

from __future__ import annotations

import os
from pathlib import PurePath
from urllib.parse import urlencode


def sqlite_file_uri(path: PurePath, **options: str) -> str:
    """`file:` URI for SQLite (`sqlite3.connect(uri, uri=True)`), with query options.

    A relative path is made absolute first (a URI cannot be relative); a Windows path
    (`C:\\Jobs #2\\x.db`) gives `file:///C:/Jobs%20%232/x.db`.
    """
    if not path.is_absolute():
        path = type(path)(os.path.abspath(path))
    uri = path.as_uri()
    return f"{uri}?{urlencode(options)}" if options else uri
