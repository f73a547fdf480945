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
    assert r.stdout == "" and f"已写入 {out}" in r.stderr
    golden("report-2024-09.html", out.read_text(encoding="utf-8"))


def test_bulletin_content(cli, reported):
    md = cli("report", *ARGS, "--data", reported).stdout
    # completed in the period: 11 (late) and 18's first milestone
    completed = md.split("## 二、本期完成")[1].split("## 三")[0]
    assert re.findall(r"^\| (\d+) \|", completed, re.M) == ["11", "18"]
    # 11 was due at the end of August and done on 10 September: marked late
    assert "| 11 | 建立长三角统一地方标准管理机制 | 8月底前 | 2024-09-10 | 逾期 10 天完成 | 浙江省局 |" in completed
    assert "| 18 | 举办产业计量技术创新揭榜挂帅活动 | 9月底前（1/2） | 2024-09-20 | 按期完成 | 上海市局 |" in completed
    # due in September and not done on 8 October: 9, 25 and 54
    unfinished = md.split("## 三、本期应完成未完成")[1].split("## 四")[0]
    assert re.findall(r"^\| 2024-09-30 \| (\d+) \|", unfinished, re.M) == ["9", "25", "54"]
    # due in October and still open: 24 and 53
    due = md.split("## 四、下期到期（2024年10月）")[1].split("## 五")[0]
    assert re.findall(r"^\| 2024-10-31 \| (\d+) \|", due, re.M) == ["24", "53"]
    # overdue on 8 October, by unit, each item once: 上海市局 9; 浙江省局 25 and 54 (joint with 嘉兴市局)
    overdue = md.split("## 五、逾期事项")[1].split("## 六")[0]
    assert re.findall(r"^\| (\S+) \| (\d+) \|", overdue, re.M) == [
        ("上海市局", "9"), ("浙江省局", "25"), ("浙江省局、嘉兴市局", "54")]
    assert "| 上海市局 | 9 | 建立长三角地区重点领域、重点行业公平竞争审查规则 | 2024-09-30 | 逾期 8 天 | 延期 |" in overdue
    assert "逾期未完成 3 个" in md
    # rates with one decimal: section （三） has 2 of 14 milestones done
    assert "| （三）强化质量支撑标准引领 | 13 | 14 | 2 | 14.3% | 0 | 0 |" in md
    assert "已完成时间节点 2 个（完成率 3.3%）" in md
    # notes reported in September only (not 9's October report, not 33's later one)
    notes = md.split("## 七、本期进展情况")[1]
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
    assert "**2024年第1期 · 2024年9月 · 统计截至 2024-09-15**" in md
    completed = md.split("## 二、本期完成")[1].split("## 三")[0]
    assert re.findall(r"^\| (\d+) \|", completed, re.M) == ["11"]
    assert "平台已上线试运行" not in md
    assert "事项状态：未启动 58 项，已完成 1 项。" in md
    # nothing is overdue on the 15th (11 was completed on the 10th)
    assert "## 五、逾期事项\n\n（无）" in md


def test_quarter_and_default_as_of(cli, reported):
    md = cli("report", "--period", "三季度", "--data", reported).stdout
    # a past quarter is reported as of its last day
    assert "**2024年第1期 · 2024年第三季度 · 统计截至 2024-09-30**" in md
    assert "## 四、下期到期（2024年第四季度）" in md
    due = md.split("## 四、下期到期")[1].split("## 五")[0]
    assert len(re.findall(r"^\| 2024-1[012]-\d\d \|", due, re.M)) == 60 - 5  # all Q4 milestones, 18's second too
    en = cli("report", "--period", "2024Q3", "--lang", "en", "--data", reported).stdout
    assert en.startswith("# Yangtze River Delta Market Regulation Bulletin\n\n**2024, No. 1 · Q3 2024 · As of 2024-09-30**")


def test_filtered_bulletin(cli, reported):
    md = cli("report", *ARGS, "--lead", "安徽省局", "--data", reported).stdout
    assert "· 安徽省局牵头事项" in md and "（按筛选条件统计）" not in md
    assert "合作事项 11 项，时间节点 11 个" in md
    notes = md.split("## 七、本期进展情况")[1]
    assert re.findall(r"^- \*\*(\S+) · (\d+)\.", notes, re.M) == [("2024-09-25", "42")]


@pytest.mark.parametrize("args, message", [
    (["--period", "2024-13"], "--period：无法识别的期间"),
    (["--period", "2024-09", "--as-of", "someday"], "--as-of：无法识别的日期"),
    (["--period", "2024-09", "-f", "pdf"], "'--format' / '-f' 的取值无效"),
])
def test_report_usage_errors(cli, args, message):
    r = cli("report", *args)
    assert r.exit_code == 2 and message in r.stderr and r.stdout == ""


def test_per_bureau_issue_counts_a_joint_item_once(cli, reported):
    """浙江省局 leads 25 and, with 嘉兴市局, 54: two overdue items, two rows, named for the bureau."""
    md = cli("report", *ARGS, "--lead", "浙江省局", "--data", reported).stdout
    assert "**2024年第1期 · 2024年9月 · 统计截至 2024-10-08** · 浙江省局牵头事项" in md
    overdue = md.split("## 五、逾期事项")[1].split("## 六")[0]
    assert re.findall(r"^\| (\S+) \| (\d+) \|", overdue, re.M) == [("浙江省局", "25"), ("浙江省局、嘉兴市局", "54")]
    assert "逾期未完成 2 个" in md
    filtered = cli("report", *ARGS, "--lead", "浙江省局", "--status", "未启动", "--data", reported).stdout
    assert "浙江省局牵头事项 （按筛选条件统计）" in filtered


def test_mid_period_issue_lists_what_is_still_due_this_period(cli, reported):
    """On 15 October the October milestones (24 and 53, due 10-31) are due this period, not yet late."""
    md = cli("report", "--period", "2024-10", "--as-of", "2024-10-15", "--data", reported).stdout
    unfinished = md.split("## 三、本期应完成未完成")[1].split("## 四")[0]
    assert re.findall(r"^\| (\S+) \| (\d+) \| .* \| ([^|]+?) \|$", unfinished, re.M) == [
        ("2024-10-31", "24", "还剩 16 天"), ("2024-10-31", "53", "还剩 16 天")]


def test_rates_have_one_decimal():
    from workplan.core.bulletin import percent_text

    assert [percent_text(1, 8), percent_text(2, 14), percent_text(0, 7), percent_text(8, 8)] == [
        "12.5%", "14.3%", "0.0%", "100.0%"]
    assert percent_text(0, 0) == "—"


def test_issue_numbers_are_remembered_per_period(cli, reported, tmp_path):
    """Written to a file, a period keeps its number; the next period gets the next; --issue sets one."""
    import json

    def issue(period, *extra):
        out = tmp_path / f"{period}.md"
        r = cli("report", "--period", period, "--data", reported, "-o", out, *extra)
        assert r.exit_code == 0, r.stderr
        return re.search(r"年第(\d+)期", out.read_text(encoding="utf-8"))[1]

    assert [issue("2024-07"), issue("2024-08"), issue("2024-07"), issue("2024-09", "--issue", "12"),
            issue("2024-10"), issue("2024-09")] == ["1", "2", "1", "12", "13", "12"]
    state = json.loads((reported.parent / ".workplan" / "bulletin-issues.json").read_text(encoding="utf-8"))
    assert state == {"浙市监综〔2024〕1号": {"2024-07-01/2024-07-31": 1, "2024-08-01/2024-08-31": 2,
                                         "2024-09-01/2024-09-30": 12, "2024-10-01/2024-10-31": 13}}
    # printing to stdout shows the number without taking one
    assert "2024年第14期" in cli("report", "--period", "2024-11", "--data", reported).stdout
    assert "2024-11-01/2024-11-30" not in (reported.parent / ".workplan" / "bulletin-issues.json").read_text(encoding="utf-8")


def test_project_config_sets_masthead_office_and_recipients(cli, reported):
    (reported.parent / "workplan.toml").write_text(
        'unit = "浙江省局"\n\n[bulletin]\nmasthead = "浙江市场监管工作动态"\noffice = "浙江省市场监督管理局综合规划处"\n\n'
        '[bulletin.recipients]\n"报" = "省政府办公厅"\n"送" = ["长三角区域合作办公室", "示范区执委会"]\n"发" = "各设区市市场监管局"\n',
        encoding="utf-8")
    md = cli("report", *ARGS, "--data", reported).stdout
    assert md.startswith("# 浙江市场监管工作动态\n")
    assert "浙江省市场监督管理局综合规划处　2024年10月8日" in md
    assert md.endswith("---\n\n报：省政府办公厅  \n送：长三角区域合作办公室，示范区执委会  \n发：各设区市市场监管局  \n")


@pytest.mark.parametrize("text, message", [
    ("[bulletin]\nmast = 'x'\n", "workplan.toml：bulletin.mast：未知字段（拼写有误，或不是登记表格式的一部分）"),
    ("bulletin = [\n", "workplan.toml：无法读取：不是有效的 TOML"),
    ("[fonts]\nbody = []\n", "workplan.toml：fonts.body：取值无效"),
])
def test_bad_project_config_is_one_line(cli, reported, text, message):
    (reported.parent / "workplan.toml").write_text(text, encoding="utf-8")
    r = cli("report", *ARGS, "--data", reported)
    assert r.exit_code == 1 and r.stdout == ""
    assert message in r.stderr and len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr


def test_lateness_is_worded_as_the_tables_word_it(cli, reported):
    """The bulletin's 期限 cells, its Word prose and `workplan overdue` say the same words per item."""
    table = cli("overdue", "--as-of", "2024-10-08", "-f", "md", "--data", reported).stdout
    tables_words = {seq: words for words, seq in re.findall(r"^\| [\d-]+ \| ([^|]+?) \| (\d+) \|", table, re.M)}
    md = cli("report", *ARGS, "--data", reported).stdout
    overdue = md.split("## 五、逾期事项")[1].split("## 六")[0]
    bulletin_words = {seq: words for seq, words in re.findall(r"^\| \S+ \| (\d+) \| [^|]+ \| [\d-]+ \| ([^|]+?) \|", overdue, re.M)}
    assert bulletin_words == {"9": "逾期 8 天", "25": "逾期 8 天", "54": "逾期 8 天"}
    assert {seq: tables_words[seq] for seq in bulletin_words} == bulletin_words
    english = cli("report", *ARGS, "--lang", "en", "--data", reported).stdout
    # three late items in 三、本期应完成未完成 and again in 五、逾期事项
    assert english.count("| 8 days late |") == 6 and "days overdue" not in english
