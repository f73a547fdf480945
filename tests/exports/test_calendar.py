"""The calendar feed: RFC 5545 text written by hand, parsed back with the icalendar library."""

from __future__ import annotations

import datetime as dt

import pytest

from workplan.exports.ics import escape_text, fold

icalendar = pytest.importorskip("icalendar")


def export(cli, tmp_path, *args, name="plan.ics"):
    out = tmp_path / name
    r = cli("calendar", "--ics", out, *args)
    assert r.exit_code == 0, r.stderr
    return out


def events(path):
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    return cal, [c for c in cal.walk("VEVENT")]


def test_every_milestone_is_an_all_day_event(cli, tmp_path):
    path = export(cli, tmp_path)
    cal, evs = events(path)
    assert str(cal["VERSION"]) == "2.0" and "workplan" in str(cal["PRODID"])
    assert len(evs) == 60
    by_uid = {str(e["UID"]): e for e in evs}
    assert len(by_uid) == 60
    first, second = by_uid["2024-18-m1@workplan.yrd-amr"], by_uid["2024-18-m2@workplan.yrd-amr"]
    assert first.decoded("DTSTART") == dt.date(2024, 9, 30) and first.decoded("DTEND") == dt.date(2024, 10, 1)
    assert second.decoded("DTSTART") == dt.date(2024, 12, 31) and second.decoded("DTEND") == dt.date(2025, 1, 1)
    # The unit and the deadline come first: a month view shows only the start of a title.
    assert str(first["SUMMARY"]) == "上海市局 9月30日截止：举办产业计量技术创新揭榜挂帅活动（节点1/2）"
    assert str(second["SUMMARY"]) == "上海市局 12月31日截止：举办产业计量技术创新揭榜挂帅活动（节点2/2）"
    description = str(first["DESCRIPTION"])
    assert "举措：举办产业计量技术创新挑战赛，邀请全国科研团队参与“揭榜挂帅”，共同突破制约产业发展的测量难题。" in description
    assert description.startswith("序号：18　编号：2024-18\n")
    assert "牵头单位：上海市局" in description and "\n时间节点：9月底前\n" in description
    # commas, semicolons and line breaks survive escaping: item 5's measures contain "、" and ","
    item5 = by_uid["2024-05-m1@workplan.yrd-amr"]
    assert "推动联合“双随机、一公开”监管常态化实施，同步推进" in str(item5["DESCRIPTION"])
    assert str(by_uid["2024-36b-m1@workplan.yrd-amr"]["SUMMARY"]) == "浙江省局 12月31日截止：建立长三角食品生产安全监管实训中心集群"
    assert str(by_uid["2024-54-m1@workplan.yrd-amr"]["SUMMARY"]).startswith("浙江省局、嘉兴市局 9月30日截止：")
    alarm = first.subcomponents[0]
    assert alarm.name == "VALARM" and str(alarm["ACTION"]) == "DISPLAY"
    assert str(alarm["DESCRIPTION"]).startswith("15 天后到期：上海市局 9月30日截止：")


def fire_time(event) -> dt.datetime:
    """When a reminder rings: a relative trigger counts from the all-day start's local midnight."""
    [alarm] = event.subcomponents
    return dt.datetime.combine(event.decoded("DTSTART"), dt.time()) + alarm.decoded("TRIGGER")


def test_reminders_ring_at_nine_in_the_morning(cli, tmp_path):
    _, evs = events(export(cli, tmp_path))
    fires = {str(e["UID"]).split("@")[0]: fire_time(e) for e in evs}
    assert len(fires) == 60
    assert {t.time() for t in fires.values()} == {dt.time(9, 0)}
    assert fires["2024-18-m1"] == dt.datetime(2024, 9, 15, 9, 0)  # 15 days before 30 Sep
    assert fires["2024-01-m1"] == dt.datetime(2024, 12, 16, 9, 0)
    _, week = events(export(cli, tmp_path, "--remind-days", "7", "--text", "揭榜挂帅", name="w.ics"))
    assert [fire_time(e) for e in week] == [dt.datetime(2024, 9, 23, 9, 0), dt.datetime(2024, 12, 24, 9, 0)]
    _, day = events(export(cli, tmp_path, "--remind-days", "1", "--text", "揭榜挂帅", name="d.ics"))
    assert [fire_time(e) for e in day] == [dt.datetime(2024, 9, 29, 9, 0), dt.datetime(2024, 12, 30, 9, 0)]


def test_lines_are_folded_within_75_octets(cli, tmp_path):
    raw = export(cli, tmp_path).read_bytes()
    assert raw.endswith(b"\r\n")
    lines = raw.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in lines)
    assert any(line.startswith(b" ") for line in lines)  # long Chinese text was folded
    assert b"\n" not in raw.replace(b"\r\n", b"")
    for line in lines:
        line.decode("utf-8")  # no line ends inside a character
    # unfolding restores the original text
    unfolded = raw.replace(b"\r\n ", b"").decode("utf-8")
    assert "DESCRIPTION:序号：1　编号：2024-01\\n时间节点：12月底前\\n举措：推动登记时限、流程、材料等进一步统一规范。" in unfolded


def test_uids_stable_and_filters(cli, tmp_path):
    one = {str(e["UID"]) for e in events(export(cli, tmp_path, name="a.ics"))[1]}
    two = {str(e["UID"]) for e in events(export(cli, tmp_path, name="b.ics"))[1]}
    assert one == two
    _, jiangsu = events(export(cli, tmp_path, "--lead", "江苏省局", "--direct", "--remind-days", "0", name="js.ics"))
    assert sorted(str(e["UID"]).split("@")[0] for e in jiangsu) == ["2024-14-m1", "2024-56-m1"]
    # --remind-days 0: on the day itself, at nine
    assert [fire_time(e) for e in jiangsu] == [dt.datetime(2024, 12, 31, 9, 0), dt.datetime(2024, 12, 31, 9, 0)]
    assert all(str(e.subcomponents[0]["DESCRIPTION"]).startswith("今天到期：江苏省局") for e in jiangsu)


def test_done_milestone_has_no_reminder(cli, registry_copy, tmp_path):
    assert cli("update", "18", "--milestone", "1", "--done", "--date", "2024-09-20", "--as-of", "2024-10-01",
               "--data", registry_copy).exit_code == 0
    _, evs = events(export(cli, tmp_path, "--data", registry_copy, "--text", "揭榜挂帅"))
    assert [str(e["SUMMARY"]) for e in evs] == ["【已完成】上海市局 9月30日截止：举办产业计量技术创新揭榜挂帅活动（节点1/2）",
                                                 "上海市局 12月31日截止：举办产业计量技术创新揭榜挂帅活动（节点2/2）"]
    assert [len(e.subcomponents) for e in evs] == [0, 1]


def test_stdout_and_escaping_helpers(cli):
    r = cli("calendar", "--ics", "-", "--section", "6")
    assert r.exit_code == 0 and r.stdout.startswith("BEGIN:VCALENDAR\r\n")
    assert r.stdout.count("BEGIN:VEVENT") == 7
    assert escape_text("a\\b;c,d\ne") == "a\\\\b\\;c\\,d\\ne"
    folded = fold("DESCRIPTION:" + "长" * 40 + "\\n" + "x" * 10)
    assert all(len(part.encode("utf-8")) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == "DESCRIPTION:" + "长" * 40 + "\\n" + "x" * 10
    # an escape that would straddle the 75th octet moves whole to the next line
    assert fold("DESCRIPTION:" + "x" * 62 + "\\n" + "y") == "DESCRIPTION:" + "x" * 62 + "\r\n \\ny"
    # a 3-octet character that does not fit moves whole as well
    assert fold("S:" + "x" * 71 + "长") == "S:" + "x" * 71 + "\r\n 长"


def test_the_calendar_speaks_english_with_lang_en(cli, tmp_path):
    _, evs = events(export(cli, tmp_path, "--lang", "en"))
    by_uid = {str(e["UID"]): e for e in evs}
    first = by_uid["2024-18-m1@workplan.yrd-amr"]
    assert str(first["SUMMARY"]) == "上海市局, due 9/30: 举办产业计量技术创新揭榜挂帅活动 (milestone 1/2)"
    description = str(first["DESCRIPTION"]).split("\n")
    assert description[0] == "No. 18, id 2024-18" and description[1] == "Milestone: 9月底前"
    assert [line.split(":")[0] for line in description] == ["No. 18, id 2024-18", "Milestone", "Measures",
                                                            "Lead units", "Departments", "Status"]
    assert description[-1] == "Status: not started"
    assert str(first.subcomponents[0]["DESCRIPTION"]) == "Due in 15 days: " + str(first["SUMMARY"])
    _, today = events(export(cli, tmp_path, "--lang", "en", "--remind-days", "0", name="today.ics"))
    assert {str(e.subcomponents[0]["DESCRIPTION"]).split(":")[0] for e in today} == {"Due today"}
