"""Hand over to the running deckfollow: a second start brings the first one's window forward.

The instance lock (storage.instance_lock) decides who runs; this only carries the message
"show yourself" over a local socket named after the database, readable by this user only.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

REQUEST = b"show\n"
REPLY = b"ok\n"


def server_name(db_path: Path) -> str:
    """One socket name per database file (the same file reached by any path)."""
    digest = hashlib.sha256(str(db_path.expanduser().resolve()).encode()).hexdigest()
    return f"deckfollow-{digest[:20]}"


class HandoverServer(QObject):
    """Run by the instance holding the lock; `show_requested` asks the main window to come
    forward (connect it to raise the window)."""

    show_requested = Signal()

    def __init__(self, db_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        name = server_name(db_path)
        # We hold the instance lock, so a leftover socket can only be a killed process's.
        QLocalServer.removeServer(name)
        self.listening = self._server.listen(name)
        self._server.newConnection.connect(self._accept)

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            conn = self._server.nextPendingConnection()
            conn.readyRead.connect(lambda c=conn: self._read(c))
            conn.disconnected.connect(conn.deleteLater)

    def _read(self, conn: QLocalSocket) -> None:
        if bytes(conn.readAll().data()).startswith(REQUEST.strip()):
            conn.write(REPLY)
            conn.flush()
            self.show_requested.emit()

    def close(self) -> None:
        self._server.close()


def ask_running_instance_to_show(db_path: Path, *, timeout_ms: int = 2000) -> bool:
    """Ask the deckfollow that has `db_path` open to show its window; True if it answered."""
    sock = QLocalSocket()
    sock.connectToServer(server_name(db_path))
    try:
        if not sock.waitForConnected(timeout_ms):
            return False
        sock.write(REQUEST)
        if not sock.waitForBytesWritten(timeout_ms) or not sock.waitForReadyRead(timeout_ms):
            return False
        return bytes(sock.readAll().data()).startswith(REPLY.strip())
    finally:
        sock.abort()
