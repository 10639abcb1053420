"""`deckfollow [--db PATH] COMMAND`: the entry point of the console script."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Callable, Sequence
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any, TextIO, cast

from deckfollow import __version__
from deckfollow.cli import args as shapes
from deckfollow.cli.output import PrintableWriter, error_line

if TYPE_CHECKING:
    from deckfollow.cli.context import CliContext


def _command_modules() -> list[ModuleType]:
    """Every command module, ordered by its ORDER constant.

    The list is written out, one import per module, rather than discovered on disk: a frozen
    app (PyInstaller) bundles only what it sees imported, and has no folder to list.
    """
    from deckfollow.cli.commands import (
        add_lead,
        backup,
        cards,
        consent,
        customer,
        demo,
        due,
        export,
        gui,
        ics,
        import_,
        inbox,
        quote,
        remind,
        report,
        send,
        settings,
        team,
        templates,
        touch,
    )

    mods: list[ModuleType] = [
        add_lead,
        backup,
        cards,
        consent,
        customer,
        demo,
        due,
        export,
        gui,
        ics,
        import_,
        inbox,
        quote,
        remind,
        report,
        send,
        settings,
        team,
        templates,
        touch,
    ]
    return sorted(mods, key=lambda m: (getattr(m, "ORDER", 100), m.__name__))


# The module that registers each command. `deckfollow due …` builds the parser of its own
# command only (one command module imported, not twenty); help, a typo or no command at all
# get the whole list. A test checks this table against the modules.
COMMAND_MODULES: dict[str, str] = {
    "add-lead": "add_lead",
    "backup": "backup",
    "restore": "backup",
    "backups": "backup",
    "check": "backup",
    "trash": "backup",
    "erase": "backup",
    "cards": "cards",
    "consent": "consent",
    "cadence": "consent",
    "customer": "customer",
    "demo": "demo",
    "due": "due",
    "export": "export",
    "gui": "gui",
    "ics": "ics",
    "import": "import_",
    "inbox": "inbox",
    "quote": "quote",
    "remind": "remind",
    "report": "report",
    "send": "send",
    "settings": "settings",
    "team": "team",
    "templates": "templates",
    "touch": "touch",
}

_GLOBAL_WITH_VALUE = ("--db", "--now")


def command_named(argv: Sequence[str]) -> str | None:
    """The command `argv` runs, when it names one before any other option; else None."""
    values = iter(argv)
    for token in values:
        if token in _GLOBAL_WITH_VALUE:
            next(values, None)
        elif token.startswith(tuple(f"{o}=" for o in _GLOBAL_WITH_VALUE)):
            continue
        elif token.startswith("-"):
            return None  # --help, --version or a mistake: the whole parser answers
        else:
            return token if token in COMMAND_MODULES else None
    return None


class _Parser(argparse.ArgumentParser):
    def __init__(self, **kwargs: Any) -> None:  # argparse makes subparsers with keywords
        kind = kwargs.pop("formatter_class", argparse.HelpFormatter)
        super().__init__(formatter_class=_sized(kind), **kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        # One clear line and exit 2, as argparse does, but without the usage dump.
        self.exit(2, f"deckfollow: error: {error_line(message)} (see 'deckfollow --help')\n")


def _sized(kind: type[argparse.HelpFormatter]) -> Callable[..., argparse.HelpFormatter]:
    """`kind`, as wide as the terminal, as argparse makes it; without importing `shutil` for
    the width: argparse makes a formatter for every argument added (to check it), and that
    import, with the compression modules it brings, was 4 ms of every command's start."""

    def make(prog: str) -> argparse.HelpFormatter:
        return kind(prog, width=_columns() - 2)

    return make


def _columns() -> int:
    """The terminal's width as `shutil.get_terminal_size` finds it: $COLUMNS, the terminal
    of standard output, else 80."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser: every command, or only `command`'s (one of COMMAND_MODULES)."""
    parser = _Parser(
        prog="deckfollow",
        description="Follow up every quote, only in ways each customer agreed to.",
    )
    parser.add_argument("--version", action="version", version=f"deckfollow {__version__}")
    parser.add_argument(
        "--db",
        metavar="PATH",
        help="database file or URL (default: $DECKFOLLOW_DB, else the user data folder)",
    )
    parser.add_argument(
        "--now",
        metavar="ISO8601",
        type=shapes.moment_text,
        help="act as if it were this moment (for scripts and reproducible checks)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    if command is None:
        modules = _command_modules()
    else:
        modules = [import_module(f"deckfollow.cli.commands.{COMMAND_MODULES[command]}")]
    for module in modules:
        module.register(sub)
    # Accept the global options after the command too ("deckfollow due --db x.db").
    for each in sub.choices.values():
        each.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        each.add_argument(
            "--now", type=shapes.moment_text, default=argparse.SUPPRESS, help=argparse.SUPPRESS
        )
    _name_options(parser)
    return parser


def _name_options(parser: argparse.ArgumentParser) -> None:
    """Give every parser a table from the core's field names to the options that fill them,
    so "name: too long" from a core service reads "--name: too long" on the command line.
    A command may add its own entries with `set_defaults(field_options={...})`."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                _name_options(child)
    options = {
        a.dest.replace("_", " "): a.option_strings[-1]
        for a in parser._actions
        if a.option_strings and a.dest not in ("help", "db", "now")
    }
    own = parser.get_default("field_options") or {}
    parser.set_defaults(field_options={**options, **own})


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; user errors print one line to stderr and return non-zero."""
    given = list(argv if argv is not None else sys.argv[1:])
    parser = build_parser(command_named(given))
    args = parser.parse_args(given)
    if args.command is None:
        args = parser.parse_args([*(argv if argv is not None else sys.argv[1:]), "gui"])
    if args.now:
        # Also when given after a nested command ("consent show --now …"), whose parser
        # declares it without the type.
        try:
            shapes.moment_text(args.now)
        except argparse.ArgumentTypeError as exc:
            parser.error(f"argument --now: {exc}")
    paused = args.command != "gui" and gc.isenabled()
    if paused:
        # A command starts by loading SQLAlchemy and its models: hundreds of thousands of
        # long-lived objects that cycle collections kept re-examining, a tenth of the CPU
        # of a command on a small database. Collection resumes once the database is open
        # (`CliContext.loaded`), with what was loaded set aside. The window, a long run,
        # keeps Python's rhythm throughout.
        gc.disable()
    try:
        return _run(args, resume_collection=paused)
    finally:
        if paused:
            gc.enable()
            gc.unfreeze()


def _run(args: argparse.Namespace, *, resume_collection: bool) -> int:
    from deckfollow.cli.context import make_context
    from deckfollow.core.errors import DeckfollowError, NotFoundError, ValidationError

    ctx: CliContext | None = None
    try:
        ctx = make_context(args)
        ctx.collect_after_load = resume_collection
        # Names and notes may hold terminal escape codes: shown, never obeyed.
        ctx.out = cast(TextIO, PrintableWriter(ctx.out))
        ctx.err = cast(TextIO, PrintableWriter(ctx.err))
        result: int = args.run(args, ctx)
        return result
    except ValidationError as exc:
        if ctx is not None:
            ctx.discard_created()  # nothing saved means no new empty database either
        field = getattr(args, "field_options", {}).get(exc.field, exc.field)
        line = f"{field}: {exc.message}{_country_hint(exc, ctx)}"
        print(f"deckfollow: error: {error_line(line)}", file=sys.stderr)
        return 2
    except NotFoundError as exc:
        # A missing id is the user's input, like any other bad argument.
        if ctx is not None:
            ctx.discard_created()
        print(f"deckfollow: error: {error_line(str(exc))}", file=sys.stderr)
        return 2
    except DeckfollowError as exc:
        if ctx is not None:
            ctx.discard_created()
        print(f"deckfollow: error: {error_line(f'{exc}{_next_step(exc)}')}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


def _country_hint(exc: Exception, ctx: CliContext | None) -> str:
    """A number read in a country nobody chose (no setting, and a computer that names none):
    say so, and how to choose, rather than leave "not valid for US" unexplained."""
    from deckfollow.core.errors import PhoneNotValidError
    from deckfollow.core.timezones import found_country

    if not isinstance(exc, PhoneNotValidError) or found_country() is not None:
        return ""
    if ctx is not None and ctx.has_owner_country():
        return ""
    return (
        f"; {exc.country} was assumed because neither your settings nor this computer name "
        "a country: set yours with `deckfollow settings set country AU` (your country's code)"
    )


def _next_step(exc: Exception) -> str:
    """What to type next, for a damaged database with a good backup beside it."""
    from deckfollow.storage.integrity import CorruptDatabaseError

    if isinstance(exc, CorruptDatabaseError) and exc.report.latest_good_backup is not None:
        return f" (to go back to it: deckfollow restore {exc.report.latest_good_backup.path})"
    return ""
