"""Loading the pipeline board and the quote list.

Both views show the same quotes, so one query loads them all as plain rows (never ORM
objects) into a `core.quote_index.QuoteIndex`, which searches and sorts them in memory.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, bindparam, not_, or_, select
from sqlalchemy.orm import Session

from deckfollow.core.columns import UTCDateTime
from deckfollow.core.due import actionable, effective_due
from deckfollow.core.enums import Stage
from deckfollow.core.models import Customer, FollowUp, Quote
from deckfollow.core.quote_index import (
    OPEN_STAGES,
    IndexUpdate,
    QuoteIndex,
    Reread,
    board_cutoff,
    build_index,
    build_rows,
    earliest_follow_ups,
)
from deckfollow.core.settings import load_settings


def next_follow_ups_statement() -> Select[*tuple[Any, ...]]:
    """The actionable follow-ups of every quote, earliest first within each quote."""
    due = effective_due()
    return (
        select(
            FollowUp.quote_id, FollowUp.id, due, FollowUp.basis, FollowUp.channel, FollowUp.reason
        )
        # The rules inline, not as `id IN (the actionable ids)`: one pass over the pending
        # follow-ups instead of a list built first and looked up per row.
        .where(actionable(), FollowUp.quote_id.is_not(None))
        .order_by(FollowUp.quote_id, due)
    )


# Won and lost quotes closed before this moment stay off the board (`board_only`).
RECENT_PARAM = "recent"
# In stage order (not a set's order) so the statement's text is the same on every run.
ON_BOARD_ALWAYS = [s for s in Stage if s in OPEN_STAGES or s is Stage.PARKED]


def quote_rows_statement(*, board_only: bool, off_board: bool = False) -> Select[*tuple[Any, ...]]:
    """Every quote not in the trash with its customer's name and ways to reach them.

    With `board_only`, the statement takes a `recent` parameter: the moment before which won
    and lost quotes leave the board. With `off_board` it gives the other quotes instead (the
    start reads the board's first and these once the board is on screen).
    """
    stmt = (
        select(
            Quote.id,
            Quote.customer_id,
            Customer.display_name,
            Quote.job,
            Quote.number,
            Quote.amount,
            Quote.currency,
            Quote.stage,
            Quote.received_at,
            Quote.first_response_at,
            Quote.last_touch_at,
            Quote.stage_changed_at,
            Quote.parked_until,
            Customer.phone_cell,
            Customer.email,
            Customer.timezone,
            Customer.phone_office,
            Customer.phone_home,
            Quote.version,
            Quote.owner,
        )
        .join(Customer, Customer.id == Quote.customer_id)
        .where(Quote.deleted_at.is_(None), Customer.deleted_at.is_(None))
    )
    if board_only or off_board:
        recent = bindparam(RECENT_PARAM, type_=UTCDateTime())
        on_board = or_(Quote.stage.in_(ON_BOARD_ALWAYS), Quote.stage_changed_at >= recent)
        stmt = stmt.where(not_(on_board) if off_board else on_board)
    return stmt


def business_is_empty(session: Session) -> bool:
    """No customers and no quotes yet (a brand-new database, trash included)."""
    has_customer = session.execute(select(Customer.id).limit(1)).first() is not None
    return not has_customer and session.execute(select(Quote.id).limit(1)).first() is None


def load_quote_index(session: Session, *, now: datetime, board_only: bool = False) -> QuoteIndex:
    """Every quote not in the trash, with its customer and next follow-up.

    `board_only` reads just what the board shows (open and parked quotes, recent wins and
    losses): about a third of a big business, so the board can paint before the rest loads.
    """
    cold_days = load_settings(session).going_cold_days
    conn = session.connection()
    nexts = earliest_follow_ups(conn.execute(next_follow_ups_statement()))
    params = {RECENT_PARAM: board_cutoff(now)} if board_only else {}
    # Through the Connection: plain Core rows, without the ORM's per-row loading work.
    rows = conn.execute(quote_rows_statement(board_only=board_only), params)
    return build_index(rows, nexts, now=now, cold_days=cold_days)


def load_index_update(session: Session, *, now: datetime, reread: Reread) -> IndexUpdate:
    """The named quotes (and every quote of the named customers) as the index shows them now,
    read with the same statements as the whole index, for just those rows."""
    if not reread.quote_ids and not reread.customer_ids:
        return IndexUpdate([], [], frozenset())
    cold_days = load_settings(session).going_cold_days
    conn = session.connection()
    asked = or_(
        Quote.id.in_(sorted(reread.quote_ids)), Quote.customer_id.in_(sorted(reread.customer_ids))
    )
    follow_ups = next_follow_ups_statement().where(
        FollowUp.quote_id.in_(select(Quote.id).where(asked))
    )
    nexts = earliest_follow_ups(conn.execute(follow_ups))
    rows, phones = build_rows(
        conn.execute(quote_rows_statement(board_only=False).where(asked)),
        nexts,
        now=now,
        cold_days=cold_days,
    )
    found = {row.quote_id for row in rows}
    # A named quote not read back is gone; so is any quote of a named customer that was
    # trashed with them (the index drops what it holds of theirs that is not read back).
    gone = frozenset(reread.quote_ids - found)
    return IndexUpdate(rows, phones, gone | _gone_of_customers(session, reread.customer_ids, found))


def _gone_of_customers(
    session: Session, customer_ids: frozenset[int], found: set[int]
) -> frozenset[int]:
    if not customer_ids:
        return frozenset()
    theirs = session.execute(
        select(Quote.id).where(Quote.customer_id.in_(sorted(customer_ids)))
    ).scalars()
    return frozenset(qid for qid in theirs if qid not in found)
