"""Winning a quote and starting the after-sale plan: from the board or from a logged touch."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from deckfollow.core.changes import Changes
from deckfollow.core.enums import Stage
from deckfollow.core.errors import ValidationError
from deckfollow.core.pipeline import Close, get_quote
from deckfollow.core.quotes import change_stage, start_after_sale
from deckfollow.core.touches import TouchRecord, log_touch

__all__ = ["start_after_sale_plan", "win_quote"]


def start_after_sale_plan(session: Session, quote_id: int, *, now: datetime) -> Changes:
    """Start the after-sale plan for a won quote.

    When it cannot start, nothing changes and the answer's notice says why (they asked not
    to be contacted, or the plan already runs); `follow_ups` is set only when it started.
    """
    quote = get_quote(session, quote_id)
    if quote.stage is not Stage.WON:
        raise ValidationError("stage", "only a won quote gets the after-sale plan")
    started = start_after_sale(session, quote_id, now=now)
    if started.follow_ups:
        return started
    name = quote.customer.display_name
    why = (
        f"{name} asked not to be contacted"
        if quote.customer.do_not_contact
        else f"the after-sale plan already runs for {name}, or their permissions leave no step"
    )
    return Changes(notices=(f"The after-sale plan was not started: {why}.",))


def win_quote(
    session: Session,
    quote_id: int,
    *,
    now: datetime,
    after_sale: bool,
    touch: TouchRecord | None = None,
    version: int | None = None,
) -> Changes:
    """Mark the quote won and, when asked, start its after-sale plan, in one transaction.

    With `touch`, the touch that brought the win is logged with the close as its next step
    (the way the log-outcome screen closes); without, the quote moves to Won as on the board,
    checked against the `version` the user saw.
    """
    if touch is not None:
        if touch.quote_id != quote_id:
            raise ValidationError("quote", "the touch is about another quote")
        changes = log_touch(session, touch, Close(Stage.WON), now=now)
    else:
        changes = change_stage(session, quote_id, Stage.WON, now=now, version=version).changes
    if after_sale:
        changes = changes | start_after_sale_plan(session, quote_id, now=now)
    return changes
