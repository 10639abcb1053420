"""Logging a touch's outcome together with its required next step."""

from deckfollow.ui.log_outcome.dialog import LogOutcomeDialog
from deckfollow.ui.log_outcome.opening import open_log_outcome

__all__ = ["LogOutcomeDialog", "open_log_outcome"]
