"""Every command's --help works and shows an example — including commands added later.

Commands are discovered from the Typer app, never listed by hand.
"""

from __future__ import annotations

import typer

import workplan.cli  # noqa: F401  (registers every command module)
from workplan.app import app


def command_paths(command=None, prefix=()) -> list[tuple[str, ...]]:
    command = command or typer.main.get_command(app)
    paths = []
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        if getattr(sub, "hidden", False):
            continue
        paths.append((*prefix, name))
        paths += command_paths(sub, (*prefix, name))
    return paths


def test_commands_are_discovered():
    paths = command_paths()
    for expected in ("list", "due", "overdue", "upcoming", "show", "search", "stats", "orgs"):
        assert (expected,) in paths


def test_root_help(cli):
    result = cli("--help")
    assert result.exit_code == 0 and "Example:" in result.stdout


def test_every_command_has_help_with_example(cli):
    failures = []
    for path in command_paths():
        result = cli(*path, "--help")
        if result.exit_code != 0 or "Example:" not in result.stdout:
            failures.append((" ".join(path), result.exit_code, result.stderr[-200:]))
    assert not failures, failures
