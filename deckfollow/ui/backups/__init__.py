"""Data safety in the GUI: the Backups settings page, the damaged-file dialog, the trash."""

from deckfollow.ui.backups.corrupt import CorruptDatabaseDialog
from deckfollow.ui.backups.handover import HandoverServer, ask_running_instance_to_show
from deckfollow.ui.backups.page import BackupsPage
from deckfollow.ui.backups.trash import TrashDialog

__all__ = [
    "BackupsPage",
    "CorruptDatabaseDialog",
    "HandoverServer",
    "TrashDialog",
    "ask_running_instance_to_show",
]
