"""The several-plans domain: one view over plans, carry-over planning, deadlines as printed."""

from __future__ import annotations

import datetime as dt

import pytest

from workplan.core.models import Registry
from workplan.core.plans import CarryOverRefused, combine, deadline_text, lineage, plan_carry_over, plan_of


def test_deadline_text_reads_like_the_plan():
    assert deadline_text(dt.date(2025, 6, 30)) == "2025年6月底前"
    assert deadline_text(dt.date(2025, 2, 28)) == "2025年2月底前"
    assert deadline_text(dt.date(2024, 2, 28)) == "2024年2月28日前"
    assert deadline_text(dt.date(2025, 11, 15)) == "2025年11月15日前"


def _next_year(registry):
    items = [registry.items[10].model_copy(update={"id": "2025-01", "seq": 1, "milestones": [
        registry.items[10].milestones[0].model_copy(update={"due": dt.date(2025, 8, 31)})]})]
    # A new model, not model_copy: a copy would keep the original's cached name lookups.
    return Registry.model_construct(
        version=1, plan=registry.plan.model_copy(update={"year": 2025, "issued": dt.date(2025, 3, 20)}),
        sections=registry.sections, tasks=registry.tasks, items=items,
        organisations=[o for o in registry.organisations if o.name != "上海市药监局"])


def test_combine_keeps_each_items_plan_and_refuses_clashing_ids(registry):
    later = _next_year(registry)
    both = combine([("2024", registry), ("2025", later)])
    assert [i.id for i in both.items] == [i.id for i in registry.items] + ["2025-01"]
    assert both.plan.year == 2025 and both.plan.title == "全部计划（2024、2025）"
    assert plan_of(both, later.items[0]) is later and plan_of(both, registry.items[0]) is registry
    assert both.org("上海药监局").name == "上海市药监局"  # only the older plan knows it
    with pytest.raises(Exception, match="事项编号 2025-01 同时出现在计划 2025 和计划 again 中"):
        combine([("2025", later), ("again", later)])


def test_carry_over_plan_moves_open_milestones_and_copies_missing_units(registry):
    later = _next_year(registry)
    plan = plan_carry_over(registry, later, due=dt.date(2025, 6, 30), on=dt.date(2025, 4, 1),
                           only=["2024-18", "2024-30"])
    assert [c.record["id"] for c in plan.items] == ["2025-c18", "2025-c30"]
    assert [m["due"] for m in plan.items[0].record["milestones"]] == [dt.date(2025, 6, 30)] * 2
    assert [o["name"] for o in plan.organisations] == ["上海市药监局"]
    assert plan.organisations[0]["aliases"] == ["上海药监局"]
    assert lineage(registry.items[17], [("2024", registry)]).earlier == []
    with pytest.raises(CarryOverRefused, match="不在目标计划年度 2025 内"):
        plan_carry_over(registry, later, due=dt.date(2026, 1, 1), on=dt.date(2025, 4, 1))


def test_new_item_follows_the_plans_ids_and_deadline_forms(registry):
    from workplan.core.edit import EditRefused, new_item

    record = new_item(registry, title="T", measures="M", leads=["浙江省局"], departments=["D"], section=1, task=None,
                      dues=[dt.date(2024, 6, 30), dt.date(2024, 12, 15)])
    assert (record["id"], record["seq"]) == ("2024-59", 59)  # 序号 runs to 58 (36 is printed twice)
    assert [(m["due"], m["text"], m["measure"]) for m in record["milestones"]] == [
        (dt.date(2024, 6, 30), "2024年6月底前", "M"), (dt.date(2024, 12, 15), "2024年12月15日前", "M")]
    # No --due: an item without a deadline; whether that is valid is the registry rules' to say.
    assert new_item(registry, title="T", measures="长期坚持", leads=["浙江省局"], departments=["D"], section=1,
                    task=None, dues=[])["milestones"] == []
    with pytest.raises(EditRefused, match="2024-11 已被本文件夹的计划使用"):
        new_item(registry, title="T", measures="M", leads=["浙江省局"], departments=["D"], section=1, task=None,
                 dues=[dt.date(2024, 6, 30)], item_id="2024-11")
    with pytest.raises(EditRefused, match="已被本文件夹的计划使用"):
        new_item(registry, title="T", measures="M", leads=["浙江省局"], departments=["D"], section=1, task=None,
                 dues=[dt.date(2024, 6, 30)], item_id="2025-01", ids_elsewhere={"2025-01"})
