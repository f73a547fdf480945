"""amend, undo and adjust end to end; the default unit; files re-read after each command."""

from __future__ import annotations

import json

import yaml

AS_OF = ("--as-of", "2024-10-15")


def item(path, item_id):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return next(i for i in data["items"] if i["id"] == item_id)


def ok(result):
    assert result.exit_code == 0, result.stderr
    return result


def test_undo_withdraws_a_mistaken_completion_and_keeps_the_trace(cli, registry_copy):
    ok(cli("update", "2024-02", "--done", "--date", "2024-06-30", "--data", registry_copy, *AS_OF))
    assert item(registry_copy, "2024-02")["milestones"][0]["done_on"].isoformat() == "2024-06-30"
    r = ok(cli("undo", "2024-02", "--note", "误报为已完成", "--date", "2024-07-01", "--data", registry_copy, *AS_OF))
    assert "撤回第 1 条记录" in r.stderr
    after = item(registry_copy, "2024-02")
    assert after["status"] == "not_started"
    assert after["milestones"][0]["done_on"] is None
    assert [(p["status"], p.get("amends"), p.get("withdraws")) for p in after["progress"]] == \
        [("done", None, None), ("not_started", 1, True)]
    assert after["progress"][1]["text"].endswith("：误报为已完成")
    ok(cli("validate", registry_copy))
    shown = ok(cli("show", "2024-02", "--data", registry_copy, *AS_OF)).stdout
    assert "〔已撤回〕" in shown
    logged = json.loads(ok(cli("log", "2024-02", "--data", registry_copy, "-f", "json")).stdout)
    assert [(r["amends"], r["withdraws"]) for r in logged] == [(1, True), (None, False)]


def test_amend_corrects_one_units_report_on_a_joint_item(cli, registry_copy):
    ok(cli("update", "2024-01", "--by", "上海市局", "--status", "延期", "--note", "误报延期", "--date", "2024-06-30",
           "--data", registry_copy, *AS_OF))
    ok(cli("update", "2024-01", "--by", "浙江省局", "--status", "推进中", "--note", "浙江推进", "--date", "2024-07-01",
           "--data", registry_copy, *AS_OF))
    assert item(registry_copy, "2024-01")["status"] == "delayed"
    # 浙江省局 cannot correct 上海市局's report.
    refused = cli("amend", "2024-01", "--entry", "1", "--by", "浙江省局", "--status", "推进中", "--date", "2024-07-02",
                  "--data", registry_copy, *AS_OF)
    assert refused.exit_code == 2
    assert refused.stderr == "workplan: 错误：2024-01：事项 2024-01 的第 1 条记录由 上海市局 报送，不是 浙江省局：只能由报送单位更正\n"
    refused = cli("amend", "2024-01", "--entry", "1", "--by", "浙江省局", "--status", "推进中", "--date", "2024-07-02",
                  "--data", registry_copy, *AS_OF, "--lang", "en")
    assert refused.stderr == ("workplan: error: 2024-01: report 1 of 2024-01 was made by 上海市局, not 浙江省局: "
                              "only its unit corrects it\n")
    ok(cli("amend", "2024-01", "--by", "上海市局", "--status", "推进中", "--note", "实为推进中", "--date", "2024-07-02",
           "--data", registry_copy, *AS_OF))
    after = item(registry_copy, "2024-01")
    assert after["status"] == "in_progress"
    assert [(p["by"], p["status"], p.get("amends")) for p in after["progress"]] == [
        ("上海市局", "delayed", None), ("浙江省局", "in_progress", None), ("上海市局", "in_progress", 1)]
    units = json.loads(ok(cli("show", "2024-01", "--data", registry_copy, "-f", "json")).stdout)[0]["units"]
    assert units[0] == {"unit": "上海市局", "status": "in_progress", "date": "2024-07-02"}
    ok(cli("validate", registry_copy))


def test_an_adjusted_deadline_moves_lights_and_overdue_and_keeps_the_original(cli, registry_copy):
    before = json.loads(ok(cli("overdue", "--data", registry_copy, "-f", "json", *AS_OF)).stdout)
    assert ("2024-11", 1) in [(r["id"], r["milestone"]) for r in before]
    ok(cli("adjust", "2024-11", "--to", "2024-11-30", "--approved-by", "联席会议办公室", "--approved-on", "2024-09-01",
           "--reason", "待总局标准出台", "--data", registry_copy, *AS_OF))
    milestone = item(registry_copy, "2024-11")["milestones"][0]
    assert (milestone["due"].isoformat(), milestone["adjusted_due"].isoformat(), milestone["adjusted_by"]) == \
        ("2024-08-31", "2024-11-30", "联席会议办公室")
    after = json.loads(ok(cli("overdue", "--data", registry_copy, "-f", "json", *AS_OF)).stdout)
    assert ("2024-11", 1) not in [(r["id"], r["milestone"]) for r in after]
    due = json.loads(ok(cli("due", "--before", "2024-11-30", "--after", "2024-11-01", "--data", registry_copy,
                            "-f", "json", *AS_OF)).stdout)
    row = next(r for r in due if r["id"] == "2024-11")
    assert (row["due"], row["adjusted_due"], row["days_left"], row["light"]) == ("2024-08-31", "2024-11-30", 46, "green")
    table = ok(cli("due", "--before", "2024-11-30", "--after", "2024-11-01", "--data", registry_copy, *AS_OF)).stdout
    assert "2024-11-30（调整，原 2024-08-31）" in table
    table = ok(cli("due", "--before", "2024-11-30", "--after", "2024-11-01", "--data", registry_copy, *AS_OF,
                   "--lang", "en")).stdout
    assert "2024-11-30 (adjusted; was 2024-08-31)" in table and "调整" not in table
    shown = ok(cli("show", "11", "--data", registry_copy, *AS_OF)).stdout
    assert "1. 2024-08-31  8月底前  调整为" in shown
    assert "2024-11-30（联席会议办公室、2024-09-01、待总局标准出台）  还剩 46 天" in shown
    record = json.loads(ok(cli("show", "11", "--data", registry_copy, "-f", "json")).stdout)[0]
    assert {k: v for k, v in record["milestones"][0].items() if k.startswith("adjust")} == {
        "adjusted_due": "2024-11-30", "adjusted_by": "联席会议办公室", "adjusted_on": "2024-09-01", "adjust_reason": "待总局标准出台"}
    bulletin = ok(cli("report", "--period", "2024-10", "--data", registry_copy, "--as-of", "2024-10-31")).stdout
    assert "〔调整：原 2024-08-31，调整为 2024-11-30〕" in bulletin
    refused = cli("adjust", "2024-11", "--to", "2024-08-01", "--approved-by", "办公室", "--data", registry_copy, *AS_OF)
    assert refused.exit_code == 2 and refused.stderr == "workplan: 错误：2024-11：新时限 2024-08-01 不晚于原时限 2024-08-31\n"
    refused = cli("adjust", "2024-11", "--to", "2024-08-01", "--approved-by", "办公室", "--data", registry_copy, *AS_OF,
                  "--lang", "en")
    assert refused.exit_code == 2 and refused.stderr == \
        "workplan: error: 2024-11: the new date 2024-08-01 is not after the original deadline 2024-08-31\n"


def test_the_default_unit_comes_from_the_environment_or_workplan_toml(cli, registry_copy, monkeypatch, tmp_path):
    monkeypatch.setenv("WORKPLAN_UNIT", "浙江省局")
    ok(cli("update", "2024-21", "--status", "推进中", "--note", "浙江推进", "--date", "2024-07-01", "--data", registry_copy, *AS_OF))
    assert item(registry_copy, "2024-21")["progress"][-1]["by"] == "浙江省局"
    monkeypatch.delenv("WORKPLAN_UNIT")
    (tmp_path / "workplan.toml").write_text('unit = "上海市局"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    ok(cli("update", "2024-21", "--status", "推进中", "--note", "上海推进", "--date", "2024-07-02", "--data", registry_copy, *AS_OF))
    ok(cli("update", "2024-21", "--by", "浙江省局", "--note", "浙江再报", "--date", "2024-07-03", "--data", registry_copy, *AS_OF))
    assert [p["by"] for p in item(registry_copy, "2024-21")["progress"]] == ["浙江省局", "上海市局", "浙江省局"]
    (tmp_path / "workplan.toml").write_text('unit = 3\n', encoding="utf-8")
    bad = cli("update", "2024-21", "--note", "x", "--data", registry_copy, *AS_OF)
    assert bad.exit_code == 2 and "workplan.toml：unit 应为单位名称" in bad.stderr
    bad = cli("update", "2024-21", "--note", "x", "--data", registry_copy, *AS_OF, "--lang", "en")
    assert bad.exit_code == 2 and "workplan.toml: unit must be a unit's name" in bad.stderr


def test_what_amend_undo_and_adjust_did_is_said_in_the_readers_language(cli, registry_copy):
    ok(cli("update", "2024-02", "--done", "--date", "2024-06-30", "--data", registry_copy, *AS_OF))
    title = "2024-02 拓展深化长三角地区“企业码”应用"
    runs = {
        ("amend", "2024-02", "--status", "推进中", "--date", "2024-07-01"): (
            f"试运行，未写入：{title}：更正第 1 条记录；状态 已完成 → 推进中",
            f"dry run, nothing written: {title}: report 1 corrected; status done → in progress"),
        ("undo", "2024-02", "--note", "误报", "--date", "2024-07-01"): (
            f"试运行，未写入：{title}：撤回第 1 条记录；状态 已完成 → 未启动",
            f"dry run, nothing written: {title}: report 1 withdrawn; status done → not started"),
        ("adjust", "2024-11", "--to", "2024-11-30", "--approved-by", "联席会议办公室", "--approved-on", "2024-09-01"): (
            "试运行，未写入：2024-11 建立长三角统一地方标准管理机制：时间节点 1 调整为 2024-11-30（原 2024-08-31，批准：联席会议办公室）",
            "dry run, nothing written: 2024-11 建立长三角统一地方标准管理机制: milestone 1 now due 2024-11-30 "
            "(was 2024-08-31; approved by 联席会议办公室)"),
    }
    for args, (zh, en) in runs.items():
        assert ok(cli(*args, "--dry-run", "--data", registry_copy, *AS_OF)).stderr == zh + "\n"
        assert ok(cli(*args, "--dry-run", "--data", registry_copy, *AS_OF, "--lang", "en")).stderr == en + "\n"
    written = ok(cli("undo", "2024-02", "--note", "误报", "--date", "2024-07-01", "--data", registry_copy, *AS_OF,
                     "--lang", "en")).stderr
    assert written == f"updated {registry_copy}: {title}: report 1 withdrawn; status done → not started\n"
    # The withdrawing report is registry data: Chinese whatever --lang is.
    assert item(registry_copy, "2024-02")["progress"][-1]["text"] == \
        "撤回第 1 条记录（2024-06-30 时间节点（12月底前）已完成；状态由未启动改为已完成）：误报"


def test_corrections_refused_in_the_readers_language(cli, registry_copy):
    ok(cli("update", "2024-02", "--note", "推进", "--date", "2024-06-30", "--data", registry_copy, *AS_OF))
    refusals = {
        ("amend", "2024-03", "--status", "推进中"): (
            "2024-03：事项 2024-03 没有可更正的进展记录", "2024-03: item 2024-03 has no progress reports to correct"),
        ("amend", "2024-02", "--status", "推进中", "--date", "2024-11-01"): (
            "--date：日期 2024-11-01 晚于今天（2024-10-15）；如按另一天处理，请用 --as-of",
            "--date: date 2024-11-01 is in the future (today is 2024-10-15; use --as-of for another day)"),
        ("amend", "2024-02", "--by", "火星", "--status", "推进中"): (
            "2024-02：--by：未知单位“火星”", "2024-02: --by: unknown unit '火星'"),
        ("adjust", "2024-18", "--to", "2024-12-31", "--approved-by", "办公室"): (
            "2024-18：事项 2024-18 有 2 个时间节点：请用 --milestone 指明",
            "2024-18: item 2024-18 has 2 milestones: say which with --milestone"),
        ("adjust", "2024-11", "--to", "2024-12-31", "--approved-by", " "): (
            "2024-11：--approved-by：请写明批准单位或领导", "2024-11: --approved-by: say who approved the new date"),
        ("adjust", "2024-11", "--to", "2024-12-31", "--approved-by", "办公室", "--approved-on", "2024-01-01"): (
            "2024-11：批准日期 2024-01-01 早于工作要点印发日期（2024-03-29）",
            "2024-11: approval date 2024-01-01 is before the plan was issued (2024-03-29)"),
    }
    for args, (zh, en) in refusals.items():
        for lang, words, prefix in (("zh", zh, "workplan: 错误："), ("en", en, "workplan: error: ")):
            refused = cli(*args, "--data", registry_copy, *AS_OF, "--lang", lang)
            assert refused.exit_code == 2, refused
            assert refused.stderr == prefix + words + "\n"
