"""Filters, windows, search and counts over the real registry.

Every expected set below was read off the seed's 合作事项清单 (牵头单位 / 责任部门 / 时间节点 columns)
by hand, not produced by the code under test. Ids are 2024-NN; the second row printed as 36 is 2024-36b.
"""

from __future__ import annotations

import datetime as dt

import pytest

from workplan.core import query
from workplan.core.query import Filters


def ids(*seqs) -> list[str]:
    return [s if isinstance(s, str) else f"2024-{s:02d}" for s in seqs]


# 牵头单位 column of the seed, read row by row.
ZJ_NAMED = ids(2, 3, 4, 5, 6, 7, 8, 11, 20, 21, 22, 24, 25, 27, 28, 32, 33, 35, 36, "2024-36b", 40, 43, 44, 45,
               46, 47, 48, 51, 52, 53, 54)
GROUP_LED = ids(1, 10, 13, 15, 16, 57)  # 三省一市局
ZJ_ALL = ids(1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 13, 15, 16, 20, 21, 22, 24, 25, 27, 28, 32, 33, 35, 36, "2024-36b",
             40, 43, 44, 45, 46, 47, 48, 51, 52, 53, 54, 57)
ZJ_JOINT = ids(1, 10, 13, 15, 16, 21, 32, 33, 52, 54, 57)  # group-led, or co-led with 上海市局 / 嘉兴市局
SH_NAMED = ids(9, 12, 17, 18, 21, 23, 26, 29, 32, 33, 34, 41, 49, 50, 55)
# 浙江: 浙江省局 (incl. via the group), 浙江省药监局 (30, 38, 39), 嘉兴市局 (51, 52, 54), 嘉善县局 (6, 36b, 53, 54,
# 55), 浙江省质科院 (40), 浙江省特科院 (43), 中标长三院 (52).
ZJ_PROVINCE = ids(1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 13, 15, 16, 20, 21, 22, 24, 25, 27, 28, 30, 32, 33, 35, 36,
                  "2024-36b", 38, 39, 40, 43, 44, 45, 46, 47, 48, 51, 52, 53, 54, 55, 57)


def run(registry, **kwargs) -> list[str]:
    return [item.id for item in query.filter_items(registry, Filters(**kwargs))]


def test_lead_counts_group_membership(registry):
    assert run(registry, leads=["浙江省局"]) == ZJ_ALL
    assert set(GROUP_LED) <= set(run(registry, leads=["浙江省局"]))


def test_lead_direct_only_names_the_unit(registry):
    assert run(registry, leads=["浙江省局"], direct=True) == ZJ_NAMED
    assert run(registry, leads=["上海市局"], direct=True) == SH_NAMED


def test_lead_group_itself(registry):
    assert run(registry, leads=["三省一市局"]) == GROUP_LED
    assert run(registry, leads=["三省一市局"], direct=True) == GROUP_LED


def test_alias_resolves_to_canonical_name(registry):
    assert query.resolve_org(registry, "上海药监局") == "上海市药监局"
    assert query.resolve_org(registry, "浙江省市场监督管理局") == "浙江省局"  # full name
    assert run(registry, leads=[query.resolve_org(registry, "上海药监局")]) == ids(30, 31, 37)


def test_repeated_lead_means_any(registry):
    assert run(registry, leads=["江苏省局", "上海市药监局"]) == ids(1, 10, 13, 14, 15, 16, 30, 31, 37, 56, 57)


def test_org_any_role(registry):
    assert run(registry, orgs=["嘉善县局"]) == ids(6, "2024-36b", 53, 54, 55)
    assert run(registry, orgs=["嘉兴市局"]) == ids(51, 52, 54)


def test_province(registry):
    assert run(registry, provinces=["浙江"]) == ZJ_PROVINCE
    assert query.resolve_province(registry, "浙江省") == "浙江"
    assert query.resolve_province(registry, "上海市") == "上海"


def test_dept_text(registry):
    assert run(registry, depts=["食品"]) == ids(33, 34, 35, 36, "2024-36b")


def test_filters_combine_with_and(registry):
    assert run(registry, leads=["浙江省局"], depts=["食品"]) == ids(33, 35, 36, "2024-36b")
    assert run(registry, sections=[6], leads=["上海市局"]) == ids(55, 57)


def test_section_task_status_text(registry):
    assert run(registry, tasks=[18]) == ids(33, 34, 35, 36, "2024-36b")
    assert query.resolve_section(registry, "六") == 6
    assert query.resolve_section(registry, "（六）") == 6
    assert run(registry, sections=[6]) == ids(51, 52, 53, 54, 55, 56, 57)
    assert query.resolve_status("推进中").value == "in_progress"
    assert run(registry, statuses=[query.resolve_status("done")]) == []
    assert len(run(registry, statuses=[query.resolve_status("未启动")])) == 59
    assert run(registry, text="追溯") == ids(33, 53)


def test_due_filters_on_items(registry):
    assert run(registry, due_before=dt.date(2024, 9, 30)) == ids(9, 11, 18, 25, 54)
    assert run(registry, due_after=dt.date(2024, 10, 1), due_before=dt.date(2024, 10, 31)) == ids(24, 53)


@pytest.mark.parametrize("text, first", [("浙江局", "浙江省局"), ("上海局", "上海市局"), ("嘉兴局", "嘉兴市局"),
                                         ("三省一市", "三省一市局")])
def test_unknown_unit_suggests(registry, text, first):
    with pytest.raises(query.UnknownName) as caught:
        query.resolve_org(registry, text)
    assert caught.value.suggestions[0] == first
    assert "did you mean" in caught.value.text("en")
    assert "是否要找" in str(caught.value)


def test_unknown_province_section_task(registry):
    with pytest.raises(query.UnknownName):
        query.resolve_province(registry, "江西")
    with pytest.raises(query.UnknownName):
        query.resolve_section(registry, "9")
    with pytest.raises(query.UnknownName):
        query.resolve_task(registry, "26")


def rows(result) -> list[tuple[str, int, str]]:
    return [(r.item.id, r.index + 1, r.due.isoformat()) for r in result]


def test_due_between_one_row_per_milestone(registry):
    result = query.due_between(registry.items, before=dt.date(2024, 9, 30), after=None)
    assert rows(result) == [("2024-11", 1, "2024-08-31"), ("2024-09", 1, "2024-09-30"), ("2024-18", 1, "2024-09-30"),
                            ("2024-25", 1, "2024-09-30"), ("2024-54", 1, "2024-09-30")]
    assert [r.days_left(dt.date(2024, 9, 1)) for r in result] == [-1, 29, 29, 29, 29]


def test_due_window_inclusive(registry):
    result = query.due_between(registry.items, before=dt.date(2024, 11, 30), after=dt.date(2024, 10, 31))
    assert rows(result) == [("2024-24", 1, "2024-10-31"), ("2024-53", 1, "2024-10-31"),
                            ("2024-40", 1, "2024-11-30"), ("2024-41", 1, "2024-11-30"), ("2024-42", 1, "2024-11-30"),
                            ("2024-43", 1, "2024-11-30"), ("2024-45", 1, "2024-11-30"), ("2024-48", 1, "2024-11-30")]
    # item 18's second milestone, alone in the last quarter's window
    late = query.due_between(registry.items, before=dt.date(2024, 12, 31), after=dt.date(2024, 12, 1))
    assert ("2024-18", 2, "2024-12-31") in rows(late) and ("2024-18", 1, "2024-09-30") not in rows(late)


def test_overdue_most_overdue_first(registry):
    result = query.overdue(registry.items, as_of=dt.date(2024, 10, 15))
    assert rows(result) == [("2024-11", 1, "2024-08-31"), ("2024-09", 1, "2024-09-30"), ("2024-18", 1, "2024-09-30"),
                            ("2024-25", 1, "2024-09-30"), ("2024-54", 1, "2024-09-30")]
    # due on the as-of day itself is not yet overdue
    assert rows(query.overdue(registry.items, as_of=dt.date(2024, 8, 31))) == []


def test_upcoming(registry):
    result = query.upcoming(registry.items, as_of=dt.date(2024, 10, 15), within=dt.timedelta(days=30))
    assert rows(result) == [("2024-24", 1, "2024-10-31"), ("2024-53", 1, "2024-10-31")]


def test_find_items(registry):
    assert [i.id for i in query.find_items(registry, "36")] == ["2024-36", "2024-36b"]
    assert [i.id for i in query.find_items(registry, "2024-36b")] == ["2024-36b"]
    assert [i.id for i in query.find_items(registry, "36B")] == ["2024-36b"]
    assert [i.id for i in query.find_items(registry, "18")] == ["2024-18"]
    assert query.find_items(registry, "99") == []
    assert [i.id for i in query.suggest_items(registry, "食品追溯")] == ["2024-33", "2024-53"]


def test_sort_items(registry):
    items = query.filter_items(registry, Filters(leads=["上海市局"], direct=True))
    by_due = [i.id for i in query.sort_items(registry, items, "due")]
    assert by_due[:2] == ["2024-09", "2024-18"]  # 9月底 before the 12月底 rest; ties keep printed order
    by_lead = [i.id for i in query.sort_items(registry, query.filter_items(registry, Filters(sections=[6])), "lead")]
    # registry order of organisations: 三省一市局, 上海市局, 江苏省局, 浙江省局 …
    assert by_lead == ids(57, 55, 56, 51, 52, 53, 54)


def test_search_ranks_title_then_task(registry):
    hits = query.search_items(registry, registry.items, "追溯")
    assert [h.item.id for h in hits] == ids(33, 53, 34, 35, 36, "2024-36b", 51, 52, 54, 55)
    assert hits[0].fields == ("title", "measures", "task") and hits[-1].fields == ("task",)


def test_search_folds_case_and_width(registry):
    expected = ids(23, 20, 21, 22)  # 23 names CCC in its title; task 12's text mentions CCC
    assert [h.item.id for h in query.search_items(registry, registry.items, "ccc")] == expected
    assert [h.item.id for h in query.search_items(registry, registry.items, "ＣＣＣ")] == expected


def test_search_every_word_must_match(registry):
    hits = query.search_items(registry, registry.items, "嘉善 商标")
    assert [h.item.id for h in hits] == ids(6)  # 嘉善国家级商标受理窗口
    assert query.search_items(registry, registry.items, "   ") == []


def test_find_spans_and_snippet():
    assert query.find_spans("食品和食用农产品", ["食"]) == [(0, 1), (3, 4)]
    assert query.find_spans("ABC abc", ["b"]) == [(1, 2), (5, 6)]
    assert query.find_spans("食品安全", ["食品", "品安"]) == [(0, 3)]  # overlaps merge
    text = "一二三四五六七八九十" * 6 + "追溯" + "甲乙丙丁" * 10
    cut = query.snippet(text, ["追溯"], width=20)
    assert "追溯" in cut and cut.startswith("…") and cut.endswith("…")
    assert query.snippet("短文本", ["无"]) == ""


def test_stats_by_lead(registry):
    got = {r.key: (r.count, r.sole, r.joint) for r in query.stats(registry, registry.items, "lead")}
    assert got == {
        "浙江省局": (37, 26, 11),
        "上海市局": (21, 11, 10),  # 15 named (21, 26, 32, 33 shared) + 6 via the group
        "安徽省局": (11, 3, 8),    # 19, 26, 42, 56, 58 + 6 via the group
        "江苏省局": (8, 1, 7),     # 14, 56 + 6 via the group
        "上海市药监局": (3, 2, 1),
        "浙江省药监局": (3, 2, 1),
        "嘉兴市局": (2, 0, 2),
    }


def test_stats_by_month_counts_milestones(registry):
    got = [(r.key, r.count) for r in query.stats(registry, registry.items, "month")]
    assert got == [("2024-08", 1), ("2024-09", 4), ("2024-10", 2), ("2024-11", 6), ("2024-12", 47)]


def test_stats_by_section_and_status(registry):
    # 第（五）部分 holds 32–50 (with 36b) and, by the registry's reading, item 58 printed after 第（六）部分.
    got = [(r.key, r.count) for r in query.stats(registry, registry.items, "section")]
    assert got == [(1, 7), (2, 3), (3, 13), (4, 8), (5, 21), (6, 7)]
    status = {r.key.value: r.count for r in query.stats(registry, registry.items, "status")}
    assert status == {"not_started": 59, "in_progress": 0, "done": 0, "delayed": 0, "cancelled": 0}


def test_stats_by_dept_and_task(registry):
    depts = {r.key: r.count for r in query.stats(registry, registry.items, "dept")}
    assert depts["计量条线"] == 5 and depts["嘉善县局"] == 5 and depts["认证认可检验检测条线"] == 5
    tasks = {r.key: r.count for r in query.stats(registry, registry.items, "task")}
    assert tasks[18] == 5 and tasks[None] == 1 and tasks[24] == 5


def test_org_summaries(registry):
    got = {s.org.name: (s.led, s.led_direct, s.involved, s.groups) for s in query.org_summaries(registry)}
    assert got["三省一市局"] == (6, 6, 6, [])
    assert got["浙江省局"] == (37, 31, 37, ["三省一市局"])
    assert got["嘉善县局"] == (0, 0, 5, [])
    assert got["上海市药监局"] == (3, 3, 3, [])
    assert len(got) == 16


def test_a_filter_reused_on_another_registry_decides_leads_afresh(registry):
    """The lead decision is remembered per lead combination; a registry where 三省一市局 has other
    members must not get the first registry's answer."""
    from workplan.core.query import Filters, filter_items

    filters = Filters(leads=["浙江省局"])
    first = {i.id for i in filter_items(registry, filters)}
    assert "2024-01" in first  # led by 三省一市局, which includes 浙江省局
    other = registry.model_copy(deep=True)
    group = next(o for o in other.organisations if o.name == "三省一市局")
    group.members = ["上海市局", "江苏省局", "安徽省局"]
    second = {i.id for i in filter_items(other, filters)}
    assert "2024-01" not in second and second < first


@pytest.mark.parametrize("source", ["registry", "generated"])
def test_counts_by_unit_agree_with_asking_each_unit(source, registry, tmp_path):
    """stats --by lead/org and the orgs table count in one pass; each count must equal asking
    leads_item / involves unit by unit, the definitions the filters use."""
    from conftest import generated_registry
    from workplan.core import query
    from workplan.core.codes import OrgKind
    from workplan.store.load import load_registry

    reg = registry
    if source == "generated":
        reg = load_registry(generated_registry(tmp_path / "g.yaml", 400, seed=13))
    units = [o.name for o in reg.organisations if o.kind != OrgKind.group]
    by_lead = {row.key: (row.count, row.sole, row.joint) for row in query.stats(reg, reg.items, "lead")}
    expected = {}
    for unit in units:
        led = [i for i in reg.items if query.leads_item(reg, i, unit)]
        joint = sum(1 for i in led if query.is_joint(reg, i))
        if led:
            expected[unit] = (len(led), len(led) - joint, joint)
    assert by_lead == expected
    by_org = {row.key: row.count for row in query.stats(reg, reg.items, "org")}
    assert by_org == {u: n for u in units if (n := sum(1 for i in reg.items if query.involves(reg, i, u)))}
    for summary in query.org_summaries(reg):
        name = summary.org.name
        assert summary.led == sum(1 for i in reg.items if query.leads_item(reg, i, name)), name
        assert summary.led_direct == sum(1 for i in reg.items if query.leads_item(reg, i, name, direct=True)), name
        assert summary.involved == sum(1 for i in reg.items if query.involves(reg, i, name)), name
