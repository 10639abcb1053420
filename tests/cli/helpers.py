"""Running the real `deckfollow` command: in this process, or in a fresh interpreter."""

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
    """`deckfollow ARGS` through `main()` in this process, as the console script runs it.

    Output, exit code and the files written are the command's own; only the interpreter's
    start is saved (about half a second a case). `run_cli_process` keeps the true
    subprocess for the smoke tests of the entry point itself.
    """
    saved_env, saved_cwd = dict(os.environ), Path.cwd()
    os.environ.update(env or {})
    if cwd is not None:
        os.chdir(cwd)
    try:
        code, out, err = run_in_process(list(args))
    finally:
        os.environ.clear()
        os.environ.update(saved_env)
        os.chdir(saved_cwd)
    if code is None:
        raise AssertionError(f"deckfollow {' '.join(args)} raised: {err}")
    return subprocess.CompletedProcess(["deckfollow", *args], code, out, err)


def run_cli_process(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m deckfollow ARGS` in a fresh interpreter."""
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
