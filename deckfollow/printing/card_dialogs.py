"""What the card composer and the card batch read and save, each a function of one session.

The window runs them on its database thread, so opening a card dialog, choosing who a card
is for or marking cards as mailed never waits on the database in the window.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy.orm import Session

from deckfollow.core.card_kinds import MailedNextStep
from deckfollow.core.card_preferences import (
    CardPreferences,
    load_card_preferences,
    save_card_preferences,
)
from deckfollow.core.card_recipients import RecipientSearch, search_recipients
from deckfollow.core.changes import Changes
from deckfollow.core.merge_fields import MergeContext, build_merge_context
from deckfollow.printing.batch import (
    CardBatch,
    CardRecipient,
    CardTemplate,
    MailedResult,
    PrintedBatch,
    card_recipient,
    card_templates,
    collect_due_cards,
    mark_mailed,
    printed_batch,
    remember_printed,
)
from deckfollow.printing.card_setup import options_for, todays_date_line
from deckfollow.printing.render import PrintOptions

# Remembering the owner's card choices or which cards were printed changes nothing a page
# of the window shows.
_NOTHING_SHOWN = Changes()


@dataclass(frozen=True)
class CardSetup:
    """The wordings to choose from, the owner's remembered choices and the options they
    start from (today's date always filled in: the form decides whether it is written), and
    the customers listed before anything is typed."""

    templates: list[CardTemplate]
    prefs: CardPreferences
    base: PrintOptions
    everyone: RecipientSearch


def read_card_setup(session: Session, now: datetime) -> CardSetup:
    prefs = load_card_preferences(session)
    base = options_for(session, prefs, now=now)
    date = todays_date_line(session, now)
    everyone = search_recipients(session, "")
    return CardSetup(card_templates(session), prefs, replace(base, date_text=date), everyone)


@dataclass(frozen=True)
class ChosenRecipient:
    """Who a card is for and the values its merge fields take (None: nobody by that id)."""

    recipient: CardRecipient | None
    context: MergeContext | None


def read_recipient(session: Session, customer_id: int, now: datetime) -> ChosenRecipient:
    recipient = card_recipient(session, customer_id)
    if recipient is None:
        return ChosenRecipient(None, None)
    context = build_merge_context(
        session, customer_id=recipient.customer_id, quote_id=recipient.quote_id, now=now
    )
    return ChosenRecipient(recipient, context)


def remember_card_choices(session: Session, prefs: CardPreferences) -> Changes:
    """Keep the stationery, front and handwriting chosen for next time."""
    save_card_preferences(session, prefs)
    return _NOTHING_SHOWN


@dataclass(frozen=True)
class DueCards:
    """The cards due (and who is skipped), and the batch last printed, if any."""

    batch: CardBatch
    printed: PrintedBatch | None


def read_due_cards(
    session: Session, now: datetime, within_days: int, template_key: str | None
) -> DueCards:
    batch = collect_due_cards(session, now=now, within_days=within_days, template_key=template_key)
    return DueCards(batch, printed_batch(session))


@dataclass(frozen=True)
class Printed:
    """The batch remembered as printed, ready to be marked as mailed."""

    printed: PrintedBatch
    changes: Changes = field(default=_NOTHING_SHOWN)


def remember_batch_printed(session: Session, batch: CardBatch, now: datetime) -> Printed:
    return Printed(remember_printed(session, batch, now=now))


@dataclass(frozen=True)
class Mailed:
    """What marking the printed cards as mailed logged (None: nothing was printed)."""

    result: MailedResult | None
    changes: Changes


def mail_printed_cards(
    session: Session, step: MailedNextStep, now: datetime, *, courtesy_too: bool
) -> Mailed:
    """Log a card touch, with its next step, for each card of the batch last printed."""
    printed = printed_batch(session)
    if printed is None:
        return Mailed(None, Changes())
    result = mark_mailed(session, printed.follow_up_ids, step, now=now, courtesy_too=courtesy_too)
    return Mailed(result, Changes(touches=True, follow_ups=True, quotes=True))
