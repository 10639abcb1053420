"""deckfollow: permission-based follow-up for quotes."""

__version__ = "0.1.0"
