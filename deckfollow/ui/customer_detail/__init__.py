"""The detail panel: one customer and their quote, edited in place, with one timeline."""

from deckfollow.ui.customer_detail.panel import DetailPanel

__all__ = ["DetailPanel"]
