"""The caption naming the columns a narrow terminal left out suggests --columns only to a command
that takes it: list and search do, status and orgs do not."""

from __future__ import annotations

import re

import pytest
import typer

from workplan.cli.app import app

STYLE = re.compile(r"\x1b\[[0-9;]*m")
AS_OF = ("--as-of", "2024-10-15")

# Each prints a table that leaves columns out at the width given.
COMMANDS = {
    "list": (80, ("list", *AS_OF)),
    "search": (80, ("search", "追溯")),
    "orgs": (80, ("orgs",)),
    "status": (76, ("status", *AS_OF)),
}
CAPTION = {"zh": re.compile(r"未显示：.*?查看"), "en": re.compile(r"Not shown: .*?-f plain")}


def takes_columns(name: str) -> bool:
    import workplan.cli.commands  # noqa: F401  (registers every command)

    command = typer.main.get_command(app).commands[name]
    return any("--columns" in p.opts for p in command.params)


def caption(cli, monkeypatch, lang: str, width: int, args: tuple[str, ...]) -> str:
    monkeypatch.setenv("TTY_COMPATIBLE", "1")  # a terminal, as far as the table is concerned
    monkeypatch.setenv("COLUMNS", str(width))
    result = cli(*args, "--lang", lang)
    assert result.exit_code == 0, result.stderr
    # The caption wraps inside the table's width: joined again, without the padding.
    text = " ".join(line.strip() for line in STYLE.sub("", result.stdout).split("\n"))
    text = re.sub(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])", "", text) if lang == "zh" else text
    [found] = CAPTION[lang].findall(text)
    return found


def test_the_commands_whose_caption_names_columns_take_it():
    """cli/query.py passes columns_option=True for list, search and due/overdue/upcoming only."""
    assert {name: takes_columns(name) for name in ("list", "search", "due", "overdue", "upcoming")} == dict.fromkeys(
        ("list", "search", "due", "overdue", "upcoming"), True)
    assert {name: takes_columns(name) for name in ("status", "orgs", "stats", "log", "plans", "diff")} == dict.fromkeys(
        ("status", "orgs", "stats", "log", "plans", "diff"), False)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_caption_suggests_columns_exactly_when_the_command_takes_it(cli, monkeypatch, name, lang):
    width, args = COMMANDS[name]
    found = caption(cli, monkeypatch, lang, width, args)
    assert ("--columns" in found) == takes_columns(name), found
    assert "-f plain" in found


def test_the_captions_in_full(cli, monkeypatch):
    assert caption(cli, monkeypatch, "zh", 76, ("status", *AS_OF)) == "未显示：状态（窗口宽 76 列）；可加宽窗口，或用 -f plain 查看"
    assert caption(cli, monkeypatch, "en", 76, ("status", *AS_OF)).endswith(
        "columns wide); widen the window, or see them with -f plain")
    assert caption(cli, monkeypatch, "zh", 80, ("list", *AS_OF)) == (
        "未显示：联合牵头、责任部门（窗口宽 80 列）；可加宽窗口，或用 --columns、-f plain 查看")
