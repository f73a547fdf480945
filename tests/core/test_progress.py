"""Progress tracking: status transitions, update validation and round trips, the log, the lights.

Expected sets are worked out by hand from the seed's attachment table: deadlines other than
12月底前 are 8月底前 (seq 11), 9月底前 (9, 18 first milestone, 25, 54), 10月底前 (24, 53) and
11月底前 (40, 41, 42, 43, 45, 48); seq 54 is led by 浙江省局 and 嘉兴市局, seq 18 by 上海市局.
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
import json

import pytest
from conftest import REGISTRY

from workplan.core.board import lights_by_item
from workplan.core.history import registry_as_of
from workplan.present.columns import light_column
from workplan.store import writer
from workplan.core.codes import Status
from workplan.core.rules import ALLOWED_TRANSITIONS
from workplan.core.update import UpdateRefused, UpdateRequest, plan_update
from workplan.core.query import item_light
from workplan.core.codes import Light
from workplan.store.load import RegistryError, load_registry

S = Status
AS_OF = ["--as-of", "2024-10-08"]


def item_of(reg, item_id):
    return next(i for i in reg.items if i.id == item_id)


def changed_lines(old: str, new: str) -> tuple[list[str], list[str]]:
    removed, added = [], []
    for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0):
        if not line.startswith(("---", "+++", "@@")):
            (removed if line[0] == "-" else added).append(line[1:])
    return removed, added


# -- the transition table -----------------------------------------------------------------------------

EXPECTED_ALLOWED = {
    (S.not_started, S.not_started), (S.not_started, S.in_progress), (S.not_started, S.delayed),
    (S.not_started, S.done), (S.not_started, S.cancelled),
    (S.in_progress, S.in_progress), (S.in_progress, S.delayed), (S.in_progress, S.done), (S.in_progress, S.cancelled),
    (S.delayed, S.delayed), (S.delayed, S.in_progress), (S.delayed, S.done), (S.delayed, S.cancelled),
    (S.done, S.done),
    (S.cancelled, S.cancelled),
}


@pytest.mark.parametrize("old, new", list(itertools.product(Status, Status)))
def test_every_transition(registry, old, new):
    item = item_of(registry, "2024-24")
    milestones = [m.model_copy(update={"done_on": dt.date(2024, 9, 1)}) for m in item.milestones] if old == S.done else item.milestones
    item = item.model_copy(update={"status": old, "milestones": milestones})
    request = UpdateRequest(status=new, note="进展", date=dt.date(2024, 9, 20))
    assert ((old, new) in EXPECTED_ALLOWED) == (new in ALLOWED_TRANSITIONS[old])
    if (old, new) in EXPECTED_ALLOWED:
        plan = plan_update(registry, item, request, as_of=dt.date(2024, 10, 1))
        assert plan.new_status == new and "forced" not in plan.entry
    else:
        with pytest.raises(UpdateRefused, match="--force"):
            plan_update(registry, item, request, as_of=dt.date(2024, 10, 1))
        request.force = True
        plan = plan_update(registry, item, request, as_of=dt.date(2024, 10, 1))
        assert plan.new_status == new and plan.entry["forced"] is True


# -- update through the CLI: round trips ---------------------------------------------------------------

def test_update_status_round_trip(cli, registry_copy):
    old = registry_copy.read_text(encoding="utf-8")
    r = cli("update", "24", "--status", "推进中", "--note", "平台已上线试运行", "--by", "浙江省局",
            "--date", "2024-09-20", "--evidence", "浙市监网〔2024〕12号", "--data", registry_copy, *AS_OF)
    assert r.exit_code == 0, r.stderr
    assert r.stdout == ""
    assert "未启动 → 推进中" in r.stderr
    new = registry_copy.read_text(encoding="utf-8")
    assert changed_lines(old, new) == (["    status: not_started"], [
        "    status: in_progress",
        "    progress:",
        "      - date: 2024-09-20",
        "        by: 浙江省局",
        "        status: in_progress",
        "        text: 平台已上线试运行",
        "        evidence: 浙市监网〔2024〕12号",
    ])
    assert not (registry_copy.parent / "items.yaml.lock").exists()
    assert cli("validate", registry_copy).exit_code == 0
    item = item_of(load_registry(registry_copy), "2024-24")
    assert item.status == S.in_progress
    assert [(p.date, p.by, p.status, p.text, p.evidence) for p in item.progress] == [
        (dt.date(2024, 9, 20), "浙江省局", S.in_progress, "平台已上线试运行", "浙市监网〔2024〕12号")]


def test_update_milestone_done_round_trip(cli, registry_copy):
    old = registry_copy.read_text(encoding="utf-8")
    r = cli("update", "2024-18", "--milestone", "1", "--done", "--date", "2024-09-20", "--data", registry_copy, *AS_OF)
    assert r.exit_code == 0, r.stderr
    new = registry_copy.read_text(encoding="utf-8")
    assert changed_lines(old, new) == (["    status: not_started"], [
        "        done_on: 2024-09-20",
        "    status: in_progress",
        "    progress:",
        "      - date: 2024-09-20",
        "        by: 上海市局",  # the item's only lead unit reports by default
        "        status: in_progress",
        "        text: 时间节点1（9月底前）已完成；状态由未启动改为推进中",
        "        milestone: 1",
    ])
    # comments are all still there
    comment = lambda text: [line for line in text.splitlines() if line.lstrip().startswith("#")]  # noqa: E731
    assert comment(new) == comment(old)
    # the second milestone completes the item
    r = cli("update", "18", "--milestone", "2", "--done", "--date", "2024-10-08", "--data", registry_copy, *AS_OF)
    assert r.exit_code == 0, r.stderr
    item = item_of(load_registry(registry_copy), "2024-18")
    assert item.status == S.done
    assert [m.done_on for m in item.milestones] == [dt.date(2024, 9, 20), dt.date(2024, 10, 8)]
    assert [p.status for p in item.progress] == [S.in_progress, S.done]


def test_status_done_marks_open_milestones(cli, registry_copy):
    r = cli("update", "2024-18", "--status", "已完成", "--date", "2024-10-02", "--data", registry_copy, *AS_OF)
    assert r.exit_code == 0, r.stderr
    item = item_of(load_registry(registry_copy), "2024-18")
    assert item.status == S.done
    assert [m.done_on for m in item.milestones] == [dt.date(2024, 10, 2)] * 2


@pytest.mark.parametrize("text", ["in_progress", "推进中", "in progress", "IN_PROGRESS"])
def test_status_accepted_as_code_or_label(cli, registry_copy, text):
    r = cli("update", "2024-24", "--status", text, "--data", registry_copy, *AS_OF)
    assert r.exit_code == 0, r.stderr
    assert item_of(load_registry(registry_copy), "2024-24").status == S.in_progress


def test_alias_reporter_is_stored_canonically(cli, registry_copy):
    r = cli("update", "2024-31", "--note", "评价报告初稿完成", "--by", "上海药监局", "--data", registry_copy, *AS_OF)
    assert r.exit_code == 0, r.stderr
    entry = item_of(load_registry(registry_copy), "2024-31").progress[0]
    assert (entry.by, entry.status, entry.date) == ("上海市药监局", S.not_started, dt.date(2024, 10, 8))


def test_forced_reopen_is_recorded_and_valid(cli, registry_copy):
    assert cli("update", "24", "--status", "done", "--date", "2024-09-30", "--data", registry_copy, *AS_OF).exit_code == 0
    before = registry_copy.read_bytes()
    r = cli("update", "24", "--status", "推进中", "--note", "复核发现问题", "--data", registry_copy, *AS_OF)
    assert r.exit_code == 2
    assert "状态不能由 已完成（done）改为 推进中（in_progress）" in r.stderr and "--force" in r.stderr
    assert registry_copy.read_bytes() == before
    r = cli("update", "24", "--status", "推进中", "--note", "复核发现问题", "--force", "--data", registry_copy, *AS_OF)
    assert r.exit_code == 0, r.stderr
    assert "        forced: true" in registry_copy.read_text(encoding="utf-8").splitlines()
    assert cli("validate", registry_copy).exit_code == 0
    item = item_of(load_registry(registry_copy), "2024-24")
    assert [(p.status, p.forced) for p in item.progress] == [(S.done, False), (S.in_progress, True)]


def test_dry_run_writes_nothing(cli, registry_copy):
    before = registry_copy.read_bytes()
    r = cli("update", "24", "--status", "延期", "--note", "需求调整", "--dry-run", "--data", registry_copy, *AS_OF)
    assert r.exit_code == 0, r.stderr
    assert "-    status: not_started\n+    status: delayed\n" in r.stdout
    assert "试运行，未写入" in r.stderr
    assert registry_copy.read_bytes() == before


# -- update: every refusal leaves the file byte-identical -------------------------------------------

@pytest.mark.parametrize("args, code, message", [
    (["36", "--note", "x"], 2, "序号 36 对应多个事项：2024-36（完善长三角食品安全风险预警防控机制）、2024-36b（建立长三角食品生产安全监管实训中心集群）；请改用编号"),
    (["99", "--note", "x"], 2, "没有事项“99”"),
    (["24"], 2, "没有要更新的内容"),
    (["24", "--note", "x", "--date", "2024-10-09"], 2, "日期 2024-10-09 晚于今天（2024-10-08）"),
    (["24", "--note", "x", "--date", "2024-03-28"], 2, "日期 2024-03-28 早于工作要点印发日期（2024-03-29）"),
    (["24", "--note", "x", "--date", "2024-13-01"], 2, "--date：无法识别的日期“2024-13-01”（月份应为 1 至 12）"),
    (["24", "--note", "x", "--by", "北京市局"], 2, "未知单位“北京市局”"),
    (["21", "--note", "x"], 2, "有多个牵头单位（上海市局、浙江省局）；请用 --by 说明由谁报送"),
    (["24", "--status", "finished"], 2, "未知状态“finished”"),
    (["18", "--milestone", "3", "--done"], 2, "共有 2 个时间节点；--milestone 应为 1 至 2"),
    (["24", "--milestone", "2", "--note", "x"], 2, "只有 1 个时间节点；--milestone 只能为 1"),
    (["24", "--status", "未启动"], 0, ""),  # repeating the status is a note, not a change
])
def test_update_refusals(cli, registry_copy, args, code, message):
    before = registry_copy.read_bytes()
    r = cli("update", *args, "--data", registry_copy, *AS_OF)
    assert r.exit_code == code, r.stderr
    if code:
        assert message in r.stderr
        assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
        assert registry_copy.read_bytes() == before


def test_report_before_the_latest_is_refused(cli, registry_copy):
    assert cli("update", "24", "--note", "第一次", "--date", "2024-09-20", "--data", registry_copy, *AS_OF).exit_code == 0
    before = registry_copy.read_bytes()
    r = cli("update", "24", "--note", "补报", "--date", "2024-09-19", "--data", registry_copy, *AS_OF)
    assert r.exit_code == 2 and "早于该事项最近一次报送（2024-09-20）" in r.stderr
    assert registry_copy.read_bytes() == before


def test_milestone_already_done_needs_force(cli, registry_copy):
    assert cli("update", "18", "--milestone", "1", "--done", "--date", "2024-09-20", "--data", registry_copy, *AS_OF).exit_code == 0
    before = registry_copy.read_bytes()
    r = cli("update", "18", "--milestone", "1", "--done", "--date", "2024-09-21", "--data", registry_copy, *AS_OF)
    assert r.exit_code == 2 and "已于 2024-09-20 完成" in r.stderr
    assert registry_copy.read_bytes() == before
    r = cli("update", "18", "--milestone", "1", "--done", "--date", "2024-09-21", "--force", "--data", registry_copy, *AS_OF)
    assert r.exit_code == 0, r.stderr
    assert item_of(load_registry(registry_copy), "2024-18").milestones[0].done_on == dt.date(2024, 9, 21)


def test_concurrent_change_is_detected(cli, registry_copy, monkeypatch):
    real = writer.load_with_digest

    def load_then_someone_edits(path, **options):
        loaded = real(path, **options)
        with open(path, "a", encoding="utf-8") as handle:
            handle.write("# edited elsewhere meanwhile\n")
        return loaded

    monkeypatch.setattr(writer, "load_with_digest", load_then_someone_edits)
    r = cli("update", "24", "--note", "x", "--data", registry_copy, *AS_OF)
    assert r.exit_code == 1
    assert r.stderr == f"workplan: 错误：{registry_copy}：读取之后文件已被改动；未写入任何内容，请重新运行命令\n"
    text = registry_copy.read_text(encoding="utf-8")
    assert text.endswith("# edited elsewhere meanwhile\n") and "progress:" not in text


def test_held_lock_blocks_update(cli, registry_copy, monkeypatch):
    from filelock import FileLock

    from workplan.store import writer

    monkeypatch.setattr(writer, "LOCK_WAIT_SECONDS", 0.2)
    before = registry_copy.read_bytes()
    with FileLock(registry_copy.parent / "items.yaml.lock"):
        r = cli("update", "24", "--note", "x", "--data", registry_copy, *AS_OF)
    assert r.exit_code == 1
    assert r.stderr == (f"workplan: 错误：{registry_copy}：另一个 workplan 更新仍在写入（已等待 0.2 秒 items.yaml.lock）；"
                        "未写入任何内容，请稍后再试\n")
    assert registry_copy.read_bytes() == before


# -- registry rules for the history (core.rules) ------------------------------------------------------

def entry(date, status, by="浙江省局", **extra):
    return {"date": dt.date.fromisoformat(date), "by": by, "status": status, "text": "进展", **extra}


def broken(registry_copy, edits):
    """The registry with edits applied WITHOUT the writer's validation, loaded."""
    text = writer.edit_text(registry_copy.read_text(encoding="utf-8"), edits)
    registry_copy.write_text(text, encoding="utf-8")
    return load_registry(registry_copy)


W = writer.AppendProgress
E = writer.Edit


@pytest.mark.parametrize("edits, message", [
    ([W("2024-24", entry("2024-09-20", "in_progress")), W("2024-24", entry("2024-09-01", "in_progress")),
      E("2024-24", ("status",), "in_progress")],
     "2024-24.progress[1].date: report dated 2024-09-01 is before the previous report (2024-09-20)"),
    ([W("2024-24", entry("2024-09-20", "done")), W("2024-24", entry("2024-09-21", "in_progress")),
      E("2024-24", ("status",), "in_progress")],
     "2024-24.progress[1].status: 状态不能由 已完成（done）改为 推进中（in_progress）"),
    ([W("2024-24", entry("2024-09-20", "done")), E("2024-24", ("status",), "in_progress")],
     "2024-24.status: status in progress (in_progress) does not follow the last progress report (done (done))"),
    ([E("2024-24", ("status",), "done")],
     "2024-24.status: a done item needs a completion date"),
    ([W("2024-24", entry("2024-09-20", "in_progress", milestone=2)), E("2024-24", ("status",), "in_progress")],
     "2024-24.progress[0].milestone: no milestone 2: the item has 1"),
    ([E("2024-24", ("milestones", 0, "done_on"), dt.date(2024, 3, 1))],
     "2024-24.milestones[0].done_on: completed 2024-03-01, before the plan was issued (2024-03-29)"),
    ([W("2024-24", entry("2024-09-20", "in_progress", by="北京市局"))],
     "2024-24.progress[0].by: unknown organisation '北京市局'"),
    ([W("2024-24", entry("2024-03-01", "not_started"))],
     "2024-24.progress[0].date: report dated 2024-03-01, before the plan was issued"),
])
def test_history_rules(registry_copy, edits, message):
    with pytest.raises(RegistryError) as caught:
        broken(registry_copy, edits)
    texts = [p.text("en") + p.text("zh") for p in caught.value.problems]
    assert any(message in text for text in texts), texts
    line = next(p for p in caught.value.problems if message in p.text("en") + p.text("zh")).line
    assert line is not None  # located in the file


@pytest.mark.parametrize("edits", [
    [W("2024-24", entry("2024-09-20", "done")), W("2024-24", entry("2024-09-21", "in_progress", forced=True)),
     E("2024-24", ("status",), "in_progress")],
    [E("2024-24", ("milestones", 0, "done_on"), dt.date(2024, 9, 30)), E("2024-24", ("status",), "done")],
    [W("2024-24", entry("2024-09-20", "done")), E("2024-24", ("status",), "done")],
    [W("2024-24", entry("2024-09-20", "in_progress")), E("2024-24", ("status",), "delayed")],  # status-only change
])
def test_valid_histories(registry_copy, edits):
    broken(registry_copy, edits)


# -- the log -------------------------------------------------------------------------------------------

@pytest.fixture
def logged(cli, registry_copy):
    for args in (
        ["24", "--status", "推进中", "--note", "平台已上线试运行", "--date", "2024-09-20"],
        ["53", "--note", "方案已印发", "--date", "2024-09-20"],
        ["24", "--note", "完成联调", "--date", "2024-10-05", "--evidence", "会议纪要"],
        ["9", "--status", "延期", "--note", "待联席会议审议", "--date", "2024-09-28"],
    ):
        r = cli("update", *args, "--data", registry_copy, *AS_OF)
        assert r.exit_code == 0, r.stderr
    return registry_copy


def test_log_newest_first(cli, logged):
    r = cli("log", "--data", logged, "-f", "json")
    assert r.exit_code == 0, r.stderr
    rows = json.loads(r.stdout)
    assert [(x["date"], x["id"], x["text"]) for x in rows] == [
        ("2024-10-05", "2024-24", "完成联调"),
        ("2024-09-28", "2024-09", "待联席会议审议"),
        ("2024-09-20", "2024-24", "平台已上线试运行"),
        ("2024-09-20", "2024-53", "方案已印发"),
    ]
    assert rows[0] == {"date": "2024-10-05", "id": "2024-24", "seq": 24, "title": "打造长三角网络交易案件协查交互平台",
                       "by": "浙江省局", "status": "in_progress", "text": "完成联调", "evidence": "会议纪要",
                       "milestone": None, "forced": False, "amends": None, "withdraws": False}


def test_log_filters(cli, logged):
    one = json.loads(cli("log", "24", "--data", logged, "-f", "json").stdout)
    assert [x["text"] for x in one] == ["完成联调", "平台已上线试运行"]
    since = json.loads(cli("log", "--since", "2024-09-21", "--data", logged, "-f", "json").stdout)
    assert [x["id"] for x in since] == ["2024-24", "2024-09"]
    shanghai = json.loads(cli("log", "--lead", "上海市局", "--data", logged, "-f", "json").stdout)
    assert [x["id"] for x in shanghai] == ["2024-09"]
    r = cli("log", "--data", logged, "-f", "csv", "--lang", "en")
    assert r.stdout.splitlines()[0] == "\ufeffDate,No.,ID,Item,Reported by,Status,Progress,Evidence"
    assert r.stdout.splitlines()[2] == "2024-09-28,9,2024-09,建立长三角地区重点领域、重点行业公平竞争审查规则,上海市局,delayed,待联席会议审议,"
    empty = cli("log", "--data", REGISTRY)
    assert empty.exit_code == 0 and empty.stdout == "" and "没有进展记录" in empty.stderr


# -- traffic lights --------------------------------------------------------------------------------------

def ids_with(registry, light, as_of, warn_days=15):
    return {i.id for i in registry.items if item_light(i, dt.date.fromisoformat(as_of), warn_days) == light}


SEPT = {"2024-09", "2024-18", "2024-25", "2024-54"}
OCT = {"2024-24", "2024-53"}
NOV = {"2024-40", "2024-41", "2024-42", "2024-43", "2024-45", "2024-48"}


@pytest.mark.parametrize("as_of, warn, red, yellow", [
    ("2024-08-15", 15, set(), set()),
    ("2024-08-16", 15, set(), {"2024-11"}),
    ("2024-08-31", 15, set(), {"2024-11"}),  # due today is not yet late
    ("2024-09-01", 15, {"2024-11"}, set()),
    ("2024-09-16", 15, {"2024-11"}, SEPT),
    ("2024-10-01", 15, {"2024-11"} | SEPT, set()),
    ("2024-10-20", 15, {"2024-11"} | SEPT, OCT),
    ("2024-10-20", 45, {"2024-11"} | SEPT, OCT | NOV),
    ("2024-10-20", 0, {"2024-11"} | SEPT, set()),
    ("2024-12-17", 15, {"2024-11"} | SEPT | OCT | NOV, "ALL_OTHERS"),
])
def test_lights_at_fixed_dates(registry, as_of, warn, red, yellow):
    all_ids = {i.id for i in registry.items}
    assert len(all_ids) == 59
    if yellow == "ALL_OTHERS":
        yellow = all_ids - red
    assert ids_with(registry, Light.red, as_of, warn) == red
    assert ids_with(registry, Light.yellow, as_of, warn) == yellow
    assert ids_with(registry, Light.green, as_of, warn) == all_ids - red - yellow


def test_done_and_cancelled_lights(cli, registry_copy):
    assert cli("update", "11", "--status", "已完成", "--date", "2024-09-10", "--data", registry_copy, *AS_OF).exit_code == 0
    assert cli("update", "25", "--status", "取消", "--note", "并入第24项", "--date", "2024-09-10", "--data", registry_copy, *AS_OF).exit_code == 0
    assert cli("update", "18", "--milestone", "1", "--done", "--date", "2024-09-10", "--data", registry_copy, *AS_OF).exit_code == 0
    reg = load_registry(registry_copy)
    assert ids_with(reg, Light.done, "2024-10-01") == {"2024-11"}
    assert ids_with(reg, Light.cancelled, "2024-10-01") == {"2024-25"}
    assert ids_with(reg, Light.red, "2024-10-01") == {"2024-09", "2024-54"}  # 18's late milestone is done
    # as of before the reports, the registry as it stood shows them open again
    view = registry_as_of(reg, dt.date(2024, 9, 5))
    assert ids_with(view, Light.red, "2024-09-05") == {"2024-11"}
    assert ids_with(view, Light.done, "2024-09-05") == set()


def board(cli, *args):
    r = cli("status", *args, "-f", "json")
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def test_status_board_per_lead_unit(cli):
    data = board(cli, "--as-of", "2024-10-01")
    assert data["as_of"] == "2024-10-01" and data["warn_days"] == 15
    rows = {r["unit"]: (r["red"], r["yellow"], r["green"], r["done"], r["cancelled"], r["total"]) for r in data["board"]}
    # totals: the unit's own items plus the six 三省一市局 items for each member
    assert rows == {
        "上海市局": (2, 0, 19, 0, 0, 21),
        "江苏省局": (0, 0, 8, 0, 0, 8),
        "浙江省局": (3, 0, 34, 0, 0, 37),
        "安徽省局": (0, 0, 11, 0, 0, 11),
        "上海市药监局": (0, 0, 3, 0, 0, 3),
        "浙江省药监局": (0, 0, 3, 0, 0, 3),
        "嘉兴市局": (1, 0, 1, 0, 0, 2),
    }
    assert [r["unit"] for r in data["board"]] == ["上海市局", "江苏省局", "浙江省局", "安徽省局", "上海市药监局", "浙江省药监局", "嘉兴市局"]
    assert [(a["light"], a["id"], a["due"], a["days_left"]) for a in data["attention"]] == [
        # red by how late, most late first (then by 序号)
        ("red", "2024-11", "2024-08-31", -31), ("red", "2024-09", "2024-09-30", -1), ("red", "2024-18", "2024-09-30", -1),
        ("red", "2024-25", "2024-09-30", -1), ("red", "2024-54", "2024-09-30", -1),
    ]


def test_status_board_filters_and_warn_days(cli):
    data = board(cli, "--as-of", "2024-10-20", "--warn-days", "45", "--lead", "安徽省局")
    assert [(r["unit"], r["red"], r["yellow"], r["green"], r["total"]) for r in data["board"]] == [("安徽省局", 0, 1, 10, 11)]
    assert [(a["light"], a["id"]) for a in data["attention"]] == [("yellow", "2024-42")]
    group = board(cli, "--as-of", "2024-10-20", "--lead", "三省一市局", "--direct")
    assert [r["unit"] for r in group["board"]] == ["上海市局", "江苏省局", "浙江省局", "安徽省局"]
    assert {r["total"] for r in group["board"]} == {6}


def test_status_board_formats(cli):
    md = cli("status", "--as-of", "2024-09-16", "-f", "md")
    assert md.exit_code == 0
    assert "| 浙江省局 | 1 | 2 | 34 | 0 | 0 | 37 |" in md.stdout
    assert "| 黄灯 | 54 | 发布示范区智能制造企业商业秘密保护工作规范团体标准 | 浙江省局、嘉兴市局 | 2024-09-30 | 还剩 14 天 | 未启动 |" in md.stdout
    csv = cli("status", "--as-of", "2024-09-16", "-f", "csv", "--lang", "en")
    assert csv.stdout.splitlines()[0] == "\ufeffLead unit,overdue,due soon,on track,done,cancelled,Total"
    table = cli("status", "--as-of", "2024-09-16")
    assert table.exit_code == 0 and "红灯、黄灯事项" in table.stdout and "上海市药监局" in table.stdout
    bad = cli("status", "--warn-days", "-1")
    assert bad.exit_code == 2


def test_light_column_helper(registry):
    lights = lights_by_item(registry.items, dt.date(2024, 9, 16))
    column = light_column("zh")
    assert column.key == "light" and column.header("zh") == "灯号"
    assert column.cell({"light": lights["2024-11"].value}) == "红灯"
    assert light_column("en").cell({"light": lights["2024-09"].value}) == "due soon"


def test_an_update_dated_by_as_of_is_checked_against_that_day_not_the_clock(cli, registry_copy):
    # planning and validation take the same today: a later --as-of is not refused as "in the future"
    result = cli("update", "2024-24", "--note", "推进", "--by", "浙江省局", "--date", "2030-06-01",
                 "--as-of", "2030-06-02", "--data", str(registry_copy))
    assert (result.exit_code, result.stderr.count("future")) == (0, 0)
    assert "date: 2030-06-01" in registry_copy.read_text(encoding="utf-8")


def test_two_updates_at_once_both_land(cli, registry_copy, monkeypatch):
    """A second `workplan update` (a real process) starts while this one has read the registry and
    not yet written it: it waits for the lock, reads what this one wrote, and adds its own report,
    instead of being refused as changed on disk."""
    import subprocess
    import sys
    import time
    from pathlib import Path

    real = writer.load_with_digest
    second = {}

    def load_while_another_starts(path, **options):
        loaded = real(path, **options)
        if not second:
            second["process"] = subprocess.Popen(
                [str(Path(sys.executable).parent / "workplan"), "update", "24", "--by", "上海市局", "--note", "第二份报告",
                 "--date", "2024-10-02", "--data", str(registry_copy), *AS_OF],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
            time.sleep(2)  # the second process is started and at the lock, or past it without one
        return loaded

    monkeypatch.setattr(writer, "load_with_digest", load_while_another_starts)
    first = cli("update", "24", "--by", "浙江省局", "--note", "第一份报告", "--date", "2024-10-01", "--data", registry_copy, *AS_OF)
    assert first.exit_code == 0, first.stderr
    _, stderr = second["process"].communicate(timeout=60)
    assert second["process"].returncode == 0, stderr
    progress = item_of(load_registry(registry_copy), "2024-24").progress
    assert [(p.by, p.text) for p in progress][-2:] == [("浙江省局", "第一份报告"), ("上海市局", "第二份报告")]
    assert not (registry_copy.parent / "items.yaml.lock").exists()
