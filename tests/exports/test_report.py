"""The bulletin 《长三角市场监管工作动态》: golden files for a fixed period and as-of date.

Set WORKPLAN_UPDATE_GOLDEN=1 to rewrite the golden files after a deliberate change, then review
the diff by eye.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest

from workplan.store import writer
from workplan.store.writer import AppendProgress, Edit

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
D = dt.date.fromisoformat


def entry(date, by, status, text, **extra):
    return {"date": D(date), "by": by, "status": status, "text": text, **extra}


@pytest.fixture
def reported(registry_copy):
    """The real registry with a few months of reports, written through the shared writer."""
    writer.apply_edits(registry_copy, [
        # 24: started in September, with a document number as evidence
        Edit("2024-24", ("status",), "in_progress"),
        AppendProgress("2024-24", entry("2024-09-20", "浙江省局", "in_progress", "平台已上线试运行",
                                        evidence="浙市监网〔2024〕12号")),
        # 18: first milestone done in September; text with characters Markdown and HTML must not interpret
        Edit("2024-18", ("milestones", 0, "done_on"), D("2024-09-20")),
        Edit("2024-18", ("status",), "in_progress"),
        AppendProgress("2024-18", entry("2024-09-20", "上海市局", "in_progress",
                                        "挑战赛已举办 <b>决赛</b> & 颁奖 | 共 *12* 支团队 [详见附件]", milestone=1)),
        # 11: the August milestone completed late, in September
        Edit("2024-11", ("milestones", 0, "done_on"), D("2024-09-10")),
        Edit("2024-11", ("status",), "done"),
        AppendProgress("2024-11", entry("2024-09-10", "浙江省局", "done", "管理机制已印发")),
        # 42: reported in September by the Anhui bureau
        Edit("2024-42", ("status",), "in_progress"),
        AppendProgress("2024-42", entry("2024-09-25", "安徽省局", "in_progress", "交叉互查方案已报送三省一市")),
        # 9: delayed in October (after the period, before the as-of date)
        Edit("2024-09", ("status",), "delayed"),
        AppendProgress("2024-09", entry("2024-10-05", "上海市局", "delayed", "待联席会议审议")),
        # 33: reported after the as-of date: must not appear anywhere
        Edit("2024-33", ("status",), "in_progress"),
        AppendProgress("2024-33", entry("2024-10-12", "上海市局", "in_progress", "地方标准已立项")),
    ])
    return registry_copy


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("WORKPLAN_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
    assert text == path.read_text(encoding="utf-8")


ARGS = ["--period", "2024-09", "--as-of", "2024-10-08"]


def test_markdown_bulletin_golden(cli, reported):
    r = cli("report", *ARGS, "--data", reported)
    assert r.exit_code == 0, r.stderr
    golden("report-2024-09.md", r.stdout)


def test_html_bulletin_golden(cli, reported, tmp_path):
    out = tmp_path / "动态.html"
    r = cli("report", *ARGS, "--format", "html", "-o", out, "--data", reported)
    assert r.exit_code == 0, r.stderr
    assert r.stdout == "" and f"wrote {out}" in r.stderr
    golden("report-2024-09.html", out.read_text(encoding="utf-8"))


def test_bulletin_content(cli, reported):
    md = cli("report", *ARGS, "--data", reported).stdout
    # completed in the period: 11 (late) and 18's first milestone
    completed = md.split("## 二、本期完成")[1].split("## 三")[0]
    assert re.findall(r"^\| (\d+) \|", completed, re.M) == ["11", "18"]
    # due in October and still open: 24 and 53
    due = md.split("## 三、下期到期（2024年10月）")[1].split("## 四")[0]
    assert re.findall(r"^\| 2024-10-31 \| (\d+) \|", due, re.M) == ["24", "53"]
    # overdue on 8 October, by unit: 上海市局 has 9; 浙江省局 25 and 54; 嘉兴市局 54
    overdue = md.split("## 四、逾期事项")[1].split("## 五")[0]
    assert re.findall(r"^\| (\S+) \| (\d+) \|", overdue, re.M) == [
        ("上海市局", "9"), ("浙江省局", "25"), ("浙江省局", "54"), ("嘉兴市局", "54")]
    assert "| 上海市局 | 9 | 建立长三角地区重点领域、重点行业公平竞争审查规则 | 2024-09-30 | 8 | 延期 |" in overdue
    # notes reported in September only (not 9's October report, not 33's later one)
    notes = md.split("## 六、本期进展情况")[1]
    assert re.findall(r"^- \*\*(\S+) · (\d+)\.", notes, re.M) == [("2024-09-10", "11"), ("2024-09-20", "18"), ("2024-09-20", "24"), ("2024-09-25", "42")]
    assert "地方标准已立项" not in md and "待联席会议审议" not in md
    # Markdown special characters in registry text are escaped
    assert r"挑战赛已举办 \<b\>决赛\</b\> & 颁奖 \| 共 \*12\* 支团队 \[详见附件\]" in notes


def test_html_is_self_contained_and_escaped(cli, reported):
    page = cli("report", *ARGS, "-f", "html", "--data", reported).stdout
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    for outside in ("http://", "https://", "<script", "<link", "src=", "url(", "@import"):
        assert outside not in page
    assert "挑战赛已举办 &lt;b&gt;决赛&lt;/b&gt; &amp; 颁奖 | 共 *12* 支团队 [详见附件]" in page
    assert "<b>决赛" not in page
    assert "@page { size: A4;" in page


def test_as_of_reproduces_the_past(cli, reported):
    """On 15 September only 11's report existed: 18 and 24 are not yet done or reported."""
    md = cli("report", "--period", "2024-09", "--as-of", "2024-09-15", "--data", reported).stdout
    assert "**2024年9月** · 统计截至 2024-09-15" in md
    completed = md.split("## 二、本期完成")[1].split("## 三")[0]
    assert re.findall(r"^\| (\d+) \|", completed, re.M) == ["11"]
    assert "平台已上线试运行" not in md
    assert "事项状态：未启动 58 项，已完成 1 项。" in md
    # nothing is overdue on the 15th (11 was completed on the 10th)
    assert "## 四、逾期事项\n\n（无）" in md


def test_quarter_and_default_as_of(cli, reported):
    md = cli("report", "--period", "三季度", "--data", reported).stdout
    # a past quarter is reported as of its last day
    assert "**2024年第三季度** · 统计截至 2024-09-30" in md
    assert "## 三、下期到期（2024年第四季度）" in md
    due = md.split("## 三、下期到期")[1].split("## 四")[0]
    assert len(re.findall(r"^\| 2024-1[012]-\d\d \|", due, re.M)) == 60 - 5  # all Q4 milestones, 18's second too
    en = cli("report", "--period", "2024Q3", "--lang", "en", "--data", reported).stdout
    assert en.startswith("# Yangtze River Delta Market Regulation Bulletin\n\n**Q3 2024** · As of 2024-09-30")


def test_filtered_bulletin(cli, reported):
    md = cli("report", *ARGS, "--lead", "安徽省局", "--data", reported).stdout
    assert "（按筛选条件统计）" in md
    assert "合作事项 11 项，时间节点 11 个" in md
    notes = md.split("## 六、本期进展情况")[1]
    assert re.findall(r"^- \*\*(\S+) · (\d+)\.", notes, re.M) == [("2024-09-25", "42")]


@pytest.mark.parametrize("args, message", [
    (["--period", "2024-13"], "--period: unrecognised period"),
    (["--period", "2024-09", "--as-of", "someday"], "--as-of: unrecognised date"),
    (["--period", "2024-09", "-f", "pdf"], "Invalid value for '--format'"),
])
def test_report_usage_errors(cli, args, message):
    r = cli("report", *args)
    assert r.exit_code == 2 and message in r.stderr and r.stdout == ""
