"""Running the real `deckfollow` command in a subprocess."""

from __future__ import annotations

import contextlib
import io
import os
import sqlite3
import subprocess
import sys
from pathlib import Path


def run_cli(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "deckfollow", *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd,
        timeout=120,
        check=False,
    )


def run_in_process(argv: list[str]) -> tuple[int | None, str, str]:
    """`deckfollow ARGV` through `main()`: exit code (None for an escaped exception, shown as
    the traceback a user would see), stdout and stderr."""
    from deckfollow.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code: int | None = main(argv)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except Exception as exc:
            return None, out.getvalue(), f"Traceback (in process): {exc!r}"
    return code, out.getvalue(), err.getvalue()


def dump(path: Path) -> list[str]:
    """Every row of every table of a SQLite file: what a refused command must leave alone."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return list(conn.iterdump())
