"""Which database to open: --db, DECKFOLLOW_DB, or the user's data folder."""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "DECKFOLLOW_DB"


def default_database_path() -> Path:
    """The per-user database file in the platform's data folder."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("deckfollow", appauthor=False)) / "deckfollow.db"


def resolve_target(explicit: str | None) -> str:
    """The database target (a file path or a database URL) the user asked for."""
    if explicit:
        return explicit
    env = os.environ.get(ENV_VAR)
    if env:
        return env
    return str(default_database_path())


def is_url(target: str) -> bool:
    return "://" in target
