"""The key commands in real tmux panes 80 and 120 columns wide, read back with capture-pane."""

from __future__ import annotations

import json
import re
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from rich.cells import cell_len

from conftest import ROOT, require_client

pytestmark = [pytest.mark.real_client, pytest.mark.slow]

WORKPLAN = str(Path(sys.executable).parent / "workplan")
DONE = "__workplan_done__"
ARTIFACTS = ROOT / "test-artifacts"
COMMANDS = {
    "status": ["status", "--as-of", "2024-10-15"],
    "list": ["list", "--lead", "浙江省局", "--as-of", "2024-10-15"],
    "due": ["due", "--before", "2024-09-30", "--as-of", "2024-10-15"],
    "search": ["search", "追溯"],
}


def pane(width: int, args: list[str], *, colours: bool = False) -> str:
    """What `workplan ARGS` leaves in a tmux pane `width` columns wide (the whole pane, history too)."""
    tmux = require_client("tmux")
    socket = f"workplan-test-{uuid.uuid4().hex[:8]}"
    command = " ".join(["env", "-u", "COLUMNS", "-u", "LINES", "-u", "NO_COLOR", "-u", "TTY_COMPATIBLE", "TERM=xterm-256color",
                        *(f"'{a}'" for a in [WORKPLAN, *args]), ";", "echo", DONE, ";", "sleep", "60"])
    base = [tmux, "-L", socket, "-f", "/dev/null"]
    try:
        subprocess.run([*base, "new-session", "-d", "-s", "t", "-x", str(width), "-y", "400", command],
                       check=True, cwd=ROOT, timeout=30)
        deadline = time.monotonic() + 120
        while True:
            shown = subprocess.run([*base, "capture-pane", "-p", "-t", "t", *(["-e"] if colours else [])],
                                   capture_output=True, text=True, encoding="utf-8", check=True, timeout=30).stdout
            if DONE in shown or time.monotonic() > deadline:
                break
            time.sleep(0.3)
    finally:
        subprocess.run([*base, "kill-server"], capture_output=True, timeout=30)
    assert DONE in shown, shown[-2000:]
    return shown[:shown.index(DONE)].rstrip() + "\n"


def seen(width: int, name: str) -> str:
    shown = pane(width, COMMANDS[name])
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"tmux-{name}-{width}.txt").write_text(shown, encoding="utf-8")
    print(f"\n--- {name} at {width} columns ---\n{shown}")
    return shown


def records(name: str):
    out = subprocess.run([WORKPLAN, *COMMANDS[name], "-f", "json"], capture_output=True, text=True, encoding="utf-8",
                         cwd=ROOT, check=True, env={**os.environ, "XDG_CACHE_HOME": os.environ["XDG_CACHE_HOME"]}).stdout
    return json.loads(out)


def column_texts(shown: str, header: str) -> list[str]:
    """The text of one column of a boxed table, each row's wrapped lines joined."""
    from test_terminal_tables import tables

    [table] = [t for t in tables(shown) if header in t[0]]
    at = table[0].index(header)
    return [row[at] for row in table[1:]]


@pytest.mark.parametrize("width", [80, 120])
def test_every_key_command_fits_its_pane_and_loses_nothing(width):
    for name in COMMANDS:
        shown = seen(width, name)
        assert all(cell_len(line) <= width for line in shown.split("\n")), name
        assert "数据来源：data/items.yaml" in shown
    listed = seen(width, "list")
    assert column_texts(listed, "合作事项") == [r["title"] for r in records("list")]
    assert ("未显示：责任部门" in listed) == (width == 80)
    due = seen(width, "due")
    assert column_texts(due, "灯号") == ["红灯"] * 5 and column_texts(due, "期限")[0] == "逾期 45 天"
    found = seen(width, "search")
    hits = records("search")
    assert column_texts(found, "合作事项") == [r["title"] for r in hits]
    assert column_texts(found, "摘录") == [r["excerpt"].replace(" ", "") for r in hits]
    status = seen(width, "status")
    assert column_texts(status, "期限") == ["逾期 45 天"] + ["逾期 15 天"] * 4


def test_the_lights_are_red_in_the_pane():
    shown = pane(120, COMMANDS["status"], colours=True)
    assert "\x1b[1m\x1b[31m红灯" in shown or "\x1b[1;31m红灯" in shown or "\x1b[31m\x1b[1m红灯" in shown, shown[:3000]


@pytest.mark.parametrize("width", [50, 80, 120])
def test_the_timeline_fits_its_pane_with_every_title_whole(registry, width):
    from test_narrow import chart_layout, chart_rows, cells

    shown = pane(width, ["timeline", "--as-of", "2024-10-15"])
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"tmux-timeline-{width}.txt").write_text(shown, encoding="utf-8")
    lines = shown.rstrip("\n").split("\n")
    assert all(cell_len(line) <= width for line in lines)
    titles = {i.seq: i.title for i in registry.items if i.seq != 36}  # 36: two items share the 序号
    if width == 50:  # too narrow for the chart: each title whole on its lines, its deadlines under it
        text = "".join(line.strip() for line in lines)
        assert all(title in text for title in titles.values())
        assert "画不下时间轴" in text
        return
    title_start, title_end, _, _ = chart_layout(lines)
    read = {seq: "".join(cells(line, title_start, title_end).strip() for line in row)
            for seq, row in chart_rows(lines).items() if seq in titles}
    assert read == titles


def test_the_timeline_marks_are_coloured_in_the_pane():
    shown = pane(120, ["timeline", "--as-of", "2024-10-15"], colours=True)
    assert re.search(r"\x1b\[[0-9;]*31m◆", shown) and re.search(r"\x1b\[[0-9;]*32m●", shown), shown[:3000]
