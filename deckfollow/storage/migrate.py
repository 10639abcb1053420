"""Running Alembic migrations programmatically (imported only when a migration is due).

On SQLite a migration runs on a connection of its own that makes the whole upgrade one
transaction: Python's sqlite3 module would otherwise run each CREATE/DROP TABLE outside any
transaction, so a migration failing half-way would leave half a schema behind (a stray
``_alembic_tmp_*`` table that blocks every later attempt). Foreign keys are switched off
while tables are copied (SQLite's documented way to alter a table: dropping the old copy of
a parent table would otherwise fail or cascade) and checked as a whole before the commit.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import NullPool

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def alembic_config(engine: Engine | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        cfg.attributes["engine"] = engine
    return cfg


def _migration_engine(engine: Engine) -> Engine:
    """An engine for one migration: transactional DDL and no foreign-key enforcement (SQLite)."""
    if engine.dialect.name != "sqlite":
        return engine  # PostgreSQL runs DDL inside transactions and alters tables in place
    migrating = create_engine(engine.url, poolclass=NullPool)

    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # BEGIN is ours (below), so DDL is inside it
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA busy_timeout = 5000")
        cur.execute("PRAGMA synchronous = FULL")
        # Only changeable outside a transaction, hence here and not in the migration.
        cur.execute("PRAGMA foreign_keys = OFF")
        cur.close()

    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    event.listen(migrating, "connect", _connect)
    event.listen(migrating, "begin", _begin)
    return migrating


def _run(engine: Engine, action: str, revision: str) -> None:
    migrating = _migration_engine(engine)
    try:
        if action == "upgrade":
            command.upgrade(alembic_config(migrating), revision)
        else:
            command.downgrade(alembic_config(migrating), revision)
    finally:
        if migrating is not engine:
            migrating.dispose()


def upgrade_to_head(engine: Engine) -> None:
    _run(engine, "upgrade", "head")


def downgrade_to(engine: Engine, revision: str) -> None:
    _run(engine, "downgrade", revision)


def script_revisions() -> list[str]:
    """Revision ids of the migration scripts, oldest first."""
    script = ScriptDirectory.from_config(alembic_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]
