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
    assert result.exit_code == 0 and "示例：" in result.stdout and "用法：" in result.stdout
    result = cli("--lang", "en", "--help")
    assert result.exit_code == 0 and "Example:" in result.stdout and "Usage:" in result.stdout


def test_no_arguments_is_the_help_and_exit_0(cli):
    result = cli()
    assert result.exit_code == 0 and "示例：" in result.stdout and result.stderr == ""


def test_version(cli):
    from importlib.metadata import version

    result = cli("--version")
    assert result.exit_code == 0 and result.stdout == f"workplan {version('workplan')}\n"


def test_every_command_has_help_with_example_in_both_languages(cli, monkeypatch):
    failures = []
    for path in command_paths():
        result = cli(*path, "--help")
        if result.exit_code != 0 or "示例：" not in result.stdout or "Example:" in result.stdout:
            failures.append((" ".join(path), "zh", result.exit_code, result.stderr[-200:]))
        monkeypatch.setenv("WORKPLAN_LANG", "en")
        result = cli(*path, "--help")
        monkeypatch.delenv("WORKPLAN_LANG")
        if result.exit_code != 0 or "Example:" not in result.stdout or "示例：" in result.stdout:
            failures.append((" ".join(path), "en", result.exit_code, result.stderr[-200:]))
    assert "Example:" in cli("list", "--help", "--lang", "en").stdout
    assert not failures, failures


def test_every_option_of_every_command_has_help_in_the_catalogue():
    from workplan.cli.app import help_key
    from workplan.core.labels import CATALOGUE

    group = typer.main.get_command(app)
    missing = []
    for name, command in group.commands.items():
        assert f"help.{name}" in CATALOGUE, name
        for param in command.params:
            if not getattr(param, "hidden", False) and help_key(name, param.name) is None:
                missing.append(f"{name} {param.name}")
    assert not missing, missing


def test_usage_errors_are_worded_in_the_chosen_language(cli, monkeypatch):
    zh = cli("list", "--sort", "nope")
    en = cli("list", "--sort", "nope", "--lang", "en")
    assert zh.exit_code == en.exit_code == 2
    assert zh.stderr == "workplan: 错误：'--sort' 的取值无效；可选：seq、due、lead、status（见 workplan list --help）\n"
    assert en.stderr == "workplan: error: invalid value for '--sort'; choose from seq, due, lead, status (see 'workplan list --help')\n"
    assert cli("lsit").stderr == "workplan: 错误：没有命令“lsit”；是否要用：list？\n"
    monkeypatch.setenv("WORKPLAN_LANG", "en")
    assert cli("list", "--lead", "浙江局").stderr.startswith("workplan: error: --lead: unknown unit '浙江局'; did you mean 浙江省局")


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
        out = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, encoding="utf-8", cwd=ROOT, timeout=60)
        return json.loads(out.stdout)

    assert registered("list", "--lead", "浙江省局") == ["workplan.cli.query"]
    assert registered("validate") == ["workplan.cli.registry"]
    everything = [f"workplan.cli.{m}" for m in ("dashboard", "export", "progress", "query", "registry")]
    assert registered("--help") == registered("lst") == registered() == everything


def test_the_help_text_hooks_exist_in_the_installed_typer_and_are_ours_after_localise_help():
    """Chinese help wraps by our rules through two private functions of typer.rich_utils
    (cli/app.py HELP_TEXT_HOOKS): an upgrade that drops or renames one fails here, by name."""
    from typer import rich_utils

    from workplan.cli.app import HELP_TEXT_HOOKS, localise_help

    missing = [name for name in HELP_TEXT_HOOKS if not callable(getattr(rich_utils, name, None))]
    assert not missing, (f"typer {typer.__version__} has no rich_utils.{', '.join(missing)}: "
                         "cli/app.py _wrap_help_in_chinese wraps it; find typer's new help-text function")
    localise_help(typer.main.get_command(app).commands["list"], "zh")
    assert [getattr(getattr(rich_utils, name), "wraps_chinese", False) for name in HELP_TEXT_HOOKS] == [True, True]
