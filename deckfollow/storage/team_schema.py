"""Schema upgrades on a shared database: one at a time, and who did the last one.

Several members may start a newer deckfollow at once: each takes a session advisory lock
before migrating, so one upgrades and the others, once let in, find nothing left to do.
The member who upgraded is remembered (a setting), so a colleague whose older deckfollow
is refused knows whom to ask.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, text

from deckfollow import __version__

# PostgreSQL advisory lock key of "the schema is being upgraded" (ASCII "dkmg").
MIGRATE_LOCK_KEY = 0x646B6D67
UPGRADED_BY_KEY = "schema.upgraded_by"


@contextmanager
def migration_lock(engine: Engine) -> Iterator[None]:
    """Hold the upgrade lock on a server database (SQLite's migration has its own lock)."""
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATE_LOCK_KEY})
        conn.commit()
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATE_LOCK_KEY})
            conn.commit()


def record_upgrade(engine: Engine) -> None:
    """Remember who upgraded a server database, and with which version."""
    if engine.dialect.name != "postgresql":
        return
    with engine.begin() as conn:
        who = conn.execute(text("SELECT current_user")).scalar_one()
        conn.execute(
            text(
                "INSERT INTO setting (key, value) VALUES (:k, :v) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
            ),
            {"k": UPGRADED_BY_KEY, "v": f"{who} {__version__}"},
        )


def upgraded_by(engine: Engine) -> str | None:
    """'dana_owner (deckfollow 1.4.0)' for a server database someone upgraded, else None."""
    try:
        with engine.connect() as conn:
            stored = conn.execute(
                text("SELECT value FROM setting WHERE key = :k"), {"k": UPGRADED_BY_KEY}
            ).scalar_one_or_none()
    except Exception:  # an unknown newer schema may lack the table: then nobody is named
        return None
    if not stored:
        return None
    who, _, version = str(stored).partition(" ")
    return f"{who} (deckfollow {version})" if version else who
