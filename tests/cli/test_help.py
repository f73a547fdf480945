"""Every command's --help works and shows an example — including commands added later.

Commands are discovered from the Typer app, never listed by hand.
"""

from __future__ import annotations

import typer

import workplan.cli.commands  # noqa: F401  (registers every command module)
from workplan.cli.app import app


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


def test_the_console_script_knows_the_module_of_every_command():
    from workplan.cli.main import COMMAND_MODULES

    group = typer.main.get_command(app)
    assert {name: cmd.callback.__module__.rsplit(".", 1)[-1] for name, cmd in group.commands.items()} == COMMAND_MODULES


def test_the_console_script_registers_only_the_command_it_runs():
    import json
    import subprocess
    import sys

    from conftest import ROOT

    code = ("import sys, json, workplan.cli.main as m\n"
            "m.register(sys.argv[1:])\n"
            "print(json.dumps(sorted(n for n in sys.modules if n.startswith('workplan.cli.') and n.rsplit('.', 1)[-1] in ('dashboard', 'export', 'progress', 'query', 'registry'))))\n")
    def registered(*argv):
        out = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, cwd=ROOT, timeout=60)
        return json.loads(out.stdout)

    assert registered("list", "--lead", "浙江省局") == ["workplan.cli.query"]
    assert registered("validate") == ["workplan.cli.registry"]
    everything = [f"workplan.cli.{m}" for m in ("dashboard", "export", "progress", "query", "registry")]
    assert registered("--help") == registered("lst") == registered() == everything
