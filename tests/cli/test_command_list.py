"""The command list is written out for the frozen app; it must name every command module."""

from __future__ import annotations

import argparse
import pkgutil

import pytest

from deckfollow.cli import commands
from deckfollow.cli.main import COMMAND_MODULES, _command_modules, build_parser, command_named


def test_every_command_module_is_in_the_static_list() -> None:
    on_disk = {
        f"{commands.__name__}.{info.name}" for info in pkgutil.iter_modules(commands.__path__)
    }
    listed = {m.__name__ for m in _command_modules()}
    assert listed == on_disk, f"add {sorted(on_disk - listed)} to _command_modules()"


def test_help_lists_the_commands_in_their_order() -> None:
    text = build_parser().format_help()
    for name in ("gui", "add-lead", "due", "cards", "demo"):
        assert name in text
    assert text.index(" gui") < text.index(" demo")


def _commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    [sub] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(sub.choices)


def test_each_command_is_found_in_the_module_the_table_names() -> None:
    every = _commands(build_parser())
    assert set(COMMAND_MODULES) == set(every)
    for name in every:
        alone = _commands(build_parser(name))
        assert name in alone
        # The command's own parser is the same whichever way it was built.
        assert alone[name].format_help() == every[name].format_help()


@pytest.mark.parametrize(
    "argv",
    [
        ["due", "--json"],
        ["--db", "x.db", "due", "--on", "2026-11-23"],
        ["--db=x.db", "--now", "2026-11-22T22:00Z", "consent", "show", "--customer", "1"],
        ["cadence", "runs", "--customer", "3", "--db", "y.db"],
        ["import", "contacts.csv", "--json"],
    ],
)
def test_parsing_with_one_command_gives_what_the_whole_parser_gives(argv: list[str]) -> None:
    whole = vars(build_parser().parse_args(argv))
    one = vars(build_parser(command_named(argv)).parse_args(argv))
    assert command_named(argv) is not None
    assert {k: v for k, v in one.items() if k != "run"} == {
        k: v for k, v in whole.items() if k != "run"
    }
    assert one["run"].__qualname__ == whole["run"].__qualname__


@pytest.mark.parametrize("argv", [[], ["--help"], ["--db", "x.db"], ["dew"], ["-v", "due"]])
def test_help_a_typo_or_no_command_gets_the_whole_parser(argv: list[str]) -> None:
    assert command_named(argv) is None
