"""A loopback TCP relay in front of the test PostgreSQL server that a test can cut and
restore: cut, it drops every open connection and refuses new ones, as a server that went
away (or a network that did) would; restored, it relays again on the same port."""

from __future__ import annotations

import contextlib
import select
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import make_url


class Relay:
    def __init__(self, upstream: tuple[str, int]) -> None:
        self._upstream = upstream
        self._listen = socket.socket()
        self._listen.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listen.bind(("127.0.0.1", 0))
        self._listen.listen(64)
        self.port = int(self._listen.getsockname()[1])
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._up = True
        self._stop = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def cut(self) -> None:
        """The server goes away: every connection drops, new ones are closed at once."""
        with self._lock:
            self._up = False
            for s in list(self._open):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()
            self._open.clear()

    def restore(self) -> None:
        with self._lock:
            self._up = True

    def close(self) -> None:
        self._stop.set()
        self.cut()
        self._listen.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._listen.accept()
            except OSError:
                return
            with self._lock:
                up = self._up
            if not up:
                client.close()
                continue
            try:
                server = socket.create_connection(self._upstream)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._open.update((client, server))
            threading.Thread(target=self._pipe, args=(client, server), daemon=True).start()

    def _pipe(self, a: socket.socket, b: socket.socket) -> None:
        pair = {a: b, b: a}
        try:
            while True:
                ready, _, _ = select.select(list(pair), [], [], 0.5)
                for s in ready:
                    data = s.recv(65536)
                    if not data:
                        return
                    pair[s].sendall(data)
        except (OSError, ValueError):
            return
        finally:
            for s in pair:
                with contextlib.suppress(OSError):
                    s.close()
            with self._lock:
                self._open.discard(a)
                self._open.discard(b)


@contextmanager
def relay_to(url: str) -> Iterator[tuple[Relay, str]]:
    """A relay in front of the server at `url`, and the URL that goes through it."""
    parsed = make_url(url)
    relay = Relay((parsed.host or "127.0.0.1", int(parsed.port or 5432)))
    try:
        yield relay, parsed.set(port=relay.port).render_as_string(hide_password=False)
    finally:
        relay.close()
