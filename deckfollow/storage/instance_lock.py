"""One running deckfollow per database file.

The lock is an operating-system lock on `<database>.lock` (flock on POSIX, msvcrt.locking
on Windows). The OS drops it when the process ends in any way, SIGKILL and power loss
included, so a stale lock file never blocks the next start: only a live holder does. The
file also names the holder (process id, host, start time) so a refusal can say who it is.
The file itself is left in place on release; deleting it would let two processes lock two
different files of the same name.

A database reached through a symlink or a hard link is the same database: the lock beside
it is named from the resolved path, and a second lock, in the user's data folder, is named
from the file's identity (device and inode), which every link shares. The database file
itself is never opened for locking: closing any handle on it would drop the POSIX locks
SQLite holds on it in this process.
"""

from __future__ import annotations

import json
import os
import socket
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import IO

from deckfollow.core.errors import DeckfollowError
from deckfollow.storage.location import is_url

# Windows locks a byte range; a byte far past the holder's details keeps them readable.
_WIN_LOCK_OFFSET = 1 << 20


class AlreadyRunningError(DeckfollowError):
    """Another running deckfollow has this database open."""

    def __init__(self, message: str, holder: LockHolder | None) -> None:
        super().__init__(message)
        self.holder = holder


@dataclass(frozen=True)
class LockHolder:
    pid: int
    host: str
    since: str
    program: str

    def describe(self) -> str:
        where = "on this computer" if self.host == socket.gethostname() else f"on {self.host}"
        return f"process {self.pid} {where}, started {self.since}"


def lock_path_for(db_path: Path) -> Path:
    """The lock beside the database, named from its real path (symlinks resolved)."""
    real = db_path.expanduser().resolve()
    return real.with_name(real.name + ".lock")


def identity_lock_path(db_path: Path) -> Path | None:
    """The lock every name of the same file shares (hard links too); None before the file
    exists, when no second name of it can exist either."""
    try:
        st = os.stat(db_path.expanduser())
    except OSError:
        return None
    from platformdirs import user_data_dir

    folder = Path(user_data_dir("deckfollow", appauthor=False)) / "locks"
    return folder / f"{st.st_dev:x}-{st.st_ino:x}.lock"


def read_holder(lock_file: Path) -> LockHolder | None:
    """Who holds (or last held) the lock, from the file's contents."""
    try:
        data = json.loads(lock_file.read_text(encoding="utf-8") or "{}")
        return LockHolder(
            int(data["pid"]), str(data["host"]), str(data["since"]), str(data["program"])
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _try_lock(fh: IO[bytes]) -> bool:
    if sys.platform == "win32":
        import msvcrt

        fh.seek(_WIN_LOCK_OFFSET)
        try:
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(fh: IO[bytes]) -> None:
    if sys.platform == "win32":
        import msvcrt

        fh.seek(_WIN_LOCK_OFFSET)
        msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


class InstanceLock:
    """Held while this process uses the database; a context manager, or call release()."""

    def __init__(self, db_path: Path | None, *handles: IO[bytes]) -> None:
        self.db_path = db_path
        self._handles = list(handles)

    @property
    def held(self) -> bool:
        return bool(self._handles)

    def release(self) -> None:
        handles, self._handles = self._handles, []
        for fh in reversed(handles):
            _release_file(fh)

    def __enter__(self) -> InstanceLock:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


def _release_file(fh: IO[bytes]) -> None:
    try:
        fh.seek(0)
        fh.truncate()
        fh.flush()
        _unlock(fh)
    finally:
        fh.close()


def _lock_file(lock_file: Path, db_path: Path, info: bytes) -> IO[bytes]:
    lock_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o600)
    fh = os.fdopen(fd, "rb+")
    if not _try_lock(fh):
        fh.close()
        holder = read_holder(lock_file)
        who = holder.describe() if holder else "another process"
        raise AlreadyRunningError(
            f"deckfollow is already running with {db_path.name} ({who}). "
            "Switch to that window, or close it and try again.",
            holder,
        )
    fh.seek(0)
    fh.truncate()
    fh.write(info)
    fh.flush()
    return fh


def acquire_instance_lock(target: str | Path, *, program: str = "deckfollow") -> InstanceLock:
    """Lock the database for this process, or raise AlreadyRunningError naming the holder.

    A shared server database (team mode) is meant to be used by many at once: the lock is
    then a no-op.
    """
    if isinstance(target, str) and is_url(target):
        return InstanceLock(None)
    db_path = Path(target).expanduser()
    info = json.dumps(
        {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "since": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "program": program,
        }
    ).encode()
    beside = _lock_file(lock_path_for(db_path), db_path, info)
    identity = identity_lock_path(db_path)
    if identity is None:
        return InstanceLock(db_path, beside)
    try:
        same_file = _lock_file(identity, db_path, info)
    except BaseException:
        _release_file(beside)
        raise
    return InstanceLock(db_path, beside, same_file)
