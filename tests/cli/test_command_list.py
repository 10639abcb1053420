"""The command list is written out for the frozen app; it must name every command module."""

from __future__ import annotations

import pkgutil

from deckfollow.cli import commands
from deckfollow.cli.main import _command_modules, build_parser


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
