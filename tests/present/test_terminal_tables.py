"""Terminal tables at 80 and 120 columns: what fits is shown whole, what does not is named; Chinese
line breaking; lights in colour on a terminal only; plain rows when piped; one wording of lateness."""

from __future__ import annotations

import json
import os
import pty
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

from conftest import REGISTRY, generated_registry
from workplan.present.wrap import NO_LINE_END, NO_LINE_START, line_offsets, narrowest, wrap_lines

AS_OF = ("--as-of", "2024-10-15")
WORKPLAN = str(Path(sys.executable).parent / "workplan")
BOX = "│┃"
RULES = "┏┡├└━─┳╇┼┴┗┯┷"
# The excerpt of `search` begins and ends with … where it cuts the measure: that … is the text's own.
CLOSING = NO_LINE_START - {"…"}
COLOURS = re.compile(r"\x1b\[(?:\d+;)*3[0-7](?:;\d+)*m")
STYLE = re.compile(r"\x1b\[[0-9;]*m")


# -- the line breaker ---------------------------------------------------------------------------------

@pytest.mark.parametrize("width", [2, 3, 5, 8, 11, 17, 30])
def test_wrapping_loses_nothing_and_keeps_punctuation_where_it_belongs(registry, width):
    for item in registry.items:
        for text in (item.title, item.measures, item.departments_display):
            lines = wrap_lines(text, width)
            assert "".join(lines).replace(" ", "") == text.replace("\n", "").replace(" ", "")
            for line in lines:
                assert cell_len(line) <= width or narrowest(line) > width, (width, line)
            for before, after in zip(lines, lines[1:]):
                if narrowest(text) <= width:  # the widest unbreakable piece fits: the rules can be kept
                    assert after[:1] not in NO_LINE_START, (width, before, after)
                    assert before[-1:] not in NO_LINE_END, (width, before, after)


def test_breaks_fall_between_chinese_characters_never_inside_numbers_or_words():
    assert wrap_lines("截至2024-09-30完成", 10) == ["截至", "2024-09-30", "完成"]
    assert wrap_lines("完成“企业码”应用。", 6) == ["完成", "“企业", "码”应", "用。"]
    assert wrap_lines("浙江省局、嘉兴市局", 12) == ["浙江省局、嘉", "兴市局"]
    assert wrap_lines("浙江省局、嘉兴市局", 12, after_only="、") == ["浙江省局、", "嘉兴市局"]  # unit names whole
    assert narrowest("浙江省局、嘉兴市局", "、") == 10 and narrowest("浙江省局") == 2
    assert line_offsets("abc defgh", 5) == [4]  # at the space, which stays on the first line


# -- reading a rich table back ---------------------------------------------------------------------

def rows_of(table: str) -> list[list[str]]:
    """The rows of a boxed table as printed: each cell's lines joined (a wrapped cell read whole),
    the header row first."""
    rows, block = [], []
    for line in table.split("\n"):
        if line[:1] in RULES or not line.strip():
            if block:
                rows.append(["".join(parts) for parts in zip(*block)])
                block = []
            continue
        if line[:1] in BOX:
            block.append([cell.strip() for cell in re.split(f"[{BOX}]", line)[1:-1]])
    if block:
        rows.append(["".join(parts) for parts in zip(*block)])
    return rows


def tables(out: str) -> list[list[list[str]]]:
    """Every boxed table in the output, as rows_of gives them."""
    found, current = [], []
    for line in out.split("\n"):
        if line.startswith("┏"):
            current = [line]
        elif current:
            current.append(line)
            if line.startswith("└"):
                found.append(rows_of("\n".join(current)))
                current = []
    return found


def cell_lines(out: str) -> list[str]:
    """The text of every cell line, one per cell and line."""
    cells = []
    for line in out.split("\n"):
        if line[:1] in BOX:
            cells += [cell.strip() for cell in re.split(f"[{BOX}]", line)[1:-1] if cell.strip()]
        elif line.strip() and line[:1] not in RULES:
            cells.append(line.strip())
    return cells


def terminal(cli, monkeypatch, width: int, *args: str) -> str:
    monkeypatch.setenv("TTY_COMPATIBLE", "1")  # a terminal, as far as the table is concerned
    monkeypatch.setenv("COLUMNS", str(width))
    result = cli(*args)
    assert result.exit_code == 0, result.stderr
    assert not COLOURS.search(result.stdout)  # NO_COLOR (conftest): bold, no colour
    return "\n".join(line.rstrip() for line in STYLE.sub("", result.stdout).split("\n"))


def machine(cli, *args: str):
    return json.loads(cli(*args, "-f", "json").stdout)


def check_lines(out: str, width: int) -> None:
    lines = out.rstrip("\n").split("\n")
    assert all(cell_len(line) <= width for line in lines[:-1]), [l for l in lines if cell_len(l) > width]
    for text in cell_lines(out):
        assert text[:1] not in CLOSING, text
        assert text[-1:] not in NO_LINE_END, text


COMMANDS = {
    "status": ("status", *AS_OF),
    "list": ("list", "--lead", "浙江省局", *AS_OF),
    "due": ("due", "--before", "2024-09-30", *AS_OF),
    "overdue": ("overdue", *AS_OF),
    "search": ("search", "追溯"),
    "stats": ("stats",),
}


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_no_line_wider_than_the_terminal_and_no_stray_punctuation(cli, monkeypatch, width, name):
    check_lines(terminal(cli, monkeypatch, width, *COMMANDS[name]), width)


@pytest.mark.parametrize("width", [80, 120])
def test_list_shows_every_item_whole_and_says_what_it_left_out(cli, monkeypatch, width):
    out = terminal(cli, monkeypatch, width, *COMMANDS["list"])
    [table] = tables(out)
    header, *rows = table
    records = machine(cli, *COMMANDS["list"])
    assert [int(r[0]) for r in rows] == [r["seq"] for r in records]
    assert [r[header.index("合作事项")] for r in rows] == [r["title"] for r in records]
    assert [r[header.index("灯号")] for r in rows] == [{"green": "绿灯", "red": "红灯", "yellow": "黄灯"}[r["light"]]
                                                      for r in records]
    assert {"牵头单位", "联合牵头", "时间节点"} <= set(header)  # headers whole, never 牵头单/位
    if width == 80:
        assert "责任部门" not in header
        assert "未显示：责任部门（窗口宽 80 列）；可加宽窗口，或用 --columns、-f plain 查看\n" in out
    else:
        assert header == ["序号", "合作事项", "牵头单位", "联合牵头", "责任部门", "时间节点", "状态", "灯号"]
        assert "未显示" not in out
        assert [r[header.index("责任部门")] for r in rows] == ["、".join(r["departments"]) for r in records]


@pytest.mark.parametrize("width", [80, 120])
def test_due_keeps_its_lights_and_words_lateness_one_way(cli, monkeypatch, width):
    out = terminal(cli, monkeypatch, width, *COMMANDS["due"])
    [table] = tables(out)
    header, *rows = table
    records = machine(cli, *COMMANDS["due"])
    assert header[:3] == ["截止日期", "期限", "序号"] and header[-1] == "灯号"
    assert [(int(r[2]), r[1], r[-1]) for r in rows] == [
        (11, "逾期 45 天", "红灯"), (9, "逾期 15 天", "红灯"), (18, "逾期 15 天", "红灯"), (25, "逾期 15 天", "红灯"),
        (54, "逾期 15 天", "红灯")]
    assert [r["days_left"] for r in records] == [-45, -15, -15, -15, -15]  # the machine field stays a number
    assert "共 5 个时间节点 · 期限按 2024-10-15 计算" in out
    assert ("未显示：时间节点、联合牵头（窗口宽 80 列）" in out) == (width == 80)


def test_csv_keeps_the_days_as_numbers(cli):
    due = cli("due", "--before", "2024-09-30", *AS_OF, "-f", "csv").stdout.lstrip("\ufeff").splitlines()
    assert due[0].split(",")[:2] == ["截止日期", "剩余天数"] and due[1].split(",")[:3] == ["2024-08-31", "-45", "11"]
    overdue = cli("overdue", *AS_OF, "-f", "csv").stdout.lstrip("\ufeff").splitlines()
    assert overdue[0].split(",")[:2] == ["截止日期", "逾期天数"] and overdue[1].split(",")[:3] == ["2024-08-31", "45", "11"]
    upcoming = cli("upcoming", "--within", "3d", "--as-of", "2024-09-28", "-f", "plain").stdout
    assert "还剩 2 天" in upcoming
    today = cli("due", "--before", "2024-08-31", "--after", "2024-08-31", "--as-of", "2024-08-31", "-f", "plain").stdout
    assert "今天到期" in today
    english = cli("overdue", *AS_OF, "-f", "plain", "--lang", "en").stdout
    assert "45 days late" in english and "Time left" in english


@pytest.mark.parametrize("width", [80, 120])
def test_search_loses_no_character_at_any_wrap(cli, monkeypatch, width):
    out = terminal(cli, monkeypatch, width, *COMMANDS["search"])
    [table] = tables(out)
    header, *rows = table
    records = machine(cli, *COMMANDS["search"])
    assert len(rows) == len(records) == 10
    assert [r[header.index("合作事项")] for r in rows] == [r["title"] for r in records]
    assert [r[header.index("摘录")] for r in rows] == [r["excerpt"].replace(" ", "") for r in records]
    assert [r[header.index("牵头单位")] for r in rows] == ["、".join(r["leads"]) for r in records]


@pytest.mark.parametrize("width", [80, 120])
def test_status_puts_the_latest_first_with_its_lateness(cli, monkeypatch, width):
    out = terminal(cli, monkeypatch, width, *COMMANDS["status"])
    board, attention = tables(out)
    assert board[0] == ["牵头单位", "红灯", "黄灯", "绿灯", "已完成", "已取消", "合计"]
    assert board[1] == ["上海市局", "2", "0", "19", "0", "0", "21"]
    assert [(r[1], r[5]) for r in attention[1:]] == [("11", "逾期 45 天"), ("9", "逾期 15 天"), ("18", "逾期 15 天"),
                                                     ("25", "逾期 15 天"), ("54", "逾期 15 天")]
    # Numbers are right-aligned: a one-digit count ends where a two-digit one does.
    lines = [line for line in out.split("\n") if line.startswith("│上海市局") or line.startswith("│江苏省局")]
    assert lines[0].index("21│") == lines[1].index(" 8│")


def test_status_sorts_yellow_after_red_by_days_left(cli):
    data = machine(cli, "status", "--as-of", "2024-12-20", "--warn-days", "15")
    lights = [a["light"] for a in data["attention"]]
    assert lights == sorted(lights, key=["red", "yellow"].index)
    red = [a["days_left"] for a in data["attention"] if a["light"] == "red"]
    yellow = [a["days_left"] for a in data["attention"] if a["light"] == "yellow"]
    assert yellow and red == sorted(red) and yellow == sorted(yellow)


def test_show_words_lateness_the_same_way(cli, monkeypatch):
    out = terminal(cli, monkeypatch, 80, "show", "18", *AS_OF)
    check_lines(out, 80)
    assert "1. 2024-09-30  9月底前  逾期 15 天" in out and "2. 2024-12-31  12月底前  还剩 77 天" in out
    # A wrapped entry goes on under its own text, not under its number.
    assert "│    举办产业计量技术创新挑战赛，邀请全国科研团队参与“揭榜挂    │" in out
    assert "│    帅”，共同突破制约产业发展的测量难题。                      │" in out


@pytest.mark.parametrize("width", [80, 120])
def test_orgs_keeps_unit_names_whole(cli, monkeypatch, width):
    out = terminal(cli, monkeypatch, width, "orgs")
    [table] = tables(out)
    header, *rows = table
    orgs = machine(cli, "orgs")
    assert [r[0] for r in rows] == [o["name"] for o in orgs]
    assert [r[header.index("所属组")] for r in rows] == ["、".join(o["groups"]) for o in orgs]
    assert "│ 三省一市局 │" in out and "三省一市 │" not in out
    check_lines(out, width)


# -- piped: plain rows, exit 0 when the reader stops -----------------------------------------------

def test_status_show_and_timeline_piped_are_plain_one_line_a_row(cli):
    status = cli("status", *AS_OF).stdout
    show = cli("show", "18", "54", *AS_OF).stdout
    timeline = cli("timeline", *AS_OF).stdout
    for out in (status, show, timeline):
        assert not set(out) & set(BOX + RULES.replace("─", "") + "…"), out[:400]  # ─ is the timeline's bar
    assert not set(status + show) & set("─")
    assert "红灯    11  建立长三角统一地方标准管理机制" in status
    assert re.search(r"(?m)^  54  发布示范区智能制造企业商业秘密保护工作规范团体标准 +浙江省局、嘉兴市局 +─", timeline)
    shown = show.split("\n")
    assert shown[0] == "2024-18  举办产业计量技术创新揭榜挂帅活动" and "2024-54  发布示范区智能制造企业商业秘密保护工作规范团体标准" in shown
    assert "时间节点      1. 2024-09-30  9月底前  逾期 15 天" in shown
    assert any(line.startswith("年度主要举措  举办产业计量技术创新挑战赛") and line.endswith("（12月底前）") for line in shown)


def shell(command: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-c", command], capture_output=True, text=True, encoding="utf-8",
                          env={**os.environ, **(env or {})}, timeout=300)


@pytest.mark.slow
def test_head_stopping_early_is_exit_0_for_every_command(tmp_path):
    """Through a real pipe, with output far larger than the pipe holds: the writer meets a closed pipe."""
    big = generated_registry(tmp_path / "items.yaml", 2500, seed=5)
    ids = " ".join(str(n) for n in range(1, 400))
    data = f"--data {shlex.quote(str(big))} --as-of 2024-12-20"
    for command in (f"status {data}", f"show {ids} {data}", f"timeline {data}", f"list {data}", f"due --before 2024-12-31 {data}"):
        result = shell(f'{shlex.quote(WORKPLAN)} {command} | head -1; echo "exit=${{PIPESTATUS[0]}}"')
        lines = result.stdout.splitlines()
        assert len(lines) == 2 and lines[1] == "exit=0", (command, result.stdout[-300:], result.stderr[-600:])
        assert "Traceback" not in result.stderr and "Broken pipe" not in result.stderr, result.stderr[-600:]


def in_pty(args: list[str], env: dict) -> str:
    """What a program writes to a pseudo-terminal (a terminal to it, not a pipe)."""
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE")}
    master, slave = pty.openpty()
    process = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave, env={**base, "TERM": "xterm-256color", **env},
                               close_fds=True)
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 1 << 16)
        except OSError:  # the program has exited and closed its side
            break
        if not chunk:
            break
        out += chunk
    assert process.wait(timeout=120) == 0
    os.close(master)
    return out.decode("utf-8")




@pytest.mark.slow
def test_lights_are_coloured_on_a_terminal_only():
    args = [WORKPLAN, "status", *AS_OF]
    coloured = in_pty(args, {"COLUMNS": "120"})
    assert "\x1b[1;31m红灯\x1b[0m" in coloured and "\x1b[1;31m逾期 45 天\x1b[0m" in coloured
    listed = in_pty([WORKPLAN, "list", "--lead", "嘉兴市局", *AS_OF], {"COLUMNS": "120"})
    assert "\x1b[32m绿灯\x1b[0m" in listed and "\x1b[1;31m红灯\x1b[0m" in listed
    plain = in_pty(args, {"COLUMNS": "120", "NO_COLOR": "1"})
    assert not COLOURS.search(plain) and "红灯" in plain and "│" in plain  # the word stays, the colour goes
    piped = shell(shlex.join(args) + " | cat").stdout
    assert "\x1b" not in piped and "红灯    11" in piped


# -- --help at 80 columns ------------------------------------------------------------------------------

HELP = ["list", "status", "due", "overdue", "upcoming", "search", "show", "timeline", "stats", "update", "export",
        "report", "dashboard", "log"]


@pytest.mark.parametrize("command", HELP)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_help_at_80_columns_cuts_nothing(cli, monkeypatch, command, lang):
    import typer

    from workplan.cli.app import app, localise_help

    monkeypatch.setenv("COLUMNS", "80")
    out = cli(command, "--help", "--lang", lang).stdout
    assert all(cell_len(line) <= 80 for line in out.split("\n"))
    # Every option's help is there whole: read back as one text, the panel holds each in order
    # (other columns' wrapped lines may fall between its lines), and no … but the help's own.
    flat = re.sub(r"[\s│╭╮╰╯─]", "", out)
    shown = typer.main.get_command(app).commands[command]
    localise_help(shown, lang)
    helps = [param.help for param in shown.params if param.help and not getattr(param, "hidden", False)]
    assert len(helps) >= 3
    for words in helps:
        rest = iter(flat)
        assert all(char in rest for char in re.sub(r"\s", "", words)), words
    assert out.count("…") == sum(words.count("…") for words in helps) + (shown.help or "").count("…")
