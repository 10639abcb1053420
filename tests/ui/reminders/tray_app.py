"""The app's reminder side as a separate process on a real X display (for the tray test).

argv: database path, the fixed "now" (ISO 8601). Prints READY, OPEN <id>, SHOWN and QUIT lines.
Reads commands on stdin: "close" closes the window as its title bar's X does (there is no
window manager on the test display to send that), "state" prints whether it is visible.
"""

from __future__ import annotations

import sys
from datetime import datetime

from PySide6.QtCore import QSocketNotifier, QTimer

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

    def command() -> None:
        line = sys.stdin.readline().strip()
        if line == "close":
            window.close()
        if line in ("close", "state"):
            print(f"VISIBLE {window.isVisible()}", flush=True)

    stdin = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
    stdin.activated.connect(command)
    code = app.exec()
    print(f"QUIT visible={window.isVisible()}", flush=True)
    db.close()
    return code


if __name__ == "__main__":
    sys.exit(main())
