"""Deadline phrases in a measures text → milestones (workplan.core.deadlines)."""

from __future__ import annotations

from datetime import date

import pytest

from workplan.core.deadlines import find_deadlines


def found(text: str, year: int = 2025):
    result = find_deadlines(text, year)
    return ([(d.due, d.text, d.measure, d.tentative, d.event, d.event_text) for d in result.deadlines],
            [message.text("zh") for message in result.undecided])


@pytest.mark.parametrize("text, due, printed", [
    ("完成评估。（9月底前）", date(2025, 9, 30), "9月底前"),
    ("完成评估。(12月底前)", date(2025, 12, 31), "12月底前"),
    ("完成评估。（ 6 月底前 ）", date(2025, 6, 30), "6月底前"),
    ("完成评估。（年底前）", date(2025, 12, 31), "年底前"),
    ("完成评估。（上半年）", date(2025, 6, 30), "上半年"),
    ("完成评估。（下半年）", date(2025, 12, 31), "下半年"),
    ("完成评估。（一季度）", date(2025, 3, 31), "一季度"),
    ("完成评估。（二季度）", date(2025, 6, 30), "二季度"),
    ("完成评估。（三季度末）", date(2025, 9, 30), "三季度末"),
    ("完成评估。（第四季度）", date(2025, 12, 31), "第四季度"),
    ("完成评估。（2025年11月15日前）", date(2025, 11, 15), "2025年11月15日前"),
    ("完成评估。（10月20日前）", date(2025, 10, 20), "10月20日前"),
    ("完成评估。（2月底前）", date(2025, 2, 28), "2月底前"),
    ("完成评估。（十一月底前）", date(2025, 11, 30), "十一月底前"),
    ("完成评估。（2025年年底前）", date(2025, 12, 31), "2025年年底前"),
])
def test_each_bracketed_form(text, due, printed):
    assert found(text) == ([(due, printed, "完成评估。", False, None, None)], [])


def test_tentative_deadline_keeps_its_whole_wording():
    assert found("联合开展主题普法活动。（拟于2025年11月底前发布）") == (
        [(date(2025, 11, 30), "拟于2025年11月底前发布", "联合开展主题普法活动。", True, None, None)], [])


def test_two_deadlines_in_one_row_each_with_its_measure():
    text = ("举办产业计量技术创新挑战赛，邀请全国科研团队参与“揭榜挂帅”，共同突破制约产业发展的测量难题。（9月底前）"
            "开展华东大区示波器校准仪检定装置计量比对。（12月底前）")
    assert found(text, 2024)[0] == [
        (date(2024, 9, 30), "9月底前", "举办产业计量技术创新挑战赛，邀请全国科研团队参与“揭榜挂帅”，共同突破制约产业发展的测量难题。",
         False, None, None),
        (date(2024, 12, 31), "12月底前", "开展华东大区示波器校准仪检定装置计量比对。", False, None, None),
    ]


def test_three_deadlines_mixing_brackets_and_running_text():
    text = "上半年完成平台建设。（6月底前）三季度末前形成评估报告；（9月底前）年底前总结推广。"
    assert [(d[0], d[1], d[2]) for d in found(text)[0]] == [
        (date(2025, 6, 30), "6月底前", "上半年完成平台建设。"),
        (date(2025, 9, 30), "9月底前", "三季度末前形成评估报告；"),
        (date(2025, 12, 31), "年底前", "年底前总结推广。"),
    ]


def test_running_text_deadlines():
    assert [(d[0], d[1], d[2]) for d in found("年底前完成评估。一季度启动试点，10月20日前报送材料。")[0]] == [
        (date(2025, 12, 31), "年底前", "年底前完成评估。"),
        (date(2025, 3, 31), "一季度", "一季度启动试点，10月20日前报送材料。"),
        (date(2025, 10, 20), "10月20日前", "一季度启动试点，10月20日前报送材料。"),
    ]


def test_meeting_bracket_marks_the_milestone_before_it():
    text = "推动联合监管常态化实施。（12月底前）（拟于2024年长三角市场监管联席会议上签约）"
    assert found(text, 2024) == ([(date(2024, 12, 31), "12月底前", "推动联合监管常态化实施。", True,
                                   "2024年长三角市场监管联席会议", "拟于2024年长三角市场监管联席会议上签约")], [])


def test_meeting_bracket_without_a_deadline_is_undecided():
    assert found("签署合作协议（拟于2025年长三角市场监管联席会议上签约）") == (
        [], ["会议安排“拟于2025年长三角市场监管联席会议上签约”之前没有时间节点"])
    assert find_deadlines("签署合作协议（拟于2025年长三角市场监管联席会议上签约）", 2025).undecided[0].text("en") == \
        "meeting “拟于2025年长三角市场监管联席会议上签约” has no deadline before it"


@pytest.mark.parametrize("text", [
    "长期坚持。", "持续推进。", "", "发布《长三角有机产品网络经营管理规范》（暂定名）团体标准。",
    "开展长三角质量提升示范试点（第二批）建设。", "制定《2025年上半年工作报告》。", "形成2021—2023年综合评价。",
    "开展5类产品联动抽查，每季度通报一次。", "9月召开会议。", "守住安全底线，打通末端。",
])
def test_text_without_a_deadline(text):
    assert found(text) == ([], [])


def test_an_impossible_date_is_undecided():
    assert found("完成。（2月30日前）") == ([], ["时间节点“2月30日前”不是有效日期"])
    assert find_deadlines("完成。（2月30日前）", 2025).undecided[0].text("en") == "deadline “2月30日前” is not a valid date"
