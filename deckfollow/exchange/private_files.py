"""Writing a file that holds customer data: owner-only, whole or not at all, never a device.

Every export goes through `write_private`: the bytes go to a hidden `.part` file beside the
target (created owner-only, 0600), are flushed to the disk and only then renamed over the
target, so a full disk or a crash never leaves a half-written export or a stray `.part`
behind. A target that exists and is not a regular file (`/dev/full`, a pipe, a folder) is
refused: writing "into" a device reported success while nothing was saved, and renaming
over it would replace the device itself.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from deckfollow.core.errors import DeckfollowError


class FileWriteError(DeckfollowError, OSError):
    """A file could not be written; nothing was. Also an OSError, so a caller that guards
    its file writes with `except OSError` (and shows `strerror`) keeps working."""

    def __init__(self, message: str, code: int | None = None) -> None:
        OSError.__init__(self, code, message)

    def __str__(self) -> str:
        return str(self.strerror)


def check_target(path: Path) -> None:
    """Refuse a target that exists and is not a regular file."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise FileWriteError(f"cannot write {path}: {exc.strerror}", exc.errno) from exc
    if stat.S_ISDIR(mode):
        raise FileWriteError(f"{path} is a folder; give a file name")
    if not stat.S_ISREG(mode):
        raise FileWriteError(f"{path} is not a regular file (a device or a pipe); give a file name")


def make_private_folder(folder: Path) -> None:
    """Create `folder` (and its parents) readable by the owner only, if it is not there."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except FileExistsError as exc:
        raise FileWriteError(f"{folder} is a file; give a folder") from exc
    except OSError as exc:
        raise FileWriteError(
            f"cannot create the folder {folder}: {exc.strerror}", exc.errno
        ) from exc


def write_private(path: Path, data: bytes) -> Path:
    """Write `data` to `path` owner-only, in full or not at all; FileWriteError on failure."""
    with open_private(path) as fh:
        fh.write(data)
    return path


@contextlib.contextmanager
def open_private(path: Path) -> Iterator[BinaryIO]:
    """A file to write `path` piece by piece, owner-only, in full or not at all: it appears
    under its name only when the block ends without an error; FileWriteError on failure."""
    check_target(path)
    make_private_folder(path.parent)
    part = path.with_name(f".{path.name}.part")
    try:
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            try:
                yield fh
            except BaseException:
                part.unlink(missing_ok=True)
                raise
            fh.flush()
            os.fsync(fh.fileno())  # a full disk shows here at the latest, not after the rename
        os.chmod(part, 0o600)  # an old .part left by someone else keeps its mode otherwise
        os.replace(part, path)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise FileWriteError(
            f"cannot write {path}: {exc.strerror}; nothing was written", exc.errno
        ) from exc


def remove_quietly(*paths: Path) -> None:
    """Take back files an export wrote before a later part of it failed."""
    for p in paths:
        with contextlib.suppress(OSError):
            p.unlink(missing_ok=True)
