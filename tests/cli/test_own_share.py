"""`--lead X` on list, due, overdue, upcoming, status and stats: X's own share of a joint item.

On the shipped registry, 上海市局 and 浙江省局 report differently on 2024-01 (三省一市局) and on
2024-21 (上海市局、浙江省局): each bureau's query shows its own share, not the item's combination.
"""

from __future__ import annotations

import json

import pytest
import yaml

AS_OF = ("--as-of", "2024-10-15")


def ok(result):
    assert result.exit_code == 0, result.stderr
    return result


@pytest.fixture
def reported(cli, registry_copy):
    """上海 done on 2024-01, 浙江 推进中 on it; 浙江 done on 2024-21, 上海 not started."""
    for args in (("2024-01", "--by", "上海市局", "--done", "--note", "上海：已完成流程梳理", "--date", "2024-06-30"),
                 ("2024-01", "--by", "浙江省局", "--status", "推进中", "--note", "浙江：推进港资企业全程电子化登记",
                  "--date", "2024-07-01"),
                 ("2024-21", "--by", "浙江省局", "--done", "--note", "浙江：认证规则已统一", "--date", "2024-07-02")):
        ok(cli("update", *args, "--data", registry_copy, *AS_OF))
    items = {i["id"]: i for i in yaml.safe_load(registry_copy.read_text(encoding="utf-8"))["items"]}
    assert (items["2024-01"]["status"], items["2024-21"]["status"]) == ("in_progress", "in_progress")
    return registry_copy


def records(cli, path, *args):
    return json.loads(ok(cli(*args, "--data", path, "-f", "json")).stdout)


def joint(rows, key="id"):
    return {r[key]: r for r in rows if r[key] in ("2024-01", "2024-21")}


def test_list_shows_each_units_own_share(cli, reported):
    shanghai = joint(records(cli, reported, "list", "--lead", "上海市局", *AS_OF))
    zhejiang = joint(records(cli, reported, "list", "--lead", "浙江省局", *AS_OF))
    assert {k: (r["status"], r["light"]) for k, r in shanghai.items()} == {
        "2024-01": ("done", "done"), "2024-21": ("not_started", "green")}
    assert {k: (r["status"], r["light"]) for k, r in zhejiang.items()} == {
        "2024-01": ("in_progress", "green"), "2024-21": ("done", "done")}
    assert shanghai["2024-01"]["share"] == {"units": ["上海市局"], "status": "done", "date": "2024-06-30",
                                            "text": "上海：已完成流程梳理", "item_status": "in_progress"}
    assert zhejiang["2024-21"]["share"] == {"units": ["浙江省局"], "status": "done", "date": "2024-07-02",
                                            "text": "浙江：认证规则已统一", "item_status": "in_progress"}
    assert shanghai["2024-21"]["share"] == {"units": ["上海市局"], "status": "not_started", "date": None,
                                            "text": None, "item_status": "in_progress"}
    # The record keeps every unit's state, whoever asks.
    assert shanghai["2024-01"]["units"] == zhejiang["2024-01"]["units"] == [
        {"unit": "上海市局", "status": "done", "date": "2024-06-30"},
        {"unit": "江苏省局", "status": "not_started", "date": None},
        {"unit": "浙江省局", "status": "in_progress", "date": "2024-07-01"},
        {"unit": "安徽省局", "status": "not_started", "date": None}]
    # Without --lead, or for the group that leads all of it, the item is its combination.
    everyone = joint(records(cli, reported, "list", *AS_OF))
    assert {k: (r["status"], "share" in r) for k, r in everyone.items()} == {
        "2024-01": ("in_progress", False), "2024-21": ("in_progress", False)}
    group = joint(records(cli, reported, "list", "--lead", "三省一市局", *AS_OF))
    assert {k: (r["status"], "share" in r) for k, r in group.items()} == {"2024-01": ("in_progress", False)}


def test_status_filter_asks_about_the_own_share(cli, reported):
    def ids(*args):
        return [r["id"] for r in records(cli, reported, "list", *args, *AS_OF)]

    assert ids("--lead", "上海市局", "--status", "done") == ["2024-01"]
    assert ids("--lead", "浙江省局", "--status", "done") == ["2024-21"]
    assert ids("--lead", "江苏省局", "--status", "done") == []
    assert ids("--status", "done") == []
    assert ids("--lead", "上海市局,浙江省局", "--status", "done") == []  # both shares together: one of two done
    assert set(ids("--lead", "上海市局,浙江省局", "--status", "in_progress")) == {"2024-01", "2024-21"}


def test_the_own_latest_report_column(cli, reported):
    table = ok(cli("list", "--lead", "上海市局", "--columns", "id,status,light,share", "--data", reported, "-f", "csv",
                   *AS_OF)).stdout.splitlines()
    assert table[0] == "\ufeff编号,状态,灯号,本单位最新进展"  # CSV for Excel: a byte-order mark
    rows = {line.split(",")[0]: line for line in table[1:]}
    assert rows["2024-01"] == "2024-01,已完成,已完成,2024-06-30 上海：已完成流程梳理"
    assert rows["2024-21"] == "2024-21,未启动,绿灯,"   # 上海市局 has not reported on its share yet
    assert rows["2024-09"] == "2024-09,未启动,红灯,"   # a single-lead item is its own share
    english = ok(cli("list", "--lead", "浙江省局", "--columns", "id,share", "--data", reported, "-f", "csv", "--lang", "en",
                     *AS_OF)).stdout.splitlines()
    assert english[0] == "\ufeffID,Own latest report" and "2024-21,2024-07-02 浙江：认证规则已统一" in english


def test_the_table_from_the_query_index_shows_the_same_share(cli, reported):
    args = ("list", "--lead", "浙江省局", "--data", reported, "-f", "csv", *AS_OF)
    cold = ok(cli(*args, "--no-cache")).stdout
    ok(cli(*args))
    warm = ok(cli(*args)).stdout  # read from the cache's query index, without the progress entries
    assert warm == cold
    rows = {line.split(",")[0]: line.split(",") for line in warm.splitlines()}
    assert (rows["1"][-2], rows["1"][-1]) == ("推进中", "绿灯")
    assert (rows["21"][-2], rows["21"][-1]) == ("已完成", "已完成")


def test_overdue_due_and_upcoming_leave_out_a_share_already_done(cli, reported):
    late = ("--as-of", "2025-01-05")

    def ids(command, *args):
        return {r["id"] for r in records(cli, reported, command, *args)} & {"2024-01", "2024-21"}

    assert ids("overdue", *late) == {"2024-01", "2024-21"}
    assert ids("overdue", "--lead", "上海市局", *late) == {"2024-21"}
    assert ids("overdue", "--lead", "浙江省局", *late) == {"2024-01"}
    assert ids("overdue", "--lead", "江苏省局", *late) == {"2024-01"}
    assert ids("upcoming", "--lead", "上海市局", "--as-of", "2024-12-20", "--within", "30d") == {"2024-21"}
    assert ids("upcoming", "--lead", "浙江省局", "--as-of", "2024-12-20", "--within", "30d") == {"2024-01"}
    due = {r["id"]: (r["status"], r["done"], r["light"]) for r in records(
        cli, reported, "due", "--lead", "浙江省局", "--due-before", "2024-12-31", "--as-of", "2024-12-20")}
    assert (due["2024-01"], due["2024-21"]) == (("in_progress", False, "yellow"), ("done", True, "done"))


def test_the_board_and_stats_count_the_own_share(cli, reported):
    shanghai = records(cli, reported, "status", "--lead", "上海市局", "--as-of", "2024-12-20")
    assert [(r["unit"], r["done"], r["total"]) for r in shanghai["board"]] == [("上海市局", 1, 21)]
    attention = {r["id"] for r in shanghai["attention"]}
    assert "2024-21" in attention and "2024-01" not in attention
    zhejiang = records(cli, reported, "status", "--lead", "浙江省局", "--as-of", "2024-12-20")
    assert [(r["unit"], r["done"]) for r in zhejiang["board"]] == [("浙江省局", 1)]
    attention = {r["id"] for r in zhejiang["attention"]}
    assert "2024-01" in attention and "2024-21" not in attention
    counts = {r["key"]: r["count"] for r in records(cli, reported, "stats", "-g", "status", "--lead", "上海市局")}
    assert (counts["done"], counts["in_progress"], counts["not_started"]) == (1, 0, 20)
