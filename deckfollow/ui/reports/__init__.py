"""The Reports page: win rate, touches to close, speed to lead, discipline and more."""

from deckfollow.ui.reports.page import ReportsPage

__all__ = ["ReportsPage"]
