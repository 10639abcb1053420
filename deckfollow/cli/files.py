"""Checks on a file a command is told to write, made before any work is done."""

from __future__ import annotations

import stat
from pathlib import Path

from deckfollow.core.errors import ValidationError


def check_out_file(out: Path, option: str) -> None:
    """Refuse, naming `option`, a destination that is a folder, lies in no folder, or is a
    device, pipe or socket (a file written beside it and moved into place would replace
    `/dev/full` itself; written straight, a full device fails half-way)."""
    try:
        mode = out.stat().st_mode if out.exists() else None
        parent_ok = out.parent.is_dir()
    except OSError as exc:
        raise ValidationError(option, f"could not write {out}: {exc.strerror or exc}") from exc
    if mode is not None and stat.S_ISDIR(mode):
        raise ValidationError(option, f"{str(out)!r} is a folder; give a file name in it")
    if mode is not None and not stat.S_ISREG(mode):
        raise ValidationError(option, f"{str(out)!r} is not a regular file; give a file name")
    if not parent_ok:
        raise ValidationError(option, f"no folder {str(out.parent)!r} to write into")
