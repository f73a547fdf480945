"""The query commands end to end through the real entry point (error boundary included).

Expected sets were read off the seed's 合作事项清单 by hand (see test_query.py for the derivations).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys

import pytest
import yaml

from conftest import ROOT, generated_registry

ZJ_ALL = [1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 13, 15, 16, 20, 21, 22, 24, 25, 27, 28, 32, 33, 35, 36, 36, 40, 43, 44,
          45, 46, 47, 48, 51, 52, 53, 54, 57]
ZJ_NAMED = [2, 3, 4, 5, 6, 7, 8, 11, 20, 21, 22, 24, 25, 27, 28, 32, 33, 35, 36, 36, 40, 43, 44, 45, 46, 47, 48,
            51, 52, 53, 54]
DUE_BY_SEPT = [("2024-11", 1, "2024-08-31"), ("2024-09", 1, "2024-09-30"), ("2024-18", 1, "2024-09-30"),
               ("2024-25", 1, "2024-09-30"), ("2024-54", 1, "2024-09-30")]


def as_json(result):
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def seqs(result) -> list[int]:
    return [r["seq"] for r in as_json(result)]


def milestones(result):
    return [(r["id"], r["milestone"], r["due"]) for r in as_json(result)]


# -- list and the filters --------------------------------------------------------------------------

def test_list_lead_includes_group_and_co_led(cli):
    got = seqs(cli("list", "--lead", "浙江省局", "-f", "json"))
    assert got == ZJ_ALL
    assert {1, 10, 13, 15, 16, 57, 21, 32, 33, 52, 54} <= set(got)


def test_list_lead_direct(cli):
    assert seqs(cli("list", "--lead", "浙江省局", "--direct", "-f", "json")) == ZJ_NAMED


def test_list_alias_and_group(cli):
    assert seqs(cli("list", "--lead", "上海药监局", "-f", "json")) == [30, 31, 37]
    assert seqs(cli("list", "--lead", "三省一市局", "-f", "json")) == [1, 10, 13, 15, 16, 57]


def test_list_repeated_lead_is_any(cli):
    got = seqs(cli("list", "--lead", "江苏省局", "-l", "上海药监局", "-f", "json"))
    assert got == [1, 10, 13, 14, 15, 16, 30, 31, 37, 56, 57]


def test_list_province_org_dept(cli):
    assert seqs(cli("list", "--province", "浙江", "-f", "json")) == sorted(ZJ_ALL + [30, 38, 39, 55])
    assert [r["id"] for r in as_json(cli("list", "--dept", "食品", "-f", "json"))] == \
        ["2024-33", "2024-34", "2024-35", "2024-36", "2024-36b"]
    assert [r["id"] for r in as_json(cli("list", "--org", "嘉善县局", "-f", "json"))] == \
        ["2024-06", "2024-36b", "2024-53", "2024-54", "2024-55"]


def test_list_filters_combine(cli):
    got = as_json(cli("list", "--lead", "浙江省局", "--dept", "食品", "--status", "未启动", "-f", "json"))
    assert [r["id"] for r in got] == ["2024-33", "2024-35", "2024-36", "2024-36b"]
    assert seqs(cli("list", "--section", "六", "--task", "24", "-f", "json")) == [51, 52, 53, 54, 55]
    assert seqs(cli("list", "--text", "追溯", "-f", "json")) == [33, 53]
    assert seqs(cli("list", "--due-before", "9月底", "-f", "json")) == [9, 11, 18, 25, 54]
    assert seqs(cli("list", "--due-after", "2024-10-01", "--due-before", "2024-10", "-f", "json")) == [24, 53]


def test_list_sort_limit_columns(cli):
    got = as_json(cli("list", "--lead", "上海市局", "--direct", "--sort", "due", "-n", "3", "-f", "json"))
    assert [r["id"] for r in got] == ["2024-09", "2024-18", "2024-41"]
    result = cli("list", "--section", "6", "--sort", "lead", "--columns", "seq,牵头单位", "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    assert list(rows[0]) == ["序号", "牵头单位"]
    assert [r["序号"] for r in rows] == ["57", "55", "56", "51", "52", "53", "54"]
    bad = cli("list", "--columns", "seq,nope")
    assert bad.exit_code == 2 and "nope" in bad.stderr


@pytest.mark.parametrize("option, value, suggestion", [
    ("--lead", "浙江局", "浙江省局"),
    ("--org", "上海局", "上海市局"),
    ("--lead", "嘉兴局", "嘉兴市局"),
    ("--province", "浙", "浙江"),
    ("--status", "完成", "已完成"),
    ("--section", "9", "强化质量支撑标准引领"),
])
def test_unknown_names_are_usage_errors_with_suggestions(cli, option, value, suggestion):
    result = cli("list", option, value)
    assert result.exit_code == 2
    assert "是否要找" in result.stderr and suggestion in result.stderr
    assert result.stdout == "" and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_empty_result_is_a_note_and_exit_0(cli):
    result = cli("list", "--status", "已完成")
    assert result.exit_code == 0 and result.stdout == "" and "没有符合条件" in result.stderr
    result = cli("list", "--status", "done", "-f", "json", "--lang", "en")
    assert result.exit_code == 0 and json.loads(result.stdout) == [] and "No matching" in result.stderr


# -- due / overdue / upcoming ------------------------------------------------------------------------

def test_due_before_end_of_september(cli):
    result = cli("due", "--before", "2024-09-30", "--as-of", "2024-10-15", "-f", "json")
    assert milestones(result) == DUE_BY_SEPT
    assert [r["days_left"] for r in json.loads(result.stdout)] == [-45, -15, -15, -15, -15]
    eighteen = json.loads(result.stdout)[2]
    assert eighteen["measure"].startswith("举办产业计量技术创新挑战赛") and eighteen["milestones"] == 2


def test_due_window_with_after(cli):
    result = cli("due", "--after", "2024-10-01", "--before", "2024-11-30", "--as-of", "2024-10-01", "-f", "json")
    assert milestones(result) == [("2024-24", 1, "2024-10-31"), ("2024-53", 1, "2024-10-31"),
                                  ("2024-40", 1, "2024-11-30"), ("2024-41", 1, "2024-11-30"),
                                  ("2024-42", 1, "2024-11-30"), ("2024-43", 1, "2024-11-30"),
                                  ("2024-45", 1, "2024-11-30"), ("2024-48", 1, "2024-11-30")]
    # item 18 comes back with its second milestone only
    late = milestones(cli("due", "--after", "2024-12-01", "--before", "2024-12-31", "--lead", "上海市局", "--direct",
                          "-f", "json"))
    assert ("2024-18", 2, "2024-12-31") in late and ("2024-18", 1, "2024-09-30") not in late
    assert len(late) == 13  # 上海市局's 15 named items minus 9 (9月底) and 41 (11月底); item 18 once


def test_due_with_filters_and_errors(cli):
    assert milestones(cli("due", "--before", "2024-09-30", "--lead", "浙江省局", "-f", "json")) == \
        [("2024-11", 1, "2024-08-31"), ("2024-25", 1, "2024-09-30"), ("2024-54", 1, "2024-09-30")]
    assert cli("due").exit_code == 2
    bad = cli("due", "--before", "下个月")
    assert bad.exit_code == 2 and "可用写法" in bad.stderr and "--before" in bad.stderr
    backwards = cli("due", "--after", "2024-12-01", "--before", "2024-09-30")
    assert backwards.exit_code == 2


# Every form dates.py accepts, each naming 2024-09-30 (relative forms are counted from --as-of).
SEPT_30_FORMS = ["2024-09-30", "2024/9/30", "2024.9.30", "20240930", "2024年9月30日", "2024年9月底", "2024年9月底前",
                 "9月底", "9月底前", "九月底", "2024-09", "2024年9月", "2024Q3", "Q3", "q3", "2024年第三季度", "三季度",
                 "30 Sep 2024", "Sep 2024", "２０２４－０９－３０", "-15d", "today", "今天"]


@pytest.mark.parametrize("form", SEPT_30_FORMS)
def test_every_date_form(cli, form):
    as_of = "2024-09-30" if form in ("today", "今天") else "2024-10-15"
    assert milestones(cli("due", "--before", form, "--as-of", as_of, "-f", "json")) == DUE_BY_SEPT


@pytest.mark.parametrize("form", ["2024-11-30", "11月底", "2024年11月", "2024-11", "+46d"])
def test_date_forms_for_after_and_filters(cli, form):
    got = milestones(cli("due", "--after", form, "--before", "2024年11月底", "--as-of", "2024-10-15", "-f", "json"))
    assert got == [("2024-40", 1, "2024-11-30"), ("2024-41", 1, "2024-11-30"), ("2024-42", 1, "2024-11-30"),
                   ("2024-43", 1, "2024-11-30"), ("2024-45", 1, "2024-11-30"), ("2024-48", 1, "2024-11-30")]


def test_overdue_as_of(cli):
    result = cli("overdue", "--as-of", "2024-10-15", "-f", "json")
    assert milestones(result) == DUE_BY_SEPT  # most overdue (item 11, 8月底) first
    assert json.loads(result.stdout)[0]["days_left"] == -45
    assert milestones(cli("overdue", "--as-of", "2024年10月15日", "--province", "上海", "-f", "json")) == \
        [("2024-09", 1, "2024-09-30"), ("2024-18", 1, "2024-09-30")]
    early = cli("overdue", "--as-of", "2024-08-31")
    assert early.exit_code == 0 and early.stdout == "" and "时间节点" in early.stderr


def test_overdue_table_shows_days_overdue(cli):
    result = cli("overdue", "--as-of", "2024-10-15", "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    assert [(r["序号"], r["逾期天数"]) for r in rows] == [("11", "45"), ("9", "15"), ("18", "15"), ("25", "15"),
                                                        ("54", "15")]


def test_upcoming_within(cli):
    assert milestones(cli("upcoming", "--within", "30d", "--as-of", "2024-10-15", "-f", "json")) == \
        [("2024-24", 1, "2024-10-31"), ("2024-53", 1, "2024-10-31")]
    assert milestones(cli("upcoming", "--within", "1个月", "--as-of", "2024-11-01", "-f", "json"))[0] == \
        ("2024-40", 1, "2024-11-30")
    assert cli("upcoming", "--within", "soon").exit_code == 2


# -- show --------------------------------------------------------------------------------------------

def test_show_seq_36_shows_both(cli):
    result = cli("show", "36", "-f", "json")
    assert [r["id"] for r in as_json(result)] == ["2024-36", "2024-36b"]
    assert "2024-36" in result.stderr and "2024-36b" in result.stderr and "2 次" in result.stderr


def test_show_everything_about_one_item(cli):
    result = cli("show", "2024-18", "--as-of", "2024-10-15")
    assert result.exit_code == 0
    for expected in ("举办产业计量技术创新揭榜挂帅活动", "（三）强化质量支撑标准引领", "推进计量规范共建互认", "上海市局",
                     "计量条线", "2024-09-30", "2024-12-31", "开展华东大区示波器校准仪检定装置计量比对", "未启动"):
        assert expected in result.stdout
    record = as_json(cli("show", "1", "-f", "json"))[0]
    assert record["lead_units"] == ["上海市局", "江苏省局", "浙江省局", "安徽省局"] and record["joint"] is True
    assert record["task_title"] == "深化推进准入准营规则统一"


def test_show_unknown_suggests(cli):
    result = cli("show", "食品追溯")
    assert result.exit_code == 2 and "2024-33" in result.stderr and "2024-53" in result.stderr
    result = cli("show", "99")
    assert result.exit_code == 2 and "58" in result.stderr


# -- search, stats, orgs -----------------------------------------------------------------------------

def test_search_results_and_filters(cli):
    got = as_json(cli("search", "追溯", "-f", "json"))
    assert [r["id"] for r in got] == ["2024-33", "2024-53", "2024-34", "2024-35", "2024-36", "2024-36b", "2024-51",
                                      "2024-52", "2024-54", "2024-55"]
    assert got[0]["matched_in"] == ["title", "measures", "task"]
    assert [r["id"] for r in as_json(cli("search", "追溯", "--lead", "上海市局", "-f", "json"))] == \
        ["2024-33", "2024-34", "2024-55"]
    assert cli("search", " ").exit_code == 2


def test_search_table_keeps_markup_like_query_literal(cli):
    result = cli("search", "CCC")
    assert result.exit_code == 0 and "加强 CCC 免办后续监管合作" in result.stdout
    assert cli("search", "[/]").exit_code == 0  # a markup-like query is just text (no match, exit 0)


def test_stats(cli):
    lead = {r["key"]: (r["count"], r["sole"], r["joint"]) for r in as_json(cli("stats", "-f", "json"))}
    assert lead["浙江省局"] == (37, 26, 11) and lead["嘉兴市局"] == (2, 0, 2)
    month = [(r["key"], r["count"]) for r in as_json(cli("stats", "--by", "month", "-f", "json"))]
    assert month == [("2024-08", 1), ("2024-09", 4), ("2024-10", 2), ("2024-11", 6), ("2024-12", 47)]
    zj_month = [(r["key"], r["count"]) for r in as_json(cli("stats", "--by", "month", "--lead", "浙江省局", "-f", "json"))]
    assert zj_month == [("2024-08", 1), ("2024-09", 2), ("2024-10", 2), ("2024-11", 4), ("2024-12", 28)]
    table = cli("stats", "--by", "section")
    assert table.exit_code == 0 and "█" in table.stdout and "强化一体化监管服务能力" in table.stdout
    csv_text = cli("stats", "--by", "status", "-f", "csv").stdout
    assert "█" not in csv_text  # the bar chart is for the terminal only
    assert list(csv.reader(io.StringIO(csv_text.lstrip("\ufeff"))))[1] == ["未启动", "59"]


def test_orgs(cli):
    records = {r["name"]: r for r in as_json(cli("orgs", "-f", "json"))}
    assert len(records) == 16
    assert records["三省一市局"]["members"] == ["上海市局", "江苏省局", "浙江省局", "安徽省局"]
    assert records["上海市药监局"]["aliases"] == ["上海药监局"]
    assert (records["浙江省局"]["items_led"], records["浙江省局"]["items_led_direct"]) == (37, 31)
    assert records["嘉善县局"]["items_involved"] == 5
    table = cli("orgs")
    assert table.exit_code == 0 and "上海药监局" in table.stdout


# -- formats -----------------------------------------------------------------------------------------

def test_every_format_parses_back_for_list(cli):
    args = ("list", "--lead", "浙江省局")
    reference = as_json(cli(*args, "-f", "json"))
    assert yaml.safe_load(cli(*args, "-f", "yaml").stdout) == reference
    csv_out = cli(*args, "-f", "csv", "--columns", "id,seq,title,leads,joint").stdout
    assert csv_out.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(csv_out[1:])))
    assert [r["编号"] for r in rows] == [r["id"] for r in reference]
    assert [r["合作事项"] for r in rows] == [r["title"] for r in reference]
    assert {r["编号"] for r in rows if r["联合牵头"] == "是"} == \
        {"2024-01", "2024-10", "2024-13", "2024-15", "2024-16", "2024-21", "2024-32", "2024-33", "2024-52",
         "2024-54", "2024-57"}
    md = cli(*args, "-f", "md").stdout.splitlines()
    assert len([line for line in md if line.startswith("|")]) == len(reference) + 2 == 39
    table = cli(*args)
    # the narrow 联合牵头 header wraps onto two lines
    assert table.exit_code == 0 and "牵头单位" in table.stdout and "联合" in table.stdout


@pytest.mark.parametrize("command", [
    ("due", "--before", "2024-09-30", "--as-of", "2024-10-15"),
    ("overdue", "--as-of", "2024-10-15"),
    ("search", "追溯"),
    ("stats", "--by", "month"),
    ("orgs",),
    ("show", "36"),
])
def test_every_format_parses_back(cli, command):
    reference = as_json(cli(*command, "-f", "json"))
    assert reference
    assert yaml.safe_load(cli(*command, "-f", "yaml").stdout) == reference
    csv_out = cli(*command, "-f", "csv").stdout
    assert csv_out.startswith("\ufeff")
    assert len(list(csv.DictReader(io.StringIO(csv_out[1:])))) == len(reference)
    md = cli(*command, "-f", "md").stdout.splitlines()
    assert len([line for line in md if line.startswith("|")]) == len(reference) + 2


def test_lang_en_headers_and_labels(cli):
    out = cli("list", "--lead", "三省一市局", "-f", "csv", "--lang", "en").stdout
    rows = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    assert list(rows[0]) == ["No.", "Item", "Lead", "Joint", "Responsible", "Due", "Status", "Light"]
    assert {(r["Joint"], r["Status"]) for r in rows} == {("yes", "not started")}


# -- markup safety, colour, imports ------------------------------------------------------------------

def test_registry_markup_prints_literally(cli, registry_copy):
    text = registry_copy.read_text(encoding="utf-8")
    text = text.replace("title: 打造长三角商事登记增值化服务模式", 'title: "打造[bold]商事[/]登记"', 1)
    text = text.replace("title: 长三角市场监管一体化发展 2024 年工作要点", 'title: "[red]工作要点[/red]"', 1)
    registry_copy.write_text(text, encoding="utf-8")
    listed = cli("list", "--data", registry_copy, "--lead", "三省一市局")
    assert listed.exit_code == 0, listed.stderr
    flat = re.sub(r"[\s│┃]", "", listed.stdout)  # the title may wrap across lines in the table
    assert "打造[bold]商事[/]登记" in flat and "[red]工作要点[/red]" in flat
    shown = cli("show", "1", "--data", registry_copy)
    assert "打造[bold]商事[/]登记" in re.sub(r"[\s│]", "", shown.stdout)
    found = cli("search", "[/]", "--data", registry_copy, "-f", "csv", "--columns", "id,title")
    assert found.stdout.lstrip("\ufeff").splitlines()[1] == "2024-01,打造[bold]商事[/]登记"


def run_cli(*args, **env_extra):
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env.update(env_extra)
    return subprocess.run([sys.executable, "-m", "workplan", *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=ROOT, env=env)


COLOUR_SGR = re.compile(r"\x1b\[[0-9;]*(?:3[0-9]|4[0-9]|9[0-7]|10[0-7])m")


def test_piped_output_has_no_escape_codes():
    result = run_cli("search", "追溯")
    assert result.returncode == 0 and "建设示范区食品安全" in result.stdout
    assert "\x1b" not in result.stdout


def test_no_color_is_honoured():
    forced = run_cli("search", "追溯", FORCE_COLOR="1")
    assert "\x1b[" in forced.stdout  # a terminal gets the highlight …
    plain = run_cli("search", "追溯", FORCE_COLOR="1", NO_COLOR="1")
    assert not COLOUR_SGR.search(plain.stdout)  # … but never colour under NO_COLOR


def test_query_commands_do_not_import_heavy_libraries():
    code = ("import sys\nimport workplan.cli.commands\nfrom workplan.cli.app import run\n"
            "for argv in (['list'], ['due', '--before', '9月底'], ['search', '食品'], ['stats'], ['orgs'], ['show', '36']):\n"
            "    sys.argv = ['workplan', *argv]\n"
            "    try:\n        run()\n    except SystemExit:\n        pass\n"
            "heavy = [m for m in ('openpyxl', 'sqlite3', 'icalendar', 'defusedxml', 'jinja2') if m in sys.modules]\n"
            "print('HEAVY', heavy, file=sys.stderr)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8", cwd=ROOT)
    assert "HEAVY []" in result.stderr, result.stderr[-500:]


def test_list_and_due_carry_the_traffic_light(cli):
    """As of 2024-09-20: item 11 (8月底前) is late; 9, 18, 25 and 54 (9月底前) fall due within 15 days."""
    items = json.loads(cli("list", "-f", "json", "--as-of", "2024-09-20").stdout)
    lights = {i["id"]: i["light"] for i in items}
    assert {k for k, v in lights.items() if v == "red"} == {"2024-11"}
    assert {k for k, v in lights.items() if v == "yellow"} == {"2024-09", "2024-18", "2024-25", "2024-54"}
    assert set(lights.values()) == {"red", "yellow", "green"}
    narrower = json.loads(cli("list", "-f", "json", "--as-of", "2024-09-20", "--warn-days", "5").stdout)
    assert {i["id"] for i in narrower if i["light"] == "yellow"} == set()
    rows = json.loads(cli("due", "--before", "2024-12-31", "--as-of", "2024-09-20", "-f", "json").stdout)
    second_of_18 = next(r for r in rows if r["id"] == "2024-18" and r["milestone"] == 2)
    assert second_of_18["light"] == "green"
    table = cli("list", "--lead", "浙江省局", "--as-of", "2024-09-20", "--direct", "--text", "统一地方标准管理").stdout
    assert "红灯" in table


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["csv", "table"])
def test_a_reader_closing_the_pipe_early_is_not_an_error(tmp_path, fmt):
    """`workplan list | head -1` on a list larger than the pipe's buffer: exit 0, nothing on stderr."""
    path = generated_registry(tmp_path / "items.yaml", 3000, seed=5)
    process = subprocess.Popen([sys.executable, "-m", "workplan", "list", "--data", str(path), "-f", fmt],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    first = process.stdout.readline()
    process.stdout.close()
    assert process.wait(timeout=60) == 0
    assert process.stderr.read() == b"" and first.strip()


def test_output_written_through_the_console_script_is_complete(tmp_path):
    """The console script leaves with os._exit after flushing: a file gets every row."""
    out = tmp_path / "list.json"
    with out.open("w", encoding="utf-8") as handle:
        result = subprocess.run([sys.executable, "-m", "workplan", "list", "-f", "json"], stdout=handle,
                                stderr=subprocess.PIPE, cwd=ROOT)
    assert result.returncode == 0
    assert len(json.loads(out.read_text(encoding="utf-8"))) == 59


def test_the_filters_in_words_in_both_languages():
    from workplan.cli.app import FilterArgs
    from workplan.cli.documents import filters_in_words

    filters = FilterArgs(lead=["浙江省局", "上海市局"], direct=True, status=["推进中"], due_before="2024-09-30")
    assert filters_in_words(filters, "zh") == "牵头单位：浙江省局、上海市局；仅直接牵头；状态：推进中；截止日期不晚于：2024-09-30"
    assert filters_in_words(filters, "en") == "lead: 浙江省局, 上海市局; direct leads only; status: 推进中; due by: 2024-09-30"
    assert filters_in_words(filters, "en", skip=("lead", "direct")) == "status: 推进中; due by: 2024-09-30"
