"""Today: what is due and overdue, grouped by channel, with what to say and one-click actions."""

from deckfollow.ui.today_page.page import TodayPage

__all__ = ["TodayPage"]
