"""Data safety in the GUI: the Backups settings page, the damaged-file dialog, the trash.

Start-up, in this order (see storage.instance_lock, storage.integrity, core.restore):

    try:
        lock = acquire_instance_lock(target)          # held for the app's lifetime
    except AlreadyRunningError as exc:
        if not ask_running_instance_to_show(path):    # hand over to the running one
            show exc as a message                     # names the other process
        exit
    HandoverServer(path, parent=window).show_requested.connect(raise_window)
    try:
        db = open_checked(target)                     # integrity check first, read-only
    except CorruptDatabaseError as exc:
        if CorruptDatabaseDialog(exc.report).exec() != Accepted: exit
        db = open_checked(target)                     # the restored file
    BackupScheduler(db, clock=clock, parent=window).start()   # daily + weekly, pruned,
                                                  # checked every half hour while running
"""

from deckfollow.ui.backups.corrupt import CorruptDatabaseDialog
from deckfollow.ui.backups.handover import HandoverServer, ask_running_instance_to_show
from deckfollow.ui.backups.page import BackupsPage
from deckfollow.ui.backups.schedule import BackupScheduler
from deckfollow.ui.backups.trash import TrashDialog

__all__ = [
    "BackupScheduler",
    "BackupsPage",
    "CorruptDatabaseDialog",
    "HandoverServer",
    "TrashDialog",
    "ask_running_instance_to_show",
]
