"""Quick lead capture (Ctrl+N)."""

from deckfollow.ui.new_lead.dialog import NewLeadDialog

__all__ = ["NewLeadDialog"]
