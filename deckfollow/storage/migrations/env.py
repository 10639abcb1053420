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
