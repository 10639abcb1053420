"""Consent dialogs: ask permission, per-channel consent and hours, stop, and the ledger."""

from deckfollow.ui.consent.ask_permission import AskPermissionDialog
from deckfollow.ui.consent.cadences import CadenceDialog
from deckfollow.ui.consent.consent_editor import ConsentEditorDialog
from deckfollow.ui.consent.ledger_view import LedgerModel, LedgerViewerDialog
from deckfollow.ui.consent.stop import StopContactDialog

__all__ = [
    "AskPermissionDialog",
    "CadenceDialog",
    "ConsentEditorDialog",
    "LedgerModel",
    "LedgerViewerDialog",
    "StopContactDialog",
]
