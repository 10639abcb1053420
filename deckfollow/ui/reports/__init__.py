"""The Reports page: win rate, touches to close, speed to lead, discipline and more.

Only the holder is imported with the window; the page itself loads when first shown.
"""

from deckfollow.ui.reports.holder import ReportsHolder

__all__ = ["ReportsHolder"]
