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
    assert "report 1 of 2024-01 was made by 上海市局, not 浙江省局" in refused.stderr
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
    shown = ok(cli("show", "11", "--data", registry_copy, *AS_OF)).stdout
    assert "1. 2024-08-31  8月底前  调整为" in shown
    assert "2024-11-30（联席会议办公室、2024-09-01、待总局标准出台）  还剩 46 天" in shown
    record = json.loads(ok(cli("show", "11", "--data", registry_copy, "-f", "json")).stdout)[0]
    assert {k: v for k, v in record["milestones"][0].items() if k.startswith("adjust")} == {
        "adjusted_due": "2024-11-30", "adjusted_by": "联席会议办公室", "adjusted_on": "2024-09-01", "adjust_reason": "待总局标准出台"}
    bulletin = ok(cli("report", "--period", "2024-10", "--data", registry_copy, "--as-of", "2024-10-31")).stdout
    assert "〔调整：原 2024-08-31，调整为 2024-11-30〕" in bulletin
    refused = cli("adjust", "2024-11", "--to", "2024-08-01", "--approved-by", "办公室", "--data", registry_copy, *AS_OF)
    assert refused.exit_code == 2 and "not after the original deadline 2024-08-31" in refused.stderr


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
