"""ingest on documents of another year (2025) in every format, built by tests/importing/plan2025.py:
a Word file, the PDF LibreOffice prints from it, the table alone as a workbook, and the text as
extracted with wrapped cells. Each must give exactly the items below (stated literally)."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from tests.conftest import REGISTRY, require_client
from tests.importing import plan2025

EXPECTED_ITEMS = yaml.safe_load("""
    items:
      - id: 2025-01
        seq: 1
        title: 推进经营主体跨省迁移登记全程网办
        measures: 统一登记材料规范，实现经营主体跨省迁移登记全程网办。（6月底前）
        departments: [登记注册条线]
        leads: [三省一市局]
        section: 1
        task: 1
        milestones:
          - due: 2025-06-30
            text: 6月底前
        status: not_started
      - id: 2025-02
        seq: 2
        title: 建立知识产权纠纷快速处理协作机制
        measures: 建立长三角知识产权纠纷快速处理协作机制（上半年）；发布一批典型案例。（年底前）
        departments: [知识产权保护条线, 上海市知识产权局]
        leads: [上海市知识产权局]
        section: 1
        task: 2
        milestones:
          - due: 2025-06-30
            text: 上半年
            measure: 建立长三角知识产权纠纷快速处理协作机制
          - due: 2025-12-31
            text: 年底前
            measure: 发布一批典型案例。
        status: not_started
      - id: 2025-03
        seq: 3
        title: 共建长三角信用修复协同机制
        measures: 一季度启动信用修复结果互认，三季度末前覆盖三省一市。
        departments: [信用监管条线]
        leads: [浙江省局]
        section: 1
        task: 1
        milestones:
          - due: 2025-03-31
            text: 一季度
            measure: 一季度启动信用修复结果互认，三季度末前覆盖三省一市。
          - due: 2025-09-30
            text: 三季度末前
            measure: 一季度启动信用修复结果互认，三季度末前覆盖三省一市。
        status: not_started
      - id: 2025-04
        seq: 4
        title: 常态化开展跨区域联合执法
        measures: 长期坚持，持续推进跨区域联合执法协作。
        departments: [执法稽查条线]
        leads: [江苏省局]
        section: 1
        task: 2
        milestones: []
        status: not_started
      - id: 2025-05
        seq: 5
        title: 推进数据知识产权登记证书互认
        measures: 持续推进。
        departments: [知识产权相关条线]
        leads: [浙江省局, 上海市知识产权局]
        section: 1
        task: 2
        milestones: []
        status: not_started
      - id: 2025-06
        seq: 6
        title: 发布实施区域统一地方标准
        measures: 发布实施长三角区域统一地方标准10项以上（2025年11月15日前）。
        departments: [标准化条线]
        leads: [三省一市局]
        section: 2
        task: 3
        milestones:
          - due: 2025-11-15
            text: 2025年11月15日前
        status: not_started
      - id: 2025-07
        seq: 7
        title: 建设质量基础设施“一站式”服务站点
        measures: 建设质量基础设施“一站式”服务站点20个（第二批）。（10月20日前）
        departments: [质量发展条线, 南京市局]
        leads: [江苏省局, 南京市局]
        section: 2
        task: 3
        milestones:
          - due: 2025-10-20
            text: 10月20日前
        status: not_started
      - id: 2025-08
        seq: 8
        title: 组织开展区域计量比对
        measures: 组织开展长三角区域计量比对。（三季度末）
        departments: [计量条线, 江苏省计量科学研究院]
        leads: [江苏省局]
        section: 2
        task: 3
        milestones:
          - due: 2025-09-30
            text: 三季度末
        status: not_started
      - id: 2025-09
        seq: 9
        title: 加强 CCC 免办产品后续监管
        measures: 试点开展 CCC 免办产品跨区域后续监管。（12月底前）
        departments: [认证认可检验检测条线]
        leads: [浙江省局]
        section: 2
        task: 3
        milestones:
          - due: 2025-12-31
            text: 12月底前
        status: not_started
      - id: 2025-10
        seq: 10
        title: 发布长三角有机产品网络经营规范
        measures: 发布《长三角有机产品网络经营规范》（暂定名）团体标准。（二季度）
        departments: [认证认可检验检测条线]
        leads: [上海市局]
        section: 2
        task: 4
        milestones:
          - due: 2025-06-30
            text: 二季度
        status: not_started
      - id: 2025-11
        seq: 11
        title: 推进药品跨省委托生产监管协作
        measures: 签署长三角药品跨省委托生产协同监管备忘录。（拟于2025年11月底前发布）
        departments: [药品监管条线]
        leads: [江苏省药监局, 安徽省药监局]
        section: 3
        task: 5
        milestones:
          - due: 2025-11-30
            text: 拟于2025年11月底前发布
            tentative: true
        status: not_started
      - id: 2025-12
        seq: 12
        title: 举办长三角化妆品监管论坛
        measures: 举办长三角化妆品监管论坛。（9月底前）（拟于2025年长三角市场监管联席会议上签约）
        departments: [化妆品监管条线]
        leads: [安徽省药监局]
        section: 3
        task: 5
        milestones:
          - due: 2025-09-30
            text: 9月底前
            tentative: true
            event: 2025年长三角市场监管联席会议
            event_text: 拟于2025年长三角市场监管联席会议上签约
        status: not_started
      - id: 2025-13
        seq: 13
        title: 开展“一地六县”药品安全应急演练
        measures: 开展“一地六县”药品安全突发事件应急演练。（下半年）
        departments: [郎溪县局, 广德市局]
        leads: [安徽省局]
        section: 3
        task: 5
        milestones:
          - due: 2025-12-31
            text: 下半年
        status: not_started
""")["items"]

EXPECTED_SECTIONS = [{"number": 1, "label": "（一）", "title": "协同优化一流营商环境"},
                     {"number": 2, "label": "（二）", "title": "共同提升质量标准水平"},
                     {"number": 3, "label": "（三）", "title": "强化药品安全监管协作"}]
EXPECTED_PLAN = {"title": "长三角市场监管一体化发展 2025 年工作要点", "doc_number": "沪市监综〔2025〕3号",
                 "issuer": "长三角市场监管联席会议", "issuer_seal": "上海市市场监督管理局代章",
                 "issued": __import__("datetime").date(2025, 3, 28), "year": 2025,
                 "preamble": plan2025.PREAMBLE, "guiding_principles": plan2025.GUIDING,
                 "safeguards": [{"label": "（一）", "title": "加强组织协调", "text": "发挥联席会议作用，统筹协调实施年度工作任务。"},
                                {"label": "（二）", "title": "抓好督促落实", "text": "完善工作推进和督办机制，按季度通报进展。"}]}
# Units the 2024 registry does not know: (name, kind, province, full name).
EXPECTED_NEW_UNITS = [
    ("上海市知识产权局", "provincial_bureau", "上海", None),
    ("江苏省药监局", "drug_administration", "江苏", "江苏省药品监督管理局"),
    ("安徽省药监局", "drug_administration", "安徽", "安徽省药品监督管理局"),
    ("南京市局", "city_bureau", "江苏", "南京市市场监督管理局"),
    ("广德市局", "county_bureau", "安徽", "广德市市场监督管理局"),
    ("江苏省计量科学研究院", "institute", "江苏", None),
]


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    folder = tmp_path_factory.mktemp("plan2025")
    docx = plan2025.write_docx(folder / "2025年工作要点.docx")
    return {"docx": docx, "xlsx": plan2025.write_xlsx(folder / "2025年合作事项清单.xlsx"),
            "txt": plan2025.write_wrapped_text(folder / "2025年工作要点.txt"), "folder": folder}


def ingest(cli, source, target, *extra):
    result = cli("ingest", source, "-o", target, "--data", REGISTRY, "-f", "json", *extra)
    assert result.exit_code == 0, result.stderr
    assert cli("validate", target).exit_code == 0
    return yaml.safe_load(target.read_text(encoding="utf-8")), json.loads(result.stdout)


def new_units(draft) -> list[tuple]:
    known = {o["name"] for o in yaml.safe_load(REGISTRY.read_text(encoding="utf-8"))["organisations"]}
    return [(o["name"], o["kind"], o.get("province"), o.get("full_name"))
            for o in draft["organisations"] if o["name"] not in known]


def check_whole_document(draft, review):
    assert draft["items"] == EXPECTED_ITEMS
    assert draft["sections"] == EXPECTED_SECTIONS
    assert draft["plan"] == EXPECTED_PLAN
    assert [(t["number"], t["section"], t["title"]) for t in draft["tasks"]] == [
        (1, 1, "推进经营主体登记便利化"), (2, 1, "强化知识产权协同保护"), (3, 2, "提升标准计量协同水平"),
        (4, 2, "助力有机产品品牌建设"), (5, 3, "深化药品监管协作")]
    assert [t["text"] for t in draft["tasks"]] == [text for _, _, text in plan2025.TASKS]
    assert new_units(draft) == EXPECTED_NEW_UNITS
    assert (review["rows"], review["items"], review["milestones"]) == (13, 13, 13)
    assert review["without_deadline"] == ["2025-04", "2025-05"]
    assert [u["name"] for u in review["units_added"]] == [
        "上海市知识产权局", "南京市局", "江苏省计量科学研究院", "江苏省药监局", "安徽省药监局", "广德市局"]
    assert all(link["confident"] for link in review["links"]) and len(review["links"]) == 13
    assert review["undecided"] == []


def test_word_document(cli, documents, tmp_path):
    draft, review = ingest(cli, documents["docx"], tmp_path / "2025.yaml")
    check_whole_document(draft, review)
    assert "半角括号改为全角：2举措, 13举措" in review["normalised"]
    assert review["normalised"][-1] == f"表下注释，未作为事项：{plan2025.NOTE}"


def test_wrapped_text_extraction(cli, documents, tmp_path):
    draft, review = ingest(cli, documents["txt"], tmp_path / "2025.yaml")
    check_whole_document(draft, review)
    assert review["normalised"][:3] == ["续行并入上一行（序号 1, 2, 7）", "跳过重复表头 1 处", "跨页断开的段落接合 1 处"]


def test_pdf_printed_by_libreoffice(cli, documents, tmp_path):
    soffice = require_client("LibreOffice", "soffice", "libreoffice")
    pdf = plan2025.write_pdf(documents["docx"], documents["folder"], soffice)
    draft, review = ingest(cli, pdf, tmp_path / "2025.yaml")
    check_whole_document(draft, review)
    assert any(line.startswith("跳过重复表头") for line in review["normalised"])
    cut = [line for line in review["normalised"] if line.startswith("跨页续行并入上一行")]
    assert cut and all(re.fullmatch(r"跨页续行并入上一行（序号 \d+，第 \d+ 页）", line) for line in cut)
    english = json.loads(cli("ingest", pdf, "-o", tmp_path / "en.yaml", "--data", REGISTRY, "-f", "json",
                             "--lang", "en").stdout)
    assert [re.sub(r"\d+", "N", line) for line in english["normalised"] if "across a page" in line] == [
        "row continued across a page joined to the row above (No. N, page N)"] * len(cut)


def test_workbook_table_alone_with_options(cli, documents, tmp_path):
    draft, review = ingest(cli, documents["xlsx"], tmp_path / "2025.yaml", "--doc-number", "沪市监综〔2025〕3号",
                           "--issued", "2025-03-28", "--issuer", "长三角市场监管联席会议")
    # A table alone has no key tasks and no sections: every item is in one placeholder section.
    assert draft["items"] == [{**item, "task": None, "section": 1} for item in EXPECTED_ITEMS]
    assert draft["tasks"] == []
    assert draft["sections"] == [{"number": 1, "label": "（一）", "title": "合作事项清单"}]
    assert draft["plan"] == {"title": plan2025.TABLE_TITLE, "doc_number": "沪市监综〔2025〕3号",
                             "issuer": "长三角市场监管联席会议", "issued": __import__("datetime").date(2025, 3, 28),
                             "year": 2025}
    assert review["plan"]["doc_number"] == {"value": "沪市监综〔2025〕3号", "from": "命令行"}
    assert review["plan"]["year"] == {"value": "2025", "from": "文件"}
    assert review["undecided"] == ["文件中没有“（一）…”部分：所有事项暂归第（一）部分“合作事项清单”"]
    assert review["normalised"][-1] == f"表下注释，未作为事项：{plan2025.NOTE}"
    assert new_units(draft) == EXPECTED_NEW_UNITS


def test_workbook_without_options_marks_what_is_missing(cli, documents, tmp_path):
    draft, review = ingest(cli, documents["xlsx"], tmp_path / "2025.yaml", "--year", "2025")
    assert (draft["plan"]["doc_number"], draft["plan"]["issuer"]) == ("（待补）", "（待补）")
    assert review["undecided"][:3] == ["计划的文号文件中没有：暂填“（待补）”，用 --doc-number 给出",
                                       "计划的发文单位文件中没有：暂填“（待补）”，用 --issuer 给出",
                                       "计划的印发日期文件中没有：暂填“2025-01-01”，用 --issued 给出"]
    assert review["plan"]["year"] == {"value": "2025", "from": "命令行"}


def test_a_damaged_document_is_one_line(cli, tmp_path):
    for suffix in (".docx", ".xlsx", ".pdf"):
        bad = tmp_path / f"bad{suffix}"
        bad.write_bytes(b"this is not a document")
        result = cli("ingest", bad, "-o", tmp_path / "d.yaml", "--data", REGISTRY)
        assert result.exit_code == 1, suffix
        assert len(result.stderr.strip().splitlines()) == 1 and str(bad) in result.stderr, result.stderr
    assert not (tmp_path / "d.yaml").exists()


def test_the_review_in_the_readers_language_the_draft_in_chinese(cli, documents, tmp_path):
    runs = {}
    for lang in ("zh", "en"):
        target = tmp_path / lang / "2025.yaml"
        result = cli("ingest", documents["xlsx"], "-o", target, "--data", REGISTRY, "--year", "2025", "--lang", lang)
        assert result.exit_code == 0, result.stderr
        runs[lang] = result.stdout.splitlines(), result.stderr, target.read_text(encoding="utf-8")
    (zh, zh_note, zh_draft), (en, en_note, en_draft) = runs["zh"], runs["en"]
    assert zh_draft.replace(str(tmp_path / "zh"), "") == en_draft.replace(str(tmp_path / "en"), "")
    assert zh_draft.startswith("# 由 workplan ingest 生成的登记表草稿。请核对以下清单，改好后运行 workplan validate。\n#\n# 来源：")
    assert [f"# {line}" for line in zh] == zh_draft.splitlines()[2:2 + len(zh)]
    assert zh[1:3] == ["读入 13 行 → 13 个事项，13 个时间节点", "无时间节点（无时限）：2025-04、2025-05"]
    assert zh[-5:] == ["待定 4 项：", "  - 计划的文号文件中没有：暂填“（待补）”，用 --doc-number 给出",
                       "  - 计划的发文单位文件中没有：暂填“（待补）”，用 --issuer 给出",
                       "  - 计划的印发日期文件中没有：暂填“2025-01-01”，用 --issued 给出",
                       "  - 文件中没有“（一）…”部分：所有事项暂归第（一）部分“合作事项清单”"]
    assert en[1:3] == ["Read 13 rows → 13 items, 13 milestones", "No milestones (no deadline): 2025-04, 2025-05"]
    assert en[3] == (f"Plan: title = {plan2025.TABLE_TITLE} (document), doc_number = （待补） (missing), issuer = （待补） (missing), "
                     "issued = 2025-01-01 (missing), year = 2025 (command line)")
    assert en[4].startswith("Units added: 上海市知识产权局 (provincial_bureau, 上海, first in 2025-02 as lead unit); ")
    assert en[5:8] == ["Key tasks: the document has none; all left empty",
                       "Normalised: half-width brackets made full-width: 2 measures, 13 measures",
                       f"Normalised: note below the table, not taken as an item: {plan2025.NOTE}"]
    assert en[-5:] == ["4 to decide:", "  - the document does not give the plan's document number: “（待补）” for now; give it with --doc-number",
                       "  - the document does not give the plan's issuer: “（待补）” for now; give it with --issuer",
                       "  - the document does not give the plan's date of issue: “2025-01-01” for now; give it with --issued",
                       "  - the document has no section “（一）…”: every item is put in section (1) “合作事项清单” for now"]
    target = tmp_path / "en" / "2025.yaml"
    assert en_note == f"wrote {target}: 13 items, 13 milestones, 4 to decide — check it, then run: workplan validate {target}\n"
    target = tmp_path / "zh" / "2025.yaml"
    assert zh_note == f"已写入 {target}：13 个事项，13 个时间节点，待定 4 项；请核对后运行：workplan validate {target}\n"
    review = json.loads(cli("ingest", documents["xlsx"], "-o", tmp_path / "j.yaml", "--data", REGISTRY, "--year", "2025",
                            "-f", "json", "--lang", "en").stdout)
    assert review["plan"]["year"] == {"value": "2025", "from": "command line"}
    assert review["units_added"][0]["role"] == "lead unit"
    assert review["undecided"][-1] == "the document has no section “（一）…”: every item is put in section (1) “合作事项清单” for now"
