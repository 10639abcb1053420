"""Checks on a file a command is told to write, made before any work is done."""

from __future__ import annotations

from pathlib import Path

from deckfollow.core.errors import ValidationError


def check_out_file(out: Path, option: str) -> None:
    """Refuse, naming `option`, a destination that is a folder or lies in no folder."""
    try:
        is_folder, parent_ok = out.is_dir(), out.parent.is_dir()
    except OSError as exc:
        raise ValidationError(option, f"could not write {out}: {exc.strerror or exc}") from exc
    if is_folder:
        raise ValidationError(option, f"{str(out)!r} is a folder; give a file name in it")
    if not parent_ok:
        raise ValidationError(option, f"no folder {str(out.parent)!r} to write into")
