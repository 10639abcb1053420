"""The quote dialog: enter a quote, edit it, or give what a move to Quoted needs."""

from deckfollow.ui.quote_editor.dialog import QuoteDialog

__all__ = ["QuoteDialog"]
