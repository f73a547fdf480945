"""Each lead unit's share of a joint item: states, the item's combined status, rules, update, board."""

from __future__ import annotations

import datetime as dt

import pytest

from workplan.core.board import status_board
from workplan.core.codes import Light, Status
from workplan.core.models import ProgressEntry
from workplan.core.rules import check_registry
from workplan.core.units import combined_status, report_units, unit_states
from workplan.core.update import UpdateRefused, UpdateRequest, plan_update

S = Status
TODAY = dt.date(2024, 10, 15)


def with_reports(registry, item_id, *reports, status=None):
    """A copy of the registry whose item carries these (date, by, status) reports."""
    items = []
    for item in registry.items:
        if item.id == item_id:
            progress = [ProgressEntry(date=dt.date.fromisoformat(d), by=by, status=st, text=f"{by}报告") for d, by, st in reports]
            item = item.model_copy(update={"progress": progress, "status": status or item.status})
        items.append(item)
    return registry.model_copy(update={"items": items})


def get(registry, item_id):
    return next(i for i in registry.items if i.id == item_id)


@pytest.mark.parametrize("statuses, expected", [
    ([S.done, S.done, S.done, S.done], S.done),
    ([S.done, S.not_started, S.not_started, S.not_started], S.in_progress),
    ([S.done, S.delayed, S.in_progress, S.done], S.delayed),
    ([S.not_started, S.not_started], S.not_started),
    ([S.cancelled, S.done], S.done),
    ([S.cancelled, S.cancelled], S.cancelled),
    ([S.in_progress], S.in_progress),
])
def test_combined_status(statuses, expected):
    assert combined_status(statuses) == expected


def test_whose_share_a_report_is_about(registry):
    item = get(registry, "2024-01")  # 三省一市局
    assert report_units(registry, item, "上海市局") == ("上海市局",)
    assert report_units(registry, item, "三省一市局") == ("上海市局", "江苏省局", "浙江省局", "安徽省局")
    assert report_units(registry, item, "嘉兴市局") == ("上海市局", "江苏省局", "浙江省局", "安徽省局")
    co_led = get(registry, "2024-21")  # 上海市局、浙江省局
    assert report_units(registry, co_led, "浙江省局") == ("浙江省局",)
    assert report_units(registry, co_led, "三省一市局") == ("上海市局", "浙江省局")


def test_unit_states_follow_each_units_latest_report(registry):
    reg = with_reports(registry, "2024-01", ("2024-06-28", "浙江省局", S.in_progress), ("2024-06-30", "上海市局", S.done),
                       ("2024-07-02", "浙江省局", S.delayed), status=S.delayed)
    states = unit_states(reg, get(reg, "2024-01"))
    assert [(s.unit, s.status, s.date) for s in states] == [
        ("上海市局", S.done, dt.date(2024, 6, 30)), ("江苏省局", S.not_started, None),
        ("浙江省局", S.delayed, dt.date(2024, 7, 2)), ("安徽省局", S.not_started, None)]
    assert list(check_registry(reg, today=TODAY)) == []


def test_validate_refuses_a_joint_status_its_units_do_not_give(registry):
    reg = with_reports(registry, "2024-01", ("2024-06-30", "上海市局", S.done), status=S.done)
    problems = [message.text("en") for _, message, _ in check_registry(reg, today=TODAY)]
    assert problems == ["status done (done) does not agree with its lead units' reports (上海市局 done (done), "
                        "江苏省局 not started (not_started), 浙江省局 not started (not_started), 安徽省局 not started "
                        "(not_started)): they give in progress (in_progress)"]


def test_each_units_share_follows_the_transition_rules(registry):
    reg = with_reports(registry, "2024-21", ("2024-06-30", "上海市局", S.done), ("2024-07-01", "上海市局", S.in_progress),
                       status=S.in_progress)
    problems = [message.text("zh") for _, message, _ in check_registry(reg, today=TODAY)]
    assert problems == ["上海市局：状态不能由 已完成（done）改为 推进中（in_progress）；可改为：无；如确需如此，请用 --force（记入进展记录）"]


def test_update_plans_one_units_share(registry):
    item = get(registry, "2024-21")
    plan = plan_update(registry, item, UpdateRequest(by="上海市局", done=True, date=dt.date(2024, 6, 30)), as_of=TODAY)
    assert (plan.units, plan.unit_old, plan.unit_new, plan.new_status, plan.milestones_done) == \
        (("上海市局",), S.not_started, S.done, S.in_progress, [])
    assert plan.entry["status"] == "done"
    reg = with_reports(registry, "2024-21", ("2024-06-30", "上海市局", S.done), status=S.in_progress)
    last = plan_update(reg, get(reg, "2024-21"), UpdateRequest(by="浙江省局", done=True, date=dt.date(2024, 7, 1)), as_of=TODAY)
    assert (last.new_status, last.milestones_done) == (S.done, [0])  # the last share done completes the item
    with pytest.raises(UpdateRefused, match="^上海市局：状态不能由 已完成"):
        plan_update(reg, get(reg, "2024-21"), UpdateRequest(by="上海市局", status=S.in_progress, date=dt.date(2024, 7, 1)), as_of=TODAY)
    with pytest.raises(UpdateRefused, match="有多个牵头单位"):
        plan_update(reg, get(reg, "2024-21"), UpdateRequest(status=S.in_progress), as_of=TODAY)


def test_the_board_counts_each_units_own_share(registry):
    reg = with_reports(registry, "2024-01", ("2024-06-30", "上海市局", S.done), status=S.in_progress)
    item = get(reg, "2024-01")
    board = status_board(reg, [item], TODAY)
    lights = {row.unit: {light for light, n in row.counts.items() if n} for row in board.rows}
    assert lights == {"上海市局": {Light.done}, "江苏省局": {Light.green}, "浙江省局": {Light.green}, "安徽省局": {Light.green}}
