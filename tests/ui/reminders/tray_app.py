"""The app's reminder side as a separate process on a real X display (for the tray test).

argv: database path, the fixed "now" (ISO 8601). Prints READY, OPEN <id>, SHOWN and QUIT lines.
"""

from __future__ import annotations

import sys
from datetime import datetime

from PySide6.QtCore import QTimer

from deckfollow.storage.database import open_database
from deckfollow.ui.app import make_application
from deckfollow.ui.main_window import MainWindow
from deckfollow.ui.reminders import ReminderController


def main() -> int:
    app = make_application([sys.argv[0]])
    db = open_database(sys.argv[1], create=False)
    now = datetime.fromisoformat(sys.argv[2])
    window = MainWindow(db, clock=lambda: now)
    controller = ReminderController(db, clock=lambda: now, main_window=window)
    controller.open_follow_up.connect(lambda fid: print(f"OPEN {fid}", flush=True))
    controller.notices_shown.connect(lambda notices: print(f"SHOWN {len(notices)}", flush=True))
    window.show()
    controller.start()

    def ready() -> None:
        if controller.last_check is None:
            QTimer.singleShot(20, ready)
            return
        print(f"READY tray={controller.has_tray} quit_on_close={app.quitOnLastWindowClosed()}")
        sys.stdout.flush()

    QTimer.singleShot(0, ready)
    code = app.exec()
    print(f"QUIT visible={window.isVisible()}", flush=True)
    db.close()
    return code


if __name__ == "__main__":
    sys.exit(main())
