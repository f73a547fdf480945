"""`workplan export --csv/--json/--sqlite`: files reopened with csv, json and sqlite3."""

from __future__ import annotations

import csv
import io
import json
import sqlite3

import pytest

from conftest import REGISTRY

ALL_IDS = [f"2024-{n:02d}" for n in range(1, 37)] + ["2024-36b"] + [f"2024-{n:02d}" for n in range(37, 59)]
HEADER_ZH = ["序号", "合作事项", "年度主要举措及时间节点", "责任部门", "牵头单位", "截止日期", "时间节点", "状态",
             "进展情况", "更新日期", "编号"]
JIANGSU_IDS = ["2024-01", "2024-10", "2024-13", "2024-14", "2024-15", "2024-16", "2024-56", "2024-57"]


def read_csv(path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "CSV must start with a UTF-8 BOM for Excel"
    return list(csv.reader(io.StringIO(raw[3:].decode("utf-8"), newline="")))


# -- CSV --------------------------------------------------------------------------------------------

def test_csv_file(cli, tmp_path):
    target = tmp_path / "plan.csv"
    r = cli("export", "--csv", target, "--data", REGISTRY)
    assert r.exit_code == 0, r.stderr
    rows = read_csv(target)
    assert rows[0] == HEADER_ZH
    assert [row[10] for row in rows[1:]] == ALL_IDS
    item18 = rows[1 + ALL_IDS.index("2024-18")]
    assert item18[5] == "2024-09-30" and item18[6] == "9月底前 2024-09-30\n12月底前 2024-12-31"
    assert item18[1] == "举办产业计量技术创新揭榜挂帅活动"
    assert rows[1][:2] == ["1", "打造长三角商事登记增值化服务模式"] and rows[1][7] == "未启动"
    assert target.read_bytes().count(b"\r\n") >= 60  # Excel's line ends


def test_csv_to_stdout_with_filter(cli):
    r = cli("export", "--csv", "-", "--data", REGISTRY, "--lead", "江苏省局")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(r.stdout[1:], newline="")))
    assert [row[10] for row in rows[1:]] == JIANGSU_IDS


def test_csv_formula_cells_are_neutralised(cli, tmp_path, registry_copy):
    text = registry_copy.read_text(encoding="utf-8")
    text = text.replace("title: 打造长三角商事登记增值化服务模式", 'title: "=1+1"', 1)
    text = text.replace("title: 拓展深化长三角地区“企业码”应用", 'title: "@SUM(A1)"', 1)
    text = text.replace("title: 开展经营主体发展情况分析", "title: \"'=already quoted\"", 1)
    registry_copy.write_text(text, encoding="utf-8")
    target = tmp_path / "plan.csv"
    assert cli("export", "--csv", target, "--data", registry_copy).exit_code == 0
    rows = read_csv(target)
    assert [rows[1][1], rows[2][1], rows[3][1]] == ["'=1+1", "'@SUM(A1)", "''=already quoted"]


@pytest.mark.parametrize("text", ["=1+1", "+86", "-5", "@SUM(A1)", "\tx", "\rx", "'=x", "''=x", "'abc", "'", "普通文字",
                                  "", "a=b", "=", "'''@"])
def test_neutralise_is_exactly_undone(text):
    from workplan.exports.tables import neutralise, unneutralise

    escaped = neutralise(text)
    assert not escaped[:1] in ("=", "+", "-", "@", "\t", "\r")
    assert unneutralise(escaped) == text


def test_neutralise_leaves_plain_text_alone():
    from workplan.exports.tables import neutralise, unneutralise

    assert neutralise("'abc") == "'abc" and unneutralise("'abc") == "'abc"
    assert neutralise("推进中") == "推进中"


# -- JSON -------------------------------------------------------------------------------------------

def test_json_file(cli, tmp_path):
    target = tmp_path / "plan.json"
    assert cli("export", "--json", target, "--data", REGISTRY, "--as-of", "2024-10-01").exit_code == 0
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["plan"] == {"title": "长三角市场监管一体化发展 2024 年工作要点", "doc_number": "浙市监综〔2024〕1号",
                                "year": 2024, "issued": "2024-03-29"}
    assert document["exported"] == "2024-10-01"
    assert [item["id"] for item in document["items"]] == ALL_IDS
    item18 = next(i for i in document["items"] if i["id"] == "2024-18")
    assert [m["due"] for m in item18["milestones"]] == ["2024-09-30", "2024-12-31"]


def test_json_to_stdout(cli):
    r = cli("export", "--json", "-", "--data", REGISTRY, "--lead", "江苏省局")
    assert r.exit_code == 0
    assert [item["id"] for item in json.loads(r.stdout)["items"]] == JIANGSU_IDS


# -- SQLite -----------------------------------------------------------------------------------------

@pytest.fixture
def db(cli, tmp_path):
    target = tmp_path / "plan.db"
    r = cli("export", "--sqlite", target, "--data", REGISTRY, "--as-of", "2024-10-01")
    assert r.exit_code == 0, r.stderr
    con = sqlite3.connect(target)
    con.execute("PRAGMA foreign_keys = ON")
    yield con
    con.close()


def test_sqlite_tables(db):
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    assert {"items", "milestones", "organisations", "leads", "departments", "progress", "sections", "tasks",
            "org_aliases", "group_members", "plan", "lead_units"} <= tables
    assert db.execute("SELECT count(*) FROM items").fetchone() == (59,)
    assert db.execute("SELECT count(*) FROM milestones").fetchone() == (60,)
    assert db.execute("SELECT count(*) FROM organisations").fetchone() == (16,)
    assert db.execute("SELECT count(*) FROM tasks").fetchone() == (25,)
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert [r[0] for r in db.execute("SELECT id FROM items ORDER BY rowid")] == ALL_IDS


def test_sqlite_queries(db):
    # milestones of the item with two deadlines
    assert db.execute("SELECT due, text FROM milestones WHERE item_id = '2024-18' ORDER BY position").fetchall() == [
        ("2024-09-30", "9月底前"), ("2024-12-31", "12月底前")]
    # items 江苏省局 leads, a group counting for its members
    rows = db.execute("SELECT DISTINCT i.id FROM items i JOIN lead_units u ON u.item_id = i.id "
                      "WHERE u.org = '江苏省局' ORDER BY i.rowid").fetchall()
    assert [r[0] for r in rows] == JIANGSU_IDS
    # lead units per province-level bureau, as counted by hand from the leads column
    counts = dict(db.execute("SELECT org, count(DISTINCT item_id) FROM lead_units GROUP BY org").fetchall())
    assert counts == {"上海市局": 21, "江苏省局": 8, "浙江省局": 37, "安徽省局": 11, "上海市药监局": 3,
                      "浙江省药监局": 3, "嘉兴市局": 2}
    # the alias as printed is kept, the canonical name is the foreign key
    assert db.execute("SELECT org, as_printed FROM leads WHERE item_id = '2024-37'").fetchall() == [
        ("上海市药监局", "上海药监局")]
    assert db.execute("SELECT org FROM org_aliases WHERE alias = '上海药监局'").fetchone() == ("上海市药监局",)
    assert db.execute("SELECT name FROM departments WHERE item_id = '2024-06' ORDER BY position").fetchall() == [
        ("浙江、安徽知识产权相关条线",), ("嘉善县局",)]
    # milestones by month, joined to the section titles
    by_month = db.execute("SELECT substr(due, 1, 7), count(*) FROM milestones GROUP BY 1 ORDER BY 1").fetchall()
    assert by_month == [("2024-08", 1), ("2024-09", 4), ("2024-10", 2), ("2024-11", 6), ("2024-12", 47)]
    assert db.execute("SELECT s.title FROM items i JOIN sections s ON s.number = i.section "
                      "WHERE i.id = '2024-01'").fetchone() == ("协同联建一流营商环境",)


def test_sqlite_foreign_keys_are_enforced(db):
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO leads VALUES ('2024-01', 9, 'no such unit', 'x')")


def test_sqlite_with_the_sqlite3_program(cli, tmp_path):
    import shutil
    import subprocess

    program = shutil.which("sqlite3")
    if program is None:
        pytest.skip("the sqlite3 program is not installed (the Python module is tested above)")
    target = tmp_path / "plan.db"
    assert cli("export", "--sqlite", target, "--data", REGISTRY).exit_code == 0
    out = subprocess.run([program, str(target), "SELECT count(*) FROM items WHERE status = 'not_started';"],
                         capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert out.stdout.strip() == "59"


# -- usage --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("args, message", [
    ((), "请指定导出到哪里"),
    (("--sqlite", "-"), "--sqlite 需要文件名"),
    (("--csv", "-", "--json", "-"), "只能有一项导出写到标准输出"),
    (("--csv", "no/such/folder/x.csv"), "no/such/folder/x.csv：文件夹 no/such/folder 不存在"),
    (("--json", "x.json", "--split-by", "lead"), "--split-by 只用于 --xlsx"),
])
def test_usage_errors(cli, args, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = cli("export", "--data", REGISTRY, *args)
    assert r.exit_code == 2
    assert message in r.stderr and r.stderr.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_unknown_lead_is_a_usage_error(cli, tmp_path):
    r = cli("export", "--csv", tmp_path / "x.csv", "--data", REGISTRY, "--lead", "江苏局")
    assert r.exit_code == 2 and "未知单位" in r.stderr
    assert not (tmp_path / "x.csv").exists()


def test_several_formats_at_once(cli, tmp_path):
    r = cli("export", "--data", REGISTRY, "--xlsx", tmp_path / "a.xlsx", "--csv", tmp_path / "a.csv",
            "--json", tmp_path / "a.json", "--sqlite", tmp_path / "a.db")
    assert r.exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "a.db", "a.json", "a.xlsx"]
    assert "已导出 59 项事项" in r.stderr
