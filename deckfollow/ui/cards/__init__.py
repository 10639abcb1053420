"""Note cards in the app: the card composer and this week's batch."""

from deckfollow.ui.cards.batch_dialog import CardBatchDialog
from deckfollow.ui.cards.composer import CardsDialog

__all__ = ["CardBatchDialog", "CardsDialog"]
