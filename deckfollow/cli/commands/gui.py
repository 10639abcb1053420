"""`deckfollow gui` (also what a bare `deckfollow` runs): the desktop app."""

from __future__ import annotations

import argparse
import os

from deckfollow.cli.context import CliContext

ORDER = 10


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("gui", help="open the desktop app (the default when no command is given)")
    p.add_argument(
        "--at-login",
        action="store_true",
        help="started at login: stay in the system tray (where there is one) until needed",
    )
    p.add_argument(
        "--startup-check",
        action="store_true",
        help="open the window on the database, show its data once, then quit "
        "(checks an installation; prints how long the window took to appear)",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: CliContext) -> int:
    # Qt is imported only here, so every other command starts without it.
    from deckfollow.ui.app import run_gui

    if args.at_login:
        from deckfollow.reminders.autostart import LOGIN_ENV

        os.environ[LOGIN_ENV] = "1"

    from deckfollow.storage.location import ENV_VAR

    # No database named: the team database Settings › Team remembers, if any.
    team = getattr(args, "db", None) is None and not os.environ.get(ENV_VAR)
    return run_gui(ctx.db_target, startup_check=args.startup_check, team=team)
