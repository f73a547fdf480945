"""The HTML dashboard file (structure, no external resources, escaping, embedded data) and `timeline`.

What a browser does with the page is in test_browser.py.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import ROOT

# Items whose title, measures or responsible departments contain 食品, read off data/items.yaml.
FOOD_IDS = ["2024-26", "2024-33", "2024-34", "2024-35", "2024-36", "2024-36b", "2024-53", "2024-56"]

# Items led by 浙江省局 itself (26), with another unit (上海市局 2024-21/32/44, 嘉兴市局 2024-52/54),
# or through the group 三省一市局 (2024-01/10/13/15/16/57): 37 in all.
ZHEJIANG_IDS = [
    "2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06", "2024-07", "2024-08", "2024-10",
    "2024-11", "2024-13", "2024-15", "2024-16", "2024-20", "2024-21", "2024-22", "2024-24", "2024-25",
    "2024-27", "2024-28", "2024-32", "2024-33", "2024-35", "2024-36", "2024-36b", "2024-40", "2024-43",
    "2024-44", "2024-45", "2024-46", "2024-47", "2024-48", "2024-51", "2024-52", "2024-53", "2024-54",
    "2024-57",
]

# Milestones due before 2024-10-01 (none done): 8月底前 for 2024-11, 9月底前 for the others.
OVERDUE_ON_OCT_1 = {("2024-09", 1), ("2024-11", 1), ("2024-18", 1), ("2024-25", 1), ("2024-54", 1)}
# Due 2024-10-31, within 15 days of 2024-10-20.
DUE_SOON_ON_OCT_20 = {("2024-24", 1), ("2024-53", 1)}

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class PageParser(HTMLParser):
    """Checks that every element is closed in order and collects what the tests look at."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[tuple[dict, str]] = []
        self.styles: list[str] = []
        self._capture: tuple[str, dict] | None = None
        self._text: list[str] = []
        self.doctype = None

    def handle_decl(self, decl):
        self.doctype = decl

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag in VOID:
            return
        self.stack.append(tag)
        if tag in ("script", "style"):
            self._capture, self._text = (tag, attributes), []

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag in VOID:
            self.errors.append(f"end tag for void element {tag}")
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()
        if self._capture and tag == self._capture[0]:
            kind, attributes = self._capture
            text = "".join(self._text)
            (self.scripts.append((attributes, text)) if kind == "script" else self.styles.append(text))
            self._capture = None

    def handle_data(self, data):
        if self._capture:
            self._text.append(data)


def parse_page(text: str) -> PageParser:
    parser = PageParser()
    parser.feed(text)
    parser.close()
    return parser


def embedded_data(page: PageParser) -> dict:
    """The data element's content, inflated if the page carries it compressed."""
    [(attrs, text)] = [(a, t) for a, t in page.scripts if a.get("id") == "wp-data"]
    if attrs.get("data-encoding") == "gzip-base64":
        assert attrs.get("type") == "text/plain"
        return json.loads(gzip.decompress(base64.b64decode(text)).decode("utf-8"))
    assert attrs.get("type") == "application/json" and attrs.get("data-encoding") == "json"
    return json.loads(text)


# `list -f json` fields compared apart: each lead unit's share (the page carries shares of joint
# items only; a single lead's share is the item's status). Of a progress report the page carries
# what the detail view shows.
NOT_ON_PAGE = {"units"}
PROGRESS_SHOWN = ("date", "by", "status", "text", "evidence", "milestone")


def shown_progress(entries: list[dict]) -> list[dict]:
    return [{k: e[k] for k in PROGRESS_SHOWN if k in e} for e in entries]


def same_record(item: dict, record: dict) -> bool:
    """The decoded item holds every field of the list record (milestones compared apart), the same."""
    keys = set(record) - NOT_ON_PAGE - {"milestones", "progress"}
    assert keys <= set(item), keys - set(item)
    units = [{"unit": u["unit"], "status": u["status"]} | ({"date": u["date"]} if item["joint"] else {})
             for u in record["units"]]
    return ({k: item[k] for k in keys} == {k: record[k] for k in keys}
            and shown_progress(item["progress"]) == shown_progress(record["progress"])
            and item["units"] == units)


def decoded_items(data: dict) -> list[dict]:
    """The compact items back in the `list -f json` form (the layout dashboard_data documents)."""
    strings, statuses = data["strings"], [s["code"] for s in data["statuses"]]
    lights = [light["code"] for light in data["lights"]]

    def text(i):
        return None if i < 0 else strings[i]

    items = []
    for (id_, seq, title, measures, _display, depts, leads, units, section, task, status, light,
         milestones, progress, shares) in data["items"]:
        record = {
            "id": id_, "seq": seq, "title": strings[title], "measures": strings[measures], "section": section,
            "task": task, "departments": [strings[d] for d in depts], "leads": [strings[x] for x in leads],
            "lead_units": [strings[u] for u in units], "joint": len(units) > 1,
            "milestones": [], "status": statuses[status], "light": lights[light],
        }
        for due, mtext, measure, mlight, done_on, tentative, event, event_text in milestones:
            m = {"due": due, "text": strings[mtext], "done_on": done_on or None, "tentative": bool(tentative),
                 "light": lights[mlight]}
            for key, value in (("measure", text(measure)), ("event", text(event)), ("event_text", text(event_text))):
                if value is not None:
                    m[key] = value
            record["milestones"].append(m)
        record["progress"] = [
            {k: v for k, v in (("date", date), ("by", strings[by]), ("status", statuses[st]), ("text", strings[t]),
                               ("evidence", text(ev)), ("milestone", n or None), ("forced", bool(forced)))
             if v is not None}
            for date, by, st, t, ev, n, forced in progress]
        if shares:
            assert len(shares) == len(units) > 1
            record["units"] = [{"unit": strings[u], "status": statuses[st], "date": progress[at][0] if at >= 0 else None}
                               for u, (st, at) in zip(units, shares)]
        else:
            assert len(units) == 1
            record["units"] = [{"unit": strings[units[0]], "status": record["status"]}]
        items.append(record)
    return items


@pytest.fixture
def make_page(cli, tmp_path):
    def make(*args: str) -> tuple[str, PageParser]:
        out = tmp_path / "dashboard.html"
        r = cli("dashboard", "--html", out, *args)
        assert r.exit_code == 0, r.stderr
        assert r.stdout == ""
        text = out.read_text(encoding="utf-8")
        return text, parse_page(text)

    return make


def test_page_is_well_formed_and_self_contained(make_page):
    text, page = make_page("--as-of", "2024-10-01")
    assert page.doctype.lower() == "doctype html"
    assert page.errors == []
    assert page.stack == []
    # No attribute anywhere points at a resource: no src, no href, no external URL.
    for tag, attrs in page.tags:
        for name, value in attrs.items():
            assert name not in ("src", "href", "srcset", "action", "poster", "data"), (tag, name, value)
            assert "http" not in (value or "") or (tag, name) == ("meta", "http-equiv"), (tag, name, value)
    assert not [t for t, _ in page.tags if t in ("link", "iframe", "img", "object", "embed", "base")]
    css = "".join(page.styles)
    assert "@import" not in css and "url(" not in css and "@font-face" not in css
    for attrs, script in page.scripts:
        assert "src" not in attrs
        assert "fetch(" not in script and "XMLHttpRequest" not in script and "import(" not in script
    assert len(page.scripts) == 2


def test_content_security_policy_admits_only_the_page_script(make_page):
    text, page = make_page("--as-of", "2024-10-01")
    [csp] = [a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert "default-src 'none'" in csp
    [(_, script)] = [(a, s) for a, s in page.scripts if "type" not in a]
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in csp


def test_cjk_font_stack_print_and_narrow_styles(make_page):
    _, page = make_page("--as-of", "2024-10-01")
    css = "".join(page.styles)
    assert '"Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC"' in css
    assert "@media print" in css and "@page" in css
    assert "@media (max-width: 600px)" in css
    assert ":focus-visible" in css


def test_labels_in_chinese_by_default_and_english_on_request(make_page):
    text, page = make_page("--as-of", "2024-10-01")
    assert page.tags[0] == ("html", {"lang": "zh-CN", "data-print-rows": "3000"})
    assert "总体情况" in text and "逾期与即将到期" in text and "时间节点分布" in text
    assert "截至：<strong>2024-10-01</strong>" in text
    data = embedded_data(page)
    assert {s["code"]: s["label"] for s in data["statuses"]}["in_progress"] == "推进中"

    text, page = make_page("--as-of", "2024-10-01", "--lang", "en")
    assert page.tags[0] == ("html", {"lang": "en", "data-print-rows": "3000"})
    assert "Overview" in text and "Where the deadlines fall" in text and "总体情况" not in text
    assert {s["code"]: s["label"] for s in embedded_data(page)["statuses"]}["in_progress"] == "in progress"


def test_every_filter_control_is_labelled(make_page):
    _, page = make_page("--as-of", "2024-10-01")
    labelled = {a["for"] for t, a in page.tags if t == "label"}
    controls = [a["id"] for t, a in page.tags if t in ("input", "select")]
    assert controls == ["f-text", "f-lead", "f-dept", "f-section", "f-status", "f-light", "f-group"]
    assert set(controls) <= labelled
    assert all(a.get("type") for t, a in page.tags if t == "button")


def test_embedded_data_round_trips_and_follows_the_list_contract(make_page, cli):
    _, page = make_page("--as-of", "2024-10-01")
    data = embedded_data(page)
    assert data["as_of"] == "2024-10-01"
    assert data["range"] == {"start": "2024-01-01", "end": "2024-12-31"}
    items = decoded_items(data)
    assert len(items) == 59
    assert sum(len(i["milestones"]) for i in items) == 60
    # Every string once: the 59 items share units, departments and deadline wording.
    assert len(data["strings"]) == len(set(data["strings"]))

    listed = json.loads(cli("list", "-f", "json", "--as-of", "2024-10-01").stdout)
    assert [i["id"] for i in items] == [i["id"] for i in listed]
    for record, item in zip(listed, items):
        assert same_record(item, record)
        assert [{k: m.get(k) for k in r} for r, m in zip(record["milestones"], item["milestones"])] == record["milestones"]

    lights = {(i["id"], n + 1): m["light"] for i in items for n, m in enumerate(i["milestones"])}
    assert {k for k, v in lights.items() if v == "red"} == OVERDUE_ON_OCT_1
    assert {k for k, v in lights.items() if v == "yellow"} == set()
    assert sum(v == "green" for v in lights.values()) == 55


def test_progress_reaches_the_page(cli, registry_copy, tmp_path):
    assert cli("update", "18", "--status", "推进中", "--note", "已发布榜单", "--by", "上海市局", "--date", "2024-09-10",
               "--as-of", "2024-10-01", "--data", registry_copy).exit_code == 0
    out = tmp_path / "d.html"
    assert cli("dashboard", "--html", out, "--data", registry_copy, "--as-of", "2024-10-01").exit_code == 0
    [item] = [i for i in decoded_items(embedded_data(parse_page(out.read_text(encoding="utf-8")))) if i["id"] == "2024-18"]
    shown = json.loads(cli("show", "18", "-f", "json", "--data", registry_copy).stdout)
    shown = shown[0] if isinstance(shown, list) else shown
    assert item["status"] == "in_progress" and shown_progress(item["progress"]) == shown_progress(shown["progress"])
    assert item["progress"][-1]["text"] == "已发布榜单"


@pytest.mark.slow
def test_large_registry_is_compressed_and_round_trips(cli, tmp_path):
    from conftest import generated_registry

    data_file = generated_registry(tmp_path / "items.yaml", 1500, seed=7)
    out = tmp_path / "big.html"
    assert cli("dashboard", "--html", out, "--data", data_file, "--as-of", "2024-10-20").exit_code == 0
    page = parse_page(out.read_text(encoding="utf-8"))
    [(attrs, _)] = [(a, t) for a, t in page.scripts if a.get("id") == "wp-data"]
    assert attrs["data-encoding"] == "gzip-base64"
    items = decoded_items(embedded_data(page))
    listed = json.loads(cli("list", "-f", "json", "--data", data_file, "--as-of", "2024-10-20").stdout)
    assert len(items) == len(listed) == 1500
    for record, item in zip(listed, items):
        assert same_record(item, record)


def test_compressed_and_plain_payloads_hold_the_same_data(registry):
    from workplan.exports.dashboard import dashboard_data, embed_data

    import datetime as dt

    data = dashboard_data(registry, registry.items, as_of=dt.date(2024, 10, 1))
    kind, plain = embed_data(data)
    assert kind == "json" and json.loads(plain) == json.loads(json.dumps(data))
    kind, packed = embed_data(data, compress=True)
    assert kind == "gzip-base64" and set(packed) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=")
    assert json.loads(gzip.decompress(base64.b64decode(packed))) == json.loads(plain)


def test_warning_window_turns_lights_yellow(make_page):
    _, page = make_page("--as-of", "2024-10-20")
    lights = {(i["id"], n + 1): m["light"] for i in decoded_items(embedded_data(page)) for n, m in enumerate(i["milestones"])}
    assert {k for k, v in lights.items() if v == "yellow"} == DUE_SOON_ON_OCT_20
    assert {k for k, v in lights.items() if v == "red"} == OVERDUE_ON_OCT_1

    _, page = make_page("--as-of", "2024-10-20", "--warn-days", "5")
    assert not [m for i in decoded_items(embedded_data(page)) for m in i["milestones"] if m["light"] == "yellow"]


def test_cli_filters_choose_the_items_and_are_shown(make_page, cli):
    text, page = make_page("--as-of", "2024-10-01", "--lead", "浙江省局")
    data = embedded_data(page)
    assert [i["id"] for i in decoded_items(data)] == ZHEJIANG_IDS
    # The scope is said in words, not as the options that were typed.
    assert data["scope"] == "牵头单位：浙江省局"
    assert '范围：<span id="scope">牵头单位：浙江省局</span>' in text
    assert "--lead" not in text[:text.index("<script")].split("</style>")[1]  # the visible page

    chosen = ("--text", "食品", "--section", "5", "--status", "未启动", "--due-before", "2024-12-31")
    text, page = make_page("--as-of", "2024-10-01", *chosen)
    assert embedded_data(page)["scope"] == ("所属部分：（五）强化一体化监管服务能力；状态：未启动；关键词：食品；"
                                            "截止不晚于 2024-12-31")
    listed = [i["id"] for i in json.loads(cli("list", "-f", "json", *chosen).stdout)]
    assert [i["id"] for i in decoded_items(embedded_data(page))] == listed == ["2024-33", "2024-34", "2024-35", "2024-36", "2024-36b"]

    _, page = make_page("--as-of", "2024-10-01", "--lead", "浙江省局", "--lang", "en")
    assert embedded_data(page)["scope"] == "Lead unit: 浙江省局"


def test_group_by_is_passed_to_the_page(make_page):
    _, page = make_page("--group-by", "lead")
    assert embedded_data(page)["group_by"] == "lead"
    _, page = make_page()
    assert embedded_data(page)["group_by"] == "month"


def test_registry_markup_is_data_not_html(cli, registry_copy, tmp_path):
    hostile = "<script>alert(1)</script></script><img src=x onerror=alert(2)><!-- & \u2028\u2029"
    text = registry_copy.read_text(encoding="utf-8")
    # A JSON string is a YAML double-quoted scalar: the escapes keep U+2028 from being read as a line end.
    text = text.replace("title: 打造长三角商事登记增值化服务模式", "title: " + json.dumps(hostile), 1)
    registry_copy.write_text(text, encoding="utf-8")
    out = tmp_path / "hostile.html"
    r = cli("dashboard", "--html", out, "--data", registry_copy, "--as-of", "2024-10-01")
    assert r.exit_code == 0, r.stderr

    page_text = out.read_text(encoding="utf-8")
    assert "alert(" in page_text  # the title is there …
    assert "<script>alert" not in page_text and "<img" not in page_text and "<!--" not in page_text  # … inert
    assert "\u2028" not in page_text and "\u2029" not in page_text
    page = parse_page(page_text)
    assert page.errors == [] and page.stack == []
    assert len(page.scripts) == 2
    assert decoded_items(embedded_data(page))[0]["title"] == hostile


def test_embed_json_escapes_what_could_end_a_script():
    from workplan.exports.dashboard import embed_json

    value = {"x": "</script><!--<script>&amp;\u2028\u2029", "y": ["<>", 1, None]}
    text = embed_json(value)
    for bad in ("<", ">", "&", "\u2028", "\u2029"):
        assert bad not in text
    assert json.loads(text) == value


def test_html_to_stdout(cli):
    r = cli("dashboard", "--html", "-", "--as-of", "2024-10-01", "--section", "2")
    assert r.exit_code == 0
    page = parse_page(r.stdout)
    assert [i["id"] for i in decoded_items(embedded_data(page))] == ["2024-08", "2024-09", "2024-10"]


@pytest.mark.parametrize(
    "args, message",
    [
        ([], "缺少 '--html'"),
        (["--html", "x.html", "--as-of", "someday"], "--as-of"),
        (["--html", "x.html", "--lead", "浙江局"], "未知单位"),
        (["--html", "x.html", "--group-by", "year"], "--group-by"),
    ],
)
def test_bad_usage_is_one_line_exit_2(cli, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    r = cli("dashboard", "--data", ROOT / "data" / "items.yaml", *args)
    assert r.exit_code == 2
    assert message in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x.html").exists()


def test_broken_registry_is_exit_1(cli, registry_copy, tmp_path):
    registry_copy.write_text(registry_copy.read_text(encoding="utf-8").replace("seq: 1\n", "seq: one\n", 1),
                             encoding="utf-8")
    out = tmp_path / "d.html"
    r = cli("dashboard", "--html", out, "--data", registry_copy)
    assert r.exit_code == 1
    assert str(registry_copy) in r.stderr and "Traceback" not in r.stderr
    assert not out.exists()


def test_assets_ship_inside_the_package():
    from importlib import resources

    folder = resources.files("workplan.exports")
    for name in ("dashboard_template.html", "dashboard.css", "dashboard.js"):
        assert folder.joinpath(name).is_file()


def test_list_does_not_load_the_dashboard_code():
    code = ("import sys, workplan.cli.commands; from workplan.cli.app import run\n"
            "try:\n    run(['list', '-n', '1', '-f', 'json'])\nexcept SystemExit: pass\n"
            "print('workplan.exports.dashboard' in sys.modules, file=sys.stderr)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8", cwd=ROOT)
    assert r.stderr.strip().splitlines()[-1] == "False"


# -- the terminal timeline --------------------------------------------------------------------------

def chart_rows(stdout: str) -> dict[str, str]:
    """Item rows of the timeline by printed 序号 (group rows and legend left out)."""
    rows = {}
    for line in stdout.splitlines():
        match = re.match(r"\s*(\d+)\s", line)
        if match:
            rows.setdefault(match.group(1), "")
            rows[match.group(1)] += line
    return rows


def test_timeline_marks_every_milestone_with_its_light(cli):
    r = cli("timeline", "--as-of", "2024-10-20")
    assert r.exit_code == 0, r.stderr
    rows = chart_rows(r.stdout)
    assert len(rows) == 58  # 59 items, two of them printed as 36
    body = "".join(rows.values())
    assert (body.count("◆"), body.count("▲"), body.count("●"), body.count("■")) == (5, 2, 53, 0)
    assert rows["18"].count("◆") == 1 and rows["18"].count("●") == 1  # 9月底前 and 12月底前
    assert "▲" in rows["24"] and "▲" in rows["53"]
    assert "◆ 红灯 5" in r.stdout and "▲ 黄灯 2" in r.stdout and "● 绿灯 53" in r.stdout
    assert "（一）协同联建一流营商环境 · 7" in r.stdout


def test_timeline_filters_and_english(cli):
    r = cli("timeline", "--as-of", "2024-10-01", "--lead", "浙江省局", "--lang", "en", "--group-by", "lead")
    assert r.exit_code == 0, r.stderr
    rows = chart_rows(r.stdout)
    assert set(rows) == {str(int(i[5:7])) for i in ZHEJIANG_IDS}
    assert "◆ overdue 3" in r.stdout and "As of 2024-10-01" in r.stdout


def test_timeline_prints_registry_text_verbatim(cli, registry_copy):
    text = registry_copy.read_text(encoding="utf-8")
    registry_copy.write_text(text.replace("title: 打造长三角商事登记增值化服务模式", "title: '[red]x[/red] 标题'", 1),
                             encoding="utf-8")
    r = cli("timeline", "--data", registry_copy, "--section", "1")
    assert r.exit_code == 0, r.stderr
    assert "[red]x[/red] 标题" in r.stdout


def test_timeline_names_the_registry_it_read_last(cli, tmp_path, registry_copy, monkeypatch):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "items.yaml").write_bytes(registry_copy.read_bytes())
    monkeypatch.chdir(tmp_path)
    for extra, caption in (((), "数据来源：data/items.yaml"), (("--lang", "en"), "Registry: data/items.yaml")):
        r = cli("timeline", "--as-of", "2024-10-01", "--section", "1", *extra)
        assert r.exit_code == 0, r.stderr
        assert r.stdout.splitlines()[-1] == caption
    r = cli("timeline", "--data", registry_copy, "--section", "1")
    assert r.stdout.splitlines()[-1] == f"数据来源：{registry_copy}"


def test_timeline_nothing_matches(cli):
    r = cli("timeline", "--text", "没有这样的事项")
    assert r.exit_code == 0
    assert r.stdout == ""
    assert "没有符合条件的事项" in r.stderr


# -- the page's words come from the catalogue ---------------------------------------------------------

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def test_every_word_the_page_uses_is_a_dashboard_key_of_the_catalogue():
    from importlib import resources

    from workplan.core.labels import CATALOGUE

    folder = resources.files("workplan.exports")
    script = folder.joinpath("dashboard.js").read_text(encoding="utf-8")
    template = folder.joinpath("dashboard_template.html").read_text(encoding="utf-8")
    used = (set(re.findall(r"\bL\.([a-z_]+)", script)) | set(re.findall(r"\bT\(\"([a-z_]+)\"", script))
            | set(re.findall(r"\{\{t:([a-z_]+)\}\}", template))
            | set(re.findall(r"label: \"([a-z_]+)\"", script))                 # the list's columns
            | set(re.findall(r"\"([a-z_]+_count|percent)\"", script))          # the cards' counted words
            | set(re.findall(r"\"(days_[a-z_]+)\"", script)))                # lateness, in the tables' words
    assert {"days_late", "showing", "attention", "items_count", "next_due", "months"} <= used
    missing = sorted(name for name in used if "dash." + name not in CATALOGUE and name.replace("_", ".", 1) not in CATALOGUE)
    assert missing == []
    # No words written into the script or the template themselves: not a Chinese character in a
    # string of the script, none in the template's markup.
    strings = re.findall(r'"(?:[^"\\\n]|\\.)*"', re.sub(r"//[^\n]*|/\*.*?\*/", "", script, flags=re.S))
    assert [s for s in strings if CJK.search(s)] == []
    assert CJK.findall(re.sub(r"<!--.*?-->", "", template, flags=re.S)) == []


def test_the_page_gets_the_words_of_its_language(make_page):
    from workplan.core.labels import CATALOGUE

    for lang, column in (("zh", 0), ("en", 1)):
        _, page = make_page("--as-of", "2024-10-01", "--lang", lang)
        labels = embedded_data(page)["labels"]
        assert labels == ({key[5:]: words[column] for key, words in CATALOGUE.items() if key.startswith("dash.")}
                          | {key.replace(".", "_"): words[column] for key, words in CATALOGUE.items()
                             if key.startswith("days.")})
    # The English words are English: no Chinese outside the registry's own names (三省一市局 in a note).
    english = {key: words[1] for key, words in CATALOGUE.items() if key.startswith("dash.")}
    assert {key for key, text in english.items() if CJK.search(text.replace("三省一市局", ""))} == set()
