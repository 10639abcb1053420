"""Logging a touch's outcome together with its required next step."""

from deckfollow.ui.log_outcome.dialog import LogOutcomeDialog

__all__ = ["LogOutcomeDialog"]
