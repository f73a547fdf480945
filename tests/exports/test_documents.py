"""The documents for the meeting: the Word bulletin (工作动态), the Word list (合作事项清单) and the
PDFs of them and of the workbook.

The .docx files are read back with python-docx (page set-up, styles, text, table structure, the
PAGE field); golden text pins the bulletin's words for a fixed registry and --as-of. Then
LibreOffice converts each document to PDF, and poppler's pdfinfo, pdftotext and pdffonts check
page size and orientation, page count, masthead, issue number, page numbers, every expected item,
no date broken inside a table cell, and embedded fonts. Those tests skip without the programs,
and fail instead when WORKPLAN_REQUIRE_REAL_CLIENTS=1.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

docx = pytest.importorskip("docx")

from conftest import REGISTRY, require_client  # noqa: E402
from test_report import ARGS, golden, reported  # noqa: E402,F401  (the registry with a few months of reports)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MM = 36000  # EMU per millimetre


def mm(length) -> int:
    return round(length / MM)


def paragraphs(document) -> list[str]:
    """Every paragraph's text in body order, table cells included (a cell's paragraphs joined)."""
    out = []
    for block in document.element.body:
        if block.tag == f"{W}p":
            out.append("".join(t.text or "" for t in block.iter(f"{W}t")))
        elif block.tag == f"{W}tbl":
            for row in block.iter(f"{W}tr"):
                out.append(" | ".join("".join(t.text or "" for t in cell.iter(f"{W}t")) for cell in row.iter(f"{W}tc")))
    return out


@pytest.fixture
def bulletin_docx(cli, reported, tmp_path):
    target = tmp_path / "动态.docx"
    r = cli("report", *ARGS, "--format", "docx", "-o", target, "--data", reported)
    assert r.exit_code == 0, r.stderr
    assert r.stdout == "" and f"已写入 {target}（2024年第1期，2024年9月，截至 2024-10-08）" in r.stderr
    return target


def test_bulletin_page_setup_and_styles(bulletin_docx):
    document = docx.Document(bulletin_docx)
    section = document.sections[0]
    # A4 portrait, GB/T 9704 margins: 37 top, 35 bottom, 28 left, 26 right
    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert (mm(section.top_margin), mm(section.bottom_margin), mm(section.left_margin), mm(section.right_margin)) == (37, 35, 28, 26)
    styles = document.styles
    body = styles["WP Body"]
    assert body.font.size.pt == 16  # 三号
    # the text block (225 mm) holds 28 lines
    assert round(styles["Normal"].paragraph_format.line_spacing.pt * 28 / 72 * 25.4) == 225
    east_asian = lambda style: style.element.rPr.rFonts.get(f"{W}eastAsia")  # noqa: E731
    assert east_asian(styles["Normal"]) == "仿宋_GB2312"
    assert east_asian(styles["WP Masthead"]) == "方正小标宋简体" and east_asian(styles["WP Title"]) == "方正小标宋简体"
    assert east_asian(styles["WP Heading 1"]) == "黑体" and east_asian(styles["WP Heading 2"]) == "楷体_GB2312"
    assert str(styles["WP Masthead"].font.color.rgb) == "C00000"
    lang = styles["Normal"].element.rPr.find(f"{W}lang")
    assert lang.get(f"{W}eastAsia") == "zh-CN"


def test_bulletin_masthead_sections_and_closing_block(bulletin_docx):
    document = docx.Document(bulletin_docx)
    text = paragraphs(document)
    assert text[:5] == ["长三角市场监管工作动态", "2024年第1期", "长三角市场监管联席会议办公室2024年10月8日", "",
                        "2024年9月重点工作推进情况"]
    office = document.paragraphs[2]
    border = office._p.pPr.find(f"{W}pBdr").find(f"{W}bottom")
    assert border.get(f"{W}color") == "C00000"  # the red rule under the office and date
    assert office._p.find(f".//{W}tab") is not None  # office left, date right
    headings = [p.text for p in document.paragraphs if p.style.name == "WP Heading 1"]
    assert headings == ["一、总体情况", "二、本期完成", "三、本期应完成未完成", "四、下期到期（2024年10月）", "五、逾期事项",
                        "六、分领域进展", "七、本期进展情况"]
    # prose grouped by section or unit, numbered （一） and 1., dates as 9月10日
    assert "1. 建立长三角统一地方标准管理机制（浙江省局牵头）：8月底前时间节点于9月10日完成，逾期 10 天。" in text
    assert "（一）上海市局" in text and "（二）浙江省局" in text
    assert "2. 发布示范区智能制造企业商业秘密保护工作规范团体标准（9月30日到期，未启动），逾期 8 天，与嘉兴市局联合牵头。" in text
    assert "1. 打造长三角网络交易案件协查交互平台。9月20日，浙江省局报送（推进中）：平台已上线试运行。佐证材料：浙市监网〔2024〕12号。" in text
    # tables where a table reads better: next period's list and the figures by section
    assert "10月31日 | 24 | 打造长三角网络交易案件协查交互平台 | 浙江省局 | 推进中" in text
    assert "（三）强化质量支撑标准引领 | 13 | 14 | 2 | 14.3% | 0 | 0" in text
    assert text[-1] == "发：上海市市场监督管理局，江苏省市场监督管理局，浙江省市场监督管理局，安徽省市场监督管理局"
    # the header row repeats on every page; no row breaks across pages
    for table in document.tables:
        rows = table._tbl.findall(f"{W}tr")
        assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
        assert all(row.find(f"{W}trPr/{W}cantSplit") is not None for row in rows)


def test_bulletin_page_numbers_are_a_page_field(bulletin_docx):
    document = docx.Document(bulletin_docx)
    section = document.sections[0]
    assert document.settings.odd_and_even_pages_header_footer
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        (paragraph,) = footer.paragraphs
        assert paragraph.text == "— 1 —"  # the field's cached value between the dashes
        assert "".join(i.text for i in paragraph._p.iter(f"{W}instrText")).strip() == "PAGE"
        assert paragraph.alignment.name.lower() == align


def test_bulletin_golden_text(bulletin_docx):
    golden("bulletin-2024-09.docx.txt", "\n".join(paragraphs(docx.Document(bulletin_docx))) + "\n")


def test_per_bureau_bulletin_docx(cli, reported, tmp_path):
    target = tmp_path / "浙江.docx"
    assert cli("report", *ARGS, "-f", "docx", "-o", target, "--lead", "浙江省局", "--data", reported).exit_code == 0
    text = paragraphs(docx.Document(target))
    assert text[4] == "2024年9月浙江省局牵头事项推进情况"
    overdue = text[text.index("五、逾期事项"):text.index("六、分领域进展")]
    # a joint item is one item, listed under the bureau the issue is for
    assert overdue == ["五、逾期事项", "（一）浙江省局", "1. 迭代长三角网络交易数据在线存证平台（9月30日到期，未启动），逾期 8 天。",
                       "2. 发布示范区智能制造企业商业秘密保护工作规范团体标准（9月30日到期，未启动），逾期 8 天，与嘉兴市局联合牵头。"]


def test_project_config_reaches_the_docx(cli, reported, tmp_path):
    (reported.parent / "workplan.toml").write_text(
        '[bulletin]\nmasthead = "浙江市场监管工作动态"\n\n[bulletin.recipients]\n"报" = "省政府办公厅"\n\n'
        '[fonts]\nbody = ["FangSong", "仿宋"]\ntitle = "SimHei"\n', encoding="utf-8")
    target = tmp_path / "x.docx"
    assert cli("report", *ARGS, "-f", "docx", "-o", target, "--data", reported).exit_code == 0
    document = docx.Document(target)
    assert document.paragraphs[0].text == "浙江市场监管工作动态"
    assert document.styles["Normal"].element.rPr.rFonts.get(f"{W}eastAsia") == "FangSong"
    assert document.styles["WP Masthead"].element.rPr.rFonts.get(f"{W}eastAsia") == "SimHei"
    assert paragraphs(document)[-2:] == ["报：省政府办公厅", "发：上海市市场监督管理局，江苏省市场监督管理局，浙江省市场监督管理局，安徽省市场监督管理局"]


@pytest.fixture
def list_docx(cli, tmp_path):
    target = tmp_path / "清单.docx"
    r = cli("export", "--docx", target, "--data", REGISTRY, "--as-of", "2024-10-15")
    assert r.exit_code == 0, r.stderr
    return target


SECTIONS = ["一、协同联建一流营商环境", "二、共同维护公平竞争市场秩序", "三、强化质量支撑标准引领", "四、助力特色产业高质量发展",
            "五、强化一体化监管服务能力", "六、推进毗邻区域能域市场监管一体化"]


def test_list_docx_is_a_landscape_attachment(list_docx, registry):
    document = docx.Document(list_docx)
    section = document.sections[0]
    assert (mm(section.page_width), mm(section.page_height)) == (297, 210)
    assert section.orientation.name == "LANDSCAPE"
    assert [p.text for p in document.paragraphs[:2]] == ["附件", "长三角市场监管一体化发展2024年工作要点合作事项清单"]
    (table,) = document.tables
    rows = table._tbl.findall(f"{W}tr")
    cells = [[("".join(t.text or "" for t in c.iter(f"{W}t"))) for c in row.findall(f"{W}tc")] for row in rows]
    assert cells[0] == ["序号", "合作事项", "年度主要举措及时间节点", "责任部门", "牵头单位"]
    assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
    assert [c[0] for c in cells if len(c) == 1] == SECTIONS  # section rows span the table
    items = [c for c in cells[1:] if len(c) == 5]
    assert [c[1] for c in items] == [i.title for i in registry.items]
    assert items[5] == ["6", "实施长三角知识产权赋能高质量发展共同行动", registry.items[5].measures,
                        "浙江、安徽知识产权相关条线；嘉善县局", "浙江省局"]
    footer = section.footer.paragraphs[0]
    assert footer.text == "— 1 —" and "PAGE" in "".join(i.text for i in footer._p.iter(f"{W}instrText"))


def test_list_docx_with_progress_and_unit(cli, tmp_path, reported):
    target = tmp_path / "浙江清单.docx"
    r = cli("export", "--docx", target, "--with-progress", "--lead", "浙江省局", "--data", reported, "--as-of", "2024-10-08")
    assert r.exit_code == 0, r.stderr
    document = docx.Document(target)
    assert [p.text for p in document.paragraphs[1:3]] == ["长三角市场监管一体化发展2024年工作要点合作事项清单", "（浙江省局）"]
    rows = [[("".join(t.text or "" for t in c.iter(f"{W}t"))) for c in row.findall(f"{W}tc")]
            for row in document.tables[0]._tbl.findall(f"{W}tr")]
    assert rows[0][-1] == "进展情况"
    by_seq = {r[0]: r for r in rows if len(r) == 6}
    assert by_seq["24"][5] == "9月20日：平台已上线试运行" and by_seq["25"][5] == ""
    assert len(by_seq) == 37


@pytest.mark.parametrize("args, message", [
    (["report", "--period", "9月", "-f", "docx"], "--format docx 需要 -o 文件"),
    (["report", "--period", "9月", "-o", "x.md", "--pdf"], "--pdf 只用于 --format docx"),
    (["export", "--docx", "-"], "--docx 需要文件名：不能写到标准输出"),
    (["export", "--csv", "x.csv", "--pdf"], "--pdf 只用于 --docx 和 --xlsx"),
    (["export", "--csv", "x.csv", "--with-progress"], "--with-progress 只用于 --docx"),
])
def test_document_usage_errors(cli, tmp_path, args, message):
    r = cli(*args, "--data", REGISTRY)
    assert r.exit_code == 2 and message in r.stderr and r.stdout == ""
    assert len(r.stderr.strip().splitlines()) == 1


def test_pdf_without_libreoffice_is_one_line_and_exit_2(cli, tmp_path, monkeypatch):
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))  # no soffice to be found
    r = cli("export", "--docx", tmp_path / "l.docx", "--pdf", "--data", REGISTRY)
    assert r.exit_code == 2 and r.stdout == ""
    assert r.stderr.strip() == ("workplan: 错误：--pdf 需要 LibreOffice（soffice），本机未安装；请安装"
                                "（Debian：libreoffice-writer-nogui libreoffice-calc-nogui）或不用 --pdf")
    english = cli("export", "--docx", tmp_path / "l.docx", "--pdf", "--lang", "en", "--data", REGISTRY)
    assert english.exit_code == 2 and english.stderr.strip() == (
        "workplan: error: --pdf needs LibreOffice (soffice), which is not installed; install it "
        "(Debian: libreoffice-writer-nogui libreoffice-calc-nogui) or leave out --pdf")
    assert not (tmp_path / "l.docx").exists()  # refused before anything was written


def test_a_libreoffice_that_makes_no_pdf_is_one_line_and_exit_1(cli, tmp_path, monkeypatch):
    fake = tmp_path / "bin" / "soffice"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\necho 'Error: source file could not be loaded' >&2\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(fake.parent))
    target = tmp_path / "l.docx"
    for lang, words in (("zh", "workplan: 错误：{pdf}：LibreOffice 未生成 PDF（Error: source file could not be loaded）"),
                        ("en", "workplan: error: {pdf}: LibreOffice made no PDF (Error: source file could not be loaded)")):
        r = cli("export", "--docx", target, "--pdf", "--lang", lang, "--data", REGISTRY)
        assert r.exit_code == 1 and r.stderr.strip() == words.format(pdf=tmp_path / "l.pdf")
        assert target.is_file() and not (tmp_path / "l.pdf").exists()  # the Word file stands; no PDF


# -- the PDFs, made by LibreOffice and read by poppler -------------------------------------------------

def poppler(tool: str, *args) -> str:
    binary = require_client(f"poppler-utils ({tool})", tool)
    return subprocess.run([binary, *map(str, args)], capture_output=True, text=True, encoding="utf-8", timeout=120, check=True).stdout


def pdf_facts(pdf: Path) -> tuple[int, tuple[int, int], list[str], list[str]]:
    """(pages, (width, height) in points, text of each page in the order it was written (-raw:
    a wrapped table cell stays together), -layout text of each page)."""
    info = poppler("pdfinfo", pdf)
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M)[1])
    size = tuple(round(float(x)) for x in re.search(r"^Page size:\s+([\d.]+) x ([\d.]+)", info, re.M).groups())
    texts = [poppler("pdftotext", "-raw", "-f", n, "-l", n, pdf, "-") for n in range(1, pages + 1)]
    layouts = [poppler("pdftotext", "-layout", "-f", n, "-l", n, pdf, "-") for n in range(1, pages + 1)]
    return pages, size, texts, layouts


def assert_fonts_embedded(pdf: Path) -> None:
    rows = poppler("pdffonts", pdf).splitlines()[2:]
    assert rows, "no fonts listed"
    for row in rows:
        # name, type, encoding, emb, sub, uni, object id: emb is the 4th field from the right
        assert row.split()[-5] == "yes", f"font not embedded: {row}"


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


BROKEN_DATE = re.compile(r"\d{4}-\d{0,2}-?\s*$|\d{1,2}月\s*$", re.M)  # a line ending inside 2024-12-31 or 12月31日


@pytest.mark.real_client
@pytest.mark.slow
def test_bulletin_pdf(cli, reported, tmp_path):
    require_client("LibreOffice", "soffice", "libreoffice")
    target = tmp_path / "动态.docx"
    r = cli("report", "--period", "2024-10", "--as-of", "2024-10-15", "-f", "docx", "-o", target, "--pdf", "--data", reported)
    assert r.exit_code == 0, r.stderr
    pdf = target.with_suffix(".pdf")
    assert f"已写入 {target}、{pdf}" in r.stderr
    pages, size, texts, layouts = pdf_facts(pdf)
    assert size == (595, 842)  # A4 portrait
    assert 2 <= pages <= 6
    first = squeeze(texts[0])
    assert first.startswith("长三角市场监管工作动态2024年第1期长三角市场监管联席会议办公室2024年10月15日")
    for n, text in enumerate(texts, 1):
        assert re.search(rf"—\s*{n}\s*—", text), f"page number missing on page {n}"
    everything = squeeze("".join(texts))
    # every milestone due in October and not done, and every overdue item, by title
    for title in ("打造长三角网络交易案件协查交互平台", "建设示范区食品安全追溯体系", "迭代长三角网络交易数据在线存证平台",
                  "建立长三角地区重点领域、重点行业公平竞争审查规则", "发布示范区智能制造企业商业秘密保护工作规范团体标准"):
        assert title in everything, title
    assert "七、本期进展情况" in everything and "发：上海市市场监督管理局" in everything
    for layout in layouts:
        assert not BROKEN_DATE.search(layout), BROKEN_DATE.search(layout)
    assert_fonts_embedded(pdf)


@pytest.mark.real_client
@pytest.mark.slow
def test_list_and_workbook_pdfs(cli, registry, tmp_path):
    require_client("LibreOffice", "soffice", "libreoffice")
    r = cli("export", "--docx", tmp_path / "清单.docx", "--xlsx", tmp_path / "清单表.xlsx", "--pdf",
            "--data", REGISTRY, "--as-of", "2024-10-15")
    assert r.exit_code == 0, r.stderr
    # the Word list: landscape, the header on every page, page numbers, every item
    pages, size, texts, layouts = pdf_facts(tmp_path / "清单.pdf")
    assert size == (842, 595) and pages >= 5
    for n, text in enumerate(texts, 1):
        assert "合作事项" in text and "牵头单位" in text, f"header missing on page {n}"
        assert re.search(rf"—\s*{n}\s*—", text), f"page number missing on page {n}"
    everything = squeeze("".join(texts))
    assert [s for s in SECTIONS if s in everything] == SECTIONS
    missing = [i.title for i in registry.items if squeeze(i.title) not in everything]
    assert missing == []
    for layout in layouts:
        assert not BROKEN_DATE.search(layout), BROKEN_DATE.search(layout)
    assert_fonts_embedded(tmp_path / "清单.pdf")
    # the workbook: landscape list pages and the 汇总 page, lights as words, dates whole
    pages, size, texts, layouts = pdf_facts(tmp_path / "清单表.pdf")
    assert size == (842, 595)
    assert re.search(r"汇总\s*第\s*1\s*页", texts[-1])
    everything = squeeze("".join(texts))
    assert "逾期" in everything and "临期" in everything
    for layout in layouts:
        assert not re.search(r"\d{4}-\d{0,2}-?\s*$", layout, re.M)
    assert_fonts_embedded(tmp_path / "清单表.pdf")


@pytest.mark.real_client
@pytest.mark.slow
def test_page_one_pictures(cli, reported, tmp_path):
    """Page 1 of each document as PNG (pdftoppm), for the README's pictures and for looking at."""
    require_client("LibreOffice", "soffice", "libreoffice")
    pdftoppm = require_client("poppler-utils (pdftoppm)", "pdftoppm")
    out = Path(os.environ.get("WORKPLAN_ARTIFACTS", tmp_path / "artifacts"))
    out.mkdir(parents=True, exist_ok=True)
    assert cli("report", "--period", "2024-10", "--as-of", "2024-10-15", "-f", "docx", "-o", tmp_path / "bulletin.docx",
               "--pdf", "--data", reported).exit_code == 0
    assert cli("export", "--docx", tmp_path / "list.docx", "--xlsx", tmp_path / "workbook.xlsx", "--pdf",
               "--lead", "浙江省局", "--data", reported, "--as-of", "2024-10-15").exit_code == 0
    for name in ("bulletin", "list", "workbook"):
        subprocess.run([pdftoppm, "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", tmp_path / f"{name}.pdf",
                        out / name], check=True, timeout=120)
        assert (out / f"{name}.png").read_bytes().startswith(b"\x89PNG")


@pytest.mark.real_client
@pytest.mark.slow
def test_html_bulletin_prints_in_chromium(cli, reported, tmp_path):
    """Chromium's print-to-PDF: A4, page numbers and no browser header (file path, title, date), no
    heading left at a page foot, no date broken at a line end."""
    chromium = require_client("Chromium", "chromium", "chromium-browser")
    page = tmp_path / "动态.html"
    assert cli("report", "--period", "三季度", "--as-of", "2024-10-08", "-f", "html", "-o", page,
               "--data", reported).exit_code == 0
    pdf = tmp_path / "动态.pdf"
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp_path / 'profile'}",
                    f"--print-to-pdf={pdf}", page.as_uri()], capture_output=True, timeout=180)
    pages, size, texts, layouts = pdf_facts(pdf)
    assert size == (595, 842) and pages >= 2
    headings = ("一、总体情况", "二、本期完成", "三、本期应完成未完成", "四、下期到期", "五、逾期事项", "六、分领域进展",
                "七、本期进展情况")
    for n, layout in enumerate(layouts, 1):
        lines = [line.strip() for line in layout.splitlines() if line.strip()]
        assert re.fullmatch(rf"—\s*{n}\s*—", lines[-1]), f"page number missing on page {n}"
        assert not any(marker in layout for marker in ("file:", "动态.html", "AM", "PM")), f"browser header on page {n}"
        if n < pages:
            assert not lines[-2].startswith(headings), f"heading stranded at the foot of page {n}: {lines[-2]}"
        assert not BROKEN_DATE.search(layout), BROKEN_DATE.search(layout)


# -- English: every word of the documents from the catalogue, the registry's own text as it is --------

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def registry_texts(path: Path) -> list[str]:
    """Every text the registry itself holds (titles, measures, units, deadlines as printed, reports),
    longest first: an English document may quote them, never add Chinese of its own."""
    from workplan.store.load import load_registry

    reg = load_registry(path)
    texts = {reg.plan.title, reg.plan.title.replace(" ", ""), reg.plan.issuer, reg.plan.doc_number}
    for s in reg.sections:
        texts |= {s.label, s.title, f"{s.label}{s.title}"}
    for o in reg.organisations:
        texts |= {o.name, o.full_name or "", *o.aliases}
    for item in reg.items:
        texts |= {item.title, item.measures, item.departments_display, *item.leads, *reg.item_lead_names(item),
                  "、".join(reg.item_lead_names(item)), *(m.text for m in item.milestones),
                  *(e.text for e in item.progress), *(e.evidence or "" for e in item.progress), *(e.by for e in item.progress)}
    return sorted((x for x in texts if x), key=len, reverse=True)


def without_registry_text(text: str, path: Path) -> str:
    from workplan.present.formats import md_escape

    for known in registry_texts(path):
        text = text.replace(md_escape(known), "").replace(known, "")
    return text


def test_english_bulletin_docx(cli, reported, tmp_path):
    target = tmp_path / "bulletin-en.docx"
    r = cli("report", *ARGS, "--format", "docx", "-o", target, "--lang", "en", "--data", reported)
    assert r.exit_code == 0, r.stderr
    text = paragraphs(docx.Document(target))
    assert text[:2] == ["Yangtze River Delta Market Regulation Bulletin", "2024, No. 1"]
    assert text[2] == "Office of 长三角市场监管联席会议2024-10-08"
    assert text[4] == "Yangtze River Delta market regulation integration: progress, 2024-09"
    assert [p for p in text if re.match(r"\d\. [A-Z]", p)] == [
        "1. Summary", "2. Completed in the period", "3. Due in the period, not done", "4. Due next period (2024-10)",
        "5. Overdue", "6. Progress by section", "7. Progress reported in the period"]
    assert "1. 建立长三角统一地方标准管理机制 (led by 浙江省局): milestone 8月底前 done on 9/10, 10 days late." in text
    assert "Due | No. | Item | Lead | Status" in text
    assert text[-1].startswith("Distribution: 上海市市场监督管理局")
    left = without_registry_text("\n".join(text), reported)
    assert not CJK.findall(left), sorted(set(CJK.findall(left)))


def test_english_list_docx(cli, reported, tmp_path):
    target = tmp_path / "list-en.docx"
    r = cli("export", "--docx", target, "--with-progress", "--lead", "浙江省局", "--lang", "en", "--data", reported,
            "--as-of", "2024-10-08")
    assert r.exit_code == 0, r.stderr
    text = paragraphs(docx.Document(target))
    assert text[:3] == ["Attachment", "长三角市场监管一体化发展2024年工作要点: cooperation items", "(浙江省局)"]
    assert text[4] == "No. | Item | Measures and deadlines | Responsible departments | Lead units | Progress"
    assert text[5] == "1. 协同联建一流营商环境"
    assert any(row.startswith("24 | ") and row.endswith(" | 9/20: 平台已上线试运行") for row in text)
    left = without_registry_text("\n".join(text), reported)
    assert not CJK.findall(left), sorted(set(CJK.findall(left)))


def test_english_markdown_bulletin(cli, reported):
    md = cli("report", *ARGS, "--lang", "en", "--data", reported).stdout
    assert "## 4. Due next period (2024-10)" in md and "| Due | No. | Item | Deadline | Lead | Status |" in md
    left = without_registry_text(md, reported)
    assert not CJK.findall(left), sorted(set(CJK.findall(left)))


def test_documents_declare_chinese_not_japanese(bulletin_docx, list_docx, cli, tmp_path):
    """python-docx's and openpyxl's templates name Japanese East Asian faces (ＭＳ 明朝, theme script
    Jpan, themeFontLang ja-JP): a program without the office's fonts then substitutes a face with
    Japanese glyph forms. Every part says Chinese instead."""
    import zipfile

    for document in (bulletin_docx, list_docx):
        with zipfile.ZipFile(document) as package:
            parts = {name: package.read(name).decode("utf-8") for name in package.namelist() if name.endswith(".xml")}
        assert not [name for name, xml in parts.items() if "ＭＳ" in xml or 'script="Jpan"' in xml or "ja-JP" in xml]
        assert '<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/>' in parts["word/settings.xml"]
        defaults = parts["word/styles.xml"].split("<w:docDefaults>")[1].split("</w:docDefaults>")[0]
        assert 'w:eastAsia="仿宋_GB2312"' in defaults and '<w:lang w:val="zh-CN" w:eastAsia="zh-CN"' in defaults
        fonts = re.findall(r'<w:font w:name="([^"]*)">(?:<w:altName w:val="([^"]*)"/>)?<w:charset w:val="86"/>',
                           parts["word/fontTable.xml"])
        assert ("仿宋_GB2312", "仿宋,FangSong,方正仿宋_GBK,Noto Serif CJK SC") in fonts
        assert ("黑体", "SimHei,方正黑体_GBK,Noto Sans CJK SC") in fonts and ("宋体", "SimSun,方正书宋_GBK,Noto Serif CJK SC") in fonts
    book = tmp_path / "清单.xlsx"
    assert cli("export", "--xlsx", book, "--data", REGISTRY, "--as-of", "2024-10-15").exit_code == 0
    with zipfile.ZipFile(book) as package:
        assert b'script="Jpan"' not in package.read("xl/theme/theme1.xml")
        styles = package.read("xl/styles.xml").decode("utf-8")
    named = re.findall(r'<font><name val="([^"]*)"/>(<charset val="134"/>)?', styles)
    assert {name for name, charset in named if name != "Calibri" and charset} == {"宋体", "黑体"}
    assert all(charset for name, charset in named if name != "Calibri")


# -- per-bureau issues count the bureau's own share; an approved new date is marked 调整 -------------

@pytest.mark.parametrize("unit, statuses, completed, notes", [
    ("上海市局", "未启动 20 项，已完成 1 项", 1, ["2024-06-30 · 1. 打造长三角商事登记增值化服务模式**（上海市局，已完成）"]),
    ("浙江省局", "未启动 36 项，推进中 1 项", 0, ["2024-06-28 · 1. 打造长三角商事登记增值化服务模式**（浙江省局，推进中）"]),
    ("江苏省局", "未启动 8 项", 0, []),
])
def test_per_bureau_bulletin_counts_its_own_share(cli, two_units_reported, unit, statuses, completed, notes):
    md = cli("report", "--period", "2024-06", "--as-of", "2024-07-01", "--lead", unit, "--data", two_units_reported).stdout
    assert f"- 事项状态：{statuses}。" in md
    assert f"- 本期完成时间节点 {completed} 个（其中逾期完成 0 个）" in md
    done_table = md.split("## 二、本期完成")[1].split("## 三")[0]
    assert ("| 1 | 打造长三角商事登记增值化服务模式 | 12月底前 | 2024-06-30 | 按期完成 | 三省一市局 |" in done_table) == bool(completed)
    assert re.findall(r"^- \*\*(.*?）)", md.split("## 七、本期进展情况")[1], re.M) == notes
    whole = cli("report", "--period", "2024-06", "--as-of", "2024-07-01", "--data", two_units_reported).stdout
    assert "- 事项状态：未启动 58 项，推进中 1 项。" in whole and "本期完成时间节点 0 个" in whole


def test_bulletin_marks_an_adjusted_deadline(cli, two_units_reported, tmp_path):
    md = cli("report", "--period", "2024-11", "--as-of", "2024-11-05", "--data", two_units_reported).stdout
    due = md.split("## 三、本期应完成未完成")[1].split("## 四")[0]
    assert ("| 2024-11-30 | 18 | 举办产业计量技术创新揭榜挂帅活动 | 9月底前（1/2）〔调整：原 2024-09-30，调整为 2024-11-30〕 | "
            "上海市局 | 未启动 | 还剩 25 天 |") in due
    target = tmp_path / "动态.docx"
    assert cli("report", "--period", "2024-11", "--as-of", "2024-11-05", "-f", "docx", "-o", target,
               "--data", two_units_reported).exit_code == 0
    text = paragraphs(docx.Document(target))
    assert ("1. 举办产业计量技术创新揭榜挂帅活动（上海市局牵头）：9月底前〔调整：原 9月30日，调整为 11月30日〕（11月30日）到期，"
            "目前未启动，还剩 25 天。") in text


@pytest.mark.real_client
@pytest.mark.slow
def test_workbook_pages_never_end_with_a_section_row(cli, tmp_path):
    """Printed by LibreOffice, sheet by sheet (one per unit, each with its own section rows): no page
    ends with 一、…六、, and every page holds all the printed columns (灯号 is the last)."""
    require_client("LibreOffice", "soffice", "libreoffice")
    book = tmp_path / "分单位.xlsx"
    r = cli("export", "--xlsx", book, "--split-by", "lead", "--pdf", "--data", REGISTRY, "--as-of", "2024-10-15")
    assert r.exit_code == 0, r.stderr
    pages, size, texts, layouts = pdf_facts(book.with_suffix(".pdf"))
    assert size == (842, 595)
    list_pages = [layout for layout in layouts if not re.search(r"汇总\s*第\s*\d+\s*页", layout)]
    assert len(list_pages) == pages - 1 >= 10
    section = re.compile(r"^[一二三四五六]、\S+$")
    seen = 0
    for n, layout in enumerate(list_pages, 1):
        lines = [line.strip() for line in layout.splitlines() if line.strip()]
        assert re.search(r"第\s*\d+\s*页$", lines[-1]), f"page {n}: no page number"
        body = lines[:-1]
        assert any(line.startswith("序号") and line.endswith("灯号") for line in body[:4]), f"page {n}: columns missing"
        assert not section.match(body[-1]), f"page {n} ends with the section row {body[-1]}"
        seen += sum(1 for line in body if section.match(line))
    assert seen >= 7 * 2  # seven unit sheets, each with two or more sections
