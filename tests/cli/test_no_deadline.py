"""Items without a deadline (长期坚持, 持续推进, or none printed) through every command and export.

tests/fixtures/no_deadline.yaml: 2025-01 has one milestone (9月底前); 2025-02 (not started),
2025-03 (in progress) and 2025-04 (done) have none.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3

import pytest

from tests.conftest import FIXTURES

DATA = FIXTURES / "no_deadline.yaml"


@pytest.fixture
def run(cli):
    def invoke(*args):
        result = cli(*args, "--data", DATA)
        assert result.exit_code == 0, result.stderr
        return result
    return invoke


def rows(result) -> list[list[str]]:
    """A plain (piped) table as lists of cells, header and rule lines, the caption and the registry's
    name dropped."""
    lines = result.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("----")) + 1
    return [line.split() for line in lines[start:] if line.strip() and not line.startswith(("共", "数据来源："))]


def test_the_model_and_validate_accept_empty_milestones(cli):
    result = cli("validate", DATA)
    assert result.exit_code == 0
    assert result.stdout.strip() == f"{DATA}：有效 — 1 个部分、1 项主要任务、4 项事项、1 个时间节点、2 个单位"


def test_a_missing_milestones_key_is_still_an_error(cli, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text(DATA.read_text(encoding="utf-8").replace("    milestones: []\n", "", 1), encoding="utf-8")
    result = cli("validate", broken)
    assert result.exit_code == 1
    assert "milestones: 缺少必填字段“milestones”" in result.stderr


def test_list_shows_no_light_as_wushixian(run):
    table = rows(run("list", "--as-of", "2025-10-01"))
    assert [(r[0], r[-1]) for r in table] == [("1", "红灯"), ("2", "无时限"), ("3", "无时限"), ("4", "已完成")]
    records = json.loads(run("list", "--as-of", "2025-10-01", "-f", "json").stdout)
    assert [(r["id"], r["light"], r["milestones"]) for r in records[1:]] == [
        ("2025-02", "none", []), ("2025-03", "none", []), ("2025-04", "done", [])]
    assert [r["seq"] for r in json.loads(run("list", "--sort", "due", "-f", "json").stdout)] == [1, 2, 3, 4]
    english = run("list", "--as-of", "2025-10-01", "--lang", "en").stdout.splitlines()
    assert english[4].endswith("not started  no deadline") and english[5].endswith("in progress  no deadline")


def test_milestone_queries_leave_them_out(run):
    for args in (("due", "--before", "2025-12-31"), ("overdue", "--as-of", "2025-12-31"),
                 ("upcoming", "--as-of", "2025-09-01", "--within", "60d")):
        assert [r["id"] for r in json.loads(run(*args, "-f", "json").stdout)] == ["2025-01"]


def test_show_says_wushixian(run):
    out = run("show", "2", "--as-of", "2025-10-01").stdout
    assert "无时限" in out
    record = json.loads(run("show", "3", "-f", "json").stdout)[0]
    assert record["milestones"] == [] and record["status"] == "in_progress"


def test_stats_and_search(run):
    month = json.loads(run("stats", "--by", "month", "-f", "json").stdout)
    assert [(r["key"], r["count"]) for r in month] == [("2025-09", 1)]
    status = {r["key"]: r["count"] for r in json.loads(run("stats", "--by", "status", "-f", "json").stdout)}
    assert status == {"not_started": 2, "in_progress": 1, "done": 1, "delayed": 0, "cancelled": 0}
    assert [r["id"] for r in json.loads(run("search", "宣传", "-f", "json").stdout)] == ["2025-04"]


def test_status_board_counts_them_as_wushixian(run):
    board = json.loads(run("status", "--as-of", "2025-10-01", "-f", "json").stdout)
    units = {row["unit"]: row for row in board["board"]}
    assert units["上海市局"]["none"] == 1 and units["上海市局"]["red"] == 1 and units["上海市局"]["total"] == 2
    assert units["浙江省局"]["none"] == 2 and units["浙江省局"]["done"] == 1 and units["浙江省局"]["total"] == 3
    assert [row["id"] for row in board["attention"]] == ["2025-01"]
    assert "无时限" in run("status", "--as-of", "2025-10-01").stdout


def test_update_marks_an_item_without_milestones_done(cli, tmp_path):
    copy = tmp_path / "reg.yaml"
    copy.write_text(DATA.read_text(encoding="utf-8"), encoding="utf-8")
    result = cli("update", "2025-02", "--status", "已完成", "--note", "已常态化", "--by", "浙江省局",
                 "--date", "2025-06-01", "--data", copy)
    assert result.exit_code == 0, result.stderr
    assert cli("validate", copy).exit_code == 0
    record = json.loads(cli("show", "2", "-f", "json", "--data", copy).stdout)[0]
    assert record["status"] == "done" and record["milestones"] == []
    refused = cli("update", "2025-03", "--milestone", "1", "--done", "--date", "2025-06-01", "--data", copy)
    assert refused.exit_code != 0 and len(refused.stderr.strip().splitlines()) == 1


def test_exports_csv_json_sqlite_xlsx(run, tmp_path):
    from openpyxl import load_workbook

    out = {kind: tmp_path / f"plan.{kind}" for kind in ("csv", "json", "xlsx")}
    out["sqlite"] = tmp_path / "plan.db"
    run("export", "--csv", out["csv"], "--json", out["json"], "--xlsx", out["xlsx"], "--sqlite", out["sqlite"])

    table = list(csv.reader(io.StringIO(out["csv"].read_text(encoding="utf-8-sig"))))
    header = table[0]
    due, deadline = header.index("截止日期"), header.index("时间节点")
    assert [(r[due], r[deadline]) for r in table[1:]] == [
        ("2025-09-30", "9月底前 2025-09-30"), ("", "无时限"), ("", "无时限"), ("", "无时限")]

    data = json.loads(out["json"].read_text(encoding="utf-8"))
    assert [len(i["milestones"]) for i in data["items"]] == [1, 0, 0, 0]

    with sqlite3.connect(out["sqlite"]) as con:
        assert con.execute("SELECT item_id FROM milestones").fetchall() == [("2025-01",)]
        assert con.execute("SELECT count(*) FROM items").fetchone() == (4,)

    sheet = load_workbook(out["xlsx"])["清单"]
    cells = {row[0].value: row for row in sheet.iter_rows() if isinstance(row[0].value, int)}
    assert [cells[seq][due].value for seq in (2, 3, 4)] == [None, None, None]
    assert [cells[seq][deadline].value for seq in (2, 3, 4)] == ["无时限"] * 3


def test_the_exported_workbook_imports_back_without_changes(run, cli, tmp_path):
    copy = tmp_path / "reg.yaml"
    copy.write_text(DATA.read_text(encoding="utf-8"), encoding="utf-8")
    book = tmp_path / "plan.xlsx"
    assert cli("export", "--xlsx", book, "--data", copy).exit_code == 0
    result = cli("import", book, "--data", copy)
    assert result.exit_code == 0, result.stderr
    assert "没有变化" in result.stderr + result.stdout


def test_calendar_has_events_only_for_milestones(run, tmp_path):
    from icalendar import Calendar

    ics = tmp_path / "plan.ics"
    run("calendar", "--ics", ics)
    events = [c for c in Calendar.from_ical(ics.read_bytes()).walk("VEVENT")]
    assert [str(e["UID"]) for e in events] == ["2025-01-m1@workplan.yrd-amr"]


def test_dashboard_timeline_and_bulletin(run, tmp_path):
    from workplan.exports.dashboard import dashboard_data
    from workplan.store.load import load_registry
    import datetime as dt

    reg = load_registry(DATA)
    data = dashboard_data(reg, reg.items, as_of=dt.date(2025, 10, 1))
    # The page's compact items: [id, …, light (a position in "lights"), [milestones], …].
    assert [(i[0], data["lights"][i[11]]["code"], len(i[12])) for i in data["items"]] == [
        ("2025-01", "red", 1), ("2025-02", "none", 0), ("2025-03", "none", 0), ("2025-04", "done", 0)]
    assert data["lights"][-1] == {"code": "none", "label": "无时限"}
    html = tmp_path / "d.html"
    run("dashboard", "--html", html, "--as-of", "2025-10-01")
    assert "无时限" in html.read_text(encoding="utf-8")
    timeline = run("timeline", "--as-of", "2025-06-01").stdout
    assert all(title in timeline for title in ("常态化开展联合抽查", "推进信用信息共享", "开展知识产权宣传"))
    bulletin = run("report", "--period", "2025-05", "--as-of", "2025-05-31").stdout
    assert "红黄绿灯（截止日期前 15 天内为黄灯）：绿灯 1 项，已完成 1 项，无时限 2 项。" in bulletin
    assert "合作事项 4 项，时间节点 1 个" in bulletin
