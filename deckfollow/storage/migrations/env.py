"""Alembic environment: deckfollow passes its own engine in, never a config file URL."""

from __future__ import annotations

from alembic import context

from deckfollow.core.models import Base

engine = context.config.attributes["engine"]

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    if connection.dialect.name == "sqlite":
        # Foreign keys were off while tables were copied: every reference must still hold
        # before the upgrade is committed, or none of it is.
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchmany(3)
        if broken:
            sample = ", ".join(f"{r[0]} row {r[1]} -> {r[2]}" for r in broken)
            raise RuntimeError(f"the upgrade would leave rows pointing at nothing ({sample})")
