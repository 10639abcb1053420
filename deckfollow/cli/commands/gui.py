"""`deckfollow gui` (also what a bare `deckfollow` runs): the desktop app."""

from __future__ import annotations

import argparse

from deckfollow.cli.context import CliContext

ORDER = 10


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("gui", help="open the desktop app (the default when no command is given)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: CliContext) -> int:
    # Qt is imported only here, so every other command starts without it.
    from deckfollow.ui.app import run_gui

    return run_gui(ctx.db_target)
