"""Terminals of every width: the timeline and the tables fit the window, lose no title, break no
line before closing punctuation, and say what they left out or how they laid themselves out."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from rich.cells import cell_len

from workplan.present.wrap import NO_LINE_START

AS_OF = ("--as-of", "2024-10-20")
STYLE = re.compile(r"\x1b\[[0-9;]*m")
MARKS = "◆▲●■×"
SEQ_LINE = re.compile(r"^ *(\d+)  ")


def terminal(cli, monkeypatch, width: int, *args: str, lang: str = "zh") -> list[str]:
    monkeypatch.setenv("TTY_COMPATIBLE", "1")  # a terminal, as far as the output is concerned
    monkeypatch.setenv("COLUMNS", str(width))
    result = cli(*args, "--lang", lang)
    assert result.exit_code == 0, result.stderr
    lines = [line.rstrip() for line in STYLE.sub("", result.stdout).rstrip("\n").split("\n")]
    assert [line for line in lines if cell_len(line) > width] == []
    return lines


def cells(line: str, start: int, end: int | None = None) -> str:
    """The characters of `line` in terminal cells [start, end)."""
    out, at = [], 0
    for char in line:
        if at >= start and (end is None or at + cell_len(char) <= end):
            out.append(char)
        at += cell_len(char)
    return "".join(out)


def cell_of(line: str, char_index: int) -> int:
    return cell_len(line[:char_index])


# -- the timeline ----------------------------------------------------------------------------------

def chart_layout(lines: list[str]) -> tuple[int, int, int | None, int]:
    """(title start, title end, lead start or None, chart start) in cells, read off the header."""
    header = next(line for line in lines if line.lstrip().startswith("序号"))
    title = cell_of(header, header.index("合作事项"))
    lead = cell_of(header, header.index("牵头单位")) if "牵头单位" in header else None
    chart = cell_of(header, re.search(r" 1 ", header).start())
    return title, (lead if lead is not None else chart) - 2, lead, chart


def chart_rows(lines: list[str]) -> dict[int, list[str]]:
    """The lines of each item's row, by 序号: its first line and the lines carrying on its title."""
    rows: dict[int, list[str]] = {}
    current = None
    for line in lines[lines.index(next(line for line in lines if line.startswith("─"))) + 1:]:
        match = SEQ_LINE.match(line)
        if match:
            current = int(match.group(1))
            rows[current] = [line]
        elif current is not None and line.strip() and not line.strip().startswith(("（", "◆ ")) and line.startswith(" " * 6):
            rows[current].append(line)
        else:
            current = None
    return rows


@pytest.mark.parametrize("width", [120, 80, 64])
def test_the_chart_fits_and_every_title_reads_whole(cli, monkeypatch, registry, width):
    lines = terminal(cli, monkeypatch, width, "timeline", *AS_OF)
    title_start, title_end, lead_start, chart_start = chart_layout(lines)
    rows = chart_rows(lines)
    assert sorted(rows) == sorted({i.seq for i in registry.items})
    by_seq = {}
    for item in registry.items:
        by_seq.setdefault(item.seq, []).append(item)
    for seq, row in rows.items():
        pieces = [cells(line, title_start, title_end).strip() for line in row]
        titles = [i.title for i in by_seq[seq]]
        assert "".join(pieces) in ["".join(t.split()) for t in titles] or "".join(pieces) in titles, (seq, pieces)
        for piece in pieces[1:]:
            assert piece[:1] not in NO_LINE_START, (seq, pieces)
        if lead_start is not None:
            leads = "".join(cells(line, lead_start, chart_start).strip() for line in row)
            assert leads in ["、".join(registry.item_lead_names(i)) for i in by_seq[seq]], (seq, leads)
    caption = "未显示：牵头单位（窗口宽 64 列）；加宽窗口即可看到"
    assert (lead_start is None) == (width == 64) and (caption in lines) == (width == 64)


@pytest.mark.parametrize("width", [120, 80, 64])
def test_every_mark_sits_under_the_month_it_falls_due(cli, monkeypatch, registry, width):
    lines = terminal(cli, monkeypatch, width, "timeline", *AS_OF)
    _, _, _, chart_start = chart_layout(lines)
    header = next(line for line in lines if line.lstrip().startswith("序号"))
    months = cells(header, chart_start)
    assert months.split() == [str(m) for m in range(1, 13)]
    today = months.index("10") // 3 * 3
    single = {i.seq: i for i in registry.items if [j.seq for j in registry.items].count(i.seq) == 1}
    checked = 0
    for seq, row in chart_rows(lines).items():
        if seq not in single:
            continue
        chart = cells(row[0], chart_start)
        marks = [(n, c) for n, c in enumerate(chart) if c in MARKS]
        dues = [m.effective_due for m in single[seq].milestones]
        assert len(marks) == len(dues), (seq, chart)
        for (n, _), due in zip(marks, dues):
            assert months[n // 3 * 3:n // 3 * 3 + 3].strip() == str(due.month), (seq, chart, due)
            checked += 1
        if "┊" in chart:
            assert chart.index("┊") // 3 * 3 == today
    assert checked >= 50


def test_a_chart_past_the_plan_year_names_the_years_over_their_months(cli, monkeypatch, registry_copy):
    from workplan.store.load import load_registry

    adjusted = cli("adjust", "2024-11", "--to", "2025-02-15", "--approved-by", "联席会议办公室", "--approved-on",
                   "2024-09-01", "--data", registry_copy, *AS_OF)
    assert adjusted.exit_code == 0, adjusted.stderr
    [item] = [i for i in load_registry(registry_copy).items if i.id == "2024-11"]
    assert item.milestones[0].effective_due == dt.date(2025, 2, 15)
    lines = terminal(cli, monkeypatch, 100, "timeline", "--data", registry_copy, *AS_OF)
    _, _, _, chart_start = chart_layout(lines)
    header_at = next(n for n, line in enumerate(lines) if line.lstrip().startswith("序号"))
    years, months = cells(lines[header_at - 1], chart_start), cells(lines[header_at], chart_start)
    assert months.split() == [*(str(m) for m in range(1, 13)), "1", "2"]
    assert years.split() == ["2024", "2025"] and years.index("2025") == 12 * 3 and years.index("2024") == 0
    chart = cells(chart_rows(lines)[11][0], chart_start)
    assert [n // 3 for n, c in enumerate(chart) if c in MARKS] == [13]  # February 2025
    assert chart[13 * 3 + 1] == "●"  # on track by the approved date, in the middle of the month


@pytest.mark.parametrize("width", [50, 30])
def test_too_narrow_for_the_chart_each_item_lists_its_deadlines(cli, monkeypatch, registry, width):
    lines = terminal(cli, monkeypatch, width, "timeline", *AS_OF)
    text = "".join(lines).replace(" ", "")
    assert f"窗口宽{width}列，画不下时间轴：逐项列出各时间节点；加宽窗口即可看到时间轴" in text
    seqs = [n for n, line in enumerate(lines) if SEQ_LINE.match(line)]
    assert len(seqs) == len({i.seq for i in registry.items}) + 1  # 36 twice: two items of one 序号
    for start, end in zip(seqs, [*seqs[1:], len(lines)]):
        block = lines[start:end]
        field_at = next(n for n, line in enumerate(block) if line.strip().startswith("牵头单位"))
        title = block[0][SEQ_LINE.match(block[0]).end():] + "".join(line.strip() for line in block[1:field_at])
        item = next(i for i in registry.items if i.title == title and i.seq == int(SEQ_LINE.match(block[0]).group(1)))
        for line in block[1:field_at]:
            assert line.strip()[:1] not in NO_LINE_START, block
        due_lines = [line for line in block if re.search(r"[◆▲●■×] \d{4}-\d\d-\d\d", line)]
        assert [re.search(r"\d{4}-\d\d-\d\d", line).group() for line in due_lines] == [
            m.effective_due.isoformat() for m in item.milestones]


def test_the_narrow_timeline_in_english(cli, monkeypatch):
    lines = terminal(cli, monkeypatch, 50, "timeline", *AS_OF, lang="en")
    assert "Lead" in "\n".join(lines) and "● 2024-12-31 not yet due" in "\n".join(lines)
    assert "too narrow for the chart" in " ".join(lines)


# -- tables too narrow even without their droppable columns --------------------------------------

FIELDS = {"zh": "窗口宽{width}列，放不下表格：逐项列出各字段；加宽窗口即可看到表格"}


def field_values(lines: list[str], name: str) -> list[str]:
    """Every value listed under the field `name`, its wrapped lines joined."""
    values, current = [], None
    for line in lines:
        if line.startswith(name + " "):
            current = [line[len(name):].strip()]
            values.append(current)
        elif current is not None and line.startswith(" " * 10) and line.strip():
            current.append(line.strip())
        else:
            current = None
    return ["".join(v) for v in values]


@pytest.mark.parametrize("width", [50, 30])
def test_list_too_narrow_lists_every_field_of_every_item(cli, monkeypatch, width):
    lines = terminal(cli, monkeypatch, width, "list", "--lead", "浙江省局", *AS_OF)
    assert FIELDS["zh"].format(width=width) in "".join(lines).replace(" ", "")
    rows = json.loads(cli("list", "--lead", "浙江省局", *AS_OF, "-f", "json").stdout)
    assert field_values(lines, "合作事项") == [r["title"] for r in rows]
    assert field_values(lines, "序号") == [str(r["seq"]) for r in rows]
    assert len(field_values(lines, "责任部门")) == len(rows)  # nothing is dropped: every field is there
    for value_line in (line[10:] for line in lines if line.startswith(" " * 10) and line.strip()):
        assert value_line[:1] not in NO_LINE_START, value_line


def test_status_and_orgs_at_30_columns(cli, monkeypatch):
    status = terminal(cli, monkeypatch, 30, "status", *AS_OF)
    assert field_values(status, "牵头单位")[:4] == ["上海市局", "江苏省局", "浙江省局", "安徽省局"]
    overdue = json.loads(cli("overdue", *AS_OF, "-f", "json").stdout)
    red = [v for v in field_values(status, "灯号") if v == "红灯"]
    assert len(red) == len({r["id"] for r in overdue})
    orgs = terminal(cli, monkeypatch, 30, "orgs")
    assert "三省一市局" in field_values(orgs, "单位")


def test_show_below_40_columns_puts_each_field_above_its_value(cli, monkeypatch):
    lines = terminal(cli, monkeypatch, 30, "show", "18", *AS_OF)
    assert lines[lines.index("合作事项") + 1].strip() + lines[lines.index("合作事项") + 2].strip() == "举办产业计量技术创新揭榜挂帅活动"
    assert lines[lines.index("牵头单位") + 1].strip() == "上海市局"
    wide = terminal(cli, monkeypatch, 80, "show", "18", *AS_OF)
    assert "合作事项" not in wide and any(line.startswith("│ 合作事项") for line in wide)
