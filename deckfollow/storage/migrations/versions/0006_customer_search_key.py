"""Each customer's folded search key, so a search ignores case and accents.

- `customer.search_key`: the name, company, email, street, suburb, state and postcode in
  lower case without accents (`core.text_folding`), which the customer list searches with
  one LIKE on SQLite and PostgreSQL alike ("zoe" finds Zoë, "lukasiewicz" Łukasiewicz).
  Filled here for every customer already saved; the app keeps it current from then on.
  Going down drops the column: it holds nothing the other columns do not.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from deckfollow.core.text_folding import folded_key

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# In the order the app writes them (`core.models.SEARCHED_FIELDS`); spelled out so this
# revision keeps what it meant if the model changes later.
SEARCHED = ("display_name", "company", "email", "street", "suburb", "region", "postcode")
BATCH = 1000

customer = sa.table(
    "customer", sa.column("id", sa.Integer), sa.column("search_key", sa.Text),
    *(sa.column(name, sa.String) for name in SEARCHED),
)  # fmt: skip


def upgrade() -> None:
    bind = op.get_bind()
    op.add_column("customer", sa.Column("search_key", sa.Text(), nullable=False, server_default=""))
    rows = bind.execute(sa.select(customer.c.id, *(customer.c[n] for n in SEARCHED))).all()
    keys = [{"cid": r[0], "key": folded_key(r[1:])} for r in rows]
    fill = (
        sa.update(customer)
        .where(customer.c.id == sa.bindparam("cid"))
        .values(search_key=sa.bindparam("key"))
    )
    for start in range(0, len(keys), BATCH):
        bind.execute(fill, keys[start : start + BATCH])


def downgrade() -> None:
    # In place (SQLite 3.35+), not a batch copy: the ledger's guard trigger (0003) names
    # the customer table.
    op.execute("ALTER TABLE customer DROP COLUMN search_key")
