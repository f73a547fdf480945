"""The shipped registry against the seed document, and the loader's strictness."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

import pytest

from conftest import FIXTURES, REGISTRY, ROOT, SEED
from workplan.core.codes import OrgKind, Status
from workplan.store.paths import find_registry, packaged_registry
from workplan.store.load import Problem, RegistryError, load_registry

# -- the registry is the seed ----------------------------------------------------------------------


def seed_rows() -> list[list[str]]:
    if not SEED.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"seed document missing at {SEED}")
        pytest.skip("seed document not available beside the checkout")
    text = SEED.read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if "\t" in line and not line.startswith("序号")]


def tidy(text: str) -> str:
    """The registry's documented clean-up of PDF artefacts, written independently of the data."""
    text = text.replace("(", "（").replace(")", "）")
    cjk = r"[\u4e00-\u9fff“”（）、，。；：]"
    text = re.sub(rf"(?<={cjk}) +(?={cjk})", "", text)
    text = re.sub(rf"(?<={cjk}),(?={cjk})", "，", text)
    return text.strip()


def test_counts(registry):
    assert len(registry.sections) == 6
    assert len(registry.tasks) == 25
    assert len(registry.items) == 59
    assert sum(len(item.milestones) for item in registry.items) == 60
    assert [t.number for t in registry.tasks] == list(range(1, 26))


def test_every_row_of_the_seed_table_is_in_the_registry(registry):
    rows = seed_rows()
    assert len(rows) == len(registry.items) == 59
    for (seq, title, measures, departments, leads), item in zip(rows, registry.items):
        assert item.seq == int(seq)
        assert item.title == tidy(title)
        assert item.measures == tidy(measures)
        assert item.departments_display == tidy(departments)
        assert item.leads == tidy(leads).split("、")


def test_every_deadline_in_the_measures_is_a_milestone(registry):
    for item in registry.items:
        printed = re.findall(r"(\d{1,2})月底前", item.measures)
        assert [m.due for m in item.milestones] == [_month_end(int(month)) for month in printed], item.id


def _month_end(month: int) -> dt.date:
    first_of_next = dt.date(2024 + month // 12, month % 12 + 1, 1)
    return first_of_next - dt.timedelta(days=1)


def test_item_numbered_36_twice_keeps_both_rows(registry):
    rows = [item for item in registry.items if item.seq == 36]
    assert [(i.id, i.title) for i in rows] == [
        ("2024-36", "完善长三角食品安全风险预警防控机制"),
        ("2024-36b", "建立长三角食品生产安全监管实训中心集群"),
    ]
    assert len({item.id for item in registry.items}) == 59


def test_item_18_has_two_milestones_each_with_its_measure(registry):
    item = next(i for i in registry.items if i.id == "2024-18")
    assert [(m.due, m.text) for m in item.milestones] == [
        (dt.date(2024, 9, 30), "9月底前"),
        (dt.date(2024, 12, 31), "12月底前"),
    ]
    assert item.milestones[0].measure == "举办产业计量技术创新挑战赛，邀请全国科研团队参与“揭榜挂帅”，共同突破制约产业发展的测量难题。"
    assert item.milestones[1].measure == "开展华东大区示波器校准仪检定装置计量比对。"


def test_spot_check_item_5_event_and_tentative(registry):
    item = next(i for i in registry.items if i.id == "2024-05")
    assert item.title == "建立长三角跨区域、跨部门联合检查协作机制"
    assert item.departments == ["信用监管条线"]
    assert item.leads == ["浙江省局"]
    assert (item.section, item.task, item.status) == (1, 3, Status.not_started)
    (milestone,) = item.milestones
    assert milestone.due == dt.date(2024, 12, 31)
    assert milestone.tentative is True
    assert milestone.event == "2024年长三角市场监管联席会议"
    assert milestone.event_text == "拟于2024年长三角市场监管联席会议上签约"


def test_spot_check_item_48_tentative_deadline(registry):
    item = next(i for i in registry.items if i.id == "2024-48")
    (milestone,) = item.milestones
    assert (milestone.due, milestone.text, milestone.tentative, milestone.event) == (
        dt.date(2024, 11, 30), "拟于2024年11月底前发布", True, None)


def test_spot_check_items_with_organisations_as_departments(registry):
    by_id = {i.id: i for i in registry.items}
    assert by_id["2024-36b"].departments == ["食品生产条线", "嘉善县局"]
    assert by_id["2024-55"].departments == ["青浦区局", "吴江区局", "嘉善县局"]
    assert by_id["2024-55"].leads == ["上海市局"]
    assert by_id["2024-37"].departments == ["药品监管条线", "医疗器械监管条线", "化妆品监管条线"]
    assert by_id["2024-37"].departments_text == "药品监管、医疗器械监管、化妆品监管条线分别负责"
    assert by_id["2024-56"].leads == ["江苏省局", "安徽省局"]
    assert (by_id["2024-56"].section, by_id["2024-56"].task) == (6, None)
    assert (by_id["2024-58"].section, by_id["2024-58"].task) == (5, 19)


def test_alias_and_group(registry):
    assert registry.org("上海药监局").name == "上海市药监局"
    item_37 = next(i for i in registry.items if i.id == "2024-37")
    assert item_37.leads == ["上海药监局"]  # kept as printed
    assert registry.item_lead_names(item_37) == ["上海市药监局"]
    group = registry.org("三省一市局")
    assert group.kind == OrgKind.group
    assert group.members == ["上海市局", "江苏省局", "浙江省局", "安徽省局"]
    assert {o.name for o in registry.organisations if o.kind == OrgKind.county_bureau} == {
        "嘉善县局", "青浦区局", "吴江区局", "郎溪县局"}


def test_every_task_and_section_title_matches_the_seed(registry):
    text = SEED.read_text(encoding="utf-8") if SEED.is_file() else pytest.skip("no seed")
    for task in registry.tasks:
        assert f"{task.number}." in text
        assert task.text.startswith(task.title + "。")
    assert [s.title for s in registry.sections] == [
        "协同联建一流营商环境", "共同维护公平竞争市场秩序", "强化质量支撑标准引领",
        "助力特色产业高质量发展", "强化一体化监管服务能力", "推进毗邻区域能域市场监管一体化"]


def test_plan_header(registry):
    plan = registry.plan
    assert (plan.doc_number, plan.issued, plan.year) == ("浙市监综〔2024〕1号", dt.date(2024, 3, 29), 2024)
    assert [s.title for s in plan.safeguards] == ["加强组织协调", "抓好督促落实", "优化宣传引导"]


# -- every error kind, with its position ------------------------------------------------------------

INVALID = FIXTURES / "invalid"


@pytest.mark.parametrize(
    "name, expected",
    [
        ("bad_date.yaml", [(50, 14, "'2024-02-30' is not a valid date")]),
        ("duplicate_key.yaml", [(43, 5, "duplicate key 'seq'")]),
        ("python_tag.yaml", [(43, 12, "python/object/apply:os.system' is not allowed")]),
        ("yaml11_no.yaml", [(45, 19, 'NO is read by YAML as a true/false value (False), not text; put it in quotes: "NO"')]),
        ("yaml11_octal.yaml", [(43, 12, "0123 is read by YAML as a number (83)")]),
        ("yaml11_sexagesimal.yaml", [(51, 15, "12:30 is read by YAML as a number (750)")]),
        ("unknown_lead.yaml", [(46, 13, "unknown organisation '浙江省级局' (did you mean 浙江省局")]),
        ("task_section_mismatch.yaml", [(47, 14, "no section 2"), (48, 11, "task 1 belongs to section 1")]),
        ("outside_year.yaml", [(50, 14, "due date 2025-09-30 is outside the plan year 2024"),
                               (50, 14, "the deadline says '9月底前' (2024-09-30) but due is 2025-09-30")]),
        ("duplicate_id.yaml", [(41, 9, "duplicate id '2024-01'"),
                               (41, 9, "id 2024-01 does not agree with its 序号 2 (expected 2024-02)")]),
        ("unknown_field.yaml", [(43, 12, "2024-02.owner: unknown field")]),
        ("missing_field.yaml", [(41, 5, "missing required field 'measures'")]),
        ("missing_milestones.yaml", [(41, 5, "missing required field 'milestones'")]),
        ("syntax_error.yaml", [(44, 13, "did not find expected ',' or ']'")]),
        ("alias_bomb.yaml", [(1, 4, "aliases (*name) are not allowed")]),
        ("binary.yaml", [(2, 7, "not UTF-8 text")]),
        ("not_a_mapping.yaml", [(1, 1, "expected a mapping")]),
        ("empty.yaml", [(None, None, "file is empty")]),
        ("future_report.yaml", [(52, 18, "completed 2099-09-20, in the future"),
                                (55, 15, "report dated 2099-09-20, in the future")]),
        ("several_errors.yaml", [
            (35, 13, "unknown organisation '三省一市' (did you mean 三省一市局?)"),
            (42, 10, "2024-02.seq: '二' is not a whole number; write it in digits (1, 2, 30)"),
            (50, 14, "'2024-02-30' is not a valid date"),
        ]),
    ],
)
def test_invalid_registry_reports_every_problem_with_its_position(name, expected):
    with pytest.raises(RegistryError) as caught:
        load_registry(INVALID / name)
    got = [(p.line, p.col, p.words("en")) for p in caught.value.problems]
    assert len(got) == len(expected), got
    for (line, col, message), (want_line, want_col, fragment) in zip(got, expected):
        assert (line, col) == (want_line, want_col), got
        assert fragment in message, message


def test_problem_prints_as_path_line_col():
    assert str(Problem(Path("data/items.yaml"), 12, 5, "bad")) == "data/items.yaml:12:5: bad"


def test_directory_missing_and_oversized_files(tmp_path, monkeypatch):
    for path, fragment in [(tmp_path, "is a directory"), (tmp_path / "nope.yaml", "no such file")]:
        with pytest.raises(RegistryError) as caught:
            load_registry(path)
        assert fragment in caught.value.problems[0].text("en")
    monkeypatch.setenv("WORKPLAN_MAX_BYTES", "1000")
    with pytest.raises(RegistryError) as caught:
        load_registry(REGISTRY)
    assert "over the 1,000-byte limit (set WORKPLAN_MAX_BYTES to raise it)" in caught.value.problems[0].words("en")
    assert "超过 1,000 字节的上限（可设置 WORKPLAN_MAX_BYTES 提高上限）" in caught.value.problems[0].words("zh")


# -- the validate command ----------------------------------------------------------------------------


def test_validate_shipped_registry(cli):
    result = cli("validate", REGISTRY)
    assert result.exit_code == 0
    assert result.stdout.strip().endswith("有效 — 6 个部分、25 项主要任务、59 项事项、60 个时间节点、16 个单位")


def test_validate_several_paths_prints_every_error_and_exits_1(cli):
    result = cli("validate", REGISTRY, INVALID / "several_errors.yaml", INVALID / "bad_date.yaml", "--lang", "en")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines[:4] == [
        f"{INVALID / 'several_errors.yaml'}:35:13: 2024-01.leads[0]: unknown organisation '三省一市' "
        "(did you mean 三省一市局?); add it under organisations or as an alias",
        f"{INVALID / 'several_errors.yaml'}:42:10: 2024-02.seq: '二' is not a whole number; write it in digits (1, 2, 30)",
        f"{INVALID / 'several_errors.yaml'}:50:14: 2024-02.milestones[0].due: '2024-02-30' is not a valid date "
        "(day value is outside expected range); write YYYY-MM-DD",
        f"{INVALID / 'bad_date.yaml'}:50:14: 2024-02.milestones[0].due: '2024-02-30' is not a valid date "
        "(day value is outside expected range); write YYYY-MM-DD",
    ]
    assert lines[-1] == "4 problem(s) in 2 file(s)"
    assert "Traceback" not in result.stderr


def test_validate_json(cli):
    result = cli("validate", REGISTRY, INVALID / "duplicate_key.yaml", "--format", "json", "--lang", "en")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert [r["valid"] for r in report] == [True, False]
    assert report[0]["counts"] == {"sections": 6, "tasks": 25, "items": 59, "milestones": 60, "organisations": 16}
    assert report[1]["problems"] == [{"path": str(INVALID / "duplicate_key.yaml"), "line": 43, "column": 5,
                                      "message": "duplicate key 'seq'"}]


@pytest.mark.parametrize("name", sorted(p.name for p in INVALID.glob("*.yaml")))
def test_no_bad_file_gives_a_traceback(cli, name):
    result = cli("list", "--data", INVALID / name)
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"workplan: 错误：{INVALID / name}")


def test_missing_registry_is_one_line(cli, tmp_path):
    result = cli("list", "--data", tmp_path / "missing.yaml")
    assert (result.exit_code, result.stderr) == (1, f"workplan: 错误：{tmp_path / 'missing.yaml'}: 没有这个文件\n")


# -- schema and location -------------------------------------------------------------------------------


def test_committed_schema_matches_the_models(cli):
    result = cli("schema")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == json.loads((ROOT / "schema" / "items.schema.json").read_text(encoding="utf-8"))


def test_schema_has_chinese_titles_and_registry_points_to_it():
    schema = json.loads((ROOT / "schema" / "items.schema.json").read_text(encoding="utf-8"))
    item = schema["$defs"]["Item"]["properties"]
    assert (item["title"]["title"], item["leads"]["title"], item["measures"]["title"]) == (
        "合作事项", "牵头单位", "年度主要举措及时间节点")
    first_line = REGISTRY.read_text(encoding="utf-8").splitlines()[0]
    assert first_line == "# yaml-language-server: $schema=../schema/items.schema.json"
    assert (REGISTRY.parent / "../schema/items.schema.json").resolve().is_file()


def test_registry_location_order(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert find_registry(None) == packaged_registry()
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "items.yaml").write_text("x", encoding="utf-8")
    assert find_registry(None) == Path("data/items.yaml")
    monkeypatch.setenv("WORKPLAN_DATA", "/elsewhere.yaml")
    assert find_registry(None) == Path("/elsewhere.yaml")
    assert find_registry("given.yaml") == Path("given.yaml")


def test_packaged_registry_is_the_shipped_data():
    assert packaged_registry().read_bytes() == REGISTRY.read_bytes()


def test_pre_commit_hook_definition():
    import yaml

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hooks[0]["id"] == "workplan-validate"
    assert hooks[0]["entry"] == "workplan validate"
