"""The Quotes page: search, filters and a sortable list of every quote."""

from deckfollow.ui.quote_list.model import QuoteTableModel
from deckfollow.ui.quote_list.page import QuoteListPage

__all__ = ["QuoteListPage", "QuoteTableModel"]
