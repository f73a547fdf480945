"""Several plans in one project folder, end to end on real folders: init, plans, --plan, carry-over,
add, edit and show's history. Every write is checked by reading the file back; every refusal
leaves the file byte-identical."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml

from conftest import REGISTRY
from next_plan import next_plan

IDS_2024 = [item["id"] for item in yaml.safe_load(REGISTRY.read_text(encoding="utf-8"))["items"]]
IDS_2025 = [f"2025-{n:02d}" for n in range(1, 13)]


@pytest.fixture
def project(tmp_path, monkeypatch, cli):
    """A project folder made by `workplan init`, with a 2025 plan beside the 2024 one; cwd inside."""
    folder = tmp_path / "工作要点"
    assert cli("init", folder).exit_code == 0
    plan = next_plan(folder / "data" / "plans" / "2025.yaml")
    # A hand-written comment, as people keep in the file: every write must leave it.
    plan.write_text("# 2025 年合作事项清单（测试）\n" + plan.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.chdir(folder)
    return folder


def ids(result) -> list[str]:
    assert result.exit_code == 0, result.stderr
    return [record["id"] for record in json.loads(result.stdout)]


def reread(path: Path) -> dict:
    from workplan.store.load import load_registry

    return {item.id: item for item in load_registry(path).items}


# -- init -------------------------------------------------------------------------------------------

def test_init_makes_a_project_folder_and_never_overwrites(tmp_path, cli):
    folder = tmp_path / "新项目"
    first = cli("init", folder)
    assert first.exit_code == 0, first.stderr
    assert (folder / "data" / "items.yaml").read_bytes() == REGISTRY.read_bytes()
    assert (folder / "data" / "plans").is_dir()
    assert json.loads((folder / "schema" / "items.schema.json").read_text(encoding="utf-8"))["title"]
    assert "data/plans/*.yaml merge=workplan" in (folder / ".gitattributes").read_text(encoding="utf-8")
    hooks = yaml.safe_load((folder / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert hooks["repos"][0]["hooks"][0]["entry"] == "workplan validate --plan all"
    assert "workplan plans" in (folder / "README.md").read_text(encoding="utf-8")
    assert "新建 6 个文件，保留 0 个" in first.stderr
    from workplan.store.config import default_unit, read_toml

    assert read_toml(folder / "workplan.toml") == {}  # every setting commented out until chosen
    assert default_unit(folder) is None

    (folder / "README.md").write_text("我们自己的说明\n", encoding="utf-8")
    (folder / "data" / "items.yaml").write_text("# edited\n", encoding="utf-8")
    again = cli("init", folder)
    assert again.exit_code == 0
    assert "新建 0 个文件，保留 6 个" in again.stderr
    assert (folder / "README.md").read_text(encoding="utf-8") == "我们自己的说明\n"
    assert (folder / "data" / "items.yaml").read_text(encoding="utf-8") == "# edited\n"


def test_init_installs_the_merge_driver_in_a_git_repository(tmp_path, cli):
    import shutil
    import subprocess

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    plain = cli("init", tmp_path / "plain")
    assert "未配置 git 合并驱动（" in plain.stderr and not (tmp_path / "plain" / ".git").exists()
    folder = tmp_path / "repo"
    result = cli("init", folder, "--git")
    assert result.exit_code == 0, result.stderr
    driver = subprocess.run(["git", "config", "--local", "--get", "merge.workplan.driver"], cwd=folder,
                            capture_output=True, text=True, encoding="utf-8").stdout
    assert driver.endswith(" -m workplan merge-driver %O %A %B %P\n")
    attributes = (folder / ".gitattributes").read_text(encoding="utf-8")
    assert [line for line in attributes.splitlines() if "merge=workplan" in line] == [
        "data/items.yaml merge=workplan", "data/plans/*.yaml merge=workplan"]
    again = cli("init", folder, "--git")
    assert "合并设置：git config merge.workplan.* 已是最新" in again.stderr
    assert (folder / ".gitattributes").read_text(encoding="utf-8") == attributes


def test_outside_a_project_folder_the_shipped_copy_is_not_changed(tmp_path, monkeypatch, cli):
    monkeypatch.chdir(tmp_path)
    before = REGISTRY.read_bytes()
    for args in (["edit", "2024-03", "--field", "note=x"],
                 ["add", "--title", "T", "--measures", "M", "--lead", "浙江省局", "--dept", "D", "--section", "1",
                  "--due", "2024-12-31"]):
        result = cli(*args)
        assert result.exit_code == 1
        assert "workplan init" in result.stderr
    assert REGISTRY.read_bytes() == before


def test_init_refuses_a_file(tmp_path, cli):
    target = tmp_path / "file.txt"
    target.write_text("x", encoding="utf-8")
    result = cli("init", target)
    assert result.exit_code == 2
    assert result.stderr == f"workplan: 错误：{target}：是文件，不是文件夹\n"
    assert target.read_text(encoding="utf-8") == "x"


# -- plans and --plan --------------------------------------------------------------------------------

def test_plans_lists_every_plan_with_counts_and_dates(project, cli):
    result = cli("plans", "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == [
        {"name": "2024", "path": str(Path("data") / "items.yaml"), "year": 2024,
         "title": "长三角市场监管一体化发展 2024 年工作要点", "doc_number": "浙市监综〔2024〕1号",
         "issued": "2024-03-29", "items": 59, "open": 59, "carried": 0,
         "first_due": "2024-08-31", "last_due": "2024-12-31"},
        {"name": "2025", "path": str(Path("data") / "plans" / "2025.yaml"), "year": 2025,
         "title": "长三角市场监管一体化发展 2025 年工作要点", "doc_number": "浙市监综〔2025〕3号",
         "issued": "2025-03-20", "items": 12, "open": 12, "carried": 0,
         "first_due": "2025-08-31", "last_due": "2025-12-31"},
    ]
    table = cli("plans")
    assert table.stdout.splitlines()[0] == "计划 · 2 个"
    assert table.stdout.splitlines()[1].split() == ["计划", "年度", "事项数", "未完成", "结转事项", "最早节点",
                                                    "最晚节点", "文件标题", "文件"]
    assert table.stdout.splitlines()[3].split()[:7] == ["2024", "2024", "59", "59", "0", "2024-08-31", "2024-12-31"]
    csv_header = cli("plans", "-f", "csv").stdout.splitlines()[0]
    assert csv_header == "\ufeff计划,年度,事项数,未完成,结转事项,最早节点,最晚节点,印发日期,文号,文件标题,文件"


def test_a_broken_plan_is_listed_and_fails_the_command(project, cli):
    (project / "data" / "plans" / "2025-浙江.yaml").write_text("plan: [\n", encoding="utf-8")
    result = cli("plans", "-f", "json")
    assert result.exit_code == 1
    assert [r["name"] for r in json.loads(result.stdout)] == ["2024", "2025", "2025-浙江"]
    assert result.stderr.startswith(f"workplan: 错误：{Path('data') / 'plans' / '2025-浙江.yaml'}:")


def test_plan_option_picks_a_plan_by_name_or_file(project, cli):
    assert ids(cli("list", "--plan", "2025", "-f", "json")) == IDS_2025
    assert ids(cli("list", "--plan", "data/plans/2025.yaml", "-f", "json")) == IDS_2025
    assert ids(cli("list", "--data", "data/plans/2025.yaml", "-f", "json")) == IDS_2025
    assert ids(cli("list", "--plan", "2024", "-f", "json")) == IDS_2024
    assert ids(cli("list", "-f", "json")) == IDS_2024  # data/items.yaml stays the default
    assert ids(cli("list", "--plan", "2025", "--lead", "上海市知识产权局", "-f", "json")) == ["2025-12"]


def test_an_unknown_plan_is_a_usage_error(project, cli):
    result = cli("list", "--plan", "2026")
    assert result.exit_code == 2
    assert result.stderr == ("workplan: 错误：--plan：没有计划 2026；是否要找 2025、2024？"
                             "（本文件夹的计划：2024、2025；也可写 all 或登记册文件）\n")
    writes = cli("update", "2025-01", "--plan", "all", "--note", "x")
    assert writes.exit_code == 2
    assert writes.stderr == "workplan: 错误：--plan all：update 只处理一个计划，请指明，例如 --plan 2025\n"


def test_an_id_of_another_plan_names_that_plan(project, cli):
    show = cli("show", "2025-03")
    assert (show.exit_code, show.stderr) == (2, "workplan: 错误：没有事项“2025-03”；它在计划 2025 中：加 --plan 2025\n")
    edit = cli("edit", "2025-03", "--field", "note=x")
    assert (edit.exit_code, edit.stderr) == (2, "workplan: 错误：没有事项“2025-03”；它在计划 2025 中：加 --plan 2025\n")
    update = cli("update", "2024-03", "--plan", "2025", "--note", "x")
    assert update.stderr == "workplan: 错误：没有事项“2024-03”；它在计划 2024 中：加 --plan 2024\n"
    nowhere = cli("show", "2030-01")
    assert nowhere.exit_code == 2 and "计划 " not in nowhere.stderr


def test_warm_and_cold_reads_of_carried_items_agree(project, cli):
    assert cli("carry-over", "--from", "2024", "--to", "2025", "--due", "2025-06-30", "--date", "2025-04-01").exit_code == 0
    for args in (["list", "--plan", "2025", "-f", "json"], ["list", "--plan", "all", "-f", "csv"],
                 ["show", "2025-c24", "2024-24", "--plan", "all", "-f", "json"], ["plans", "-f", "json"],
                 ["due", "--plan", "all", "--before", "2025-06-30", "-f", "json"]):
        cold, first, warm = cli(*args, "--no-cache"), cli(*args), cli(*args)
        assert cold.exit_code == first.exit_code == warm.exit_code == 0, (args, cold.stderr, warm.stderr)
        assert cold.stdout == first.stdout == warm.stdout, args
    assert json.loads(warm.stdout)[0]["id"] == "2024-11"


def test_exports_span_plans_but_a_workbook_needs_one(project, cli, tmp_path):
    out = tmp_path / "all.json"
    assert cli("export", "--plan", "all", "--json", out).exit_code == 0
    exported = json.loads(out.read_text(encoding="utf-8"))
    items = exported["items"] if isinstance(exported, dict) else exported
    assert [i["id"] for i in items] == IDS_2024 + IDS_2025
    xlsx = cli("export", "--plan", "all", "--xlsx", tmp_path / "all.xlsx")
    assert (xlsx.exit_code, xlsx.stderr) == (
        2, "workplan: 错误：--xlsx 不能与 --plan all 同用：工作簿要导入回某一个计划，请指明，例如 --plan 2025\n")
    assert not (tmp_path / "all.xlsx").exists()


def test_plan_all_spans_every_plan(project, cli):
    assert ids(cli("list", "--plan", "all", "-f", "json")) == IDS_2024 + IDS_2025
    due = json.loads(cli("due", "--plan", "all", "--before", "2025-09-30", "--after", "2024-09-01",
                         "--lead", "浙江省局", "-f", "json").stdout)
    assert [(r["id"], r["due"]) for r in due][:3] == [("2024-25", "2024-09-30"), ("2024-54", "2024-09-30"),
                                                      ("2024-24", "2024-10-31")]
    assert [(r["id"], r["due"]) for r in due if r["due"] >= "2025"] == [("2025-11", "2025-08-31")]
    stats = json.loads(cli("stats", "--plan", "all", "--by", "status", "-f", "json").stdout)
    assert {r["key"]: r["count"] for r in stats}["not_started"] == 71
    table = cli("list", "--plan", "all", "--lead", "上海市知识产权局")
    assert table.stdout.splitlines()[0] == "全部计划（2024、2025） · 1 项"
    valid = cli("validate", "--plan", "all")
    assert valid.exit_code == 0
    assert [line.split("：")[0] for line in valid.stdout.splitlines()] == [
        str(Path("data") / "items.yaml"), str(Path("data") / "plans" / "2025.yaml")]


def test_plan_all_refuses_the_same_id_in_two_plans(project, cli):
    clash = project / "data" / "plans" / "2025-浙江.yaml"
    clash.write_bytes((project / "data" / "plans" / "2025.yaml").read_bytes())
    result = cli("list", "--plan", "all")
    assert result.exit_code == 1
    assert result.stderr == ("workplan: 错误：事项编号 2025-01 同时出现在计划 2025 和计划 2025-浙江 中："
                             "各计划的编号不能重复（请为其中一个换用其他前缀）\n")
    assert ids(cli("list", "--plan", "2025-浙江", "-f", "json")) == IDS_2025


def test_validate_across_plans_finds_clashing_ids_and_lost_origins(project, cli):
    target = project / "data" / "plans" / "2025.yaml"
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("- id: 2025-02\n", "- id: 2024-02\n").replace(
        "- id: 2025-03\n  seq: 3\n", "- id: 2025-03\n  seq: 3\n  from: 2023-07\n"), encoding="utf-8")
    alone = cli("validate", "--plan", "2025")
    assert alone.exit_code == 0, alone.stderr
    both = cli("validate", "--plan", "all")
    assert both.exit_code == 1
    lines = text.splitlines()
    id_line = lines.index("- id: 2025-02") + 1
    from_line = lines.index("- id: 2025-03") + 3
    plan = Path("data") / "plans" / "2025.yaml"
    assert both.stderr.splitlines() == [
        f"{plan}:{id_line}:7: 2024-02.id: 事项编号 2024-02 同时出现在计划 {Path('data') / 'items.yaml'} 和计划 {plan} 中："
        "各计划的编号不能重复（请为其中一个换用其他前缀）",
        f"{plan}:{from_line}:9: 2025-03.from: 结转自 2023-07，但本文件夹的计划中没有这个事项",
        "1 个文件中共有 2 处问题"]


def test_show_in_plan_all_uses_the_items_own_plan(project, cli):
    records = json.loads(cli("show", "2024-56", "2025-12", "--plan", "all", "-f", "json").stdout)
    assert [(r["id"], r["section_title"], r["task_title"]) for r in records] == [
        ("2024-56", "推进毗邻区域能域市场监管一体化", None),
        ("2025-12", "助力特色产业高质量发展", "推进知识产权保护协作"),
    ]


# -- carry-over ----------------------------------------------------------------------------------------

def _progress_2024(cli):
    assert cli("update", "24", "--status", "推进中", "--note", "平台已上线试运行", "--by", "浙江省局",
               "--date", "2024-09-10").exit_code == 0
    assert cli("update", "2", "--status", "已完成", "--done", "--note", "已完成", "--date", "2024-10-10").exit_code == 0
    assert cli("update", "18", "--milestone", "1", "--done", "--note", "首场已办", "--date", "2024-09-20").exit_code == 0


def test_carry_over_copies_unfinished_items_linked_to_their_origin(project, cli):
    _progress_2024(cli)
    target = project / "data" / "plans" / "2025.yaml"
    text = target.read_text(encoding="utf-8")
    # The 2025 plan does not know 上海市药监局 (it leads 2024-30, 31 and 37): carry-over adds it.
    target.write_text(text.replace("- name: 上海市药监局", "- name: 上海市药监局2025旧"), encoding="utf-8")
    result = cli("carry-over", "--from", "2024", "--to", "2025", "--due", "6月底", "--date", "2025-04-01")
    assert result.exit_code == 0, result.stderr
    assert "已写入 data/plans/2025.yaml：58 个未完成事项由 2024 结转至 2025" in result.stderr.replace("\n", "")
    assert "新增单位 上海市药监局（由 2024 计划复制）" in result.stderr

    after = target.read_text(encoding="utf-8")
    assert after.startswith("# 2025 年合作事项清单（测试）\n")
    items = reread(target)
    carried = [i for i in items.values() if i.carried_from]
    assert [i.carried_from for i in carried] == [i for i in IDS_2024 if i != "2024-02"]
    assert [i.id for i in carried][:3] == ["2025-c01", "2025-c03", "2025-c04"]
    assert [i.seq for i in carried] == list(range(13, 13 + 58))

    c24 = items["2025-c24"]
    assert (c24.status.value, c24.leads, c24.section, c24.task) == ("in_progress", ["浙江省局"], 4, 13)
    assert [(m.due, m.text, m.measure) for m in c24.milestones] == [(dt.date(2025, 6, 30), "2025年6月底前", None)]
    assert [(p.date, p.by, p.status.value) for p in c24.progress] == [(dt.date(2025, 4, 1), "浙江省局", "in_progress")]
    assert "原事项 2024-24" in c24.progress[0].text and "10月底前（2024-10-31）" in c24.progress[0].text
    # Item 18's first milestone was met in 2024: only the second one moves.
    c18 = items["2025-c18"]
    assert [(m.due, m.text) for m in c18.milestones] == [(dt.date(2025, 6, 30), "2025年6月底前")]
    assert c18.milestones[0].measure == "开展华东大区示波器校准仪检定装置计量比对。"
    # A section renamed in 2025: the item with no key task keeps its number, and says so.
    assert (items["2025-c56"].section, items["2025-c56"].task) == (6, None)
    assert "目标计划中没有同名部分，按原编号归入第 6 部分" in result.stderr

    again_before = target.read_bytes()
    again = cli("carry-over", "--from", "2024", "--to", "2025", "--due", "6月底")
    assert again.exit_code == 0
    assert "没有需要结转的事项" in again.stderr and "未结转 2024-24：已结转为 2025-c24" in again.stderr
    assert target.read_bytes() == again_before

    plans = {r["name"]: r for r in json.loads(cli("plans", "-f", "json").stdout)}
    assert (plans["2025"]["items"], plans["2025"]["carried"], plans["2024"]["open"]) == (70, 58, 58)


def test_carry_over_refusals_write_nothing(project, cli):
    target = project / "data" / "plans" / "2025.yaml"
    before = target.read_bytes()
    outside = cli("carry-over", "--from", "2024", "--to", "2025", "--due", "2024-12-31")
    assert (outside.exit_code, outside.stderr) == (2, "workplan: 错误：--due 2024-12-31 不在目标计划年度 2025 内\n")
    early = cli("carry-over", "--from", "2024", "--to", "2025", "--due", "2025-06-30", "--date", "2025-01-05")
    assert (early.exit_code, early.stderr) == (2, "workplan: 错误：--date 2025-01-05 早于目标计划的印发日期 2025-03-20\n")
    same = cli("carry-over", "--from", "2025", "--to", "data/plans/2025.yaml", "--due", "2025-06-30")
    assert (same.exit_code, same.stderr) == (2, "workplan: 错误：--from 与 --to 是同一个计划\n")
    unknown = cli("carry-over", "--from", "2024", "--to", "2025", "--due", "2025-06-30", "--item", "2024-99")
    assert (unknown.exit_code, unknown.stderr) == (2, "workplan: 错误：2024 年计划中没有事项 2024-99\n")
    dry = cli("carry-over", "--from", "2024", "--to", "2025", "--due", "2025-06-30", "--item", "2024-11",
              "--date", "2025-04-01", "--dry-run")
    assert dry.exit_code == 0
    assert "+- id: 2025-c11\n+  seq: 13\n+  from: 2024-11\n" in dry.stdout
    assert "试运行，未写入" in dry.stderr
    assert target.read_bytes() == before


def test_show_tells_the_history_across_years(project, cli):
    _progress_2024(cli)
    assert cli("carry-over", "--from", "2024", "--to", "2025", "--due", "2025-06-30", "--date", "2025-04-01",
               "--item", "2024-24").exit_code == 0
    new = json.loads(cli("show", "2025-c24", "--plan", "2025", "-f", "json").stdout)[0]
    assert new["from"] == "2024-24"
    assert [(h["relation"], h["plan"], h["id"], h["status"]) for h in new["history"]] == [
        ("from", "2024", "2024-24", "in_progress")]
    assert [p["text"] for p in new["history"][0]["progress"]] == ["平台已上线试运行"]
    old = json.loads(cli("show", "2024-24", "-f", "json").stdout)[0]
    assert [(h["relation"], h["plan"], h["id"]) for h in old["history"]] == [("to", "2025", "2025-c24")]
    table = cli("show", "2025-c24", "--plan", "2025").stdout
    assert "跨年度记录" in table and "结转自 2024-24（2024 计划）：推进中" in table
    plain = json.loads(cli("show", "2024-11", "-f", "json").stdout)[0]
    assert "history" not in plain and "from" not in plain


# -- add and edit --------------------------------------------------------------------------------------

def test_add_appends_a_validated_item(project, cli):
    target = project / "data" / "plans" / "2025.yaml"
    result = cli("add", "--plan", "2025", "--title", "联合开展直播电商专项检查", "--measures",
                 "开展直播电商领域联合检查。（10月底前）", "--lead", "浙江省局", "--lead", "上海药监局",
                 "--dept", "网监条线", "--section", "四", "--task", "13", "--due", "10月底")
    assert result.exit_code == 0, result.stderr
    assert "新增事项 2025-13 联合开展直播电商专项检查" in result.stderr
    assert target.read_text(encoding="utf-8").startswith("# 2025 年合作事项清单（测试）\n")
    item = reread(target)["2025-13"]
    assert (item.seq, item.title, item.leads, item.departments, item.section, item.task) == (
        13, "联合开展直播电商专项检查", ["浙江省局", "上海市药监局"], ["网监条线"], 4, 13)
    assert [(m.due, m.text) for m in item.milestones] == [(dt.date(2025, 10, 31), "2025年10月底前")]
    assert ids(cli("list", "--plan", "2025", "-f", "json"))[-1] == "2025-13"


def test_add_refusals_write_nothing(project, cli):
    target = project / "data" / "plans" / "2025.yaml"
    before = target.read_bytes()
    base = ["add", "--plan", "2025", "--title", "T", "--measures", "M", "--dept", "D", "--section", "1"]
    unknown = cli(*base, "--lead", "浙江局", "--due", "2025-10-31")
    assert unknown.exit_code == 2 and unknown.stderr.startswith("workplan: 错误：未知单位“浙江局”；是否要找")
    outside = cli(*base, "--lead", "浙江省局", "--due", "2024-10-31")
    assert outside.exit_code == 1
    assert "未写入" in outside.stderr and "不在计划年度 2025 内" in outside.stderr
    taken = cli(*base, "--lead", "浙江省局", "--due", "2025-10-31", "--id", "2025-01")
    assert (taken.exit_code, taken.stderr) == (2, "workplan: 错误：--id：2025-01 已被本文件夹的计划使用\n")
    elsewhere = cli(*base, "--lead", "浙江省局", "--due", "2025-10-31", "--id", "2024-11")
    assert (elsewhere.exit_code, elsewhere.stderr) == (2, "workplan: 错误：--id：2024-11 已被本文件夹的计划使用\n")
    dry = cli(*base, "--lead", "浙江省局", "--due", "2025-10-31", "--dry-run")
    assert dry.exit_code == 0 and "+- id: 2025-13\n" in dry.stdout
    assert target.read_bytes() == before


def test_edit_changes_only_those_fields(project, cli):
    target = project / "data" / "plans" / "2025.yaml"
    before = target.read_text(encoding="utf-8")
    result = cli("edit", "2025-03", "--plan", "2025", "--field", "title=开展经营主体发展质量分析",
                 "--field", "leads=上海市局、浙江省局", "--field", "milestones.1.due=10月底",
                 "--field", "milestones.1.text=10月底前", "--field", "note=联席会议调整")
    assert result.exit_code == 0, result.stderr
    assert "修改事项 2025-03：title、leads、milestones.1.due、milestones.1.text、note" in result.stderr.replace("\n", "")
    item = reread(target)["2025-03"]
    assert (item.title, item.leads, item.note) == ("开展经营主体发展质量分析", ["上海市局", "浙江省局"], "联席会议调整")
    assert [(m.due, m.text) for m in item.milestones] == [(dt.date(2025, 10, 31), "10月底前")]
    after = target.read_text(encoding="utf-8")
    # This file writes lists as blocks (`leads:` then `- 浙江省局`): the new list replaces the block.
    import difflib

    old_lines, new_lines = before.splitlines(), after.splitlines()
    removed = [line for line in old_lines if line not in new_lines]
    added = [line for line in new_lines if line not in old_lines]
    start = old_lines.index("- id: 2025-03")
    assert removed == ["  title: 开展经营主体发展情况分析"]  # the other old lines recur in other items
    assert added == ["  title: 开展经营主体发展质量分析", "  leads: [上海市局, 浙江省局]", "  - due: 2025-10-31",
                     "    text: 10月底前", "  note: 联席会议调整"]
    leads = old_lines.index("  leads:", start)
    assert old_lines[leads + 1] == "  - 浙江省局" and new_lines[leads] == "  leads: [上海市局, 浙江省局]"
    assert old_lines[:start] == new_lines[:start]
    assert len(new_lines) == len(old_lines)  # two block lines became one, and note is one more
    same = cli("edit", "2025-03", "--plan", "2025", "--field", "note=联席会议调整")
    assert (same.exit_code, same.stderr) == (0, "2025-03 没有变化\n")


def test_edit_refusals_write_nothing(project, cli):
    target = project / "data" / "plans" / "2025.yaml"
    before = target.read_bytes()
    cases = [
        (["--field", "status=done"], 2, "workplan: 错误：2025-03: --field status：状态请用 workplan update ID --status 修改\n"),
        (["--field", "id=2025-99"], 2, "workplan: 错误：2025-03: --field id：编号保持不变：其他计划和进展记录都引用它\n"),
        (["--field", "seq=三"], 2, "workplan: 错误：2025-03: --field seq：三 不是数字\n"),
        (["--field", "milestones.2.due=2025-10-31"], 2, "workplan: 错误：2025-03: --field milestones.2.due：该事项只有 1 个时间节点\n"),
        (["--field", "title"], 2, "workplan: 错误：--field title：请写成 字段=值，例如 --field title=新的事项名称\n"),
    ]
    for args, code, message in cases:
        result = cli("edit", "2025-03", "--plan", "2025", *args)
        assert (result.exit_code, result.stderr) == (code, message)
    english = [
        (["--field", "seq=三"], "workplan: error: 2025-03: --field seq: 三 is not a number\n"),
        (["--field", "leads=火星"], "workplan: error: 2025-03: --field leads: unknown unit '火星'\n"),
    ]
    for args, message in english:
        result = cli("edit", "2025-03", "--plan", "2025", *args, "--lang", "en")
        assert (result.exit_code, result.stderr) == (2, message)
    unknown = cli("list", "--plan", "2099", "--lang", "en")
    assert unknown.stderr.startswith("workplan: error: --plan: no plan 2099; did you mean ")
    assert target.read_bytes() == before
    invalid = cli("edit", "2025-03", "--plan", "2025", "--field", "section=9")
    assert invalid.exit_code == 1
    assert invalid.stderr.startswith(f"workplan: 错误：{Path('data') / 'plans' / '2025.yaml'}：未写入："
                                     "这一改动会使登记表无效：")
    dry = cli("edit", "2025-03", "--plan", "2025", "--field", "title=新名称", "--dry-run")
    assert dry.exit_code == 0 and "+  title: 新名称\n" in dry.stdout
    assert target.read_bytes() == before


def test_an_item_without_a_deadline_is_added_and_carried_over_without_one(project, cli):
    added = cli("add", "--plan", "2024", "--title", "持续推进长三角标准互认", "--measures", "持续推进。",
                "--lead", "浙江省局", "--dept", "标准化条线", "--section", "3")
    assert added.exit_code == 0, added.stderr
    assert reread(project / "data" / "items.yaml")["2024-59"].milestones == []
    carried = cli("carry-over", "--from", "2024", "--to", "2025", "--due", "2025-06-30", "--date", "2025-04-01",
                  "--item", "2024-59")
    assert carried.exit_code == 0, carried.stderr
    item = reread(project / "data" / "plans" / "2025.yaml")["2025-c59"]
    assert (item.carried_from, item.milestones, item.section) == ("2024-59", [], 3)
    assert [p.text for p in item.progress] == ["由 2024 年计划结转（原事项 2024-59，原状态：未启动）；无时限"]
