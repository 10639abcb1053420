"""The pipeline board: one column per stage, cards dragged between them."""

from deckfollow.ui.board.page import BoardPage

__all__ = ["BoardPage"]
