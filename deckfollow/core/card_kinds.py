"""What follows a mailed card depends on the kind of card.

A thank-you (for asking for a quote, or for choosing us) invites a check call a few days
after it lands. A birthday, holiday or "saw this and thought of you" card asks nothing of
the customer: following it with a call would turn a kindness into a sales touch, so it
plans nothing unless the owner asks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from enum import StrEnum

from deckfollow.core.enums import Channel


class CardKind(StrEnum):
    THANK_YOU = "thank_you"
    AFTER_SALE = "after_sale"
    BIRTHDAY = "birthday"
    HOLIDAY = "holiday"
    SAW_THIS = "saw_this"


# Kinds of card that are a gift, not a step towards a sale.
COURTESY_KINDS = frozenset({CardKind.BIRTHDAY, CardKind.HOLIDAY, CardKind.SAW_THIS})

_KINDS_BY_KEY = {
    "card_thank_you_quote": CardKind.THANK_YOU,
    "card_after_sale": CardKind.AFTER_SALE,
    "card_birthday": CardKind.BIRTHDAY,
    "card_holiday": CardKind.HOLIDAY,
    "card_saw_this": CardKind.SAW_THIS,
}


@dataclass(frozen=True)
class MailedNextStep:
    """The check call (or text, or email) planned after a mailed card."""

    channel: Channel = Channel.CALL
    days_after: int = 7
    local_time: time = time(10, 0)
    reason: str = "to check the card arrived and whether anything has come up"


def card_kind(template_key: str) -> CardKind:
    """The kind of a card wording; a wording of the owner's own counts as a thank-you."""
    return _KINDS_BY_KEY.get(template_key, CardKind.THANK_YOU)


def plans_check_call(kind: CardKind) -> bool:
    """Whether a card of this kind is followed by a check call when nobody says otherwise."""
    return kind not in COURTESY_KINDS


def step_after_mailing(
    template_key: str, step: MailedNextStep, *, courtesy_too: bool = False
) -> MailedNextStep | None:
    """The step to plan after mailing this card, or None: a courtesy card (birthday,
    holiday, "saw this") plans nothing unless `courtesy_too` (the owner asked)."""
    if plans_check_call(card_kind(template_key)) or courtesy_too:
        return step
    return None
