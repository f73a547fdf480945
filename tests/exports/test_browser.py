"""The dashboard in a real browser: headless Chromium driven through chromedriver from the OS packages.

Nothing is downloaded: the driver and browser paths are given explicitly, so Selenium Manager never
runs. Without Chromium these tests skip, and CI (WORKPLAN_REQUIRE_REAL_CLIENTS=1) turns that into
a failure.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest

from conftest import ROOT, require_client
from test_dashboard import FOOD_IDS, OVERDUE_ON_OCT_1, ZHEJIANG_IDS

pytestmark = [pytest.mark.real_client, pytest.mark.slow]


ARTIFACTS = ROOT / "test-artifacts"


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
                         "--disable-component-update", "--disable-sync", "--no-first-run",
                         "--disable-default-apps", "--disable-extensions", f"--user-data-dir={profile}",
                         "--window-size=1280,900", "--lang=zh-CN"):
            options.add_argument(argument)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        chrome = webdriver.Chrome(service=Service(chromedriver), options=options)
        chrome.implicitly_wait(0)
        try:
            yield chrome
        finally:
            chrome.quit()


@pytest.fixture
def open_page(driver, cli, tmp_path):
    """Write a dashboard with the CLI and load it; returns the driver on the loaded page."""

    def open_(*args: str, name: str = "dashboard.html"):
        out = tmp_path / name
        r = cli("dashboard", "--html", out, *args)
        assert r.exit_code == 0, r.stderr
        driver.set_window_size(1280, 900)
        driver.get(out.resolve().as_uri())
        driver.get_log("browser")  # start each page with an empty log … then read what it said while loading
        return driver

    return open_


def console_problems(driver) -> list[dict]:
    return [entry for entry in driver.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")]


def row_ids(driver) -> list[str]:
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('#items-body tr[data-id]')).map(function (r) {"
        " return r.getAttribute('data-id'); });")


def marks(driver) -> list[tuple[str, int, str]]:
    found = driver.execute_script(
        "return Array.from(document.querySelectorAll('#timeline .tl-mark')).map(function (m) {"
        " return [m.getAttribute('data-id'), +m.getAttribute('data-milestone'), m.getAttribute('data-light')]; });")
    return [tuple(m) for m in found]


def test_page_loads_cleanly_with_all_items(driver, cli, tmp_path):
    out = tmp_path / "dashboard.html"
    assert cli("dashboard", "--html", out, "--as-of", "2024-10-01").exit_code == 0
    driver.get_log("browser")
    driver.get(out.resolve().as_uri())
    assert console_problems(driver) == []
    assert driver.title == "长三角市场监管一体化发展 2024 年工作要点 · 工作看板"
    # Nothing fetched: the page and everything in it came from the one file.
    assert driver.execute_script("return performance.getEntriesByType('resource').length") == 0
    assert len(row_ids(driver)) == 59
    assert driver.find_element("id", "count").text == "显示 59 / 59 项"
    figures = {c.get_attribute("data-figure"): c.find_element("class name", "num").text
               for c in driver.find_elements("css selector", "#cards .card")}
    assert figures == {"items": "59", "milestones": "60", "done": "0", "green": "55", "yellow": "0", "red": "5"}


def test_timeline_has_one_mark_per_milestone(open_page):
    driver = open_page("--as-of", "2024-10-01")
    found = marks(driver)
    assert len(found) == 60
    assert len(set(found)) == 60
    assert {(i, n) for i, n, light in found if light == "red"} == OVERDUE_ON_OCT_1
    assert [(i, n) for i, n, _ in found if i == "2024-18"] == [("2024-18", 1), ("2024-18", 2)]
    assert [e.text for e in driver.find_elements("css selector", "#timeline .tl-today-label")] == ["今天 2024-10-01"]
    # Grouped by section: six group rows; by lead unit: one per set of lead units, same marks.
    assert len(driver.find_elements("css selector", "#timeline .tl-group-row")) == 6
    from selenium.webdriver.support.ui import Select

    Select(driver.find_element("id", "f-group")).select_by_value("lead")
    assert len(driver.find_elements("css selector", "#timeline .tl-group-row")) == 12
    assert sorted(marks(driver)) == sorted(found)


def test_typing_in_the_filter_box_narrows_the_rows(open_page, cli):
    driver = open_page("--as-of", "2024-10-01")
    box = driver.find_element("id", "f-text")
    box.send_keys("食品")
    assert row_ids(driver) == FOOD_IDS
    assert [i["id"] for i in json.loads(cli("list", "--text", "食品", "-f", "json").stdout)] == FOOD_IDS
    assert driver.find_element("id", "count").text.startswith("显示 8 / 59 项")
    assert sorted({i for i, _, _ in marks(driver)}) == sorted(FOOD_IDS)
    # Words combine like `list --text`: both must appear; full-width letters match ASCII ones.
    box.clear()
    box.send_keys("食品 ＣＣＣ")
    assert row_ids(driver) == []
    box.clear()
    box.send_keys("ｃｃｃ 免办")
    assert row_ids(driver) == [i["id"] for i in json.loads(cli("list", "--text", "ｃｃｃ 免办", "-f", "json").stdout)]
    assert row_ids(driver) == ["2024-23"]
    box.clear()
    box.send_keys("没有这样的事项")
    assert row_ids(driver) == []
    assert driver.find_element("css selector", "#items-body tr.empty").text == "没有符合条件的事项。"
    assert marks(driver) == []


def test_choosing_a_lead_unit_matches_the_cli(open_page, cli):
    from selenium.webdriver.support.ui import Select

    driver = open_page("--as-of", "2024-10-01")
    Select(driver.find_element("id", "f-lead")).select_by_value("浙江省局")
    listed = [i["id"] for i in json.loads(cli("list", "--lead", "浙江省局", "-f", "json").stdout)]
    assert row_ids(driver) == listed == ZHEJIANG_IDS
    assert len(marks(driver)) == 37
    # Filters combine: 浙江省局 and 食品.
    driver.find_element("id", "f-text").send_keys("食品")
    assert row_ids(driver) == [i for i in FOOD_IDS if i in ZHEJIANG_IDS]
    driver.find_element("id", "f-reset").click()
    assert len(row_ids(driver)) == 59


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


def test_detail_view_by_keyboard(open_page):
    from selenium.webdriver.common.keys import Keys

    driver = open_page("--as-of", "2024-10-01")
    button = driver.find_element("css selector", "#items-body tr[data-id='2024-18'] button")
    button.send_keys(Keys.ENTER)
    dialog = driver.find_element("id", "detail")
    assert dialog.get_attribute("open") is not None
    assert driver.find_element("id", "detail-title").text == "18　举办产业计量技术创新揭榜挂帅活动"
    body = driver.find_element("id", "detail-body").text
    assert "2024-09-30　9月底前" in body and "2024-12-31　12月底前" in body
    assert "暂无进展记录。" in body
    assert driver.switch_to.active_element.get_attribute("id") == "detail-close"
    driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    assert dialog.get_attribute("open") is None
    assert driver.switch_to.active_element == button

    row = driver.find_element("css selector", "#timeline .tl-row[data-id='2024-36b']")
    driver.execute_script("arguments[0].focus()", row)
    driver.switch_to.active_element.send_keys(Keys.ENTER)
    assert driver.find_element("id", "detail-title").text.startswith("36　")
    assert "2024-36b" in driver.find_element("id", "detail-body").text
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
    driver.find_element("css selector", "#items-body tr[data-id='2024-02'] button").click()
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
    assert driver.find_element("css selector", "#items-body tr[data-id='2024-01'] button").text == hostile
    assert driver.find_elements("css selector", "#items-body img, #timeline img, main script") == []
    assert console_problems(driver) == []


def test_english_page(open_page):
    driver = open_page("--as-of", "2024-10-01", "--lang", "en")
    assert driver.find_element("id", "count").text == "Showing 59 of 59 items"
    assert driver.find_element("id", "h-timeline").text == "Timeline of the year"
    assert console_problems(driver) == []


def test_narrow_screen_has_no_page_wide_scrolling(open_page):
    driver = open_page("--as-of", "2024-10-01")
    driver.set_window_size(390, 844)
    overflow = driver.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    assert not driver.find_element("css selector", "#items thead .col-dept").is_displayed()


def test_print_stylesheet_hides_the_controls(open_page):
    driver = open_page("--as-of", "2024-10-01")
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert not driver.find_element("id", "filters").is_displayed()
        assert not driver.find_element("id", "f-group").is_displayed()
        assert driver.find_element("id", "items").is_displayed()
        pdf = driver.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True})["data"]
        assert pdf.startswith("JVBER")  # base64 of %PDF
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def test_screenshot_artifact(open_page):
    driver = open_page("--as-of", "2024-10-01")
    ARTIFACTS.mkdir(exist_ok=True)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1280, min(height, 6000))
    target = ARTIFACTS / "dashboard.png"
    assert driver.save_screenshot(str(target))
    data = target.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
