"""The dashboard in a real browser: headless Chromium driven through chromedriver from the OS packages.

Nothing is downloaded: the driver and browser paths are given explicitly, so Selenium Manager never
runs. Without Chromium these tests skip, and CI (WORKPLAN_REQUIRE_REAL_CLIENTS=1) turns that into
a failure. Screenshots of the desktop and phone layouts go to test-artifacts/ (git-ignored).
"""

from __future__ import annotations

import base64
import json
import re
import subprocess
import tempfile
import time

import pytest

from conftest import ROOT, generated_registry, require_client
from test_dashboard import FOOD_IDS, OVERDUE_ON_OCT_1, ZHEJIANG_IDS

pytestmark = [pytest.mark.real_client, pytest.mark.slow]


ARTIFACTS = ROOT / "test-artifacts"
DESKTOP, PHONE = (1440, 900), (390, 844)


@pytest.fixture(scope="module")
def driver():
    browser = require_client("Chromium", "chromium", "chromium-browser")
    chromedriver = require_client("chromedriver", "chromedriver")
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = browser
    with tempfile.TemporaryDirectory(prefix="workplan-chromium-") as profile:
        for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
                         "--disable-default-apps", "--disable-extensions", f"--user-data-dir={profile}",
                         "--window-size=1440,900", "--lang=zh-CN"):
            options.add_argument(argument)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        chrome = webdriver.Chrome(service=Service(chromedriver), options=options)
        chrome.implicitly_wait(0)
        try:
            yield chrome
        finally:
            chrome.quit()


def set_viewport(driver, size: tuple[int, int]) -> None:
    """The layout viewport itself (a window size would include the browser's frame)."""
    width, height = size
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})


def wait_ready(driver, timeout: float = 20) -> None:
    end = time.monotonic() + timeout
    while not driver.execute_script("return document.documentElement.getAttribute('data-ready')"):
        if time.monotonic() > end:
            raise AssertionError(f"page not ready; console: {driver.get_log('browser')}")
        time.sleep(0.02)


@pytest.fixture
def open_page(driver, cli, tmp_path):
    """Write a dashboard with the CLI and load it; returns the driver on the loaded page."""

    def open_(*args: str, name: str = "dashboard.html", size: tuple[int, int] = DESKTOP):
        out = tmp_path / name
        r = cli("dashboard", "--html", out, *args)
        assert r.exit_code == 0, r.stderr
        set_viewport(driver, size)
        driver.get_log("browser")  # start each page with an empty log … then read what it said while loading
        driver.get(out.resolve().as_uri())
        wait_ready(driver)
        return driver

    return open_


def console_problems(driver) -> list[dict]:
    return [entry for entry in driver.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")]


def row_ids(driver) -> list[str]:
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('#items-body .row[data-id]')).map(function (r) {"
        " return r.getAttribute('data-id'); });")


def attention(driver, light: str) -> list[tuple[str, int, str]]:
    """(id, milestone, lateness text) of the rows in the overdue or due-soon list."""
    found = driver.execute_script(
        "return Array.from(document.querySelectorAll('#attention-' + arguments[0] + ' tr[data-id]')).map(function (r) {"
        " return [r.getAttribute('data-id'), +r.getAttribute('data-milestone'), r.querySelector('.a-late').textContent]; });",
        light)
    return [tuple(row) for row in found]


def spread_lines(driver) -> list[tuple[str, int, str]]:
    found = driver.execute_script(
        "return Array.from(document.querySelectorAll('#spread li.ms')).map(function (m) {"
        " return [m.getAttribute('data-id'), +m.getAttribute('data-milestone'), m.getAttribute('data-light')]; });")
    return [tuple(m) for m in found]


def figures(driver) -> dict[str, str]:
    return driver.execute_script(
        "var out = {}; document.querySelectorAll('#cards .card').forEach(function (c) {"
        " out[c.getAttribute('data-figure')] = c.querySelector('.num').firstChild.textContent; }); return out;")


def screenshot(driver, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / name
    assert driver.save_screenshot(str(target))
    data = target.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000


def test_page_loads_cleanly_with_all_items(open_page):
    driver = open_page("--as-of", "2024-10-01")
    assert console_problems(driver) == []
    assert driver.title == "长三角市场监管一体化发展 2024 年工作要点 · 工作看板"
    # Nothing fetched: the page and everything in it came from the one file.
    assert driver.execute_script("return performance.getEntriesByType('resource').length") == 0
    assert len(row_ids(driver)) == 59
    assert driver.find_element("id", "count").text == "显示 59 / 59 项"
    # Items and completion count items; the light cards say they count milestones.
    assert figures(driver) == {"items": "59", "completion": "0", "milestones": "60", "red": "5", "yellow": "0",
                               "green": "55", "done": "0"}
    cards = driver.find_element("id", "cards").text
    assert "未启动 59" in cards and "完成率" in cards and "按时间节点计" in cards and "0 / 59 项已完成" in cards
    assert "正常推进" not in cards  # nothing has started: green means not yet due, not on track


def test_first_screen_lists_what_workplan_overdue_lists(open_page, cli):
    driver = open_page("--as-of", "2024-10-20")
    overdue = json.loads(cli("overdue", "--as-of", "2024-10-20", "-f", "json").stdout)
    assert attention(driver, "red") == [(r["id"], r["milestone"], f"逾期 {-r['days_left']} 天") for r in overdue]
    assert {(r["id"], r["milestone"]) for r in overdue} == OVERDUE_ON_OCT_1
    soon = json.loads(cli("upcoming", "--as-of", "2024-10-20", "--within", "15d", "-f", "json").stdout)
    assert attention(driver, "yellow") == [(r["id"], r["milestone"], f"还剩 {r['days_left']} 天") for r in soon]
    # On the first screen: the list sits right under the headline figures, above the fold.
    box = driver.find_element("id", "attention-red").rect
    assert box["y"] + box["height"] < DESKTOP[1]
    assert driver.find_element("css selector", "#attention-red h3").text == "已逾期 5 个"
    row = driver.find_element("css selector", "#attention-red tr[data-id='2024-11']").text
    assert "2024-08-31" in row and "浙江省局" in row and "尚无进展报送" in row
    # It follows the page's filters like `overdue --lead` follows the option.
    from selenium.webdriver.support.ui import Select

    Select(driver.find_element("id", "f-lead")).select_by_value("上海市局")
    shanghai = json.loads(cli("overdue", "--as-of", "2024-10-20", "--lead", "上海市局", "-f", "json").stdout)
    assert [(i, n) for i, n, _ in attention(driver, "red")] == [(r["id"], r["milestone"]) for r in shanghai]
    assert len(shanghai) == 2


def test_latest_progress_is_shown_in_the_overdue_list(open_page, cli, registry_copy):
    assert cli("update", "11", "--status", "推进中", "--note", "草案已送审", "--by", "浙江省局", "--date", "2024-10-08",
               "--as-of", "2024-10-20", "--data", registry_copy).exit_code == 0
    driver = open_page("--data", str(registry_copy), "--as-of", "2024-10-20")
    row = driver.find_element("css selector", "#attention-red tr[data-id='2024-11'] .a-latest").text
    assert row == "2024-10-08 浙江省局：草案已送审"
    # A page made as of an earlier day shows what was known that day.
    driver = open_page("--data", str(registry_copy), "--as-of", "2024-10-07", name="earlier.html")
    row = driver.find_element("css selector", "#attention-red tr[data-id='2024-11'] .a-latest").text
    assert row == "尚无进展报送"


def test_deadlines_are_separated_by_month_and_by_unit(open_page):
    from selenium.webdriver.support.ui import Select

    driver = open_page("--as-of", "2024-10-20")
    groups = driver.execute_script(
        "return Array.from(document.querySelectorAll('#spread .group')).map(function (g) {"
        " return [g.getAttribute('data-group'), +g.querySelector('.g-count strong').textContent,"
        " !!g.querySelector('details.rest'), g.querySelectorAll('li.ms').length]; });")
    # Months in order; red and yellow milestones listed, the rest folded away.
    assert groups == [["2024-08", 1, False, 1], ["2024-09", 4, False, 4], ["2024-10", 2, False, 2],
                      ["2024-11", 6, True, 0], ["2024-12", 47, True, 0]]
    assert {(i, n) for i, n, light in spread_lines(driver) if light == "red"} == OVERDUE_ON_OCT_1
    # Opening a folded month lists its milestones.
    from selenium.webdriver.support.ui import WebDriverWait

    driver.find_element("css selector", "#spread .group[data-group='2024-11'] summary").click()
    # the folded rows are built when the group opens: wait for them rather than race the page
    WebDriverWait(driver, 10).until(
        lambda d: len(d.find_elements("css selector", "#spread .group[data-group='2024-11'] li.ms")) == 6)

    Select(driver.find_element("id", "f-group")).select_by_value("lead")
    group_names = ("return Array.from(document.querySelectorAll('#spread .group'))"
                   ".map(function (g) { return g.getAttribute('data-group'); });")
    WebDriverWait(driver, 10).until(lambda d: "浙江省局" in d.execute_script(group_names))
    units = driver.execute_script(group_names)
    # Units with red first (浙江省局 3, 上海市局 2, 嘉兴市局 1), then by number of milestones.
    assert units[:3] == ["浙江省局", "上海市局", "嘉兴市局"]
    assert {(i, n) for i, n, light in spread_lines(driver) if light == "red"} == OVERDUE_ON_OCT_1


def test_matrix_has_one_scale_and_a_colour_per_status(registry_copy, cli, open_page):
    # Make the statuses differ: 18 delayed, 24 done, 2 in progress.
    for args in (("18", "--status", "延期"), ("24", "--status", "已完成"), ("2", "--status", "推进中")):
        assert cli("update", *args, "--note", "x", "--by", "浙江省局", "--date", "2024-09-10", "--as-of", "2024-10-01",
                   "--data", registry_copy).exit_code == 0, args
    driver = open_page("--data", str(registry_copy), "--as-of", "2024-10-01")
    cells = driver.execute_script(
        "return Array.from(document.querySelectorAll('#matrix td.mx:not(.total)')).map(function (c) {"
        " var bar = c.querySelector('.bar span'); return [c.getAttribute('data-unit'), c.getAttribute('data-col'),"
        " +c.getAttribute('data-count'), bar ? parseFloat(bar.style.width) : 0, getComputedStyle(c).color]; });")
    counts = {(u, col): n for u, col, n, _, _ in cells}
    assert counts[("上海市局", "s:delayed")] == 1 and counts[("浙江省局", "s:done")] == 1
    # One scale: a bar's length is its count over the largest count in the whole matrix.
    largest = max(n for _, _, n, _, _ in cells)
    for unit, col, n, width, _ in cells:
        if n:
            assert width == pytest.approx(max(4, 100 * n / largest), abs=0.01), (unit, col)
    colours = {col: colour for _, col, _, _, colour in cells}
    status_colours = [colours["s:" + s] for s in ("not_started", "in_progress", "done", "delayed", "cancelled")]
    assert len(set(status_colours)) == 5  # 延期 no longer looks like 已完成


def matrix_counts(driver) -> dict[str, dict[str, int]]:
    cells = driver.execute_script(
        "return Array.from(document.querySelectorAll('#matrix td.mx')).map(function (c) {"
        " return [c.getAttribute('data-unit'), c.getAttribute('data-col'), +c.getAttribute('data-count')]; });")
    out: dict[str, dict[str, int]] = {}
    for unit, col, n in cells:
        if n:
            out.setdefault(unit, {})[col] = n
    return out


def test_joint_items_count_each_units_share(open_page, cli, registry_copy):
    """Issue 15: the matrix, the by-unit view and a page filtered by a unit count that unit's own share."""
    from selenium.webdriver.support.ui import Select, WebDriverWait

    reports = (("54", "--done", "嘉兴市局", "2024-10-10"), ("54", "--status=推进中", "浙江省局", "2024-10-12"),
               ("1", "--done", "上海市局", "2024-10-08"), ("1", "--status=延期", "安徽省局", "2024-10-09"))
    for item, change, unit, day in reports:
        r = cli("update", item, change, "--by", unit, "--note", f"{unit}报送", "--date", day, "--as-of", "2024-10-20",
                "--data", registry_copy)
        assert r.exit_code == 0, r.stderr
    driver = open_page("--data", str(registry_copy), "--as-of", "2024-10-20")
    # The item: 2024-54 in progress (嘉兴 done, 浙江 working), 2024-01 delayed (安徽 delayed).
    assert "未启动 57 · 推进中 1 · 延期 1" in driver.find_element("id", "cards").text
    # The matrix: every unit its own share's status and light, as `workplan status` counts lights.
    board = {row["unit"]: row for row in json.loads(cli("status", "--as-of", "2024-10-20", "--data", registry_copy,
                                                         "-f", "json").stdout)["board"]}
    counts = matrix_counts(driver)
    assert counts["上海市局"] == {"s:not_started": 20, "s:done": 1, "l:red": 2, "l:green": 18, "total": 21}
    assert counts["浙江省局"] == {"s:not_started": 36, "s:in_progress": 1, "l:red": 3, "l:yellow": 2, "l:green": 32,
                                  "total": 37}
    assert counts["嘉兴市局"] == {"s:not_started": 1, "s:done": 1, "l:green": 1, "total": 2}
    assert counts["安徽省局"] == {"s:not_started": 10, "s:delayed": 1, "l:green": 11, "total": 11}
    assert counts["江苏省局"] == {"s:not_started": 8, "l:green": 8, "total": 8}
    for unit, row in counts.items():
        assert [row.get("l:" + light, 0) for light in ("red", "yellow", "green")] + [row["total"]] == [
            board[unit][key] for key in ("red", "yellow", "green", "total")], unit
    # Deadlines by unit: 嘉兴市局's share of 2024-54 is done, 浙江省局's is still overdue.
    Select(driver.find_element("id", "f-group")).select_by_value("lead")
    jiaxing = "#spread .group[data-group='嘉兴市局']"
    WebDriverWait(driver, 10).until(lambda d: d.find_elements("css selector", jiaxing))
    assert driver.find_element("css selector", jiaxing + " .g-count").text == "2"  # no red figure
    assert driver.find_element("css selector", "#spread .group[data-group='浙江省局'] .g-count .light-red").text == "3"
    assert ("2024-54", 1, "red") in spread_lines(driver)

    # Filtered by a unit, on the page or on the command line: that unit's share is counted.
    def unit_page(unit: str):
        Select(driver.find_element("id", "f-lead")).select_by_value(unit)
        return figures(driver), driver.find_element("id", "cards").text, attention(driver, "red")

    shares = {"嘉兴市局": ({"items": "2", "completion": "50", "milestones": "2", "red": "0", "yellow": "0", "green": "1",
                            "done": "1"}, "未启动 1 · 已完成 1", []),
              "上海市局": ({"items": "21", "completion": "5", "milestones": "22", "red": "2", "yellow": "0", "green": "19",
                            "done": "1"}, "未启动 20 · 已完成 1", [("2024-09", 1, "逾期 20 天"), ("2024-18", 1, "逾期 20 天")])}
    for unit, (numbers, breakdown, late) in shares.items():
        shown, cards, red = unit_page(unit)
        assert shown == numbers and f"{breakdown} · 按{unit}本单位的份额计" in cards and red == late, unit
    shown, cards, red = unit_page("浙江省局")
    assert [i for i, _, _ in red] == ["2024-11", "2024-25", "2024-54"] and "推进中 1" in cards
    assert driver.find_element("css selector", "#attention-red tr[data-id='2024-54'] .a-latest").text == \
        "2024-10-12 浙江省局：浙江省局报送"
    assert driver.find_element("css selector", "#items-body .row[data-id='2024-54'] .col-status").text == "推进中"
    Select(driver.find_element("id", "f-lead")).select_by_value("嘉兴市局")
    assert driver.find_element("css selector", "#items-body .row[data-id='2024-54'] .col-status").text == "已完成"
    Select(driver.find_element("id", "f-status")).select_by_value("done")
    assert row_ids(driver) == ["2024-54"]

    driver = open_page("--data", str(registry_copy), "--as-of", "2024-10-20", "--lead", "嘉兴市局", name="jiaxing.html")
    assert figures(driver) == shares["嘉兴市局"][0] and attention(driver, "red") == []
    # The detail view lists every lead unit's share.
    driver.find_element("css selector", "#items-body .row[data-id='2024-54'] button").click()
    listed = driver.execute_script("return Array.from(document.querySelectorAll('#detail-body ul.shares li')).map("
                                   "function (li) { return [li.getAttribute('data-unit'), li.getAttribute('data-status')]; });")
    assert listed == [["浙江省局", "in_progress"], ["嘉兴市局", "done"]]
    assert console_problems(driver) == []


def test_typing_in_the_filter_box_narrows_and_highlights(open_page, cli):
    driver = open_page("--as-of", "2024-10-01")
    box = driver.find_element("id", "f-text")
    box.send_keys("食品")
    assert row_ids(driver) == FOOD_IDS
    assert [i["id"] for i in json.loads(cli("list", "--text", "食品", "-f", "json").stdout)] == FOOD_IDS
    assert driver.find_element("id", "count").text == "显示 8 / 59 项"
    marks = driver.execute_script("return Array.from(document.querySelectorAll('#items-body mark')).map(function (m) {"
                                  " return m.textContent; });")
    assert marks and set(marks) == {"食品"}
    assert driver.find_element("id", "scope").text == "关键词：食品"
    assert driver.find_element("id", "filter-summary").text == "已选 1 项"
    # Words combine like `list --text`: both must appear; full-width letters match ASCII ones.
    box.clear()
    box.send_keys("食品 ＣＣＣ")
    assert row_ids(driver) == []
    box.clear()
    box.send_keys("ｃｃｃ 免办")
    assert row_ids(driver) == [i["id"] for i in json.loads(cli("list", "--text", "ｃｃｃ 免办", "-f", "json").stdout)]
    assert row_ids(driver) == ["2024-23"]
    assert driver.find_element("css selector", "#items-body .row[data-id='2024-23'] mark").text == "CCC"
    box.clear()
    box.send_keys("没有这样的事项")
    assert row_ids(driver) == []
    assert driver.find_element("css selector", "#items-body .row.empty").text == "没有符合条件的事项。"
    assert spread_lines(driver) == []


def test_choosing_a_lead_unit_matches_the_cli(open_page, cli):
    from selenium.webdriver.support.ui import Select

    driver = open_page("--as-of", "2024-10-01")
    Select(driver.find_element("id", "f-lead")).select_by_value("浙江省局")
    listed = [i["id"] for i in json.loads(cli("list", "--lead", "浙江省局", "-f", "json").stdout)]
    assert row_ids(driver) == listed == ZHEJIANG_IDS
    assert driver.find_element("id", "scope").text == "牵头单位：浙江省局"
    assert figures(driver)["milestones"] == "37"
    # Filters combine: 浙江省局 and 食品.
    driver.find_element("id", "f-text").send_keys("食品")
    assert row_ids(driver) == [i for i in FOOD_IDS if i in ZHEJIANG_IDS]
    assert driver.find_element("id", "scope").text == "关键词：食品；牵头单位：浙江省局"
    driver.find_element("id", "f-reset").click()
    assert len(row_ids(driver)) == 59
    assert driver.find_element("id", "scope").text == "全部事项"


def test_scope_adds_page_filters_to_the_command_line_ones(open_page):
    from selenium.webdriver.support.ui import Select

    driver = open_page("--as-of", "2024-10-01", "--lead", "浙江省局")
    assert driver.find_element("id", "scope").text == "牵头单位：浙江省局"
    Select(driver.find_element("id", "f-light")).select_by_value("red")
    assert driver.find_element("id", "scope").text == "牵头单位：浙江省局；红黄绿灯：红灯"
    assert row_ids(driver) == ["2024-11", "2024-25", "2024-54"]


def test_other_filters(open_page):
    from selenium.webdriver.support.ui import Select

    driver = open_page("--as-of", "2024-10-01")
    Select(driver.find_element("id", "f-section")).select_by_value("2")
    assert row_ids(driver) == ["2024-08", "2024-09", "2024-10"]
    Select(driver.find_element("id", "f-section")).select_by_value("")
    Select(driver.find_element("id", "f-light")).select_by_value("red")
    assert row_ids(driver) == ["2024-09", "2024-11", "2024-18", "2024-25", "2024-54"]
    Select(driver.find_element("id", "f-light")).select_by_value("")
    Select(driver.find_element("id", "f-dept")).select_by_value("计量条线")
    assert row_ids(driver) == ["2024-15", "2024-16", "2024-17", "2024-18", "2024-19"]
    Select(driver.find_element("id", "f-status")).select_by_value("done")
    assert row_ids(driver) == []


def sort_by(driver, key: str) -> None:
    driver.find_element("css selector", f"#items-head [data-key='{key}'] button").click()


def next_due(item: dict) -> str:
    """The deadline the list shows for an item: its first open one, else its last."""
    open_ = [m["due"] for m in item["milestones"] if not m.get("done_on")]
    return (open_ or [item["milestones"][-1]["due"]])[0]


def test_columns_sort(open_page, cli):
    driver = open_page("--as-of", "2024-10-20")
    listed = json.loads(cli("list", "-f", "json", "--as-of", "2024-10-20").stdout)
    by_id = {i["id"]: i for i in listed}
    registry_order = [i["id"] for i in listed]
    assert row_ids(driver) == registry_order
    head = driver.find_element("css selector", "#items-head [data-key='seq']")
    assert head.get_attribute("aria-sort") == "ascending"

    sort_by(driver, "due")
    # Sorts are stable: registry order among items due the same day, either way round.
    assert row_ids(driver) == [i["id"] for i in sorted(listed, key=next_due)]
    assert driver.find_element("css selector", "#items-head [data-key='due']").get_attribute("aria-sort") == "ascending"
    assert head.get_attribute("aria-sort") == "none"
    sort_by(driver, "due")
    assert row_ids(driver) == [i["id"] for i in sorted(listed, key=next_due, reverse=True)]
    assert driver.find_element("css selector", "#items-head [data-key='due']").get_attribute("aria-sort") == "descending"

    sort_by(driver, "light")
    # Red first, the most overdue first among them, then yellow, then the rest.
    assert row_ids(driver)[:7] == ["2024-11", "2024-09", "2024-18", "2024-25", "2024-54", "2024-24", "2024-53"]
    assert {by_id[i]["light"] for i in row_ids(driver)[7:]} == {"green"}

    sort_by(driver, "lead")
    leads = ["、".join(by_id[i]["leads"]) for i in row_ids(driver)]
    assert driver.execute_script(
        "var c = new Intl.Collator('zh-CN'), a = arguments[0];"
        " return a.every(function (x, i) { return i === 0 || c.compare(a[i - 1], x) <= 0; });", leads)
    assert leads[0] != leads[-1]
    sort_by(driver, "seq")
    assert row_ids(driver) == registry_order


def test_sticky_header_stays_at_the_top(open_page):
    driver = open_page("--as-of", "2024-10-01")
    driver.execute_script("document.getElementById('items-body').children[30].scrollIntoView()")
    head = driver.execute_script("var r = document.getElementById('items-head').getBoundingClientRect();"
                                 " return [r.top, r.bottom];")
    table_top = driver.execute_script("return document.getElementById('items').getBoundingClientRect().top")
    assert table_top < -500  # the list has scrolled well past the top …
    assert head[0] == pytest.approx(0, abs=1)  # … and its header is still there
    # … covering the rows beneath it, not covered by them.
    at = driver.execute_script("var e = document.elementFromPoint(200, arguments[0]); return !!e.closest('#items-head');",
                               (head[0] + head[1]) / 2)
    assert at


def test_detail_view_by_keyboard(open_page):
    from selenium.webdriver.common.keys import Keys

    driver = open_page("--as-of", "2024-10-01")
    button = driver.find_element("css selector", "#items-body .row[data-id='2024-18'] button")
    button.send_keys(Keys.ENTER)
    dialog = driver.find_element("id", "detail")
    assert dialog.get_attribute("open") is not None
    assert driver.find_element("id", "detail-title").text == "18　举办产业计量技术创新揭榜挂帅活动"
    body = driver.find_element("id", "detail-body").text
    assert "2024-09-30　9月底前　逾期 1 天" in body and "2024-12-31　12月底前" in body
    assert "暂无进展记录。" in body
    assert driver.switch_to.active_element.get_attribute("id") == "detail-close"
    driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    assert dialog.get_attribute("open") is None
    assert driver.switch_to.active_element == button

    row = driver.find_element("css selector", "#attention-red tr[data-id='2024-54'] button")
    driver.execute_script("arguments[0].focus()", row)
    driver.switch_to.active_element.send_keys(Keys.ENTER)
    assert driver.find_element("id", "detail-title").text.startswith("54　")
    assert "2024-54" in driver.find_element("id", "detail-body").text
    driver.find_element("id", "detail-close").click()
    assert console_problems(driver) == []


def test_progress_history_in_the_detail_view(open_page, registry_copy):
    text = registry_copy.read_text(encoding="utf-8")
    anchor = "        text: 12月底前\n    status: not_started\n"
    start = text.index("  - id: 2024-02\n")
    at = text.index(anchor, start)
    text = text[:at] + ("        text: 12月底前\n    status: in_progress\n    progress:\n"
                        "      - date: 2024-06-30\n        by: 浙江省局\n        status: in_progress\n"
                        "        text: 企业码应用场景<b>已上线</b>\n        evidence: https://example.invalid/x\n"
                        ) + text[at + len(anchor):]
    registry_copy.write_text(text, encoding="utf-8")
    driver = open_page("--data", str(registry_copy), "--as-of", "2024-10-01")
    driver.find_element("css selector", "#items-body .row[data-id='2024-02'] button").click()
    body = driver.find_element("id", "detail-body").text
    assert "2024-06-30　浙江省局　推进中" in body
    assert "企业码应用场景<b>已上线</b>" in body
    assert "佐证材料：https://example.invalid/x" in body
    assert driver.find_elements("css selector", "#detail-body a, #detail-body b") == []
    assert driver.execute_script("return performance.getEntriesByType('resource').length") == 0


def test_hostile_title_shows_as_text_and_runs_nothing(open_page, registry_copy):
    from selenium.common.exceptions import NoAlertPresentException

    hostile = "<script>alert(1)</script><img src=x onerror=\"window.pwned=1;alert(2)\">"
    text = registry_copy.read_text(encoding="utf-8")
    registry_copy.write_text(text.replace("title: 打造长三角商事登记增值化服务模式", "title: " + json.dumps(hostile), 1),
                             encoding="utf-8")
    driver = open_page("--data", str(registry_copy), "--as-of", "2024-10-01", name="hostile.html")
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text
    assert driver.execute_script("return window.pwned") is None
    assert driver.find_element("css selector", "#items-body .row[data-id='2024-01'] button").get_attribute(
        "textContent") == hostile
    # Typing a piece of it marks the words without turning the rest into markup.
    driver.find_element("id", "f-text").send_keys("alert")
    assert driver.find_element("css selector", "#items-body .row[data-id='2024-01'] button").get_attribute(
        "textContent") == hostile
    assert driver.find_elements("css selector", "#items-body img, #spread img, main script") == []
    assert console_problems(driver) == []


def test_english_page(open_page):
    driver = open_page("--as-of", "2024-10-01", "--lang", "en")
    assert driver.find_element("id", "count").text == "Showing 59 of 59 items"
    assert driver.find_element("id", "h-spread").text == "Where the deadlines fall"
    assert attention(driver, "red")[0][2] == "31 days late"
    assert console_problems(driver) == []


# Every text node and every title, label or placeholder a reader can see, outside the data element.
PAGE_WORDS = """
var out = [], walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
while (walker.nextNode()) {
  var parent = walker.currentNode.parentElement;
  if (!parent.closest('script, style')) out.push(walker.currentNode.textContent);
}
document.querySelectorAll('[title], [aria-label], [placeholder]').forEach(function (e) {
  ['title', 'aria-label', 'placeholder'].forEach(function (a) { if (e.hasAttribute(a)) out.push(e.getAttribute(a)); });
});
out.push(document.title);
return out.join('\\n');
"""


def registry_words(driver) -> list[str]:
    """The registry's own texts the page shows (titles, units, departments, sections …), longest first."""
    texts = driver.execute_script(
        "var d = JSON.parse(arguments[0]); return d.strings.concat(d.leads, d.departments,"
        " d.sections.map(function (s) { return s.label + s.title; }), d.sections.map(function (s) { return s.title; }),"
        " Object.keys(d.tasks).map(function (k) { return d.tasks[k]; }), [d.plan.title, d.plan.doc_number]);",
        json.dumps(page_data(driver), ensure_ascii=False))
    return sorted(set(texts), key=len, reverse=True)


def page_data(driver) -> dict:
    from test_dashboard import embedded_data, parse_page

    return embedded_data(parse_page(driver.execute_script("return document.documentElement.outerHTML")))


def test_english_page_is_english_but_for_the_registrys_own_texts(open_page, registry_copy, cli):
    # Two reports, so the detail view shows progress, and 2025 deadlines, so months carry a year.
    assert cli("update", "1", "--status", "推进中", "--note", "上海：已完成流程梳理", "--by", "上海市局", "--date", "2024-06-30",
               "--as-of", "2024-10-20", "--data", registry_copy).exit_code == 0
    driver = open_page("--as-of", "2024-10-20", "--lang", "en", "--data", str(registry_copy))
    for summary in driver.find_elements("css selector", "#spread details.rest summary"):
        summary.click()
    driver.execute_script("document.getElementById('items').scrollIntoView()")
    driver.find_element("css selector", "#items-body .row[data-id='2024-01'] button").click()
    text = driver.execute_script(PAGE_WORDS)
    for own in registry_words(driver):
        text = text.replace(own, "")
    chinese = sorted({line.strip() for line in text.splitlines() if re.search(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]", line)})
    assert chinese == []
    assert "Overdue: 5" in text and "Latest progress" in text and "Progress reports" in text
    assert console_problems(driver) == []


def test_desktop_screenshot(open_page):
    driver = open_page("--as-of", "2024-10-20")
    screenshot(driver, "dashboard-1440x900.png")


def test_phone_layout(open_page):
    driver = open_page("--as-of", "2024-10-20", size=PHONE)
    assert driver.execute_script("return window.innerWidth") == PHONE[0]
    overflow = driver.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    # Filters start folded; the headline and the overdue list come first.
    assert driver.find_element("id", "filter-box").get_attribute("open") is None
    assert not driver.find_element("id", "f-lead").is_displayed()
    assert driver.find_element("id", "attention-red").rect["y"] < 1.5 * PHONE[1]
    # Every panel fits the screen, the matrix included.
    widths = driver.execute_script(
        "return Array.from(document.querySelectorAll('.panel, #matrix-table, #spread')).map(function (p) {"
        " var r = p.getBoundingClientRect(); return [p.id || p.className, r.left, r.right, p.scrollWidth - p.clientWidth]; });")
    for name, left, right, hidden in widths:
        assert left >= 0 and right <= PHONE[0] and hidden <= 0, name
    # Items are cards of a fixed height: 59 of them are a few thousand pixels, not twelve thousand.
    assert not driver.find_element("css selector", "#items-head .col-dept").is_displayed()
    height = driver.execute_script("return document.getElementById('items').getBoundingClientRect().height")
    assert height < 59 * 120
    title = driver.find_element("css selector", "#items-body .row[data-id='2024-01'] .col-title")
    assert title.rect["width"] > 250  # a title has the card's width, not two characters a line
    screenshot(driver, "dashboard-390x844.png")
    driver.find_element("css selector", "#filter-box summary").click()
    assert driver.find_element("id", "f-lead").is_displayed()


def test_print_has_page_numbers_and_no_controls(open_page, cli, tmp_path):
    pdftotext = require_client("pdftotext", "pdftotext")
    driver = open_page("--as-of", "2024-10-20")
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert not driver.find_element("id", "filter-box").is_displayed()
        assert not driver.find_element("id", "f-group").is_displayed()
        assert driver.find_element("id", "items").is_displayed()
        pdf = driver.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True})["data"]
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    path = tmp_path / "dashboard.pdf"
    path.write_bytes(base64.b64decode(pdf))
    pages = subprocess.run([pdftotext, "-layout", str(path), "-"], capture_output=True, text=True, encoding="utf-8",
                           check=True).stdout.split("\f")
    pages = [p for p in pages if p.strip()]
    count = len(pages)
    for number, text in enumerate(pages, start=1):
        assert re.search(rf"\b{number}\s*/\s*{count}\s*$", text), number  # pdftotext may drop the spaces
    first = pages[0]
    # Page 1 is full: the figures and the whole overdue and due-soon list, not a lone header.
    assert "完成率" in first and "已逾期 5 个" in first and "建立长三角统一地方标准管理机制" in first
    assert "建设示范区食品安全追溯体系" in first  # the last of the due-soon rows
    assert len([line for line in first.splitlines() if line.strip()]) > 35
    assert "关键词" not in "".join(pages) and "清除筛选" not in "".join(pages)
    # The list's header row is printed again at the top of every page the list runs on.
    header = re.compile(r"序号\s+合作事项\s+牵头单位\s+责任部门\s+下一截止\s+状态\s+红黄绿灯")
    starts = next(n for n, text in enumerate(pages) if "事项清单" in text)
    assert count - starts >= 3  # the list runs over several pages …
    for number, text in enumerate(pages[starts:], start=starts + 1):
        assert header.search(text), number  # … each with its header
        assert "2024-12-31" in text.split(header.search(text).group(0))[1], number  # above the rows
    # Every item is printed, not only the rows that were on screen: each row shows its next deadline.
    listed = json.loads(cli("list", "-f", "json", "--as-of", "2024-10-20").stdout)
    everything = "".join(pages)
    assert everything.count("2024-12-31") == sum(next_due(i) == "2024-12-31" for i in listed)


def test_ten_thousandish_items_draw_only_the_rows_in_view(driver, cli, tmp_path):
    data_file = generated_registry(tmp_path / "items.yaml", 3000, seed=11)
    out = tmp_path / "big.html"
    assert cli("dashboard", "--html", out, "--data", data_file, "--as-of", "2024-10-20").exit_code == 0
    listed = [i["id"] for i in json.loads(cli("list", "-f", "json", "--data", data_file).stdout)]
    set_viewport(driver, DESKTOP)
    driver.get_log("browser")
    driver.get(out.resolve().as_uri())
    wait_ready(driver)
    assert console_problems(driver) == []
    assert driver.find_element("id", "count").text == "显示 3000 / 3000 项"
    assert row_ids(driver) == []  # the list is below the first screen: nothing of it is drawn yet

    def rows_when(test):
        end = time.monotonic() + 5
        while not test(row_ids(driver)) and time.monotonic() < end:
            time.sleep(0.05)
        return row_ids(driver)

    driver.execute_script("document.getElementById('items').scrollIntoView()")
    drawn = rows_when(lambda ids: ids)
    assert 10 < len(drawn) < 100 and drawn == listed[:len(drawn)]
    driver.execute_script("window.scrollTo(0, document.documentElement.scrollHeight)")
    drawn = rows_when(lambda ids: ids[-1:] == listed[-1:])
    assert drawn[-1] == listed[-1] and len(drawn) < 100
    # Typing waits for a pause on a list this long; the result is the CLI's.
    driver.find_element("id", "f-text").send_keys("食品")
    expected = json.loads(cli("list", "--text", "食品", "-f", "json", "--data", data_file).stdout)
    end = time.monotonic() + 5
    while driver.find_element("id", "count").text != f"显示 {len(expected)} / 3000 项" and time.monotonic() < end:
        time.sleep(0.05)
    assert driver.find_element("id", "count").text == f"显示 {len(expected)} / 3000 项"
    driver.execute_script("document.getElementById('items').scrollIntoView()")
    drawn = rows_when(lambda ids: ids and ids[0] == expected[0]["id"])
    assert drawn == [i["id"] for i in expected][:len(drawn)]

    # On a phone too: nothing wider than the screen, the cards drawn only where they are in view.
    set_viewport(driver, PHONE)
    driver.get(out.resolve().as_uri())
    wait_ready(driver)
    assert driver.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    driver.execute_script("document.getElementById('items').scrollIntoView(); window.scrollBy(0, 52000)")
    drawn = rows_when(lambda ids: len(ids) > 3)
    assert 3 < len(drawn) < 40 and drawn == listed[drawn and listed.index(drawn[0]):][:len(drawn)]
    assert 480 < listed.index(drawn[0]) < 500  # 52,000 px of 104 px cards
    assert console_problems(driver) == []


def test_items_without_a_deadline_show_as_wushixian(open_page):
    """tests/fixtures/no_deadline.yaml: three of four items have no milestone (无时限)."""
    from conftest import FIXTURES

    driver = open_page("--as-of", "2025-10-01", "--data", str(FIXTURES / "no_deadline.yaml"))
    assert console_problems(driver) == []
    assert row_ids(driver) == ["2025-01", "2025-02", "2025-03", "2025-04"]
    assert spread_lines(driver) == [("2025-01", 1, "red")]
    lights = driver.execute_script(
        "return Array.from(document.querySelectorAll('#items-body .row[data-id] .col-light')).map(function (c) {"
        " return c.textContent.trim(); });")
    assert lights == ["红灯", "无时限", "无时限", "已完成"]
    dates = driver.execute_script(
        "return Array.from(document.querySelectorAll('#items-body .row[data-id] .col-due')).map(function (c) {"
        " return c.textContent.trim(); });")
    assert dates[1:] == ["", "", ""]
    sort_by(driver, "due")
    assert row_ids(driver) == ["2025-01", "2025-02", "2025-03", "2025-04"]  # no deadline: after every date


PRINT_CUT = {"zh": "打印件只列出前 {shown} 项（共 {total} 项）", "en": "The printout lists the first {shown} of {total} items"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_printout_stops_at_the_print_cap_and_says_so(driver, registry, tmp_path, lang):
    """exports/dashboard.py PRINT_ROWS (3000) set low through render_dashboard's print_rows:
    the PDF lists exactly that many rows of the list, then the notice."""
    import datetime as dt

    from workplan.exports.dashboard import PRINT_ROWS, render_dashboard

    pdftotext = require_client("pdftotext", "pdftotext")
    assert PRINT_ROWS == 3000 and 'data-print-rows="3000"' in render_dashboard(
        registry, registry.items[:1], as_of=dt.date(2024, 10, 20))
    cap, items = 5, registry.items
    out = tmp_path / "dashboard.html"
    out.write_text(render_dashboard(registry, items, as_of=dt.date(2024, 10, 20), lang=lang, print_rows=cap),
                   encoding="utf-8")
    set_viewport(driver, DESKTOP)
    driver.get(out.resolve().as_uri())
    wait_ready(driver)
    assert not driver.find_element("id", "print-cut").is_displayed()  # on screen every row is there
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        pdf = driver.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True})["data"]
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    path = ARTIFACTS / f"print-cap-{lang}.pdf"
    path.write_bytes(base64.b64decode(pdf))
    text = subprocess.run([pdftotext, "-layout", str(path), "-"], capture_output=True, text=True, encoding="utf-8",
                          check=True).stdout
    (ARTIFACTS / f"print-cap-{lang}.txt").write_text(text, encoding="utf-8")
    # pdftotext spaces the words its own way: compared without spaces.
    notice = PRINT_CUT[lang].format(shown=cap, total=len(items))
    assert re.sub(r"\s+", "", notice) in re.sub(r"\s+", "", text)
    # The list's rows: after its header row, each begins with the item's 序号, in order.
    header = {"zh": r"序号\s+合作事项", "en": r"No\.\s+Item"}[lang]
    listed = re.split(header, text)[-1].split(notice.split()[0])[0]
    seqs = [int(m) for m in re.findall(r"^ *(\d{1,3}) +\S", listed, re.MULTILINE)]
    assert seqs == sorted(i.seq for i in items)[:cap]
