"""Records, columns and the five formats, read back with real parsers."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import yaml
from rich.console import Console

from workplan.core import query
from workplan.present import formats
from workplan.present.columns import DEFAULT_ITEM_COLUMNS, ITEM_COLUMNS, bar
from workplan.present.records import item_record, milestone_row_record, search_record, show_record, stat_record
from workplan.present.terminal import highlighted, plain_table_lines, rich_table, show_table
from workplan.present.text import text_width
from workplan.core.query import Filters

AS_OF = dt.date(2024, 10, 15)


def item(registry, item_id):
    return next(i for i in registry.items if i.id == item_id)


def test_item_record_contract(registry):
    record = item_record(registry, item(registry, "2024-01"))
    assert list(record) == ["id", "seq", "title", "measures", "section", "task", "departments", "leads",
                            "lead_units", "joint", "milestones", "status", "progress", "units"]
    assert record["units"] == [{"unit": unit, "status": "not_started", "date": None}
                               for unit in ["上海市局", "江苏省局", "浙江省局", "安徽省局"]]
    assert item_record(registry, item(registry, "2024-02"))["units"] == [
        {"unit": "浙江省局", "status": "not_started", "date": None}]
    assert record["leads"] == ["三省一市局"]
    assert record["lead_units"] == ["上海市局", "江苏省局", "浙江省局", "安徽省局"]
    assert record["joint"] is True
    assert item_record(registry, item(registry, "2024-37"))["leads"] == ["上海市药监局"]  # alias resolved
    assert item_record(registry, item(registry, "2024-02"))["joint"] is False


def test_milestone_row_record_contract(registry):
    row = query.due_between([item(registry, "2024-18")], before=dt.date(2024, 9, 30), after=None)[0]
    record = milestone_row_record(registry, row, AS_OF)
    for key in ("id", "seq", "title", "leads", "due", "text", "days_left"):
        assert key in record
    assert (record["id"], record["milestone"], record["milestones"], record["due"], record["days_left"]) == \
        ("2024-18", 1, 2, "2024-09-30", -15)
    assert record["measure"].startswith("举办产业计量技术创新挑战赛")


def test_show_and_search_records(registry):
    shown = show_record(registry, item(registry, "2024-18"))
    assert shown["section_title"] == "强化质量支撑标准引领" and shown["task_title"] == "推进计量规范共建互认"
    hit = query.search_items(registry, [item(registry, "2024-34")], "追溯")[0]
    found = search_record(registry, hit, ["追溯"])
    assert found["matched_in"] == ["task"] and found["excerpt"].startswith("任务18：") and "追溯" in found["excerpt"]
    english = search_record(registry, hit, ["追溯"], "en")
    assert english["excerpt"] == "Task 18: " + found["excerpt"].removeprefix("任务18：")


def zj_records(registry):
    items = query.filter_items(registry, Filters(leads=["浙江省局"]))
    return [item_record(registry, i) for i in items]


def test_csv_parses_back_with_joint_column(registry):
    records = zj_records(registry)
    columns = [ITEM_COLUMNS[k] for k in ("id", "title", "leads", "joint", "status")]
    rows = list(csv.DictReader(io.StringIO(formats.to_csv(records, columns, "zh"))))
    assert [r["编号"] for r in rows] == [r["id"] for r in records]
    joint = {r["编号"] for r in rows if r["联合牵头"] == "是"}
    assert joint == {"2024-01", "2024-10", "2024-13", "2024-15", "2024-16", "2024-21", "2024-32", "2024-33",
                     "2024-52", "2024-54", "2024-57"}
    assert {r["联合牵头"] for r in rows} == {"是", ""}
    assert {r["状态"] for r in rows} == {"未启动"}
    english = list(csv.DictReader(io.StringIO(formats.to_csv(records, columns, "en"))))
    assert english[0]["Joint"] == "yes" and english[0]["Status"] == "not started"


def test_json_and_yaml_round_trip(registry):
    records = zj_records(registry)
    assert json.loads(formats.to_json(records)) == records
    assert yaml.safe_load(formats.to_yaml(records)) == records
    assert "浙江省局" in formats.to_json(records)  # ensure_ascii=False


def test_markdown_rows_and_escaping(registry):
    records = zj_records(registry)
    text = formats.to_markdown(records, [ITEM_COLUMNS[k] for k in DEFAULT_ITEM_COLUMNS], "zh")
    lines = text.splitlines()
    assert lines[0].startswith("| 序号 | 合作事项 |")
    assert len([line for line in lines if line.startswith("|")]) == len(records) + 2
    odd = [{"title": "a|b\nc", "seq": 1}]
    out = formats.to_markdown(odd, [ITEM_COLUMNS["title"]], "zh")
    assert "a\\|b<br>c" in out


def test_stat_records_and_bar(registry):
    rows = query.stats(registry, registry.items, "lead")
    record = stat_record(registry, rows[0], "lead", "zh")
    assert record == {"by": "lead", "key": "浙江省局", "label": "浙江省局", "count": 37, "sole": 26, "joint": 11}
    status = stat_record(registry, query.stats(registry, registry.items, "status")[0], "status", "en")
    assert (status["key"], status["label"]) == ("not_started", "not started")
    assert bar(10, 10, width=5) == "█████"
    assert bar(1, 8, width=1) == "▏"
    assert bar(0, 8) == ""


def render_text(renderable, width=160) -> str:
    console = Console(width=width, record=True, file=io.StringIO(), color_system=None)
    console.print(renderable)
    return console.export_text()


def test_markup_in_registry_text_prints_literally(registry):
    record = dict(item_record(registry, item(registry, "2024-01")), title="打造[bold]商事[/]登记")
    text = render_text(rich_table([record], [ITEM_COLUMNS["title"]], "zh", title="[red]计划[/]"))
    assert "打造[bold]商事[/]登记" in text and "[red]计划[/]" in text


def test_highlight_spans_use_styles_not_markup():
    text = highlighted("食品和食用农产品[b]", ["食"])
    assert text.plain == "食品和食用农产品[b]"
    assert [(s.start, s.end, str(s.style)) for s in text.spans] == [(0, 1, "bold reverse"), (3, 4, "bold reverse")]


def test_show_table_lists_everything(registry):
    record = show_record(registry, item(registry, "2024-18"))
    text = render_text(show_table(registry, record, "zh", AS_OF))
    for expected in ("2024-18", "举办产业计量技术创新揭榜挂帅活动", "（三）强化质量支撑标准引领", "11. 推进计量规范共建互认",
                     "上海市局", "计量条线", "2024-09-30", "2024-12-31", "逾期 15 天", "未启动", "（暂无）"):
        assert expected in text
    group = render_text(show_table(registry, show_record(registry, item(registry, "2024-01")), "zh", AS_OF))
    assert "三省一市局（上海市局、江苏省局、浙江省局、安徽省局）" in group and "联合牵头" in group


# -- the plain table a pipe gets ----------------------------------------------------------------------

def test_text_width_agrees_with_unicode_east_asian_width(registry):
    import unicodedata

    def reference(text):
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)

    texts = [i.title + i.measures + "".join(i.departments) for i in registry.items]
    texts += ["abc", "", "（12月底前）", "“企业码”", "Ｅ码ｇ", "한국어", "ｶﾀｶﾅ", "𠀋𪚥", "✅⌚", "é", "㉈㉐"]
    for text in texts:
        assert text_width(text) == reference(text), text


def test_plain_table_lines_up_every_column_in_display_cells(registry):
    items = [item(registry, key) for key in ("2024-01", "2024-18", "2024-37")]
    records = [item_record(registry, i) | {"light": "red"} for i in items]
    columns = [ITEM_COLUMNS[k] for k in DEFAULT_ITEM_COLUMNS]
    lines = list(plain_table_lines(records, columns, "zh", title="标题", caption="注"))
    assert lines[0] == "标题" and lines[-1] == "注"
    header, rule, *rows = lines[1:-1]
    assert header.split() == ["序号", "合作事项", "牵头单位", "联合牵头", "责任部门", "时间节点", "状态", "灯号"]
    assert len(rows) == 3  # one line per item
    # Each column starts at the display cell where its rule of dashes starts.
    starts = [n for n, ch in enumerate(rule) if ch == "-" and (n == 0 or rule[n - 1] == " ")]
    for line in [header, *rows]:
        cells = [text_width(line[:k]) for k in range(len(line) + 1)]
        for start in starts[1:]:
            assert start in cells and line[cells.index(start) - 1] == " ", line
    assert "2024-09-30、2024-12-31" in rows[1]  # item 18's two milestones on its one line
    assert rows[2].split()[2] == "上海市药监局" and not any(line.endswith(" ") for line in lines)


def test_a_pipe_gets_the_plain_table_and_a_forced_terminal_the_rich_one(cli, monkeypatch):
    plain = cli("list", "--lead", "浙江省局", "--columns", "seq,title")
    assert "│" not in plain.stdout and "   3  开展经营主体发展情况分析" in plain.stdout
    monkeypatch.setenv("FORCE_COLOR", "1")
    boxed = cli("list", "--lead", "浙江省局", "--columns", "seq,title")
    assert "│" in boxed.stdout and "开展经营主体发展情况分析" in boxed.stdout
